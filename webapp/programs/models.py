"""Programs are versioned: a change makes a new version, and old sessions keep pointing at theirs."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.models import Exercise
from ..extensions import count_revisions, db
from ..timeutil import WEEKDAYS, UTCDateTime, utcnow


def new_source_token() -> str:
    return secrets.token_hex(16)


class Program(db.Model):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("family", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every version of one program shares a family; a starter program's family is its slug.
    family: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    slug: Mapped[str | None] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[int] = mapped_column(Integer, default=1)
    minutes_per_session: Mapped[int] = mapped_column(Integer, default=15)
    sessions_per_week: Mapped[int] = mapped_column(Integer, default=3)
    progression: Mapped[str] = mapped_column(Text, default="")
    sources: Mapped[list] = mapped_column(JSON, default=list)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What the rows were built from: a starter program's content hash; for a trainer's program a fresh token at
    # each save, as one nobody follows is edited in place (the kept structures look at it: structure.py).
    source_hash: Mapped[str] = mapped_column(String(32), default=new_source_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A trainer's program put away: out of their lists and pickers; clients following it keep it.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    weeks: Mapped[list[ProgramWeek]] = relationship(
        order_by="ProgramWeek.number", cascade="all, delete-orphan", back_populates="program"
    )

    @property
    def is_starter(self) -> bool:
        return self.owner_id is None


class ProgramWeek(db.Model):
    __tablename__ = "program_weeks"
    __table_args__ = (UniqueConstraint("program_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    focus: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[Program] = relationship(back_populates="weeks")
    routines: Mapped[list[Routine]] = relationship(
        order_by="Routine.position", cascade="all, delete-orphan", back_populates="week"
    )


class Routine(db.Model):
    __tablename__ = "routines"

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("program_weeks.id", ondelete="CASCADE"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    # Planned weekdays as "mon,wed,fri".
    days: Mapped[str] = mapped_column(String(40), default="")

    week: Mapped[ProgramWeek] = relationship(back_populates="routines")
    # Routines carry their program too, so the sync API can check one in a single lookup.
    program: Mapped[Program] = relationship(foreign_keys=[program_id])
    items: Mapped[list[RoutineExercise]] = relationship(
        order_by="RoutineExercise.position", cascade="all, delete-orphan", back_populates="routine"
    )

    @property
    def day_list(self) -> list[str]:
        return [d for d in self.days.split(",") if d]


class RoutineExercise(db.Model):
    __tablename__ = "routine_exercises"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"), index=True)
    sets: Mapped[int] = mapped_column(Integer)
    reps: Mapped[int] = mapped_column(Integer)
    hold_seconds: Mapped[int] = mapped_column(Integer, default=0)
    rest_seconds: Mapped[int] = mapped_column(Integer, default=30)
    tempo: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    routine: Mapped[Routine] = relationship(back_populates="items")
    exercise: Mapped[Exercise] = relationship(lazy="joined")


class Assignment(db.Model):
    """A client following a program from a start date; a trainer's or self-chosen. One is active at a time."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The family is what was assigned; program_id follows it to the newest version.
    family: Mapped[str] = mapped_column(String(80))
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The client's own training days ("tue,thu,sat"), copied from their profile; the program's
    # days are moved onto them when the counts allow (see sessions.schedule.day_map).
    days: Mapped[str] = mapped_column(String(40), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    program: Mapped[Program] = relationship(foreign_keys=[program_id])

    @property
    def day_list(self) -> list[str]:
        return [d for d in self.days.split(",") if d]


class PersonalDose(db.Model):
    """A client's own dose of one exercise of their plan: the small steps they took, kept on the assignment.

    exercise_id is the exercise the program names (the slot); use_exercise_id another version done in its
    place (easier or harder), or None. The amounts, when set, replace the program's for that exercise in every
    week: direction "up" makes them a floor (the program's own dose applies once it is as big), "down" a cap
    (the program's applies once it is as small). A record may hold no dose at all and only remember that a
    suggestion was declined (decided_at) or that the trainer turned suggestions off for this exercise.
    """

    __tablename__ = "personal_doses"
    __table_args__ = (UniqueConstraint("assignment_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"), index=True)
    use_exercise_id: Mapped[int | None] = mapped_column(ForeignKey("exercises.id", ondelete="RESTRICT"), index=True)
    sets: Mapped[int | None] = mapped_column(Integer)
    reps: Mapped[int | None] = mapped_column(Integer)
    hold_seconds: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(4), default="")
    suggestions_off: Mapped[bool] = mapped_column(Boolean, default=False)
    # Sessions before this moment no longer count towards a suggestion for this exercise.
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Counted up by every change (extensions.count_revisions): what kept answers are checked against.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    exercise: Mapped[Exercise] = relationship(foreign_keys=[exercise_id], lazy="joined")
    use_exercise: Mapped[Exercise | None] = relationship(foreign_keys=[use_exercise_id], lazy="joined")

    @property
    def has_dose(self) -> bool:
        return self.sets is not None and self.reps is not None


count_revisions(PersonalDose)


class Profile(db.Model):
    """What onboarding learned: preferred days and time, and whether it is finished."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    preferred_days: Mapped[str] = mapped_column(String(40), default="")
    preferred_time: Mapped[str] = mapped_column(String(5), default="")
    onboarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optional; the red-flag screen asks its age questions only when this is unknown.
    birth_year: Mapped[int | None] = mapped_column(Integer)
    # Optional answers that choose the program offered first (sessions/recommend.py): how long the back has
    # troubled the person this time, whether they can get down to the floor, and how active they are.
    pain_since: Mapped[str | None] = mapped_column(String(8))
    floor: Mapped[str | None] = mapped_column(String(8))
    activity_level: Mapped[str | None] = mapped_column(String(8))
    calendar_token: Mapped[str] = mapped_column(String(48), default="")

    @property
    def day_list(self) -> list[str]:
        """The days chosen for exercise, in week order (programs.services.set_training_days keeps them so)."""
        return [day for day in self.preferred_days.split(",") if day in WEEKDAYS]
