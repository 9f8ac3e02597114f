"""The trainer puts away programs and exercises they no longer use, brings them back, or deletes unused ones for good.

Clients already following an archived program, or doing a routine with an archived exercise, see no difference.
"""

from __future__ import annotations

import re

import pytest

from webapp.auth.models import User
from webapp.builder import archiving
from webapp.content import services as content
from webapp.content.models import Exercise, ExerciseImage
from webapp.extensions import db
from webapp.programs.models import Assignment, Program
from webapp.programs.services import assign, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CompletedSession
from webapp.sessions.sync import store_batch
from webapp.timeutil import WEEKDAYS, utcnow

from .clock import TODAY
from .factories import first_routine_id, make_user, session_payload
from .test_builder import (
    PNG,
    build,
    counts,
    edit_page,
    exercise_form,
    exercise_id,
    post_form,
    press,
    text_of,
    upload,
)

# Programs are assigned from the trainer's today: every story here happens at the suite's fixed moment.
pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def coach(app, auth, users):
    auth.login_as(users["coach"])
    return users["coach"]


def own_section(html: str) -> str:
    """The trainer's programs list without its archived part and without the starters."""
    return html.split('id="own-title"', 1)[1].split("data-archived", 1)[0].split('id="starter-title"', 1)[0]


def archived_section(html: str) -> str:
    match = re.search(r"<details class=\"archived-list\" data-archived>([\s\S]*?)</details>", html)
    return match.group(1) if match else ""


def build_daily(client, app, name="Every day", items=("bird-dog",)) -> int:
    """A one-week program with a routine on every day, so today always has it."""
    page = text_of(client.get("/trainer/programs/new"))
    for slug in items:
        with app.app_context():
            chosen = exercise_id(slug)
        page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(chosen)))
    response = press(client, "/trainer/programs/new", page, "save", name=name, weeks_0_routines_0_days=list(WEEKDAYS))
    assert response.status_code == 302, text_of(response)
    return int(re.search(r"/trainer/programs/(\d+)/edit", response.headers["Location"]).group(1))


def assign_to(client, program_id: int, *clients):
    return post_form(client, f"/trainer/programs/{program_id}/assign",
                     {"clients": [str(c.id) for c in clients], "start": TODAY.isoformat()})  # fmt: skip


def onboard(app, person) -> None:
    with app.app_context():
        user = db.session.get(User, person.id)
        screens.record_screen(user, [])
        records.finish_onboarding(user)


def as_user(auth, person) -> None:
    auth.logout()
    auth.login_as(person)


def family_archived_at(program_id: int) -> list:
    family = db.session.get(Program, program_id).family
    return [p.archived_at for p in db.session.execute(db.select(Program).where(Program.family == family)).scalars()]


# --- Programs: archive and restore ----------------------------------------------------------------------


def test_an_archived_program_leaves_the_list_templates_and_assigning_and_restore_brings_it_back(client, app, coach):
    program_id = build(client, app, name="Old favourite")
    page = text_of(client.get("/trainer/programs/"))
    assert f'action="/trainer/programs/{program_id}/archive"' in own_section(page)
    assert "data-archived" not in page  # no archived section while nothing is archived

    response = post_form(client, f"/trainer/programs/{program_id}/archive", {})
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/programs/"
    page = text_of(client.get(response.headers["Location"]))
    assert "Archived Old favourite: it is out of your programs and cannot be assigned." in page
    own = own_section(page)
    assert "Old favourite" not in own
    assert f"/trainer/programs/new?from={program_id}" not in page  # not offered as a template
    assert f"/trainer/programs/{program_id}/assign" not in page  # nor for assigning
    archived = archived_section(page)
    assert "Archived programs (1)" in archived and "Old favourite" in archived
    assert f'action="/trainer/programs/{program_id}/restore"' in archived
    assert "open" not in page.split('class="archived-list"', 1)[1].split(">", 1)[0]  # collapsed
    with app.app_context():
        assert all(family_archived_at(program_id))
        ids = {p["id"] for p in client.get("/api/v1/programs").get_json()["programs"]}
        assert program_id not in ids

    # Its own pages say so; the assign page sends the trainer back with the reason.
    edit = edit_page(client, program_id)
    assert "This program is archived" in edit and f"/trainer/programs/{program_id}/assign" not in edit
    preview = text_of(client.get(f"/trainer/programs/{program_id}/preview"))
    assert f"/trainer/programs/{program_id}/assign" not in preview
    refused = client.get(f"/trainer/programs/{program_id}/assign")
    assert refused.status_code == 302
    assert "Old favourite is archived, so it cannot be assigned." in text_of(client.get(refused.headers["Location"]))

    response = post_form(client, f"/trainer/programs/{program_id}/restore", {})
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"]))
    assert "Restored Old favourite." in page
    assert "Old favourite" in own_section(page) and "data-archived" not in page
    assert f"/trainer/programs/{program_id}/assign" in page
    with app.app_context():
        assert not any(family_archived_at(program_id))
    assert client.get(f"/trainer/programs/{program_id}/assign").status_code == 200


