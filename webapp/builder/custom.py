"""A trainer's own exercises: what the form must hold, and saving one with its picture in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import url_for

from ..auth.models import User
from ..content.doses import check_dose
from ..content.images import EXTENSIONS, CheckedImage
from ..content.models import Exercise, ExerciseImage, ExerciseMuscle, Muscle
from ..content.schema import EQUIPMENT, POSITIONS
from ..extensions import db
from ..programs.models import Assignment, Routine, RoutineExercise
from ..sessions.models import SessionExercise

NO_PICTURE = "img/custom-exercise.svg"
# The most exercises of their own one trainer account keeps, archived ones included. Anyone may sign up as a
# trainer, and each exercise may carry a picture of up to 2 MB kept in the database: this bounds what one account
# can store (400 MB) while leaving a clinic several times the 31 exercises of the shipped library.
MAX_OWN_EXERCISES = 200
MAX_LINES = 15
LINE_MAX = 300

TEXT_FIELDS = {
    # field: (label, required, longest)
    "name": ("Name", True, 80),
    "summary": ("Summary", True, 300),
    "cue": ("The one thing to remember", True, 90),
    "tempo": ("Tempo", False, 120),
    "feel": ("What the client should feel", False, 600),
    "image_alt": ("Describe the picture", False, 200),
}
LIST_FIELDS = {
    # field: (label, at least)
    "steps": ("Steps", 1),
    "tips": ("Tips", 0),
    "mistakes": ("Common mistakes", 0),
    "stop_if": ("When to stop", 1),
}
# Form field -> key of Exercise.details, where the shipped exercises keep the same lists.
_DETAIL_KEYS = {"steps": "steps", "tips": "cues", "mistakes": "mistakes", "stop_if": "stop_if"}


@dataclass
class ExerciseForm:
    """What the trainer typed, kept as text so a refused form comes back exactly as it was."""

    values: dict[str, str] = field(default_factory=dict)
    muscles: list[str] = field(default_factory=list)
    equipment: list[str] = field(default_factory=list)
    per_side: bool = False

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass(frozen=True)
class CleanExercise:
    name: str
    summary: str
    kind: str
    position: str
    level: int
    per_side: bool
    cue: str
    tempo: str
    image_alt: str
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    details: dict


def blank_form() -> ExerciseForm:
    return ExerciseForm(
        values={
            "kind": "reps",
            "position": "lying-back",
            "level": "1",
            "sets": "1",
            "reps": "8",
            "hold": "0",
            "rest": "30",
            "tempo": "Slow and controlled",
            "stop_if": "Pain goes above 5 out of 10, or feels sharp or shooting\nPain or tingling spreads down a leg",
        }
    )


def form_from_exercise(exercise: Exercise) -> ExerciseForm:
    details = exercise.details or {}
    return ExerciseForm(
        values={
            "name": exercise.name,
            "summary": exercise.summary,
            "kind": exercise.kind,
            "position": exercise.position,
            "level": str(exercise.level),
            "cue": exercise.cue,
            "tempo": exercise.tempo,
            "feel": details.get("feel", ""),
            "image_alt": exercise.illustration_alt,
            "sets": str(exercise.sets),
            "reps": str(exercise.reps),
            "hold": str(exercise.hold_seconds),
            "rest": str(exercise.rest_seconds),
            **{name: "\n".join(details.get(key, [])) for name, key in _DETAIL_KEYS.items()},
        },
        muscles=[m.slug for m in exercise.muscles],
        equipment=list(exercise.equipment or []),
        per_side=exercise.per_side,
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def check(
    form: ExerciseForm, muscles: dict[str, Muscle], locked_kind: str | None = None
) -> tuple[CleanExercise | None, dict[str, str]]:
    """The exercise to save, or the problems keyed by field name (each a sentence naming what to fix)."""
    errors: dict[str, str] = {}
    text = {}
    for name, (label, required, longest) in TEXT_FIELDS.items():
        value = " ".join(form.get(name).split())
        if required and not value:
            errors[name] = f"{label}: fill this in."
        elif len(value) > longest:
            errors[name] = f"{label}: keep it to {longest} characters (it has {len(value)})."
        text[name] = value
    lists = {}
    for name, (label, at_least) in LIST_FIELDS.items():
        lines = _lines(form.get(name))
        if len(lines) < at_least:
            errors[name] = f"{label}: write at least {at_least}, one per line."
        elif len(lines) > MAX_LINES or any(len(line) > LINE_MAX for line in lines):
            errors[name] = f"{label}: keep it to {MAX_LINES} lines of up to {LINE_MAX} characters."
        lists[name] = lines
    kind = form.get("kind")
    if kind not in ("hold", "reps"):
        errors["kind"] = "Kind: choose hold or repetitions."
    elif locked_kind and kind != locked_kind:
        errors["kind"] = (
            "Kind: this exercise is already in your programs, where its doses are set as "
            f"{'holds' if locked_kind == 'hold' else 'repetitions'}. Make a new exercise for the other kind."
        )
    if form.get("position") not in POSITIONS:
        errors["position"] = "Position: choose one from the list."
    level = form.get("level")
    if level not in ("1", "2", "3", "4", "5"):
        errors["level"] = "Level: choose from 1 (easiest) to 5."
    chosen = list(dict.fromkeys(form.muscles))
    if not chosen or any(slug not in muscles for slug in chosen):
        errors["muscles"] = "Muscles: tick at least one muscle this exercise trains."
    if any(item not in EQUIPMENT for item in form.equipment):
        errors["equipment"] = "Equipment: choose from the list."
    dose, dose_errors = check_dose(kind if kind in ("hold", "reps") else "reps", form.values)
    for name, problem in dose_errors.items():
        errors[name] = f"Starting dose: {problem}."
    if errors:
        return None, errors
    return CleanExercise(
        name=text["name"],
        summary=text["summary"],
        kind=kind,
        position=form.get("position"),
        level=int(level),
        per_side=form.per_side,
        cue=text["cue"],
        tempo=text["tempo"],
        image_alt=text["image_alt"] or f"Picture of {text['name']}",
        muscles=tuple(chosen),
        equipment=tuple(dict.fromkeys(form.equipment)),
        sets=dose.sets,
        reps=dose.reps,
        hold_seconds=dose.hold_seconds,
        rest_seconds=dose.rest_seconds,
        details={
            "steps": lists["steps"],
            "feel": text["feel"],
            "cues": lists["tips"],
            "mistakes": lists["mistakes"],
            "stop_if": lists["stop_if"],
            "sources": [],
        },
    ), {}


def slug_base(name: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return words[:50].strip("-") or "exercise"


def new_slug(name: str, trainer_id: int) -> str:
    """The slug "<name>-t<trainer id>", numbered when the trainer already has one by that name (slugs are global)."""
    stem = f"{slug_base(name)}-t{trainer_id}"
    taken = set(db.session.execute(db.select(Exercise.slug).where(Exercise.slug.like(f"{stem}%"))).scalars())
    if stem not in taken:
        return stem
    return next(f"{stem}-{n}" for n in range(2, len(taken) + 3) if f"{stem}-{n}" not in taken)


def own_exercises(trainer, archived: bool = False) -> list[Exercise]:
    """The trainer's exercises in use (the default), or those archived (archived=True)."""
    query = (
        db.select(Exercise)
        .where(Exercise.owner_id == trainer.id, Exercise.is_active.is_(not archived))
        .order_by(Exercise.name)
    )
    return list(db.session.execute(query).scalars())


