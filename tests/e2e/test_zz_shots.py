from pathlib import Path

from playwright.sync_api import expect

from .conftest import PHONE, login
from .test_offline import (  # noqa: F401
    deployable, enqueue, pill, plan_routine, ready, session_payload, wait_for_outbox, wait_until_installed, put_raw_record,
)
from webapp.pwa import assets

OUT = Path("/tmp/offline-shots")
OUT.mkdir(exist_ok=True)


def shot(page, name, full=False):
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=full)


def test_shots(live_server, browser, context, page, app, ready, deployable):
    login(page, live_server.url)
    wait_until_installed(page)
    page.locator("details.menu summary").click()
    shot(page, "01-menu-ready-for-offline")
    page.locator("details.menu summary").click()
    routine = plan_routine(page)
    context.set_offline(True)
    payload = session_payload(routine, user_id=ready)
    enqueue(page, payload)
    page.goto(live_server.url + "/")
    expect(pill(page)).to_contain_text("waiting to sync")
    shot(page, "02-pill-offline-waiting")
    page.goto(live_server.url + "/exercises/bird-dog")
    shot(page, "03-exercise-offline")
    page.goto(live_server.url + "/auth/signup")
    shot(page, "04-offline-fallback-page")
    page.goto(live_server.url + "/")
    context.clear_cookies()
    context.set_offline(False)
    expect(pill(page)).to_have_text("Log in to sync 1 session")
    shot(page, "05-pill-log-in-to-sync")
    login(page, live_server.url)
    wait_for_outbox(page, "(items) => items.length === 0")
    put_raw_record(page, {"id": "damaged-1", "kind": "session", "user_id": ready, "payload": "{", "state": "pending",
                          "attempts": 0, "created_at": 1, "next_attempt_at": 0})
    enqueue(page, session_payload(999999, user_id=ready))
    page.goto(live_server.url + "/history/")
    expect(pill(page)).to_contain_text("could not be saved")
    page.locator("[data-pending-list]").scroll_into_view_if_needed()
    shot(page, "06-history-rejected-and-damaged")
    context.route("**/api/v1/sessions", lambda route: route.fulfill(status=503, json={}))
    enqueue(page, session_payload(routine, user_id=ready))
    page.goto(live_server.url + "/history/")
    page.locator("[data-pending-list] .pending__item--waiting").scroll_into_view_if_needed()
    shot(page, "07-history-waiting")

    page.goto(live_server.url + "/")
    with (deployable / "css" / "app.css").open("a") as css:
        css.write("\n/* deploy */\n")
    assets.forget_revisions()
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    expect(page.locator("[data-update-banner]")).to_be_visible()
    shot(page, "08-update-banner")

    # Chromium offers installation: the card with the Install button.
    fresh = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    p2 = fresh.new_page()
    p2.goto(live_server.url + "/")
    p2.wait_for_function("() => navigator.serviceWorker.controller !== null")
    p2.evaluate("""() => { const e = new Event('beforeinstallprompt'); e.prompt = async () => ({ outcome: 'accepted' }); window.dispatchEvent(e); }""")
    expect(p2.locator("[data-install-button]")).to_be_visible()
    shot(p2, "09-install-button")
    fresh.close()

    iphone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    )
    p3 = iphone.new_page()
    p3.goto(live_server.url + "/lessons/")
    expect(p3.locator("[data-install-ios]")).to_be_visible()
    shot(p3, "10-install-ios-steps")
    iphone.close()
