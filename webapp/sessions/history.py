"""What the history page shows: sessions with their lights, progress points, function ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..timeutil import local_date
from . import outcomes, progress, rules
from .models import CheckIn, CompletedSession, FunctionActivity, FunctionRating, SessionExercise
from .services import sessions_newest_first

PAGE_SIZE = 20


def session_points(user_id: int) -> list[progress.SessionPoint]:
    query = (
        db.select(
            CompletedSession.local_date,
            CompletedSession.pain_before,
            CompletedSession.pain_after,
            CompletedSession.effort,
        )
        .where(CompletedSession.user_id == user_id)
        .order_by(CompletedSession.completed_at, CompletedSession.id)
    )
    return [progress.SessionPoint(*row) for row in db.session.execute(query)]


def baseline_check_in(user_id: int) -> int | None:
    query = (
        db.select(CheckIn.pain)
        .where(CheckIn.user_id == user_id, CheckIn.kind == "baseline")
        .order_by(CheckIn.created_at, CheckIn.id)
        .limit(1)
    )
    return db.session.execute(query).scalar()


def function_activities(user_id: int) -> list[FunctionActivity]:
    query = (
        db.select(FunctionActivity)
        .where(FunctionActivity.user_id == user_id)
        .order_by(FunctionActivity.position, FunctionActivity.id)
        .options(selectinload(FunctionActivity.ratings))
    )
    return list(db.session.execute(query).scalars())


def activity_trend(activity: FunctionActivity, timezone: str) -> progress.ActivityTrend:
    return progress.ActivityTrend(
        activity.name, [(local_date(r.rated_at, timezone), r.score) for r in activity.ratings]
    )


@dataclass(frozen=True)
class SessionRow:
    """One session as the list shows it, with the light the traffic-light rule gives it."""

    session: CompletedSession
    next_day_pain: int | None

    @property
    def outcome(self) -> rules.Outcome:
        return outcomes.outcome(self.session, self.next_day_pain)

    @property
    def light(self) -> rules.Light:
        return self.outcome.light

    @property
    def exercises(self) -> list[tuple[SessionExercise, str]]:
        return [
            (e, progress.done_text(e.exercise.kind, e.sets_done, e.reps_done, e.hold_seconds, e.exercise.per_side))
            for e in self.session.exercises
        ]


def session_page(user_id: int, page: int) -> tuple[list[SessionRow], bool]:
    """A page of sessions, newest first, and whether there is a next one."""
    sessions, more = sessions_newest_first(user_id, page, PAGE_SIZE)
    next_day = outcomes.next_day_pains([s.id for s in sessions])
    return [SessionRow(s, next_day.get(s.id)) for s in sessions], more


def rate_functions(activities: list[FunctionActivity], scores: dict[int, int], now: datetime) -> None:
    """One new rating for every activity, all at the same moment."""
    db.session.add_all(FunctionRating(activity_id=a.id, score=scores[a.id], rated_at=now) for a in activities)
    db.session.commit()
