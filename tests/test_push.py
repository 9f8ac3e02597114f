"""Web Push: subscriptions in and out of the API, and pushes sent by the job runner to a push service stand-in."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from webapp import create_app
from webapp.config import ConfigError, instance_vapid_key, new_vapid_key
from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.push import services as push
from webapp.push.models import PushSubscription

from .pushservice import Browser, PushService, b64, unb64

SUBSCRIPTIONS = "/api/v1/push/subscriptions"


@pytest.fixture
def service():
    with PushService() as running:
        yield running


def stored(app) -> list[PushSubscription]:
    with app.app_context():
        return list(db.session.execute(db.select(PushSubscription).order_by(PushSubscription.id)).scalars())


def push_jobs(app) -> list[Job]:
    with app.app_context():
        return list(db.session.execute(db.select(Job).where(Job.kind == "push").order_by(Job.id)).scalars())


def subscribe(client, auth, browser: Browser, **extra):
    return client.post(SUBSCRIPTIONS, json={**browser.to_json(), **extra}, headers=auth.api_headers())


def notify(app, user, **extra):
    fields = {"title": "Today: Foundations B", "body": "About 12 min", "url": "/player/3", "tag": "reminder", **extra}
    with app.app_context():
        queued = push.notify(user.id, **fields)
        db.session.commit()
    return queued


# ---- The key ----


def test_the_public_key_is_an_uncompressed_p256_point_and_signs_the_pushes(app, client, auth, users, service, run_jobs):
    assert client.get("/api/v1/push/key").status_code == 401
    auth.login()
    key = client.get("/api/v1/push/key").get_json()["public_key"]
    point = unb64(key)
    assert (len(point), point[0]) == (65, 4)
    assert subscribe(client, auth, service.browser()).status_code == 201
    notify(app, users["alex"])
    run_jobs()
    assert service.refusals == []
    [received] = service.received
    assert received.vapid_key == key
    assert received.claims["aud"] == service.origin


def test_a_trainer_can_subscribe_too(client, auth, users, service):
    auth.login_as(users["coach"])
    assert subscribe(client, auth, service.browser()).status_code == 201


# ---- Subscribing and unsubscribing ----


def test_subscribing_twice_keeps_one_and_unsubscribing_removes_it(app, client, auth, users, service):
    auth.login()
    browser = service.browser()
    assert subscribe(client, auth, browser).get_json() == {"subscribed": True}
    again = subscribe(client, auth, browser)
    assert (again.status_code, len(stored(app))) == (200, 1)
    [row] = stored(app)
    assert (row.user_id, row.endpoint, row.p256dh, row.auth) == (
        users["alex"].id,
        browser.endpoint,
        browser.p256dh,
        b64(browser.auth),
    )

    gone = client.delete(SUBSCRIPTIONS, json={"endpoint": browser.endpoint}, headers=auth.api_headers())
    assert (gone.status_code, gone.get_json(), stored(app)) == (200, {"removed": True}, [])
    twice = client.delete(SUBSCRIPTIONS, json={"endpoint": browser.endpoint}, headers=auth.api_headers())
    assert (twice.status_code, twice.get_json()) == (200, {"removed": False})


def test_a_subscription_sent_twice_at_once_is_stored_once(app, client, auth, users, service, monkeypatch):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    found = push._by_endpoint
    looks = []

    def not_yet_there_the_first_time(endpoint):
        looks.append(endpoint)
        return None if len(looks) == 1 else found(endpoint)

    # The second request looked before the first one's row was committed, and then inserts the same endpoint.
    monkeypatch.setattr(push, "_by_endpoint", not_yet_there_the_first_time)
    answer = subscribe(client, auth, browser)
    assert (answer.status_code, len(stored(app))) == (200, 1)


def test_a_person_cannot_remove_anothers_subscription(app, client, auth, users, service):
    auth.login_as(users["coach"])
    browser = service.browser()
    subscribe(client, auth, browser)
    auth.logout()
    auth.login()
    answer = client.delete(SUBSCRIPTIONS, json={"endpoint": browser.endpoint}, headers=auth.api_headers())
    assert answer.get_json() == {"removed": False}
    assert len(stored(app)) == 1


def test_writes_need_sign_in_and_the_csrf_token(app, client, auth, users, service):
    browser = service.browser()
    assert client.post(SUBSCRIPTIONS, json=browser.to_json()).status_code == 401
    auth.login()
    missing = client.post(SUBSCRIPTIONS, json=browser.to_json())
    assert missing.status_code == 400
    assert client.delete(SUBSCRIPTIONS, json={"endpoint": browser.endpoint}).status_code == 400
    assert stored(app) == []


def test_a_browser_subscribing_under_another_account_moves_to_it_and_earlier_pushes_stay_behind(
    app, client, auth, users, service, run_jobs
):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    notify(app, users["alex"], body="for Alex")
    auth.logout()
    auth.login_as(users["coach"])
    assert subscribe(client, auth, browser).status_code == 201
    [row] = stored(app)
    assert row.user_id == users["coach"].id
    run_jobs()
    assert service.messages() == []


def test_a_person_keeps_their_newest_subscriptions_only(app, client, auth, users, service):
    auth.login()
    browsers = [service.browser() for _ in range(push.MAX_PER_PERSON + 2)]
    for browser in browsers:
        subscribe(client, auth, browser)
    kept = {row.endpoint for row in stored(app)}
    assert len(kept) == push.MAX_PER_PERSON
    assert browsers[0].endpoint not in kept and browsers[-1].endpoint in kept


def _with_keys(**keys):
    def change(body):
        body["keys"] = {**body["keys"], **keys}
        return body

    return change


def _set(**fields):
    return lambda body: {**body, **fields}


NOT_ON_THE_CURVE = b64(b"\x04" + b"\x01" * 64)
BAD_SUBSCRIPTIONS = {
    "a list": lambda body: [body],
    "no keys": lambda body: {"endpoint": body["endpoint"]},
    "keys not an object": _set(keys="p256dh"),
    "no auth": lambda body: {**body, "keys": {"p256dh": body["keys"]["p256dh"]}},
    "p256dh too short": _with_keys(p256dh=b64(b"\x04" + b"\x07" * 31)),
    "p256dh compressed": _with_keys(p256dh=b64(b"\x02" + b"\x07" * 32)),
    "p256dh not on the curve": _with_keys(p256dh=NOT_ON_THE_CURVE),
    "p256dh not base64url": _with_keys(p256dh="not base64 at all!"),
    "p256dh a number": _with_keys(p256dh=65),
    "auth 15 bytes": _with_keys(auth=b64(b"\x07" * 15)),
    "auth not base64url": _with_keys(auth="%%%%"),
    "an unknown field": _set(options={"userVisibleOnly": True}),
    "an unknown key": _with_keys(aes="x"),
    "endpoint missing": lambda body: {"keys": body["keys"]},
    "endpoint empty": _set(endpoint=""),
    "endpoint not a URL": _set(endpoint="push service"),
    "endpoint ftp": _set(endpoint="ftp://push.example.org/x"),
    "endpoint with a password": _set(endpoint="https://me:secret@push.example.org/x"),
    "endpoint too long": _set(endpoint="https://push.example.org/" + "x" * 2000),
    "endpoint with a bad port": _set(endpoint="https://push.example.org:high/x"),
    "expirationTime text": _set(expirationTime="tomorrow"),
}


@pytest.mark.parametrize("change", BAD_SUBSCRIPTIONS.values(), ids=BAD_SUBSCRIPTIONS.keys())
def test_a_bad_subscription_is_refused_clearly_and_nothing_is_stored(app, client, auth, users, service, change):
    auth.login()
    answer = client.post(SUBSCRIPTIONS, json=change(service.browser().to_json()), headers=auth.api_headers())
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "bad_request"
    assert answer.get_json()["message"]
    assert stored(app) == []


def test_a_body_that_is_not_json_is_refused(app, client, auth, users):
    auth.login()
    headers = {**auth.api_headers(), "Content-Type": "application/json"}
    assert client.post(SUBSCRIPTIONS, data="{not json", headers=headers).status_code == 400
    assert client.delete(SUBSCRIPTIONS, data="{not json", headers=headers).status_code == 400
    assert (
        client.delete(SUBSCRIPTIONS, json={"endpoint": "x", "keys": {}}, headers=auth.api_headers()).status_code == 400
    )
    assert stored(app) == []


@pytest.mark.parametrize(
    ("endpoint", "status"),
    [
        ("http://push.example.org/send/1", 400),
        ("https://127.0.0.1/send/1", 400),
        ("https://[::1]/send/1", 400),
        ("https://localhost/send/1", 400),
        # A domain of the attacker's choosing may point at any address, the server's own neighbours included.
        ("https://push.example.org/send/1", 400),
        ("https://fcm.googleapis.com.example.org/send/1", 400),
        ("https://notfcm.googleapis.com/send/1", 400),
        ("https://fcm.googleapis.com/fcm/send/abc", 201),  # Chrome, and the browsers built on Chromium
        ("https://updates.push.services.mozilla.com/wpush/v2/abc", 201),  # Firefox
        ("https://web.push.apple.com/QGabc", 201),  # Safari
        ("https://wns2-par02p.notify.windows.com/w/?token=abc", 201),  # Edge
        ("https://FCM.googleapis.com./fcm/send/abc", 201),
    ],
)
def test_production_takes_the_push_services_browsers_use_only(app, client, auth, users, endpoint, status):
    app.config["APP_ENV"] = "production"
    auth.login()
    answer = client.post(SUBSCRIPTIONS, json=Browser(endpoint).to_json(), headers=auth.api_headers())
    assert answer.status_code == status
    if status == 400 and endpoint.startswith("https://push.example.org"):
        assert "push service that browsers use" in answer.get_json()["message"]
    assert len(stored(app)) == (status == 201)


def test_push_services_can_be_added_in_the_setting(app, client, auth, users):
    app.config["APP_ENV"] = "production"
    app.config["PUSH_SERVICES"] = [*app.config["PUSH_SERVICES"], "Push.Example.org.", "."]  # as a person may type it
    auth.login()
    for endpoint in ("https://push.example.org/1", "https://eu.push.example.org/2"):
        answer = client.post(SUBSCRIPTIONS, json=Browser(endpoint).to_json(), headers=auth.api_headers())
        assert answer.status_code == 201, endpoint
    # "." names no domain: it lets nothing more in.
    answer = client.post(
        SUBSCRIPTIONS, json=Browser("https://push.example.net/3").to_json(), headers=auth.api_headers()
    )
    assert answer.status_code == 400


def test_the_setting_is_read_from_the_environment_as_a_list():
    from webapp.config import from_environment

    setting = from_environment({"PUSH_SERVICES": "fcm.googleapis.com, push.example.org ,"})["PUSH_SERVICES"]
    assert setting == ["fcm.googleapis.com", "push.example.org"]


def test_a_subscription_to_a_service_no_longer_listed_is_dropped_unsent(app, client, auth, users, service, run_jobs):
    """One stored before PUSH_SERVICES left its service out (here: the local one, in production): nothing is sent
    to it, and it is dropped."""
    auth.login()
    subscribe(client, auth, service.browser())
    notify(app, users["alex"])
    app.config["APP_ENV"] = "production"
    report = run_jobs()
    assert service.received == [] and stored(app) == [] and report.failed == 0


def test_development_takes_a_local_push_service(client, auth, users, service):
    auth.login()
    assert subscribe(client, auth, service.browser()).status_code == 201


# ---- Sending ----


def test_notify_queues_and_the_runner_sends_it_encrypted_once(app, client, auth, users, service, run_jobs):
    auth.login()
    phone, laptop = service.browser("phone"), service.browser("laptop")
    subscribe(client, auth, phone)
    subscribe(client, auth, laptop)
    assert notify(app, users["alex"]) == 2
    assert service.received == []  # queued only: nothing is sent until the runner runs
    report = run_jobs()
    assert (report.done, service.refusals) == (2, [])
    expected = {"title": "Today: Foundations B", "body": "About 12 min", "url": "/player/3", "tag": "reminder"}
    assert service.messages(phone) == [expected]
    assert service.messages(laptop) == [expected]
    headers = service.received[0].headers
    assert headers["topic"] == push.topic("reminder") and len(headers["topic"]) <= 32
    assert int(headers["ttl"]) > 0 and headers["urgency"] == "normal"
    run_jobs()
    assert len(service.received) == 2
    assert all(row.last_sent_at is not None for row in stored(app))


def test_a_key_queues_a_push_once(app, client, auth, users, service, run_jobs):
    auth.login()
    subscribe(client, auth, service.browser())
    assert notify(app, users["alex"], key="reminder:2026-07-02") == 1
    notify(app, users["alex"], key="reminder:2026-07-02")
    run_jobs()
    notify(app, users["alex"], key="reminder:2026-07-02")
    run_jobs()
    assert len(service.messages()) == 1


def test_nobody_subscribed_queues_nothing(app, users):
    assert notify(app, users["alex"]) == 0
    assert push_jobs(app) == []


def test_notify_opens_only_paths_of_this_app(app, users):
    with app.app_context(), pytest.raises(ValueError):
        push.notify(users["alex"].id, "t", "b", "https://elsewhere.example/", "tag")
    with app.app_context(), pytest.raises(ValueError):
        push.notify(users["alex"].id, "t", "b", "//elsewhere.example/", "tag")


@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_service_says_is_gone_is_dropped(app, client, auth, users, service, run_jobs, status):
    auth.login()
    gone, kept = service.browser("gone"), service.browser("kept")
    subscribe(client, auth, gone)
    subscribe(client, auth, kept)
    service.answer(gone, status)
    notify(app, users["alex"])
    report = run_jobs()
    assert (report.done, report.retried, report.failed) == (2, 0, 0)
    assert [row.endpoint for row in stored(app)] == [kept.endpoint]
    assert len(service.messages(kept)) == 1


def test_a_service_that_fails_is_tried_again_later_and_the_push_arrives_once(
    app, client, auth, users, service, run_jobs, now
):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    service.answer(browser, 503)
    notify(app, users["alex"], now=now)
    assert run_jobs(now).retried == 1
    [job] = push_jobs(app)
    assert (job.status, job.run_at > now) == ("queued", True)
    service.answer(browser, 201)
    assert run_jobs(now).ran == 0  # not due yet
    assert run_jobs(now + timedelta(minutes=2)).done == 1
    assert len(service.messages(browser)) == 1
    assert len(stored(app)) == 1


def test_a_service_that_is_down_delays_the_push_and_loses_nothing(app, client, auth, users, service, run_jobs, now):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    with app.app_context():
        row = db.session.execute(db.select(PushSubscription)).scalar_one()
        row.endpoint = "http://127.0.0.1:9/push/nobody-listens"  # the discard port: the connection is refused
        db.session.commit()
    notify(app, users["alex"], now=now)
    assert run_jobs(now).retried == 1
    assert push_jobs(app)[0].last_error.startswith("RuntimeError: the push service could not be reached")


def test_a_push_the_service_refuses_fails_at_once(app, client, auth, users, service, run_jobs, now):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    service.answer(browser, 403)
    notify(app, users["alex"], now=now)
    assert run_jobs(now).failed == 1
    assert len(stored(app)) == 1


def test_a_push_past_its_time_is_not_sent(app, client, auth, users, service, run_jobs, now):
    auth.login()
    subscribe(client, auth, service.browser())
    with app.app_context():
        push.notify(users["alex"].id, "t", "b", "/", "tag", ttl=timedelta(hours=1), now=now)
        db.session.commit()
    assert run_jobs(now + timedelta(hours=2)).done == 1
    assert service.received == []


def test_a_push_for_a_subscription_removed_meanwhile_is_not_sent(app, client, auth, users, service, run_jobs):
    auth.login()
    browser = service.browser()
    subscribe(client, auth, browser)
    notify(app, users["alex"])
    client.delete(SUBSCRIPTIONS, json={"endpoint": browser.endpoint}, headers=auth.api_headers())
    assert run_jobs().done == 1
    assert service.received == []


# ---- The VAPID key and subject ----


def test_the_instance_key_is_made_once_and_kept_private(tmp_path):
    first = instance_vapid_key(str(tmp_path))
    assert instance_vapid_key(str(tmp_path)) == first
    assert (tmp_path / "vapid_private_key").stat().st_mode & 0o777 == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["vapid_private_key"]
    assert len(base64.urlsafe_b64decode(first + "=")) == 32


def test_a_test_app_makes_its_own_key_and_a_given_key_is_kept(monkeypatch):
    assert create_app({"TESTING": True})
    key = new_vapid_key()
    monkeypatch.setenv("VAPID_PRIVATE_KEY", key)
    assert create_app({"TESTING": True}).config["VAPID_PRIVATE_KEY"] == key


@pytest.mark.parametrize(
    "key",
    ["not-a-key", b64(b"\x01" * 31), b64(b"\xff" * 32), "a" * 43 + "!"],
    ids=["text", "31 bytes", "past the curve's order", "not base64url"],
)
def test_a_malformed_vapid_key_stops_the_app_and_says_how_to_make_one(monkeypatch, key):
    monkeypatch.setenv("VAPID_PRIVATE_KEY", key)
    with pytest.raises(ConfigError, match="new_vapid_key"):
        create_app({"TESTING": True})


@pytest.mark.parametrize(
    ("settings", "subject"),
    [
        ({"VAPID_SUBJECT": "mailto:care@example.org"}, "mailto:care@example.org"),
        ({"BASE_URL": "https://coresteady.example.org"}, "https://coresteady.example.org"),
        (
            {"BASE_URL": "http://localhost:5000", "MAIL_FROM": "CoreSteady <care@example.org>"},
            "mailto:care@example.org",
        ),
    ],
)
def test_the_vapid_subject_is_given_or_made_from_the_address(settings, subject):
    assert create_app({"TESTING": True, **settings}).config["VAPID_SUBJECT"] == subject


@pytest.mark.parametrize("subject", ["care@example.org", "http://example.org", "mailto:nobody"])
def test_a_vapid_subject_that_is_no_contact_stops_the_app(subject):
    with pytest.raises(ConfigError, match="VAPID_SUBJECT"):
        create_app({"TESTING": True, "VAPID_SUBJECT": subject})
