"""The trainer builds a program, changes it once clients follow it, prints it, assigns it, and adds exercises."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import threading
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from webapp.auth.models import User
from webapp.builder import custom, editing, forms
from webapp.content.files import DATA_DIR
from webapp.content.models import Exercise, ExerciseImage
from webapp.content.services import all_muscles
from webapp.extensions import db
from webapp.programs.models import Assignment, Program, ProgramWeek, Routine, RoutineExercise
from webapp.programs.services import follow_current_versions, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CompletedSession
from webapp.sessions.sync import store_batch

from .conftest import csrf_from
from .factories import make_plan, make_user, session_payload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
BIRD_DOG_DONE = [{"exercise": "bird-dog", "sets_done": 1, "reps_done": 5, "hold_seconds": 0, "painful": False}]
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
    b'<metadata><rdf xmlns="urn:x">editor data</rdf></metadata>'
    b'<image xlink:href="https://tracker.example/pixel.png" width="1" height="1"/>'
    b'<rect width="10" height="10" fill="teal"/></svg>'
)


# --- Reading and sending the builder's form the way a browser does ----------------------------------


class FormReader(HTMLParser):
    """The fields a browser would send from the form carrying `marker`: values, checked boxes, selected options."""

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: str | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.marker in a:
            self.inside = True
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("file", "submit", "button"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select, self.options = a["name"], []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""

    def handle_data(self, data):
        if self.textarea is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected] or [self.options[0][0]]
            self.fields.append((self.select, chosen[0]))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None


def form_of(html: str, marker: str = "data-builder") -> MultiDict:
    reader = FormReader(marker)
    reader.feed(html)
    assert reader.fields, "no form found"
    return MultiDict(reader.fields)


def press(client, path: str, html: str, action: str, **changes):
    """Fill the page's form as it is (with changes) and press one of its buttons."""
    fields = form_of(html)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if isinstance(value, list):
            fields.setlist(name, value)
        else:
            fields[name] = value
    fields["action"] = action
    return client.post(path, data=fields)


def text_of(response) -> str:
    return response.get_data(as_text=True)


def exercise_id(slug: str) -> int:
    return db.session.execute(db.select(Exercise.id).where(Exercise.slug == slug)).scalar_one()


def counts() -> dict[str, int]:
    return {
        model.__name__: db.session.execute(db.select(db.func.count()).select_from(model)).scalar()
        for model in (Program, ProgramWeek, Routine, RoutineExercise, Assignment, Exercise, ExerciseImage)
    }


def post_form(client, path: str, data: dict):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


@pytest.fixture
def coach(app, auth, users):
    auth.login_as(users["coach"])
    return users["coach"]


def build(client, app, name="Steady back", items=("bird-dog",), weeks=1):
    """A program made through the builder like a trainer would: returns its id."""
    with app.app_context():
        ids = [exercise_id(slug) for slug in items]
    page = text_of(client.get("/trainer/programs/new"))
    for ex in ids:
        page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(ex)))
    for _ in range(weeks - 1):
        page = text_of(press(client, "/trainer/programs/new", page, "dup-week:0"))
    response = press(client, "/trainer/programs/new", page, "save", name=name)
    assert response.status_code == 302, text_of(response)
    return int(re.search(r"/trainer/programs/(\d+)/edit", response.headers["Location"]).group(1))


def edit_page(client, program_id: int) -> str:
    response = client.get(f"/trainer/programs/{program_id}/edit")
    assert response.status_code == 200
    return text_of(response)


# --- Creating ---------------------------------------------------------------------------------------


def test_the_list_shows_own_programs_and_starters_read_only(client, app, coach):
    program_id = build(client, app, name="Casey's core")
    page = text_of(client.get("/trainer/programs/"))
    assert "Casey&#39;s core" in page and "Gentle start" in page and "Core foundations" in page
    assert f"/trainer/programs/{program_id}/edit" in page
    with app.app_context():
        starter = starter_program("gentle-start")
        assert f"/trainer/programs/new?from={starter.id}" in page
        assert f"/trainer/programs/{starter.id}/edit" not in page
        assert client.get(f"/trainer/programs/{starter.id}/edit").status_code == 404


def test_a_blank_program_takes_an_exercise_with_its_default_dose_and_saves(client, app, coach):
    with app.app_context():
        bird_dog = db.session.get(Exercise, exercise_id("bird-dog"))
        default = (bird_dog.sets, bird_dog.reps, bird_dog.hold_seconds, bird_dog.rest_seconds)
    page = text_of(client.get("/trainer/programs/new"))
    assert 'name="name" value="New program"' in page
    added = press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(bird_dog.id))
    assert added.status_code == 200
    assert "Added Bird dog to Routine A, week 1." in text_of(added)
    with app.app_context():
        # Nothing is written before Save: only the starters, one per shipped program file.
        assert counts()["Program"] == len(list((DATA_DIR / "programs").glob("*.toml")))
    program_id = build(client, app, name="Bird dog basics")
    with app.app_context():
        program = db.session.get(Program, program_id)
        assert program.owner_id == coach.id and program.version == 1 and program.is_current
        assert program.family.startswith(f"t{coach.id}-")
        [week] = program.weeks
        [routine] = week.routines
        assert routine.name == "Routine A" and routine.day_list == ["mon", "wed", "fri"]
        [item] = routine.items
        assert (item.sets, item.reps, item.hold_seconds, item.rest_seconds) == default
        assert program.sessions_per_week == 3


def test_a_starter_program_as_a_template_makes_a_new_family_and_leaves_the_starter_alone(client, app, coach):
    with app.app_context():
        starter = starter_program("gentle-start")
        starter_id, weeks = starter.id, len(starter.weeks)
        items = [(i.exercise.slug, i.sets, i.reps) for w in starter.weeks for r in w.routines for i in r.items]
    page = text_of(client.get(f"/trainer/programs/new?from={starter_id}"))
    assert 'value="Gentle start (copy)"' in page
    response = press(client, "/trainer/programs/new", page, "save")
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.execute(db.select(Program).where(Program.owner_id == coach.id)).scalar_one()
        assert copy.family != "gentle-start" and copy.name == "Gentle start (copy)"
        assert len(copy.weeks) == weeks
        assert [(i.exercise.slug, i.sets, i.reps) for w in copy.weeks for r in w.routines for i in r.items] == items
        assert copy.sources == db.session.get(Program, starter_id).sources
        assert db.session.get(Program, starter_id).is_current
        assert db.session.execute(db.select(db.func.count()).where(Program.family == "gentle-start")).scalar() == 1


def test_one_of_the_trainers_own_programs_as_a_template(client, app, coach):
    original = build(client, app, name="Mine", items=("bird-dog", "glute-bridge"))
    page = text_of(client.get(f"/trainer/programs/new?from={original}"))
    assert press(client, "/trainer/programs/new", page, "save", name="Mine, harder").status_code == 302
    with app.app_context():
        programs = db.session.execute(db.select(Program).where(Program.owner_id == coach.id)).scalars().all()
        assert sorted(p.name for p in programs) == ["Mine", "Mine, harder"]
        assert len({p.family for p in programs}) == 2


# --- Editing weeks, routines and items ---------------------------------------------------------------


