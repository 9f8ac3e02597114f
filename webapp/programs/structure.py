"""A program version's structure, built once per process and kept: what Today, the plan, the offline package and
the player read on every request.

A version that anyone follows never changes (a trainer's edit makes a new version, and so does new content for a
starter program), so its weeks, routines and items can be read from the database once and kept. What can change
under an id is checked on every read, so nothing kept outlives a change that should show, in this process or any
other:

- the program row's stamp (`stamp_of`): version, family, `source_hash` and creation time. A program nobody follows
  may be edited in place by the builder, which gives it a fresh `source_hash`; a row deleted and made again (SQLite
  may hand out the same id) gets a fresh one too;
- the facts of the exercises the items name (`ExerciseFacts`): a trainer edits their own exercises in place (they
  have no versions), and loading new content rewrites the library's. They are read again with every use, in one
  small query without the exercises' JSON, and the structure is rebuilt when any of them differs.

The shapes carry the attribute names of the models they stand for (Program, ProgramWeek, Routine,
RoutineExercise), so the schedule, the doses and the payloads read either. They are shared between requests:
never change one. The cache is per app (so per process), bounded (least recently used first out) and holds
nothing of any user: a client's own doses, sessions and dates are laid over it per request.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam

from ..content.models import Exercise
from ..extensions import db
from ..recent import Recent, recent
from .models import Assignment, Program, ProgramWeek, Routine, RoutineExercise

EXTENSION = "coresteady.program_structures"
# Program versions kept per process: every starter program's versions and many trainers' programs fit.
CAPACITY = 256


@dataclass(frozen=True, eq=False)
class ExerciseFacts:
    """What a routine shows and plays of an exercise: its row without the long texts (details) and muscles, but
    with the top of its dose (Exercise.top), which the small steps read."""

    id: int
    slug: str
    name: str
    summary: str
    kind: str
    position: str
    level: int
    per_side: bool
    tempo: str
    cue: str
    easier_slug: str
    harder_slug: str
    illustration: str
    illustration_alt: str
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    rep_seconds: int
    owner_id: int | None
    is_active: bool
    top: dict | None


FACT_COLUMNS = (*(getattr(Exercise, f.name) for f in fields(ExerciseFacts) if f.name != "top"), Exercise.details["top"])


@dataclass(frozen=True, eq=False)
class ItemShape:
    id: int
    routine_id: int
    position: int
    exercise_id: int
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    tempo: str
    note: str
    exercise: ExerciseFacts


class RoutineShape:
    __slots__ = ("days", "id", "items", "name", "position", "program_id", "week")

    def __init__(self, id: int, program_id: int, position: int, name: str, days: str, items: tuple[ItemShape, ...]):
        self.id, self.program_id, self.position, self.name, self.days = id, program_id, position, name, days
        self.items = items
        self.week: WeekShape | None = None

    @property
    def day_list(self) -> list[str]:
        return [d for d in self.days.split(",") if d]


class WeekShape:
    __slots__ = ("focus", "id", "number", "program", "routines")

    def __init__(self, id: int, number: int, focus: str, routines: tuple[RoutineShape, ...]):
        self.id, self.number, self.focus, self.routines = id, number, focus, routines
        self.program: ProgramShape | None = None


PROGRAM_FIELDS = ("id", "family", "version", "slug", "name", "summary", "goal", "audience", "level",
                  "minutes_per_session", "sessions_per_week", "progression", "owner_id")  # fmt: skip


class ProgramShape:
    __slots__ = (*PROGRAM_FIELDS, "_routines", "exercise_ids", "exercises_digest", "weeks")

    def __init__(self, row, weeks: tuple[WeekShape, ...], facts: tuple = ()):
        for name in PROGRAM_FIELDS:
            setattr(self, name, getattr(row, name))
        self.weeks = weeks
        self._routines = {routine.id: routine for week in weeks for routine in week.routines}
        # Every exercise its items name, in order: whose facts are read again on each use.
        self.exercise_ids = tuple(sorted({item.exercise_id for r in self._routines.values() for item in r.items}))
        # What the exercises say as the program was read: a change of one (a trainer's edit) changes this too, so
        # the offline package, whose pages show them, is fetched again.
        self.exercises_digest = hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:16]
        for week in weeks:
            week.program = self
            for routine in week.routines:
                routine.week = week

    @property
    def is_starter(self) -> bool:
        return self.owner_id is None

    def routine(self, routine_id: int) -> RoutineShape | None:
        return self._routines.get(routine_id)


# What tells two rows under one program id apart (see the module's docstring).
STAMP = (Program.version, Program.family, Program.source_hash, Program.created_at)
Stamp = tuple[int, str, str, datetime]


@dataclass(frozen=True)
class _Entry:
    program: ProgramShape
    facts: tuple  # the exercise rows it was built from, to compare with the database's


def cache() -> Recent:
    """This app's cache of program structures (made on first use)."""
    return recent(EXTENSION, CAPACITY)


