"""NUL characters in every JSON body the API reads: the whole body refused with a 400 that names the field, or,
in a sync batch, that item's `invalid` while the others are stored. Nothing with a NUL reaches the database (on
PostgreSQL it could not: its text cannot hold one)."""

from __future__ import annotations

import base64
import json
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
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


def test_a_field_nested_too_deeply_is_that_items_invalid_on_every_sync_endpoint(client, alex, valid_items):
    """Sessions, red-flag answers and messages say the same of it, naming the field; the good item is stored."""
    for path, (key, valid) in valid_items.items():
        deep_one = {**valid, "id": str(uuid.uuid4()), "extra": "DEEP"}
        body = json.dumps({key: [deep_one, {**valid, "id": str(uuid.uuid4())}]}).replace('"DEEP"', "[" * 40 + "]" * 40)
        response = client.post(path, data=body, content_type="application/json", headers=alex)
        results = response.get_json()["results"]
        assert [r["status"] for r in results] == ["invalid", "created"], path
        assert results[0]["errors"] == ["extra: nested more than 32 levels deep"], path


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


# ---- Bodies taken whole: one model checks each, and says what is wrong as the other endpoints do ----


def browser_key() -> str:
    """A browser's P-256 public key as PushSubscription.toJSON() gives it: the uncompressed point, base64url."""
    point = (
        ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


KEY = browser_key()
SUBSCRIPTION = {"endpoint": ENDPOINT, "keys": {"p256dh": KEY, "auth": AUTH}}
TIME_RULE = 'time: must be a time of day as HH:MM on the 24-hour clock, such as "07:30" or "18:00".'
IDS_RULE = "ids: must be a list of at most 100 message ids, as text."
REMINDERS_SHAPE = 'Send a JSON object with any of "enabled", "time" and "email".'
SUBSCRIPTION_SHAPE = 'Send the browser\'s subscription: {"endpoint": "...", "keys": {"p256dh", "auth"}}.'
READ_SHAPE = 'Send a JSON object of the form {"ids": ["<message id>", ...]}.'

BAD_BODIES = {
    "reminders not JSON": ("PUT", "/api/v1/reminders", "{not json", REMINDERS_SHAPE),
    "reminders a list": ("PUT", "/api/v1/reminders", [], REMINDERS_SHAPE),
    "reminders empty": ("PUT", "/api/v1/reminders", {}, REMINDERS_SHAPE),
    "reminders enabled text": ("PUT", "/api/v1/reminders", {"enabled": "yes"}, "enabled: must be true or false."),
    "reminders enabled null": ("PUT", "/api/v1/reminders", {"enabled": None}, "enabled: must be true or false."),
    "reminders email a number": ("PUT", "/api/v1/reminders", {"email": 1}, "email: must be true or false."),
    "reminders time without zero": ("PUT", "/api/v1/reminders", {"time": "7:30"}, TIME_RULE),
    "reminders time 24:00": ("PUT", "/api/v1/reminders", {"time": "24:00"}, TIME_RULE),
    "reminders time a number": ("PUT", "/api/v1/reminders", {"time": 730}, TIME_RULE),
    "reminders unknown": ("PUT", "/api/v1/reminders", {"volume": 3}, "volume: is not a field this call takes."),
    "subscribe not JSON": ("POST", SUBSCRIPTIONS, "{not json", SUBSCRIPTION_SHAPE),
    "subscribe a string": ("POST", SUBSCRIPTIONS, "https://push.example.com", SUBSCRIPTION_SHAPE),
    "subscribe no endpoint": ("POST", SUBSCRIPTIONS, {"keys": SUBSCRIPTION["keys"]}, "endpoint: is required."),
    "subscribe ftp": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "endpoint": "ftp://push.example.com/x"},
        "endpoint: must be an https URL of a push service.",
    ),
    "subscribe no keys": ("POST", SUBSCRIPTIONS, {"endpoint": ENDPOINT}, "keys: is required."),
    "subscribe keys a list": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "keys": []},
        'keys: must be an object: {"p256dh": "...", "auth": "..."}.',
    ),
    "subscribe short auth": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "keys": {"p256dh": KEY, "auth": "AAAA"}},
        "keys.auth: must be the browser's auth secret (16 bytes, base64url).",
    ),
    "subscribe p256dh off the curve": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "keys": {"p256dh": "B" + "A" * 86, "auth": AUTH}},
        "keys.p256dh: must be the browser's P-256 public key (65 bytes, base64url).",
    ),
    "subscribe expiration text": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "expirationTime": "tomorrow"},
        "expirationTime: must be a number of milliseconds, or null.",
    ),
    "subscribe expiration true": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "expirationTime": True},
        "expirationTime: must be a number of milliseconds, or null.",
    ),
    "subscribe unknown": (
        "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "options": {}}, "options: is not a field this call takes.",
    ),
    "unsubscribe empty endpoint": (
        "DELETE", SUBSCRIPTIONS, {"endpoint": ""}, "endpoint: must be the URL of the subscription to remove.",
    ),
    "unsubscribe with keys": (
        "DELETE", SUBSCRIPTIONS, {"endpoint": ENDPOINT, "keys": {}}, "keys: is not a field this call takes.",
    ),
    "unsubscribe a list": (
        "DELETE", SUBSCRIPTIONS, [ENDPOINT], 'Send {"endpoint": "..."}: the URL of the subscription to remove.',
    ),
    "read not JSON": ("POST", "/api/v1/messages/read", "{not json", READ_SHAPE),
    "read no ids": ("POST", "/api/v1/messages/read", {}, "ids: is required."),
    "read ids text": ("POST", "/api/v1/messages/read", {"ids": "abc"}, IDS_RULE),
    "read an id a number": ("POST", "/api/v1/messages/read", {"ids": [1]}, "ids.0: input should be a valid string."),
    "read 101 ids": ("POST", "/api/v1/messages/read", {"ids": ["a"] * 101}, IDS_RULE),
    "read unknown": ("POST", "/api/v1/messages/read", {"ids": [], "all": True}, "all: is not a field this call takes."),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD_BODIES)