def test_weeks_are_added_duplicated_and_removed_and_doses_changed_per_week(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "glute-bridge"))
    path = f"/trainer/programs/{program_id}/edit"
    page = edit_page(client, program_id)
    for _ in range(3):
        page = text_of(press(client, path, page, "dup-week:0"))
    assert "Week 1 copied as week 2." in page
    assert page.count('class="week card"') == 4
    # Week 4 progresses: more repetitions of the bridge.
    page = text_of(press(client, path, page, "add-routine:3", weeks_3_routines_0_items_1_reps="12"))
    assert "Added Routine B to week 4." in page
    with app.app_context():
        walk = exercise_id("walking")
    page = text_of(
        press(client, path, page, "add-item:3:1", weeks_3_routines_1_add=str(walk), weeks_3_routines_1_days=["sat"])
    )
    page = text_of(press(client, path, page, "add-week"))
    page = text_of(press(client, path, page, "del-week:4"))
    assert "Removed week 5." in page
    assert press(client, path, page, "save").status_code == 302
    with app.app_context():
        program = db.session.get(Program, program_id)
        assert program.version == 1 and len(program.weeks) == 4  # never used: edited in place
        assert [i.reps for i in program.weeks[3].routines[0].items][1] == 12
        assert [i.reps for i in program.weeks[0].routines[0].items][1] != 12
        assert program.weeks[3].routines[1].day_list == ["sat"]
        assert program.weeks[3].routines[1].items[0].exercise.slug == "walking"
        assert program.sessions_per_week == 4


def test_exercises_move_up_and_down_by_buttons_and_the_move_is_announced(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "glute-bridge", "dead-bug"))
    path = f"/trainer/programs/{program_id}/edit"
    page = text_of(press(client, path, edit_page(client, program_id), "up:0:0:2"))
    assert "Moved Dead bug to position 2." in page
    assert re.search(r'role="status"[^>]*>Moved Dead bug to position 2\.', page)
    assert re.search(r'value="up:0:0:1"[^>]*autofocus', page)
    page = text_of(press(client, path, page, "down:0:0:0"))
    assert "Moved Bird dog to position 2." in page
    page = text_of(press(client, path, page, "up:0:0:0"))
    assert "Glute bridge is already first." not in page and "is already first." in page
    assert press(client, path, page, "save").status_code == 302
    with app.app_context():
        routine = db.session.get(Program, program_id).weeks[0].routines[0]
        assert [i.exercise.slug for i in routine.items] == ["dead-bug", "bird-dog", "glute-bridge"]


def test_the_hidden_order_fields_written_by_dragging_decide_the_order(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "glute-bridge", "dead-bug"))
    path = f"/trainer/programs/{program_id}/edit"
    orders = {f"weeks_0_routines_0_items_{x}_order": order for x, order in enumerate(("2", "0", "1"))}
    response = press(client, path, edit_page(client, program_id), "save", **orders)
    assert response.status_code == 302
    with app.app_context():
        routine = db.session.get(Program, program_id).weeks[0].routines[0]
        assert [i.exercise.slug for i in routine.items] == ["glute-bridge", "dead-bug", "bird-dog"]
        assert [i.position for i in routine.items] == [0, 1, 2]


# --- Bad input: refused with a message naming the fix, nothing written --------------------------------


BAD = [
    ("del-week", {}, "Add at least one week"),
    ("del-routine", {}, "Week 1 has no routine: add a routine or remove the week."),
    ("del-item", {}, "Week 1, Routine A has no exercises: add at least one."),
    ("no-days", {"weeks_0_routines_0_days": []}, "Week 1, Routine A has no day: choose at least one day."),
    ("same-day", {}, "Week 1: Routine A and Routine B are both on Monday."),
    ("save", {"weeks_0_routines_0_items_0_sets": "0"},
     "Week 1, Routine A, Plank on knees: sets must be a whole number from 1 to 10."),
    ("save", {"weeks_0_routines_0_items_0_sets": "11"}, "sets must be a whole number from 1 to 10."),
    ("save", {"weeks_0_routines_0_items_0_sets": "two"}, "sets must be a whole number from 1 to 10."),
    ("save", {"weeks_0_routines_0_items_0_reps": "0"}, "reps must be a whole number from 1 to 100."),
    ("save", {"weeks_0_routines_0_items_0_reps": "101"}, "reps must be a whole number from 1 to 100."),
    ("save", {"weeks_0_routines_0_items_0_hold": "0"}, "Plank on knees: hold must be from 1 to 300 seconds."),
    ("save", {"weeks_0_routines_0_items_0_hold": "301"}, "hold must be from 1 to 300 seconds."),
    ("save", {"weeks_0_routines_0_items_0_rest": "-1"}, "rest must be from 0 to 600 seconds."),
    ("save", {"weeks_0_routines_0_items_0_rest": "601"}, "rest must be from 0 to 600 seconds."),
    ("save", {"weeks_0_routines_0_items_0_rest": "2.5"}, "rest must be from 0 to 600 seconds."),
    ("save", {"name": "  "}, "Give the program a name."),
]  # fmt: skip


@pytest.mark.parametrize(("how", "changes", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "saved"])
def test_bad_programs_are_refused_with_a_message_and_nothing_is_half_saved(client, app, coach, how, changes, message,
                                                                           existing):  # fmt: skip
    # A hold exercise, so the hold limits of 1 to 300 s apply.
    program_id = build(client, app, items=("front-plank-knees",)) if existing else None
    path = f"/trainer/programs/{program_id}/edit" if existing else "/trainer/programs/new"
    if existing:
        page = edit_page(client, program_id)
    else:
        with app.app_context():
            plank = exercise_id("front-plank-knees")
        page = text_of(
            press(client, path, text_of(client.get(path)), "add-item:0:0", weeks_0_routines_0_add=str(plank))
        )
    with app.app_context():
        before = counts()
        rows = [
            (r.id, r.days, [(i.sets, i.reps, i.hold_seconds, i.rest_seconds) for i in r.items])
            for r in db.session.execute(db.select(Routine)).scalars()
        ]
    if how in ("del-week", "del-routine", "del-item"):
        page = text_of(press(client, path, page, {"del-week": "del-week:0", "del-routine": "del-routine:0:0",
                                                  "del-item": "del-item:0:0:0"}[how]))  # fmt: skip
    elif how == "same-day":
        page = text_of(press(client, path, page, "add-routine:0"))
        with app.app_context():
            bridge = exercise_id("glute-bridge")
        page = text_of(
            press(
                client, path, page, "add-item:0:1", weeks_0_routines_1_add=str(bridge), weeks_0_routines_1_days=["mon"]
            )
        )
    elif how == "no-days":
        page = text_of(press(client, path, page, "add-week", **changes))
        changes = {}
    response = press(client, path, page, "save", **changes)
    assert response.status_code == 400
    html = text_of(response)
    assert "Nothing was saved." in html
    assert message.replace("'", "&#39;") in html
    with app.app_context():
        assert counts() == before
        assert [
            (r.id, r.days, [(i.sets, i.reps, i.hold_seconds, i.rest_seconds) for i in r.items])
            for r in db.session.execute(db.select(Routine)).scalars()
        ] == rows


def test_a_refused_form_comes_back_as_typed_with_the_bad_field_marked(client, app, coach):
    program_id = build(client, app)
    path = f"/trainer/programs/{program_id}/edit"
    html = text_of(
        press(client, path, edit_page(client, program_id), "save", weeks_0_routines_0_items_0_sets="12", name="Renamed")
    )
    assert 'value="Renamed"' in html
    assert re.search(r'id="weeks-0-routines-0-items-0-sets"[^>]*value="12"[^>]*aria-invalid="true"', html)
    assert 'href="#weeks-0-routines-0-items-0-sets"' in html


# --- The form's nested names, as WTForms reads them (builder/forms.py) ---------------------------------


