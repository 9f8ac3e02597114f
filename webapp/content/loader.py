"""Writes a validated content bundle into the database in one transaction, and reloads it on change."""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..programs.models import Program
from ..programs.rows import CleanItem, CleanRoutine, CleanWeek, build_weeks
from ..programs.services import follow_current_versions
from . import schema
from .files import DATA_DIR, Bundle, ContentError, fingerprint, read_bundle
from .models import ContentMeta, Exercise, ExerciseMuscle, Lesson, Muscle

log = logging.getLogger("coresteady.content")

WORDS_PER_MINUTE = 200


def reading_minutes(lesson: schema.Lesson) -> int:
    text = [lesson.summary, *lesson.key_points]
    for section in lesson.sections:
        text += [section.heading, *section.paragraphs, *section.bullets]
    for question in lesson.quiz:
        text += [question.question, *question.choices, question.explanation]
    words = sum(len(chunk.split()) for chunk in text)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def stored_version() -> str | None:
    meta = db.session.get(ContentMeta, "version")
    return meta.value if meta else None


def load_content(bundle: Bundle | None = None) -> Bundle:
    """Validate everything first, then write it all or nothing."""
    bundle = bundle or read_bundle()
    try:
        _write(bundle)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    log.info("Loaded content version %s", bundle.version)
    return bundle


def _by_slug(model) -> dict:
    return {row.slug: row for row in db.session.execute(db.select(model)).scalars()}


def _write(bundle: Bundle) -> None:
    muscles = _by_slug(Muscle)
    for position, (slug, item) in enumerate(bundle.muscles.items()):
        row = muscles.get(slug) or Muscle(slug=slug)
        row.name, row.group, row.region, row.depth = item.name, item.group, item.region, item.depth
        row.role, row.note, row.position = item.role, item.note, position
        muscles[slug] = row
        db.session.add(row)
    db.session.flush()

    exercises = {slug: row for slug, row in _by_slug(Exercise).items() if row.owner_id is None}
    for slug, row in exercises.items():
        if slug not in bundle.exercises:
            row.is_active = False  # kept for the sessions that name it, hidden from the library
    for slug, item in bundle.exercises.items():
        row = exercises.get(slug) or Exercise(slug=slug)
        _fill_exercise(row, slug, item)
        row.muscle_links = [
            ExerciseMuscle(muscle_id=muscles[m].id, position=i) for i, m in enumerate(dict.fromkeys(item.muscles))
        ]
        exercises[slug] = row
        db.session.add(row)
    db.session.flush()

    lessons = _by_slug(Lesson)
    for slug, row in lessons.items():
        row.is_active = slug in bundle.lessons
    for slug, item in bundle.lessons.items():
        row = lessons.get(slug) or Lesson(slug=slug)
        row.title, row.position, row.summary = item.title, item.order, item.summary
        row.reading_minutes = reading_minutes(item)
        row.is_active = True
        row.body = item.model_dump(include={"key_points", "sections", "quiz", "sources", "related_exercises"})
        db.session.add(row)

    _write_programs(bundle, exercises)
    db.session.flush()
    follow_current_versions()

    meta = db.session.get(ContentMeta, "version") or ContentMeta(key="version")
    meta.value = bundle.version
    db.session.add(meta)


def _fill_exercise(row: Exercise, slug: str, item: schema.Exercise) -> None:
    row.name, row.summary, row.kind, row.position = item.name, item.summary, item.kind, item.position
    row.equipment, row.level, row.per_side, row.tempo = list(item.equipment), item.level, item.per_side, item.tempo
    row.cue, row.easier_slug, row.harder_slug = item.cue, item.easier, item.harder
    row.illustration, row.illustration_alt = f"img/exercises/{slug}.svg", item.illustration_alt
    dose = item.dose
    row.sets, row.reps, row.hold_seconds = dose.sets, dose.reps, dose.hold_seconds
    row.rest_seconds, row.rep_seconds = dose.rest_seconds, dose.rep_seconds
    row.details = item.model_dump(include={"steps", "feel", "cues", "mistakes", "stop_if", "sources"})
    row.is_active = True


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
        minutes_per_session=item.minutes_per_session,
        sessions_per_week=item.sessions_per_week,
        progression=item.progression,
        sources=[s.model_dump() for s in item.sources],
        source_hash=source_hash,
    )
    program.weeks = build_weeks(program, tuple(_clean_week(week, exercises) for week in item.weeks))
    return program


def _clean_week(week: schema.Week, exercises) -> CleanWeek:
    def clean_item(e) -> CleanItem:
        return CleanItem(exercises[e.exercise], e.sets, e.reps, e.hold_seconds, e.rest_seconds, e.tempo, e.note)

    routines = (CleanRoutine(r.name, tuple(r.days), tuple(map(clean_item, r.exercises))) for r in week.routines)
    return CleanWeek(week.focus, tuple(routines))


class AutoReloader:
    """Checks the files at most every few seconds and reloads the content when they changed."""

    def __init__(self, interval: float = 2.0, root: Path = DATA_DIR):
        self.interval = interval
        self.root = root
        self.checked_at = 0.0
        self.seen: tuple | None = None

    def __call__(self) -> None:
        if not current_app.config.get("CONTENT_AUTO_RELOAD"):
            return
        now = time.monotonic()
        if now - self.checked_at < self.interval:
            return
        self.checked_at = now
        stamp = fingerprint(self.root)
        if stamp == self.seen:
            return
        try:
            bundle = read_bundle(self.root)
            if stored_version() != bundle.version:
                load_content(bundle)
            self.seen = stamp
        except ContentError as exc:
            self.seen = stamp  # do not retry a broken file on every request; wait for the next edit
            log.error("Content not reloaded, the files have a problem: %s", exc)
        except SQLAlchemyError:
            db.session.rollback()  # schema not there yet (before init-db): try again later
