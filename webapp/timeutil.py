"""Time in one place: UTC in the database, aware datetimes everywhere, the user's zone on screen."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import DateTime, TypeDecorator

# Weekdays as the database, the forms and the content files write them, Monday first as date.weekday() counts.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True)
)
# English names whatever the server's locale, since the pages are written in English.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")  # fmt: skip


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_known_zone(name: str) -> bool:
    return name in _zones()


_ZONES: frozenset[str] | None = None


def _zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


def local_date(moment: datetime, tz: str | None) -> date:
    return moment.astimezone(zone(tz)).date()


def long_date(day: date) -> str:
    """A date as the pages write it: "Wednesday 2 December" (no leading zero; static/js/today.js agrees)."""
    return f"{DAY_NAMES[WEEKDAYS[day.weekday()]]} {day.day} {MONTH_NAMES[day.month - 1]}"


def short_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]}"


def weekday_date(day: date) -> str:
    """The day with its date ("Thursday 3 Dec"): a weekday alone reads as this week's when it may be last week's."""
    return f"{DAY_NAMES[WEEKDAYS[day.weekday()]]} {short_date(day)}"


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(day: date | None) -> str | None:
    return day.isoformat() if day else None


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
