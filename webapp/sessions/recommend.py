"""Which starter program to offer first, from what the person said in onboarding, and why in plain words.

The answers it reads: pain today (0-10), the everyday activities and how well they go (0-10), age, and three
optional questions: how long the back has troubled them this time, whether they can get down to the floor and up,
and how active they are. The rule follows these facts (CONTENT.md and the programs' own sources):
- pain above 5 out of 10 is more than exercise should bring (Silbernagel 2007's pain-monitoring model), and
  graded activity starts from where the person is and builds slowly (Lindstrom 1992);
- low activity at the start and more pain during exercise are the strongest reasons people stop their home
  exercise (Jack 2010), so a hard first week costs more than a gentle one;
- for a recent bout of back pain, staying active and walking is the first advice (NICE NG59, 2016);
- balance training lowers the risk of falls in older people (Sherrington 2019, Cochrane), and someone who cannot
  get down to the floor and up again should not be sent there.

Once a program is finished, the next is chosen from how it ended: the program that builds on it, one step up
(NEXT_AFTER), when its last two sessions were not red; the same program again when they were.

Where the answers leave doubt, the gentler program is offered (the safer choice): everyone can move on from
Gentle start after two weeks, while starting too high is what makes people stop. The person may always pick
another program; this only orders the page and says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extensions import db
from ..programs.models import Profile
from ..programs.services import active_assignment
from . import history, outcomes, schedule
from .models import CheckIn

GENTLE = "gentle-start"
FOUNDATIONS = "core-foundations"
WALKING = "walking-progression"
DESK = "desk-endurance"
STANDING = "standing-strength"
STRENGTH = "core-strength"

# The optional questions' answers, as the form offers them (value: words).
PAIN_SINCE = {
    "recent": "Less than 6 weeks",
    "weeks": "6 weeks to 3 months",
    "long": "More than 3 months",
}
FLOOR = {
    "yes": "Yes",
    "hard": "Yes, but it is hard",
    "no": "No",
}
ACTIVITY = {
    "little": "Little beyond everyday life",
    "some": "Some: walks, gardening or light sport",
    "active": "Regular exercise or sport, most weeks",
}

# Pain today above this, or an everyday activity rated at or below LOW_FUNCTION, starts gently.
HIGH_PAIN = 5
LOW_FUNCTION = 3
# Calm enough to build: pain at most this, and every rated activity at least WELL_ENOUGH.
LOW_PAIN = 3
WELL_ENOUGH = 6
# From this age the standing program, with its balance work, is offered first.
OLDER_AGE = 65
SITTING_WORDS = ("sit", "desk", "chair", "driv", "computer")


@dataclass(frozen=True)
class Answers:
    pain: int | None  # pain today, 0-10
    scores: tuple[int, ...] = ()  # the everyday activities' latest ratings, 0-10
    activities: tuple[str, ...] = ()  # their names, as the person wrote them
    age: int | None = None
    pain_since: str | None = None  # a key of PAIN_SINCE
    floor: str | None = None  # a key of FLOOR
    activity_level: str | None = None  # a key of ACTIVITY
    # A program just finished (its slug and name), and whether its last sessions went well (none red).
    finished: str | None = None
    finished_name: str = ""
    finished_well: bool = False


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


# What builds on each starter program once it is finished and went well: one careful step at a time.
NEXT_AFTER = {GENTLE: FOUNDATIONS, WALKING: FOUNDATIONS, DESK: FOUNDATIONS, STANDING: GENTLE, FOUNDATIONS: STRENGTH}


def _choices(a: Answers):
    """Candidates in order of preference, each with the reason the page gives; the first available wins."""
    if a.finished is not None:
        yield from _after(a)
    lowest = min(a.scores) if a.scores else None
    copes = lowest is None or lowest > LOW_FUNCTION
    calm = a.pain is not None and a.pain <= LOW_PAIN and (lowest is None or lowest >= WELL_ENOUGH)
    if a.floor == "no":
        yield STANDING, "You cannot get down to the floor for now: everything here is done standing or sitting."
    if a.pain is None:
        yield GENTLE, "You have not told us how your back is yet, so the gentlest start is the safest one."
    elif a.pain > HIGH_PAIN:
        yield GENTLE, f"Your back hurts a lot today ({a.pain} out of 10): small, slow movements come first."
    elif not copes:
        yield GENTLE, "Some everyday things are hard for your back right now: small, slow steps suit that best."
    if (a.age is not None and a.age >= OLDER_AGE) or a.floor == "hard":
        why = "getting down to the floor is hard" if a.floor == "hard" else "balance matters more with the years"
        yield STANDING, f"Standing exercises with balance work suit you best, as {why}."
    if a.pain_since == "recent":
        yield WALKING, "Your back pain is recent: staying active, and walking most of all, helps it settle."
    if calm and a.activity_level == "active" and a.pain_since in ("weeks", "long"):
        yield STRENGTH, "Your back is calm and you are already active: you are ready for the harder core exercises."
    sitting = any(word in name.lower() for name in a.activities for word in SITTING_WORDS)
    if a.pain is not None and a.pain <= HIGH_PAIN and sitting and copes:
        yield DESK, "Sitting is one of the things your back finds hard: short workday routines help most there."
    if calm and a.activity_level != "little":
        yield FOUNDATIONS, "Your back is fairly calm and copes with most things: you are ready to build staying power."
    yield GENTLE, "Starting gently lets you find your level; after two weeks you can move on."


def _after(a: Answers):
    """After a finished program: the next step when it went well, the same again when its end was hard."""
    if not a.finished_well:
        hard = f"Your last sessions of {a.finished_name} were hard on your back"
        yield a.finished, f"{hard}: doing it once more is the safer next step."
        return
    following = NEXT_AFTER.get(a.finished)
    if following is not None:
        yield following, f"You finished {a.finished_name} and your back took it well: this builds on it, one step up."


def answers_of(user, today: date) -> Answers:
    """What the person said in onboarding: pain today, the activities and their latest ratings, their age, and the
    optional questions."""
    pain = db.session.execute(
        db.select(CheckIn.pain).filter_by(user_id=user.id, kind="baseline").order_by(CheckIn.id.desc()).limit(1)
    ).scalar()
    trends = [history.activity_trend(a, user.timezone) for a in history.function_activities(user.id)]
    names = [t.name for t in trends]
    scores = [t.latest for t in trends if t.latest is not None]
    profile = db.session.get(Profile, user.id)
    year = profile.birth_year if profile is not None else None
    finished, finished_name, finished_well = None, "", False
    assignment = active_assignment(user)
    plan = schedule.plan_for(assignment, today)
    if plan is not None and today > plan.end_date:
        finished, finished_name = assignment.family, assignment.program.name
        finished_well = all(outcome.light != "red" for outcome in outcomes.newest_outcomes(user.id, limit=2))
    return Answers(
        pain=pain,
        scores=tuple(scores),
        activities=tuple(names),
        # The older of the two ages the year allows: the standing program is then offered a little sooner, not later.
        age=today.year - year if year else None,
        pain_since=profile.pain_since if profile is not None else None,
        floor=profile.floor if profile is not None else None,
        activity_level=profile.activity_level if profile is not None else None,
        finished=finished,
        finished_name=finished_name,
        finished_well=finished_well,
    )
