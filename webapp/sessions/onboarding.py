"""Onboarding's steps in order: the safety screen, then pain, hard activities, days and time, then a program."""

from __future__ import annotations

from ..extensions import db
from ..programs.models import Profile
from ..programs.services import active_assignment
from . import screens, services

# A starter program may begin today or on any day of the next two weeks.
START_WITHIN_DAYS = 14


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
