"""The installed app in real Chromium: offline pages, the outbox, and sync that arrives exactly once."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from webapp import assets
from webapp.auth.models import User
from webapp.extensions import db
from webapp.sessions import services as records
from webapp.sessions.models import CompletedSession
from webapp.sessions.sync import store_batch

from ..factories import DEFAULT_PASSWORD, first_routine_id, session_payload
from .conftest import ARGS, CHROMIUM, PHONE, login

STATIC = Path(__file__).resolve().parents[2] / "static"
OUTBOX = "/static/js/outbox.js"
SYNC = "/static/js/sync.js"
SESSIONS = "**/api/v1/sessions"


@pytest.fixture
def ready(app, alex) -> int:
    """Alex (whose id this is) has passed the safety screen and finished onboarding: every page of the plan opens."""
    with app.app_context():
        user = db.session.merge(alex)
        records.record_screen(user, [], False)
        records.finish_onboarding(user)
        return user.id


def server_rows(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(db.select(CompletedSession.uuid)).scalars())


def wait_until_installed(page) -> None:
    """The worker controls the page and this user's offline package is complete in Cache Storage."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => document.documentElement.dataset.offlineReady === 'true'", timeout=15000)


def plan_routine(page) -> int:
    plan = page.evaluate("fetch('/api/v1/plan').then((r) => r.json())")
    return plan["routines"][0]["id"]


def enqueue(page, payload: dict) -> None:
    """What the player does when a routine ends: the session goes into the outbox before "saved"."""
    page.evaluate(
        f"async (p) => (await import('{OUTBOX}')).enqueueSession(p, {{ label: 'Gentle start' }})",
        payload,
    )


def reopen(context, page, url: str):
    """The app closed and opened again at url, offline. The new page is open before the old one closes:
    the browser's offline emulation does not reach the service worker, which drains the outbox itself
    (as if online) when Background Sync fires with no page open; with a page open it asks the page."""
    again = context.new_page()
    again.goto(url)
    page.close()
    return again


def outbox(page) -> list[dict]:
    return page.evaluate(f"async () => (await import('{OUTBOX}')).listOutbox()")


def drain(page) -> None:
    page.evaluate(f"async () => {{ await (await import('{SYNC}')).drain({{ force: true }}); }}")


# wait_for_function does not await a promise, so the test mirrors the outbox into an attribute of
# <html> on every change and waits on that synchronously.
MIRROR = f"""async () => {{
  if (document.documentElement.dataset.testOutbox !== undefined) return;
  const {{ listOutbox }} = await import('{OUTBOX}');
  const copy = async () => {{ document.documentElement.dataset.testOutbox = JSON.stringify(await listOutbox()); }};
  window.addEventListener("outbox:changed", copy);
  await copy();
}}"""


def wait_for_outbox(page, predicate: str, timeout: float = 10000) -> None:
    """Waits until predicate(records) holds for the records in the outbox."""
    page.evaluate(MIRROR)
    page.wait_for_function(
        f"() => ({predicate})(JSON.parse(document.documentElement.dataset.testOutbox || 'null') || [null])",
        polling=50,
        timeout=timeout,
    )


def pill(page):
    return page.locator("[data-sync-status]")


