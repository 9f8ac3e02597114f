"""The red-flag screen in real Chromium at phone width: answers, result pages, and the player kept closed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.sessions.models import RedFlagScreen

from ..clock import TEST_ZONE
from .conftest import PHONE, login, screenshot
from .test_offline import outbox, plan_routine, wait_for_outbox, wait_until_installed

ANSWERS = {
    "emergency": ["saddle"],
    "same-day": ["fever"],
    "pregnant": ["pregnant"],
    "soon": ["stiffness"],
}


def answer(page, base_url: str, signs: list[str]) -> None:
    page.goto(f"{base_url}/safety/")
    for key in signs:
        page.check(f'input[name="signs"][value="{key}"]')
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/safety/result/" in url or url.rstrip("/").endswith(base_url.split("//")[1]))


def fits_the_screen(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - screen.width")
    assert overflow <= 0, f"the page is {overflow}px wider than the phone"


@pytest.mark.online_only
@pytest.mark.parametrize("level", list(ANSWERS))
def test_each_result_page_reads_calmly_on_a_phone(live_server, page, alex, level):
    login(page, live_server.url)
    answer(page, live_server.url, ANSWERS[level])
    expect(page).to_have_url(f"{live_server.url}/safety/result/{level}")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    # The one thing to do is on the first screen, without scrolling.
    first_action = {
        "emergency": page.get_by_role("link", name="Call 112"),
        "same-day": page.get_by_text("Call your GP surgery"),
        "pregnant": page.get_by_text("Ask your midwife, doctor or physiotherapist"),
        "soon": page.get_by_text("carry on exercising gently"),
    }[level]
    expect(first_action).to_be_in_viewport()
    if level == "emergency":
        box = first_action.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300
        expect(first_action).to_have_attribute("href", "tel:112")
    expect(page.get_by_text("What you told us")).to_be_visible()
    fits_the_screen(page)
    screenshot(page, f"safety-{level}")
    assert page.context.console_errors == []


@pytest.mark.online_only
def test_the_screen_and_the_confirmation_step_fit_a_phone(live_server, page, alex):
    login(page, live_server.url)
    page.goto(f"{live_server.url}/safety/")
    fits_the_screen(page)
    screenshot(page, "safety-screen")
    answer(page, live_server.url, ["fever"])
    page.fill('input[name="assessed_on"]', "2001-01-01")
    page.get_by_role("button", name="I have been seen").click()
    expect(page.get_by_role("alert")).to_contain_text("before your answer")
    fits_the_screen(page)
    screenshot(page, "safety-confirm-error")


# ---- Offline: the phone's copy of the screen, the player locked or opened at once, each answer synced once ----


def stored_answers(app) -> list[tuple[str, str, bool]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(RedFlagScreen.uuid, RedFlagScreen.outcome, RedFlagScreen.assessed_on).order_by(RedFlagScreen.id)
        )
        return [(uuid, outcome, assessed_on is not None) for uuid, outcome, assessed_on in rows]


def go_offline_ready(context, page, base_url: str) -> int:
    """Logged in, the app installed with this client's offline package; then the phone loses its signal."""
    login(page, base_url)
    wait_until_installed(page)
    routine = plan_routine(page)
    context.set_offline(True)
    return routine


def test_an_emergency_answered_offline_locks_the_player_and_reaches_the_trainer(
    live_server, browser, context, page, app, alex, midday
):
    routine = go_offline_ready(context, page, live_server.url)
    before = stored_answers(app)

    answer(page, live_server.url, ["saddle"])
    expect(page).to_have_url(f"{live_server.url}/safety/result/emergency")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get medical help now")
    expect(page.locator("[data-safety-told]")).to_contain_text("numbness around the genitals or bottom")
    expect(page.get_by_role("link", name="Take the safety check again")).to_be_visible()
    [record] = outbox(page)
    assert record["kind"] == "safety" and record["payload"]["signs"] == ["saddle"]
    screenshot(page, "safety-emergency-offline")
    # The same answer again (the check taken twice): "What you told us" lists it once.
    answer(page, live_server.url, ["saddle"])
    expect(page.locator("[data-safety-told] li")).to_have_count(1)

    # The player kept on the phone opens the screen instead, and says why.
    page.goto(f"{live_server.url}/routines/{routine}/play")
    expect(page).to_have_url(f"{live_server.url}/safety/")
    expect(page.locator("[data-safety-status]")).to_contain_text("still waiting for a clinician's check")
    # The old bypass, offline: an empty answer keeps the player locked.
    answer(page, live_server.url, [])
    expect(page).to_have_url(f"{live_server.url}/safety/result/emergency")
    page.goto(f"{live_server.url}/routines/{routine}/play")
    expect(page).to_have_url(f"{live_server.url}/safety/")
    assert stored_answers(app) == before

    context.set_offline(False)
    wait_for_outbox(page, "(items) => items.length === 0", timeout=20000)
    assert [outcome for *_, outcome, _ in (a for a in stored_answers(app) if a not in before)] == [
        "emergency",
        "emergency",
        "clear",
    ]

    trainer = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE)
    try:
        desk = trainer.new_page()
        login(desk, live_server.url, "coach@example.com")
        desk.goto(f"{live_server.url}/trainer/")
        flag = desk.locator(f'[data-client="{alex.id}"] .flag--red_flag')
        expect(flag).to_contain_text("Red-flag answer")
        expect(flag).to_contain_text("waiting for a clinician's check")
    finally:
        trainer.close()
    assert context.console_errors == []


def test_a_clinicians_check_confirmed_offline_opens_the_player_and_the_server_agrees(
    live_server, context, page, app, alex, midday
):
    routine = go_offline_ready(context, page, live_server.url)
    before = stored_answers(app)
    answer(page, live_server.url, ["fever"])
    expect(page).to_have_url(f"{live_server.url}/safety/result/same-day")
    # A day before the answer is refused on the phone, as the server would refuse it.
    page.fill('input[name="assessed_on"]', "2001-01-01")
    page.get_by_role("button", name="I have been seen").click()
    expect(page.locator("[data-safety-confirm] [role=alert]")).to_contain_text("before your answer")
    page.fill('input[name="assessed_on"]', midday.date().isoformat())
    page.get_by_role("button", name="I have been seen").click()
    expect(page.get_by_text("You can exercise again")).to_be_visible()

    page.goto(f"{live_server.url}/routines/{routine}/play")
    expect(page.locator('[data-screen="start"]')).to_be_visible()
    assert len(outbox(page)) == 2

    context.set_offline(False)
    wait_for_outbox(page, "(items) => items.length === 0", timeout=20000)
    new = [a for a in stored_answers(app) if a not in before]
    assert [(outcome, confirmed) for _, outcome, confirmed in new] == [("same-day", False), ("same-day", True)]
    assert context.console_errors == []
