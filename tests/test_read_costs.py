"""What the client's everyday reads cost in SQL: the same for a week of history as for a year of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from webapp.extensions import db
from webapp.sessions import screens
from webapp.sessions import services as records

from .clock import TODAY
from .factories import first_routine_id, make_plan
from .test_trainer import add_session

pytestmark = pytest.mark.usefixtures("clock")

READS = ("/", "/api/v1/plan", "/api/v1/offline-manifest")


def statements(app, client, url: str) -> int:
    seen = []

    def remember(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        bind = db.session.get_bind()
    event.listen(bind, "before_cursor_execute", remember)
    try:
        response = client.get(url)
    finally:
        event.remove(bind, "before_cursor_execute", remember)
    assert response.status_code == 200, url
    return len(seen)


def test_reads_cost_the_same_statements_as_sessions_pile_up(app, client, auth, users):
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=TODAY - timedelta(days=60))
        add_session(alex, TODAY - timedelta(days=2))
    auth.login_as(users["alex"])
    player = f"/routines/{_routine(app)}/play"
    for url in (*READS, player):
        client.get(url)  # the first request warms what every later one finds ready (content version and the like)
    few = {url: statements(app, client, url) for url in (*READS, player)}
    with app.app_context():
        alex = db.session.merge(users["alex"])
        for back in range(3, 60, 2):
            add_session(alex, TODAY - timedelta(days=back))
    many = {url: statements(app, client, url) for url in (*READS, player)}
    assert many == few


def _routine(app) -> int:
    with app.app_context():
        return first_routine_id("gentle-start")
