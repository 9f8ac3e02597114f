"""Queries and rules for the library: who sees which exercise, filters, search, and API shapes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import Flask, current_app, url_for
from sqlalchemy import Select, bindparam, or_
from sqlalchemy.orm import defer, lazyload

from ..assets import asset_url
from ..extensions import db
from ..inputs import whole_number
from .models import Exercise, Lesson, LessonRead, Muscle
from .schema import POSITIONS

POSITION_LABELS = {
    "lying-back": "Lying on your back",
    "lying-front": "Lying on your front",
    "lying-side": "Lying on your side",
    "all-fours": "On all fours",
    "kneeling": "Kneeling",
    "sitting": "Sitting",
    "standing": "Standing",
}
KIND_LABELS = {"hold": "Hold", "reps": "Repetitions"}
CAUTION_LABELS = {
    "pregnancy": "You are pregnant",
    "osteoporosis": "You have osteoporosis",
    "stenosis": "You have spinal stenosis",
}
GROUP_LABELS = {"major": "Major core muscle", "minor": "Minor core muscle", "supporting": "Supporting muscle"}


def owner_visible_to(user) -> int | None:
    """Whose custom exercises a user may see: a trainer their own, a client their trainer's (None: nobody's)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.id if user.role == "trainer" else user.trainer_id


def _owned_by_visible(user):
    return _visible_with(owner_visible_to(user))


def _visible_with(owner):
    """The shipped library and the custom exercises of this owner (a trainer's id, a bound parameter, or None)."""
    if owner is None:
        return Exercise.owner_id.is_(None)
    return or_(Exercise.owner_id.is_(None), Exercise.owner_id == owner)


# An archived custom exercise (is_active False, with an owner) is out of the library's lists and the builder's
# picker, but the routines that hold it keep showing it, playing it and syncing sessions of it.
_REACHABLE = or_(Exercise.is_active.is_(True), Exercise.owner_id.is_not(None))


def visible_exercises(user, lean: bool = False) -> list[Exercise]:
    """The library as this user sees it: active exercises only (lean: without their long texts and muscles)."""
    query = (
        db.select(Exercise)
        .where(Exercise.is_active.is_(True), _owned_by_visible(user))
        .order_by(Exercise.level, Exercise.name)
    )
    if lean:
        query = query.options(*_LEAN)
    return list(db.session.execute(query).scalars())


# What the doses and the small steps read of the library (names, levels, doses, easier and harder versions): the
# rows without their long texts (details, a JSON document) and without their muscles, which cost a query more.
_LEAN = (defer(Exercise.details), lazyload(Exercise.muscle_links))


class Library(Mapping):
    """visible_exercises by slug, lean (_LEAN), read from the database only when first looked in: most days no
    small step needs another version of an exercise."""

    def __init__(self, user):
        self.user = user
        self._found: dict[str, Exercise] | None = None

    def _exercises(self) -> dict[str, Exercise]:
        if self._found is None:
            self._found = {exercise.slug: exercise for exercise in visible_exercises(self.user, lean=True)}
        return self._found

    def __getitem__(self, slug: str) -> Exercise:
        return self._exercises()[slug]

    def __iter__(self):
        return iter(self._exercises())

    def __len__(self) -> int:
        return len(self._exercises())


def exercise_library(user) -> Library:
    """The exercises this user sees by slug (the versions a step may move to), read when first needed."""
    return Library(user)


# Plans sit above the library, so they tell it which exercises a person's own plans hold (see register_kept):
# a function (a client's id: a number or a bound parameter) -> a select of exercise ids.
KEPT = "coresteady.kept_exercises"
KeptExercises = Callable[[object], Select]


def register_kept(app: Flask, kept: KeptExercises) -> None:
    app.extensions[KEPT] = kept


def _kept_for(user) -> KeptExercises | None:
    """The plans' exercises apply to a signed-in client (a trainer's own are theirs anyway)."""
    if getattr(user, "role", None) != "client" or not getattr(user, "is_authenticated", False):
        return None
    return current_app.extensions.get(KEPT)


def _reachable_with(owner, client_id, kept: KeptExercises | None):
    """What a user may open, play and sync: the library, their trainer's custom exercises (archived ones too),
    and every exercise in a plan they follow or followed, whoever made it. The last keeps a plan working after the
    client leaves their trainer, or the trainer deletes their account (which leaves those exercises ownerless).
    owner: whose custom exercises they see (_visible_with); client_id and kept: the client's plans, if any."""
    reachable = _REACHABLE & _visible_with(owner)
    return or_(reachable, Exercise.id.in_(kept(client_id))) if kept is not None else reachable


def _reachable(user):
    return _reachable_with(owner_visible_to(user), getattr(user, "id", None), _kept_for(user))


