"""Stored sessions read as rules.Outcome: the one place that gathers what a light is judged from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, case, func

from ..extensions import db
from ..programs.models import Program
from . import rules
from .models import CheckIn, CompletedSession, SessionExercise


def next_day_pains(session_ids: Sequence[int]) -> dict[int, int]:
    """The next-morning rating of each session that has one, in one query."""
    if not session_ids:
        return {}
    query = (
        db.select(CheckIn.session_id, CheckIn.pain)
        .where(CheckIn.session_id.in_(list(session_ids)), CheckIn.kind == "next-day")
        .order_by(CheckIn.created_at, CheckIn.id)
    )
    return dict(db.session.execute(query).all())


def any_painful(session_id):
    """1 when an exercise of the session was marked painful, else 0 (None without exercises), for set-based reads.
    An aggregate through the exercises' session index rather than EXISTS, which PostgreSQL may answer by hashing
    every painful exercise ever stored: a cost that would grow with the whole history."""
    E = SessionExercise
    return (
        db.select(func.max(case((E.painful.is_(True), 1), else_=0))).where(E.session_id == session_id).scalar_subquery()
    )


def worst_during(session_id):
    """The highest pain rated after an exercise of the session, for set-based reads."""
    return (
        db.select(func.max(SessionExercise.pain_during))
        .where(SessionExercise.session_id == session_id)
        .scalar_subquery()
    )


def outcome(session: CompletedSession, next_day_pain: int | None) -> rules.Outcome:
    """A session as the traffic-light rule reads it (its exercises must be loaded)."""
    return rules.Outcome(
        pain_before=session.pain_before,
        pain_after=session.pain_after,
        effort=session.effort,
        painful_exercise=any(e.painful for e in session.exercises),
        next_day_pain=next_day_pain,
        pain_during=tuple(e.pain_during for e in session.exercises),
        day=session.local_date,
    )


def outcomes_of(sessions: Sequence[CompletedSession | SessionRecord]) -> list[rules.Outcome]:
    """The outcome of each session, in the order given, with one query for the next-morning ratings (none for
    SessionRecords, which carry theirs)."""
    if all(isinstance(s, SessionRecord) for s in sessions):
        return [outcome(s, s.next_day_pain) for s in sessions]
    next_day = next_day_pains([s.id for s in sessions])
    return [outcome(s, next_day.get(s.id)) for s in sessions]


def _next_day_pain(session_id):
    """The newest next-morning rating of a session, for set-based reads (as next_day_pains keeps the newest)."""
    return (
        db.select(CheckIn.pain)
        .where(CheckIn.session_id == session_id, CheckIn.kind == "next-day")
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class ExerciseDone:
    """One exercise of a stored session, as the rules read it."""

    exercise_id: int
    sets_done: int
    reps_done: int
    hold_seconds: int
    painful: bool
    pain_during: int | None


@dataclass(frozen=True)
class SessionRecord:
    """A stored session as the rules read it (outcome() takes it like a CompletedSession): plain rows, for the reads
    that look back over many sessions on every request (the small steps)."""

    id: int
    completed_at: datetime
    local_date: date
    pain_before: int
    pain_after: int
    effort: int
    next_day_pain: int | None
    exercises: tuple[ExerciseDone, ...]


@cache
def _statements() -> dict:
    """The statements the everyday reads run, built once: building one costs more than running it on SQLite."""
    S, E = CompletedSession, SessionExercise
    painful, worst, next_day = any_painful(S.id), worst_during(S.id), _next_day_pain(S.id)
    newest_first = (S.completed_at.desc(), S.id.desc())
    versions = db.select(Program.id).where(Program.family == bindparam("family"))
    return {
        "records": db.select(S.id, S.completed_at, S.local_date, S.pain_before, S.pain_after, S.effort, next_day)
        .where(S.user_id == bindparam("user_id"), S.local_date >= bindparam("since"), S.program_id.in_(versions))
        .order_by(*newest_first)
        .limit(bindparam("limit")),
        "done": db.select(E.session_id, E.exercise_id, E.sets_done, E.reps_done, E.hold_seconds, E.painful,
                          E.pain_during)
        .where(E.session_id.in_(bindparam("ids", expanding=True)))
        .order_by(E.session_id, E.position),
        "newest": db.select(S.pain_before, S.pain_after, S.effort, painful, next_day, worst, S.local_date)
        .where(S.user_id == bindparam("user_id"))
        .order_by(*newest_first)
        .limit(bindparam("limit")),
        "since": db.select(S.pain_before, S.pain_after, S.effort, painful, next_day, worst, S.local_date)
        .join(Program, Program.id == S.program_id)
        .where(S.user_id == bindparam("user_id"), S.local_date >= bindparam("since"),
               Program.family == bindparam("family"))
        .order_by(S.completed_at, S.id),
        "worsening": db.select(S.pain_before, S.pain_after, S.effort, S.local_date).where(
            S.user_id == bindparam("user_id"), S.local_date >= bindparam("since")
        ),
    }  # fmt: skip


def records_since(user_id: int, since: date, limit: int, family: str) -> list[SessionRecord]:
    """The user's newest sessions of one program's versions from a local date on, newest first, each with its
    exercises: two queries of plain rows."""
    statements = _statements()
    rows = db.session.execute(
        statements["records"], {"user_id": user_id, "since": since, "limit": limit, "family": family}
    ).all()
    done: dict[int, list[ExerciseDone]] = {row.id: [] for row in rows}
    if done:
        for session_id, *facts in db.session.execute(statements["done"], {"ids": list(done)}):
            done[session_id].append(ExerciseDone(*facts))
    return [SessionRecord(*row, exercises=tuple(done[row.id])) for row in rows]


def _outcomes(rows) -> list[rules.Outcome]:
    return [
        rules.Outcome(before, after, effort, bool(hurt), morning, (during,), day)
        for before, after, effort, hurt, morning, during, day in rows
    ]


def newest_outcomes(user_id: int, limit: int = 3) -> list[rules.Outcome]:
    """The outcomes of the user's newest sessions, newest first, in one query (each exercise's rating only as the
    session's worst, which is all a light reads)."""
    return _outcomes(db.session.execute(_statements()["newest"], {"user_id": user_id, "limit": limit}))


def outcomes_since(user_id: int, since: date, family: str) -> list[rules.Outcome]:
    """The outcomes of the user's sessions of one program's versions from a local date on, oldest first, in one
    query: what a plan's weeks are judged from (each exercise's rating only as the session's worst)."""
    values = {"user_id": user_id, "since": since, "family": family}
    return _outcomes(db.session.execute(_statements()["since"], values))


def worsening(user_id: int, today: date) -> bool:
    """rules.worsening over the user's last two weeks of sessions: their days and pain before are all it reads."""
    since = today - timedelta(days=2 * rules.WEEK_DAYS - 1)
    rows = db.session.execute(_statements()["worsening"], {"user_id": user_id, "since": since})
    return rules.worsening(
        [rules.Outcome(before, after, effort, day=day) for before, after, effort, day in rows], today
    )
