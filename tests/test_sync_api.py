"""POST/GET /api/v1/sessions: exactly once, in order, and every bad input answered as DESIGN.md says."""

from __future__ import annotations

import fcntl
import http.cookiejar
import json
import threading
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from webapp.extensions import db, writer_lock_path
from webapp.sessions.models import CompletedSession, SessionExercise

from .factories import DEFAULT_PASSWORD, first_routine_id, make_plan, make_user, session_payload


@pytest.fixture
def alex(app, users, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
        return {"user": users["alex"], "routine_id": first_routine_id()}


@pytest.fixture
def api(client, auth, alex):
    auth.login("alex@example.com")
    headers = auth.api_headers()

    def post(body, raw=False):
        data = body if raw else json.dumps(body)
        return client.post("/api/v1/sessions", data=data, content_type="application/json", headers=headers)

    return post


def rows(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(CompletedSession.id))).scalar()


def test_a_session_is_created_with_its_exercises(api, app, alex):
    payload = session_payload(alex["routine_id"], notes="Felt fine")
    response = api({"sessions": [payload]})
    assert response.status_code == 200
    assert response.get_json() == {"results": [{"id": payload["id"], "status": "created"}]}
    with app.app_context():
        stored = db.session.execute(db.select(CompletedSession)).scalar_one()
        assert stored.uuid == payload["id"] and stored.notes == "Felt fine" and stored.pain_after == 3
        assert stored.received_at is not None
        exercise = db.session.execute(db.select(SessionExercise)).scalar_one()
        assert exercise.exercise.slug == "pelvic-tilt" and exercise.reps_done == 5


def test_the_same_session_again_is_a_duplicate_and_changes_nothing(api, app, alex):
    payload = session_payload(alex["routine_id"])
    api({"sessions": [payload]})
    again = api({"sessions": [payload]}).get_json()
    assert again == {"results": [{"id": payload["id"], "status": "duplicate"}]}
    assert rows(app) == 1


def test_the_same_session_written_another_way_is_a_duplicate(api, app, alex):
    """Spacing, key order, another zone for the same instant, a null rating, spaces around the notes: the same
    session, so a duplicate. Each real difference is a conflict."""
    payload = session_payload(alex["routine_id"], notes="Felt fine")
    api({"sessions": [payload]})
    instant = datetime.fromisoformat(payload["completed_at"]).astimezone(UTC)
    elsewhere = instant.astimezone(timezone(timedelta(hours=-5))).isoformat()
    rewritten = dict(reversed(list(payload.items())), completed_at=elsewhere, notes="  Felt fine\n")
    rewritten["exercises"] = [dict(done, pain_during=None) for done in payload["exercises"]]
    body = json.dumps({"sessions": [rewritten]}, indent=3)
    assert api(body, raw=True).get_json()["results"] == [{"id": payload["id"], "status": "duplicate"}]
    for change in ({"notes": "Felt better"}, {"completed_at": (instant + timedelta(seconds=1)).isoformat()},
                   {"exercises": [dict(done, pain_during=0) for done in payload["exercises"]]}):  # fmt: skip
        assert api({"sessions": [dict(payload, **change)]}).get_json()["results"][0]["status"] == "conflict", change
    assert rows(app) == 1


def test_a_session_stored_before_the_hash_changed_is_still_a_duplicate(api, app, alex):
    """Sessions synced before 3 December 2026 keep the hash written then; a phone may send one again."""
    from webapp.sessions import sync

    payload = session_payload(alex["routine_id"])
    api({"sessions": [payload]})
    with app.app_context():
        item = sync.SessionIn.model_validate(payload)
        assert sync._content_hash(item) != sync._content_hash_before_december(item)
        stored = db.session.execute(db.select(CompletedSession)).scalar_one()
        stored.content_hash = sync._content_hash_before_december(item)
        db.session.commit()
    assert api({"sessions": [payload]}).get_json()["results"] == [{"id": payload["id"], "status": "duplicate"}]
    assert api({"sessions": [dict(payload, pain_after=7)]}).get_json()["results"][0]["status"] == "conflict"
    assert rows(app) == 1


def test_same_id_different_content_is_a_conflict(api, app, alex):
    payload = session_payload(alex["routine_id"])
    api({"sessions": [payload]})
    changed = dict(payload, pain_after=7)
    result = api({"sessions": [changed]}).get_json()["results"][0]
    assert result["status"] == "conflict"
    assert rows(app) == 1
    with app.app_context():
        assert db.session.execute(db.select(CompletedSession.pain_after)).scalar() == 3


