"""Test data that reads like the story: make_user("alex@example.com", trainer=coach)."""

from __future__ import annotations

from datetime import UTC, datetime

from webapp.auth import services as accounts
from webapp.extensions import db

DEFAULT_PASSWORD = "correct-horse-battery"


ACCOUNTS_MADE_AT = datetime(2025, 1, 1, tzinfo=UTC)


def make_user(
    email: str,
    role: str = "client",
    name: str = "",
    password: str = DEFAULT_PASSWORD,
    trainer=None,
    timezone: str = "Europe/London",
):
    user = accounts.create_user(email, password, name or email.split("@")[0].title(), role, timezone)
    # Made long before any moment a test moves the clock to: sessions cannot start before their account.
    user.created_at = ACCOUNTS_MADE_AT
    if trainer is not None:
        user.trainer_id = trainer.id
    db.session.commit()
    db.session.refresh(user)
    db.session.expunge(user)
    return user


def make_plan(client, slug: str = "gentle-start", *, start, by=None):
    """Assign a starter program to a client from the day `start` (a date: say which); returns the assignment."""
    from webapp.programs.services import assign, starter_program

    user = db.session.merge(client)
    return assign(user, starter_program(slug), start, by=db.session.merge(by) if by else None)


def first_routine_id(slug: str = "gentle-start") -> int:
    from webapp.programs.services import starter_program

    return starter_program(slug).weeks[0].routines[0].id


def session_payload(routine_id: int, /, *, ended=None, **overrides) -> dict:
    """A valid session as the phone would send it: 15 minutes long, ending at `ended` (default: an hour ago).

    "An hour ago" reads the clock, which the `clock` fixture sets; a test that cares about the day passes
    `ended`, or asks for `clock`.
    """
    import uuid
    from datetime import timedelta

    from webapp.timeutil import utcnow

    end = ended or utcnow() - timedelta(hours=1)
    payload = {
        "id": str(uuid.uuid4()),
        "routine_id": routine_id,
        "started_at": (end - timedelta(minutes=15)).isoformat(),
        "completed_at": end.isoformat(),
        "pain_before": 4,
        "pain_after": 3,
        "effort": 5,
        "notes": "",
        "exercises": [{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 5, "hold_seconds": 0, "painful": False}],
    }
    payload.update(overrides)
    return payload