def test_rows_are_read_in_the_order_of_their_numbers_whatever_the_gaps(client, app, coach):
    """A forged or hand-made post with gaps in the numbering still reads as the rows it names."""
    with app.app_context():
        bird, bridge = exercise_id("bird-dog"), exercise_id("glute-bridge")
    data = {"name": "Gaps", "minutes": "15", "level": "1", "action": "save",
            "weeks-7-focus": "later", "weeks-7-routines-0-name": "B", "weeks-7-routines-0-days": "tue",
            "weeks-7-routines-0-items-5-exercise": str(bridge), "weeks-7-routines-0-items-5-sets": "2",
            "weeks-7-routines-0-items-5-reps": "8", "weeks-7-routines-0-items-5-hold": "3",
            "weeks-7-routines-0-items-5-rest": "30",
            "weeks-2-focus": "first", "weeks-2-routines-3-name": "A", "weeks-2-routines-3-days": "mon",
            "weeks-2-routines-3-items-0-exercise": str(bird), "weeks-2-routines-3-items-0-sets": "2",
            "weeks-2-routines-3-items-0-reps": "6", "weeks-2-routines-3-items-0-hold": "5",
            "weeks-2-routines-3-items-0-rest": "30",
            # A row without an exercise is not an exercise of the program.
            "weeks-2-routines-3-items-1-exercise": "glute-bridge", "weeks-2-routines-3-items-1-sets": "9"}  # fmt: skip
    response = post_form(client, "/trainer/programs/new", data)
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        program = db.session.get(Program, int(re.search(r"/(\d+)/edit", response.headers["Location"]).group(1)))
        assert [w.focus for w in program.weeks] == ["first", "later"]
        assert [[i.exercise.slug for r in w.routines for i in r.items] for w in program.weeks] == [
            ["bird-dog"],
            ["glute-bridge"],
        ]


def test_a_post_with_more_weeks_than_allowed_is_refused_and_only_so_many_are_read(client, app, coach):
    with app.app_context():
        bird = exercise_id("bird-dog")
    data = {"name": "Too long", "minutes": "15", "level": "1", "action": "save"}
    for w in range(200):
        data |= {f"weeks-{w}-routines-0-name": "A", f"weeks-{w}-routines-0-days": "mon",
                 f"weeks-{w}-routines-0-items-0-exercise": str(bird), f"weeks-{w}-routines-0-items-0-sets": "2",
                 f"weeks-{w}-routines-0-items-0-reps": "6", f"weeks-{w}-routines-0-items-0-hold": "5",
                 f"weeks-{w}-routines-0-items-0-rest": "30"}  # fmt: skip
    with app.app_context():
        before = counts()
    response = post_form(client, "/trainer/programs/new", data)
    assert response.status_code == 400
    html = text_of(response)
    assert "Nothing was saved." in html and "A program can have up to 12 weeks." in html
    # One more than allowed is read, to say so; none is drawn back (a forged post gets a short page).
    assert 'class="week card"' not in html and len(html) < 50_000
    with app.app_context():
        assert counts() == before


def test_an_action_on_a_row_that_is_not_there_changes_nothing(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "glute-bridge"))
    path = f"/trainer/programs/{program_id}/edit"
    page = text_of(press(client, path, edit_page(client, program_id), "del-item:0:0:9"))
    assert "That part of the program was not found. Nothing changed." in page
    assert len(re.findall(r'<li class="item" id="weeks-[^"]+" data-item', page)) == 2


# --- Versions ----------------------------------------------------------------------------------------


def test_saving_an_assigned_program_makes_a_new_version_that_the_plan_follows(client, app, auth, coach, users, today):
    program_id = build(client, app, items=("bird-dog", "glute-bridge"), weeks=2)
    assigned = post_form(client, f"/trainer/programs/{program_id}/assign",
                         {"clients": [str(users["alex"].id)], "start": today.isoformat()})  # fmt: skip
    assert assigned.status_code == 302
    with app.app_context():
        old = db.session.get(Program, program_id)
        old_routine = old.weeks[0].routines[0].id
        alex = db.session.merge(users["alex"])
        [done] = store_batch(alex, [session_payload(old_routine, exercises=BIRD_DOG_DONE)])
        assert done.status == "created", done

    path = f"/trainer/programs/{program_id}/edit"
    page = edit_page(client, program_id)
    assert "Saving makes version 2" in page
    response = press(client, path, page, "save", weeks_0_routines_0_items_1_reps="15")
    assert response.status_code == 302
    message = text_of(client.get(response.headers["Location"]))
    assert "Saved as version 2: 1 client now follows it" in message

    with app.app_context():
        family = db.session.get(Program, program_id).family
        versions = db.session.execute(db.select(Program).where(Program.family == family)).scalars().all()
        old, new = sorted(versions, key=lambda p: p.version)
        assert (old.version, old.is_current, new.version, new.is_current) == (1, False, 2, True)
        assert old.weeks[0].routines[0].items[1].reps != 15  # the old version's rows are untouched
        assert new.weeks[0].routines[0].items[1].reps == 15
        assignment = db.session.execute(db.select(Assignment).where(Assignment.is_active.is_(True))).scalar_one()
        assert assignment.program_id == new.id and assignment.family == family
        session = db.session.execute(db.select(CompletedSession)).scalar_one()
        assert session.routine_id == old_routine and session.program_id == old.id
        new_id, new_routine = new.id, new.weeks[0].routines[0].id

    auth.logout()
    auth.login_as(users["alex"])
    plan = client.get("/api/v1/plan").get_json()
    assert plan["program"]["id"] == new_id and plan["program"]["version"] == 2
    assert new_routine in {r["id"] for r in plan["routines"]}
    assert plan["routines"][0]["exercises"][1]["reps"] == 15


def _what_the_client_has(client, routine_id: int) -> dict:
    """What a client's phone and pages hold of their plan: the plan, the offline list, the player's data."""
    player = client.get(f"/routines/{routine_id}/play")
    assert player.status_code == 200
    data = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', text_of(player), re.DOTALL)
    routine = json.loads(data.group(1))
    del routine["safety"]  # the safety standing says when it was read; the routine is what must not change
    return {
        "plan": client.get("/api/v1/plan").get_json(),
        "manifest": client.get("/api/v1/offline-manifest").get_json(),
        "player": routine,
    }


@pytest.mark.parametrize("how", ["the client leaves", "the trainer removes the client"])
def test_a_former_trainer_cannot_change_the_program_a_former_client_keeps(client, app, auth, users, today, how):
    with app.app_context():
        coach = db.session.merge(users["coach"])
        sam = make_user("sam@example.com", name="Sam Stays", trainer=coach)
        # Past the safety screen and onboarding, as anyone who reaches the player is.
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.finish_onboarding(alex)
    auth.login_as(users["coach"])
    program_id = build(client, app, items=("bird-dog", "glute-bridge"))
    ids = [str(users["alex"].id), str(sam.id)]
    assigned = post_form(client, f"/trainer/programs/{program_id}/assign", {"clients": ids, "start": today.isoformat()})
    assert assigned.status_code == 302
    with app.app_context():
        routine_id = db.session.get(Program, program_id).weeks[0].routines[0].id
    auth.logout()
    auth.login_as(users["alex"])
    before = _what_the_client_has(client, routine_id)
    if how == "the client leaves":
        confirm = client.get("/my-trainer/leave")
        left = client.post("/my-trainer/leave", data={"csrf_token": csrf_from(confirm.get_data(as_text=True))})
        assert left.status_code == 302
        auth.logout()
        auth.login_as(users["coach"])
    else:
        auth.logout()
        auth.login_as(users["coach"])
        assert post_form(client, f"/trainer/clients/{users['alex'].id}/remove", {}).status_code == 302

    path = f"/trainer/programs/{program_id}/edit"
    response = press(client, path, edit_page(client, program_id), "save", weeks_0_routines_0_items_1_reps="15")
    assert response.status_code == 302
    message = text_of(client.get(response.headers["Location"]))

    auth.logout()
    auth.login_as(users["alex"])
    assert _what_the_client_has(client, routine_id) == before
    # The trainer is told who follows the change and who does not.
    assert "Saved as version 2: 1 client now follows it" in message
    assert "1 person who is no longer your client keeps the version they had" in message
    assert before["plan"]["program"]["version"] == 1
    with app.app_context():
        follow_current_versions()  # what a content reload does: Alex is not moved on by it either
        db.session.commit()
        # The version Alex follows is in use, so it can never be changed in place: a further save versions again.
        kept = db.session.get(Program, program_id)
        assert kept.weeks[0].routines[0].items[1].reps != 15
        plans = dict(
            db.session.execute(db.select(Assignment.client_id, Assignment.program_id).where(Assignment.is_active)).all()
        )
        assert plans[users["alex"].id] == program_id and plans[sam.id] != program_id  # Sam, still a client, moves on
        later = (
            db.session.execute(
                db.select(Routine.id).join(Program).where(Program.family == kept.family, Program.version > 1)
            )
            .scalars()
            .all()
        )
    # What the trainer saved after Alex left is not Alex's to open, even by a routine's id.
    assert later
    for routine in later:
        assert client.get(f"/routines/{routine}/play").status_code == 404
    assert client.get(f"/routines/{routine_id}/play").status_code == 200
    # Nor can a session be recorded against one: the sync answers it invalid, and takes one of Alex's own version.
    with app.app_context():
        alex = db.session.merge(users["alex"])
        results = store_batch(alex, [session_payload(routine, exercises=BIRD_DOG_DONE) for routine in later])
        assert {r.status for r in results} == {"invalid"}
        assert all("is not a routine of your program" in r.errors[0] for r in results)
        [kept_one] = store_batch(alex, [session_payload(routine_id, exercises=BIRD_DOG_DONE)])
        assert kept_one.status == "created"


