"""The pain traffic light and the progression rule, as plain functions: every page, flag and API reads them here.

The model is the pain-monitoring model of Silbernagel et al. 2007 (Am J Sports Med 35(6):897-906), from
Achilles tendon rehabilitation and extrapolated here to back pain: pain during exercise up to 5/10 is acceptable,
it should settle by the next morning, and it should not worsen from week to week (CONTENT.md, "Pain monitoring").

The project's adaptation, said as such in the traffic-light lesson: a session is judged against the pain the
person had *before* it, so that someone whose everyday pain is 6 can progress. What the session adds, at its
worst (during any exercise or just after), decides the light:

- it adds 0 to 2 points, or pain falls: green;
- it adds 3 to 5 points and the worst pain stays at 5/10 or below: amber (fine if settled by the next morning);
- anything more (over 5 points added, or a rise of 3 or more that takes pain above 5/10): red.

The next morning can turn a light: amber that has settled back to the pain before turns green; green that has
not settled turns amber; a rise of 3 or more by the next morning is red. It never turns red into anything
milder: pain that went over the limit went over it, even if it has settled (the safer reading).

A step up (a dose step, the harder version, the program's next week) waits for sessions that were green and also
kept pain within the model's 5/10, or added none to pain that was already above it before (Outcome.steady). A
session from 8 to 9 adds one point and is green, but pain above 5 is "too much" in the model: doing more on the
back of it is not the careful small step (the safer reading of two rules; a person whose everyday pain is 6 still
progresses from sessions that leave it at 6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean
from typing import Literal

Light = Literal["green", "amber", "red"]
# "harder" is a step up (a dose step first, the harder version only at the top of the dose); "easier" a step back.
Step = Literal["harder", "same", "easier"]

PAIN_MAX = 10
# What a session may add to the pain before it and stay green (0-2 points), and stay amber (3-5 points).
GREEN_RISE_MAX = 2
AMBER_RISE_MAX = 5
# Silbernagel's ceiling: amber only while the worst pain stays at or below 5/10.
PAIN_CEILING = 5
# The next morning: a rise of this much over the pain before the session is red whatever the session was.
MORNING_RED_RISE = 3

# The zones of the pain scale itself, as Silbernagel gives them for pain during exercise (0-3 safe, 4-5
# acceptable, above 5 too much). They colour the scale and the chart's background; a session's light is
# judged against the pain before it (light_of), not by these bands alone.
GREEN_MAX = 3
AMBER_MAX = PAIN_CEILING
BANDS: tuple[tuple[Light, int, int], ...] = (
    ("green", 0, GREEN_MAX),
    ("amber", GREEN_MAX + 1, AMBER_MAX),
    ("red", AMBER_MAX + 1, PAIN_MAX),
)
EASY_EFFORT_MAX = 4  # "light: could do much more" or easier

# A week's everyday pain (the average pain before its sessions) this much above the week before: the week
# worsened, and Silbernagel's model holds progression back until it settles.
WORSENING_RISE = 1
WEEK_DAYS = 7

# The app's own words for effort. Borg's CR10 wording is licensed (CONTENT.md), so none of it is used here.
EFFORT_WORDS = {
    0: "Resting: no work at all",
    1: "Barely any effort",
    2: "Easy: hardly working",
    3: "Light: I could do much more",
    4: "Light: I could do much more",
    5: "Moderate: working, with plenty left",
    6: "Moderate: working, with plenty left",
    7: "Hard: a few more would be tough",
    8: "Hard: a few more would be tough",
    9: "Close to my limit",
    10: "Everything I had",
}


def traffic_light(pain: int) -> Light:
    """The zone of a pain score on its own (the scale's colours); a session's light is light_of()."""
    if pain <= GREEN_MAX:
        return "green"
    if pain <= AMBER_MAX:
        return "amber"
    return "red"


def light_of(pain_before: int, worst: int) -> Light:
    """The light of a session (or of one exercise) from the pain before it and the worst pain during or after it."""
    added = worst - pain_before
    if added <= GREEN_RISE_MAX:
        return "green"
    if added <= AMBER_RISE_MAX and worst <= PAIN_CEILING:
        return "amber"
    return "red"


def after_the_night(light: Light, pain_before: int, next_morning: int | None) -> Light:
    """The light once the next morning's pain is known: what settled and what did not."""
    if next_morning is None:
        return light
    rise = next_morning - pain_before
    if rise >= MORNING_RED_RISE or light == "red":
        return "red"
    if rise > 0:
        return "amber"  # not settled: hold the level
    return "green"  # settled by the morning: amber was acceptable (Silbernagel)


def light_table() -> list[list[Light]]:
    """light_of for every pain before (row) and worst pain (column): the player looks its light up here offline."""
    return [[light_of(before, worst) for worst in range(PAIN_MAX + 1)] for before in range(PAIN_MAX + 1)]


@dataclass(frozen=True)
class Outcome:
    """What a finished session means: its light, whether it felt easy, and the pains that decide them."""

    pain_before: int
    pain_after: int
    effort: int
    painful_exercise: bool = False
    next_day_pain: int | None = None
    # Each exercise's own rating, asked after it in the player (None where it was skipped or not asked).
    pain_during: tuple[int | None, ...] = ()
    day: date | None = None

    @property
    def worst(self) -> int:
        """The worst pain the session brought: during any exercise or just after."""
        return max([self.pain_after, *(p for p in self.pain_during if p is not None)])

    @property
    def light(self) -> Light:
        return after_the_night(light_of(self.pain_before, self.worst), self.pain_before, self.next_day_pain)

    @property
    def steady(self) -> bool:
        """Green, and its pain stayed at 5/10 or below, or no higher than before it: what a step up waits for."""
        return self.light == "green" and self.worst <= max(PAIN_CEILING, self.pain_before)

    @property
    def high(self) -> bool:
        """Green, but not steady: pain taken above 5/10 and above where it began (8 before, 9 after)."""
        return self.light == "green" and not self.steady

    @property
    def easy(self) -> bool:
        return self.effort <= EASY_EFFORT_MAX and not self.painful_exercise

    def exercise_light(self, index: int) -> Light | None:
        """One exercise's own light from its rating during it, against the pain before the session."""
        pain = self.pain_during[index] if index < len(self.pain_during) else None
        return None if pain is None else light_of(self.pain_before, pain)


@dataclass(frozen=True)
class Advice:
    light: Light
    headline: str
    text: str


ADVICE = {
    "green": Advice(
        "green",
        "Carry on",
        "The session added little or no pain to how your back felt before it. This level suits you: keep going. "
        "After two sessions in a row like this that felt easy and kept your pain at 5 or below (or no higher than "
        "it was before them), you are ready for a small step up.",
    ),
    # A green session that left pain above 5/10 and above where it began (not Outcome.steady): green still, but
    # "keep going" and "ready for a small step up" would be the wrong words for 8 before and 9 after.
    "green_high": Advice(
        "green",
        "Keep this level",
        "The session added little to how your back felt before it, but it took your pain above 5, more than the "
        "model this app follows accepts. Keep the same dose next time rather than adding more: a step up waits "
        "until sessions keep your pain at 5 or below, or no higher than it was before. We will ask how your back "
        "feels tomorrow morning.",
    ),
    "amber": Advice(
        "amber",
        "Stay at this level",
        "The session added a few points of pain, but it stayed at 5 or below. That is acceptable if it has "
        "settled by tomorrow morning. Keep the same dose next time; we will ask how your back feels tomorrow.",
    ),
    "red": Advice(
        "red",
        "Ease off next time",
        "The session added more pain than is wise, or took it above 5. Next time do a little less: fewer "
        "repetitions, shorter holds, and if that is not enough, the easier version. If the pain does not settle "
        "within a day or two, or you notice any warning sign from the red-flag list, contact your trainer or a doctor.",
    ),
}


def advice(outcome: Outcome) -> Advice:
    if outcome.high:
        return ADVICE["green_high"]
    return ADVICE[outcome.light]


def weekly_pain(outcomes: Iterable[Outcome], today: date) -> tuple[float | None, float | None]:
    """Average pain before sessions over the last 7 days and over the 7 days before those (None: no sessions)."""
    this_week, last_week = [], []
    for outcome in outcomes:
        if outcome.day is None:
            continue
        age = (today - outcome.day).days
        if 0 <= age < WEEK_DAYS:
            this_week.append(outcome.pain_before)
        elif WEEK_DAYS <= age < 2 * WEEK_DAYS:
            last_week.append(outcome.pain_before)
    return (fmean(this_week) if this_week else None, fmean(last_week) if last_week else None)


def worsening(outcomes: Iterable[Outcome], today: date) -> bool:
    """Has the back worsened week on week? Pain before sessions this week up by WORSENING_RISE or more."""
    now, before = weekly_pain(outcomes, today)
    return now is not None and before is not None and now - before >= WORSENING_RISE


def next_step(recent: Sequence[Outcome], worse: bool = False) -> Step:
    """recent: newest first. A step up after two steady (green, pain within 5/10 or no higher than before), easy
    sessions in a row, unless the week worsened; a step back after a red one."""
    if not recent:
        return "same"
    if recent[0].light == "red":
        return "easier"
    if worse:
        return "same"
    if len(recent) >= 2 and all(o.steady and o.easy for o in recent[:2]):
        return "harder"
    return "same"


def pain_trend(baseline: float | None, recent: float | None) -> float | None:
    """Change in average pain: the last two weeks against the baseline; positive means worse."""
    if baseline is None or recent is None:
        return None
    return round(recent - baseline, 1)


# The smallest change in pain that matters to people: 15 on a 0-100 scale, 1.5 points on 0-10, or 30% of the start
# (Ostelo 2008). For a rise, the dashboard's "pain up" concern uses the points alone.
MEANINGFUL_PAIN_CHANGE = 1.5
