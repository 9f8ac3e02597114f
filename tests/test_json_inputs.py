"""NUL characters in every JSON body the API reads: the whole body refused with a 400 that names the field, or,
in a sync batch, that item's `invalid` while the others are stored. Nothing with a NUL reaches the database (on
PostgreSQL it could not: its text cannot hold one)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.extensions import db
from webapp.push.models import PushSubscription

from .factories import first_routine_id, make_plan, session_payload

pytestmark = pytest.mark.usefixtures("clock")
NUL = "\x00"
ENDPOINT = "https://push.example.com/send/abc"
P256DH = "BLcAuFqC8UNGgx1dlRU0Tzp6z0jRH9bBQtu_AYsmB3ErMyOTaRZM3JAJz_l5u-FSrAd7PLUHoUIxOzwRbhVh4Lc"
AUTH = "8c0wAjS6Z_0hnEFhgCAbxw"
SUBSCRIPTIONS = "/api/v1/push/subscriptions"


@pytest.fixture
def alex(app, client, auth, users, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
    auth.login("alex@example.com")
    return auth.api_headers()


def send(client, headers, method, path, body):
    return client.open(path, method=method, json=body, headers=headers)


REFUSED_WHOLE = {
    "reminders time": ("PUT", "/api/v1/reminders", {"time": "07:30" + NUL}, "time"),
    "reminders key": ("PUT", "/api/v1/reminders", {"time" + NUL: "07:30"}, "time\\u0000"),
    "read ids": ("POST", "/api/v1/messages/read", {"ids": ["abc" + NUL]}, "ids.0"),
    "subscribe endpoint": (
        "POST", "/api/v1/push/subscriptions", {"endpoint": ENDPOINT + NUL, "keys": {"p256dh": P256DH, "auth": AUTH}},
        "endpoint",
    ),
    "subscribe key": (
        "POST", "/api/v1/push/subscriptions", {"endpoint": ENDPOINT, "keys": {"p256dh": P256DH, "auth": AUTH + NUL}},
        "keys.auth",
    ),
    "unsubscribe endpoint": ("DELETE", "/api/v1/push/subscriptions", {"endpoint": ENDPOINT + NUL}, "endpoint"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED_WHOLE)
def test_a_nul_in_a_json_body_is_400_naming_the_field(app, client, alex, case):
    method, path, body, field = REFUSED_WHOLE[case]
    response = send(client, alex, method, path, body)
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert message.startswith(f"{field}: must not contain a NUL character")
    with app.app_context():
        assert db.session.execute(db.select(PushSubscription)).first() is None


@pytest.mark.parametrize(
    ("method", "path"), [("PUT", "/api/v1/reminders"), ("POST", "/api/v1/messages/read"), ("POST", SUBSCRIPTIONS)]
)
def test_json_nested_thousands_deep_is_400_naming_where(client, alex, method, path):
    deep = "[" * 5000 + "]" * 5000
    response = client.open(path, method=method, data='{"ids": ' + deep + "}", content_type="application/json",
                           headers=alex)  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("ids.")
    assert "nested more than 32 levels deep" in response.get_json()["message"]


def test_a_nul_in_a_trainers_json_body_is_400_too(client, auth, users):
    auth.login("coach@example.com")
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages/read"
    response = send(client, auth.api_headers(), "POST", path, {"ids": [NUL]})
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("ids.0: must not contain a NUL character")


def test_a_nul_in_one_synced_item_is_that_items_invalid_and_the_others_are_stored(app, client, alex, now):
    with app.app_context():
        routine = first_routine_id()
    good, bad = session_payload(routine), session_payload(routine, notes="ok" + NUL)
    bad["exercises"][0]["exercise"] = "pelvic" + NUL
    results = send(client, alex, "POST", "/api/v1/sessions", {"sessions": [bad, good]}).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created"]
    assert any("NUL" in error for error in results[0]["errors"])

    screen = {"id": str(uuid.uuid4()), "answered_at": now.isoformat(), "signs": ["numb" + NUL]}
    fine = {"id": str(uuid.uuid4()), "answered_at": now.isoformat(), "signs": []}
    results = send(client, alex, "POST", "/api/v1/safety", {"screens": [screen, fine]}).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created"]
    assert "NUL" in results[0]["errors"][0]

    message = {"id": str(uuid.uuid4()), "body": "hello" + NUL, "written_at": now.isoformat()}
    other = {**message, "id": str(uuid.uuid4()), "body": "hello"}
    results = send(client, alex, "POST", "/api/v1/messages", {"messages": [message, other]}).get_json()["results"]
    assert [r["status"] for r in results] == ["invalid", "created"]


def test_a_nul_in_a_batchs_key_is_400(client, alex):
    response = send(client, alex, "POST", "/api/v1/sessions", {"sessions" + NUL: []})
    assert response.status_code == 400


# ---- Fuzzing the sync batches: whatever the items are, each gets its own answer ----

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**80), max_value=2**80) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
STATUSES = {"created", "duplicate", "conflict", "invalid"}


def items_like(valid: dict):
    """Items as a phone or a forger might send them: anything at all, or a right item with one field changed,
    added or left out."""
    changed = st.builds(lambda key, value: {**valid, key: value}, st.sampled_from(sorted(valid)), JSON)
    added = st.builds(lambda key, value: {**valid, key: value}, st.text(max_size=8), JSON)
    dropped = st.sampled_from(sorted(valid)).map(lambda key: {k: v for k, v in valid.items() if k != key})
    return st.lists(st.one_of(JSON, changed, added, dropped, st.just(valid)), min_size=1, max_size=4)


def each_answered(response, items):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    results = response.get_json()["results"]
    assert len(results) == len(items)
    for result in results:
        assert result["status"] in STATUSES
        assert result["id"] is None or isinstance(result["id"], str)
        if result["status"] == "invalid":
            assert result["errors"] and all(isinstance(e, str) for e in result["errors"])


FUZZ = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def valid_items(app, now):
    with app.app_context():
        routine = first_routine_id()
    session = session_payload(routine, notes="Felt fine")
    session["exercises"][0]["pain_during"] = 2
    return {
        "/api/v1/sessions": ("sessions", session),
        "/api/v1/safety": ("screens", {"id": str(uuid.uuid4()), "answered_at": now.isoformat(), "signs": []}),
        "/api/v1/messages": (
            "messages",
            {"id": str(uuid.uuid4()), "body": "Sore today", "written_at": now.isoformat()},
        ),
    }


@FUZZ
@given(data=st.data())
def test_any_items_in_a_clients_batch_each_get_an_answer(client, alex, valid_items, data):
    path = data.draw(st.sampled_from(sorted(valid_items)))
    key, valid = valid_items[path]
    items = data.draw(items_like(valid))
    each_answered(send(client, alex, "POST", path, {key: items}), items)


@FUZZ
@given(data=st.data())
def test_any_items_in_a_trainers_batch_each_get_an_answer(client, auth, users, now, data):
    if data.draw(st.booleans()) or not client.get_cookie("session"):
        auth.login("coach@example.com")
    valid = {"id": str(uuid.uuid4()), "body": "Well done", "written_at": now.isoformat()}
    items = data.draw(items_like(valid))
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages"
    each_answered(send(client, auth.api_headers(), "POST", path, {"messages": items}), items)
