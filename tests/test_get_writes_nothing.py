"""GET never writes: every page and GET API route, browsed as each kind of person, leaves the database as it was."""

from __future__ import annotations

import pytest

from webapp.extensions import db

from .conftest import AuthActions
from .every_route import ROLES, build_world, get_urls


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in key order."""
    db.session.expire_all()
    return {
        table.name: [tuple(row) for row in db.session.execute(table.select().order_by(*table.primary_key.columns))]
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def world(app, client, users, today):
    return build_world(app, client, users, today)


@pytest.mark.parametrize("role", ROLES)
def test_browsing_every_get_route_changes_nothing_in_the_database(app, world, role):
    browser = app.test_client()
    if role != "anonymous":
        AuthActions(browser, app).login_as(world["people"][role])
    urls = get_urls(app, world)
    assert len(urls) > 50  # every GET route of the app, pages and API alike
    with app.app_context():
        before = snapshot()
    answers = {}
    for url in urls:
        response = browser.get(url)
        answers[url] = response.status_code
        response.close()
    with app.app_context():
        after = snapshot()
    changed = [name for name in before if before[name] != after[name]]
    assert not changed, f"GET changed {changed} as {role}; answers: {answers}"
    assert all(status < 500 for status in answers.values()), answers
    # The pages a person of this role lands on did answer, so the walk went where the writes used to happen.
    expected = {
        "client": ["/", "/history/", "/account/", "/api/v1/plan", f"/trainer/clients/{world['values']['client_id']}"],
        "client-mid-onboarding": ["/welcome/", "/account/"],
        "client-just-signed-up": ["/welcome/safety", "/account/"],
        "trainer": ["/trainer/", "/trainer/programs/", "/api/v1/trainer/clients", "/account/"],
        "anonymous": ["/", "/auth/login", "/lessons/"],
    }[role]
    statuses = {url: answers[url] for url in expected}
    if role == "client":
        assert statuses.pop(f"/trainer/clients/{world['values']['client_id']}") == 403
    if role == "client-mid-onboarding":
        assert statuses.pop("/welcome/") == 302
    assert set(statuses.values()) == {200}, statuses
