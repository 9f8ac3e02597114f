"""The doses a trainer may type, for program items and custom exercises alike, and what to say when one is off."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..inputs import whole_number
from .schema import HOLD_SECONDS, REPS, REST_SECONDS, SETS


@dataclass(frozen=True)
class Limit:
    field: str
    low: int
    high: int
    words: str  # how the message names it: "sets must be a whole number from 1 to 10"
    seconds: bool = False

    def message(self) -> str:
        if self.seconds:
            return f"{self.words} must be from {self.low} to {self.high} seconds"
        return f"{self.words} must be a whole number from {self.low} to {self.high}"


SETS_LIMIT = Limit("sets", *SETS, "sets")
REPS_LIMIT = Limit("reps", *REPS, "reps")
REST_LIMIT = Limit("rest", *REST_SECONDS, "rest", seconds=True)
# A hold exercise with no hold would finish before it starts, so its hold starts at 1 s;
# a repetition exercise may add a short hold per repetition, or none.
HOLD_FOR_HOLDS = Limit("hold", 1, HOLD_SECONDS[1], "hold", seconds=True)
HOLD_FOR_REPS = Limit("hold", 0, HOLD_SECONDS[1], "hold", seconds=True)


@dataclass(frozen=True)
class Dose:
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int


def check_dose(kind: str, raw: Mapping[str, object]) -> tuple[Dose | None, dict[str, str]]:
    """raw holds "sets", "reps", "hold" and "rest" as typed; returns the dose, or the problems by field.

    An empty hold on a repetition exercise means no hold, as it does in the shipped programs.
    """
    hold_limit = HOLD_FOR_HOLDS if kind == "hold" else HOLD_FOR_REPS
    values: dict[str, int] = {}
    problems: dict[str, str] = {}
    for limit in (SETS_LIMIT, REPS_LIMIT, hold_limit, REST_LIMIT):
        typed = raw.get(limit.field)
        if limit is HOLD_FOR_REPS and str(typed if typed is not None else "").strip() == "":
            typed = "0"
        value = whole_number(None if typed is None else str(typed))
        if value is None or not limit.low <= value <= limit.high:
            problems[limit.field] = limit.message()
        else:
            values[limit.field] = value
    if problems:
        return None, problems
    return Dose(values["sets"], values["reps"], values["hold"], values["rest"]), {}
