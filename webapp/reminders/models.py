"""A person's reminder settings, and what the producer last decided for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class ReminderSetting(db.Model):
    __tablename__ = "reminder_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # "HH:MM" in the person's zone; empty: the preferred time onboarding asked for (else 08:00).
    time: Mapped[str] = mapped_column(String(5), default="")
    email: Mapped[bool] = mapped_column(Boolean, default=False)
    # The person's day the producer last decided about (sent, or nothing due): it looks at each day once.
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The last session day before a run of missed ones that a nudge was sent for: one nudge per run.
    nudged_after: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
