"""Putting a trainer's programs away, bringing them back, and deleting for good the ones nobody ever used.

Archiving acts on the whole family (every version), so whichever version a list or a link lands on says the
same. Clients following an archived program keep it: their plan points at a version, and nothing here changes
a version's rows or an assignment. A program that was ever assigned or done in a session is never deleted:
the history that names it must keep it.
"""

from __future__ import annotations

from sqlalchemy import update

from ..extensions import db
from ..programs.models import Assignment, Program, ProgramWeek, Routine, RoutineExercise
from ..sessions.models import CompletedSession
from ..timeutil import utcnow


class InUse(Exception):
    """The program was assigned to someone or done in a session: it can be archived, never deleted."""


def _set_archived(program: Program, value) -> None:
    db.session.execute(
        update(Program).where(Program.family == program.family).values(archived_at=value),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def archive(program: Program) -> None:
    """Out of the trainer's list, the template choices and the assign page; followers keep following it."""
    if program.archived_at is None:
        _set_archived(program, utcnow())


def restore(program: Program) -> None:
    if program.archived_at is not None:
        _set_archived(program, None)


def used_families(families: list[str]) -> set[str]:
    """Which of these families were ever assigned (now or before) or done in a session: two queries in all."""
    if not families:
        return set()
    assigned = db.select(Assignment.family).where(Assignment.family.in_(families)).distinct()
    done = (
        db.select(Program.family)
        .join(CompletedSession, CompletedSession.program_id == Program.id)
        .where(Program.family.in_(families))
        .distinct()
    )
    return set(db.session.execute(assigned).scalars()) | set(db.session.execute(done).scalars())


def ever_used(program: Program) -> bool:
    return program.family in used_families([program.family])


def delete(program: Program) -> None:
    """Delete every version of a program nobody ever followed; raises InUse, changing nothing, otherwise."""
    try:
        if ever_used(program):
            raise InUse(program.family)
        # Children first, explicitly: the same order works on SQLite and PostgreSQL with or without cascades.
        versions = db.select(Program.id).where(Program.family == program.family)
        routines = db.select(Routine.id).where(Routine.program_id.in_(versions))
        for model, where in (
            (RoutineExercise, RoutineExercise.routine_id.in_(routines)),
            (Routine, Routine.program_id.in_(versions)),
            (ProgramWeek, ProgramWeek.program_id.in_(versions)),
            (Program, Program.family == program.family),
        ):
            db.session.execute(db.delete(model).where(where), execution_options={"synchronize_session": False})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