def test_archiving_covers_every_version_and_the_clients_keep_following_it(client, app, auth, coach, users):
    onboard(app, users["alex"])
    program_id = build_daily(client, app, name="Daily core", items=("bird-dog", "glute-bridge"))
    assert assign_to(client, program_id, users["alex"]).status_code == 302
    # A change once Alex follows it makes version 2, which Alex's plan follows.
    path = f"/trainer/programs/{program_id}/edit"
    assert (
        press(client, path, edit_page(client, program_id), "save", weeks_0_routines_0_items_1_reps="12").status_code
        == 302
    )
    with app.app_context():
        current = db.session.execute(
            db.select(Program).where(Program.family == db.session.get(Program, program_id).family,
                                     Program.is_current.is_(True))
        ).scalar_one()  # fmt: skip
        current_id, routine_id = current.id, current.weeks[0].routines[0].id

    as_user(auth, users["alex"])
    plan_before = client.get("/api/v1/plan").get_json()
    today_before = text_of(client.get("/"))
    assert "Glute bridge" in today_before

    as_user(auth, users["coach"])
    response = post_form(client, f"/trainer/programs/{program_id}/archive", {})  # an older version's id
    assert "The client following it keeps it as it is." in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert len(family_archived_at(program_id)) == 2 and all(family_archived_at(program_id))
        assignment = db.session.execute(db.select(Assignment).where(Assignment.is_active.is_(True))).scalar_one()
        assert assignment.program_id == current_id
    page = text_of(client.get("/trainer/programs/"))
    assert "1 client still following it" in archived_section(page)
    detail = text_of(client.get(f"/trainer/clients/{users['alex'].id}"))
    assert "Daily core" in detail
    assert "Alex Morgan" in text_of(client.get("/trainer/"))

    as_user(auth, users["alex"])
    assert client.get("/api/v1/plan").get_json() == plan_before
    today = text_of(client.get("/"))
    assert "Glute bridge" in today and f"/routines/{routine_id}/play" in today
    assert client.get(f"/routines/{routine_id}/play").status_code == 200
    with app.app_context():
        bird_dog = [{"exercise": "bird-dog", "sets_done": 1, "reps_done": 5, "hold_seconds": 0, "painful": False}]
        [done] = store_batch(db.session.get(User, users["alex"].id), [session_payload(routine_id, exercises=bird_dog)])
        assert done.status == "created", done


def test_an_archived_program_is_not_assigned_by_a_forged_post(client, app, coach, users):
    program_id = build(client, app, name="Put away")
    post_form(client, f"/trainer/programs/{program_id}/archive", {})
    response = assign_to(client, program_id, users["alex"])
    assert response.status_code == 302
    assert "Put away is archived, so it cannot be assigned." in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts()["Assignment"] == 0


