"""A program's structure is read from the database once and kept (programs/structure.py): whatever should show
still shows at once, in the plan, on Today, in the offline package and in the player, and nothing of one client
reaches another."""

from __future__ import annotations

import json
import re

import pytest

from webapp.content.models import Exercise
from webapp.extensions import db
from webapp.programs.models import Assignment, PersonalDose, Program
from webapp.programs.services import assign, starter_program
from webapp.programs.structure import cache
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.sync import store_batch

from .factories import make_plan, make_user, session_payload
from .test_builder import build, edit_page, exercise_form, post_form, press, text_of, upload

pytestmark = pytest.mark.usefixtures("clock")


def _ready(*clients) -> None:
    """Past the safety screen and onboarding, as anyone who reaches Today and the player is."""
    for client in clients:
        person = db.session.merge(client)
        screens.record_screen(person, [])
        records.finish_onboarding(person)


def _player(client, routine_id: int) -> dict:
    page = client.get(f"/routines/{routine_id}/play")
    assert page.status_code == 200
    data = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', text_of(page), re.DOTALL)
    return json.loads(data.group(1))


def _reads(client, routine_id: int) -> dict:
    """Every read that keeps the structure: the plan, Today, the offline package and the player."""
    today = client.get("/")
    assert today.status_code == 200
    return {
        "plan": client.get("/api/v1/plan").get_json(),
        "today": text_of(today),
        "manifest": client.get("/api/v1/offline-manifest").get_json(),
        "player": _player(client, routine_id),
    }


def _assign(client, program_id: int, clients, today) -> None:
    ids = [str(c.id) for c in clients]
    response = post_form(client, f"/trainer/programs/{program_id}/assign", {"clients": ids, "start": today.isoformat()})
    assert response.status_code == 302


def _first_routine(app, program_id: int) -> int:
    with app.app_context():
        return db.session.get(Program, program_id).weeks[0].routines[0].id


def test_a_new_version_of_the_program_shows_at_once_though_the_old_one_was_kept(client, app, auth, users, today):
    with app.app_context():
        _ready(users["alex"])
    auth.login_as(users["coach"])
    program_id = build(client, app, items=("bird-dog", "glute-bridge"))
    _assign(client, program_id, [users["alex"]], today)
    routine_id = _first_routine(app, program_id)
    auth.logout()
    auth.login_as(users["alex"])
    before = _reads(client, routine_id)
    assert before["plan"]["routines"][0]["exercises"][1]["reps"] != 15

    auth.logout()
    auth.login_as(users["coach"])
    path = f"/trainer/programs/{program_id}/edit"
    response = press(client, path, edit_page(client, program_id), "save", weeks_0_routines_0_items_1_reps="15")
    assert response.status_code == 302
    auth.logout()
    auth.login_as(users["alex"])
    plan = client.get("/api/v1/plan").get_json()
    assert plan["program"]["version"] == 2
    assert plan["routines"][0]["exercises"][1]["reps"] == 15
    new_routine = plan["routines"][0]["id"]
    assert new_routine != routine_id
    after = _reads(client, new_routine)
    assert after["manifest"]["version"] != before["manifest"]["version"]
    assert f"/routines/{new_routine}/play" in after["manifest"]["urls"]
    assert after["player"]["exercises"][1]["reps"] == 15
    # The old version's routine still plays as it was (a session recorded on it may still be on its way)...
    assert _player(client, routine_id)["exercises"][1]["reps"] == before["player"]["exercises"][1]["reps"]
    # ... and such a session, done offline before the phone heard of version 2, is still taken.
    with app.app_context():
        done = [{"exercise": "bird-dog", "sets_done": 1, "reps_done": 5}]
        [old] = store_batch(db.session.merge(users["alex"]), [session_payload(routine_id, exercises=done)])
        assert old.status == "created"


def test_an_exercise_its_trainer_edits_shows_at_once_wherever_the_plan_holds_it(client, app, auth, users, today):
    with app.app_context():
        _ready(users["alex"])
    auth.login_as(users["coach"])
    assert upload(client, exercise_form(name="Towel squeeze")).status_code == 302
    slug = f"towel-squeeze-t{users['coach'].id}"
    program_id = build(client, app, items=(slug, "bird-dog"))
    _assign(client, program_id, [users["alex"]], today)
    routine_id = _first_routine(app, program_id)
    auth.logout()
    auth.login_as(users["alex"])
    before = _reads(client, routine_id)
    assert before["plan"]["routines"][0]["exercises"][0]["name"] == "Towel squeeze"

    auth.logout()
    auth.login_as(users["coach"])
    with app.app_context():
        exercise_id = db.session.execute(db.select(Exercise.id).where(Exercise.slug == slug)).scalar_one()
    edited = upload(client, exercise_form(name="Towel press", reps="7"), path=f"/trainer/exercises/{exercise_id}/edit")
    assert edited.status_code == 302, text_of(edited)
    auth.logout()
    auth.login_as(users["alex"])
    after = _reads(client, routine_id)
    assert after["plan"]["program"]["version"] == 1  # the program is the same version: only the exercise changed
    assert after["plan"]["routines"][0]["exercises"][0]["name"] == "Towel press"
    assert after["player"]["exercises"][0]["name"] == "Towel press"
    assert after["manifest"]["version"] != before["manifest"]["version"]  # the phone fetches its pages again