def own_count(trainer) -> int:
    """How many exercises of their own the trainer keeps, archived ones included."""
    query = db.select(db.func.count()).select_from(Exercise).where(Exercise.owner_id == trainer.id)
    return db.session.execute(query).scalar_one()


def no_room_for_another(count: int) -> str | None:
    """Why a trainer keeping `count` exercises of their own cannot make another, or None."""
    if count < MAX_OWN_EXERCISES:
        return None
    return (
        f"You have {MAX_OWN_EXERCISES} exercises of your own, the most one account can keep (archived ones count). "
        "Delete one you no longer use to make another, or change one you have."
    )


def own_exercise(trainer, exercise_id: int) -> Exercise | None:
    exercise = db.session.get(Exercise, exercise_id)
    return exercise if exercise is not None and exercise.owner_id == trainer.id else None


def used_in_programs(exercise: Exercise) -> bool:
    query = db.select(RoutineExercise.id).where(RoutineExercise.exercise_id == exercise.id).limit(1)
    return db.session.execute(query).first() is not None


def kept_by_former_clients(exercise: Exercise) -> int:
    """How many people who are no longer the owner's clients follow a plan with this exercise in it.

    What they follow must not change because of the trainer they left (programs.services.follows_new_versions),
    and an exercise is not versioned: so it is not changed at all while they follow it."""
    query = (
        db.select(db.func.count(db.distinct(Assignment.client_id)))
        .join(Routine, Routine.program_id == Assignment.program_id)
        .join(RoutineExercise, RoutineExercise.routine_id == Routine.id)
        .join(User, User.id == Assignment.client_id)
        .where(
            Assignment.is_active.is_(True),
            RoutineExercise.exercise_id == exercise.id,
            db.or_(User.trainer_id.is_(None), User.trainer_id != exercise.owner_id),
        )
    )
    return db.session.execute(query).scalar() or 0