def test_a_program_only_used_in_old_sessions_is_still_versioned(client, app, coach, users, today):
    program_id = build(client, app)
    with app.app_context():
        program = db.session.get(Program, program_id)
        alex = db.session.merge(users["alex"])
        from webapp.programs.services import assign

        assign(alex, program, today)
        [done] = store_batch(alex, [session_payload(program.weeks[0].routines[0].id, exercises=BIRD_DOG_DONE)])
        assert done.status == "created"
        make_plan(alex, "gentle-start", start=today)  # the client has moved on to another program
    path = f"/trainer/programs/{program_id}/edit"
    assert press(client, path, edit_page(client, program_id), "save", name="Renamed").status_code == 302
    with app.app_context():
        assert db.session.get(Program, program_id).is_current is False
        assert db.session.execute(db.select(db.func.count()).where(Program.name == "Renamed")).scalar() == 1


def test_an_unused_draft_is_edited_in_place(client, app, coach):
    program_id = build(client, app)
    path = f"/trainer/programs/{program_id}/edit"
    with app.app_context():
        before = counts()
    response = press(
        client, path, edit_page(client, program_id), "save", name="Still a draft", weeks_0_routines_0_items_0_sets="3"
    )
    assert response.status_code == 302 and response.headers["Location"] == path
    assert "Saved your changes." in text_of(client.get(path))
    with app.app_context():
        program = db.session.get(Program, program_id)
        assert (program.name, program.version, program.is_current) == ("Still a draft", 1, True)
        assert program.weeks[0].routines[0].items[0].sets == 3
        assert counts()["Program"] == before["Program"]


def test_an_old_version_cannot_be_saved_over_the_newer_one(client, app, coach, users, today):
    program_id = build(client, app)
    with app.app_context():
        make_plan(users["alex"], start=today)  # not this program; but assign this one:
        from webapp.programs.services import assign

        assign(db.session.merge(users["alex"]), db.session.get(Program, program_id), today)
    path = f"/trainer/programs/{program_id}/edit"
    stale_page = edit_page(client, program_id)
    assert press(client, path, stale_page, "save", name="First").status_code == 302
    response = press(client, path, stale_page, "save", name="Second")
    assert response.status_code == 400
    assert "saved in another window" in text_of(response)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).where(Program.name == "Second")).scalar() == 0


# --- Preview and print --------------------------------------------------------------------------------


def test_the_preview_shows_the_program_as_the_client_will_see_it(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "front-plank-knees"), weeks=2)
    page = text_of(client.get(f"/trainer/programs/{program_id}/preview"))
    assert "what your client sees" in page
    assert page.count('class="plan-week"') == 2
    assert "Monday, Wednesday, Friday" in page
    assert "Bird dog" in page and "/static/img/exercises/bird-dog.svg" in page
    with app.app_context():
        plank = db.session.get(Exercise, exercise_id("front-plank-knees"))
        from webapp.content.services import dose_text

        words = dose_text(plank.sets, plank.reps, plank.hold_seconds, plank.kind, plank.per_side)
    assert words in page


def test_the_printout_has_the_plan_each_exercises_steps_and_cues_the_clients_name_and_the_traffic_light(
    client, app, coach, users
):
    program_id = build(client, app, items=("bird-dog", "glute-bridge"), weeks=3)
    page = text_of(client.get(f"/trainer/programs/{program_id}/print?client_id={users['alex'].id}"))
    assert page.count('class="print-week"') == 3, "the plan lists every week, with its doses"
    assert "Alex Morgan’s program: Steady back" in page
    assert "Green, up 2 points or less (or down)" in page and "Amber, up 3 to 5 points and no higher than 5" in page
    assert "Red, more than that" in page
    # Each exercise once, with its steps, its cues and when to stop, from the content.
    assert page.count('class="print-exercise"') == 2
    with app.app_context():
        bird_dog = db.session.get(Exercise, exercise_id("bird-dog"))
        steps, cues, stops = bird_dog.details["steps"], bird_dog.details["cues"], bird_dog.details["stop_if"]
    for line in (steps[0], steps[-1], cues[0], stops[0]):
        assert str(escape(line)) in page
    # The drawing prints its start and end positions (its still view), not a moment of the animation.
    assert re.search(r'src="/static/img/exercises/bird-dog\.svg\?v=[0-9a-f]+#still"', page)
    assert "Add your clinic's name and logo" in page
    assert client.get(f"/trainer/programs/{program_id}/print").status_code == 200
    with app.app_context():
        stranger = make_user("jo@example.com", trainer=users["other"])
    assert client.get(f"/trainer/programs/{program_id}/print?client_id={stranger.id}").status_code == 404
    # Printed on A4 in two columns: the page (and only the builder's pages) links the sheet with the printout's rules.
    assert re.search(r'<link rel="stylesheet" href="/static/css/builder\.css\?v=[0-9a-f]+">', page)
    assert "css/builder.css" not in client.get("/lessons/").get_data(as_text=True)
    css = (Path(app.static_folder) / "css" / "app.css").read_text()
    assert re.search(r"@media print \{\s*@page \{ size: A4;", css)
    builder_css = (Path(app.static_folder) / "css" / "builder.css").read_text()
    assert re.search(r"@media print \{[^@]*\.print-exercises \{ display: block; columns: 2;", builder_css)


def post_clinic(client, name: str, logo: bytes | None = None, **extra):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    body = {"clinic_name": name, "csrf_token": token, **extra}
    if logo is not None:
        body["logo"] = (io.BytesIO(logo), "logo.png", "image/png")
    return client.post("/trainer/clinic", data=body, content_type="multipart/form-data")