def reachable_exercises(user, slugs: set[str] | None = None, lean: bool = False) -> list[Exercise]:
    """The library, the custom exercises of the trainer this user sees, and those of their plans: what a routine
    may name (only those of these slugs, if given; lean: without their long texts and muscles)."""
    query = db.select(Exercise).where(_reachable(user)).order_by(Exercise.level, Exercise.name)
    if slugs is not None:
        query = query.where(Exercise.slug.in_(slugs))
    if lean:
        query = query.options(*_LEAN)
    return list(db.session.execute(query).scalars())


def reachable_links(user, slugs: set[str] | None = None) -> dict[str, ExerciseLinks]:
    """reachable_exercises as {slug: ExerciseLinks}, plain rows: what a synced session is checked against."""
    values = {"owner": owner_visible_to(user), "client_id": getattr(user, "id", None)}
    if slugs is not None:
        values["slugs"] = sorted(slugs)
    statement = _links_statement(_kept_for(user), slugs is not None)
    # Plain rows, run on the session's connection: the ORM's part of running a statement cost more than SQLite's.
    return {row.slug: ExerciseLinks(*row) for row in db.session.connection().execute(statement, values)}


@cache
def _links_statement(kept: KeptExercises | None, by_slug: bool):
    """reachable_links' statement, built once per kind (every sync runs it; building it cost more than running it),
    with the owner, the client and the slugs as parameters. owner None matches no custom exercise."""
    reachable = _reachable_with(bindparam("owner"), bindparam("client_id"), kept)
    query = db.select(Exercise.id, Exercise.slug, Exercise.easier_slug, Exercise.harder_slug).where(reachable)
    return query.where(Exercise.slug.in_(bindparam("slugs", expanding=True))) if by_slug else query


@dataclass(frozen=True)
class ExerciseLinks:
    """An exercise's id and slug, and the slugs of its easier and harder versions."""

    id: int
    slug: str
    easier_slug: str
    harder_slug: str


def exercise_for(user, slug: str) -> Exercise | None:
    """One exercise by slug that this user may open: from the library, archived but still in routines, or kept."""
    query = db.select(Exercise).where(Exercise.slug == slug, _reachable(user))
    return db.session.execute(query).scalar_one_or_none()


def may_open(user, exercise_id: int) -> bool:
    """Whether this user may see this exercise (and its picture)."""
    query = db.select(Exercise.id).where(Exercise.id == exercise_id, _reachable(user))
    return db.session.execute(query).first() is not None


