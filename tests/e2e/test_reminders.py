"""Reminders in Chromium: turning them on signs the phone up, a push shows a notification, a tap opens the routine.

Chromium without Google's push service (Debian's build, offline) cannot make a real subscription: the page's
PushManager is replaced by one that hands out a subscription whose keys the test made, on a push service stand-in
(tests/pushservice.py). The server encrypts and sends to the stand-in as to a real one; the test then gives what
arrived to the worker through the DevTools protocol (ServiceWorker.deliverPushMessage), as the browser would.
"""

from __future__ import annotations

import json
import time

from playwright.sync_api import expect

from webapp.extensions import db
from webapp.jobs.services import run_due
from webapp.programs.services import starter_program
from webapp.push import services as push
from webapp.push.models import PushSubscription
from webapp.reminders import services as reminder_settings
from webapp.reminders.models import ReminderSetting

from ..pushservice import PushService
from .conftest import login

# Runs in the page before its own scripts (not in the worker): a PushManager that subscribes to the stand-in.
FAKE_PUSH_MANAGER = """
(() => {
  if (typeof PushManager === "undefined") return;
  const given = %s;
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    current = {
      endpoint: given.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: key.buffer },
      toJSON: () => given,
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


def settle(page, script: str, timeout: float = 15):
    """page.evaluate until it returns something truthy (wait_for_function does not await a promise)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if value or time.monotonic() > deadline:
            return value
        page.wait_for_timeout(200)


def worker_registration(context, page) -> str:
    cdp = context.new_cdp_session(page)
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while not [r for r in found if not r["isDeleted"]] and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    [registration] = [r for r in found if not r["isDeleted"]]
    return cdp, registration["registrationId"]


def deliver(context, page, base_url: str, message: dict) -> list[dict]:
    """What arrived at the stand-in, given to the worker as the browser would; the notifications it then shows."""
    cdp, registration = worker_registration(context, page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": f"{base_url}/", "registrationId": registration, "data": json.dumps(message)},
    )
    return settle(
        page,
        """async () => {
          const notes = await (await navigator.serviceWorker.ready).getNotifications();
          return notes.map((n) => ({title: n.title, body: n.body, url: n.data.url, tag: n.tag}));
        }""",
    )