def test_results_come_in_the_order_sent_and_one_bad_item_sinks_nothing(api, app, alex):
    good1 = session_payload(alex["routine_id"])
    bad = session_payload(alex["routine_id"], pain_after=11)
    good2 = session_payload(alex["routine_id"])
    results = api({"sessions": [good1, bad, good2, good1]}).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created", "duplicate"]
    assert [r["id"] for r in results] == [good1["id"], bad["id"], good2["id"], good1["id"]]
    assert any("pain_after" in e for e in results[1]["errors"])
    assert rows(app) == 2


DEEP = "[" * 5000 + "]" * 5000

# What once answered 500 for the whole batch (and left the phone backing every later session off behind it).
HOSTILE = [
    ({"routine_id": 2**70}, "routine_id: Input should be less than or equal to 2147483647"),
    ({"routine_id": 2**31}, "routine_id: Input should be less than or equal to 2147483647"),
    ({"routine_id": 0}, "routine_id: Input should be greater than or equal to 1"),
    ({"started_at": "0001-01-01T00:00+23:59"},
     "started_at: lies outside the years 1 to 9999 once converted to UTC"),
    ({"completed_at": "0001-01-01T00:00+23:59"},
     "completed_at: lies outside the years 1 to 9999 once converted to UTC"),
    ({"completed_at": "9999-12-31T23:59-23:59"},
     "completed_at: lies outside the years 1 to 9999 once converted to UTC"),
    ({"notes": "fine\x00then"}, "notes: must not contain a NUL character (\\u0000)"),
    ({"exercises": [{"exercise": "pelvic\x00tilt", "sets_done": 1, "reps_done": 1}]},
     "exercises.0.exercise: must not contain a NUL character (\\u0000)"),
    # In the year 1, or long before the account existed (test accounts are made on 1 January 2025).
    ({"started_at": "0001-01-02T00:00:00+00:00", "completed_at": "0001-01-02T00:15:00+00:00"},
     "started_at: is before your account was made; check the phone's clock"),
    ({"started_at": "2024-12-01T09:00:00+00:00", "completed_at": "2024-12-01T09:15:00+00:00"},
     "started_at: is before your account was made; check the phone's clock"),
    ({"notes": "DEEP"}, "notes: nested more than 32 levels deep"),
    ({"exercises": "DEEP"}, "exercises: nested more than 32 levels deep"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "error"), HOSTILE, ids=[str(c) for c, _ in HOSTILE])
def test_a_hostile_item_is_invalid_with_its_reason_and_the_others_are_stored(api, app, alex, change, error):
    good1, good2 = session_payload(alex["routine_id"]), session_payload(alex["routine_id"])
    bad = session_payload(alex["routine_id"], **change)
    body = json.dumps({"sessions": [good1, bad, good2]}).replace('"DEEP"', DEEP)
    response = api(body, raw=True)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert results[1]["id"] == bad["id"]
    assert any(e.startswith(error) for e in results[1]["errors"]), results[1]["errors"]
    assert rows(app) == 2


def test_an_item_the_database_refuses_is_invalid_and_the_batch_goes_on(api, app, alex, caplog):
    good1, bad, good2 = (session_payload(alex["routine_id"]) for _ in range(3))

    def refuse(_connection, _cursor, statement, parameters, *_):
        # Whatever statement carries this session's id fails, as a value the database cannot hold would.
        if statement.lstrip().upper().startswith("INSERT") and bad["id"] in repr(parameters):
            raise ValueError("a value this database cannot hold")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", refuse)
    try:
        results = api({"sessions": [good1, bad, good2]}).get_json()["results"]
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert results[1] == {"id": bad["id"], "status": "invalid", "errors": ["session: could not be stored as sent"]}
    assert [r["status"] for r in results] == ["created", "invalid", "created"]
    assert rows(app) == 2
    assert f"Session {bad['id']} from user" in caplog.text
    # Sent again once the database takes it, the refused one is stored and the others are duplicates.
    again = api({"sessions": [good1, bad, good2]}).get_json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "created", "duplicate"]


