"""The user account, shared by clients and trainers."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, bindparam
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow

ROLES = ("client", "trainer")


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('client', 'trainer')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10), default="client")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Part of the login cookie: changing it (new password, reset) logs out every other device.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    trainer: Mapped[User | None] = relationship(remote_side=[id], foreign_keys=[trainer_id])

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_trainer(self) -> bool:
        return self.role == "trainer"

    @property
    def is_client(self) -> bool:
        return self.role == "client"

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else self.email.split("@")[0]


def load_user(login_id: str) -> User | None:
    user_id, _, token = login_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.execute(_by_id(), {"id": int(user_id)}).scalar_one_or_none()
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


@cache
def _by_id():
    """load_user's statement, built once: every signed-in request runs it first, and this costs about a third less
    than Session.get, which finds nothing in a request's fresh session anyway."""
    return db.select(User).where(User.id == bindparam("id"))
