"""The Monday summary of last week, sent as a push to people with reminders on.

Once a week, on the person's own Monday: at their reminder time when that is in the morning, else at 09:00 (a
summary of the week is news for the start of the day). The producer queues one `weekly-summary` job per person,
keyed `weekly:<user>:<day>`, so no pass and no second worker queues it twice; the job works the summary out when
it runs (sessions.milestones.weekly_summary, as Today shows it) and sends nothing when there is nothing to say,
when reminders were turned off meanwhile, when the person waits for a clinician after a red-flag answer, or when
that Monday is over.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..jobs.models import Job
from ..jobs.registry import add_handler, add_producer
from ..jobs.services import enqueue
from ..programs.services import active_assignment
from ..push.services import MAX_BODY, notify
from ..sessions import screens
from ..sessions.milestones import sessions_of, weekly_summary
from ..sessions.schedule import person_plan
from ..timeutil import local_date
from .models import ReminderSetting
from .sending import due_at, still_wanted
from .services import reminder_time

log = logging.getLogger("coresteady.reminders")

KIND = "weekly-summary"
LATEST = "09:00"  # a reminder time later than this sends the summary at this time instead
TITLE = "Your week in brief"


def send_time(setting: ReminderSetting, user_id: int) -> str:
    chosen = reminder_time(setting, user_id)
    return min(chosen, LATEST)  # "HH:MM" strings sort as times do


def weekly_key(user_id: int, day: date) -> str:
    return f"weekly:{user_id}:{day.isoformat()}"


def find_mondays(now: datetime) -> None:
    """The producer: queue the summary for each client with reminders on whose Monday send time has come."""
    rows = db.session.execute(
        select(ReminderSetting, User)
        .join(User, User.id == ReminderSetting.user_id)
        .where(ReminderSetting.enabled, User.role == "client")
    ).all()
    due = {}
    for setting, user in rows:
        day = local_date(now, user.timezone)
        if day.weekday() == 0 and now >= due_at(day, send_time(setting, user.id), user.timezone):
            due[weekly_key(user.id, day)] = (user.id, day)
    if not due:
        return
    # Keys already queued or sent are left alone, read in one query rather than tried one by one on every pass.
    queued = set(db.session.execute(select(Job.key).where(Job.key.in_(list(due)))).scalars())
    for key, (user_id, day) in due.items():
        if key not in queued:
            enqueue(KIND, {"user": user_id, "day": day.isoformat()}, run_at=now, key=key)


def body_of(lines: list[str]) -> str:
    text = " ".join(lines)
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - 1].rstrip() + "…"


def send(payload: dict, now: datetime) -> None:
    """The `weekly-summary` job: still that Monday and reminders still on? Then the summary to each browser."""
    wanted = still_wanted(payload, now, "Weekly summary")
    if wanted is None:
        return
    user, _setting, day = wanted
    if screens.standing(user, now).blocked:
        # As with the daily reminders (sending.due_now): no push about the week's sessions while the person waits
        # for a clinician after a red-flag answer; Today says what to do instead.
        log.info("Weekly summary for user %s on %s not sent: waiting for a clinician's check", user.id, day)
        return
    # Last week's days on hold (a check since cleared) are not counted as planned, as on Today's summary.
    plan = person_plan(active_assignment(user), user, day)
    summary = weekly_summary(day, plan, sessions_of(user.id), bool(user.trainer_id))
    if summary is None:
        return  # nothing planned and nothing done last week: nothing to sum up
    end_of_day = due_at(day, "23:59", user.timezone) + timedelta(minutes=1)
    key = weekly_key(user.id, day)
    notify(
        user, TITLE, body_of(summary.lines()), "/", f"weekly-{day.isoformat()}", key=key, ttl=end_of_day - now, now=now
    )
    db.session.commit()


def register_jobs(app: Flask) -> None:
    add_handler(app, KIND, send)
    add_producer(app, "weekly-summary", find_mondays)