def test_the_app_is_installable(live_server, browser, tmp_path):
    # Chromium never offers to install from an incognito profile, which is what new_context() makes.
    profile = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=ARGS, viewport=PHONE
    )
    try:
        page = profile.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(live_server.url + "/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        session = profile.new_cdp_session(page)
        assert session.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
        manifest = session.send("Page.getAppManifest")
        assert manifest["errors"] == []
        assert errors == []
    finally:
        profile.close()


def test_offline_journey_session_saved_offline_arrives_once(live_server, context, page, app, ready):
    login(page, live_server.url)
    wait_until_installed(page)
    routine = plan_routine(page)
    context.set_offline(True)

    played = page.goto(f"{live_server.url}/routines/{routine}/play")
    assert played.status == 200
    assert page.locator("h1").first.inner_text()
    # Never opened online: it comes from the offline package.
    exercise = page.goto(f"{live_server.url}/exercises/dead-bug")
    assert exercise.status == 200
    assert "Dead bug" in page.locator("h1").first.inner_text()
    assert page.evaluate("document.querySelector('.exercise-figure img, main img')?.naturalWidth > 0")

    payload = session_payload(routine, user_id=ready)
    enqueue(page, payload)
    again = reopen(context, page, live_server.url + "/")
    expect(pill(again)).to_contain_text("1 session waiting to sync")
    assert server_rows(app) == []

    context.set_offline(False)
    drain(again)
    wait_for_outbox(again, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]
    expect(pill(again)).to_be_hidden()
    assert context.console_errors == []


def test_offline_journey_through_the_real_player(live_server, context, page, app, ready):
    from .test_player import rate, run_until_rating, start

    # An hour back, so a routine run forward on the page's clock never ends in the future.
    page.clock.install(time=datetime.now() - timedelta(hours=1))
    login(page, live_server.url)
    wait_until_installed(page)
    routine = plan_routine(page)
    context.set_offline(True)
    page.goto(f"{live_server.url}/routines/{routine}/play")
    page.locator('[data-screen="start"]:not([hidden])').wait_for()
    start(page, pain_before=3)
    run_until_rating(page)
    rate(page, pain_after=2, effort=5)
    [saved] = outbox(page)
    again = reopen(context, page, live_server.url + "/history/")
    expect(pill(again)).to_contain_text("1 session waiting to sync")
    expect(again.locator("[data-pending-list] .pending__item")).to_contain_text("Waiting to sync")
    context.set_offline(False)
    wait_for_outbox(again, "(items) => items.length === 0")
    assert server_rows(app) == [saved["id"]]


def today_part(page, name: str):
    return page.locator(f'[data-today-part="{name}"]')


def just_done(routine: int, user_id: int) -> dict:
    """A session that ended a minute ago: today on the phone and on the server, whatever the hour."""
    end = datetime.now(UTC) - timedelta(minutes=1)
    return session_payload(
        routine, user_id=user_id, started_at=(end - timedelta(minutes=15)).isoformat(), completed_at=end.isoformat()
    )


def test_offline_today_counts_a_session_saved_on_the_phone(live_server, context, page, app, ready):
    login(page, live_server.url)
    wait_until_installed(page)
    routine = plan_routine(page)
    expect(today_part(page, "card")).not_to_contain_text("Done for today")
    week = today_part(page, "week-stat").locator(".stat__value")
    before = week.inner_text()
    assert before.startswith("0 of "), before
    after = before.replace("0 of ", "1 of ", 1)
    # A planned day's session adds one to the run; one done on a rest day does not.
    streak = "1" if page.get_attribute("[data-today]", "data-card-state") == "routine" else "0"

    context.set_offline(True)
    payload = just_done(routine, ready)
    enqueue(page, payload)  # what the player does at the end of the routine
    again = reopen(
        context, page, live_server.url + "/"
    )  # the copy of Today kept by the worker, made before the session
    card = today_part(again, "card")
    expect(card.locator("h2")).to_have_text("✓ Done for today")
    expect(card).to_contain_text("Saved on this phone. It will sync to your account when you are online.")
    expect(card.get_by_role("link", name="Start")).to_have_count(0)
    expect(today_part(again, "week-stat").locator(".stat__value")).to_have_text(after)
    expect(today_part(again, "streak").locator(".stat__value")).to_have_text(streak)
    expect(today_part(again, "note")).to_be_hidden()
    assert server_rows(app) == []

    context.set_offline(False)
    drain(again)
    wait_for_outbox(again, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]
    again.reload()  # now the server's own page
    expect(card.locator("h2")).to_have_text("✓ Done for today")
    expect(card).not_to_contain_text("Saved on this phone")
    expect(today_part(again, "week-stat").locator(".stat__value")).to_have_text(after)
    expect(today_part(again, "streak").locator(".stat__value")).to_have_text(streak)
    assert server_rows(app) == [payload["id"]]
    assert context.console_errors == []


def long_date(day: date) -> str:
    return day.strftime("%A %d %B")


def test_offline_today_opened_on_a_later_day_shows_that_days_plan(live_server, context, page, app, ready):
    with app.app_context():
        # Done yesterday: the page saved today asks how the back feels this morning.
        end = datetime.now(UTC) - timedelta(days=1)
        yesterday = session_payload(
            first_routine_id(), started_at=(end - timedelta(minutes=15)).isoformat(), completed_at=end.isoformat()
        )
        [stored] = store_batch(db.session.get(User, ready), [yesterday])
        assert stored.status == "created", stored
    login(page, live_server.url)
    wait_until_installed(page)
    expect(today_part(page, "check-in")).to_be_visible()
    saved_on = date.fromisoformat(page.get_attribute("[data-today]", "data-today-date"))
    plan = page.evaluate("fetch('/api/v1/plan').then((r) => r.json())")
    names = {routine["id"]: routine["name"] for routine in plan["routines"]}
    planned = {date.fromisoformat(entry["date"]): entry["routine_id"] for entry in plan["schedule"]}
    end = date.fromisoformat(plan["program"]["end_date"])
    training_day = min(day for day in planned if day > saved_on)
    rest_day = next(
        day
        for day in (saved_on + timedelta(days=n) for n in range(1, 14))
        if day not in planned and any(later > day for later in planned) and day <= end
    )
    context.set_offline(True)
    london = ZoneInfo("Europe/London")

    # Opened offline on a training day: the copy on the phone still says the day it was saved.
    page.clock.install(time=datetime.combine(training_day, time(10, 0), london))
    page.reload()
    expect(today_part(page, "date")).to_have_text(long_date(training_day))
    card = today_part(page, "card")
    routine = planned[training_day]
    expect(card.locator("h2")).to_have_text(names[routine])
    expect(card.get_by_role("link", name="Start")).to_have_attribute("href", f"/routines/{routine}/play")
    expect(today_part(page, "check-in")).to_be_hidden()
    expect(today_part(page, "note")).to_have_text("Offline · showing your plan from this phone")

    # A rest day names the next session from the plan.
    page.clock.set_system_time(datetime.combine(rest_day, time(10, 0), london))
    page.reload()
    expect(today_part(page, "date")).to_have_text(long_date(rest_day))
    next_day = min(day for day in planned if day > rest_day)
    expect(card.locator("h2")).to_have_text("Rest day")
    expect(card).to_contain_text(f"Next: {names[planned[next_day]]} on {next_day.strftime('%A')}.")
    monday = rest_day - timedelta(days=rest_day.weekday())
    in_week = [day for day in planned if monday <= day <= monday + timedelta(days=6)]
    done = 1 if monday <= saved_on - timedelta(days=1) else 0
    expect(today_part(page, "week-stat").locator(".stat__value")).to_have_text(
        f"{min(done, len(in_week)) if in_week else done} of {len(in_week)}"
    )
    expect(today_part(page, "check-in")).to_be_hidden()
    assert context.console_errors == []

    # No plan on the phone: it says so, rather than showing the day the page was saved.
    page.evaluate(
        """async () => {
          for (const name of await caches.keys()) await (await caches.open(name)).delete("/api/v1/plan");
        }"""
    )
    page.reload()
    expect(card.locator("h2")).to_have_text("Today's plan is not on this phone")
    expect(card.get_by_role("link")).to_have_count(0)
    expect(today_part(page, "note")).to_have_text("Offline · your plan could not be read on this phone")
    # Only the browser's own line about the plan it could not fetch.
    assert set(context.console_errors) == {"Failed to load resource: net::ERR_FAILED"}


def test_the_same_session_replayed_is_stored_once(live_server, page, app, ready):
    login(page, live_server.url)
    payload = session_payload(plan_routine(page), user_id=ready)
    answers = page.evaluate(
        """async (session) => {
          const token = document.querySelector('meta[name="csrf-token"]').content;
          const send = () => fetch("/api/v1/sessions", {
            method: "POST",
            headers: { "Content-Type": "application/json", "X-CSRFToken": token },
            body: JSON.stringify({ sessions: [session] }),
          }).then((r) => r.json());
          return Promise.all([send(), send(), send(), send(), send()]);
        }""",
        payload,
    )
    assert sorted(a["results"][0]["status"] for a in answers) == ["created"] + ["duplicate"] * 4
    page.reload()
    # The phone never heard the answers and sends it again from its outbox: acknowledged, then removed.
    enqueue(page, payload)
    drain(page)
    wait_for_outbox(page, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]


def test_an_expired_login_pauses_the_queue_until_the_user_logs_in(live_server, context, page, app, ready):
    login(page, live_server.url)
    wait_until_installed(page)
    context.set_offline(True)
    payload = session_payload(plan_routine_offline(page, app), user_id=ready)
    enqueue(page, payload)
    expect(pill(page)).to_contain_text("Offline · 1 session waiting to sync")

    context.clear_cookies()  # the login expired while the phone was offline
    context.set_offline(False)  # "online" drains at once, and the server says 401
    expect(pill(page)).to_have_text("Log in to sync 1 session")
    [kept] = outbox(page)
    assert kept["id"] == payload["id"] and kept["state"] == "pending" and kept["attempts"] == 0
    assert server_rows(app) == []

    pill(page).get_by_role("link").click()
    page.wait_for_url("**/auth/login")
    page.fill('input[name="email"]', "alex@example.com")
    page.fill('input[name="password"]', DEFAULT_PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(live_server.url + "/")
    wait_for_outbox(page, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]


def plan_routine_offline(page, app) -> int:
    """The first routine of Alex's plan, read from the database (the page cannot ask while offline)."""
    with app.app_context():
        return first_routine_id()


def wait_for_attempts(page, attempts: int) -> dict:
    wait_for_outbox(page, f"(items) => items.length === 1 && items[0].attempts === {attempts}")
    return outbox(page)[0]


def test_server_errors_are_retried_with_backoff_until_the_session_arrives(live_server, context, page, app, ready):
    failures = {"left": 3}

    def flaky(route):
        if route.request.method == "POST" and failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=500, json={"error": "server_error", "message": "Something went wrong on our side"})
        else:
            route.continue_()

    context.route(SESSIONS, flaky)
    page.clock.install()
    login(page, live_server.url)
    payload = session_payload(plan_routine(page), user_id=ready)
    enqueue(page, payload)  # the save itself triggers the first try
    for attempt in (1, 2, 3):
        record = wait_for_attempts(page, attempt)
        ceiling = 2000 * 2 ** (attempt - 1)
        wait = record["next_attempt_at"] - page.evaluate("Date.now()")
        assert 0 < wait <= ceiling, f"attempt {attempt} waits {wait} ms, more than the {ceiling} ms ceiling"
        expect(pill(page)).to_have_text("1 session waiting to sync")
        page.clock.fast_forward(ceiling + 100)
    wait_for_outbox(page, "(items) => items.length === 0")
    assert failures["left"] == 0
    assert server_rows(app) == [payload["id"]]


def test_an_unreachable_server_is_retried_until_it_is_back(live_server, page, app, ready):
    page.clock.install()
    login(page, live_server.url)
    payload = session_payload(plan_routine(page), user_id=ready)
    live_server.stop()
    enqueue(page, payload)
    wait_for_attempts(page, 1)
    page.clock.fast_forward(2100)
    wait_for_attempts(page, 2)
    live_server.start()
    page.clock.fast_forward(4100)
    wait_for_outbox(page, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]


def queue_one_while_the_server_refuses(context, page, base_url: str, user_id: int) -> dict:
    """Logged in and installed, with one session kept in the outbox by a server answering 503."""
    context.route(SESSIONS, lambda route: route.fulfill(status=503, json={"error": "unavailable"}))
    login(page, base_url)
    # Also makes sure nothing of this login is still downloading when a test changes the session.
    wait_until_installed(page)
    payload = session_payload(plan_routine(page), user_id=user_id)
    enqueue(page, payload)
    wait_for_attempts(page, 1)
    return payload


@pytest.fixture
def deployable(app, tmp_path):
    """The app serving a copy of static/, so a test can deploy a changed file."""
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    app.static_folder = str(copy)
    assets.forget_revisions()
    yield copy
    assets.forget_revisions()


def shell_cache(page) -> list[str]:
    return page.evaluate("caches.open('coresteady-shell').then((c) => c.keys()).then((k) => k.map((r) => r.url))")


def test_a_new_deploy_is_offered_after_the_routine_and_the_queue_survives(
    live_server, context, page, app, ready, deployable
):
    payload = queue_one_while_the_server_refuses(context, page, live_server.url, ready)
    old_css = next(url for url in shell_cache(page) if "/css/app.css" in url)

    page.evaluate("document.body.dataset.playing = 'true'")  # a routine is running
    with (deployable / "css" / "app.css").open("a") as css:
        css.write("\n.deployed-later { color: inherit; }\n")
    assets.forget_revisions()
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    page.wait_for_function("() => navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)")
    banner = page.locator("[data-update-banner]")
    expect(banner).to_be_hidden()

    page.evaluate("delete document.body.dataset.playing")  # the routine ended
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("New version available")
    with page.expect_navigation():
        banner.get_by_role("button", name="Reload").click()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_function("() => navigator.serviceWorker.getRegistration().then((r) => r.waiting === null)")
    css = [url for url in shell_cache(page) if "/css/app.css" in url]
    assert len(css) == 1 and css[0] != old_css, "the new revision replaced the old one"
    [kept] = outbox(page)
    assert kept["id"] == payload["id"] and kept["payload"] == payload

    context.unroute(SESSIONS)
    drain(page)
    wait_for_outbox(page, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]


def put_raw_record(page, record: dict) -> None:
    page.evaluate(
        f"""async (record) => {{
          const db = await (await import('{OUTBOX}')).openDatabase();
          await new Promise((resolve, reject) => {{
            const transaction = db.transaction("outbox", "readwrite");
            transaction.objectStore("outbox").put(record);
            transaction.oncomplete = resolve;
            transaction.onerror = () => reject(transaction.error);
          }});
        }}""",
        record,
    )


def test_damaged_refused_and_foreign_records_never_block_a_good_one(live_server, page, app, ready):
    login(page, live_server.url)
    routine = plan_routine(page)
    put_raw_record(
        page,
        {
            "id": "damaged-1",
            "kind": "session",
            "user_id": ready,
            "payload": '{"id": "cut sh',
            "state": "pending",
            "attempts": 0,
            "created_at": 1,
            "next_attempt_at": 0,
        },
    )
    refused = session_payload(999999, user_id=ready)
    foreign = session_payload(routine, user_id=ready + 1000)
    good = session_payload(routine, user_id=ready)
    for payload in (refused, foreign):
        enqueue(page, payload)
    enqueue(page, good)
    drain(page)
    wait_for_outbox(page, "(items) => items.length === 3 && !items.some((i) => i.state === 'pending' && i.attempts)")
    assert server_rows(app) == [good["id"]]
    states = {r["id"]: (r["state"], r["reason"]) for r in outbox(page)}
    assert states["damaged-1"][0] == "corrupt"
    assert states[refused["id"]][0] == "rejected" and "routine_id" in states[refused["id"]][1]
    assert states[foreign["id"]] == ("pending", None), "another account's session is never sent"

    page.goto(live_server.url + "/history/")
    expect(pill(page)).to_have_text("2 sessions could not be saved — see history")
    pending = page.locator("[data-pending-list]")
    expect(pending.locator(".pending__item")).to_have_count(3)
    expect(pending.locator(".pending__item--corrupt")).to_contain_text("Damaged record")
    expect(pending.locator(".pending__item--rejected")).to_contain_text("is not a routine of your program")
    expect(pending.locator(".pending__item--waiting")).to_contain_text("Waiting for")

    damaged = pending.locator(".pending__item--corrupt")
    damaged.get_by_role("button", name="Delete").click()
    damaged.get_by_role("button", name="Delete for good").click()
    expect(pending.locator(".pending__item")).to_have_count(2)
    expect(pill(page)).to_have_text("1 session could not be saved — see history")
    assert {r["id"] for r in outbox(page)} == {refused["id"], foreign["id"]}


def test_a_token_changed_by_a_login_in_another_tab_is_read_afresh(live_server, context, page, app, ready):
    payload = queue_one_while_the_server_refuses(context, page, live_server.url, ready)
    old_token = page.get_attribute('meta[name="csrf-token"]', "content")

    # The login expired and the user logged in again in another tab: a new session, a new token.
    context.clear_cookies()
    other = context.new_page()
    login(other, live_server.url)
    new_token = other.get_attribute('meta[name="csrf-token"]', "content")
    other.close()
    assert new_token != old_token

    refused = []
    context.on("response", lambda r: "/api/v1/sessions" in r.url and r.status == 400 and refused.append(r.url))
    context.unroute(SESSIONS)
    drain(page)
    wait_for_outbox(page, "(items) => items.length === 0")
    assert server_rows(app) == [payload["id"]]
    assert refused, "the first try used the old token"
    # Signed tokens carry a timestamp, so the fresh one is not byte-equal to the other tab's.
    assert page.get_attribute('meta[name="csrf-token"]', "content") != old_token


def test_background_sync_with_no_page_open_drains_from_the_worker(live_server, context, page, app, ready):
    payload = queue_one_while_the_server_refuses(context, page, live_server.url, ready)
    context.unroute(SESSIONS)

    blank = context.new_page()  # the browser stays open on a page that is not the app's
    cdp = context.new_cdp_session(blank)
    registrations = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    # Closed, not navigated away: a page kept in the back-forward cache would still count as open.
    page.close()
    [registration] = [r for r in registrations if r["scopeURL"] == live_server.url + "/" and not r["isDeleted"]][:1]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": live_server.url,
            "registrationId": registration["registrationId"],
            "tag": "outbox",
            "lastChance": False,
        },
    )
    # The browser may also fire its own pending sync first: either way only the worker can send it.
    deadline = monotonic() + 30
    while server_rows(app) != [payload["id"]] and monotonic() < deadline:
        blank.wait_for_timeout(100)
    assert server_rows(app) == [payload["id"]]
    blank.goto(live_server.url + "/history/")
    wait_for_outbox(blank, "(items) => items.length === 0")


