"""Writes the library part of a validated bundle (muscles, exercises, lessons) and its version into the database."""

from __future__ import annotations

import math

from ..extensions import db
from . import schema
from .files import Bundle
from .models import ContentMeta, Exercise, ExerciseMuscle, Lesson, Muscle

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


def _by_slug(model) -> dict:
    return {row.slug: row for row in db.session.execute(db.select(model)).scalars()}


def write_library(bundle: Bundle) -> dict[str, Exercise]:
    """Muscles, the shipped exercises and the lessons, flushed, not committed; returns the exercises by slug."""
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

    return exercises


def _fill_exercise(row: Exercise, slug: str, item: schema.Exercise) -> None:
    row.name, row.summary, row.kind, row.position = item.name, item.summary, item.kind, item.position
    row.equipment, row.level, row.per_side, row.tempo = list(item.equipment), item.level, item.per_side, item.tempo
    row.cue, row.easier_slug, row.harder_slug = item.cue, item.easier, item.harder
    row.illustration, row.illustration_alt = f"img/exercises/{slug}.svg", item.illustration_alt
    dose = item.dose
    row.sets, row.reps, row.hold_seconds = dose.sets, dose.reps, dose.hold_seconds
    row.rest_seconds, row.rep_seconds = dose.rest_seconds, dose.rep_seconds
    row.details = item.model_dump(
        include={"steps", "feel", "cues", "mistakes", "stop_if", "sources", "no_easier", "no_harder", "cautions"}
    )
    row.details["top"] = dose.top()
    row.is_active = True


def set_version(version: str) -> None:
    """Record which bundle is loaded: installed apps compare it to notice an update."""
    meta = db.session.get(ContentMeta, "version") or ContentMeta(key="version")
    meta.value = version
    db.session.add(meta)
