"""Lessons, exercises and muscles as stored after loading the content files."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import count_revisions, db
from ..timeutil import UTCDateTime, utcnow


class ContentMeta(db.Model):
    """Small key/value facts about the loaded content, such as its version."""

    __tablename__ = "content_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Muscle(db.Model):
    __tablename__ = "muscles"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    group: Mapped[str] = mapped_column(String(12))
    region: Mapped[str] = mapped_column(String(8))
    depth: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExerciseMuscle(db.Model):
    __tablename__ = "exercise_muscles"
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), primary_key=True)
    muscle_id: Mapped[int] = mapped_column(ForeignKey("muscles.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    muscle: Mapped[Muscle] = relationship(lazy="joined")


class Exercise(db.Model):
    __tablename__ = "exercises"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(5))
    position: Mapped[str] = mapped_column(String(20))
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    level: Mapped[int] = mapped_column(Integer)
    per_side: Mapped[bool] = mapped_column(Boolean, default=False)
    tempo: Mapped[str] = mapped_column(Text, default="")
    cue: Mapped[str] = mapped_column(String(120))
    easier_slug: Mapped[str] = mapped_column(String(80), default="")
    harder_slug: Mapped[str] = mapped_column(String(80), default="")
    illustration: Mapped[str] = mapped_column(String(255))
    illustration_alt: Mapped[str] = mapped_column(Text)
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    hold_seconds: Mapped[int] = mapped_column(Integer, default=0)
    rest_seconds: Mapped[int] = mapped_column(Integer)
    rep_seconds: Mapped[int] = mapped_column(Integer, default=3)
    # steps, feel, cues, mistakes, stop_if, sources: read together, never queried apart.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # A trainer's own exercise (null for the shipped library); seen only by that trainer's clients.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Counted up in the database by every change (count_revisions), whatever the clock says: answers kept per
    # process are checked against it (sessions/kept.py).
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    muscle_links: Mapped[list[ExerciseMuscle]] = relationship(
        order_by=ExerciseMuscle.position, cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def muscles(self) -> list[Muscle]:
        return [link.muscle for link in self.muscle_links]

    @property
    def top(self) -> dict | None:
        """The top of its dose as its file writes it (top_sets, top_reps, top_hold_seconds), if it does."""
        return (self.details or {}).get("top")


class Lesson(db.Model):
    __tablename__ = "lessons"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    reading_minutes: Mapped[int] = mapped_column(Integer)
    # key_points, sections, quiz, sources, related_exercises
    body: Mapped[dict] = mapped_column(JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ExerciseImage(db.Model):
    """A trainer's picture for a custom exercise, kept in the database so app processes stay stateless."""

    __tablename__ = "exercise_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"), unique=True)
    mimetype: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LessonRead(db.Model):
    """A lesson a person said they had read: Today suggests it no more, the list marks it. Kept by slug, which
    stays the same when the content files are loaded again."""

    __tablename__ = "lesson_reads"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    lesson_slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


count_revisions(Exercise)