def test_the_clinics_name_and_logo_print_at_the_top_of_the_trainers_programs_only(client, app, auth, coach, users):
    program_id = build(client, app)
    settings = text_of(client.get("/account/"))
    assert "Your clinic on printouts" in settings and 'action="/trainer/clinic"' in settings
    response = post_clinic(client, "  Northside   Physio  ", PNG)
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/#clinic")
    page = text_of(client.get(f"/trainer/programs/{program_id}/print"))
    assert '<p class="printout__clinic">Northside Physio</p>' in page
    logo = re.search(r'class="printout__logo" src="(/media/clinics/\d+-[0-9a-f]{16}\.png)"', page).group(1)
    answer = client.get(logo)
    assert answer.status_code == 200 and answer.data == PNG and answer.mimetype == "image/png"
    assert logo in text_of(client.get("/account/")), "the settings page shows the logo as it prints"

    # Bad input: a name too long or a file that is no picture comes back with the reason, and nothing changes.
    refused = post_clinic(client, "x" * 121)
    assert refused.status_code == 400 and "Keep the clinic&#39;s name to 120 characters." in text_of(refused)
    assert post_clinic(client, "Other name", remove_logo="yes").status_code == 400, "a forged tick is refused"
    refused = post_clinic(client, "Other name", b"not a picture")
    assert refused.status_code == 400 and "Nothing was saved." in text_of(refused)
    printout = text_of(client.get(f"/trainer/programs/{program_id}/print"))
    assert '<p class="printout__clinic">Northside Physio</p>' in printout

    # Removing the logo keeps the name; the old address answers 404.
    post_clinic(client, "Northside Physio", remove_logo="1")
    assert "printout__logo" not in text_of(client.get(f"/trainer/programs/{program_id}/print"))
    assert client.get(logo).status_code == 404

    # Another trainer's printout carries neither; a client may not open the clinic page.
    post_clinic(client, "Northside Physio", PNG)
    auth.logout()
    auth.login_as(users["other"])
    other = text_of(client.get("/trainer/programs/1/print"))
    assert "Northside Physio" not in other
    assert client.get(logo).status_code == 404
    auth.logout()
    auth.login_as(users["alex"])
    assert client.get("/trainer/clinic").status_code in (403, 404)
    assert client.get(logo).status_code in (403, 404)


# --- Assigning ----------------------------------------------------------------------------------------


def test_one_program_is_assigned_to_several_clients_at_once(client, app, coach, users, today):
    with app.app_context():
        sam = make_user("sam@example.com", name="Sam Patel", trainer=users["coach"])
        make_plan(users["alex"], "gentle-start", start=today, by=users["coach"])
    program_id = build(client, app)
    page = text_of(client.get(f"/trainer/programs/{program_id}/assign"))
    assert "Alex Morgan" in page and "Sam Patel" in page and "Now following Gentle start" in page
    start = today + timedelta(days=3)
    both = {"clients": [str(users["alex"].id), str(sam.id)], "start": start.isoformat()}
    # Alex is part-way through Gentle start: replacing it asks first, and nothing is assigned yet.
    asked = post_form(client, f"/trainer/programs/{program_id}/assign", both)
    assert asked.status_code == 200
    question = text_of(asked)
    assert "Replace a program under way?" in question
    assert "<strong>Alex Morgan</strong> is part-way through Gentle start" in question
    assert "Sam Patel</strong> is part-way" not in question
    assert "Today tells them about the change." in question
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Assignment)).scalar() == 1
    response = post_form(client, f"/trainer/programs/{program_id}/assign", {**both, "confirm": "replace"})
    assert response.status_code == 302
    assert "assigned to Alex Morgan, Sam Patel" in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        active = db.session.execute(db.select(Assignment).where(Assignment.is_active.is_(True))).scalars().all()
        assert {(a.client_id, a.program_id, a.start_date, a.assigned_by_id) for a in active} == {
            (users["alex"].id, program_id, start, coach.id),
            (sam.id, program_id, start, coach.id),
        }
        assert db.session.execute(db.select(db.func.count()).select_from(Assignment)).scalar() == 3


def test_a_client_of_another_trainer_is_refused_and_nobody_is_assigned(client, app, coach, users, today):
    with app.app_context():
        jo = make_user("jo@example.com", trainer=users["other"])
        make_plan(users["alex"], "gentle-start", start=today)
        before = counts()
    program_id = build(client, app)
    both = {"clients": [str(users["alex"].id), str(jo.id)], "start": today.isoformat()}
    response = post_form(client, f"/trainer/programs/{program_id}/assign", both)
    assert response.status_code == 404
    assert "Nothing was assigned" in text_of(response)
    with app.app_context():
        assert counts()["Assignment"] == before["Assignment"]
        active = db.session.execute(db.select(Assignment).where(Assignment.is_active.is_(True))).scalar_one()
        assert active.family == "gentle-start"
    missing = post_form(client, f"/trainer/programs/{program_id}/assign",
                        {"clients": ["999999"], "start": today.isoformat()})  # fmt: skip
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": 0}, "Choose at least one client."),
        ({"clients": "ALEX", "start": -2}, "Choose a start date from today to 60 days ahead."),
        ({"clients": "ALEX", "start": 62}, "Choose a start date from today to 60 days ahead."),
        ({"clients": "ALEX", "start": "soon"}, "Choose a start date from today to 60 days ahead."),
    ],
)  # fmt: skip
def test_assigning_needs_a_client_and_a_start_date_within_60_days(client, app, coach, users, today, data, message):
    """A start given as a number is that many days from the trainer's today."""
    program_id = build(client, app)
    if isinstance(data["start"], int):
        data = {**data, "start": (today + timedelta(days=data["start"])).isoformat()}
    if data.get("clients") == "ALEX":
        data = {**data, "clients": str(users["alex"].id)}
    response = post_form(client, f"/trainer/programs/{program_id}/assign", data)
    assert response.status_code == 400
    assert message in text_of(response)
    with app.app_context():
        assert counts()["Assignment"] == 0


def test_the_client_is_told_on_today_that_their_trainer_set_a_new_program(app, auth, users, today, clock):
    from webapp.sessions import screens
    from webapp.sessions import services as records

    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.record_about(alex, 3, [], [], "")
        records.finish_onboarding(alex)
        make_plan(alex, "core-foundations", start=today + timedelta(days=2), by=users["coach"])
    auth.login("alex@example.com")
    page = text_of(auth.client.get("/"))
    assert "Casey Coach set you a new program: Core foundations" in page
    assert 'Your earlier sessions stay in your <a href="/history/">history</a>.' in page
    # A week later it is no longer news.
    clock.shift(timedelta(days=7))
    assert "set you a new program" not in text_of(auth.client.get("/"))


def test_a_starter_program_can_be_assigned_as_it_is(client, app, coach, users, today):
    with app.app_context():
        starter_id = starter_program("core-foundations").id
    response = post_form(client, f"/trainer/programs/{starter_id}/assign",
                         {"clients": str(users["alex"].id), "start": today.isoformat()})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        assignment = db.session.execute(db.select(Assignment)).scalar_one()
        assert assignment.family == "core-foundations" and assignment.assigned_by_id == coach.id


# --- Custom exercises ---------------------------------------------------------------------------------


def exercise_form(**overrides) -> dict:
    data = {
        "name": "Towel squeeze",
        "summary": "Squeeze a rolled towel between the knees to wake up the inner thighs and pelvic floor.",
        "kind": "hold",
        "position": "lying-back",
        "level": "1",
        "muscles": ["pelvic-floor", "transverse-abdominis"],
        "steps": "Lie on your back, knees bent.\nPut a rolled towel between your knees.\nSqueeze gently and hold.",
        "cue": "Squeeze gently, keep breathing",
        "tempo": "Squeeze over 2 s, hold, let go slowly",
        "feel": "A gentle squeeze deep in the inner thighs.",
        "mistakes": "Holding your breath",
        "stop_if": "Pain goes above 5 out of 10",
        "sets": "2",
        "reps": "5",
        "hold": "8",
        "rest": "30",
        "image_alt": "Lying on the back with a towel between the knees",
    }
    data.update(overrides)
    return data


