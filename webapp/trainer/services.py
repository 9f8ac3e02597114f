"""A trainer's clients: who belongs to whom, removing and leaving, and a client's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup

from ..auth.models import User
from ..content.services import exercise_library
from ..extensions import db
from ..messages import services as messages
from ..messages.models import Message
from ..programs.models import Assignment
from ..programs.services import active_assignment
from ..sessions import charts, history, progress, progression, safety, screens
from ..sessions.models import CompletedSession
from ..sessions.schedule import Plan, days_summary, person_plan, plan_for, week_routines
from ..timeutil import local_date, utcnow
from . import dashboard, parting

NOTES_SHOWN = 10
THREAD_SHOWN = 30


def client_of(trainer: User, client_id: int) -> User | None:
    """The trainer's own client, or None: another trainer's client is as missing as one that does not exist."""
    query = db.select(User).where(User.id == client_id, User.trainer_id == trainer.id, User.role == "client")
    return db.session.execute(query).scalar_one_or_none()


def open_worries(trainer: User, client: User) -> list[dashboard.Flag]:
    """The dashboard's flags about this client's pain and safety now (a red-flag answer, a red session, a bad
    morning, rising pain, a painful exercise, a safety check due): the remove page shows them before the link
    goes, since no one will see them afterwards. A quiet spell is not among them."""
    flags = dashboard.client_rows(trainer, client_id=client.id)[0].flags
    return [flag for flag in flags if flag.kind in dashboard.SAFETY_WORRIES]


def remove_client(client: User, trainer: User) -> None:
    """The client keeps their account, history and current program; only the link to the trainer goes, and the
    client is told by mail."""
    client.trainer_id = None
    parting.tell_removed_client(client, trainer)
    db.session.commit()


def leave_trainer(client: User) -> User | None:
    """End the client's link to their trainer, who is told by mail; returns the trainer they left, or None if they
    had none."""
    trainer = db.session.get(User, client.trainer_id) if client.trainer_id else None
    client.trainer_id = None
    if trainer is not None:
        parting.tell_left_trainer(trainer, client)
    db.session.commit()
    return trainer


# ---- The client's page ----


@dataclass
class ClientPage:
    client: User
    row: dashboard.ClientRow
    assignment: Assignment | None
    plan: Plan | None
    days: dict | None
    month: progress.Month
    pain_points: list[progress.SessionPoint]
    pain_chart: Markup
    activities: list
    function_chart: Markup
    sessions: list[history.SessionRow]
    page: int
    more: bool
    notes: list[tuple[date, str]]
    # The thread with the client: the newest page, oldest first, and whether older messages remain.
    thread: list[Message]
    thread_more: bool
    thread_before: str | None
    unread: list[str]  # the ids of the client's messages this page shows unread
    thread_about: dict[int, date]  # the days of the sessions messages are about, by session row id
    session_days: dict[str, date]  # the days of the sessions listed, by their public id (to write about one)
    screens: list[safety.Answer]  # every red-flag answer, newest first
    # The client's doses this week (their own where they stepped) and the steps their sessions suggest.
    steps: progression.Week


def session_notes(client: User, limit: int = NOTES_SHOWN) -> list[tuple[date, str]]:
    query = (
        db.select(CompletedSession.local_date, CompletedSession.notes)
        .where(CompletedSession.user_id == client.id, CompletedSession.notes != "")
        .order_by(CompletedSession.completed_at.desc())
        .limit(limit)
    )
    return [(day, text) for day, text in db.session.execute(query)]


def client_page(
    trainer: User, client: User, month: str | None, page: int, now: datetime | None = None, before: str | None = None
) -> ClientPage:
    """Everything the trainer's view of one client shows; the same pieces as the client's own history page."""
    now = now or utcnow()
    row = dashboard.client_rows(trainer, now, client.id)[0]
    assignment = active_assignment(client)
    plan = person_plan(assignment, client, row.today)
    points = history.session_points(client.id)
    done_days = {p.day for p in points}
    activities = history.function_activities(client.id)
    trends = [history.activity_trend(a, client.timezone) for a in activities]
    pain_points = progress.pain_points(points)
    sessions, more = history.session_page(client.id, page)
    # before: the id of the oldest message of the newer page (raises messages.CursorError when it names none).
    thread, thread_more = messages.thread_page(client, trainer, before, size=THREAD_SHOWN)
    return ClientPage(
        client=client,
        row=row,
        assignment=assignment,
        plan=plan,
        days=days_summary(plan, assignment.day_list if assignment else []),
        month=progress.month_calendar(progress.parse_month(month, row.today), plan, done_days, row.today),
        pain_points=pain_points,
        pain_chart=charts.pain_chart(pain_points, "client-pain-chart"),
        activities=list(zip(activities, trends, strict=True)),
        # A trend needs two ratings; a single one reads better in words than as one dot.
        function_chart=charts.function_chart(trends, "client-function-chart")
        if any(t.change is not None for t in trends)
        else Markup(""),
        sessions=sessions,
        page=page,
        more=more,
        notes=session_notes(client),
        thread=list(reversed(thread)),
        thread_more=thread_more,
        thread_before=before,
        thread_about={key: ref.day for key, ref in messages.referenced_sessions(thread).items()},
        session_days={row.session.uuid: row.session.local_date for row in sessions},
        unread=[m.uuid for m in thread if m.author == "client" and m.read_at is None],
        screens=screens.history(client),
        steps=client_steps(client, assignment, plan, row.today),
    )


def client_steps(client: User, assignment: Assignment | None, plan: Plan | None, today: date) -> progression.Week:
    library = exercise_library(client)
    return progression.client_week(client, assignment, week_routines(plan, today), today, library, every_step=True)


def act_on_step(
    trainer: User, client: User, action: str, proposal: progression.Proposal, now: datetime | None = None
) -> str:
    """The trainer's answer to one of a client's suggested steps: accept it, change it, or turn suggestions for
    that exercise off (or on again). Returns what happened in words; raises progression.StepRefused."""
    now = now or utcnow()
    assignment = active_assignment(client)
    today = local_date(now, client.timezone)
    week = client_steps(client, assignment, plan_for(assignment, today), today)
    if assignment is None:
        raise progression.StepRefused("That step could not be read. Here are the steps as they are now.")
    item = next((i for i in week.items if i.slot.slug == proposal.slot), None)
    if item is None:
        raise progression.StepRefused("That exercise is not in this week of the client's program any more.")
    if action in ("off", "on"):
        progression.switch_off(assignment, item.slot, action == "off", trainer, now)
        return "Suggestions to step up are off for that exercise." if action == "off" else "Suggestions are back on."
    if action == "change":
        progression.change(assignment, week, proposal, trainer, now)
        return f"{client.first_name}'s dose is changed; their next session has it."
    outcome = progression.accept(assignment, week, proposal, trainer, may_step_up=True, now=now)
    return (
        "That step was already taken." if outcome == "already" else f"Done: {client.first_name}'s next session has it."
    )