def test_a_plan_set_anew_shows_the_new_program_everywhere(client, app, auth, users, today):
    with app.app_context():
        _ready(users["alex"])
        make_plan(users["alex"], "gentle-start", start=today)
    auth.login_as(users["alex"])
    first = client.get("/api/v1/plan").get_json()
    assert first["program"]["family"] == "gentle-start"
    _reads(client, first["routines"][0]["id"])

    with app.app_context():
        assign(db.session.merge(users["alex"]), starter_program("core-foundations"), today)
    plan = client.get("/api/v1/plan").get_json()
    assert plan["program"]["family"] == "core-foundations"
    after = _reads(client, plan["routines"][0]["id"])
    assert plan["program"]["name"] in after["today"]
    assert f"/routines/{first['routines'][0]['id']}/play" not in after["manifest"]["urls"]
    # A routine of the program left behind is no longer the client's to play.
    assert client.get(f"/routines/{first['routines'][0]['id']}/play").status_code == 404


def test_a_program_edited_in_place_once_nobody_follows_it_shows_as_edited(client, app, auth, users, today):
    with app.app_context():
        sam = make_user("sam@example.com", name="Sam", trainer=users["coach"])
        _ready(users["alex"], sam)
    auth.login_as(users["coach"])
    program_id = build(client, app, items=("bird-dog",))
    _assign(client, program_id, [users["alex"]], today)
    auth.logout()
    auth.login_as(users["alex"])
    assert client.get("/api/v1/plan").get_json()["routines"][0]["exercises"][0]["sets"] != 3
    with app.app_context():
        # Alex's account and plan are deleted: the version is followed by nobody, so the builder edits it in place.
        db.session.execute(db.delete(Assignment).where(Assignment.client_id == users["alex"].id))
        db.session.commit()

    auth.logout()
    auth.login_as(users["coach"])
    path = f"/trainer/programs/{program_id}/edit"
    response = press(client, path, edit_page(client, program_id), "save", weeks_0_routines_0_items_0_sets="3")
    assert response.status_code == 302
    assert "Saved your changes." in text_of(client.get(path))
    _assign(client, program_id, [sam], today)
    auth.logout()
    auth.login_as(sam)
    plan = client.get("/api/v1/plan").get_json()
    assert (plan["program"]["id"], plan["program"]["version"]) == (program_id, 1)
    assert plan["routines"][0]["exercises"][0]["sets"] == 3
    assert _player(client, plan["routines"][0]["id"])["exercises"][0]["sets"] == 3


def test_two_clients_of_one_program_share_its_structure_and_each_sees_their_own_doses(client, app, auth, users, today):
    with app.app_context():
        sam = make_user("sam@example.com", name="Sam", trainer=users["coach"])
        _ready(users["alex"], sam)
        mine = make_plan(users["alex"], "gentle-start", start=today)
        make_plan(sam, "gentle-start", start=today)
        item = starter_program("gentle-start").weeks[0].routines[0].items[0]
        # Alex took a small step on the first exercise: their own dose, one rep more.
        db.session.add(PersonalDose(assignment_id=mine.id, exercise_id=item.exercise_id, sets=item.sets,
                                    reps=item.reps + 1, hold_seconds=item.hold_seconds, direction="up"))  # fmt: skip
        db.session.commit()
        planned, routine_id = item.reps, item.routine_id
    auth.login_as(users["alex"])
    alex = _reads(client, routine_id)
    auth.logout()
    auth.login_as(sam)
    sam_reads = _reads(client, routine_id)
    with app.app_context():
        builds = cache().puts
    assert builds == 1  # read once for both clients, then kept

    assert alex["plan"]["routines"][0]["exercises"][0]["reps"] == planned + 1
    assert alex["player"]["exercises"][0]["reps"] == planned + 1
    assert sam_reads["plan"]["routines"][0]["exercises"][0]["reps"] == planned
    assert sam_reads["player"]["exercises"][0]["reps"] == planned
    assert sam_reads["player"]["user_id"] == sam.id
    assert alex["plan"]["program"]["assignment_id"] != sam_reads["plan"]["program"]["assignment_id"]
