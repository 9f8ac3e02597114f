"""Reminder settings: read without writing (GET never writes), changed field by field, checked whole first."""

from __future__ import annotations

import re

from ..extensions import db
from ..programs.models import Profile
from .models import ReminderSetting

DEFAULT_TIME = "08:00"
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
FIELDS = ("enabled", "time", "email")


class SettingsError(ValueError):
    """What was sent cannot be saved; the message says what to change."""


def setting_of(user) -> ReminderSetting | None:
    return db.session.get(ReminderSetting, user.id)


def preferred_time(user_id: int) -> str:
    """The time onboarding (or the settings page) asked for, else 08:00: where reminders start."""
    profile = db.session.get(Profile, user_id)
    chosen = profile.preferred_time if profile else ""
    return chosen if chosen and TIME.fullmatch(chosen) else DEFAULT_TIME


def reminder_time(setting: ReminderSetting | None, user_id: int) -> str:
    if setting is not None and setting.time:
        return setting.time
    return preferred_time(user_id)


def payload(user) -> dict:
    """What GET /api/v1/reminders answers (DESIGN.md): {"enabled", "time", "timezone", "email"}."""
    setting = setting_of(user)
    return {
        "enabled": bool(setting and setting.enabled),
        "time": reminder_time(setting, user.id),
        "timezone": user.timezone,
        "email": bool(setting and setting.email),
    }


def parse_changes(body) -> dict:
    """The fields to change, each checked; a SettingsError names the first that cannot be taken."""
    if not isinstance(body, dict):
        raise SettingsError('The body must be JSON with any of "enabled", "time" and "email".')
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise SettingsError(f"Reminders have no setting called {', '.join(unknown)}; use enabled, time or email.")
    if not body:
        raise SettingsError('Send at least one of "enabled", "time" and "email".')
    for name in ("enabled", "email"):
        if name in body and not isinstance(body[name], bool):
            raise SettingsError(f"{name} must be true or false.")
    if "time" in body and not (isinstance(body["time"], str) and TIME.fullmatch(body["time"])):
        raise SettingsError('time must be a time of day as HH:MM on the 24-hour clock, such as "07:30" or "18:00".')
    return dict(body)


def update(user, body) -> dict:
    """Apply the changes (the caller commits) and answer as GET does."""
    changes = parse_changes(body)
    setting = setting_of(user)
    if setting is None:
        setting = ReminderSetting(user_id=user.id, enabled=False, time="", email=False)
        db.session.add(setting)
    for name, value in changes.items():
        setattr(setting, name, value)
    if "time" in changes or changes.get("enabled"):
        # A new time, or reminders turned back on: today is looked at afresh.
        setting.decided_on = None
    db.session.flush()
    return payload(user)


def turn_on(user, email: bool = False) -> None:
    """Reminders on at the preferred time (the demo client has them)."""
    update(user, {"enabled": True, "email": email})