@dataclass(frozen=True)
class Filters:
    muscle: str = ""
    position: str = ""
    kind: str = ""
    level: int | None = None
    q: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        level = args.get("level", "")
        return cls(
            muscle=args.get("muscle", "").strip(),
            position=args.get("position", "") if args.get("position", "") in POSITIONS else "",
            kind=args.get("kind", "") if args.get("kind", "") in KIND_LABELS else "",
            level=whole_number(level, 1, 5),
            q=args.get("q", "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        return bool(self.muscle or self.position or self.kind or self.level or self.q)


def search_text(exercise: Exercise) -> str:
    """What a search looks in, lower case: the page and its script search the same text.

    Each word of it once: a search word (never with a space) is found in the text exactly when it is found in one
    of its words, so a word said again adds nothing but bytes (the library page carries this for every exercise,
    and it is part of the offline package)."""
    details = exercise.details or {}
    parts = [exercise.name, exercise.summary, exercise.cue, exercise.position, exercise.kind]
    parts += [m.name for m in exercise.muscles] + [m.slug for m in exercise.muscles]
    parts += details.get("steps", []) + details.get("cues", [])
    return " ".join(dict.fromkeys(" ".join(parts).lower().split()))


def filter_exercises(exercises: list[Exercise], filters: Filters) -> list[Exercise]:
    """The exercises that pass every filter; with a search, those named by it come first."""
    words = filters.q.lower().split()
    out = []
    for exercise in exercises:
        if filters.muscle and filters.muscle not in {m.slug for m in exercise.muscles}:
            continue
        if filters.position and exercise.position != filters.position:
            continue
        if filters.kind and exercise.kind != filters.kind:
            continue
        if filters.level and exercise.level != filters.level:
            continue
        if words:
            haystack = search_text(exercise)
            if not all(word in haystack for word in words):
                continue
        out.append(exercise)
    if words:
        out.sort(key=lambda e: not all(word in e.name.lower() for word in words))
    return out


def all_muscles() -> list[Muscle]:
    return list(db.session.execute(db.select(Muscle).order_by(Muscle.position)).scalars())


def active_lessons(lean: bool = False) -> list[Lesson]:
    """The course in order; lean: without each lesson's body (a JSON document), for lists of titles and links."""
    query = db.select(Lesson).where(Lesson.is_active.is_(True)).order_by(Lesson.position)
    if lean:
        query = query.options(defer(Lesson.body))
    return list(db.session.execute(query).scalars())


@cache
def _unread_lessons():
    read = db.select(LessonRead.lesson_slug).where(LessonRead.user_id == bindparam("user_id"))
    return (
        db.select(Lesson)
        .where(Lesson.is_active.is_(True), Lesson.slug.not_in(read))
        .order_by(Lesson.position)
        .options(defer(Lesson.body))
    )


def unread_lessons(user) -> list[Lesson]:
    """The course in order, lean (active_lessons), without the lessons this person said they had read: one query
    (built once: Today runs it on every visit)."""
    return list(db.session.execute(_unread_lessons(), {"user_id": user.id}).scalars())


def lesson_by_slug(slug: str) -> Lesson | None:
    return db.session.execute(
        db.select(Lesson).where(Lesson.slug == slug, Lesson.is_active.is_(True))
    ).scalar_one_or_none()


def lessons_read(user) -> dict[str, datetime]:
    """The lessons this person said they had read, by slug, with when; none for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = db.session.execute(db.select(LessonRead.lesson_slug, LessonRead.read_at).filter_by(user_id=user.id))
    return dict(rows.all())


def mark_read(user, lesson: Lesson, now: datetime) -> None:
    """Remember that the person read this lesson; reading it again keeps the first time."""
    if db.session.get(LessonRead, (user.id, lesson.slug)) is None:
        db.session.add(LessonRead(user_id=user.id, lesson_slug=lesson.slug, read_at=now))
    db.session.commit()


def illustration_url(exercise: Exercise) -> str:
    if exercise.illustration.startswith(("/", "http")):
        return exercise.illustration
    return asset_url(exercise.illustration)


def duration_words(seconds: int) -> str:
    """ "45 s", "4 min", "1 min 30 s": as the player says it (static/js/player/words.js)."""
    if seconds < 60:
        return f"{seconds} s"
    rest = seconds % 60
    return f"{seconds // 60} min {rest} s" if rest else f"{seconds // 60} min"


def dose_text(sets: int, reps: int, hold_seconds: int, kind: str, per_side: bool, rest_seconds: int = 0) -> str:
    """A dose in words. Holds of a minute or more are bouts (a walk), in minutes with the rest between them."""
    side = " each side" if per_side else ""
    if kind == "hold" and hold_seconds >= 60:
        text = f"{reps} × {duration_words(hold_seconds)}{side}" if reps > 1 else f"{duration_words(hold_seconds)}{side}"
        if reps > 1:
            text += f", {duration_words(rest_seconds)} rest between" if rest_seconds else ", a short pause between"
    elif kind == "hold":
        holds = f"{reps} × {hold_seconds} s hold" if reps > 1 else f"{hold_seconds} s hold"
        text = f"{holds}{side}"
    else:
        text = f"{reps} reps{side}"
    return f"{sets} sets of {text}" if sets > 1 else text


def default_dose(exercise: Exercise) -> str:
    """The exercise's own starting dose in words, as its page and the builder's picker show it."""
    return dose_text(
        exercise.sets, exercise.reps, exercise.hold_seconds, exercise.kind, exercise.per_side, exercise.rest_seconds
    )


def exercise_payload(exercise: Exercise) -> dict:
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "summary": exercise.summary,
        "muscles": [m.slug for m in exercise.muscles],
        "kind": exercise.kind,
        "position": exercise.position,
        "equipment": list(exercise.equipment or []),
        "level": exercise.level,
        "per_side": exercise.per_side,
        "cue": exercise.cue,
        "tempo": exercise.tempo,
        "dose": {
            "sets": exercise.sets,
            "reps": exercise.reps,
            "hold_seconds": exercise.hold_seconds,
            "rest_seconds": exercise.rest_seconds,
            "rep_seconds": exercise.rep_seconds,
        },
        "easier": exercise.easier_slug or None,
        "harder": exercise.harder_slug or None,
        "illustration": illustration_url(exercise),
        "illustration_alt": exercise.illustration_alt,
        "url": url_for("content.exercise_detail", slug=exercise.slug),
        "custom": exercise.owner_id is not None,
    }


def lesson_payload(lesson: Lesson) -> dict:
    return {
        "slug": lesson.slug,
        "title": lesson.title,
        "order": lesson.position,
        "summary": lesson.summary,
        "reading_minutes": lesson.reading_minutes,
        "key_points": lesson.body.get("key_points", []),
        "related_exercises": lesson.body.get("related_exercises", []),
        "url": url_for("content.lesson_detail", slug=lesson.slug),
    }
