"""The private calendar feed: planned sessions as RFC 5545 iCalendar text that any phone calendar can subscribe to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ..programs.duration import routine_minutes
from ..programs.models import Routine
from ..programs.personal import items_for
from ..sessions.schedule import Plan
from ..timeutil import zone

FEED_WEEKS = 8
DEFAULT_TIME = time(8, 0)
# RFC 5545 3.1: lines longer than 75 octets (not characters) are folded.
MAX_LINE_OCTETS = 75
PRODID = "-//CoreSteady//Planned sessions//EN"


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime  # aware, UTC
    minutes: int
    summary: str
    description: str
    url: str


def parse_time(text: str | None) -> time:
    """The reminder time "HH:MM", or 08:00 when none was given (or it is unreadable)."""
    try:
        hours, minutes = (int(part) for part in (text or "").split(":"))
        return time(hours, minutes)
    except ValueError:
        return DEFAULT_TIME


def start_in_utc(day: date, at: time, zone_name: str) -> datetime:
    # Computing each day on its own follows daylight saving: 07:30 London is 06:30Z in July, 07:30Z in January.
    return datetime.combine(day, at, tzinfo=zone(zone_name)).astimezone(UTC)


def routine_description(routine: Routine, start_url: str, doses: dict | None = None) -> str:
    """The routine's exercises with the client's own doses (programs/personal.py), and where to start it."""
    lines = [f"- {item.exercise.name}: {item.dose}" for item in items_for(routine, doses or {})]
    return "\n".join([*lines, "", f"Start it in CoreSteady: {start_url}"])


def planned_events(
    plan: Plan | None,
    zone_name: str,
    reminder_time: str | None,
    today: date,
    start_url: Callable[[Routine], str],
    weeks: int = FEED_WEEKS,
    doses: dict | None = None,
) -> list[Event]:
    """One event per planned session from today for the given weeks; the plan's own end cuts it shorter."""
    if plan is None:
        return []
    at = parse_time(reminder_time)
    last = min(today + timedelta(days=7 * weeks - 1), plan.end_date)
    events = []
    for day in plan.planned_days(today, last):
        routine = plan.routine_on(day)
        url = start_url(routine)
        events.append(
            Event(
                # Stable across fetches, so a calendar updates an event instead of adding a copy.
                uid=f"{day:%Y%m%d}-{routine.id}@coresteady",
                start=start_in_utc(day, at, zone_name),
                minutes=routine_minutes(items_for(routine, doses or {})),
                summary=f"CoreSteady: {routine.name}",
                description=routine_description(routine, url, doses),
                url=url,
            )
        )
    return events


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma and newlines are escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines begin with a space, which counts towards their 75 octets.
        limit = MAX_LINE_OCTETS if not pieces else MAX_LINE_OCTETS - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(event: Event, now: datetime) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp(now)}",
        f"DTSTART:{stamp(event.start)}",
        f"DURATION:PT{event.minutes}M",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        # URI values are not TEXT: commas and semicolons in them stay as they are.
        f"URL:{event.url}",
        "TRANSP:OPAQUE",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(event.summary)}",
        "TRIGGER:-PT0M",
        "END:VALARM",
        "END:VEVENT",
    ]


def render_calendar(events: list[Event], now: datetime, name: str = "CoreSteady") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"NAME:{escape_text(name)}",
        # Ask subscribed calendars to look again every hour (those that follow it: Apple's do, Google's keeps its own
        # pace), so a changed plan shows up the same day, and after a red-flag answer the alarms to exercise stop
        # within the hour rather than ringing on for half a day. One small GET an hour per subscriber.
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    for event in events:
        lines.extend(event_lines(event, now))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
