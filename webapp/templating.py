"""What every template can use: asset URLs, the navigation for the role, dates in the user's zone."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request
from flask_login import current_user

from .assets import asset_url
from .timeutil import long_date, zone

NAV = {
    None: [("content.lesson_list", "Learn", "book"), ("content.exercise_list", "Exercises", "list")],
    "client": [
        ("home.index", "Today", "sun"),
        ("content.lesson_list", "Learn", "book"),
        ("content.exercise_list", "Exercises", "list"),
        ("sessions.history", "History", "chart"),
    ],
    "trainer": [
        ("trainer.dashboard", "Clients", "people"),
        ("builder.program_list", "Programs", "grid"),
        ("content.exercise_list", "Library", "list"),
        ("content.lesson_list", "Learn", "book"),
    ],
}


def nav_items() -> list[tuple[str, str, str]]:
    role = current_user.role if current_user.is_authenticated else None
    return NAV[role]


def local_datetime(moment: datetime | None, fmt: str = "%a %d %b %Y, %H:%M") -> str:
    if moment is None:
        return ""
    tz = current_user.timezone if current_user.is_authenticated else "UTC"
    return moment.astimezone(zone(tz)).strftime(fmt)


def long_date_filter(value: date | datetime | None) -> str:
    """A date, or a moment in the signed-in person's own day, as "Wednesday 2 December"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        tz = current_user.timezone if current_user.is_authenticated else "UTC"
        value = value.astimezone(zone(tz)).date()
    return long_date(value)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(asset=asset_url, nav_items=nav_items)
    app.jinja_env.filters["local"] = local_datetime
    app.jinja_env.filters["long_date"] = long_date_filter

    @app.context_processor
    def _page():
        return {"current_endpoint": request.endpoint or ""}
