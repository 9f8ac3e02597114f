"""A program's weeks as plain values, and the rows they become.

Two writers share this: starters.py (the shipped starter programs) and the trainer's
builder (a checked form). Each turns its input into these values; only build_weeks makes rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import Exercise
from .models import Program, ProgramWeek, Routine, RoutineExercise


@dataclass(frozen=True)
class CleanItem:
    exercise: Exercise
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    tempo: str
    note: str


@dataclass(frozen=True)
class CleanRoutine:
    name: str
    days: tuple[str, ...]
    items: tuple[CleanItem, ...]


@dataclass(frozen=True)
class CleanWeek:
    focus: str
    routines: tuple[CleanRoutine, ...]


def build_weeks(program: Program, weeks: tuple[CleanWeek, ...]) -> list[ProgramWeek]:
    """New week, routine and item rows for a program, numbered and ordered as given."""
    rows = []
    for number, week in enumerate(weeks, start=1):
        row = ProgramWeek(number=number, focus=week.focus)
        for position, routine in enumerate(week.routines):
            routine_row = Routine(name=routine.name, position=position, days=",".join(routine.days), program=program)
            routine_row.items = [
                RoutineExercise(
                    position=i,
                    exercise=item.exercise,
                    sets=item.sets,
                    reps=item.reps,
                    hold_seconds=item.hold_seconds,
                    rest_seconds=item.rest_seconds,
                    tempo=item.tempo,
                    note=item.note,
                )
                for i, item in enumerate(routine.items)
            ]
            row.routines.append(routine_row)
        rows.append(row)
    return rows