def today_with_the_stand_in(context, page, base_url: str, phone):
    """Alex's Today, its worker in control, with a PushManager that subscribes to the stand-in: the reminders card."""
    context.add_init_script(script=FAKE_PUSH_MANAGER % json.dumps(phone.to_json()))
    login(page, base_url)
    page.goto(f"{base_url}/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page.locator("[data-reminders]")


def test_reminders_on_then_a_push_shows_and_its_tap_opens_the_routine_offline_too(
    app, live_server, context, page, alex
):
    with PushService() as service:
        phone = service.browser()
        context.grant_permissions(["notifications"], origin=live_server.url)
        card = today_with_the_stand_in(context, page, live_server.url, phone)
        expect(card.get_by_text("Turn reminders on to get them in this browser.")).to_be_visible()
        card.get_by_label("Remind me").check()
        expect(card.get_by_text("This browser shows your reminders.")).to_be_visible()
        expect(card.get_by_text("Saved: reminders on at 08:00.")).to_be_visible()
        card.get_by_label("Time", exact=True).fill("18:30")
        card.get_by_label("Time", exact=True).dispatch_event("change")
        expect(card.get_by_text("Saved: reminders on at 18:30.")).to_be_visible()
        page.screenshot(path="test-artifacts/reminders-today.png", full_page=True)

        with app.app_context():
            [row] = db.session.execute(db.select(PushSubscription)).scalars().all()
            assert (row.user_id, row.endpoint, row.p256dh) == (alex.id, phone.endpoint, phone.p256dh)
            setting = db.session.get(ReminderSetting, alex.id)
            assert (setting.enabled, setting.time) == (True, "18:30")
            routine = starter_program("gentle-start").weeks[0].routines[1]
            name, player = routine.name, f"/routines/{routine.id}/play"
            push.notify(alex.id, f"Today: {name}, about 9 min", "Tap to start.", player, "reminder-today")
            db.session.commit()
            run_due()
        # The app may have queued its own reminder for today too (the live server reads the machine's clock, and
        # 18:30 in London may have passed); the one this test sent is told apart by its words.
        sent = {"title": f"Today: {name}, about 9 min", "body": "Tap to start."}
        [message] = [m for m in service.messages(phone) if {k: m.get(k) for k in sent} == sent]
        assert service.refusals == []

        shown = deliver(context, page, live_server.url, message)
        assert shown == [
            {"title": f"Today: {name}, about 9 min", "body": "Tap to start.", "tag": "reminder-today", "url": player}
        ]  # fmt: skip

        # The tap, as the browser would give it to the worker, on a phone that has lost its signal: the player
        # comes from the offline package.
        page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'", timeout=45_000)
        context.set_offline(True)
        [worker] = context.service_workers
        worker.evaluate(
            """async () => {
              const [note] = await self.registration.getNotifications();
              self.dispatchEvent(new NotificationEvent("notificationclick", {notification: note}));
            }"""
        )
        page.wait_for_url(f"**{player}")
        expect(page.get_by_role("heading", name=name)).to_be_visible()
        assert settle(page, "async () => (await (await navigator.serviceWorker.ready).getNotifications()).length === 0")
        context.set_offline(False)
    # Offline, the page's own requests fail as they should; anything else would be a fault.
    assert [e for e in context.console_errors if not e.startswith("Failed to load resource")] == []


def test_reminders_on_elsewhere_offer_this_browser_in_one_tap(app, live_server, context, page, alex):
    """On for email or another phone, not yet in this browser: the card says so, not "turn reminders on", and its
    button signs this browser up."""
    with app.app_context():
        reminder_settings.turn_on(db.session.merge(alex), email=True)
        db.session.commit()
    with PushService() as service:
        phone = service.browser()
        card = today_with_the_stand_in(context, page, live_server.url, phone)
        expect(card.get_by_label("Remind me")).to_be_checked()
        expect(card.get_by_text("Reminders are on, but this browser does not show them yet.")).to_be_visible()
        context.grant_permissions(["notifications"], origin=live_server.url)  # what the person answers when asked
        card.get_by_role("button", name="Show them in this browser").click()
        expect(card.get_by_text("This browser shows your reminders.")).to_be_visible()
        expect(card.get_by_role("button", name="Show them in this browser")).to_be_hidden()
        with app.app_context():
            [row] = db.session.execute(db.select(PushSubscription)).scalars().all()
            assert (row.user_id, row.endpoint) == (alex.id, phone.endpoint)
            setting = db.session.get(ReminderSetting, alex.id)
            assert (setting.enabled, setting.email) == (True, True)
    assert context.console_errors == []


def test_notifications_blocked_say_so_and_offer_the_calendar_and_email(app, live_server, context, page, alex):
    login(page, live_server.url)
    page.goto(f"{live_server.url}/account/")
    page.evaluate("() => Object.defineProperty(Notification, 'permission', {get: () => 'denied'})")
    card = page.locator("[data-reminders]")
    card.get_by_label("Remind me").check()
    expect(card.get_by_text("Notifications are blocked for CoreSteady")).to_be_visible()
    expect(card.get_by_role("link", name="your calendar link")).to_be_visible()
    card.get_by_label("Also by email").check()
    expect(card.get_by_text("Saved: reminders on at 08:00.")).to_be_visible()
    # Each change saves itself here: the plain form's button is not shown, and Enter saves without leaving the page.
    expect(card.get_by_role("button", name="Save reminders")).to_be_hidden()
    card.get_by_label("Time").fill("06:45")
    card.get_by_label("Time").press("Enter")
    expect(card.get_by_text("Saved: reminders on at 06:45.")).to_be_visible()
    assert page.url == f"{live_server.url}/account/"
    with app.app_context():
        setting = db.session.get(ReminderSetting, alex.id)
        assert (setting.enabled, setting.email, setting.time) == (True, True, "06:45")
        assert db.session.execute(db.select(PushSubscription)).first() is None
    assert context.console_errors == []


def test_without_javascript_the_card_is_a_form_that_saves_email_reminders(browser, app, live_server, alex):
    plain = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = plain.new_page()
        login(page, live_server.url)
        page.goto(f"{live_server.url}/")
        card = page.locator("[data-reminders]")
        expect(card.get_by_text("Without JavaScript this browser cannot show notifications")).to_be_visible()
        card.get_by_label("Remind me").check()
        card.get_by_label("Time").fill("07:15")
        card.get_by_label("Also by email").check()
        card.get_by_role("button", name="Save reminders").click()
        page.wait_for_url(f"{live_server.url}/")
        expect(page.get_by_text("Saved: reminders on at 07:15, by email too.")).to_be_visible()
        expect(page.locator("[data-reminders]").get_by_label("Remind me")).to_be_checked()
        page.screenshot(path="test-artifacts/reminders-without-javascript.png", full_page=True)
        with app.app_context():
            setting = db.session.get(ReminderSetting, alex.id)
            assert (setting.enabled, setting.email, setting.time) == (True, True, "07:15")
    finally:
        plain.close()


def test_on_an_iphone_outside_the_home_screen_the_card_explains_how(browser, app, live_server, alex):
    iphone = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        user_agent=(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
        ),
    )
    try:
        page = iphone.new_page()
        login(page, live_server.url)
        page.goto(f"{live_server.url}/")
        card = page.locator("[data-reminders]")
        expect(card.get_by_text("add to Home Screen", exact=False)).to_be_visible()
        expect(card.get_by_text("iOS 16.4 or later", exact=False)).to_be_visible()
        expect(card.get_by_role("link", name="your calendar link")).to_have_attribute("href", "/account/#calendar")
        page.screenshot(path="test-artifacts/reminders-iphone.png", full_page=True)
    finally:
        iphone.close()


