"""Deleting an account and everything it owns, in an order that SQLite and PostgreSQL both accept.

The rows are deleted explicitly, children first, rather than left to ON DELETE CASCADE alone: sessions
point at routines and programs without a cascade, so a trainer's program that a client used must be
kept (detached from the trainer) or the delete would fail half-way. Any table added later that points at
users with ON DELETE CASCADE is still emptied by the final delete of the user row.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auth.models import User
from ..builder.clinic import clinic_of
from ..content.models import Exercise, ExerciseImage, ExerciseMuscle
from ..extensions import db
from ..messages.models import Message
from ..programs.models import Assignment, Profile, Program, ProgramWeek, Routine, RoutineExercise
from ..push.models import PushSubscription
from ..reminders.models import ReminderSetting
from ..sessions.models import (
    CheckIn,
    CompletedSession,
    FunctionActivity,
    FunctionRating,
    MilestoneShown,
    RedFlagScreen,
    SessionExercise,
)
from ..trainer import parting
from ..trainer.models import DashboardSummary, Invite


@dataclass(frozen=True)
class OwnedContent:
    """A user's own programs and exercises, split into what can go and what others still use."""

    programs_deleted: frozenset[int]
    programs_kept: frozenset[int]
    exercises_deleted: frozenset[int]
    exercises_kept: frozenset[int]


def _ids(query) -> set[int]:
    return set(db.session.execute(query).scalars())


def _count(query) -> int:
    return db.session.execute(query).scalar() or 0


