"""What the client's everyday reads cost in SQL: the same for a week of history as for a year of it, and the same
however many other people, programs and exercises the database holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from webapp.extensions import db
from webapp.programs.models import PersonalDose
from webapp.programs.services import starter_program
from webapp.sessions import screens
from webapp.sessions import services as records

from .clock import TODAY
from .factories import first_routine_id, make_plan, make_user
from .test_trainer import add_session

pytestmark = pytest.mark.usefixtures("clock")

READS = ("/", "/api/v1/plan", "/api/v1/offline-manifest")
# What each read costs once the program's structure is kept (programs/structure.py); the player's URL stands for
# itself. A change that makes a read cost more should say why here.
MOST = {"/": 22, "/api/v1/plan": 10, "/api/v1/offline-manifest": 11, "player": 10}


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
    # The test's own transaction handling (savepoints) is not the app's.
    return len([s for s in seen if "SAVEPOINT" not in s.upper()])


def _more_of_everything(users, alex) -> None:
    """A year of Alex's history, their own doses, and other clients of the same program with histories of theirs."""
    for back in range(3, 60, 2):
        add_session(alex, TODAY - timedelta(days=back))
    assignment = make_plan(alex, "gentle-start", start=TODAY - timedelta(days=60))
    for item in starter_program("gentle-start").weeks[0].routines[0].items[:3]:
        db.session.add(PersonalDose(assignment_id=assignment.id, exercise_id=item.exercise_id, sets=item.sets,
                                    reps=item.reps + 1, hold_seconds=item.hold_seconds, direction="up"))  # fmt: skip
    db.session.commit()
    for n in range(5):
        other = db.session.merge(make_user(f"other{n}@example.com", trainer=users["coach"]))
        make_plan(other, "gentle-start", start=TODAY - timedelta(days=30))
        for back in range(1, 30, 3):
            add_session(other, TODAY - timedelta(days=back))


def test_reads_cost_the_same_statements_as_history_and_the_database_grow(app, client, auth, users):
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=TODAY - timedelta(days=60))
        add_session(alex, TODAY - timedelta(days=2))
    auth.login_as(users["alex"])
    player = f"/routines/{_routine(app)}/play"
    for url in (*READS, player):
        client.get(url)  # the first request warms what later ones find ready (the program's structure and the like)
    few = {url: statements(app, client, url) for url in (*READS, player)}
    with app.app_context():
        _more_of_everything(users, db.session.merge(users["alex"]))
    for url in (*READS, player):
        client.get(url)  # the plan set anew: the same program from another day, so its structure is still kept
    many = {url: statements(app, client, url) for url in (*READS, player)}
    assert many == few
    for url, count in many.items():
        assert count <= MOST["player" if url == player else url], (url, count)


def _routine(app) -> int:
    with app.app_context():
        return first_routine_id("gentle-start")