def test_an_archived_program_is_not_saved_until_restored(client, app, coach):
    program_id = build(client, app, name="Frozen")
    post_form(client, f"/trainer/programs/{program_id}/archive", {})
    path = f"/trainer/programs/{program_id}/edit"
    response = press(client, path, edit_page(client, program_id), "save", name="Thawed")
    assert response.status_code == 400
    assert "This program is archived. Restore it to save changes to it." in text_of(response)
    assert 'href="#restore"' in text_of(response) and 'id="restore"' in text_of(response)
    with app.app_context():
        assert db.session.get(Program, program_id).name == "Frozen"
    # Restore on the edit page comes back to it, and then the change saves.
    restored = post_form(client, f"/trainer/programs/{program_id}/restore", {"back": "edit"})
    assert restored.headers["Location"] == path
    assert "Restored Frozen." in text_of(client.get(path))
    assert press(client, path, edit_page(client, program_id), "save", name="Thawed").status_code == 302
    with app.app_context():
        assert db.session.get(Program, program_id).name == "Thawed"


# --- Programs: deleting for good ------------------------------------------------------------------------


def test_a_program_nobody_used_is_deleted_for_good_after_a_confirm_page(client, app, coach):
    with app.app_context():
        before = counts()
    program_id = build(client, app, name="Scratch", items=("bird-dog", "glute-bridge"), weeks=2)
    delete_url = f"/trainer/programs/{program_id}/delete"
    assert delete_url in own_section(text_of(client.get("/trainer/programs/")))
    assert delete_url in edit_page(client, program_id)
    confirm = client.get(delete_url)
    assert confirm.status_code == 200
    html = text_of(confirm)
    assert "Delete Scratch?" in html and f'action="{delete_url}"' in html and "cannot be undone" in html

    response = post_form(client, delete_url, {})
    assert response.status_code == 302
    assert "Deleted Scratch." in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts() == before
    assert client.get(f"/trainer/programs/{program_id}/edit").status_code == 404
    assert client.get(delete_url).status_code == 404


def test_an_archived_program_nobody_used_can_be_deleted_from_the_archive(client, app, coach):
    program_id = build(client, app, name="Shelved")
    post_form(client, f"/trainer/programs/{program_id}/archive", {})
    assert f"/trainer/programs/{program_id}/delete" in archived_section(text_of(client.get("/trainer/programs/")))
    assert post_form(client, f"/trainer/programs/{program_id}/delete", {}).status_code == 302
    with app.app_context():
        assert db.session.get(Program, program_id) is None


@pytest.mark.parametrize("how", ["followed now", "followed before", "sessions only"])
def test_a_program_ever_followed_or_done_is_only_archived_never_deleted(client, app, coach, users, how):
    program_id = build(client, app, name="Well used")
    with app.app_context():
        alex = db.session.get(User, users["alex"].id)
        program = db.session.get(Program, program_id)
        if how != "sessions only":
            assign(alex, program, TODAY)
        if how == "followed before":
            assign(alex, starter_program("gentle-start"), TODAY)
        if how == "sessions only":
            db.session.add(CompletedSession(
                uuid="1b4e28ba-2fa1-11d2-883f-0016d3cca427", user_id=alex.id,
                routine_id=program.weeks[0].routines[0].id, program_id=program.id,
                started_at=utcnow(), completed_at=utcnow(), local_date=TODAY,
                pain_before=3, pain_after=3, effort=3, content_hash="0" * 64,
            ))  # fmt: skip
            db.session.commit()
        before = counts()
    delete_url = f"/trainer/programs/{program_id}/delete"
    assert delete_url not in text_of(client.get("/trainer/programs/"))
    assert delete_url not in edit_page(client, program_id)
    page = text_of(client.get(delete_url))
    assert "Well used cannot be deleted" in page and "clients have followed it or done sessions from it" in page
    assert f'action="/trainer/programs/{program_id}/archive"' in page

    response = post_form(client, delete_url, {})  # forged: the page offers no such button
    assert response.status_code == 302
    assert "Well used was not deleted" in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts() == before
        assert db.session.get(Program, program_id) is not None


def test_the_deletion_rule_holds_without_the_pages(app, users):
    with app.app_context():
        coach = db.session.get(User, users["coach"].id)
        program = Program(family="t-rule", name="Rule", owner_id=coach.id)
        db.session.add(program)
        db.session.commit()
        assert archiving.used_families(["t-rule", "gentle-start"]) == set()
        assign(db.session.get(User, users["alex"].id), program, TODAY)
        assert archiving.used_families(["t-rule", "gentle-start"]) == {"t-rule"}
        with pytest.raises(archiving.InUse):
            archiving.delete(program)
        assert db.session.get(Program, program.id) is not None


