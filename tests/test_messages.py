"""Messages between a client and their trainer: the API from both sides, exactly once, every bad input answered,
the thread closed when the trainer goes, read only by a POST, and the trainer's old notes moved into the thread."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from webapp.auth.models import User
from webapp.extensions import db
from webapp.messages.models import Message
from webapp.messages.services import Thread, write
from webapp.sessions.sync import store_batch

from .conftest import csrf_from
from .factories import first_routine_id, make_plan, make_user, session_payload


def message(body="How long should the bridge hold be?", written_at=None, **extra) -> dict:
    from webapp.timeutil import utcnow

    moment = written_at or utcnow() - timedelta(minutes=10)
    return {"id": str(uuid.uuid4()), "body": body, "written_at": moment.isoformat(), **extra}


class Api:
    def __init__(self, client, auth):
        self.client = client
        self.auth = auth

    def as_(self, user):
        self.auth.logout()
        self.auth.login_as(user)
        self.headers = self.auth.api_headers()
        return self

    def post(self, path, body, raw=False):
        data = body if raw else json.dumps(body)
        return self.client.post(path, data=data, content_type="application/json", headers=self.headers)

    def get(self, path):
        return self.client.get(path)


@pytest.fixture
def api(client, auth, users, now):
    return Api(client, auth)


def count(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Message.id))).scalar()


# ---- Sending: exactly once ----


def test_a_clients_message_is_created_once_and_the_trainer_reads_it(api, users, app):
    item = message()
    api.as_(users["alex"])
    first = api.post("/api/v1/messages", {"messages": [item]})
    assert first.status_code == 200
    assert first.get_json() == {"results": [{"id": item["id"], "status": "created"}]}
    again = api.post("/api/v1/messages", {"messages": [item]})
    assert again.get_json() == {"results": [{"id": item["id"], "status": "duplicate"}]}
    assert count(app) == 1

    api.as_(users["coach"])
    thread = api.get(f"/api/v1/trainer/clients/{users['alex'].id}/messages").get_json()
    assert thread["next"] is None
    [got] = thread["messages"]
    assert got["id"] == item["id"] and got["from"] == "client" and got["body"] == item["body"]
    assert got["read_at"] is None and got["session"] is None


def test_same_id_different_body_is_a_conflict_and_the_first_stays(api, users, app):
    item = message("First words")
    api.as_(users["alex"])
    api.post("/api/v1/messages", {"messages": [item]})
    changed = api.post("/api/v1/messages", {"messages": [{**item, "body": "Other words"}]}).get_json()
    assert changed["results"][0]["status"] == "conflict"
    assert "already stored" in changed["results"][0]["errors"][0]
    # The trainer cannot take over the client's id either.
    api.as_(users["coach"])
    taken = api.post(f"/api/v1/trainer/clients/{users['alex'].id}/messages", {"messages": [item]}).get_json()
    assert taken["results"][0]["status"] == "conflict"
    with app.app_context():
        assert db.session.execute(db.select(Message.body)).scalar_one() == "First words"


def test_another_clients_message_id_is_simply_new_in_this_thread(api, users, app):
    with app.app_context():
        sam = make_user("sam@example.com", trainer=users["coach"])
    item = message("About the bridge")
    api.as_(users["alex"])
    assert api.post("/api/v1/messages", {"messages": [item]}).get_json()["results"][0]["status"] == "created"
    # Another client's phone sends the same id: a message of Sam's thread, with nothing said about Alex's.
    api.as_(sam)
    own = api.post("/api/v1/messages", {"messages": [{**item, "body": "About the plank"}]}).get_json()
    assert own["results"] == [{"id": item["id"], "status": "created"}]
    [mine] = api.get("/api/v1/messages").get_json()["messages"]
    assert mine["body"] == "About the plank"
    # So does the trainer, writing to Sam with that id: Sam's thread, where it is a conflict of Sam's own.
    api.as_(users["coach"])
    again = api.post(f"/api/v1/trainer/clients/{sam.id}/messages", {"messages": [item]}).get_json()
    assert again["results"][0]["status"] == "conflict"
    assert count(app) == 2


def test_whitespace_around_the_body_is_trimmed_and_a_resend_with_it_is_a_duplicate(api, users, app):
    item = message("  Thanks, that helped.\r\n\n")
    api.as_(users["alex"])
    assert api.post("/api/v1/messages", {"messages": [item]}).get_json()["results"][0]["status"] == "created"
    again = {**item, "body": "Thanks, that helped."}
    assert api.post("/api/v1/messages", {"messages": [again]}).get_json()["results"][0]["status"] == "duplicate"
    with app.app_context():
        assert db.session.execute(db.select(Message.body)).scalar_one() == "Thanks, that helped."


def test_line_breaks_and_tabs_are_kept_inside_a_message(api, users, app):
    api.as_(users["alex"])
    item = message("Monday:\tfine\nTuesday:\tsore")
    assert api.post("/api/v1/messages", {"messages": [item]}).get_json()["results"][0]["status"] == "created"
    with app.app_context():
        assert db.session.execute(db.select(Message.body)).scalar_one() == "Monday:\tfine\nTuesday:\tsore"


BAD = [
    ("empty", {"body": ""}, "body: write something before sending"),
    ("only whitespace", {"body": " \n\t "}, "body: write something before sending"),
    ("over 2,000 characters", {"body": "x" * 2001}, "body: keep a message to 2,000 characters; this one has 2,001"),
    ("a NUL", {"body": "hi\x00there"}, "body: must not contain a NUL character"),
    ("a control character", {"body": "hi\x07there"}, "body: must not contain control characters"),
    ("a number for a body", {"body": 12}, "body: Input should be a valid string"),
    ("a bad uuid", {"id": "not-a-uuid"}, "id: Input should be a valid UUID"),
    ("no id", {"id": None}, "id: "),
    ("a written_at without a zone", {"written_at": "2026-07-01T10:00:00"}, "written_at: Input should have timezone"),
    ("an unparseable written_at", {"written_at": "yesterday"}, "written_at: Input should be a valid datetime"),
    ("a written_at in the future", "future", "written_at: lies in the future; check the phone's clock"),
    ("an unknown field", {"mood": "fine"}, "mood: Extra inputs are not permitted"),
    ("another account's message", {"user_id": 99999}, "user_id: this message was written by another account"),
    ("a session from the client", "session", "session: "),
]


@pytest.mark.parametrize(("what", "change", "error"), BAD, ids=[b[0] for b in BAD])
def test_each_bad_message_is_invalid_with_a_clear_error_and_the_batch_goes_on(
    api, users, app, now, what, change, error
):
    bad = message()
    if change == "future":
        bad["written_at"] = (now + timedelta(minutes=30)).isoformat()
    elif change == "session":
        bad["session"] = str(uuid.uuid4())
    else:
        bad.update(change)
        if bad.get("id") is None:
            del bad["id"]
    good = message("And this one is fine.")
    api.as_(users["alex"])
    answer = api.post("/api/v1/messages", {"messages": [bad, good]})
    assert answer.status_code == 200
    first, second = answer.get_json()["results"]
    assert first["status"] == "invalid", first
    assert any(e.startswith(error) for e in first["errors"]), first["errors"]
    assert second == {"id": good["id"], "status": "created"}
    assert count(app) == 1


def test_a_message_exactly_2000_characters_long_is_taken(api, users, app):
    api.as_(users["alex"])
    item = message("y" * 2000)
    assert api.post("/api/v1/messages", {"messages": [item]}).get_json()["results"][0]["status"] == "created"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ('{"messages": [', "The body must be JSON"),
        ("[]", '{"messages": [ ... ]}'),
        ('{"sessions": []}', '{"messages": [ ... ]}'),
        ("101 messages", "at most 100"),
    ],
    ids=["not JSON", "a list", "another key", "too many"],
)
def test_a_body_that_is_no_batch_is_a_400_and_nothing_is_stored(api, users, app, body, says):
    if body == "101 messages":
        body = json.dumps({"messages": [message() for _ in range(101)]})
    api.as_(users["alex"])
    answer = api.post("/api/v1/messages", body, raw=True)
    assert answer.status_code == 400 and says in answer.get_json()["message"]
    assert count(app) == 0


def test_a_trainer_replies_about_one_of_the_clients_sessions(api, users, app, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
        done = session_payload(first_routine_id())
        store_batch(db.session.get(User, users["alex"].id), [done])
    api.as_(users["coach"])
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages"
    reply = message("Great work on Tuesday.", session=done["id"])
    assert api.post(path, {"messages": [reply]}).get_json()["results"][0]["status"] == "created"
    # Another client's session, or none at all, cannot be named.
    stranger = message("About what?", session=str(uuid.uuid4()))
    refused = api.post(path, {"messages": [stranger]}).get_json()["results"][0]
    assert refused["status"] == "invalid" and refused["errors"][0].startswith("session: ")
    api.as_(users["alex"])
    [got] = api.get("/api/v1/messages").get_json()["messages"]
    assert got["from"] == "trainer" and got["session"] == done["id"]


# ---- Who may read and write ----


def test_any_other_trainer_gets_404_and_a_client_gets_403_on_the_trainer_api(api, users, app):
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages"
    api.as_(users["other"])
    assert api.get(path).status_code == 404
    assert api.post(path, {"messages": [message()]}).status_code == 404
    assert api.post(path + "/read", {"ids": []}).status_code == 404
    assert api.get("/api/v1/trainer/clients/999999/messages").status_code == 404
    api.as_(users["alex"])
    assert api.get(path).status_code == 403
    assert api.post(path, {"messages": [message()]}).status_code == 403
    # A trainer is no client: the client's routes answer 403.
    api.as_(users["coach"])
    assert api.get("/api/v1/messages").status_code == 403
    assert api.post("/api/v1/messages", {"messages": [message()]}).status_code == 403
    assert count(app) == 0


def test_without_a_login_401_and_without_a_token_400(client, users, auth):
    assert client.get("/api/v1/messages").status_code == 401
    assert client.post("/api/v1/messages", json={"messages": []}).status_code == 401
    auth.login_as(users["alex"])
    assert client.post("/api/v1/messages", json={"messages": [message()]}).status_code == 400


def test_a_former_trainers_thread_stays_readable_and_is_closed_both_ways(api, users, app):
    alex_id = users["alex"].id
    api.as_(users["alex"])
    earlier = message("Before you left")
    api.post("/api/v1/messages", {"messages": [earlier]})
    with app.app_context():
        db.session.get(User, alex_id).trainer_id = None
        db.session.commit()
    # The client: still reads it, told it is closed; a new message is refused in words; the earlier one resent
    # is still a duplicate (the phone may not have heard the first answer).
    thread = api.get("/api/v1/messages").get_json()
    assert [m["body"] for m in thread["messages"]] == ["Before you left"] and thread["open"] is False
    answer = api.post("/api/v1/messages", {"messages": [message("Hello?"), earlier]}).get_json()["results"]
    assert answer[0]["status"] == "invalid" and "you have no trainer now" in answer[0]["errors"][0]
    assert answer[1]["status"] == "duplicate"
    # The former trainer: as any other trainer, 404 both ways.
    api.as_(users["coach"])
    path = f"/api/v1/trainer/clients/{alex_id}/messages"
    assert api.get(path).status_code == 404
    assert api.post(path, {"messages": [message("Still there?")]}).status_code == 404
    assert count(app) == 1


def test_a_new_trainer_sees_only_their_own_part_of_the_thread(api, users, app):
    alex_id = users["alex"].id
    api.as_(users["alex"])
    api.post("/api/v1/messages", {"messages": [message("To my first coach")]})
    with app.app_context():
        db.session.get(User, alex_id).trainer_id = users["other"].id
        db.session.commit()
    api.post("/api/v1/messages", {"messages": [message("To my new coach")]})
    api.as_(users["other"])
    thread = api.get(f"/api/v1/trainer/clients/{alex_id}/messages").get_json()
    assert [m["body"] for m in thread["messages"]] == ["To my new coach"]
    api.as_(users["alex"])
    assert len(api.get("/api/v1/messages").get_json()["messages"]) == 2


# ---- Reading: pages and read marks ----


def test_pages_run_newest_first_and_next_leads_to_the_older_ones(api, users, app, now):
    api.as_(users["alex"])
    items = [message(f"Message {i}", written_at=now - timedelta(hours=60 - i)) for i in range(55)]
    api.post("/api/v1/messages", {"messages": items})
    first = api.get("/api/v1/messages").get_json()
    assert len(first["messages"]) == 50 and first["messages"][0]["body"] == "Message 54"
    assert first["next"] is not None
    second = api.get(first["next"]).get_json()
    assert [m["body"] for m in second["messages"]] == [f"Message {i}" for i in range(4, -1, -1)]
    assert second["next"] is None
    bad = api.get("/api/v1/messages?before=" + str(uuid.uuid4()))
    assert bad.status_code == 400 and "before: no message with that id" in bad.get_json()["message"]


def test_reading_marks_nothing_until_a_post_says_so(api, users, app):
    alex_id = users["alex"].id
    api.as_(users["coach"])
    mine = message("How did the week go?")
    api.post(f"/api/v1/trainer/clients/{alex_id}/messages", {"messages": [mine]})
    api.as_(users["alex"])
    for _ in range(2):
        assert api.get("/api/v1/messages").get_json()["messages"][0]["read_at"] is None
    # The client cannot mark their own message read for the trainer, nor anything with a bad body.
    own = message("Fine, thanks")
    api.post("/api/v1/messages", {"messages": [own]})
    assert api.post("/api/v1/messages/read", {"ids": [own["id"]]}).get_json() == {"marked": 0}
    assert api.post("/api/v1/messages/read", {"ids": "all"}).status_code == 400
    assert api.post("/api/v1/messages/read", {"ids": [mine["id"], mine["id"]]}).get_json() == {"marked": 1}
    assert api.get("/api/v1/messages").get_json()["messages"][1]["read_at"] is not None
    api.as_(users["coach"])
    path = f"/api/v1/trainer/clients/{alex_id}/messages"
    assert api.post(path + "/read", {"ids": [own["id"]]}).get_json() == {"marked": 1}
    assert api.get(path).get_json()["messages"][0]["read_at"] is not None


# ---- The pages ----


def test_the_client_writes_from_the_plain_form_and_the_trainer_sees_an_unread_count(client, auth, users, app):
    auth.login_as(users["alex"])
    page = client.get("/messages/")
    assert page.status_code == 200 and "You and Casey Coach" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    empty = client.post("/messages/", data={"body": "  ", "csrf_token": token})
    assert empty.status_code == 400 and "Write something before sending" in empty.get_data(as_text=True)
    sent = client.post("/messages/", data={"body": "My back is stiff in the mornings.", "csrf_token": token})
    assert sent.status_code == 302
    assert "My back is stiff" in client.get("/messages/").get_data(as_text=True)
    auth.logout()
    auth.login_as(users["coach"])
    dashboard = client.get("/trainer/").get_data(as_text=True)
    assert "1 unread message" in dashboard
    detail = client.get(f"/trainer/clients/{users['alex'].id}").get_data(as_text=True)
    assert "My back is stiff" in detail and "1 new" in detail


def test_a_client_without_a_trainer_reads_but_has_no_compose_box(client, auth, users, app):
    with app.app_context():
        alex = db.session.get(User, users["alex"].id)
        write(Thread(alex, db.session.get(User, users["coach"].id)), "trainer", alex.trainer, "Keep it up.")
        alex.trainer_id = None
        db.session.commit()
    auth.login_as(users["alex"])
    html = client.get("/messages/").get_data(as_text=True)
    assert "Keep it up." in html and "You have no trainer now" in html and 'name="body"' not in html
    token = csrf_from(html)
    refused = client.post("/messages/", data={"body": "Hello?", "csrf_token": token})
    assert refused.status_code == 400 and "You have no trainer now" in refused.get_data(as_text=True)


# ---- The trainer's notes move into the thread ----

BEFORE_MESSAGES = "4f6b2d8e1c07"


@pytest.mark.committed  # migrations run on connections of their own
def test_the_migration_moves_every_note_into_the_thread_with_its_dates_and_seen_state(app):
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        alex = make_user("alex@example.com", name="Alex Morgan", trainer=coach)
        db.session.remove()  # no transaction of the test's may hold a lock the migration waits for
        downgrade(revision=BEFORE_MESSAGES)
        with db.engine.begin() as connection:
            for note, created, seen in (
                ("Well done this week.", "2026-06-01 09:00:00+00:00", "2026-06-02 07:30:00+00:00"),
                ("Try the bridge with a pause.", "2026-06-08 10:15:00+00:00", None),
            ):
                connection.execute(
                    text(
                        "INSERT INTO trainer_comments (trainer_id, client_id, text, created_at, seen_at) "
                        "VALUES (:trainer, :client, :text, :created, :seen)"
                    ),
                    {"trainer": coach.id, "client": alex.id, "text": note, "created": created, "seen": seen},
                )
        upgrade()
        assert "trainer_comments" not in db.inspect(db.engine).get_table_names()
        rows = db.session.execute(db.select(Message).order_by(Message.written_at)).scalars().all()
        assert [(m.body, m.author, m.client_id, m.trainer_id) for m in rows] == [
            ("Well done this week.", "trainer", alex.id, coach.id),
            ("Try the bridge with a pause.", "trainer", alex.id, coach.id),
        ]
        assert rows[0].written_at.isoformat() == "2026-06-01T09:00:00+00:00"
        assert rows[0].read_at.isoformat() == "2026-06-02T07:30:00+00:00" and rows[1].read_at is None
        assert all(len(m.uuid) == 36 and m.received_at == m.written_at for m in rows)
        db.session.remove()
        # And back: the trainer's messages become notes again.
        downgrade(revision=BEFORE_MESSAGES)
        with db.engine.connect() as connection:
            notes = connection.execute(text("SELECT text FROM trainer_comments ORDER BY id")).scalars().all()
        assert notes == ["Well done this week.", "Try the bridge with a pause."]
        upgrade()


# ---- A push to the other side ----


def test_a_reply_reaches_the_clients_phone_as_a_push_once_and_without_its_words(api, users, app, run_jobs):
    from .pushservice import PushService

    with PushService() as service:
        phone = service.browser("phone")
        api.as_(users["alex"])
        assert api.post("/api/v1/push/subscriptions", phone.to_json()).status_code == 201
        api.as_(users["coach"])
        reply = message("Great work on Tuesday: keep the bridge hold at 10 seconds.")
        path = f"/api/v1/trainer/clients/{users['alex'].id}/messages"
        api.post(path, {"messages": [reply]})
        api.post(path, {"messages": [reply]})  # a duplicate is no new message: no second push
        invalid = message("")
        api.post(path, {"messages": [invalid]})  # nor is one refused
        run_jobs()
        assert service.messages(phone) == [
            {
                "title": "Casey Coach wrote to you",
                "body": "Open CoreSteady to read it and reply.",
                "url": "/messages/",
                "tag": "messages",
            }
        ]
        # The client's message to the trainer reaches the trainer's browsers the same way.
        laptop = service.browser("laptop")
        assert api.post("/api/v1/push/subscriptions", laptop.to_json()).status_code == 201
        api.as_(users["alex"])
        api.post("/api/v1/messages", {"messages": [message("Thank you!")]})
        run_jobs()
        [to_coach] = service.messages(laptop)
        assert to_coach["title"] == "A message from Alex Morgan"
        assert to_coach["url"] == f"/trainer/clients/{users['alex'].id}#messages"


# ---- The demo ----


def test_the_demo_holds_a_short_conversation_once(runner, app, client, auth):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # no second conversation
    with app.app_context():
        alex = db.session.execute(db.select(User).filter_by(email="alex@example.com")).scalar_one()
        thread = db.session.execute(db.select(Message).where(Message.client_id == alex.id)).scalars().all()
        assert len(thread) == 5 and {m.author for m in thread} == {"client", "trainer"}
        assert sum(m.session_id is not None for m in thread) == 1
    auth.login("alex@example.com", "demo-pass-123")
    today = client.get("/").get_data(as_text=True)
    assert "A message from Casey Coach" in today and "Great work on " in today
    auth.logout()
    auth.login("coach@example.com", "demo-pass-123")
    assert "1 unread message from your clients" in client.get("/trainer/").get_data(as_text=True)


# ---- From the session list, and in the data a person takes away ----


def test_the_trainer_writes_about_a_session_from_the_session_list_without_script(client, auth, users, app, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
        done = session_payload(first_routine_id())
        store_batch(db.session.get(User, users["alex"].id), [done])
    auth.login_as(users["coach"])
    page = client.get(f"/trainer/clients/{users['alex'].id}").get_data(as_text=True)
    link = f"about={done['id']}#messages"
    assert link in page
    about = client.get(f"/trainer/clients/{users['alex'].id}?about={done['id']}").get_data(as_text=True)
    assert f'name="session" type="hidden" value="{done["id"]}"' in about and "About the session on" in about
    form = {"body": "Great work on this one.", "session": done["id"], "csrf_token": csrf_from(about)}
    assert client.post(f"/trainer/clients/{users['alex'].id}/messages", data=form).status_code == 302
    # A session that is not this client's is refused in words, and nothing is stored.
    form["session"] = str(uuid.uuid4())
    refused = client.post(f"/trainer/clients/{users['alex'].id}/messages", data=form)
    assert refused.status_code == 400 and "is not one of this client" in refused.get_data(as_text=True)
    with app.app_context():
        [stored] = db.session.execute(db.select(Message)).scalars().all()
        assert stored.session_id is not None
    shown = client.get(f"/trainer/clients/{users['alex'].id}").get_data(as_text=True)
    assert "About the session on" in shown


def test_the_export_holds_both_sides_of_the_thread_and_the_trainers_own_words(client, auth, users, app):
    with app.app_context():
        alex, coach = db.session.get(User, users["alex"].id), db.session.get(User, users["coach"].id)
        write(Thread(alex, coach), "trainer", coach, "How is the week going?")
        write(Thread(alex, coach), "client", alex, "Better, thanks.")
    auth.login_as(users["alex"])
    mine = client.get("/account/export.json").get_json()
    assert [(m["from"], m["body"]) for m in mine["messages"]] == [
        ("trainer", "How is the week going?"),
        ("client", "Better, thanks."),
    ]
    auth.logout()
    auth.login_as(users["coach"])
    theirs = client.get("/account/export.json").get_json()
    assert [(m["to"], m["body"]) for m in theirs["messages_written"]] == [
        ("alex@example.com", "How is the week going?")
    ]


def test_the_clients_thread_page_leads_to_older_messages(client, auth, users, app, now):
    with app.app_context():
        alex, coach = db.session.get(User, users["alex"].id), db.session.get(User, users["coach"].id)
        for i in range(52):
            write(Thread(alex, coach), "client", alex, f"Note number {i:02d}", now=now - timedelta(hours=60 - i))
    auth.login_as(users["alex"])
    newest = client.get("/messages/").get_data(as_text=True)
    assert "Note number 51" in newest and "Note number 01" not in newest and "Older messages" in newest
    older_link = re.search(r'href="(/messages/\?before=[0-9a-f-]{36})"', newest).group(1)
    older = client.get(older_link).get_data(as_text=True)
    assert "Note number 00" in older and "Note number 01" in older and "Note number 02" not in older
    assert "Newest messages" in older and "Older messages" not in older
    missing = client.get("/messages/?before=" + str(uuid.uuid4()))
    assert missing.status_code == 400 and "no message with that id" in missing.get_data(as_text=True)


def test_the_trainers_page_leads_to_older_messages_too(client, auth, users, app, now):
    with app.app_context():
        alex, coach = db.session.get(User, users["alex"].id), db.session.get(User, users["coach"].id)
        for i in range(32):
            write(Thread(alex, coach), "client", alex, f"Note number {i:02d}", now=now - timedelta(hours=40 - i))
    auth.login_as(users["coach"])
    path = f"/trainer/clients/{users['alex'].id}"
    newest = client.get(path).get_data(as_text=True)
    assert "Note number 31" in newest and "Note number 01" not in newest
    older_link = re.search(r'href="([^"]*before=[0-9a-f-]{36}#messages)"', newest).group(1)
    older = client.get(older_link.replace("&amp;", "&")).get_data(as_text=True)
    assert "Note number 00" in older and "Note number 01" in older and "Newest messages" in older
    assert client.get(f"{path}?before={uuid.uuid4()}").status_code == 400