def test_a_trainer_turns_alerts_on_and_a_clients_urgent_safety_answer_shows_at_once(
    app, live_server, context, page, alex
):
    """Casey turns alerts on in this browser from the account page; Alex then answers the safety check with numbness
    in the saddle area (emergency care): the notification shows on Casey's browser at once, says whose check it is
    and nothing of the answer, and opens Alex's page. Stopping alerts forgets this browser."""
    from webapp.sessions import screens

    with PushService() as service:
        laptop = service.browser("laptop")
        context.grant_permissions(["notifications"], origin=live_server.url)
        context.add_init_script(script=FAKE_PUSH_MANAGER % json.dumps(laptop.to_json()))
        login(page, live_server.url, "coach@example.com")
        page.goto(f"{live_server.url}/account/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        card = page.locator("[data-alerts]")
        expect(card.locator("[data-alerts-status]")).to_have_text("Alerts are off in this browser.")
        card.get_by_role("button", name="Show alerts in this browser").click()
        expect(card.locator("[data-alerts-status]")).to_have_text("This browser shows your alerts.")
        with app.app_context():
            [row] = db.session.execute(db.select(PushSubscription)).scalars().all()
            assert (row.user_id, row.endpoint) == (alex.trainer_id, laptop.endpoint)
            screens.record_screen(db.session.merge(alex), ["saddle"])
            run_due()
        [message] = service.messages(laptop)
        assert message == {
            "title": "Alex Morgan's safety check needs your attention",
            "body": "Open their page in CoreSteady to see their answer and what they were told to do.",
            "url": f"/trainer/clients/{alex.id}#safety",
            "tag": f"safety-{alex.id}",
        }
        assert deliver(context, page, live_server.url, message) == [message]
        # (Stopped before leaving the page: the stand-in PushManager forgets its subscription with the page.)
        card.get_by_role("button", name="Stop alerts in this browser").click()
        expect(card.locator("[data-alerts-status]")).to_have_text("Alerts are off in this browser.")
        with app.app_context():
            assert db.session.execute(db.select(PushSubscription)).scalars().all() == []

        # The tap on the notification shown before: Alex's page, at the safety checks.
        [worker] = context.service_workers
        worker.evaluate(
            """async () => {
              const [note] = await self.registration.getNotifications();
              self.dispatchEvent(new NotificationEvent("notificationclick", {notification: note}));
            }"""
        )
        page.wait_for_url(f"**/trainer/clients/{alex.id}#safety")
        expect(page.locator("#screens-title")).to_have_text("Safety checks")
    assert context.console_errors == []
