"""The starter programs shipped in the content bundle, written as new versions when their files change."""

from __future__ import annotations

from ..content import schema
from ..content.files import Bundle
from ..content.models import Exercise
from ..extensions import db
from .duration import program_minutes
from .models import Program
from .rows import CleanItem, CleanRoutine, CleanWeek, build_weeks
from .services import follow_current_versions


def write_starter_programs(bundle: Bundle, exercises: dict[str, Exercise]) -> None:
    """New versions of the programs whose files changed, and every active plan moved onto the newest one."""
    _write_programs(bundle, exercises)
    db.session.flush()
    follow_current_versions()


def _write_programs(bundle: Bundle, exercises: dict[str, Exercise]) -> None:
    current = {
        p.family: p
        for p in db.session.execute(
            db.select(Program).where(Program.owner_id.is_(None), Program.is_current.is_(True))
        ).scalars()
    }
    for family, program in current.items():
        if family not in bundle.programs:
            program.is_current = False
    for slug, item in bundle.programs.items():
        source_hash = bundle.program_hashes[slug]
        existing = current.get(slug)
        if existing is not None and existing.source_hash == source_hash:
            continue
        latest = db.session.execute(
            db.select(db.func.max(Program.version)).where(Program.family == slug, Program.owner_id.is_(None))
        ).scalar()
        if existing is not None:
            existing.is_current = False
        db.session.add(build_program(item, slug, (latest or 0) + 1, source_hash, exercises))


def build_program(item: schema.Program, family: str, version: int, source_hash: str, exercises) -> Program:
    program = Program(
        family=family,
        version=version,
        is_current=True,
        slug=family,
        name=item.name,
        summary=item.summary,
        goal=item.goal,
        audience=item.audience,
        level=item.level,
        sessions_per_week=item.sessions_per_week,
        progression=item.progression,
        sources=[s.model_dump() for s in item.sources],
        source_hash=source_hash,
    )
    program.weeks = build_weeks(program, tuple(_clean_week(week, exercises) for week in item.weeks))
    # Kept for older readers of the field: the longest session as the player times it.
    program.minutes_per_session = program_minutes(program)[1]
    return program


def _clean_week(week: schema.Week, exercises) -> CleanWeek:
    def clean_item(e) -> CleanItem:
        return CleanItem(exercises[e.exercise], e.sets, e.reps, e.hold_seconds, e.rest_seconds, e.tempo, e.note)

    routines = (CleanRoutine(r.name, tuple(r.days), tuple(map(clean_item, r.exercises))) for r in week.routines)
    return CleanWeek(week.focus, tuple(routines))
