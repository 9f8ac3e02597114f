"""What the builder keeps besides programs: the trainer's clinic as their printouts show it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class Clinic(db.Model):
    """A trainer's clinic name and logo, printed at the head of their programs. The logo is kept in the
    database, checked as a custom exercise's picture is (content.images), so app processes stay stateless."""

    __tablename__ = "clinics"

    trainer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    logo_mimetype: Mapped[str] = mapped_column(String(40), default="")
    logo_sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
