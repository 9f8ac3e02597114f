"""Account settings in plain functions: the profile, the time zone, reminder days and time, the calendar link."""

from __future__ import annotations

import re
import secrets
from datetime import datetime

from ..auth.models import User
from ..extensions import db
from ..programs.models import Profile
from ..programs.services import profile_of, set_training_days
from ..timeutil import WEEKDAYS, is_known_zone, utcnow, zone

# 36 random bytes make 48 URL-safe characters: the column's width, and far beyond guessing.
TOKEN_BYTES = 36
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{48,}")

# The zones most people pick; anyone else keeps theirs, since it is always added to the list.
COMMON_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Perth",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
)


class SettingsError(ValueError):
    """A setting that cannot be saved; the message is safe to show."""


def zone_label(name: str, now: datetime) -> str:
    offset = now.astimezone(zone(name)).strftime("%z")
    return f"{name.replace('_', ' ')} (UTC{offset[:3]}:{offset[3:]})"


def zone_choices(current: str, now: datetime | None = None) -> list[tuple[str, str]]:
    """The common zones with their offset today, plus the user's own zone when it is not among them."""
    now = now or utcnow()
    names = list(COMMON_ZONES)
    if current and current not in names and is_known_zone(current):
        names.insert(0, current)
    return [(name, zone_label(name, now)) for name in names]


def saved_profile(user: User) -> Profile | None:
    """The user's profile if one was ever saved; reading it never makes one."""
    return db.session.get(Profile, user.id)


def update_settings(user: User, name: str, timezone: str, days: list[str] | None) -> None:
    """Save what the account page sends; the days only for clients. Raises SettingsError, writing nothing."""
    name = (name or "").strip()
    if not name:
        raise SettingsError("Tell us what to call you.")
    if not is_known_zone(timezone or ""):
        raise SettingsError("Choose a time zone from the list.")
    if user.is_client:
        days = days or []
        if any(day not in WEEKDAYS for day in days):
            raise SettingsError("Choose days from the list.")
    user.name = name[:80]
    user.timezone = timezone
    if user.is_client:
        profile = profile_of(user)
        set_training_days(profile, days)
    db.session.commit()


def new_calendar_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def replace_calendar_token(user: User) -> str:
    """A new token: the old feed URL stops working at once."""
    profile = profile_of(user)
    profile.calendar_token = new_calendar_token()
    db.session.commit()
    return profile.calendar_token


def user_for_calendar_token(token: str) -> User | None:
    # The empty default must never match, and a malformed token need not reach the database.
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    query = db.select(User).join(Profile, Profile.user_id == User.id).where(Profile.calendar_token == token)
    user = db.session.execute(query).scalars().first()
    if user is None or not user.is_client:
        return None
    return user
