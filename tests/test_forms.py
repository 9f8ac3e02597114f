"""Every value a page posts is read by a form class: what a person gets for each bad input (missing, not a number,
a huge number, "²", NUL, twice, an id that is no one's), and that nothing is stored when it is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form

from webapp.auth.models import User
from webapp.builder import archiving
from webapp.extensions import db
from webapp.formfields import Choice, IdList, OneText, WholeNumber
from webapp.messages import services as messages
from webapp.messages.models import Message
from webapp.programs.models import Assignment, PersonalDose, Program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CheckIn
from webapp.sessions.sync import store_batch
from webapp.trainer import invites

from .conftest import csrf_from
from .factories import first_routine_id, make_plan, make_user, session_payload

pytestmark = pytest.mark.usefixtures("clock")

HUGE = "9" * 5000


def post(client, path: str, data, **kwargs):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    data = MultiDict(data)
    data["csrf_token"] = token
    return client.post(path, data=data, **kwargs)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def flashed(client, response) -> str:
    """The page a redirect leads to, where the flashed message is shown."""
    assert response.status_code == 302, text_of(response)
    return text_of(client.get(response.headers["Location"]))


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar()


def onboarded(user, trainer=None, today=None):
    person = db.session.merge(user)
    screens.record_screen(person, [])
    records.record_about(person, 3, [], [], "")
    records.finish_onboarding(person)
    if today is not None:
        make_plan(person, "gentle-start", start=today, by=trainer)
    return person


# ---- The field classes themselves ----


class Fields(Form):
    text = OneText(most=5)
    number = WholeNumber(low=1, high=10)
    choice = Choice(choices=("yes", "no"))
    uuids = IdList(kind="uuid", most=2)
    rows = IdList(kind="row", most=3)


@pytest.mark.parametrize(
    ("sent", "field", "data"),
    [
        ({"text": "  hi  "}, "text", "hi"),
        ({"number": " 7 "}, "number", "7"),
        ({"choice": "no"}, "choice", "no"),
        ({"rows": ["3", "3", "12"]}, "rows", [3, 12]),  # each id once
        ({"uuids": ["6F9619FF-8B86-D011-B42D-00C04FC964FF"]}, "uuids", ["6f9619ff-8b86-d011-b42d-00c04fc964ff"]),
    ],
)
def test_each_field_reads_what_a_page_sends(app, sent, field, data):
    form = Fields(MultiDict(sent))
    assert form.validate(), form.errors
    assert form[field].data == data


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"text": "toolong"}, "text"),
        ({"text": ["a", "b"]}, "text"),  # one answer, sent twice
        ({"number": "²"}, "number"),
        ({"number": HUGE}, "number"),
        ({"number": "0"}, "number"),
        ({"number": "3.5"}, "number"),
        ({"number": "-1"}, "number"),
        ({"choice": "maybe"}, "choice"),
        ({"choice": ["yes", "no"]}, "choice"),
        ({"uuids": ["not-a-uuid"]}, "uuids"),
        ({"uuids": [str(uuid4()) for _ in range(3)]}, "uuids"),  # more than a page shows
        ({"rows": ["²"]}, "rows"),
        ({"rows": [HUGE]}, "rows"),
        ({"rows": [str(2**31)]}, "rows"),  # more than a table's id can be
        ({"rows": ["0"]}, "rows"),
    ],
)
def test_each_field_refuses_what_no_page_sends_with_one_message(app, sent, field):
    form = Fields(MultiDict(sent))
    assert not form.validate()
    assert len(form[field].errors) == 1
    assert set(form.errors) == {field}


# ---- The next-morning check on Today ----


@pytest.fixture
def morning(app, auth, users, today, now):
    """Alex, onboarded, with yesterday's session to rate; signed in. Returns the session's id."""
    with app.app_context():
        alex = onboarded(users["alex"], users["coach"], today - timedelta(days=1))
        payload = session_payload(first_routine_id(), ended=now - timedelta(hours=20))
        [result] = store_batch(alex, [payload])
        assert result.status == "created"
    auth.login_as(users["alex"])
    return payload["id"]


def next_day_checks() -> list[tuple[int, bool]]:
    return [tuple(row) for row in db.session.execute(db.select(CheckIn.pain, CheckIn.legs).filter_by(kind="next-day"))]


PAIN = "Choose a number from 0 to 10 for how your back feels this morning."
LEGS = "Answer yes or no: any new numbness, tingling or weakness in your legs?"
SESSION = "That session was not found."


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pain": None}, PAIN),
        ({"pain": ""}, PAIN),
        ({"pain": "²"}, PAIN),
        ({"pain": HUGE}, PAIN),
        ({"pain": "11"}, PAIN),
        ({"pain": "three"}, PAIN),
        ({"pain": ["3", "4"]}, PAIN),
        ({"legs": None}, LEGS),
        ({"legs": "maybe"}, LEGS),
        ({"session": None}, SESSION),
        ({"session": "x"}, SESSION),
        ({"session": HUGE}, SESSION),
        ({"session": "NEW"}, SESSION),  # a well-formed id that is no session of theirs
    ],
)
def test_a_bad_next_morning_answer_is_told_on_today_and_stores_nothing(app, client, morning, change, message):
    data = {"session": morning, "pain": "3", "legs": "no"} | change
    if data["session"] == "NEW":
        data["session"] = str(uuid4())
    response = post(client, "/check-in", {k: v for k, v in data.items() if v is not None})
    assert message in flashed(client, response)
    with app.app_context():
        assert next_day_checks() == []


def test_the_next_morning_answer_is_stored_once_and_a_nul_is_refused(app, client, morning):
    assert post(client, "/check-in", {"session": morning, "pain": "3\x00", "legs": "no"}).status_code == 400
    response = post(client, "/check-in", {"session": morning, "pain": "3", "legs": "no"})
    assert "That tells us how your back handles this level." in flashed(client, response)
    with app.app_context():
        assert next_day_checks() == [(3, False)]


# ---- Choosing a starter program ----

STARTER = "Choose one of the programs and a start date within the next two weeks."


@pytest.mark.parametrize(
    "change",
    [
        {"program": None},
        {"program": "no-such-program"},
        {"program": ["gentle-start", "core-foundations"]},
        {"program": HUGE},
        {"start": "²"},
        {"start": HUGE},
        {"start": "2026-02-30"},
        {"start": "DAYS:-1"},
        {"start": "DAYS:15"},
    ],
)
def test_a_bad_starter_choice_is_a_form_error_and_assigns_nothing(app, client, auth, users, today, change):
    with app.app_context():
        person = db.session.merge(users["alex"])
        screens.record_screen(person, [])
        records.record_about(person, 3, [], [], "")
    auth.login_as(users["alex"])
    data = {"program": "gentle-start", "start": today.isoformat()} | change
    if str(data["start"]).startswith("DAYS:"):
        data["start"] = (today + timedelta(days=int(data["start"][5:]))).isoformat()
    response = post(client, "/welcome/program", {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 400
    assert STARTER in text_of(response)
    with app.app_context():
        assert count(Assignment) == 0
    # Without a day the program starts today; two weeks ahead is the last day offered.
    last = (today + timedelta(days=14)).isoformat()
    assert post(client, "/welcome/program", {"program": "gentle-start", "start": last}).status_code == 302


# ---- A small step, on Today and on the trainer's page ----

STEP = {"slot": "pelvic-tilt", "to_exercise": "pelvic-tilt", "sets": "1", "reps": "8", "hold": "0"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sets": "²"}, "Sets: choose from 1 to 10."),
        ({"sets": None}, "Sets: choose from 1 to 10."),
        ({"reps": HUGE}, "Reps: choose from 1 to 100."),
        ({"reps": "0"}, "Reps: choose from 1 to 100."),
        ({"hold": "301"}, "Hold: choose from 0 to 300 seconds."),
        ({"hold": "x"}, "Hold: choose from 0 to 300 seconds."),
        ({"slot": None}, "That step could not be read."),
        ({"to_exercise": "x" * 81}, "That step could not be read."),
        ({"action": "delete"}, "That button was not recognised."),
        ({"action": ["accept", "decline"]}, "That step could not be read."),
    ],
)
def test_a_bad_step_on_today_is_told_and_changes_no_dose(app, client, auth, users, today, change, message):
    with app.app_context():
        sol = make_user("sol@example.com", name="Sol Solo")
        onboarded(sol, today=today)
    auth.login("sol@example.com")
    data = {**STEP, "action": "accept"} | change
    response = post(client, "/steps", {k: v for k, v in data.items() if v is not None})
    assert message in flashed(client, response)
    with app.app_context():
        assert count(PersonalDose) == 0


def test_declining_is_not_a_button_a_coached_client_has(app, client, auth, users, today):
    with app.app_context():
        onboarded(users["alex"], users["coach"], today)
    auth.login_as(users["alex"])
    response = post(client, "/steps", {**STEP, "action": "decline"})
    assert "That button was not recognised." in flashed(client, response)
    with app.app_context():
        assert count(PersonalDose) == 0


def test_a_bad_step_from_the_trainer_is_told_and_an_unknown_button_is_400(app, client, auth, users, today):
    with app.app_context():
        onboarded(users["alex"], users["coach"], today)
    auth.login_as(users["coach"])
    path = f"/trainer/clients/{users['alex'].id}/steps"
    refused = post(client, path, {**STEP, "action": "delete"})
    assert refused.status_code == 400 and "That button was not recognised." in text_of(refused)
    response = post(client, path, {**STEP, "sets": "²", "action": "change"})
    assert "Sets: choose from 1 to 10." in flashed(client, response)
    assert post(client, f"/trainer/clients/{2**31}/steps", {**STEP, "action": "change"}).status_code == 404
    with app.app_context():
        assert count(PersonalDose) == 0


# ---- Marking messages read: Today, the thread page, the trainer's client page ----


@pytest.fixture
def thread(app, client, auth, users):
    """One message each way between Alex and Casey; returns (the trainer's message id, the client's)."""
    with app.app_context():
        alex = onboarded(users["alex"])
        coach = db.session.get(User, users["coach"].id)
        thread = messages.Thread(alex, coach)
        to_alex = messages.write(thread, "trainer", coach, "For Alex.").uuid
        to_coach = messages.write(thread, "client", alex, "For Casey.").uuid
    return to_alex, to_coach


READ_PATHS = [("alex", "/notes/seen", "note"), ("alex", "/messages/read", "message"),
              ("coach", "/trainer/clients/ALEX/messages/read", "message")]  # fmt: skip


@pytest.mark.parametrize(("who", "path", "name"), READ_PATHS)
@pytest.mark.parametrize("bad", ["x", "²", HUGE, "1"])
def test_an_id_that_is_no_message_id_is_refused_and_marks_nothing(app, client, auth, users, thread, who, path, name,
                                                                    bad):  # fmt: skip
    auth.login_as(users[who])
    path = path.replace("ALEX", str(users["alex"].id))
    mine = thread[0] if who == "alex" else thread[1]
    response = post(client, path, {name: [mine, bad]})
    assert response.status_code == 400
    assert "could not be marked as read" in text_of(response)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).where(Message.read_at.is_not(None))).scalar() == 0


@pytest.mark.parametrize(("who", "path", "name"), READ_PATHS)
def test_an_unknown_message_id_marks_nothing_and_says_so(app, client, auth, users, thread, who, path, name):
    auth.login_as(users[who])
    path = path.replace("ALEX", str(users["alex"].id))
    json = {"headers": {"Accept": "application/json"}}
    assert post(client, path, {name: str(uuid4())}, **json).get_json() == {"marked": 0}
    too_many = [str(uuid4()) for _ in range(101)]
    assert post(client, path, {name: too_many}, **json).status_code == 400
    mine = thread[0] if who == "alex" else thread[1]
    assert post(client, path, {name: mine.upper()}, **json).get_json() == {"marked": 1}


# ---- Accepting an invite while coached by someone else ----


def test_a_switch_answer_that_is_not_switch_is_refused_and_nothing_changes(app, client, auth, users):
    with app.app_context():
        link = "/join/" + invites.invite_token(invites.create_invite(db.session.get(User, users["other"].id)))
    auth.login_as(users["alex"])
    page = client.get(link)
    token = csrf_from(page.get_data(as_text=True))
    for bad in ("yes", "²", ["switch", "switch"]):
        response = client.post(link, data=MultiDict({"csrf_token": token, "confirm": bad}))
        assert response.status_code == 400
        assert "That answer was not recognised." in text_of(response)
    with app.app_context():
        assert db.session.get(User, users["alex"].id).trainer_id == users["coach"].id
    assert client.post(link, data={"csrf_token": token, "confirm": "switch"}).status_code == 302


# ---- The builder: assigning, restoring, its buttons ----


@pytest.fixture
def program_id(app, auth, users):
    auth.login_as(users["coach"])
    with app.app_context():
        program = Program(family="t-forms", owner_id=users["coach"].id, name="Own", version=1, is_current=True)
        db.session.add(program)
        db.session.commit()
        return program.id


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"clients": "²"}, 404, "is not one of yours. Nothing was assigned."),
        ({"clients": HUGE}, 404, "is not one of yours. Nothing was assigned."),
        ({"clients": "-3"}, 404, "is not one of yours. Nothing was assigned."),
        ({"clients": "999999"}, 404, "is not one of yours. Nothing was assigned."),
        ({"start": ["DAY", "DAY"]}, 400, "Choose one start date."),
        ({"start": "²"}, 400, "Choose a start date from today to 60 days ahead."),
        ({"confirm": "yes"}, 400, "That answer was not recognised. Nothing was assigned."),
    ],
)
def test_a_bad_assignment_is_refused_and_assigns_nothing(app, client, users, today, program_id, change, status,
                                                          message):  # fmt: skip
    data = {"clients": str(users["alex"].id), "start": today.isoformat()} | change
    if data["start"] == ["DAY", "DAY"]:
        data["start"] = [today.isoformat(), (today + timedelta(days=1)).isoformat()]
    response = post(client, f"/trainer/programs/{program_id}/assign", data)
    assert response.status_code == status
    assert message in text_of(response)
    with app.app_context():
        assert count(Assignment) == 0


def test_restoring_with_an_unknown_way_back_is_refused_and_restores_nothing(app, client, program_id):
    with app.app_context():
        archiving.archive(db.session.get(Program, program_id))
    response = post(client, f"/trainer/programs/{program_id}/restore", {"back": "elsewhere"})
    assert response.status_code == 400 and "Nothing was restored." in text_of(response)
    with app.app_context():
        assert db.session.get(Program, program_id).archived_at is not None
    restored = post(client, f"/trainer/programs/{program_id}/restore", {"back": "edit"})
    assert restored.headers["Location"] == f"/trainer/programs/{program_id}/edit"


def test_a_builder_button_sent_twice_changes_nothing_and_says_so(app, client, program_id):
    data = {"name": "Twice", "action": ["save", "add-week"]}
    response = post(client, "/trainer/programs/new", data)
    assert response.status_code == 200
    assert "That action was not recognised. Nothing changed." in text_of(response)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).where(Program.name == "Twice")).scalar() == 0
