"""Onboarding's steps in order: the safety screen, then pain, hard activities, days and time, then a program."""

from __future__ import annotations

from ..extensions import db
from ..programs.models import Profile
from ..programs.services import active_assignment
from . import screens, services

# A starter program may begin today or on any day of the next two weeks.
START_WITHIN_DAYS = 14

# "About you" a screen at a time, each asking what belongs together: its title and the fields of
# forms.AboutForm it shows. Earlier answers travel on in the form (hidden), so nothing is stored
# until the last screen is sent, and the pages work without script.
ABOUT_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Your back today", ("pain", "pain_since")),
    ("Getting about", ("floor", "activity_level", "birth_year")),
    ("What your back makes hard", ("activity0", "score0", "activity1", "score1", "activity2", "score2")),
    ("Your week", ("days", "time")),
)
ABOUT_FIELDS = tuple(name for _, names in ABOUT_PARTS for name in names)


def about_part(raw) -> int | None:
    """The part (1 to 4) a request names, or None when it names none or one that does not exist."""
    text = str(raw or "").strip()
    if len(text) == 1 and text.isdigit() and 1 <= int(text) <= len(ABOUT_PARTS):
        return int(text)
    return None


def first_part_with_errors(errors: dict, up_to: int = len(ABOUT_PARTS)) -> int | None:
    """The first part, up to and including up_to, showing a field with an error; None when none does."""
    for number, (_, names) in enumerate(ABOUT_PARTS[:up_to], start=1):
        if any(errors.get(name) for name in names):
            return number
    return None


def next_step(user) -> str:
    """The endpoint of the first step this client still has to do, or home.index when none is left."""
    if not screens.has_answered(user):
        return "sessions.welcome_safety"
    if not services.has_about(user):
        return "sessions.welcome_about"
    if active_assignment(user) is None and user.trainer_id is None:
        return "sessions.welcome_program"
    return "home.index"


def is_onboarded(user) -> bool:
    """Onboarding is over once it was recorded, or once no step is left (say the trainer set the plan)."""
    profile = db.session.get(Profile, user.id)
    if profile is not None and profile.onboarded_at is not None:
        return True
    return next_step(user) == "home.index"


def chosen_days(user) -> list[str]:
    """The days the person said suit them for exercise (About you, or their account page), in week order."""
    profile = db.session.get(Profile, user.id)
    return profile.day_list if profile is not None else []
