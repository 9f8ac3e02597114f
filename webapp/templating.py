"""What every template can use: asset URLs, the navigation for the role, dates in the user's zone; and a page
fetched for the offline package drawn without the app's shell, which the phone keeps once (see page_part_json)."""

from __future__ import annotations

import json
from datetime import date, datetime

from flask import Flask, g, request
from flask_login import current_user
from markupsafe import Markup

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


def for_the_offline_package() -> bool:
    """The service worker fetching a page to keep offline, not a person opening it (a navigation is never that,
    whatever headers it sends)."""
    return request.headers.get("X-Offline-Package") == "1" and request.headers.get("Sec-Fetch-Mode") != "navigate"


# A page in the offline package is its own parts alone, as JSON: the shell around them (head, header, menus, tab
# bar, footer) is the same on every page, so the phone keeps it once (pwa.views.page_shell) and the service worker
# puts each page back together when it answers from the package (static/js/pageshell.js). Pages on the wire are
# unchanged; this takes about a sixth off the package. Only a worker that says it can put pages together
# (PARTS_ASKED) gets parts: one installed before it existed, still running until the person taps "Reload", keeps
# whole pages.
PARTS_ASKED = "X-Page-Parts"
PART_HEADER = "X-Page-Part"
PART_MIMETYPE = "application/json"


def parts_asked() -> bool:
    """The worker fetching a page for the offline package, and able to keep it as its parts."""
    return for_the_offline_package() and request.headers.get(PARTS_ASKED) == "1"


def page_part_json(endpoint: str, **blocks) -> Markup:
    """What base.html writes for a page drawn for the offline package: its blocks and its endpoint (which link
    of the navigation is marked as the current page)."""
    g.page_part = True
    # The answer is this JSON alone, sent as JSON: the blocks in it are the HTML the template escaped as usual.
    return Markup(json.dumps({"endpoint": endpoint, **{name: str(html) for name, html in blocks.items()}}))  # noqa: S704


def module_scripts(*names: str) -> Markup:
    """A page's own modules (static/js/NAME), for its head block: base.html loads only app.js, what every page
    needs, so each page brings the behaviour of what it shows (tests/test_page_modules.py checks that it does)."""
    tag = Markup('<script type="module" src="{}"></script>')
    return Markup("").join(tag.format(asset_url(f"js/{name}")) for name in names)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        asset=asset_url, module_scripts=module_scripts, nav_items=nav_items, page_part_json=page_part_json
    )
    app.jinja_env.filters["local"] = local_datetime
    app.jinja_env.filters["long_date"] = long_date_filter

    @app.context_processor
    def _page():
        # A view that keeps a page it drew (Today) passes page_part=False: what it keeps is the whole page.
        return {"current_endpoint": request.endpoint or "", "page_part": parts_asked()}

    @app.after_request
    def _mark_part(response):
        if g.get("page_part"):
            response.mimetype = PART_MIMETYPE
            response.headers[PART_HEADER] = "1"
        return response
