"""Reminder settings: read without writing (GET never writes), changed field by field, checked whole first."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field, StrictBool, StrictStr, ValidationError, model_validator

from ..extensions import db
from ..inputs import JSONBody
from ..programs.models import Profile
from .models import ReminderSetting

DEFAULT_TIME = "08:00"
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


# The one model that checks the body of PUT /api/v1/reminders (inputs.read_body) and that documents it.
class RemindersChange(JSONBody):
    """Any of the settings; at least one."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})
    shape: ClassVar[str] = 'Send a JSON object with any of "enabled", "time" and "email".'
    help: ClassVar[dict[str, str]] = {
        "enabled": "must be true or false",
        "email": "must be true or false",
        "time": 'must be a time of day as HH:MM on the 24-hour clock, such as "07:30" or "18:00"',
    }

    enabled: StrictBool = None  # type: ignore[assignment]  # absent, not null: left as it is
    time: Annotated[StrictStr, Field(pattern=TIME_PATTERN)] = None  # type: ignore[assignment]
    email: StrictBool = Field(None, description="Also by email.")  # type: ignore[assignment]

    @model_validator(mode="after")
    def _at_least_one(self) -> RemindersChange:
        if not self.model_fields_set:
            raise ValueError('send at least one of "enabled", "time" and "email"')
        return self


def setting_of(user) -> ReminderSetting | None:
    return db.session.get(ReminderSetting, user.id)


def preferred_time(user_id: int) -> str:
    """The time onboarding asked for, else 08:00: where reminders start until the reminders card sets one."""
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


def update(user, change: RemindersChange) -> dict:
    """Apply the changes (the caller commits) and answer as GET does."""
    changes = change.model_dump(include=change.model_fields_set)
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


def from_form(form) -> RemindersChange | None:
    """The card's plain form, sent without JavaScript: its three fields, checked by the model PUT's body is, or None
    if the time is not a time of day. An unticked checkbox is not sent at all, so what is missing is off."""
    try:
        return RemindersChange(
            enabled=form.get("enabled") == "on", time=form.get("time", ""), email=form.get("email") == "on"
        )
    except ValidationError:
        return None


def saved_words(settings: dict) -> str:
    """What the plain form says once saved. A browser without JavaScript cannot sign up for notifications, so
    reminders on without email would reach only the person's other browsers (or none): it says so."""
    if not settings["enabled"]:
        return "Saved: reminders off."
    if settings["email"]:
        return f"Saved: reminders on at {settings['time']}, by email too."
    return (
        f"Saved: reminders on at {settings['time']}. This browser shows them only with JavaScript on; tick "
        '"Also by email" to get them without it.'
    )


def turn_on(user, email: bool = False) -> None:
    """Reminders on at the preferred time (the demo client has them)."""
    update(user, RemindersChange(enabled=True, email=email))
