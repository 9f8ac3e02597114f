"""Dose steps for one exercise: the next small step up or back, between the bottom and the top of its dose.

A step up is small (CONTENT.md, "Progress load in small steps"; NHS inform's home dose: add 1 or 2 repetitions
every few days when comfortable): 1-2 more repetitions, or a hold 2-5 seconds longer (a minute more for a walk
or another long effort), or, at the top of those, one more set or hold with the repetitions spread so the
total grows by one step only. A step back undoes one such step. Past the top an exercise moves to its harder
version, below the bottom to its easier one: that choice is the progression rule's (sessions/progression.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from .models import Exercise
from .schema import HOLD_SECONDS, REPS, SETS

# A hold of a minute or more is a walk or a long stretch of effort: it grows a minute at a time.
LONG_EFFORT = 60
LONG_STEP = 60
# A long effort never steps back below two minutes (the walking text's smallest start).
LONG_BOTTOM = 120
# Without a top written in the exercise's file (a trainer's own exercise): three sets, 15 repetitions
# (10 holds), holds up to 30 seconds, long efforts up to 5 minutes a bout (the longest hold a plan may set).
DEFAULT_TOP_SETS = 3
DEFAULT_TOP_REPS = 15
DEFAULT_TOP_HOLDS = 10
DEFAULT_TOP_HOLD = 30
DEFAULT_TOP_LONG = HOLD_SECONDS[1]
# The bottom: one set, three repetitions (or fewer if the exercise starts lower), holds of three seconds.
BOTTOM_REPS = 3
BOTTOM_HOLD = 3


@dataclass(frozen=True)
class Amount:
    """How much of an exercise: sets, repetitions (holds, for a hold) per set, and seconds per hold."""

    sets: int
    reps: int
    hold_seconds: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sets": self.sets, "reps": self.reps, "hold_seconds": self.hold_seconds}


def start_of(exercise: Exercise) -> Amount:
    """The exercise's own beginner dose, from its file (or the trainer's form)."""
    return Amount(exercise.sets, exercise.reps, exercise.hold_seconds if exercise.kind == "hold" else 0)


def top_of(exercise: Exercise) -> Amount:
    """The top of the exercise's dose: written in its file as top_sets, top_reps and top_hold_seconds."""
    start = start_of(exercise)
    written = exercise.top or {}
    if exercise.kind == "hold":
        long = start.hold_seconds >= LONG_EFFORT
        hold = written.get("hold_seconds") or max(start.hold_seconds, DEFAULT_TOP_LONG if long else DEFAULT_TOP_HOLD)
        reps = written.get("reps") or max(start.reps, DEFAULT_TOP_HOLDS)
    else:
        hold = 0
        reps = written.get("reps") or max(start.reps, DEFAULT_TOP_REPS)
    sets = written.get("sets") or max(start.sets, DEFAULT_TOP_SETS)
    return Amount(min(sets, SETS[1]), min(reps, REPS[1]), min(hold, HOLD_SECONDS[1]))


def bottom_of(exercise: Exercise) -> Amount:
    start = start_of(exercise)
    reps = min(start.reps, BOTTOM_REPS)
    if exercise.kind != "hold":
        return Amount(1, reps, 0)
    hold = LONG_BOTTOM if start.hold_seconds >= LONG_EFFORT else BOTTOM_HOLD
    return Amount(1, reps, min(start.hold_seconds, hold))


def volume(amount: Amount, exercise: Exercise) -> int:
    """The total work of a dose, to tell which of two doses is the bigger."""
    per_rep = amount.hold_seconds if exercise.kind == "hold" else exercise.rep_seconds + amount.hold_seconds
    return amount.sets * amount.reps * max(1, per_rep)


def hold_step(seconds: int) -> int:
    """How much longer a hold gets in one step: 2 s under 10 s, 5 s up to a minute, then a minute."""
    if seconds >= LONG_EFFORT:
        return LONG_STEP
    return 2 if seconds < 10 else 5


def rep_step(reps: int) -> int:
    return 2 if reps >= 5 else 1


def _one_more_set(amount: Amount) -> Amount:
    """One more set, the repetitions spread so that the total grows by about one repetition per set."""
    sets = amount.sets + 1
    return Amount(sets, max(1, ceil((amount.sets * amount.reps + amount.sets) / sets)), amount.hold_seconds)


def step_up(amount: Amount, exercise: Exercise) -> Amount | None:
    """The next small step up, or None at the top of the dose (time for the harder version)."""
    top = top_of(exercise)
    if exercise.kind == "hold" and amount.hold_seconds < top.hold_seconds:
        longer = amount.hold_seconds + hold_step(amount.hold_seconds)
        return Amount(amount.sets, amount.reps, min(top.hold_seconds, longer))
    if amount.reps < top.reps:
        more = amount.reps + (1 if exercise.kind == "hold" else rep_step(amount.reps))
        return Amount(amount.sets, min(top.reps, more), amount.hold_seconds)
    if amount.sets < top.sets:
        return _one_more_set(amount)
    return None


def step_down(amount: Amount, exercise: Exercise) -> Amount | None:
    """One step back, or None at the bottom of the dose (time for the easier version)."""
    bottom = bottom_of(exercise)
    if amount.sets > bottom.sets:
        # The set added last goes first: the whole dose shrinks more than one repetition would.
        return Amount(amount.sets - 1, amount.reps, amount.hold_seconds)
    if exercise.kind == "hold" and amount.hold_seconds > bottom.hold_seconds:
        shorter = amount.hold_seconds - hold_step(max(bottom.hold_seconds, amount.hold_seconds - 1))
        return Amount(amount.sets, amount.reps, max(bottom.hold_seconds, shorter))
    if amount.reps > bottom.reps:
        fewer = amount.reps - (1 if exercise.kind == "hold" else rep_step(amount.reps - 1))
        return Amount(amount.sets, max(bottom.reps, fewer), amount.hold_seconds)
    return None
