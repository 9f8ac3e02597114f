"""What a client did and how it felt, keyed by the phone's own UUID so a sync can never count it twice."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.models import Exercise
from ..extensions import db
from ..programs.models import Program, Routine
from ..timeutil import UTCDateTime, utcnow


class CompletedSession(db.Model):
    __tablename__ = "completed_sessions"
    __table_args__ = (
        CheckConstraint("pain_before BETWEEN 0 AND 10", name="pain_before"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after"),
        CheckConstraint("effort BETWEEN 0 AND 10", name="effort"),
        # A person's sessions newest first (history, export, the API's pages) read this index alone.
        Index("ix_completed_sessions_user_id_completed_at", "user_id", "completed_at"),
        # A client's last session day and last weeks by day (the trainer's dashboard): a seek per client.
        Index("ix_completed_sessions_user_id_local_date", "user_id", "local_date"),
        # A client's sessions by arrival: the dashboard's kept rows count those since a point (trainer/summaries.py).
        Index("ix_completed_sessions_user_id_id", "user_id", "id"),
        # The phone's UUID is unique per account: another account's session with the same id is its own, and a
        # sync never learns that it exists.
        UniqueConstraint("user_id", "uuid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The client's UUID: the unique constraint (with user_id) is what makes a replayed sync harmless.
    uuid: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The day it counts for, in the user's own time zone when it was done.
    local_date: Mapped[date] = mapped_column(Date, index=True)
    pain_before: Mapped[int] = mapped_column(Integer)
    pain_after: Mapped[int] = mapped_column(Integer)
    effort: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    routine: Mapped[Routine] = relationship()
    program: Mapped[Program] = relationship()
    exercises: Mapped[list[SessionExercise]] = relationship(
        order_by="SessionExercise.position", cascade="all, delete-orphan", back_populates="session"
    )


class SessionExercise(db.Model):
    __tablename__ = "session_exercises"
    __table_args__ = (CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("completed_sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id"), index=True)
    sets_done: Mapped[int] = mapped_column(Integer)
    reps_done: Mapped[int] = mapped_column(Integer)
    hold_seconds: Mapped[int] = mapped_column(Integer, default=0)
    painful: Mapped[bool] = mapped_column(Boolean, default=False)
    # The pain rated just after this exercise in the player (0-10); None when skipped or sent by an older phone.
    pain_during: Mapped[int | None] = mapped_column(Integer)

    session: Mapped[CompletedSession] = relationship(back_populates="exercises")
    exercise: Mapped[Exercise] = relationship(lazy="joined")


class CheckIn(db.Model):
    """A pain rating outside a session: at onboarding, or the next-morning (24-hour) check."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint("pain BETWEEN 0 AND 10", name="pain"),
        # The onboarding rating among a person's many next-morning checks.
        Index("ix_check_ins_user_id_kind_created_at", "user_id", "kind", "created_at"),
        # A person's check-ins by arrival (trainer/summaries.py), and every lookup by person.
        Index("ix_check_ins_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "baseline" or "next-day"
    pain: Mapped[int] = mapped_column(Integer)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("completed_sessions.id", ondelete="CASCADE"), index=True)
    # The next morning's "any new numbness, tingling or weakness in your legs?"; None where it was not asked.
    legs: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RedFlagScreen(db.Model):
    """One answer to the red-flag screen, keyed by a UUID so a phone's answer made offline is stored once.

    An answer names the signs ticked (none: clear). A confirmation is a later answer that repeats the signs a
    clinician has since assessed and says on which day (assessed_on); it is what lifts a blocking answer.
    Answers are never changed or removed: the trainer sees each for 30 days whatever later answers say.
    """

    __tablename__ = "red_flag_screens"
    __table_args__ = (
        Index("ix_red_flag_screens_user_id_answered_at", "user_id", "answered_at"),
        # A person's answers by arrival (trainer/summaries.py), and every lookup by person.
        Index("ix_red_flag_screens_user_id_id", "user_id", "id"),
        UniqueConstraint("user_id", "uuid"),  # per account, like a session's
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid4()))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    signs: Mapped[list] = mapped_column(JSON, default=list)
    outcome: Mapped[str] = mapped_column(String(16))  # red_flags.Outcome, as the server judged it
    assessed_on: Mapped[date | None] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    # When the server received it.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FunctionActivity(db.Model):
    """Patient-specific function: an activity the person finds hard, rated 0 (cannot) to 10 (as before)."""

    __tablename__ = "function_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)
    ratings: Mapped[list[FunctionRating]] = relationship(
        order_by="FunctionRating.rated_at", cascade="all, delete-orphan", back_populates="activity"
    )


class FunctionRating(db.Model):
    __tablename__ = "function_ratings"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="score"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("function_activities.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[FunctionActivity] = relationship(back_populates="ratings")


class MilestoneShown(db.Model):
    """A milestone Today has shown the person (sessions/milestones.py): each is shown once."""

    __tablename__ = "milestones_shown"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "first-session", "ten-sessions", "finished:<assignment id>", ...
    key: Mapped[str] = mapped_column(String(40))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
