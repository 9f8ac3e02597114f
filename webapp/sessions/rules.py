"""The pain traffic light and the progression rule, as plain functions (CONTENT.md, "Pain monitoring").

Pain during exercise up to 5/10 is acceptable if it settles by the next morning: 0-3 green, 4-5 amber,
6-10 red (Silbernagel 2007, from tendon rehabilitation, extrapolated to back pain). Progress after two
green, easy sessions in a row; step back after a red one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Light = Literal["green", "amber", "red"]
Step = Literal["harder", "same", "easier"]

PAIN_MAX = 10
GREEN_MAX = 3
AMBER_MAX = 5
# (light, lowest score, highest score): every screen, chart and printout reads the bands from here.
BANDS: tuple[tuple[Light, int, int], ...] = (
    ("green", 0, GREEN_MAX),
    ("amber", GREEN_MAX + 1, AMBER_MAX),
    ("red", AMBER_MAX + 1, PAIN_MAX),
)
EASY_EFFORT_MAX = 4  # "light: could do much more" or easier

EFFORT_WORDS = {
    0: "Nothing at all",
    1: "Barely any effort",
    2: "Very light",
    3: "Light: I could do much more",
    4: "Light: I could do much more",
    5: "Moderate: working, with plenty left",
    6: "Moderate: working, with plenty left",
    7: "Hard: a few more would be tough",
    8: "Hard: a few more would be tough",
    9: "Very hard",
    10: "Everything I had",
}


def traffic_light(pain: int) -> Light:
    if pain <= GREEN_MAX:
        return "green"
    if pain <= AMBER_MAX:
        return "amber"
    return "red"


@dataclass(frozen=True)
class Outcome:
    """What a finished session means: the light, whether it felt easy, and the pains that decide it."""

    pain_before: int
    pain_after: int
    effort: int
    painful_exercise: bool = False
    next_day_pain: int | None = None

    @property
    def light(self) -> Light:
        light = traffic_light(self.pain_after)
        if self.next_day_pain is not None:
            next_day = traffic_light(self.next_day_pain)
            if next_day == "red":
                return "red"
            # Amber is acceptable only if it settled by the next morning; if it did not, hold the level.
            if self.next_day_pain > self.pain_before and light == "green":
                light = "amber"
        return light

    @property
    def easy(self) -> bool:
        return self.effort <= EASY_EFFORT_MAX and not self.painful_exercise


@dataclass(frozen=True)
class Advice:
    light: Light
    headline: str
    text: str


ADVICE = {
    "green": Advice(
        "green",
        "Carry on",
        "Your pain stayed in the green zone (0 to 3). This level suits you: keep going. "
        "When two sessions in a row stay green and feel easy, you are ready for a small step up.",
    ),
    "amber": Advice(
        "amber",
        "Stay at this level",
        "Your pain reached 4 or 5. That is acceptable if it has settled by tomorrow morning. "
        "Keep the same dose next time and do not add more yet; we will ask how your back feels tomorrow.",
    ),
    "red": Advice(
        "red",
        "Ease off next time",
        "Your pain went above 5. Next time do less: fewer repetitions, shorter holds, or the easier version. "
        "If the pain does not settle within a day or two, or you notice any warning sign from the red-flag "
        "list, contact your trainer or a doctor.",
    ),
}


def advice(outcome: Outcome) -> Advice:
    return ADVICE[outcome.light]


def next_step(recent: list[Outcome]) -> Step:
    """recent: newest first. Harder after two green, easy sessions in a row; easier after a red one."""
    if not recent:
        return "same"
    if recent[0].light == "red":
        return "easier"
    if len(recent) >= 2 and all(o.light == "green" and o.easy for o in recent[:2]):
        return "harder"
    return "same"


def pain_trend(baseline: float | None, recent: float | None) -> float | None:
    """Change in average pain: the last two weeks against the baseline; positive means worse."""
    if baseline is None or recent is None:
        return None
    return round(recent - baseline, 1)


MEANINGFUL_PAIN_CHANGE = 2  # points on 0-10 (about 30%): the smallest change that matters to people
