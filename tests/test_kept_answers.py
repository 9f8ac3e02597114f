"""The plan, the offline package and Today are kept per process while nothing they are made from has changed
(sessions/kept.py, home/today.py): a kept answer costs two statements, and after every kind of change a person or
their trainer can make, and at the moment the clock alone makes the rules stricter, the answer is the one made
afresh."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from webapp.auth.models import User
from webapp.content.ladder import Amount
from webapp.content.models import Exercise
from webapp.extensions import db
from webapp.messages.services import thread_of_client, write
from webapp.programs.models import Assignment, Profile
from webapp.programs.personal import set_dose
from webapp.programs.services import active_assignment
from webapp.reminders.services import RemindersChange, update
from webapp.sessions import kept, screens
from webapp.sessions import services as records
from webapp.sessions.models import CompletedSession

from . import test_progression
from .conftest import AuthActions, words_of
from .factories import make_plan, make_user
from .test_progression import MONDAY, post, session, step_forms, two_green_weeks_start
from .test_read_costs import statements

solo = test_progression.solo  # the fixture: a client without a trainer on Gentle start from Monday 2 March 2026
coached = test_progression.coached  # the fixture: Alex, coached by Casey, on the same program

READS = ("/api/v1/plan", "/api/v1/offline-manifest", "/")


def _read(client, path: str):
    """The answer as the person gets it: JSON, or Today's page without its form tokens and the moment the
    standing it embeds was read (a kept page says when it was made; what it says is the same)."""
    response = client.get(path)
    assert response.status_code == 200, path
    if path != "/":
        return response.get_json()
    if 'class="flashes"' in response.get_data(as_text=True):  # made afresh to show a message once; now kept
        response = client.get(path)
    return re.sub(r'"as_of": "[^"]*"', "", words_of(response))


def _kept_and_fresh(app, client) -> list[tuple[object, object]]:
    """Each read as served (kept, if it was), then as made afresh with nothing kept."""
    served = [_read(client, path) for path in READS]
    app.extensions.pop(kept.EXTENSION, None)
    fresh = [_read(client, path) for path in READS]
    return list(zip(served, fresh, strict=True))


def _check(app, client, what: str):
    for served, fresh in _kept_and_fresh(app, client):
        assert served == fresh, what


def _tilt_suggested(client) -> bool:
    return any(s["exercise"] == "pelvic-tilt" for s in client.get("/api/v1/plan").get_json()["suggestions"])


def test_a_kept_answer_costs_the_login_and_one_statement(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    for path in READS:
        assert auth.client.get(path).status_code == 200  # made, and kept
        assert statements(app, auth.client, path) == 2  # the person (Flask-Login), the fingerprint


def test_every_change_shows_at_once(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    for served, fresh in _kept_and_fresh(app, auth.client):
        assert served == fresh
    assert _tilt_suggested(auth.client)

    def check(what: str):
        _check(app, auth.client, what)

    # The clock is stopped from here: every change below lands in the same instant as the answer kept before it.
    clock.move_to(datetime(2026, 3, 6, 7, 0, tzinfo=UTC), tick=False)
    tilt = next(f for f in step_forms(auth.client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    post(auth.client, "/steps", {**tilt, "action": "decline"})  # the dose record only remembers the decision
    check("a step declined")
    assert not _tilt_suggested(auth.client)
    with app.app_context():  # the same record again, changed in place: the client's own dose of it
        tilt_exercise = db.session.execute(db.select(Exercise).filter_by(slug="pelvic-tilt")).scalar_one()
        assignment = active_assignment(db.session.merge(solo))
        set_dose(assignment, tilt_exercise, tilt_exercise, Amount(1, 10, 0), "up", by=None)
        db.session.commit()
    check("a dose changed in place")
    session(app, clock, solo, MONDAY + timedelta(days=4), 0)
    clock.move_to(datetime(2026, 3, 6, 10, 0, tzinfo=UTC), tick=False)
    check("a session synced")
    with app.app_context():
        last = db.session.execute(db.select(CompletedSession).order_by(CompletedSession.id.desc())).scalars().first()
        records.record_next_day(db.session.merge(solo), last.uuid, 2, True)  # new leg symptoms: asked again
    check("a next-morning check with leg symptoms")
    with app.app_context():
        screens.record_screen(db.session.merge(solo), [])
    check("a red-flag answer")
    with app.app_context():
        db.session.get(User, solo.id).timezone = "Pacific/Kiritimati"  # already Saturday there
        db.session.commit()
    check("another zone")
    with app.app_context():
        assignment = db.session.execute(db.select(Assignment).filter_by(client_id=solo.id)).scalar_one()
        assignment.days = "mon,wed,sat"
        db.session.commit()
    check("other training days")
    with app.app_context():
        db.session.execute(db.update(Assignment).filter_by(client_id=solo.id).values(is_active=False))
        db.session.commit()
    check("the plan ended")
    assert auth.client.get("/api/v1/plan").get_json()["program"] is None


def test_a_step_up_waits_from_the_moment_the_safety_check_falls_due(app, auth, solo, clock):
    """The one change the clock makes alone within a day: six weeks after the last answer (2 March, 07:00 UTC),
    the check is due again and a step up waits for it, in the plan kept a minute before too."""
    two_green_weeks_start(app, clock, solo)
    clock.move_to(datetime(2026, 4, 13, 6, 59, tzinfo=UTC), tick=False)
    auth.login("sol@example.com")
    assert _tilt_suggested(auth.client)
    clock.move_to(datetime(2026, 4, 13, 7, 0, 30, tzinfo=UTC), tick=False)
    assert not _tilt_suggested(auth.client)
    for served, fresh in _kept_and_fresh(app, auth.client):
        assert served == fresh


def test_nothing_kept_for_one_person_reaches_another(app, auth, today):
    with app.app_context():
        alex, sam = make_user("alex2@example.com"), make_user("sam2@example.com")
        for person in (alex, sam):
            screens.record_screen(person, [])
            records.finish_onboarding(person)
        make_plan(alex, "gentle-start", start=today)
    auth.login("alex2@example.com")
    alex = [auth.client.get(path).get_json() for path in READS]
    auth.logout()
    auth.login("sam2@example.com")
    sam = [auth.client.get(path).get_json() for path in READS]
    assert alex[0]["program"] is not None and sam[0]["program"] is None
    assert alex[1]["version"] != sam[1]["version"]


def test_today_shows_each_change_of_what_it_shows_besides_the_plan(app, auth, coached, users, clock):
    """Messages, lessons read, milestones shown, reminders, names: Today kept is Today made afresh after each."""
    two_green_weeks_start(app, clock, coached)
    clock.move_to(datetime(2026, 3, 6, 7, 0, tzinfo=UTC), tick=False)
    auth.login("alex@example.com")
    client = auth.client
    _check(app, client, "first")
    assert "Casey Coach set you a new program" in client.get("/").get_data(as_text=True)

    with app.app_context():
        alex = db.session.merge(coached)
        write(thread_of_client(alex), "trainer", db.session.merge(users["coach"]), "Lovely work this week.")
    _check(app, client, "a message from the trainer")
    page = client.get("/").get_data(as_text=True)
    assert "Lovely work this week." in page
    note = re.search(r'name="note" value="([^"]+)"', page).group(1)
    post(client, "/notes/seen", {"note": note})
    _check(app, client, "the message marked read")
    assert "Lovely work this week." not in client.get("/").get_data(as_text=True)

    milestone = re.search(r'name="milestone" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    post(client, "/milestones/seen", {"milestone": milestone})
    _check(app, client, "the milestone marked seen")

    lesson = re.search(r'href="/lessons/([a-z-]+)"', client.get("/").get_data(as_text=True)).group(1)
    post(client, f"/lessons/{lesson}/read", {})
    _check(app, client, "the suggested lesson read")
    assert f'href="/lessons/{lesson}"' not in client.get("/").get_data(as_text=True)

    with app.app_context():
        db.session.get(Profile, coached.id).preferred_time = "06:45"
        db.session.commit()
    _check(app, client, "another preferred time")  # where reminders would start
    with app.app_context():
        update(db.session.merge(coached), RemindersChange(enabled=True, time="18:30"))
        db.session.commit()
    _check(app, client, "reminders turned on")
    assert "18:30" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, users["coach"].id).name = "Casey Carter"
        db.session.commit()
    _check(app, client, "the trainer's name changed")
    assert "Casey Carter set you a new program" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, coached.id).name = "Alexandra Morgan"
        db.session.commit()
    _check(app, client, "their own name changed")
    assert "Hello, Alexandra" in client.get("/").get_data(as_text=True)


def test_a_message_flashed_on_today_shows_once(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    clock.move_to(datetime(2026, 3, 6, 7, 0, tzinfo=UTC), tick=False)
    auth.login("sol@example.com")
    client = auth.client
    assert client.get("/").status_code == 200  # kept
    tilt = next(f for f in step_forms(client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    post(client, "/steps", {**tilt, "action": "decline"})
    assert "Fine: the same dose for now." in client.get("/").get_data(as_text=True)
    assert "Fine: the same dose for now." not in client.get("/").get_data(as_text=True)
    _check(app, client, "after the message")


def test_a_kept_today_carries_this_visits_form_token(app, auth, solo, clock):
    """The page is kept with its token marked: each visitor's own token is in it, and its forms work."""
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert statements(app, auth.client, "/") == 2
    again = auth.client.get("/").get_data(as_text=True)
    assert "@@csrf-here@@" not in again
    assert all(value == token for value in re.findall(r'name="csrf_token" value="([^"]+)"', again))
    phone = AuthActions(app.test_client(), app)  # the same person on another device: its own token
    phone.login("sol@example.com")
    other = re.search(r'name="csrf-token" content="([^"]+)"', phone.client.get("/").get_data(as_text=True)).group(1)
    assert other != token
    assert statements(app, phone.client, "/") == 2