# --- Custom exercises -----------------------------------------------------------------------------------


def own_exercise(coach) -> Exercise:
    return db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()


def test_an_archived_exercise_leaves_the_picker_and_library_but_stays_in_routines(client, app, auth, coach, users):
    onboard(app, users["alex"])
    assert upload(client, exercise_form(), PNG).status_code == 302
    with app.app_context():
        custom = own_exercise(coach)
        custom_id, slug, picture = custom.id, custom.slug, custom.illustration
    program_id = build_daily(client, app, name="With a towel", items=(slug, "bird-dog"))
    assert assign_to(client, program_id, users["alex"]).status_code == 302
    with app.app_context():
        routine_id = db.session.get(Program, program_id).weeks[0].routines[0].id

    response = post_form(client, f"/trainer/exercises/{custom_id}/archive", {})
    assert response.status_code == 302 and response.headers["Location"] == "/trainer/exercises/"
    page = text_of(client.get(response.headers["Location"]))
    assert "Archived Towel squeeze: it is out of the library and the exercise picker." in page
    assert f'action="/trainer/exercises/{custom_id}/archive"' not in page
    assert "No exercises of your own in use: the ones you archived are below." in page
    archived = page.split("data-archived", 1)[1]
    assert "Archived exercises (1)" in archived and f'action="/trainer/exercises/{custom_id}/restore"' in archived
    with app.app_context():
        assert db.session.get(Exercise, custom_id).is_active is False

    # The builder: not offered to add, still in the program that has it, which still saves.
    assert '<option value="Towel squeeze">' not in text_of(client.get("/trainer/programs/new"))
    edit = edit_page(client, program_id)
    assert 'data-name="Towel squeeze"' in edit and '<option value="Towel squeeze">' not in edit
    forged = press(
        client, f"/trainer/programs/{program_id}/edit", edit, "add-item:0:0", weeks_0_routines_0_add=str(custom_id)
    )
    assert "Choose an exercise from the list" in text_of(forged)
    saved = press(client, f"/trainer/programs/{program_id}/edit", edit, "save", name="With a towel, renamed")
    assert saved.status_code == 302
    assert "Towel squeeze" not in text_of(client.get("/exercises/"))

    as_user(auth, users["alex"])
    assert "Towel squeeze" not in text_of(client.get("/exercises/"))
    assert slug not in {e["slug"] for e in client.get("/api/v1/exercises").get_json()["exercises"]}
    today = text_of(client.get("/"))
    assert "Towel squeeze" in today and f"/exercises/{slug}" in today
    detail = client.get(f"/exercises/{slug}")
    assert detail.status_code == 200 and "Put a rolled towel between your knees." in text_of(detail)
    assert client.get(picture).status_code == 200
    player = text_of(client.get(f"/routines/{routine_id}/play"))
    assert "Towel squeeze" in player and picture in player
    plan = client.get("/api/v1/plan").get_json()
    assert slug in {e["slug"] for r in plan["routines"] for e in r["exercises"]}
    offline = client.get("/api/v1/offline-manifest").get_json()["urls"]
    assert f"/exercises/{slug}" in offline and picture in offline  # the routine still runs without signal
    done = [{"exercise": slug, "sets_done": 2, "reps_done": 5, "hold_seconds": 8, "painful": False}]
    synced = client.post("/api/v1/sessions", json={"sessions": [session_payload(routine_id, exercises=done)]},
                         headers=auth.api_headers())  # fmt: skip
    assert synced.get_json()["results"][0]["status"] == "created", synced.get_json()
    assert "Towel squeeze" in text_of(client.get("/history/"))

    # Another trainer's client never sees it, archived or not.
    auth.logout()
    with app.app_context():
        make_user("jo@example.com", trainer=users["other"])
    auth.login("jo@example.com")
    assert client.get(f"/exercises/{slug}").status_code == 404

    as_user(auth, users["coach"])
    response = post_form(client, f"/trainer/exercises/{custom_id}/restore", {})
    assert "Restored Towel squeeze." in text_of(client.get(response.headers["Location"]))
    assert '<option value="Towel squeeze">' in text_of(client.get("/trainer/programs/new"))
    assert "Towel squeeze" in text_of(client.get("/exercises/"))


