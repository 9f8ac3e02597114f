"""Account rules in plain functions: normalising emails, creating users, reset tokens."""

from __future__ import annotations

import secrets
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..timeutil import is_known_zone
from .models import ROLES, User, new_session_token

MIN_PASSWORD = 10
MAX_PASSWORD = 200


class AccountError(ValueError):
    """A request about an account that cannot be granted; the message is safe to show."""


def normalise_email(raw: str) -> str:
    """Lower-cased and checked for shape (never for deliverability: no network at run time)."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError("Enter a valid email address, like name@example.com.") from exc
    return result.normalized.lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters for your password.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters for your password.")


def find_user(email: str) -> User | None:
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()


def create_user(email: str, password: str, name: str = "", role: str = "client", timezone: str = "UTC") -> User:
    """Create and commit a user, or raise AccountError without writing anything."""
    email = normalise_email(email)
    check_password_rules(password)
    if role not in ROLES:
        raise AccountError(f"Role must be one of: {', '.join(ROLES)}.")
    name = (name or "").strip()[:80] or email.split("@")[0]
    user = User(email=email, name=name, role=role, timezone=timezone if is_known_zone(timezone) else "UTC")
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise AccountError("An account with this email already exists. Log in, or reset your password.") from exc
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        # Spend the same time as a real check, so timing does not tell which emails exist.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    return user if user.check_password(password) else None


@lru_cache(maxsize=2)
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_hex(8), method=method)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def reset_token(user: User) -> str:
    # The session token changes when the password does, so a used link stops working.
    return _serializer().dumps({"uid": user.id, "st": user.session_token})


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data.get("uid"), int) else None
    if user is None or user.session_token != data.get("st"):
        return None
    return user


def change_password(user: User, new_password: str) -> None:
    check_password_rules(new_password)
    user.set_password(new_password)
    db.session.commit()


def end_every_login(user: User) -> None:
    """Log out: a new token in the login cookie ends this login everywhere it was copied, the 60-day remember
    cookie included, and so the person's other devices too (the simpler, safer choice: a phone's outbox keeps
    what waits and asks to log in again, so nothing is lost)."""
    user.session_token = new_session_token()
    db.session.commit()
