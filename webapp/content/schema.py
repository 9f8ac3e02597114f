"""The shape of every shipped content file, checked before anything reaches the database."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..timeutil import WEEKDAYS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]

POSITIONS = ("lying-back", "lying-front", "lying-side", "all-fours", "kneeling", "sitting", "standing")
EQUIPMENT = ("mat", "wall", "chair", "band", "step", "cushion")

# Dose limits shared by shipped content, the trainer's builder and the sync API.
SETS = (1, 10)
REPS = (1, 100)
HOLD_SECONDS = (0, 300)
REST_SECONDS = (0, 600)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    title: Text
    url: str = ""
    note: str = ""


class Muscle(Strict):
    slug: Slug
    name: Text
    group: Literal["major", "minor", "supporting"]
    region: Literal["front", "back", "side"]
    depth: Literal["deep", "surface"]
    role: Text
    note: str = ""


class MuscleIndex(Strict):
    muscle: list[Muscle] = Field(min_length=1)


class Dose(Strict):
    sets: int = Field(ge=SETS[0], le=SETS[1])
    reps: int = Field(ge=REPS[0], le=REPS[1])
    hold_seconds: int = Field(default=0, ge=HOLD_SECONDS[0], le=HOLD_SECONDS[1])
    rest_seconds: int = Field(ge=REST_SECONDS[0], le=REST_SECONDS[1])
    rep_seconds: int = Field(default=3, ge=1, le=20)
    # The top of the dose (content/ladder.py): small steps go no further; past it comes the harder version.
    top_sets: int | None = Field(default=None, ge=SETS[0], le=SETS[1])
    top_reps: int | None = Field(default=None, ge=REPS[0], le=REPS[1])
    top_hold_seconds: int | None = Field(default=None, ge=1, le=HOLD_SECONDS[1])

    @model_validator(mode="after")
    def _top_above_start(self) -> Dose:
        for name in ("sets", "reps", "hold_seconds"):
            top = getattr(self, f"top_{name}")
            if top is not None and top < getattr(self, name):
                raise ValueError(f"top_{name}: the top of the dose cannot be below its start ({getattr(self, name)})")
        return self

    def top(self) -> dict[str, int]:
        tops = {"sets": self.top_sets, "reps": self.top_reps, "hold_seconds": self.top_hold_seconds}
        return {name: value for name, value in tops.items() if value is not None}


class Caution(Strict):
    """Advice for people for whom the exercise needs care: said on its page, with the source in `sources`."""

    who: Literal["pregnancy", "osteoporosis", "stenosis"]
    text: Text


class Exercise(Strict):
    name: Text
    summary: Text
    kind: Literal["hold", "reps"]
    position: Literal[POSITIONS]  # type: ignore[valid-type]
    equipment: list[Literal[EQUIPMENT]] = []  # type: ignore[valid-type]
    level: int = Field(ge=1, le=5)
    muscles: list[Slug] = Field(min_length=1)
    per_side: bool = False
    tempo: Text
    cue: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=90)]
    easier: Slug | Literal[""] = ""
    harder: Slug | Literal[""] = ""
    # Where there is no easier or harder version, why (one is written wherever one exists).
    no_easier: str = ""
    no_harder: str = ""
    cautions: list[Caution] = []
    illustration_alt: Text
    dose: Dose
    steps: list[Text] = Field(min_length=3)
    feel: Text
    cues: list[Text] = Field(min_length=1)
    mistakes: list[Text] = Field(min_length=1)
    stop_if: list[Text] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _hold_needs_seconds(self) -> Exercise:
        if self.kind == "hold" and self.dose.hold_seconds < 1:
            raise ValueError("dose.hold_seconds: a hold exercise needs a hold of at least 1 second")
        return self

    @model_validator(mode="after")
    def _every_missing_version_says_why(self) -> Exercise:
        for link in ("easier", "harder"):
            if not getattr(self, link) and not getattr(self, f"no_{link}").strip():
                raise ValueError(f"no_{link}: there is no {link} version, so say why in no_{link}")
        return self


class Link(Strict):
    """A button under a section that leads into the app, such as the red-flags lesson's way to the safety check."""

    label: Text
    url: Annotated[str, StringConstraints(pattern=r"^/[a-z0-9/_-]*$", max_length=120)]  # a path in this app only


class Section(Strict):
    heading: Text
    paragraphs: list[Text] = Field(min_length=1)
    bullets: list[Text] = []
    link: Link | None = None


class Question(Strict):
    question: Text
    choices: list[Text] = Field(min_length=2, max_length=5)
    answer: int = Field(ge=0)
    explanation: Text

    @model_validator(mode="after")
    def _answer_in_range(self) -> Question:
        if self.answer >= len(self.choices):
            raise ValueError("answer: must be the index of one of the choices (0 is the first)")
        return self


class Lesson(Strict):
    title: Text
    order: int = Field(ge=1)
    summary: Text
    key_points: list[Text] = Field(min_length=2)
    related_exercises: list[Slug] = []
    sections: list[Section] = Field(min_length=2)
    quiz: list[Question] = Field(min_length=2)
    sources: list[Source] = Field(min_length=1)


class RoutineExercise(Strict):
    exercise: Slug
    sets: int = Field(ge=SETS[0], le=SETS[1])
    reps: int = Field(ge=REPS[0], le=REPS[1])
    hold_seconds: int = Field(default=0, ge=HOLD_SECONDS[0], le=HOLD_SECONDS[1])
    rest_seconds: int = Field(ge=REST_SECONDS[0], le=REST_SECONDS[1])
    tempo: str = ""
    note: str = ""


class Routine(Strict):
    name: Text
    days: list[Literal[WEEKDAYS]] = Field(min_length=1)  # type: ignore[valid-type]
    exercises: list[RoutineExercise] = Field(min_length=1, max_length=12)

    @model_validator(mode="after")
    def _days_unique(self) -> Routine:
        if len(set(self.days)) != len(self.days):
            raise ValueError("days: a day is named twice")
        return self


class Week(Strict):
    focus: Text
    routines: list[Routine] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_routine_a_day(self) -> Week:
        days = [d for r in self.routines for d in r.days]
        if len(set(days)) != len(days):
            raise ValueError("routines: two routines are planned on the same day")
        return self


class Program(Strict):
    name: Text
    summary: Text
    goal: Text
    audience: Text
    level: int = Field(ge=1, le=5)
    sessions_per_week: int = Field(ge=1, le=7)
    progression: Text
    weeks: list[Week] = Field(min_length=1, max_length=52)
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _sessions_match_days(self) -> Program:
        for number, week in enumerate(self.weeks, start=1):
            planned = sum(len(r.days) for r in week.routines)
            if planned != self.sessions_per_week:
                raise ValueError(
                    f"weeks[{number}]: plans {planned} sessions but sessions_per_week is {self.sessions_per_week}"
                )
        return self