def test_editing_an_archived_exercise_keeps_it_archived(client, app, coach):
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        custom_id = own_exercise(coach).id
    post_form(client, f"/trainer/exercises/{custom_id}/archive", {})
    path = f"/trainer/exercises/{custom_id}/edit"
    assert "This exercise is archived" in text_of(client.get(path))
    assert upload(client, exercise_form(name="Towel squeeze, softer"), path=path).status_code == 302
    with app.app_context():
        exercise = db.session.get(Exercise, custom_id)
        assert exercise.name == "Towel squeeze, softer" and exercise.is_active is False


def test_an_unused_exercise_is_deleted_for_good_with_its_picture(client, app, coach):
    with app.app_context():
        before = counts()
    assert upload(client, exercise_form(), PNG).status_code == 302
    with app.app_context():
        custom = own_exercise(coach)
        custom_id, picture = custom.id, custom.illustration
    delete_url = f"/trainer/exercises/{custom_id}/delete"
    assert delete_url in text_of(client.get("/trainer/exercises/"))
    assert delete_url in text_of(client.get(f"/trainer/exercises/{custom_id}/edit"))
    confirm = text_of(client.get(delete_url))
    assert "Delete Towel squeeze?" in confirm and f'action="{delete_url}"' in confirm

    response = post_form(client, delete_url, {})
    assert response.status_code == 302
    assert "Deleted Towel squeeze." in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts() == before
        assert db.session.execute(db.select(db.func.count()).select_from(ExerciseImage)).scalar() == 0
    assert client.get(picture).status_code == 404
    assert client.get(f"/trainer/exercises/{custom_id}/edit").status_code == 404


@pytest.mark.parametrize("where", ["in a routine", "in a session only"])
def test_an_exercise_in_use_is_only_archived_never_deleted(client, app, coach, users, where):
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        custom = own_exercise(coach)
        custom_id, slug = custom.id, custom.slug
    if where == "in a routine":
        build(client, app, name="Towel day", items=(slug,))
    else:
        with app.app_context():
            alex = db.session.get(User, users["alex"].id)
            assign(alex, starter_program("gentle-start"), TODAY)
            done = [{"exercise": slug, "sets_done": 1, "reps_done": 5, "hold_seconds": 8, "painful": False}]
            [result] = store_batch(alex, [session_payload(first_routine_id(), exercises=done)])
            assert result.status == "created", result
    with app.app_context():
        before = counts()
    delete_url = f"/trainer/exercises/{custom_id}/delete"
    assert delete_url not in text_of(client.get("/trainer/exercises/"))
    assert delete_url not in text_of(client.get(f"/trainer/exercises/{custom_id}/edit"))
    page = text_of(client.get(delete_url))
    assert "Towel squeeze cannot be deleted" in page and f'action="/trainer/exercises/{custom_id}/archive"' in page

    response = post_form(client, delete_url, {})
    assert response.status_code == 302
    assert "Towel squeeze was not deleted" in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts() == before
        assert db.session.get(Exercise, custom_id).is_active is True


def test_the_library_hides_an_archived_exercise_that_routines_still_reach(app, users):
    with app.app_context():
        make_user("jo@example.com", trainer=users["other"])
        coach, alex, jo = (db.session.execute(db.select(User).where(User.email == e)).scalar_one()
                           for e in ("coach@example.com", "alex@example.com", "jo@example.com"))  # fmt: skip
        exercise = Exercise(
            slug="wall-press-t1", name="Wall press", summary="Press gently into a wall.", kind="reps",
            position="standing", level=1, cue="Slow and steady", illustration="", illustration_alt="",
            sets=1, reps=8, rest_seconds=30, owner_id=coach.id, is_active=False,
        )  # fmt: skip
        db.session.add(exercise)
        db.session.commit()
        for person in (coach, alex):
            assert exercise not in content.visible_exercises(person)
            assert exercise in content.reachable_exercises(person)
            assert content.exercise_for(person, "wall-press-t1") is exercise
        assert exercise not in content.reachable_exercises(jo)
        assert content.exercise_for(jo, "wall-press-t1") is None
        assert content.exercise_for(None, "wall-press-t1") is None


