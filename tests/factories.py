"""Test data that reads like the story: make_user("alex@example.com", trainer=coach)."""

from __future__ import annotations

from webapp.auth import services as accounts
from webapp.extensions import db

DEFAULT_PASSWORD = "correct-horse-battery"


def make_user(
    email: str,
    role: str = "client",
    name: str = "",
    password: str = DEFAULT_PASSWORD,
    trainer=None,
    timezone: str = "Europe/London",
):
    user = accounts.create_user(email, password, name or email.split("@")[0].title(), role, timezone)
    if trainer is not None:
        user.trainer_id = trainer.id
        db.session.commit()
    db.session.refresh(user)
    db.session.expunge(user)
    return user
