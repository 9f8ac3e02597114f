"""The demo accounts of DESIGN.md, so a newcomer can try both sides of the app at once."""

from __future__ import annotations

from .auth import services as accounts
from .auth.models import User
from .extensions import db

DEMO_PASSWORD = "demo-pass-123"
DEMO_USERS = [
    {"email": "coach@example.com", "name": "Casey Coach", "role": "trainer", "trainer": None},
    {"email": "coach2@example.com", "name": "Robin Physio", "role": "trainer", "trainer": None},
    {"email": "alex@example.com", "name": "Alex Morgan", "role": "client", "trainer": "coach@example.com"},
    {"email": "sam@example.com", "name": "Sam Patel", "role": "client", "trainer": "coach@example.com"},
    {"email": "jo@example.com", "name": "Jo Lindqvist", "role": "client", "trainer": "coach2@example.com"},
]


def seed() -> int:
    """Create whatever demo account is missing and link clients to their trainers. Returns how many were new."""
    created = 0
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        user = accounts.find_user(spec["email"])
        if user is None:
            user = accounts.create_user(spec["email"], DEMO_PASSWORD, spec["name"], spec["role"], "Europe/London")
            created += 1
        users[spec["email"]] = user
    for spec in DEMO_USERS:
        if spec["trainer"]:
            users[spec["email"]].trainer_id = users[spec["trainer"]].id
    db.session.commit()
    return created