# --- Who may do it, and bad requests ----------------------------------------------------------------------

ROUTES = [
    ("POST", "/trainer/programs/{program}/archive"),
    ("POST", "/trainer/programs/{program}/restore"),
    ("GET", "/trainer/programs/{program}/delete"),
    ("POST", "/trainer/programs/{program}/delete"),
    ("POST", "/trainer/exercises/{exercise}/archive"),
    ("POST", "/trainer/exercises/{exercise}/restore"),
    ("GET", "/trainer/exercises/{exercise}/delete"),
    ("POST", "/trainer/exercises/{exercise}/delete"),
]


@pytest.fixture
def things(client, app, coach):
    """One program and one exercise of the coach's, both unused, so only the access rules stand in the way."""
    program_id = build(client, app, name="Mine only")
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        return {"program": program_id, "exercise": own_exercise(coach).id}


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_another_trainers_or_a_missing_id_is_404_a_client_403_and_anonymous_logs_in(
    client, app, auth, users, things, method, path
):
    with app.app_context():
        before = counts()
    url = path.format(**things)
    missing = path.format(program=999999, exercise=999999)
    send = client.get if method == "GET" else (lambda u: post_form(client, u, {}))
    as_user(auth, users["other"])
    assert send(url).status_code == 404
    as_user(auth, users["coach"])
    assert send(missing).status_code == 404
    as_user(auth, users["alex"])
    assert send(url).status_code == 403
    auth.logout()
    response = send(url)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    with app.app_context():
        assert counts() == before
        assert db.session.get(Program, things["program"]).archived_at is None
        assert db.session.get(Exercise, things["exercise"]).is_active is True


@pytest.mark.parametrize("path", [p for m, p in ROUTES if m == "POST"])
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(client, app, things, path):
    with app.app_context():
        before = counts()
    response = client.post(path.format(**things), data={})
    assert response.status_code == 400
    with app.app_context():
        assert counts() == before
        assert db.session.get(Program, things["program"]).archived_at is None
        assert db.session.get(Exercise, things["exercise"]).is_active is True


@pytest.mark.parametrize("how", ["the client leaves", "the trainer deletes their account"])
def test_a_kept_plan_keeps_its_trainers_exercises_pages_pictures_and_sync(client, app, auth, coach, users, how):
    from webapp.account.deletion import delete_account
    from webapp.trainer.services import leave_trainer

    onboard(app, users["alex"])
    assert upload(client, exercise_form(), PNG).status_code == 302
    with app.app_context():
        custom = own_exercise(coach)
        slug, picture = custom.slug, custom.illustration
    program_id = build_daily(client, app, name="With a towel", items=(slug, "bird-dog"))
    assert assign_to(client, program_id, users["alex"]).status_code == 302
    with app.app_context():
        routine_id = db.session.get(Program, program_id).weeks[0].routines[0].id
        if how == "the client leaves":
            leave_trainer(db.session.get(User, users["alex"].id))
        else:
            delete_account(db.session.get(User, users["coach"].id))

    as_user(auth, users["alex"])
    assert client.get(f"/exercises/{slug}").status_code == 200
    assert client.get(picture).status_code == 200
    player = text_of(client.get(f"/routines/{routine_id}/play"))
    assert "Towel squeeze" in player and picture in player
    done = [{"exercise": slug, "sets_done": 2, "reps_done": 5, "hold_seconds": 8, "painful": False}]
    synced = client.post("/api/v1/sessions", json={"sessions": [session_payload(routine_id, exercises=done)]},
                         headers=auth.api_headers())  # fmt: skip
    assert synced.get_json()["results"][0]["status"] == "created", synced.get_json()
    # Kept, not shared: the library does not list it, and nobody else's plan reaches it.
    assert "Towel squeeze" not in text_of(client.get("/exercises/"))
    auth.logout()
    with app.app_context():
        make_user("jo@example.com", trainer=users["other"])
    auth.login("jo@example.com")
    assert client.get(f"/exercises/{slug}").status_code == 404
    assert client.get(picture).status_code == 404
