"""Everything a user owns, as one JSON document or as a spreadsheet of their sessions."""

from __future__ import annotations

import base64
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import selectinload

from ..auth.models import User
from ..builder.clinic import clinic_of
from ..builder.models import Clinic
from ..content.models import Exercise, ExerciseImage
from ..content.services import exercise_payload, lessons_read
from ..extensions import db
from ..messages.models import Message
from ..messages.services import message_payload, referenced_sessions
from ..programs.models import Assignment, Profile, Program, ProgramWeek, Routine, RoutineExercise
from ..programs.services import program_payload
from ..push.models import PushSubscription
from ..reminders import services as reminders
from ..sessions.models import CheckIn, FunctionActivity, MilestoneShown, RedFlagScreen
from ..sessions.outcomes import outcomes_of
from ..sessions.spreadsheet import sessions_of
from ..sessions.sync import session_payload
from ..timeutil import iso, iso_date, utcnow
from ..trainer.models import Invite

FORMAT = "coresteady-export"
FORMAT_VERSION = 1


def export_filename(extension: str, now: datetime | None = None) -> str:
    return f"coresteady-export-{(now or utcnow()):%Y-%m-%d}.{extension}"


def _rows(query) -> list:
    return list(db.session.execute(query).scalars())


def account_payload(user: User) -> dict:
    trainer = db.session.get(User, user.trainer_id) if user.trainer_id else None
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "timezone": user.timezone,
        "created_at": iso(user.created_at),
        "last_login_at": iso(user.last_login_at),
        "trainer": {"name": trainer.name, "email": trainer.email} if trainer else None,
    }


def profile_payload(profile: Profile | None) -> dict | None:
    if profile is None:
        return None
    # The calendar token is left out: it is a key, and an export file travels further than the account.
    return {
        "preferred_days": profile.day_list,
        "preferred_time": profile.preferred_time or None,
        "onboarded_at": iso(profile.onboarded_at),
        "birth_year": profile.birth_year,
        "pain_since": profile.pain_since,
        "floor": profile.floor,
        "activity_level": profile.activity_level,
        "has_calendar_link": bool(profile.calendar_token),
    }


def client_sections(user: User) -> dict:
    screens = _rows(db.select(RedFlagScreen).where(RedFlagScreen.user_id == user.id).order_by(RedFlagScreen.id))
    check_ins = _rows(db.select(CheckIn).where(CheckIn.user_id == user.id).order_by(CheckIn.id))
    activities = _rows(
        db.select(FunctionActivity)
        .where(FunctionActivity.user_id == user.id)
        .order_by(FunctionActivity.position, FunctionActivity.id)
        .options(selectinload(FunctionActivity.ratings))
    )
    assignments = _rows(
        db.select(Assignment)
        .where(Assignment.client_id == user.id)
        .order_by(Assignment.created_at, Assignment.id)
        .options(selectinload(Assignment.program))
    )
    thread = _rows(db.select(Message).where(Message.client_id == user.id).order_by(Message.written_at, Message.id))
    about = referenced_sessions(thread)
    sessions = sessions_of(user)
    uuids = {session.id: session.uuid for session in sessions}
    return {
        "profile": profile_payload(db.session.get(Profile, user.id)),
        "lessons_read": [{"lesson": slug, "read_at": iso(at)} for slug, at in sorted(lessons_read(user).items())],
        # The milestones Today has shown, each once ("first-session", "finished:<assignment id>", ...).
        "milestones_shown": [
            {"milestone": shown.key, "shown_at": iso(shown.shown_at)}
            for shown in _rows(
                db.select(MilestoneShown).where(MilestoneShown.user_id == user.id).order_by(MilestoneShown.id)
            )
        ],
        "red_flag_screens": [
            {
                "id": screen.uuid,
                "answered_at": iso(screen.answered_at),
                "signs": screen.signs,
                "outcome": screen.outcome,
                "assessed_on": screen.assessed_on.isoformat() if screen.assessed_on else None,
                "received_at": iso(screen.created_at),
            }
            for screen in screens
        ],
        "check_ins": [
            {
                "kind": check.kind,
                "pain": check.pain,
                "new_leg_symptoms": check.legs,
                "session_id": uuids.get(check.session_id),
                "created_at": iso(check.created_at),
            }
            for check in check_ins
        ],
        "function_activities": [
            {
                "name": activity.name,
                "position": activity.position,
                "ratings": [{"score": r.score, "rated_at": iso(r.rated_at)} for r in activity.ratings],
            }
            for activity in activities
        ],
        "assignments": [
            {
                "program": assignment.program.name,
                "program_family": assignment.family,
                "program_version": assignment.program.version,
                "start_date": iso_date(assignment.start_date),
                "is_active": assignment.is_active,
                "assigned_by_trainer": assignment.assigned_by_id is not None,
                "created_at": iso(assignment.created_at),
                "ended_at": iso(assignment.ended_at),
            }
            for assignment in assignments
        ],
        "sessions": [
            session_payload(session, outcome.light)
            for session, outcome in zip(sessions, outcomes_of(sessions), strict=True)
        ],
        # The whole thread with their trainers, oldest first: the trainers' notes moved into it.
        "messages": [message_payload(message, about) for message in thread],
    }


