"""Stored sessions read as rules.Outcome: the one place that gathers what a light is judged from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import case, func
from sqlalchemy.orm import selectinload

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


def outcomes_of(sessions: Sequence[CompletedSession]) -> list[rules.Outcome]:
    """The outcome of each session, in the order given, with one query for the next-morning ratings."""
    next_day = next_day_pains([s.id for s in sessions])
    return [outcome(s, next_day.get(s.id)) for s in sessions]


def sessions_since(
    user_id: int, since: date | None = None, limit: int | None = None, family: str | None = None, named: bool = True
) -> list[CompletedSession]:
    """The user's sessions newest first (from a local date on, or the newest few; of one program's versions
    only, given its family), exercises loaded; named=False leaves each exercise's library entry unread (the rules
    need only its id, dose and ratings)."""
    exercises = selectinload(CompletedSession.exercises)
    query = (
        db.select(CompletedSession)
        .where(CompletedSession.user_id == user_id)
        .order_by(CompletedSession.completed_at.desc(), CompletedSession.id.desc())
        .options(
            exercises.joinedload(SessionExercise.exercise) if named else exercises.lazyload(SessionExercise.exercise)
        )
    )
    if since is not None:
        query = query.where(CompletedSession.local_date >= since)
    if family is not None:
        versions = db.select(Program.id).where(Program.family == family)
        query = query.where(CompletedSession.program_id.in_(versions))
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.execute(query).scalars())


def recent_outcomes(user_id: int, limit: int = 3) -> list[tuple[CompletedSession, rules.Outcome]]:
    """The newest sessions with their outcomes, newest first (their exercises' library entries left unread)."""
    sessions = sessions_since(user_id, limit=limit, named=False)
    return list(zip(sessions, outcomes_of(sessions), strict=True))


def outcomes_since(user_id: int, since: date, family: str) -> list[rules.Outcome]:
    """The outcomes of the user's sessions of one program's versions from a local date on, oldest first, in one
    query: what a plan's weeks are judged from (each exercise's rating only as the session's worst)."""
    S = CompletedSession
    painful, worst = any_painful(S.id), worst_during(S.id)
    next_day = (
        db.select(CheckIn.pain)
        .where(CheckIn.session_id == S.id, CheckIn.kind == "next-day")
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        db.select(S.pain_before, S.pain_after, S.effort, painful, next_day, worst, S.local_date)
        .join(Program, Program.id == S.program_id)
        .where(S.user_id == user_id, S.local_date >= since, Program.family == family)
        .order_by(S.completed_at, S.id)
    )
    return [
        rules.Outcome(before, after, effort, bool(hurt), morning, (during,), day)
        for before, after, effort, hurt, morning, during, day in rows
    ]


def worsening(user_id: int, today: date) -> bool:
    """rules.worsening over the user's last two weeks of sessions: their days and pain before are all it reads."""
    since = today - timedelta(days=2 * rules.WEEK_DAYS - 1)
    S = CompletedSession
    rows = db.session.execute(
        db.select(S.pain_before, S.pain_after, S.effort, S.local_date).where(
            S.user_id == user_id, S.local_date >= since
        )
    )
    return rules.worsening(
        [rules.Outcome(before, after, effort, day=day) for before, after, effort, day in rows], today
    )
