"""Program queries and the shapes the pages and the API share."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, true, update
from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..content.services import dose_text, register_kept
from ..extensions import db
from ..timeutil import WEEKDAYS, utcnow
from .duration import program_minutes
from .models import Assignment, Profile, Program, ProgramWeek, Routine, RoutineExercise

_FULL = (
    selectinload(Program.weeks)
    .selectinload(ProgramWeek.routines)
    .selectinload(Routine.items)
    .joinedload(RoutineExercise.exercise)
)


def visible_programs(user) -> list[Program]:
    """Current starter programs, plus a trainer's own current programs that are not archived."""
    owner = Program.owner_id.is_(None)
    if user is not None and getattr(user, "is_trainer", False):
        owner = or_(owner, Program.owner_id == user.id)
    query = (
        db.select(Program)
        .where(Program.is_current.is_(True), Program.archived_at.is_(None), owner)
        .options(_FULL)
        .order_by(Program.owner_id.is_not(None), Program.level, Program.name)
    )
    return list(db.session.execute(query).scalars())


def starter_program(slug: str) -> Program | None:
    query = db.select(Program).where(Program.family == slug, Program.owner_id.is_(None), Program.is_current.is_(True))
    return db.session.execute(query.options(_FULL)).scalar_one_or_none()


def item_payload(item) -> dict:
    """A routine item as the API gives it: a RoutineExercise, or a personal.Item (the client's own dose)."""
    exercise = item.exercise
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "kind": exercise.kind,
        "sets": item.sets,
        "reps": item.reps,
        "hold_seconds": item.hold_seconds,
        "rest_seconds": item.rest_seconds,
        "tempo": item.tempo,
        "note": item.note,
        "per_side": exercise.per_side,
        "dose": dose_text(item.sets, item.reps, item.hold_seconds, exercise.kind, exercise.per_side, item.rest_seconds),
        "own": bool(getattr(item, "own", False)),
    }


def routine_payload(routine: Routine, items=None) -> dict:
    """items: the client's own (programs.personal.items_for); without them, the program's."""
    return {
        "id": routine.id,
        "name": routine.name,
        "days": routine.day_list,
        "exercises": [item_payload(item) for item in (routine.items if items is None else items)],
    }


def program_payload(program: Program) -> dict:
    return program_summary(program) | {
        "weeks": [
            {"number": week.number, "focus": week.focus, "routines": [routine_payload(r) for r in week.routines]}
            for week in program.weeks
        ],
    }


def program_summary(program: Program) -> dict:
    """program_payload without its weeks."""
    return {
        "id": program.id,
        "family": program.family,
        "version": program.version,
        "slug": program.slug,
        "name": program.name,
        "summary": program.summary,
        "goal": program.goal,
        "audience": program.audience,
        "level": program.level,
        # The longest session, as the player times it from the doses (programs/duration.py).
        "minutes_per_session": program_minutes(program)[1],
        "sessions_per_week": program.sessions_per_week,
        "progression": program.progression,
        "starter": program.is_starter,
    }


def active_assignment(user) -> Assignment | None:
    query = (
        db.select(Assignment)
        .where(Assignment.client_id == user.id, Assignment.is_active.is_(True))
        .order_by(Assignment.created_at.desc())
        .options(
            selectinload(Assignment.program)
            .selectinload(Program.weeks)
            .selectinload(ProgramWeek.routines)
            .selectinload(Routine.items)
            .joinedload(RoutineExercise.exercise)
        )
    )
    return db.session.execute(query).scalars().first()


def assign(client, program: Program, start_date: date, by=None, commit: bool = True) -> Assignment:
    """Make this program the client's plan from start_date; any earlier plan ends (and stays in history).

    commit=False leaves the transaction open, so a caller assigning to several clients writes all or none.
    """
    for old in db.session.execute(
        db.select(Assignment).where(Assignment.client_id == client.id, Assignment.is_active.is_(True))
    ).scalars():
        old.is_active = False
        old.ended_at = utcnow()
    assignment = Assignment(
        client_id=client.id,
        family=program.family,
        program_id=program.id,
        start_date=start_date,
        assigned_by_id=by.id if by is not None else None,
        days=db.session.scalar(db.select(Profile.preferred_days).where(Profile.user_id == client.id)) or "",
    )
    db.session.add(assignment)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return assignment


def profile_of(user) -> Profile:
    """The user's profile, made empty on first need (onboarding and the settings page fill it in)."""
    profile = db.session.get(Profile, user.id)
    if profile is None:
        profile = Profile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def set_training_days(profile: Profile, days: list[str]) -> None:
    """Keep the client's days, in week order, and move their current plan onto them."""
    profile.preferred_days = ",".join(day for day in WEEKDAYS if day in days)
    db.session.execute(
        db.update(Assignment)
        .where(Assignment.client_id == profile.user_id, Assignment.is_active.is_(True))
        .values(days=profile.preferred_days)
    )


def follows_new_versions(owner_id: int | None):
    """Which active assignments move on to each new version of a program of this owner.

    Every one of a starter program's. Of a trainer's program, only those of the trainer's own clients now: a
    client who left (or was removed, or whose trainer is another now) keeps the version they had. A version
    someone follows is never changed in place (builder.editing), so the former trainer can no longer change
    what that client follows.
    """
    if owner_id is None:
        return true()
    return Assignment.client_id.in_(db.select(User.id).where(User.trainer_id == owner_id))


def move_followers(program: Program, version: Program) -> tuple[int, int]:
    """Point the active assignments of `program`'s family that follow new versions at `version`.

    Returns how many moved and how many stayed on the version they had (the owner's former clients)."""
    family = Assignment.family == program.family, Assignment.is_active.is_(True)
    moved = db.session.execute(
        update(Assignment).where(*family, follows_new_versions(program.owner_id)).values(program_id=version.id)
    ).rowcount
    kept = db.session.execute(
        db.select(db.func.count(Assignment.id)).where(*family, Assignment.program_id != version.id)
    ).scalar()
    return moved or 0, kept or 0


def follow_current_versions() -> None:
    """Point every active assignment that follows new versions (follows_new_versions) at the newest version of
    its program (after a content reload)."""
    current = {
        (p.family, p.owner_id): p.id
        for p in db.session.execute(db.select(Program).where(Program.is_current.is_(True))).scalars()
    }
    query = (
        db.select(Assignment, Program.owner_id, User.trainer_id)
        .join(Program, Program.id == Assignment.program_id)
        .join(User, User.id == Assignment.client_id)
        .where(Assignment.is_active.is_(True))
    )
    for assignment, owner, coach in db.session.execute(query).all():
        newest = current.get((assignment.family, owner))
        if newest and newest != assignment.program_id and (owner is None or coach == owner):
            assignment.program_id = newest


def kept_exercise_ids(client_id):
    """The exercises of every program this client follows or followed (any version): what their plans hold, even
    once the trainer who made them has gone. client_id: a number, or a bound parameter."""
    families = db.select(Assignment.family).where(Assignment.client_id == client_id)
    return (
        db.select(RoutineExercise.exercise_id)
        .join(Routine, Routine.id == RoutineExercise.routine_id)
        .join(Program, Program.id == Routine.program_id)
        .where(Program.family.in_(families))
    )


def register_kept_exercises(app) -> None:
    register_kept(app, kept_exercise_ids)