def owned_content(user: User) -> OwnedContent:
    """Which of the user's programs and exercises someone else's session, plan or program still refers to."""
    programs = _ids(db.select(Program.id).where(Program.owner_id == user.id))
    exercises = _ids(db.select(Exercise.id).where(Exercise.owner_id == user.id))
    others = CompletedSession.user_id != user.id
    in_use = set()
    if programs:
        in_use |= _ids(db.select(CompletedSession.program_id).where(others, CompletedSession.program_id.in_(programs)))
        in_use |= _ids(
            db.select(Routine.program_id)
            .join(CompletedSession, CompletedSession.routine_id == Routine.id)
            .where(others, Routine.program_id.in_(programs))
        )
        # A client's plan (current or past) keeps the program it follows, so the client is not left without one.
        in_use |= _ids(
            db.select(Assignment.program_id).where(Assignment.client_id != user.id, Assignment.program_id.in_(programs))
        )
    doomed_programs = programs - in_use
    used_exercises = set()
    if exercises:
        used_exercises |= _ids(
            db.select(SessionExercise.exercise_id)
            .join(CompletedSession, CompletedSession.id == SessionExercise.session_id)
            .where(others, SessionExercise.exercise_id.in_(exercises))
        )
        used_exercises |= _ids(
            db.select(RoutineExercise.exercise_id)
            .join(Routine, Routine.id == RoutineExercise.routine_id)
            .where(Routine.program_id.not_in(doomed_programs), RoutineExercise.exercise_id.in_(exercises))
        )
    return OwnedContent(
        programs_deleted=frozenset(doomed_programs),
        programs_kept=frozenset(in_use),
        exercises_deleted=frozenset(exercises - used_exercises),
        exercises_kept=frozenset(used_exercises),
    )


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def what_goes(user: User) -> list[str]:
    """The delete page's list, in plain words, of what deleting this account removes."""
    lines = [
        "Your account: name, email address, password and settings.",
        "Your reminder settings, and every browser signed up for notifications.",
    ]
    if user.is_client:
        session_ids = db.select(CompletedSession.id).where(CompletedSession.user_id == user.id)
        sessions = _count(db.select(db.func.count()).select_from(session_ids.subquery()))
        done = _count(db.select(db.func.count(SessionExercise.id)).where(SessionExercise.session_id.in_(session_ids)))
        check_ins = _count(db.select(db.func.count(CheckIn.id)).where(CheckIn.user_id == user.id))
        screens = _count(db.select(db.func.count(RedFlagScreen.id)).where(RedFlagScreen.user_id == user.id))
        activity_ids = db.select(FunctionActivity.id).where(FunctionActivity.user_id == user.id)
        activities = _count(db.select(db.func.count()).select_from(activity_ids.subquery()))
        ratings = _count(
            db.select(db.func.count(FunctionRating.id)).where(FunctionRating.activity_id.in_(activity_ids))
        )
        plans = _count(db.select(db.func.count(Assignment.id)).where(Assignment.client_id == user.id))
        messages = _count(db.select(db.func.count(Message.id)).where(Message.client_id == user.id))
        lines += [
            f"{_plural(sessions, 'session')} with {_plural(done, 'exercise')} done in them, "
            "including your pain and effort ratings and notes.",
            f"{_plural(check_ins, 'pain check-in')} and {_plural(screens, 'answer')} to the safety questions.",
            f"{_plural(activities, 'everyday activity', 'everyday activities')} you rate, "
            f"with {_plural(ratings, 'rating')}.",
            f"{_plural(plans, 'program')} you followed, and your reminder days and time.",
            "Your calendar link: calendars subscribed to it stop getting updates.",
        ]
        if messages:
            lines.append(f"{_plural(messages, 'message')} between you and your trainer, both sides.")
        trainer = db.session.get(User, user.trainer_id) if user.trainer_id else None
        if trainer is not None:
            clinic = clinic_of(trainer)
            at = f" at {clinic.name}" if clinic is not None and clinic.name else ""
            lines.append(
                f"Your link to {trainer.name}{at}: they no longer see anything of yours, and you leave their list of "
                "clients. No message about it is sent to them."
            )
    if user.is_trainer:
        owned = owned_content(user)
        clients = _count(db.select(db.func.count(User.id)).where(User.trainer_id == user.id))
        lines.append(
            "The messages you wrote to clients, and your invitations. What clients wrote to you stays in their "
            "own record."
        )
        if owned.programs_deleted:
            lines.append(f"{_plural(len(owned.programs_deleted), 'program')} you made.")
        if owned.programs_kept:
            lines.append(
                f"{_plural(len(owned.programs_kept), 'program')} that clients followed or did sessions from "
                "stay, without your name, so their history still shows what they did; "
                "they are no longer offered to anyone new."
            )
        if owned.exercises_deleted:
            lines.append(f"{_plural(len(owned.exercises_deleted), 'exercise')} you added to the library.")
        if owned.exercises_kept:
            lines.append(
                f"{_plural(len(owned.exercises_kept), 'exercise')} that clients' sessions or programs name "
                "stay hidden from the library, for the same reason."
            )
        if clients:
            lines.append(
                f"Your link to your {_plural(clients, 'client')}: they keep their accounts and all their data, "
                "and can go on without a trainer. Each is told by email that you no longer follow their sessions."
            )
    return lines


def _tell_clients(trainer: User) -> None:
    """A trainer's clients hear that no one follows their sessions now. A client who closes their account leaves no
    message naming them behind: their trainer sees them gone from the dashboard."""
    for client in db.session.execute(db.select(User).where(User.trainer_id == trainer.id)).scalars():
        parting.tell_removed_client(client, trainer, closed_account=True)


def _delete(model, *where) -> int:
    result = db.session.execute(db.delete(model).where(*where).execution_options(synchronize_session=False))
    return result.rowcount or 0


def _update(model, values: dict, *where) -> int:
    statement = db.update(model).where(*where).values(**values).execution_options(synchronize_session=False)
    return db.session.execute(statement).rowcount or 0


