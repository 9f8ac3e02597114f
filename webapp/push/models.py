"""A browser's push subscription: where to send, and the keys to encrypt for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import UTCDateTime, utcnow


class PushSubscription(db.Model):
    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The push service's URL for one browser: unique, as a browser that subscribes again under another account
    # moves its subscription to that account (the phone is the other person's now).
    endpoint: Mapped[str] = mapped_column(Text, unique=True)
    # The browser's P-256 public key (65 bytes) and auth secret (16 bytes), base64url as the browser gives them.
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a push service last took a push for it (null: never yet).
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
