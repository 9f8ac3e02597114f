"""A trainer's clients: who belongs to whom, removing and leaving, the trainer's notes, and a client's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from markupsafe import Markup

from ..auth.models import User
from ..content.services import visible_exercises
from ..extensions import db
from ..programs.models import Assignment
from ..programs.services import active_assignment
from ..sessions import charts, history, progress, progression, safety, screens
from ..sessions.models import CompletedSession
from ..sessions.schedule import Plan, days_summary, plan_for, week_routines
from ..timeutil import local_date, utcnow
from . import dashboard
from .models import TrainerComment

COMMENT_MAX = 1000
NOTES_SHOWN = 10


class CommentError(ValueError):
    """A note that cannot be sent as written; the message says what to change."""


def client_of(trainer: User, client_id: int) -> User | None:
    """The trainer's own client, or None: another trainer's client is as missing as one that does not exist."""
    query = db.select(User).where(User.id == client_id, User.trainer_id == trainer.id, User.role == "client")
    return db.session.execute(query).scalar_one_or_none()


def remove_client(client: User) -> None:
    """The client keeps their account, history and current program; only the link to the trainer goes."""
    client.trainer_id = None
    db.session.commit()


def leave_trainer(client: User) -> User | None:
    """End the client's link to their trainer; returns the trainer they left, or None if they had none."""
    trainer = db.session.get(User, client.trainer_id) if client.trainer_id else None
    client.trainer_id = None
    db.session.commit()
    return trainer


def clean_comment(text: str | None) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise CommentError("Write a note before sending it.")
    if len(text) > COMMENT_MAX:
        raise CommentError(f"Keep the note to {COMMENT_MAX} characters; this one has {len(text)}.")
    return text


def add_comment(trainer: User, client: User, text: str | None, now: datetime | None = None) -> TrainerComment:
    comment = TrainerComment(
        trainer_id=trainer.id, client_id=client.id, text=clean_comment(text), created_at=now or utcnow()
    )
    db.session.add(comment)
    db.session.commit()
    return comment


def comments_for(trainer: User, client: User) -> list[TrainerComment]:
    query = (
        db.select(TrainerComment)
        .where(TrainerComment.trainer_id == trainer.id, TrainerComment.client_id == client.id)
        .order_by(TrainerComment.created_at.desc(), TrainerComment.id.desc())
    )
    return list(db.session.execute(query).scalars())


@dataclass(frozen=True)
class Note:
    id: int
    trainer_name: str
    text: str
    created_at: datetime


def unseen_notes(client: User) -> list[Note]:
    """Notes from the client's current trainer that the client has not yet said they saw, oldest first."""
    if not client.trainer_id:
        return []
    query = (
        db.select(TrainerComment, User.name)
        .join(User, User.id == TrainerComment.trainer_id)
        .where(
            TrainerComment.client_id == client.id,
            TrainerComment.trainer_id == client.trainer_id,
            TrainerComment.seen_at.is_(None),
        )
        .order_by(TrainerComment.created_at, TrainerComment.id)
    )
    return [Note(comment.id, name, comment.text, comment.created_at) for comment, name in db.session.execute(query)]


def mark_notes_seen(client: User, note_ids: list[int], now: datetime | None = None) -> int:
    """Mark these notes seen, if they are the client's own and still unseen; returns how many were marked.

    Only the notes a page showed are named, so a note written while the page was open still shows next time.
    """
    if not note_ids:
        return 0
    result = db.session.execute(
        db.update(TrainerComment)
        .where(
            TrainerComment.id.in_(note_ids),
            TrainerComment.client_id == client.id,
            TrainerComment.seen_at.is_(None),
        )
        .values(seen_at=now or utcnow())
    )
    db.session.commit()
    return result.rowcount


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
    comments: list[TrainerComment]
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


def client_page(trainer: User, client: User, month: str | None, page: int, now: datetime | None = None) -> ClientPage:
    """Everything the trainer's view of one client shows; the same pieces as the client's own history page."""
    now = now or utcnow()
    row = dashboard.client_rows(trainer, now, client.id)[0]
    assignment = active_assignment(client)
    plan = plan_for(assignment, row.today)
    points = history.session_points(client.id)
    done_days = {p.day for p in points}
    activities = history.function_activities(client.id)
    trends = [history.activity_trend(a, client.timezone) for a in activities]
    pain_points = progress.pain_points(points)
    sessions, more = history.session_page(client.id, page)
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
        comments=comments_for(trainer, client),
        screens=screens.history(client),
        steps=client_steps(client, assignment, plan, row.today),
    )


def client_steps(client: User, assignment: Assignment | None, plan: Plan | None, today: date) -> progression.Week:
    library = {e.slug: e for e in visible_exercises(client)}
    return progression.client_week(client, assignment, week_routines(plan, today), today, library)


def act_on_step(trainer: User, client: User, action: str, form, now: datetime | None = None) -> str:
    """The trainer's answer to one of a client's suggested steps: accept it, change it, or turn suggestions for
    that exercise off (or on again). Returns what happened in words; raises progression.StepRefused."""
    now = now or utcnow()
    assignment = active_assignment(client)
    today = local_date(now, client.timezone)
    week = client_steps(client, assignment, plan_for(assignment, today), today)
    proposal = progression.proposal_from(form)
    if assignment is None or proposal is None:
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
