"""A message in a client's thread with their trainer, keyed by the writer's UUID so a replayed sync stores it once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow

AUTHORS = ("client", "trainer")


class Message(db.Model):
    """One message. The thread is the client's: `trainer_id` says which trainer it was with, so a former trainer's
    messages stay the client's to read while new ones go to the trainer they have now."""

    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint("author IN ('client', 'trainer')", name="author"),
        # A thread page, newest first, reads this index alone.
        Index("ix_messages_client_id_written_at", "client_id", "written_at"),
        # A writer's UUID is unique within the client's thread, not across every account.
        UniqueConstraint("client_id", "uuid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36))
    client_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # None once that trainer's account is deleted: the client's own words stay in their record.
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    author: Mapped[str] = mapped_column(String(7))
    body: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # When the writer wrote it (their phone's clock) and when the server had it.
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the other side marked it read (a POST, never a GET).
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A trainer's reply about one of the client's sessions ("great work on Tuesday").
    session_id: Mapped[int | None] = mapped_column(ForeignKey("completed_sessions.id", ondelete="SET NULL"), index=True)
