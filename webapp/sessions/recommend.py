"""Which starter program to offer first, from what the person said in onboarding, and why in plain words.

The rule follows two facts (CONTENT.md, "Pain monitoring and progression rules" and "Adherence"):
- pain above 5 out of 10 is more than exercise should bring (Silbernagel 2007's pain-monitoring model), and
  graded activity starts from where the person is (a baseline) and builds slowly;
- low activity at the start and more pain during exercise are the strongest reasons people stop their home
  exercise (Jack 2010), so a hard first week costs more than a gentle one.

Where the answers leave doubt, the gentler program is offered (the safer choice): everyone can move on from
Gentle start after two weeks, while starting too high is what makes people stop. The person may always pick
another program; this only orders the page and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..programs.models import Profile
from .models import CheckIn, FunctionActivity

GENTLE = "gentle-start"
FOUNDATIONS = "core-foundations"
WALKING = "walking-progression"
DESK = "desk-endurance"

# Pain today above this, or an everyday activity rated at or below LOW_FUNCTION, starts gently.
HIGH_PAIN = 5
LOW_FUNCTION = 3
# Ready for Core foundations: pain at most this, and every rated activity at least WELL_ENOUGH.
LOW_PAIN = 3
WELL_ENOUGH = 6
# From this age the program that needs no getting down to the floor is offered first.
OLDER_AGE = 65
SITTING_WORDS = ("sit", "desk", "chair", "driv", "computer")


@dataclass(frozen=True)
class Answers:
    pain: int | None  # pain today, 0-10, from onboarding
    scores: tuple[int, ...]  # the everyday activities' latest ratings, 0-10
    activities: tuple[str, ...]  # their names, as the person wrote them
    age: int | None


@dataclass(frozen=True)
class Recommendation:
    slug: str
    reason: str


def recommend(answers: Answers, available: set[str]) -> Recommendation | None:
    """The program to offer first, or None when none of the rule's programs is available."""
    for slug, reason in _choices(answers):
        if slug in available:
            return Recommendation(slug, reason)
    return None


def _choices(a: Answers):
    """Candidates in order of preference, each with the reason the page gives."""
    lowest = min(a.scores) if a.scores else None
    if a.pain is None:
        yield GENTLE, "You have not told us how your back is yet, so the gentlest start is the safest one."
    elif a.pain > HIGH_PAIN:
        yield GENTLE, f"Your back hurts a lot today ({a.pain} out of 10): small, slow movements come first."
    elif lowest is not None and lowest <= LOW_FUNCTION:
        yield GENTLE, "Some everyday things are hard for your back right now: small, slow steps suit that best."
    if a.age is not None and a.age >= OLDER_AGE:
        yield WALKING, "Walking builds up week by week and needs no getting down to the floor."
    sitting = any(word in name.lower() for name in a.activities for word in SITTING_WORDS)
    if a.pain is not None and a.pain <= HIGH_PAIN and sitting and (lowest is None or lowest > LOW_FUNCTION):
        yield DESK, "Sitting is one of the things your back finds hard: short workday routines help most there."
    if a.pain is not None and a.pain <= LOW_PAIN and (lowest is None or lowest >= WELL_ENOUGH):
        yield FOUNDATIONS, "Your back is fairly calm and copes with most things: you are ready to build staying power."
    yield GENTLE, "Starting gently lets you find your level; after two weeks you can move on."


def answers_of(user, today: date) -> Answers:
    """What the person said in onboarding: pain today, the activities and their latest ratings, their age."""
    pain = db.session.execute(
        db.select(CheckIn.pain).filter_by(user_id=user.id, kind="baseline").order_by(CheckIn.id.desc()).limit(1)
    ).scalar()
    activities = db.session.execute(
        db.select(FunctionActivity).filter_by(user_id=user.id).order_by(FunctionActivity.position)
    ).scalars()
    names, scores = [], []
    for activity in activities:
        names.append(activity.name)
        if activity.ratings:
            scores.append(max(activity.ratings, key=lambda r: (r.rated_at, r.id)).score)
    profile = db.session.get(Profile, user.id)
    year = profile.birth_year if profile is not None else None
    # The older of the two ages the year allows: the floor-free program is then offered a little sooner, not later.
    age = today.year - year if year else None
    return Answers(pain=pain, scores=tuple(scores), activities=tuple(names), age=age)