def test_a_bad_body_is_400_saying_what_is_wrong_and_changes_nothing(app, client, alex, case):
    method, path, body, message = BAD_BODIES[case]
    if isinstance(body, str):
        response = client.open(path, method=method, data=body, content_type="application/json", headers=alex)
    else:
        response = send(client, alex, method, path, body)
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad_request", "message": message}
    assert client.get("/api/v1/reminders", headers=alex).get_json()["enabled"] is False
    with app.app_context():
        assert db.session.execute(db.select(PushSubscription)).first() is None


def test_a_trainers_bad_read_body_is_400_the_same_way(client, auth, users):
    auth.login("coach@example.com")
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages/read"
    response = send(client, auth.api_headers(), "POST", path, {"ids": [None]})
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad_request", "message": "ids.0: input should be a valid string."}


def test_valid_bodies_get_what_they_got_before(client, alex):
    changed = send(client, alex, "PUT", "/api/v1/reminders", {"enabled": True, "time": "07:30"})
    assert changed.status_code == 200
    assert changed.get_json() == {"enabled": True, "time": "07:30", "timezone": "Europe/London", "email": False}
    subscribed = send(client, alex, "POST", SUBSCRIPTIONS, {**SUBSCRIPTION, "expirationTime": None})
    assert (subscribed.status_code, subscribed.get_json()) == (201, {"subscribed": True})
    removed = send(client, alex, "DELETE", SUBSCRIPTIONS, {"endpoint": ENDPOINT})
    assert (removed.status_code, removed.get_json()) == (200, {"removed": True})
    marked = send(client, alex, "POST", "/api/v1/messages/read", {"ids": [str(uuid.uuid4())]})
    assert (marked.status_code, marked.get_json()) == (200, {"marked": 0})