def custom_exercise_payload(exercise: Exercise, picture: ExerciseImage | None = None) -> dict:
    # The library's own shape, plus what only the exercise's author needs back: the picture they uploaded too,
    # as it was stored (base64), so the export alone can rebuild the exercise.
    return {
        **exercise_payload(exercise),
        "details": exercise.details,
        "is_active": exercise.is_active,
        "updated_at": iso(exercise.updated_at),
        "picture": _file(picture.mimetype, picture.sha256, picture.data) if picture is not None else None,
    }


def _file(content_type: str, sha256: str, data: bytes) -> dict:
    """A stored picture as the export carries it: its type, checksum and bytes (base64)."""
    return {"content_type": content_type, "sha256": sha256, "base64": base64.b64encode(data).decode("ascii")}


def clinic_payload(clinic: Clinic | None) -> dict | None:
    """The clinic's name and logo as the trainer's printouts show them."""
    if clinic is None:
        return None
    logo = _file(clinic.logo_mimetype, clinic.logo_sha256, clinic.logo) if clinic.logo is not None else None
    return {"name": clinic.name, "logo": logo}


def trainer_sections(user: User) -> dict:
    programs = _rows(
        db.select(Program)
        .where(Program.owner_id == user.id)
        .order_by(Program.family, Program.version)
        .options(
            selectinload(Program.weeks)
            .selectinload(ProgramWeek.routines)
            .selectinload(Routine.items)
            .joinedload(RoutineExercise.exercise)
        )
    )
    exercises = _rows(db.select(Exercise).where(Exercise.owner_id == user.id).order_by(Exercise.slug))
    pictures = {
        picture.exercise_id: picture
        for picture in _rows(
            db.select(ExerciseImage)
            .join(Exercise, Exercise.id == ExerciseImage.exercise_id)
            .where(Exercise.owner_id == user.id)
        )
    }
    clients = _rows(db.select(User).where(User.trainer_id == user.id).order_by(User.name, User.id))
    invites = _rows(db.select(Invite).where(Invite.trainer_id == user.id).order_by(Invite.id))
    written = db.session.execute(
        db.select(Message, User.email)
        .join(User, User.id == Message.client_id)
        .where(Message.trainer_id == user.id, Message.author == "trainer")
        .order_by(Message.written_at, Message.id)
    ).all()
    return {
        "programs": [
            {**program_payload(p), "is_current": p.is_current, "created_at": iso(p.created_at)} for p in programs
        ],
        "exercises": [custom_exercise_payload(exercise, pictures.get(exercise.id)) for exercise in exercises],
        "clinic": clinic_payload(clinic_of(user)),
        # Who the trainer coaches, but none of the clients' health data: that is theirs to export.
        "clients": [{"name": client.name, "email": client.email} for client in clients],
        # The trainer's own words to clients; the clients' replies are theirs to export.
        "messages_written": [{"to": email, **message_payload(message, {})} for message, email in written],
        "invites": [
            {
                "email": invite.email,
                "name": invite.name,
                "created_at": iso(invite.created_at),
                "expires_at": iso(invite.expires_at),
                "used_at": iso(invite.used_at),
                "revoked_at": iso(invite.revoked_at),
            }
            for invite in invites
        ],
    }


def export_document(user: User, now: datetime | None = None) -> dict:
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso(now or utcnow()),
        "account": account_payload(user),
    }
    document.update(trainer_sections(user) if user.is_trainer else client_sections(user))
    document.update(push_sections(user))
    return document


def push_sections(user: User) -> dict:
    """Reminder settings and the browsers subscribed to pushes. An endpoint is left out, as the calendar token is:
    whoever holds it can send to that browser; its push service's address is enough to recognise it."""
    subscriptions = _rows(
        db.select(PushSubscription).where(PushSubscription.user_id == user.id).order_by(PushSubscription.id)
    )
    sections: dict = {
        "push_subscriptions": [
            {
                "push_service": urlsplit(row.endpoint).hostname,
                "created_at": iso(row.created_at),
                "last_sent_at": iso(row.last_sent_at),
            }
            for row in subscriptions
        ]
    }
    if user.is_client:
        sections["reminders"] = reminders.payload(user)
    return sections