def test_a_batch_is_stored_with_the_same_statements_as_one_session(api, app, alex):
    def statements(body) -> tuple[list[str], list[str]]:
        seen = []

        def remember(_connection, _cursor, statement, *_):
            seen.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", remember)
        try:
            results = api(body).get_json()["results"]
        finally:
            event.remove(engine, "before_cursor_execute", remember)
        return [r["status"] for r in results], seen

    one, one_sql = statements({"sessions": [session_payload(alex["routine_id"])]})
    batch = [session_payload(alex["routine_id"]) for _ in range(30)]
    many, many_sql = statements({"sessions": batch})
    assert one == ["created"] and many == ["created"] * 30
    assert len(many_sql) == len(one_sql)
    assert rows(app) == 31
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(SessionExercise.id))).scalar() == 31
    # The same batch again: duplicates from one lookup, nothing written.
    again, again_sql = statements({"sessions": batch})
    assert again == ["duplicate"] * 30
    assert not [s for s in again_sql if s.lstrip().upper().startswith("INSERT")]
    assert len(again_sql) < len(one_sql)


def test_an_id_repeated_in_a_batch_after_an_invalid_one_is_stored_once(api, app, alex):
    good = session_payload(alex["routine_id"])
    refused = dict(good, routine_id=999999)
    changed = dict(good, pain_after=8)
    results = api({"sessions": [refused, good, good, changed]}).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created", "duplicate", "conflict"]
    assert rows(app) == 1


def test_a_whole_body_nested_too_deeply_answers_400_or_invalid_never_500(api, app, alex):
    [result] = api('{"sessions": ' + DEEP + "}", raw=True).get_json()["results"]
    assert result["status"] == "invalid"
    assert result["errors"] == ["session: Input should be a valid dictionary or instance of SessionIn"]
    never_closed = api('{"sessions": [' + "[" * 5000, raw=True)
    assert never_closed.status_code == 400
    assert rows(app) == 0