def delete_account(user: User) -> dict[str, int]:
    """Delete the user and all their data in one transaction; returns how many rows of each kind went."""
    uid = user.id
    counts: dict[str, int] = {}
    try:
        sessions = db.select(CompletedSession.id).where(CompletedSession.user_id == uid)
        # Both sides of the client's thread: it is their record.
        counts["messages"] = _delete(Message, Message.client_id == uid)
        activities = db.select(FunctionActivity.id).where(FunctionActivity.user_id == uid)
        counts["check_ins"] = _delete(CheckIn, CheckIn.user_id == uid)
        counts["session_exercises"] = _delete(SessionExercise, SessionExercise.session_id.in_(sessions))
        counts["sessions"] = _delete(CompletedSession, CompletedSession.user_id == uid)
        counts["function_ratings"] = _delete(FunctionRating, FunctionRating.activity_id.in_(activities))
        counts["function_activities"] = _delete(FunctionActivity, FunctionActivity.user_id == uid)
        counts["red_flag_screens"] = _delete(RedFlagScreen, RedFlagScreen.user_id == uid)
        counts["milestones_shown"] = _delete(MilestoneShown, MilestoneShown.user_id == uid)
        counts["assignments"] = _delete(Assignment, Assignment.client_id == uid)
        counts["profiles"] = _delete(Profile, Profile.user_id == uid)
        counts["reminder_settings"] = _delete(ReminderSetting, ReminderSetting.user_id == uid)
        counts["push_subscriptions"] = _delete(PushSubscription, PushSubscription.user_id == uid)
        # Derived from the rows above; it would go with the account anyway (ON DELETE CASCADE).
        _delete(DashboardSummary, DashboardSummary.client_id == uid)
        # The invite is the trainer's record, but the name and address in it are this person's.
        _update(Invite, {"used_by_id": None, "email": "", "name": ""}, Invite.used_by_id == uid)

        # A trainer's clients are told, in this transaction (trainer/parting.py).
        _tell_clients(user)
        # A trainer's traces in other people's accounts: links are cut, the clients' own data stays.
        counts["clients_unlinked"] = _update(User, {"trainer_id": None}, User.trainer_id == uid)
        _update(Assignment, {"assigned_by_id": None}, Assignment.assigned_by_id == uid)
        counts["messages_written"] = _delete(Message, Message.trainer_id == uid, Message.author == "trainer")
        _update(Message, {"trainer_id": None}, Message.trainer_id == uid)
        counts["invites"] = _delete(Invite, Invite.trainer_id == uid)

        owned = owned_content(user)
        if owned.programs_kept:
            # Owner NULL and not current: out of every list, still there for the history that names it.
            _update(Program, {"owner_id": None, "is_current": False}, Program.id.in_(owned.programs_kept))
        if owned.programs_deleted:
            doomed = list(owned.programs_deleted)
            routines = db.select(Routine.id).where(Routine.program_id.in_(doomed))
            _delete(RoutineExercise, RoutineExercise.routine_id.in_(routines))
            _delete(Routine, Routine.program_id.in_(doomed))
            _delete(ProgramWeek, ProgramWeek.program_id.in_(doomed))
            _delete(Program, Program.id.in_(doomed))
        if owned.exercises_kept:
            # Inactive with no owner: the library hides it, and a content reload leaves it inactive.
            _update(Exercise, {"owner_id": None, "is_active": False}, Exercise.id.in_(owned.exercises_kept))
        if owned.exercises_deleted:
            doomed = list(owned.exercises_deleted)
            _delete(ExerciseMuscle, ExerciseMuscle.exercise_id.in_(doomed))
            _delete(ExerciseImage, ExerciseImage.exercise_id.in_(doomed))
            _delete(Exercise, Exercise.id.in_(doomed))
        counts["programs_deleted"], counts["programs_kept"] = len(owned.programs_deleted), len(owned.programs_kept)
        counts["exercises_deleted"], counts["exercises_kept"] = len(owned.exercises_deleted), len(owned.exercises_kept)

        counts["users"] = _delete(User, User.id == uid)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return counts
