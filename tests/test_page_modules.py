"""Each page brings the modules for what it shows: base.html loads app.js (what every page needs) and nothing
else, so a page that holds a lesson's quiz, the library's search or the history's numbers must load their module
itself (templating.module_scripts), or that part would sit there without its behaviour, silently."""

from __future__ import annotations

import re

import pytest

from .conftest import AuthActions
from .every_route import ROLES, build_world, get_urls

# What in a page needs which module: the selectors each module starts from.
NEEDS = {
    r"data-today[\s>]": "today.js",
    r"data-history[\s>]": "history.js",
    r"data-pending-list[\s>]": "pending.js",
    r"<form[^>]*\bdata-seen[\s>]": "seen.js",
    r"data-messages[\s>]": "messages.js",
    r"data-quiz[\s>]": "quiz.js",
    r"<form[^>]*\bdata-lesson-read[\s>]": "lessons.js",
    r"<button[^>]*\bdata-copy[\s>=]": "copy.js",
    r"data-library[\s>]": "library.js",
    r"data-drawing=": "figures.js",
    r"data-reminders[\s>]": "reminders.js",
    r"data-safety-(form|result)[\s>]": "safety/screen.js",
    r"data-alerts[\s>]": "alerts.js",
}
# A module that loads another loads it too: the player's figure needs the drawings' module, its gate the check's.
BROUGHT_BY = {"figures.js": ("player.js",), "safety/screen.js": ("player.js",)}


@pytest.fixture
def world(app, client, users, today):
    return build_world(app, client, users, today)


def modules_loaded(page: str) -> set[str]:
    return set(re.findall(r'<script type="module" src="/static/js/([\w/]+\.js)\?v=[0-9a-f]+"></script>', page))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_loads_the_module_of_each_part_it_shows(app, world, role):
    browser = app.test_client()
    if role != "anonymous":
        AuthActions(browser, app).login_as(world["people"][role])
    checked = 0
    for url in get_urls(app, world):
        response = browser.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        loaded = modules_loaded(page)
        assert "app.js" in loaded, url
        for pattern, module in NEEDS.items():
            if re.search(pattern, page):
                assert module in loaded or set(BROUGHT_BY.get(module, ())) & loaded, f"{url} shows {pattern}: {module}"
        checked += 1
    assert checked > 10


def test_today_leaves_out_the_modules_of_other_pages(app, world):
    """Today's first visit fetches what Today shows: not the library's search, a lesson's quiz or the history's
    numbers (about a fifth of the first visit's bytes on the wire while they were all app.js's imports)."""
    browser = app.test_client()
    AuthActions(browser, app).login_as(world["people"]["client"])
    page = browser.get("/")
    assert page.status_code == 200
    loaded = modules_loaded(page.get_data(as_text=True))
    assert {"app.js", "today.js", "seen.js", "reminders.js"} <= loaded
    assert not loaded & {"library.js", "quiz.js", "lessons.js", "history.js", "pending.js", "figures.js", "copy.js"}
    history = modules_loaded(browser.get("/history/").get_data(as_text=True))
    assert {"app.js", "history.js", "pending.js"} <= history and "today.js" not in history