def upload(client, data: dict, image: bytes | None = None, filename: str = "picture.png", path=None):
    """Post the exercise form with a file, declared as a PNG whatever it holds, as a browser may."""
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    body = {**data, "csrf_token": token}
    if image is not None:
        body["image"] = (io.BytesIO(image), filename, "image/png")
    builder = EnvironBuilder(path=path or "/trainer/exercises/new", method="POST", data=body)
    environ = builder.get_environ()
    builder.close()
    try:
        return client.open(environ)
    finally:
        # A large body is spooled to a temporary file that the test client would leave open.
        environ["wsgi.input"].close()


def test_a_trainer_keeps_a_bounded_number_of_exercises_and_is_told_how_to_make_room(client, app, coach, monkeypatch):
    """Each exercise may hold a 2 MB picture: past the limit, the list says so instead of offering a new one, the
    new form sends back to it, and a form sent anyway comes back as typed (409) with nothing stored."""
    monkeypatch.setattr(custom, "MAX_OWN_EXERCISES", 2)
    assert upload(client, exercise_form(name="Towel squeeze"), PNG).status_code == 302
    assert upload(client, exercise_form(name="Wall lean")).status_code == 302
    with app.app_context():
        wall_lean = db.session.execute(db.select(Exercise.id).where(Exercise.name == "Wall lean")).scalar_one()
    assert post_form(client, f"/trainer/exercises/{wall_lean}/archive", {}).status_code == 302  # archived ones count
    full = "You have 2 exercises of your own, the most one account can keep (archived ones count)."
    listing = text_of(client.get("/trainer/exercises/"))
    assert full in listing and 'href="/trainer/exercises/new"' not in listing
    opened = client.get("/trainer/exercises/new")
    assert opened.status_code == 302 and opened.headers["Location"] == "/trainer/exercises/"
    refused = upload(client, exercise_form(name="Heel slide"), PNG)
    assert refused.status_code == 409
    assert full in text_of(refused) and "Choose the picture again" in text_of(refused)
    assert 'value="Heel slide"' in text_of(refused)
    with app.app_context():
        assert len(custom.own_exercises(coach)) + len(custom.own_exercises(coach, archived=True)) == 2
    # Editing one stays possible, and deleting one makes room again.
    edited = upload(client, exercise_form(name="Wall lean, slower"), path=f"/trainer/exercises/{wall_lean}/edit")
    assert edited.status_code == 302
    assert post_form(client, f"/trainer/exercises/{wall_lean}/delete", {}).status_code == 302
    assert 'href="/trainer/exercises/new"' in text_of(client.get("/trainer/exercises/"))
    assert upload(client, exercise_form(name="Heel slide")).status_code == 302


def test_the_last_place_taken_while_a_form_is_checked_refuses_the_form_and_keeps_it(client, app, coach, monkeypatch):
    """Two new exercises sent at once both pass the count made before checking the form; the one saved second is
    counted again inside its transaction and refused as the limit refuses it, with nothing of it stored."""
    monkeypatch.setattr(custom, "MAX_OWN_EXERCISES", 2)
    assert upload(client, exercise_form(name="Towel squeeze")).status_code == 302
    check = custom.check

    def another_saved_meanwhile(*args, **kwargs):
        clean, errors = check(*args, **kwargs)
        custom.save(db.session.get(User, coach.id), dataclasses.replace(clean, name="Wall lean"), None)
        return clean, errors

    monkeypatch.setattr(custom, "check", another_saved_meanwhile)
    refused = upload(client, exercise_form(name="Heel slide"), PNG)
    assert refused.status_code == 409
    words = text_of(refused)
    assert "You have 2 exercises of your own, the most one account can keep" in words
    assert 'value="Heel slide"' in words and "Choose the picture again" in words
    with app.app_context():
        names = db.session.execute(db.select(Exercise.name).where(Exercise.owner_id == coach.id)).scalars()
        assert sorted(names) == ["Towel squeeze", "Wall lean"]
        assert db.session.execute(db.select(ExerciseImage)).first() is None


@pytest.mark.committed  # each thread saves on a connection of its own
def test_new_exercises_saved_at_the_same_moment_never_pass_the_limit(app, users, monkeypatch):
    """Four new exercises saved at once, one place left: one is stored, three are refused, on either database."""
    monkeypatch.setattr(custom, "MAX_OWN_EXERCISES", 2)
    with app.app_context():
        muscles = {m.slug: m for m in all_muscles()}
        clean, errors = custom.check(forms.exercise_from_form(MultiDict(exercise_form())), muscles)
        assert not errors
        custom.save(db.session.get(User, users["coach"].id), dataclasses.replace(clean, name="Already kept"), None)
    ready = threading.Barrier(4)
    outcomes: list[str] = []

    def trainer_tab(n: int) -> None:
        with app.app_context():
            trainer = db.session.get(User, users["coach"].id)
            ready.wait(timeout=30)
            try:
                custom.save(trainer, dataclasses.replace(clean, name=f"Sent at once {n}"), None)
                outcomes.append("saved")
            except custom.NoRoom:
                outcomes.append("refused")

    tabs = [threading.Thread(target=trainer_tab, args=(n,)) for n in range(4)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=60)
    assert sorted(outcomes) == ["refused", "refused", "refused", "saved"]
    with app.app_context():
        assert custom.own_count(db.session.get(User, users["coach"].id)) == 2


@pytest.mark.parametrize(
    ("image", "mimetype", "ext"),
    [(PNG, "image/png", "png"), (JPEG, "image/jpeg", "jpg"), (SVG, "image/svg+xml", "svg")],
)
def test_a_custom_exercise_with_a_picture_is_seen_by_the_trainer_and_their_clients_only(
    client, app, auth, coach, users, image, mimetype, ext
):
    # The name says .png whatever the file is: the content decides.
    response = upload(client, exercise_form(), image, filename="anything.png")
    assert response.status_code == 302, text_of(response)
    with app.app_context():
        exercise = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
        assert exercise.slug == f"towel-squeeze-t{coach.id}"
        assert exercise.kind == "hold" and exercise.hold_seconds == 8
        assert [m.slug for m in exercise.muscles] == ["pelvic-floor", "transverse-abdominis"]
        assert exercise.details["steps"][1] == "Put a rolled towel between your knees."
        url = exercise.illustration
    assert re.fullmatch(rf"/media/exercises/\d+-[0-9a-f]{{16}}\.{ext}", url)
    picture = client.get(url)
    assert picture.status_code == 200 and picture.mimetype == mimetype
    assert "immutable" in picture.headers["Cache-Control"] and "private" in picture.headers["Cache-Control"]
    assert "Towel squeeze" in text_of(client.get("/exercises/"))
    assert "Towel squeeze" in text_of(client.get("/trainer/programs/new"))

    auth.logout()
    auth.login_as(users["alex"])
    assert client.get(url).status_code == 200
    assert url in client.get("/api/v1/offline-manifest").get_json()["urls"], "the picture is cached for offline use"
    assert "Towel squeeze" in text_of(client.get("/exercises/"))
    detail = text_of(client.get(f"/exercises/towel-squeeze-t{coach.id}"))
    assert url in detail and "Put a rolled towel between your knees." in detail and "<h2>Tips</h2>" not in detail
    auth.logout()
    with app.app_context():
        make_user("jo@example.com", trainer=users["other"])
    auth.login("jo@example.com")
    assert client.get(url).status_code == 404
    assert "Towel squeeze" not in text_of(client.get("/exercises/"))
    assert client.get(f"/exercises/towel-squeeze-t{coach.id}").status_code == 404
    auth.logout()
    auth.login_as(users["other"])
    assert client.get(url).status_code == 404
    assert client.get(url.replace(url.rsplit("-", 1)[1][:16], "0" * 16)).status_code == 404