def used_exercise_ids(exercise_ids: list[int]) -> set[int]:
    """Which of these exercises a routine (of any program, any version) or a done session names."""
    if not exercise_ids:
        return set()
    used = set()
    for column in (RoutineExercise.exercise_id, SessionExercise.exercise_id):
        used |= set(db.session.execute(db.select(column).where(column.in_(exercise_ids)).distinct()).scalars())
    return used


def is_used(exercise: Exercise) -> bool:
    return bool(used_exercise_ids([exercise.id]))


class InUse(Exception):
    """A routine or a session names the exercise: it can be archived, never deleted."""


def set_archived(exercise: Exercise, archived: bool) -> None:
    """Archive (out of the library and the picker, still in the routines that hold it) or restore."""
    exercise.is_active = not archived
    db.session.commit()


def delete(exercise: Exercise) -> None:
    """Delete an exercise nothing uses, with its picture; raises InUse, changing nothing, otherwise."""
    try:
        if is_used(exercise):
            raise InUse(exercise.id)
        for model in (ExerciseMuscle, ExerciseImage):
            db.session.execute(
                db.delete(model).where(model.exercise_id == exercise.id),
                execution_options={"synchronize_session": False},
            )
        db.session.execute(
            db.delete(Exercise).where(Exercise.id == exercise.id), execution_options={"synchronize_session": False}
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class NoRoom(Exception):
    """Another exercise was made meanwhile and took the last place (str: no_room_for_another's words)."""


def save(trainer, clean: CleanExercise, image: CheckedImage | None, exercise: Exercise | None = None) -> Exercise:
    """Create or update the trainer's exercise and its picture; all of it is written, or none. A new one is
    counted again inside the transaction (NoRoom past the limit): the view's count before it, read outside it,
    could not see a new exercise of the same trainer being saved at the same moment."""
    new = exercise is None
    try:
        if new:
            # PostgreSQL: the trainer's row locked, so their new exercises are saved one at a time and the count
            # below sees every one committed before. SQLite (no FOR UPDATE) has one writer at a time anyway, from
            # the INSERT that flush sends on, and the count comes after it.
            db.session.execute(db.select(User.id).where(User.id == trainer.id).with_for_update())
            # The slug is fixed at creation: phones name exercises by slug in the sessions they queue.
            exercise = Exercise(slug=new_slug(clean.name, trainer.id), owner_id=trainer.id, illustration=NO_PICTURE)
            db.session.add(exercise)
        exercise.name, exercise.summary, exercise.kind = clean.name, clean.summary, clean.kind
        exercise.position, exercise.level, exercise.per_side = clean.position, clean.level, clean.per_side
        exercise.equipment, exercise.cue, exercise.tempo = list(clean.equipment), clean.cue, clean.tempo
        exercise.sets, exercise.reps = clean.sets, clean.reps
        exercise.hold_seconds, exercise.rest_seconds = clean.hold_seconds, clean.rest_seconds
        # is_active is left as it is: editing an archived exercise keeps it archived.
        exercise.illustration_alt, exercise.details = clean.image_alt, clean.details
        by_slug = {m.slug: m for m in db.session.execute(db.select(Muscle)).scalars()}
        exercise.muscle_links = [
            ExerciseMuscle(muscle_id=by_slug[slug].id, position=i) for i, slug in enumerate(clean.muscles)
        ]
        db.session.flush()
        if new and (full := no_room_for_another(own_count(trainer) - 1)):
            raise NoRoom(full)
        if image is not None:
            _store_image(exercise, image)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return exercise


def _store_image(exercise: Exercise, image: CheckedImage) -> None:
    row = db.session.execute(
        db.select(ExerciseImage).where(ExerciseImage.exercise_id == exercise.id)
    ).scalar_one_or_none() or ExerciseImage(exercise_id=exercise.id)
    row.data, row.mimetype, row.sha256 = image.data, image.mimetype, image.sha256
    db.session.add(row)
    # The URL carries the picture's hash, so it can be cached forever and a new picture gets a new URL.
    exercise.illustration = url_for(
        "builder.exercise_image", exercise_id=exercise.id, sha=image.sha256[:16], ext=image.extension
    )


def image_for(exercise_id: int, sha: str, ext: str) -> ExerciseImage | None:
    row = db.session.execute(
        db.select(ExerciseImage).where(ExerciseImage.exercise_id == exercise_id)
    ).scalar_one_or_none()
    if row is None or not row.sha256.startswith(sha) or len(sha) != 16:
        return None
    if EXTENSIONS.get(row.mimetype) != ext:
        return None
    return row
