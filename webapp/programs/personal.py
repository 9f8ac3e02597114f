"""A client's own doses laid over their program: what each routine item asks of *them* today.

The program says what a week plans; a PersonalDose says where this client's small steps have taken an
exercise (models.PersonalDose). Every page that shows or plays a routine for a client reads the items
from here: the player, Today, the plan API and offline package, the calendar feed, the trainer's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import joinedload, lazyload

from ..content.ladder import Amount, volume
from ..content.models import Exercise
from ..content.services import dose_text
from ..extensions import db
from ..timeutil import utcnow
from .models import Assignment, PersonalDose, Routine, RoutineExercise


@dataclass(frozen=True)
class Item:
    """One exercise of a routine as this client does it."""

    planned: RoutineExercise
    exercise: Exercise
    amount: Amount
    own: bool  # the client's own dose or version, not the program's

    @property
    def slot(self) -> Exercise:
        """The exercise the program names here (the client may do another version of it)."""
        return self.planned.exercise

    @property
    def sets(self) -> int:
        return self.amount.sets

    @property
    def reps(self) -> int:
        return self.amount.reps

    @property
    def hold_seconds(self) -> int:
        return self.amount.hold_seconds

    @property
    def rest_seconds(self) -> int:
        return self.planned.rest_seconds

    @property
    def tempo(self) -> str:
        # The program's tempo words belong to its own exercise; another version keeps its own.
        return self.planned.tempo if self.exercise.id == self.slot.id else ""

    @property
    def note(self) -> str:
        return self.planned.note if self.exercise.id == self.slot.id else ""

    @property
    def planned_amount(self) -> Amount:
        return planned_amount(self.planned)

    @property
    def dose(self) -> str:
        return dose_words(self.exercise, self.amount, self.rest_seconds)

    @property
    def planned_dose(self) -> str:
        """What the program itself plans here, in words."""
        return f"{self.slot.name}, {dose_words(self.slot, self.planned_amount, self.rest_seconds)}"


def dose_words(exercise: Exercise, amount: Amount, rest_seconds: int = 0) -> str:
    return dose_text(amount.sets, amount.reps, amount.hold_seconds, exercise.kind, exercise.per_side, rest_seconds)


def planned_amount(item: RoutineExercise) -> Amount:
    return Amount(item.sets, item.reps, item.hold_seconds)


def own_amount(dose: PersonalDose) -> Amount:
    return Amount(dose.sets, dose.reps, dose.hold_seconds or 0)


def item_for(planned: RoutineExercise, dose: PersonalDose | None) -> Item:
    """The program's item with the client's dose over it, as models.PersonalDose explains."""
    plan = planned_amount(planned)
    if dose is None or not dose.has_dose:
        return Item(planned, planned.exercise, plan, False)
    own = own_amount(dose)
    if dose.use_exercise_id is not None and dose.use_exercise_id != planned.exercise_id:
        return Item(planned, dose.use_exercise, own, True)
    exercise = planned.exercise
    if dose.direction == "up" and volume(plan, exercise) >= volume(own, exercise):
        return Item(planned, exercise, plan, False)
    if dose.direction == "down" and volume(plan, exercise) <= volume(own, exercise):
        return Item(planned, exercise, plan, False)
    return Item(planned, exercise, own, own != plan)


def items_for(routine: Routine, doses: dict[int, PersonalDose]) -> list[Item]:
    return [item_for(planned, doses.get(planned.exercise_id)) for planned in routine.items]


# The exercise a dose names is the program's (the caller has it); the version done in its place is read with the
# dose, without its muscles.
_DOSE_LOADS = (lazyload(PersonalDose.exercise), joinedload(PersonalDose.use_exercise).lazyload(Exercise.muscle_links))


def doses_of(assignment: Assignment | None) -> dict[int, PersonalDose]:
    """The assignment's personal doses by the exercise the program names."""
    if assignment is None:
        return {}
    query = db.select(PersonalDose).where(PersonalDose.assignment_id == assignment.id).options(*_DOSE_LOADS)
    return {dose.exercise_id: dose for dose in db.session.execute(query).scalars()}


def doses_for(assignments: Iterable[Assignment]) -> dict[int, dict[int, PersonalDose]]:
    """doses_of for many assignments in one query: {assignment id: {exercise id: dose}}."""
    ids = [a.id for a in assignments]
    found: dict[int, dict[int, PersonalDose]] = {i: {} for i in ids}
    if ids:
        query = db.select(PersonalDose).where(PersonalDose.assignment_id.in_(ids)).options(*_DOSE_LOADS)
        for dose in db.session.execute(query).scalars():
            found[dose.assignment_id][dose.exercise_id] = dose
    return found


def doses_digest(doses: dict[int, PersonalDose]) -> list:
    """What of the doses changes a routine as played: for the offline package's version."""
    return sorted(
        (d.exercise_id, d.use_exercise_id, d.sets, d.reps, d.hold_seconds, d.direction)
        for d in doses.values()
        if d.has_dose
    )


def dose_record(assignment: Assignment, slot: Exercise) -> PersonalDose:
    """The assignment's record for this exercise, made empty on first need (not committed)."""
    query = db.select(PersonalDose).where(
        PersonalDose.assignment_id == assignment.id, PersonalDose.exercise_id == slot.id
    )
    record = db.session.execute(query).scalar_one_or_none()
    if record is None:
        record = PersonalDose(assignment_id=assignment.id, exercise_id=slot.id, direction="")
        db.session.add(record)
    return record


def set_dose(
    assignment: Assignment,
    slot: Exercise,
    exercise: Exercise,
    amount: Amount | None,
    direction: str,
    by,
    now: datetime | None = None,
) -> PersonalDose:
    """Keep the client's dose of this exercise (amount None: back to the program's); not committed."""
    record = dose_record(assignment, slot)
    if amount is None:
        record.use_exercise_id = None
        record.sets = record.reps = record.hold_seconds = None
        record.direction = ""
    else:
        record.use_exercise_id = None if exercise.id == slot.id else exercise.id
        record.sets, record.reps, record.hold_seconds = amount.sets, amount.reps, amount.hold_seconds
        record.direction = direction
    record.decided_at = now or utcnow()
    record.decided_by_id = by.id if by is not None else None
    return record