def test_logging_out_takes_the_pages_off_the_phone_but_keeps_the_queue(live_server, context, page, ready):
    queue_one_while_the_server_refuses(context, page, live_server.url, ready)

    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/auth/login")
    expect(pill(page)).to_have_text("Log in to sync 1 session")
    assert len(outbox(page)) == 1
    # The worker drops the package when it gets the page's message; wait for that, within a bound.
    packages_left = page.evaluate(
        """async () => {
          for (let tries = 0; tries < 100; tries += 1) {
            const left = (await caches.keys()).filter((name) => name.startsWith("coresteady-offline-"));
            if (!left.length) return left;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          return (await caches.keys()).filter((name) => name.startsWith("coresteady-offline-"));
        }"""
    )
    assert packages_left == []


def test_upgrading_the_outbox_database_keeps_what_was_queued(live_server, page, app, ready):
    # A phone still holding the first version of the database (outbox only), written before this release.
    page.goto(live_server.url + "/manifest.webmanifest")
    page.evaluate(
        """(record) => new Promise((resolve, reject) => {
          const request = indexedDB.open("coresteady", 1);
          request.onupgradeneeded = () => request.result.createObjectStore("outbox", { keyPath: "id" });
          request.onsuccess = () => {
            const db = request.result;
            const transaction = db.transaction("outbox", "readwrite");
            transaction.objectStore("outbox").put(record);
            transaction.oncomplete = () => { db.close(); resolve(); };
            transaction.onerror = () => reject(transaction.error);
          };
          request.onerror = () => reject(request.error);
        })""",
        {
            "id": "from-version-1",
            "kind": "session",
            "user_id": ready,
            "payload": {"id": "from-version-1"},
            "state": "rejected",
            "reason": "kept for the test",
            "attempts": 0,
            "created_at": 1,
            "next_attempt_at": 0,
        },
    )
    login(page, live_server.url)
    [kept] = outbox(page)
    assert kept["id"] == "from-version-1" and kept["reason"] == "kept for the test"
    stores = page.evaluate(f"async () => [...(await (await import('{OUTBOX}')).openDatabase()).objectStoreNames]")
    assert stores == ["meta", "outbox"]
