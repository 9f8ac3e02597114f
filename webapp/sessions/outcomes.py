"""Stored sessions read as rules.Outcome: the one place that gathers what a light is judged from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

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
    user_id: int, since: date | None = None, limit: int | None = None, family: str | None = None
) -> list[CompletedSession]:
    """The user's sessions newest first (from a local date on, or the newest few; of one program's versions
    only, given its family), exercises loaded."""
    query = (
        db.select(CompletedSession)
        .where(CompletedSession.user_id == user_id)
        .order_by(CompletedSession.completed_at.desc(), CompletedSession.id.desc())
        .options(selectinload(CompletedSession.exercises).joinedload(SessionExercise.exercise))
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
    """The newest sessions with their outcomes, newest first."""
    sessions = sessions_since(user_id, limit=limit)
    return list(zip(sessions, outcomes_of(sessions), strict=True))


def worsening(user_id: int, today: date) -> bool:
    """rules.worsening over the user's last two weeks of sessions."""
    since = today - timedelta(days=2 * rules.WEEK_DAYS - 1)
    return rules.worsening(outcomes_of(sessions_since(user_id, since)), today)
