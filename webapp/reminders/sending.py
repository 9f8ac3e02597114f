"""When reminders go out: the producer that finds who is due, and the `reminder` job that pushes and mails.

The producer runs on every pass of the job runner (and on `flask jobs --once --at T`). For each person with
reminders on whose reminder time has passed today, in their own zone, it looks at today once: a planned session not
yet done queues one `reminder` job, keyed `reminder:<user>:<day>`, so no pass and no second worker queues it again.
After two planned sessions missed in a row the reminder becomes one gentle nudge, and then nothing until a session
is done. Nobody waiting for a clinician after a red-flag answer is reminded. The job checks again that the session
is still not done before it queues the push (push.notify, keyed) and the mail (keyed), so running it twice sends
nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import Flask, current_app
from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..jobs.registry import add_handler, add_producer
from ..jobs.services import enqueue
from ..mail import send_mail
from ..programs.duration import routine_minutes
from ..programs.models import Routine
from ..programs.personal import doses_of, items_for
from ..programs.services import active_assignment
from ..push.services import notify
from ..sessions import screens
from ..sessions.models import CompletedSession
from ..sessions.schedule import person_plan
from ..timeutil import local_date, zone
from .models import ReminderSetting
from .services import reminder_time

log = logging.getLogger("coresteady.reminders")

KIND = "reminder"
# Missed planned sessions in a row after which the reminder becomes a nudge, and then stops.
MISSED_FOR_NUDGE = 2
# How far back the producer looks for the last session done: a longer silence is already a silence.
LOOK_BACK = timedelta(days=60)


@dataclass(frozen=True)
class Due:
    routine: Routine
    minutes: int
    # The last day a session was done (or the day before the plan began): a nudge is sent once per such day.
    last_done: date
    missed: int


def due_at(day: date, at: str, zone_name: str) -> datetime:
    hours, minutes = (int(part) for part in at.split(":"))
    # Built for that day in that zone, so it follows daylight saving (a 07:30 reminder is 06:30Z in London's summer).
    return datetime.combine(day, time(hours, minutes), tzinfo=zone(zone_name)).astimezone(UTC)


def what_is_due(user: User, day: date) -> Due | None:
    """Today's planned routine if it is not done yet, with the run of planned sessions missed before it."""
    assignment = active_assignment(user)
    # Sessions planned while exercise was on hold after a red-flag answer were not missed: the first reminder
    # after a clinician's check is a plain one, not a nudge about them.
    plan = person_plan(assignment, user, day)
    routine = plan.routine_on(day) if plan else None
    if routine is None:
        return None
    done = set(
        db.session.execute(
            select(CompletedSession.local_date).where(
                CompletedSession.user_id == user.id, CompletedSession.local_date >= day - LOOK_BACK
            )
        ).scalars()
    )
    if day in done:
        return None
    last_done = max((d for d in done if d < day), default=None)
    since = max(filter(None, [last_done, plan.start_date - timedelta(days=1), day - LOOK_BACK]))
    missed = len(plan.planned_days(since + timedelta(days=1), day - timedelta(days=1)))
    minutes = routine_minutes(items_for(routine, doses_of(assignment)))
    return Due(routine, minutes, since, missed)


def due_now(user: User, day: date, now: datetime) -> Due | None:
    """What is due today, unless the person is waiting for a clinician after a red-flag answer: the player is
    closed then, and a reminder to exercise would contradict the advice to get checked first (NHS back pain
    pages; IFOMPT red-flags framework, Finucane 2020). Reminders stay silent until the check is confirmed."""
    due = what_is_due(user, day)
    if due is None or screens.standing(user, now).blocked:
        return None
    return due


def find_due(now: datetime) -> None:
    """The producer: queue today's reminder for each person whose time has come (see the module's note)."""
    rows = db.session.execute(
        select(ReminderSetting, User).join(User, User.id == ReminderSetting.user_id).where(ReminderSetting.enabled)
    ).all()
    for setting, user in rows:
        day = local_date(now, user.timezone)
        if setting.decided_on == day or now < due_at(day, reminder_time(setting, user.id), user.timezone):
            continue
        setting.decided_on = day
        if user.role != "client":
            continue
        due = due_now(user, day, now)
        if due is None:
            continue
        nudge = due.missed >= MISSED_FOR_NUDGE
        if nudge:
            if setting.nudged_after == due.last_done:
                continue  # nudged once already since the last session: quiet until the next one is done
            setting.nudged_after = due.last_done
        enqueue(
            KIND, {"user": user.id, "day": day.isoformat(), "nudge": nudge}, run_at=now, key=reminder_key(user, day)
        )


def reminder_key(user: User, day: date) -> str:
    return f"reminder:{user.id}:{day.isoformat()}"


def play_path(routine: Routine) -> str:
    """The routine's player as a path of this app (where the app is mounted, if BASE_URL says so)."""
    mounted = urlsplit(current_app.config.get("BASE_URL") or "").path.rstrip("/")
    adapter = current_app.url_map.bind("localhost", script_name=mounted or "/")
    return adapter.build("sessions.play", {"routine_id": routine.id})


def words(due: Due, nudge: bool) -> tuple[str, str]:
    title = f"Today: {due.routine.name}, about {due.minutes} min"
    if nudge:
        return title, "A couple of sessions slipped by; that happens. A short one today is a good way back in."
    return title, "Tap to start. It works offline too."


def still_wanted(payload: dict, now: datetime, what: str) -> tuple[User, ReminderSetting, date] | None:
    """The person, their settings and the day a queued {"user", "day"} job is for, while reminders are still on
    and that day (in the person's zone) is not over; None, and a log line for the day, otherwise."""
    user = db.session.get(User, payload["user"])
    setting = db.session.get(ReminderSetting, payload["user"])
    day = date.fromisoformat(payload["day"])
    if user is None or setting is None or not setting.enabled:
        return None
    if local_date(now, user.timezone) != day:
        log.info("%s for user %s on %s not sent: that day is over", what, user.id, day)
        return None
    return user, setting, day


def send(payload: dict, now: datetime) -> None:
    """The `reminder` job: still due? Then the push to each of the person's browsers, and the mail if chosen."""
    wanted = still_wanted(payload, now, "Reminder")
    if wanted is None:
        return
    user, setting, day = wanted
    due = due_now(user, day, now)
    if due is None:
        log.info("Reminder for user %s on %s not sent: nothing is due any more", user.id, day)
        return
    title, body = words(due, payload.get("nudge", False))
    path = play_path(due.routine)
    end_of_day = due_at(day, "23:59", user.timezone) + timedelta(minutes=1)
    key = reminder_key(user, day)
    notify(user, title, body, path, f"reminder-{day.isoformat()}", key=key, ttl=end_of_day - now, now=now)
    if setting.email:
        base = current_app.config.get("BASE_URL")
        link = (
            f"Start it: {base}{path.removeprefix(urlsplit(base).path.rstrip('/'))}"
            if base
            else "Open CoreSteady to start."
        )
        text = f"Hello {user.first_name},\n\n{body}\n\n{link}\n\nYou can change or turn off reminders in your settings."
        send_mail(user.email, title, text, key=f"mail:{key}")
    db.session.commit()


def register_jobs(app: Flask) -> None:
    add_handler(app, KIND, send)
    add_producer(app, "reminders", find_due)