def test_a_custom_exercise_goes_into_a_program(client, app, coach):
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        custom = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
        assert custom.illustration == "img/custom-exercise.svg"
    page = text_of(client.get("/trainer/programs/new"))
    page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(custom.id)))
    assert "Added Towel squeeze" in page and "2 sets of 5 × 8 s hold" in page
    assert press(client, "/trainer/programs/new", page, "save").status_code == 302


def test_a_sanitised_svg_is_served_as_svg_without_script_or_outside_links(client, app, coach):
    drawing = SVG.replace(b"</svg>", b'<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>'
                                     b'<a href="https://elsewhere.example/"><circle r="2"/></a></svg>')  # fmt: skip
    assert upload(client, exercise_form(), drawing, filename="drawing.svg").status_code == 302
    with app.app_context():
        url = db.session.execute(db.select(Exercise.illustration).where(Exercise.owner_id == coach.id)).scalar_one()
    served = client.get(url)
    body = served.get_data(as_text=True)
    assert served.mimetype == "image/svg+xml"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert "<rect" in body and "<circle" in body
    for gone in ("script", "tracker.example", "elsewhere.example", "foreignObject", "metadata", "editor data"):
        assert gone not in body


@pytest.mark.parametrize(
    ("image", "filename", "message"),
    [
        (b"I am only text, whatever my name says.\n", "photo.png", "not a PNG, JPEG or SVG picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * (2 * 1024 * 1024), "huge.png", "larger than 2 MB"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg", "contains script"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>', "b.svg", "onload"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href="javascript:alert(1)" '
         b'xmlns:xlink="http://www.w3.org/1999/xlink"><rect/></a></svg>', "c.svg", "javascript:"),
        (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
         "d.svg", "declares entities"),
        (b"<html><body>not a drawing</body></html>", "e.svg", "not a PNG, JPEG or SVG picture"),
    ],
)  # fmt: skip
def test_bad_pictures_are_refused_with_a_message_and_nothing_is_saved(client, app, coach, image, filename, message):
    with app.app_context():
        before = counts()
    response = upload(client, exercise_form(), image, filename=filename)
    assert response.status_code == 400
    html = text_of(response)
    assert message in html and "Nothing was saved." in html
    assert 'value="Towel squeeze"' in html  # what was typed comes back
    with app.app_context():
        assert counts() == before


def test_a_picture_far_over_the_limit_is_refused_before_it_is_read(client, app, coach):
    with app.app_context():
        before = counts()
    response = upload(client, exercise_form(), b"\xff\xd8\xff" + b"\x00" * (4 * 1024 * 1024), filename="x.jpg")
    assert response.status_code == 303
    assert "larger than 2 MB" in text_of(client.get(response.headers["Location"]))
    with app.app_context():
        assert counts() == before


def test_the_1_mb_limit_still_holds_everywhere_else(client, coach):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    response = client.post("/trainer/programs/new", data={"csrf_token": token, "name": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Name: fill this in."),
        ({"muscles": []}, "Muscles: tick at least one muscle"),
        ({"kind": "stretch"}, "Kind: choose hold or repetitions."),
        ({"hold": "0"}, "Starting dose: hold must be from 1 to 300 seconds."),
        ({"sets": "11"}, "Starting dose: sets must be a whole number from 1 to 10."),
        ({"steps": ""}, "Steps: write at least 1, one per line."),
        ({"cue": "x" * 91}, "The one thing to remember: keep it to 90 characters"),
    ],
)
def test_custom_exercise_text_and_doses_are_checked(client, app, coach, overrides, message):
    response = upload(client, exercise_form(**overrides), PNG)
    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    assert "Choose the picture again" in html
    with app.app_context():
        assert db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).first() is None


def test_editing_a_custom_exercise_keeps_its_slug_and_replaces_the_picture(client, app, coach):
    assert upload(client, exercise_form(), PNG).status_code == 302
    with app.app_context():
        exercise = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
        first_url, slug = exercise.illustration, exercise.slug
    path = f"/trainer/exercises/{exercise.id}/edit"
    assert 'value="Towel squeeze"' in text_of(client.get(path))
    assert upload(client, exercise_form(name="Towel squeeze, longer"), JPEG, path=path).status_code == 302
    with app.app_context():
        exercise = db.session.get(Exercise, exercise.id)
        assert exercise.slug == slug and exercise.name == "Towel squeeze, longer"
        assert exercise.illustration != first_url and exercise.illustration.endswith(".jpg")
        assert db.session.execute(db.select(db.func.count()).select_from(ExerciseImage)).scalar() == 1
    assert client.get(first_url).status_code == 404
    # Two exercises of the same name get two slugs.
    assert upload(client, exercise_form(name="Towel squeeze, longer")).status_code == 302
    with app.app_context():
        slugs = db.session.execute(db.select(Exercise.slug).where(Exercise.owner_id == coach.id)).scalars().all()
        assert sorted(slugs) == [f"towel-squeeze-longer-t{coach.id}", f"towel-squeeze-t{coach.id}"]


def test_the_kind_of_an_exercise_in_a_program_cannot_change(client, app, coach):
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        custom = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
    page = text_of(client.get("/trainer/programs/new"))
    page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(custom.id)))
    assert press(client, "/trainer/programs/new", page, "save").status_code == 302
    response = upload(client, exercise_form(kind="reps"), path=f"/trainer/exercises/{custom.id}/edit")
    assert response.status_code == 400
    assert "already in your programs" in text_of(response)


def test_an_exercise_a_former_client_follows_stays_as_they_know_it(client, app, coach, users, today):
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        custom = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
    page = text_of(client.get("/trainer/programs/new"))
    page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add=str(custom.id)))
    saved = press(client, "/trainer/programs/new", page, "save")
    program_id = int(re.search(r"/trainer/programs/(\d+)/edit", saved.headers["Location"]).group(1))
    assigned = post_form(client, f"/trainer/programs/{program_id}/assign",
                         {"clients": [str(users["alex"].id)], "start": today.isoformat()})  # fmt: skip
    assert assigned.status_code == 302
    path = f"/trainer/exercises/{custom.id}/edit"
    # While Alex is the trainer's client, a change to the exercise reaches them, as it should.
    assert upload(client, exercise_form(cue="Squeeze softly"), path=path).status_code == 302
    assert post_form(client, f"/trainer/clients/{users['alex'].id}/remove", {}).status_code == 302

    response = upload(client, exercise_form(cue="Squeeze hard", name="Renamed"), path=path)
    assert response.status_code == 409
    assert "1 person who is no longer your client still follows a program with this exercise" in text_of(response)
    with app.app_context():
        exercise = db.session.get(Exercise, custom.id)
        assert (exercise.name, exercise.cue) == ("Towel squeeze", "Squeeze softly")


# --- Who may see what ------------------------------------------------------------------------------------