INVALID = [
    ({"pain_before": -1}, "pain_before"),
    ({"pain_after": 11}, "pain_after"),
    ({"effort": 10.5}, "effort"),
    ({"effort": "5"}, "effort"),
    ({"pain_after": True}, "pain_after"),
    ({"notes": "x" * 2001}, "notes"),
    ({"id": "not-a-uuid"}, "id"),
    ({"routine_id": "1"}, "routine_id"),
    ({"started_at": "2026-01-01T10:00:00"}, "started_at"),  # no offset
    ({"completed_at": "yesterday"}, "completed_at"),
    ({"unexpected": 1}, "unexpected"),
    ({"exercises": [{"exercise": "no-such-move", "sets_done": 1, "reps_done": 1}]}, "exercises.0.exercise"),
    ({"exercises": [{"exercise": "pelvic-tilt", "sets_done": 99, "reps_done": 1}]}, "exercises.0.sets_done"),
    ({"routine_id": 999999}, "routine_id"),
    ({"exercises": [{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 1, "pain_during": 11}]},
     "exercises.0.pain_during"),
    ({"exercises": [{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 1, "pain_during": -1}]},
     "exercises.0.pain_during"),
    ({"exercises": [{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 1, "pain_during": "4"}]},
     "exercises.0.pain_during"),
    # An exercise of the library, but neither in this routine nor a version of one of its exercises.
    ({"exercises": [{"exercise": "side-plank", "sets_done": 1, "reps_done": 1, "pain_during": 2}]},
     "exercises.0.pain_during"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field"), INVALID, ids=[f for _, f in INVALID])
def test_each_bad_field_is_invalid_with_a_message_and_nothing_stored(api, app, alex, change, field):
    payload = session_payload(alex["routine_id"], **change)
    result = api({"sessions": [payload]}).get_json()["results"][0]
    assert result["status"] == "invalid"
    assert any(error.startswith(field) for error in result["errors"]), result["errors"]
    assert rows(app) == 0


def test_pain_during_each_exercise_is_stored_and_older_phones_need_not_send_it(api, app, alex):
    rated = session_payload(
        alex["routine_id"],
        exercises=[
            {"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 6, "pain_during": 4},
            {"exercise": "knee-rolls", "sets_done": 1, "reps_done": 6, "pain_during": None},
            # The harder version of an exercise of the routine: a client may have stepped up to it.
            {"exercise": "glute-bridge", "sets_done": 1, "reps_done": 6, "pain_during": 2},
        ],
    )
    older = session_payload(alex["routine_id"])  # no pain_during anywhere
    results = api({"sessions": [rated, older]}).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    with app.app_context():
        stored = db.session.execute(db.select(SessionExercise.pain_during).order_by(SessionExercise.id)).scalars().all()
    assert stored == [4, None, 2, None]
    # Sent again, as a phone that never saw the acknowledgement does: the same session, nothing new.
    again = api({"sessions": [rated, older]}).get_json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]


def test_one_item_with_a_bad_pain_during_sinks_only_itself(api, app, alex):
    good = session_payload(alex["routine_id"])
    bad = session_payload(
        alex["routine_id"], exercises=[{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 6, "pain_during": 12}]
    )
    results = api({"sessions": [good, bad]}).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "invalid"]
    assert "pain_during" in results[1]["errors"][0]
    assert rows(app) == 1


def test_the_list_gives_each_session_the_servers_light(api, client, alex, now):
    cases = [(6, 6, None, "green"), (2, 5, None, "amber"), (2, 7, None, "red"), (3, 3, 8, "red")]
    for n, (before, after, during, _) in enumerate(cases):
        exercises = [{"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 6, "pain_during": during}]
        item = session_payload(
            alex["routine_id"], ended=now - timedelta(days=3, hours=-n), pain_before=before, pain_after=after,
            exercises=exercises,
        )  # fmt: skip
        api({"sessions": [item]})
    listed = client.get("/api/v1/sessions").get_json()["sessions"]
    assert [s["light"] for s in reversed(listed)] == [light for *_, light in cases]
    assert listed[0]["exercises"][0]["pain_during"] == 8


def test_missing_fields_are_named(api, alex):
    payload = session_payload(alex["routine_id"])
    del payload["pain_after"], payload["completed_at"]
    errors = api({"sessions": [payload]}).get_json()["results"][0]["errors"]
    assert any(e.startswith("pain_after") for e in errors) and any(e.startswith("completed_at") for e in errors)


def test_a_session_must_end_after_it_starts_and_not_in_the_future(api, app, alex, now):
    backwards = session_payload(
        alex["routine_id"], started_at=now.isoformat(), completed_at=(now - timedelta(minutes=5)).isoformat()
    )
    future = session_payload(
        alex["routine_id"],
        started_at=(now + timedelta(hours=1)).isoformat(),
        completed_at=(now + timedelta(hours=2)).isoformat(),
    )
    results = api({"sessions": [backwards, future]}).get_json()["results"]
    assert "end after it starts" in " ".join(results[0]["errors"])
    assert "future" in " ".join(results[1]["errors"])
    assert rows(app) == 0


def test_a_routine_that_is_not_the_users_is_refused(api, app, alex):
    with app.app_context():
        other_routine = first_routine_id("core-foundations")
    result = api({"sessions": [session_payload(other_routine)]}).get_json()["results"][0]
    assert result["status"] == "invalid"
    assert "not a routine of your program" in result["errors"][0]


def test_a_session_stamped_for_another_user_is_refused(api, app, alex):
    payload = session_payload(alex["routine_id"], user_id=alex["user"].id + 1000)
    result = api({"sessions": [payload]}).get_json()["results"][0]
    assert result["status"] == "invalid"
    assert "another account" in result["errors"][0]
    ok = api({"sessions": [session_payload(alex["routine_id"], user_id=alex["user"].id)]}).get_json()
    assert ok["results"][0]["status"] == "created"


def test_another_accounts_id_is_neither_overwritten_nor_revealed(app, client, auth, alex, today):
    payload = session_payload(alex["routine_id"])
    with app.app_context():
        sam = make_user("sam@example.com")
        make_plan(sam, start=today)
    auth.login("alex@example.com")
    client.post("/api/v1/sessions", json={"sessions": [payload]}, headers=auth.api_headers())
    auth.logout()
    auth.login("sam@example.com")
    # Same id, other content: for Sam it is simply a new session of his own, not a conflict that tells him
    # the id is taken.
    sams = dict(payload, pain_after=6)
    result = client.post("/api/v1/sessions", json={"sessions": [sams]}, headers=auth.api_headers()).get_json()
    assert result["results"] == [{"id": payload["id"], "status": "created"}]
    again = client.post("/api/v1/sessions", json={"sessions": [sams]}, headers=auth.api_headers()).get_json()
    assert again["results"] == [{"id": payload["id"], "status": "duplicate"}]
    with app.app_context():
        stored = dict(db.session.execute(db.select(CompletedSession.user_id, CompletedSession.pain_after)).all())
        assert stored == {alex["user"].id: 3, sam.id: 6}
    listed = client.get("/api/v1/sessions").get_json()["sessions"]
    assert [(s["id"], s["pain_after"]) for s in listed] == [(payload["id"], 6)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("this is not json", "must be JSON"),
        ("[1, 2]", '{"sessions"'),
        ('{"sessions": {}}', '{"sessions"'),
        ('{"items": []}', '{"sessions"'),
        ('{"sessions": [], "extra": 1}', '{"sessions"'),
    ],
)
def test_a_body_that_is_not_the_right_shape_answers_400(api, app, body, message):
    response = api(body, raw=True)
    assert response.status_code == 400
    assert message in response.get_json()["message"]
    assert rows(app) == 0


def test_more_than_100_items_answers_400_and_stores_nothing(api, app, alex):
    response = api({"sessions": [session_payload(alex["routine_id"]) for _ in range(101)]})
    assert response.status_code == 400
    assert "at most 100" in response.get_json()["message"]
    assert rows(app) == 0
    assert api({"sessions": [session_payload(alex["routine_id"]) for _ in range(100)]}).status_code == 200
    assert rows(app) == 100


def test_an_empty_batch_is_fine(api):
    assert api({"sessions": []}).get_json() == {"results": []}


def test_non_object_items_are_invalid_not_errors(api, alex):
    results = api({"sessions": [None, 5, "x", [], session_payload(alex["routine_id"])]}).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid"] * 4 + ["created"]


def test_oversized_body_answers_413(api, app, alex):
    response = api({"sessions": [session_payload(alex["routine_id"], notes="x" * (1024 * 1024))]})
    assert response.status_code == 413
    assert rows(app) == 0


def test_not_signed_in_answers_401_and_without_csrf_400(client, auth, alex):
    body = {"sessions": [session_payload(alex["routine_id"])]}
    assert client.post("/api/v1/sessions", json=body).status_code == 401
    auth.login("alex@example.com")
    response = client.post("/api/v1/sessions", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_a_trainer_answers_403(client, auth, alex):
    auth.login("coach@example.com")
    response = client.post("/api/v1/sessions", json={"sessions": []}, headers=auth.api_headers())
    assert response.status_code == 403
    assert client.get("/api/v1/sessions").status_code == 403


def test_sessions_list_newest_first_with_pages(api, client, app, alex, now):
    base = now - timedelta(days=30)
    sent = []
    for n in range(25):
        end = base + timedelta(days=n)
        item = session_payload(
            alex["routine_id"], started_at=(end - timedelta(minutes=10)).isoformat(), completed_at=end.isoformat()
        )
        sent.append(item["id"])
        api({"sessions": [item]})
    first = client.get("/api/v1/sessions").get_json()
    assert [s["id"] for s in first["sessions"]] == list(reversed(sent))[:20]
    assert first["next"].endswith("/api/v1/sessions?page=2")
    second = client.get(first["next"]).get_json()
    assert [s["id"] for s in second["sessions"]] == list(reversed(sent))[20:]
    assert second["next"] is None
    assert client.get("/api/v1/sessions?page=abc").status_code == 400


def test_sessions_list_shows_only_the_users_own(api, client, auth, app, alex):
    api({"sessions": [session_payload(alex["routine_id"])]})
    with app.app_context():
        make_user("sam@example.com")
    auth.logout()
    auth.login("sam@example.com")
    assert client.get("/api/v1/sessions").get_json() == {"sessions": [], "next": None}


def test_local_date_follows_the_users_time_zone(api, app, alex):
    # 22:30 UTC on 1 June is already 2 June in Berlin (the user's zone here is London: still 1 June).
    end = datetime(2026, 6, 1, 22, 30, tzinfo=UTC)
    item = session_payload(
        alex["routine_id"], started_at=(end - timedelta(minutes=10)).isoformat(), completed_at=end.isoformat()
    )
    api({"sessions": [item]})
    with app.app_context():
        assert db.session.execute(db.select(CompletedSession.local_date)).scalar().isoformat() == "2026-06-01"


def test_plan_api(client, auth, alex):
    auth.login("alex@example.com")
    plan = client.get("/api/v1/plan").get_json()
    assert plan["program"]["slug"] == "gentle-start"
    assert plan["routines"][0]["id"] == alex["routine_id"]
    first = plan["routines"][0]["exercises"][0]
    assert set(first) >= {"slug", "sets", "reps", "hold_seconds", "rest_seconds"}
    assert plan["schedule"] and all(s["routine_id"] in {r["id"] for r in plan["routines"]} for s in plan["schedule"])


def test_plan_api_without_a_program(client, auth, app):
    with app.app_context():
        make_user("new@example.com")
    auth.login("new@example.com")
    assert client.get("/api/v1/plan").get_json() == {
        "program": None,
        "schedule": [],
        "routines": [],
        "week": None,
        "weeks": [],
        "suggestions": [],
        "held": [],
    }


# --- 20 concurrent clients with overlapping batches: rows equal distinct ids, on either database. ---


@pytest.mark.committed  # the server's threads each use a connection of their own
def test_concurrent_overlapping_batches_store_each_session_once(app, alex):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    pool = [session_payload(alex["routine_id"]) for _ in range(40)]
    statuses: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()

    def phone(n: int) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{base}/auth/login").read().decode()
        token = page.split('name="csrf-token" content="')[1].split('"')[0]
        form = urllib.parse.urlencode(
            {"email": "alex@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token}
        ).encode()
        opener.open(f"{base}/auth/login", data=form).read()
        batch = pool[n % 10 : n % 10 + 20]  # every batch overlaps with its neighbours
        for _ in range(2):  # and each phone retries its batch, as a flaky connection would
            request = urllib.request.Request(
                f"{base}/api/v1/sessions",
                data=json.dumps({"sessions": batch}).encode(),
                headers={"Content-Type": "application/json", "X-CSRFToken": token},
            )
            try:
                results = json.loads(opener.open(request, timeout=60).read())["results"]
            except Exception as exc:  # reported below with the phone's number
                with lock:
                    failures.append(f"phone {n}: {exc}")
                return
            with lock:
                statuses.extend(r["status"] for r in results)

    phones = [threading.Thread(target=phone, args=(n,)) for n in range(20)]
    for t in phones:
        t.start()
    for t in phones:
        t.join(timeout=120)
    server.shutdown()
    server.server_close()
    assert failures == []
    distinct = {item["id"] for n in range(20) for item in pool[n % 10 : n % 10 + 20]}
    assert rows(app) == len(distinct) == 29
    assert statuses.count("created") == len(distinct)
    assert set(statuses) <= {"created", "duplicate"}
    with app.app_context():
        uuids = db.session.execute(db.select(CompletedSession.uuid)).scalars().all()
        assert sorted(uuids) == sorted(distinct)
        assert db.session.execute(db.select(db.func.count(SessionExercise.id))).scalar() == len(distinct)


# --- On SQLite, writers take turns on a lock file and wake as soon as the one before has committed. ---


@pytest.mark.parametrize(
    ("url", "lock"),
    [
        ("sqlite:////srv/coresteady/app.db", "/srv/coresteady/app.db-writer"),
        ("sqlite://", None),  # in memory: one connection, nobody to take turns with
        ("sqlite:///:memory:", None),
        ("sqlite:///file:shared?mode=memory&uri=true", None),
        ("postgresql+psycopg://coresteady@127.0.0.1/coresteady", None),  # PostgreSQL locks rows itself
    ],
)
def test_the_writers_lock_file_lies_beside_a_sqlite_file_and_nowhere_else(url, lock):
    assert writer_lock_path(make_url(url)) == lock


@pytest.mark.committed  # the sync runs in a thread of its own, on a connection of its own
def test_a_sync_waits_for_the_writer_before_it_then_is_stored(app, api, alex):
    with app.app_context():
        lock_path = writer_lock_path(db.engine.url)
    if lock_path is None:
        pytest.skip("only a SQLite file has writers taking turns on a lock file")
    session = session_payload(alex["routine_id"])
    answers = []
    with open(lock_path, "a") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)  # as another process in the middle of its write
        sync = threading.Thread(target=lambda: answers.append(api({"sessions": [session]})))
        sync.start()
        sync.join(timeout=0.5)
        assert sync.is_alive() and answers == []  # it waits for its turn, however long that is
        assert rows(app) == 0
    sync.join(timeout=60)  # the other writer has finished: its turn comes at once
    assert [answer.get_json()["results"][0]["status"] for answer in answers] == ["created"]
    assert rows(app) == 1
