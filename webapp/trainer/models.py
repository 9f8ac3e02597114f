"""Invites that link a client to a trainer (their messages are in webapp/messages), and the dashboard's kept rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class Invite(db.Model):
    """A single-use invitation; the link carries a signed token naming this row."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A random nonce inside the signed token, so a link cannot be rebuilt from the row id alone.
    nonce: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class DashboardSummary(db.Model):
    """A client's dashboard row as the rules last worked it out: derived data, never a record of its own.

    The job worker rewrites it (trainer/dashboard.refresh); the dashboard uses it only while `fingerprint` still
    equals the fingerprint of the client's inputs (trainer/summaries.py) and `valid_until` is still ahead, and
    otherwise works the row out again from the records. It goes with the client's account.
    """

    __tablename__ = "dashboard_summaries"

    client_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # What the row was worked out from: counts of the client's records, their zone and their plan.
    fingerprint: Mapped[str] = mapped_column(Text)
    # The records are counted from these ids on (each table's newest row that had long arrived when the row was
    # worked out), so that reading the fingerprint costs the same whatever a client's history.
    sessions_from: Mapped[int] = mapped_column(Integer)
    check_ins_from: Mapped[int] = mapped_column(Integer)
    answers_from: Mapped[int] = mapped_column(Integer)
    # The earliest moment at which the clock alone could change the row (a day's end in the client's zone, a
    # red-flag answer leaving its 30 days, a safety check falling due...).
    valid_until: Mapped[datetime] = mapped_column(UTCDateTime)
    # The row: adherence, last session day, pain, effort, the flags with their reasons, the painful exercises' names.
    shown: Mapped[dict] = mapped_column(JSON)
    # The row as the rules will say it from `valid_until` on, and the moment that one changes in turn: worked out
    # by the worker shortly before (trainer/dashboard.refresh), so that no dashboard works out a whole zone's rows
    # when its day ends. None until then; it holds only while `fingerprint` does.
    next_shown: Mapped[dict | None] = mapped_column(JSON)
    next_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
