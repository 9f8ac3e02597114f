"""How long a routine takes in the player: one estimate from the dose numbers, for every page that says it.

It walks the very steps static/js/player/engine.js builds (the first get-ready, a get-ready for each side and
exercise, holds with their relax or, for bouts of a minute or more, the written rest between them, paced
repetitions, rests between sets, a changeover between exercises), so the program card, Today, the builder,
the print-out and the player's own "about N min" agree. tests/e2e/test_player.py holds the two to the same
number for every shipped routine.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import floor

# The engine's constants (engine.js), in milliseconds.
GET_READY_MS = 5000
FIRST_GET_READY_MS = 10000
RELAX_MS = 3000
CHANGEOVER_MS = 15000
# A hold of a minute or more is a bout (a walk): between bouts comes the item's rest, not a short relax.
BOUT_MS = 60000


def _seconds(value) -> int:
    return max(1, floor((value or 0) + 0.5)) * 1000


def is_bout(kind: str, hold_seconds: int) -> bool:
    return kind == "hold" and _seconds(hold_seconds) >= BOUT_MS


def routine_ms(items: Iterable) -> int:
    """items: anything with exercise (kind, per_side, rep_seconds), sets, reps, hold_seconds and rest_seconds."""
    total = 0
    previous_rest = 0
    for index, item in enumerate(items):
        exercise = item.exercise
        sets, reps = max(1, item.sets), max(1, item.reps)
        sides = 2 if exercise.per_side else 1
        rest = max(0, item.rest_seconds or 0) * 1000
        if index > 0:
            total += max(CHANGEOVER_MS, previous_rest)
        total += FIRST_GET_READY_MS if index == 0 else GET_READY_MS
        if exercise.kind == "hold":
            between = max(RELAX_MS, rest) if is_bout(exercise.kind, item.hold_seconds) else RELAX_MS
            per_side = reps * _seconds(item.hold_seconds) + (reps - 1) * between
        else:
            per_side = reps * _seconds(exercise.rep_seconds)
        per_set = sides * per_side + (sides - 1) * GET_READY_MS
        total += sets * per_set + (sets - 1) * (rest or GET_READY_MS)
        previous_rest = rest
    return total


def minutes(ms: int) -> int:
    """Whole minutes, at least one, rounded half up as the player's words.js does."""
    return max(1, floor(ms / 60000 + 0.5))


def routine_minutes(items: Iterable) -> int:
    return minutes(routine_ms(items))


def program_minutes(program) -> tuple[int, int]:
    """The shortest and the longest of a program's routines, in minutes (the program's own doses)."""
    found = [routine_minutes(routine.items) for week in program.weeks for routine in week.routines]
    return (min(found), max(found)) if found else (0, 0)


def minutes_words(low: int, high: int) -> str:
    """ "about 9 min", or "about 8 to 12 min" when a program's sessions differ."""
    return f"about {low} min" if low == high else f"about {low} to {high} min"


def program_minutes_words(program) -> str:
    """A program card's length: its routines as the player would time them."""
    return minutes_words(*program_minutes(program))
