"""The client's own records: onboarding answers, check-ins and what they mean."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..inputs import whole_number
from ..programs.models import Profile
from ..programs.services import profile_of, set_training_days
from ..timeutil import utcnow
from .models import (
    CheckIn,
    CompletedSession,
    FunctionActivity,
    FunctionRating,
    SessionExercise,
)

PREFERRED_TIMES = ("06:30", "07:30", "08:30", "12:30", "17:30", "18:30", "19:30", "20:30")
MAX_ACTIVITIES = 3
MIN_AGE, MAX_AGE = 13, 110  # the years of birth accepted: anyone old enough to sign up, and a margin above


class InputError(ValueError):
    """Something the person entered cannot be used; the message says what to change."""


def birth_year_of(user) -> int | None:
    profile = db.session.get(Profile, user.id)
    return profile.birth_year if profile else None


def record_about(
    user,
    pain: int,
    activities: list[tuple[str, int]],
    days: list[str],
    time: str,
    birth_year: int | None = None,
    pain_since: str | None = None,
    floor: str | None = None,
    activity_level: str | None = None,
) -> None:
    """Baseline pain, up to three hard activities with a 0-10 rating each, preferred days and time, and
    (optionally) the year of birth the safety screen judges age-related signs by.

    The values are as forms.AboutForm reads and checks them; an activity already named (in any case) gets a new
    rating rather than a second row.
    """
    profile = profile_of(user)
    set_training_days(profile, days)
    profile.preferred_time = time
    if birth_year is not None:
        profile.birth_year = birth_year
    # The optional answers that choose the program offered first; one left out keeps what was said before.
    profile.pain_since = pain_since or profile.pain_since
    profile.floor = floor or profile.floor
    profile.activity_level = activity_level or profile.activity_level
    db.session.add(CheckIn(user_id=user.id, kind="baseline", pain=pain))
    existing = {
        a.name.lower(): a for a in db.session.execute(db.select(FunctionActivity).filter_by(user_id=user.id)).scalars()
    }
    for position, (name, score) in enumerate(activities):
        activity = existing.get(name.lower()) or FunctionActivity(user_id=user.id, name=name, position=position)
        activity.ratings.append(FunctionRating(score=score))
        db.session.add(activity)
    db.session.commit()


def finish_onboarding(user) -> None:
    profile = profile_of(user)
    if profile.onboarded_at is None:
        profile.onboarded_at = utcnow()
    db.session.commit()


def has_about(user) -> bool:
    query = db.select(CheckIn.id).where(CheckIn.user_id == user.id, CheckIn.kind == "baseline")
    return db.session.execute(query.limit(1)).first() is not None


@cache
def _next_day_open():
    """session_due_next_day_check's statement, built once (Today runs it on every visit)."""
    answered = db.select(CheckIn.session_id).where(CheckIn.kind == "next-day", CheckIn.session_id.is_not(None))
    return (
        db.select(CompletedSession)
        .where(
            CompletedSession.user_id == bindparam("user_id"),
            CompletedSession.local_date < bindparam("today"),
            CompletedSession.local_date >= bindparam("since"),
            CompletedSession.id.not_in(answered),
        )
        .order_by(CompletedSession.completed_at.desc())
        .limit(1)
        .options(joinedload(CompletedSession.routine))  # Today names it
    )


def session_due_next_day_check(user, today) -> CompletedSession | None:
    """The last session done yesterday (or the day before) whose next-morning check is still open."""
    values = {"user_id": user.id, "today": today, "since": today - timedelta(days=2)}
    return db.session.execute(_next_day_open(), values).scalars().first()


def record_next_day(user, session_uuid: str, pain: int, new_leg_symptoms: bool) -> CheckIn:
    """The next-morning check, as its form read it: how the back feels (0-10) and whether the legs have anything
    new, about one of the user's sessions."""
    session = db.session.execute(
        db.select(CompletedSession).filter_by(uuid=session_uuid, user_id=user.id)
    ).scalar_one_or_none()
    if session is None:
        raise InputError("That session was not found.")
    existing = db.session.execute(db.select(CheckIn).filter_by(session_id=session.id, kind="next-day")).scalar()
    if existing is not None:
        return existing
    check = CheckIn(user_id=user.id, kind="next-day", pain=pain, session_id=session.id, legs=new_leg_symptoms)
    db.session.add(check)
    db.session.commit()
    return check


MAX_PAGE = 100_000


def page_number(raw: str | None) -> int | None:
    """A page of a list counted from 1, or None when the text is not one."""
    return whole_number(raw, 1, MAX_PAGE)


def sessions_newest_first(user_id: int, page: int, size: int) -> tuple[list[CompletedSession], bool]:
    """One page of a user's sessions with their exercises loaded, and whether another page follows."""
    query = (
        db.select(CompletedSession)
        .where(CompletedSession.user_id == user_id)
        .order_by(CompletedSession.completed_at.desc(), CompletedSession.id.desc())
        .options(
            selectinload(CompletedSession.exercises).joinedload(SessionExercise.exercise),
            selectinload(CompletedSession.routine),
            selectinload(CompletedSession.program),
        )
        .offset((page - 1) * size)
        .limit(size + 1)
    )
    rows = list(db.session.execute(query).scalars())
    return rows[:size], len(rows) > size