def test_another_trainers_program_and_exercise_answer_404_like_missing_ones(client, app, auth, coach, users):
    program_id = build(client, app)
    assert upload(client, exercise_form()).status_code == 302
    with app.app_context():
        exercise = db.session.execute(db.select(Exercise.id).where(Exercise.owner_id == coach.id)).scalar_one()
    auth.logout()
    auth.login_as(users["other"])
    for path in (f"/trainer/programs/{program_id}/edit", f"/trainer/programs/{program_id}/preview",
                 f"/trainer/programs/{program_id}/print", f"/trainer/programs/{program_id}/assign",
                 f"/trainer/programs/new?from={program_id}", f"/trainer/exercises/{exercise}/edit",
                 "/trainer/programs/999999/edit", "/trainer/exercises/999999/edit"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    assert post_form(client, f"/trainer/programs/{program_id}/edit", {"action": "save"}).status_code == 404
    assert "Steady back" not in text_of(client.get("/trainer/programs/"))


def test_a_client_gets_403_on_every_builder_page(client, app, auth, users):
    auth.login_as(users["alex"])
    for path in ("/trainer/programs/", "/trainer/programs/new", "/trainer/programs/1/edit",
                 "/trainer/programs/1/preview", "/trainer/programs/1/print", "/trainer/programs/1/assign",
                 "/trainer/exercises/", "/trainer/exercises/new", "/trainer/exercises/1/edit"):  # fmt: skip
        assert client.get(path).status_code == 403, path
    assert upload(client, exercise_form(), PNG).status_code == 403


def test_the_trainer_navigation_leads_to_programs(client, coach):
    html = text_of(client.get("/trainer/programs/"))
    assert re.search(r'href="/trainer/programs/"[^>]*aria-current="page">Programs<', html)


def test_a_tampered_or_stale_button_changes_nothing(client, app, coach):
    program_id = build(client, app, items=("bird-dog", "glute-bridge"))
    path = f"/trainer/programs/{program_id}/edit"
    page = edit_page(client, program_id)
    for action in ("dup-week:0:0:0", "up:0:0", "down:7:0:0", "del-week:9", "launch", "add-item:0:0"):
        response = press(client, path, page, action)
        assert response.status_code == 200, action
        html = text_of(response)
        names = re.findall(r'id="weeks-[^"]+" data-item data-name="([^"]+)"', html)
        assert names == ["Bird dog", "Glute bridge"], action
        assert html.count('class="week card"') == 1, action
        assert "Nothing changed." in html or "Choose an exercise from the list" in html, action


def test_a_forged_program_far_over_the_limits_is_told_so_in_a_short_page(client, app, coach):
    """99 weeks of 99 routines (about 160 KB posted) once rendered a 49 MB page; the limits are read first."""
    with app.app_context():
        bird = exercise_id("bird-dog")
    page = text_of(client.get("/trainer/programs/new"))
    fields = form_of(page)
    for week in range(99):
        for routine in range(99):
            prefix = f"weeks-{week}-routines-{routine}"
            fields[f"{prefix}-name"] = "R"
            fields[f"{prefix}-items-0-exercise"] = str(bird)
    fields["name"] = "Too big"
    fields["action"] = "save"
    response = client.post("/trainer/programs/new", data=fields)
    assert response.status_code == 400
    body = text_of(response)
    assert len(body) < 50_000, len(body)
    assert "A program can have up to 12 weeks. Nothing was saved." in body
    with app.app_context():
        assert db.session.execute(db.select(Program).where(Program.name == "Too big")).first() is None


def test_a_week_holds_three_routines_and_a_routine_eight_exercises(client, app, coach):
    with app.app_context():
        ids = [exercise_id(slug) for slug in ("bird-dog", "glute-bridge", "clamshell", "cat-camel")]
    path = "/trainer/programs/new"
    page = text_of(client.get(path))
    for n in range(8):
        page = text_of(press(client, path, page, "add-item:0:0", weeks_0_routines_0_add=str(ids[n % 4])))
    assert page.count("data-item data-name=") == 8 + 2  # the eight, and the two templates for adding in the page
    page = text_of(press(client, path, page, "add-item:0:0", weeks_0_routines_0_add=str(ids[0])))
    assert "Routine A already has 8 exercises, the most a routine can hold." in page
    assert page.count("data-item data-name=") == 8 + 2
    for _ in range(2):
        page = text_of(press(client, path, page, "add-routine:0"))
    assert "Routine C" in page
    page = text_of(press(client, path, page, "add-routine:0"))
    assert "Week 1 already has 3 routines, the most a week can hold." in page
    assert "Routine D" not in page


def test_the_add_box_takes_an_exercise_by_the_name_in_the_pages_one_list(client, app, coach):
    upload(client, exercise_form(name="Bird dog"))  # the trainer's own exercise, named like the library's
    page = text_of(client.get("/trainer/programs/new"))
    # One list for every routine, each exercise once, told apart when two share a name.
    assert page.count("<datalist") == 1 and 'list="exercise-choices"' in page
    assert '<option value="Bird dog (yours)">' in page and '<option value="Bird dog (library)">' in page
    assert '<option value="Glute bridge">' in page
    page = text_of(
        press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add="  glute BRIDGE ")
    )
    assert "Added Glute bridge to Routine A, week 1." in page
    page = text_of(
        press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add="Bird dog (yours)")
    )
    assert "Added Bird dog to Routine A, week 1." in page
    assert re.search(r'data-name="Bird dog">.*?<span class="tag" data-own>Yours</span>', page, re.S)
    page = text_of(press(client, "/trainer/programs/new", page, "add-item:0:0", weeks_0_routines_0_add="Bird"))
    assert "Choose an exercise from the list, then press Add." in page


def _largest_program(ids: list[int]) -> dict:
    """Every week, routine and exercise the builder allows, each with its dose, tempo and a note."""
    fields = {"name": "Largest", "level": "2", "summary": "Twelve weeks.", "action": "down:0:0:0"}
    for w in range(editing.MAX_WEEKS):
        fields[f"weeks-{w}-focus"] = f"Week {w + 1}: a little more"
        for r in range(editing.MAX_ROUTINES):
            prefix = f"weeks-{w}-routines-{r}"
            fields |= {f"{prefix}-name": f"Routine {'ABC'[r]}", f"{prefix}-days": ["mon", "wed", "fri"][r]}
            for x in range(editing.MAX_ITEMS):
                item = f"{prefix}-items-{x}"
                fields |= {f"{item}-exercise": str(ids[x % len(ids)]), f"{item}-sets": "3", f"{item}-reps": "10",
                           f"{item}-hold": "5", f"{item}-rest": "30", f"{item}-tempo": "2-1-2",
                           f"{item}-note": "Breathe out as you lift; stop if the pain spreads to the leg."}  # fmt: skip
    return fields


def test_the_largest_program_the_builder_allows_comes_back_as_a_page_under_a_megabyte(client, app, coach):
    """52 weeks of 7 routines of 12 exercises once drew a 19 MB page from a 180 KB post; the limits and lean rows
    bound it now, whether the page redraws a change, refuses a save, or opens the saved program."""
    with app.app_context():
        ids = [exercise_id(slug) for slug in ("bird-dog", "glute-bridge", "clamshell", "cat-camel")]
    path = "/trainer/programs/new"
    fields = _largest_program(ids)
    fields["csrf_token"] = csrf_from(client.get(path).get_data(as_text=True))
    rows = editing.MAX_WEEKS * editing.MAX_ROUTINES * editing.MAX_ITEMS

    moved = client.post(path, data=fields)
    page = text_of(moved)
    assert moved.status_code == 200 and "Moved Bird dog to position 2." in page
    assert page.count('" data-item data-name=') == rows + 2  # every exercise drawn, and the two templates
    assert len(moved.get_data()) < 1_000_000, len(moved.get_data())

    # Every dose left out: refused with a problem at each of those fields, the summary listing twenty, still small.
    bare = {key: value for key, value in fields.items() if not re.search(r"-(sets|reps|hold|rest)$", key)}
    refused = client.post(path, data={**bare, "action": "save"})
    told = text_of(refused)
    problems = int(re.search(r"Nothing was saved\. (\d+) things to fix:", told).group(1))
    assert refused.status_code == 400 and problems >= rows * 3  # sets, reps and rest at least, for every row
    assert f"And {problems - 20} more, each marked at its field below." in told
    assert told.count('aria-invalid="true"') == problems
    assert len(refused.get_data()) < 1_000_000, len(refused.get_data())

    saved = client.post(path, data={**fields, "action": "save"})
    assert saved.status_code == 302
    edit = client.get(saved.headers["Location"])
    assert "Saved Largest." in text_of(edit) and text_of(edit).count('" data-item data-name=') == rows + 2
    assert len(edit.get_data()) < 1_000_000, len(edit.get_data())