# The statements read on every use are built once (building one costs more than running it on SQLite).
_FACTS = db.select(*FACT_COLUMNS).where(Exercise.id.in_(bindparam("ids", expanding=True))).order_by(Exercise.id)


def _fact_rows(ids) -> tuple:
    if not ids:
        return ()
    return tuple(tuple(row) for row in db.session.execute(_FACTS, {"ids": list(ids)}).all())


def _build(program_id: int) -> _Entry | None:
    """Read one program's structure from the database: four small queries, none of them of JSON."""
    row = db.session.execute(
        db.select(*(getattr(Program, name) for name in PROGRAM_FIELDS)).where(Program.id == program_id)
    ).first()
    if row is None:
        return None
    W, R, X = ProgramWeek, Routine, RoutineExercise
    item_columns = (X.id, X.routine_id, X.position, X.exercise_id, X.sets, X.reps, X.hold_seconds, X.rest_seconds,
                    X.tempo, X.note)  # fmt: skip
    items = db.session.execute(
        db.select(*item_columns).join(R, R.id == X.routine_id).where(R.program_id == program_id)
        .order_by(X.routine_id, X.position, X.id)
    ).all()  # fmt: skip
    facts = _fact_rows({item.exercise_id for item in items})
    by_id = {fact[0]: ExerciseFacts(*fact) for fact in facts}
    items_of: dict[int, list[ItemShape]] = {}
    for item in items:
        items_of.setdefault(item.routine_id, []).append(ItemShape(*item, exercise=by_id[item.exercise_id]))
    routines_of: dict[int, list[RoutineShape]] = {}
    routine_rows = db.session.execute(
        db.select(R.id, R.week_id, R.position, R.name, R.days).where(R.program_id == program_id)
        .order_by(R.position, R.id)
    ).all()  # fmt: skip
    for routine in routine_rows:
        shape = RoutineShape(routine.id, program_id, routine.position, routine.name, routine.days,
                             tuple(items_of.get(routine.id, ())))  # fmt: skip
        routines_of.setdefault(routine.week_id, []).append(shape)
    weeks = tuple(
        WeekShape(week.id, week.number, week.focus, tuple(routines_of.get(week.id, ())))
        for week in db.session.execute(
            db.select(W.id, W.number, W.focus).where(W.program_id == program_id).order_by(W.number)
        ).all()
    )
    return _Entry(ProgramShape(row, weeks, facts), facts)


def structure(program_id: int, stamp: Stamp) -> ProgramShape | None:
    """The structure of this program as the database holds it now: kept, unless its stamp or the facts of one of
    its exercises changed since it was read. One query when kept (the exercises' facts)."""
    kept = cache()
    key = (program_id, *stamp)
    entry = kept.get(key)
    if entry is not None and _fact_rows(entry.program.exercise_ids) == entry.facts:
        return entry.program
    entry = _build(program_id)
    if entry is None:
        return None
    kept.put(key, entry)
    return entry.program


def stamp_of(program_id: int) -> Stamp | None:
    row = db.session.execute(db.select(*STAMP).where(Program.id == program_id)).first()
    return tuple(row) if row is not None else None


def program_structure(program_id: int) -> ProgramShape | None:
    """structure() for a program known by its id alone (one query more, for its stamp)."""
    stamp = stamp_of(program_id)
    return structure(program_id, stamp) if stamp is not None else None


_ACTIVE = (
    db.select(Assignment, *STAMP)
    .join(Program, Program.id == Assignment.program_id)
    .where(Assignment.client_id == bindparam("user_id"), Assignment.is_active.is_(True))
    .order_by(Assignment.created_at.desc())
    .limit(1)
)


def active_plan(user) -> tuple[Assignment | None, ProgramShape | None]:
    """The client's active assignment (its program left unloaded) and the structure of the program version it
    follows: two queries when the structure is kept."""
    row = db.session.execute(_ACTIVE, {"user_id": user.id}).first()
    if row is None:
        return None, None
    assignment, *stamp = row
    return assignment, structure(assignment.program_id, tuple(stamp))


def routine_in_plan(user, routine_id: int) -> tuple[Assignment | None, RoutineShape | None]:
    """A routine of the user's active plan, of the version they follow or an earlier one of the same program.

    Never a later one: a former client keeps the version they had while their former trainer saves new ones, and
    what the trainer wrote after they parted is not theirs to open, even by a routine's id."""
    assignment, program = active_plan(user)
    if assignment is None or program is None:
        return assignment, None
    routine = program.routine(routine_id)
    if routine is not None:
        return assignment, routine
    row = db.session.execute(
        db.select(Routine.program_id, *STAMP)
        .join(Program, Program.id == Routine.program_id)
        .where(Routine.id == routine_id, Program.family == assignment.family, Program.version <= program.version)
    ).first()
    if row is None:
        return assignment, None
    earlier = structure(row[0], tuple(row[1:]))
    return assignment, earlier.routine(routine_id) if earlier is not None else None
