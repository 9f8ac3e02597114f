"""The demo trainer's morning in a real browser, on a laptop and on a phone: flags, a client, a note."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from webapp.auth.models import User
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db
from webapp.messages.services import Thread, write

from .conftest import login, screenshot

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo(app):
    with app.app_context():
        seed()


@pytest.mark.parametrize(("size", "viewport"), [("laptop", LAPTOP), ("phone", PHONE)])
def test_the_demo_trainer_reads_the_dashboard_opens_a_client_and_leaves_a_note(
    live_server, browser, demo, size, viewport
):
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE, has_touch=viewport is PHONE)
    errors = []
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, live_server.url, "coach@example.com", DEMO_PASSWORD)
        page.wait_for_url(live_server.url + "/trainer/")
        assert page.locator("h1").first.inner_text() == "Your clients"
        sam = page.locator(".client-row", has_text="Sam Patel")
        assert sam.locator(".flag--pain_up").inner_text().startswith("Pain up by")
        assert "painful" in sam.locator(".flag--painful").inner_text()
        assert page.locator(".client-row", has_text="Alex Morgan").is_visible()
        assert page.locator(".client-row", has_text="Jo Lindqvist").count() == 0  # Coach 2's client
        screenshot(page, f"trainer-dashboard-{size}")

        tabs = page.locator(".filter-tabs")
        tabs.get_by_role("link", name="Flagged").click()
        page.wait_for_url("**show=flagged**")
        assert page.locator(".client-row").count() == 1  # Sam: Alex has nothing to worry about
        tabs.get_by_role("link", name="All").click()
        page.wait_for_url("**show=all**")

        sam.get_by_role("link", name="Sam Patel").click()
        page.wait_for_url("**/trainer/clients/**")
        assert page.locator("h1").inner_text() == "Sam Patel"
        assert page.locator("#client-pain-chart").is_visible()
        assert page.locator(".calendar__grid").is_visible()
        page.fill("textarea[name=body]", "Let's ease off the knee to chest this week: skip it and tell me how it goes.")
        page.get_by_role("button", name="Send", exact=True).click()
        page.wait_for_selector(".flash--success")
        assert "Sam sees it" in page.locator(".flash--success").inner_text()
        assert "Sent, not read yet" in page.locator(".thread").inner_text()
        screenshot(page, f"trainer-client-{size}")
        assert errors == []
    finally:
        context.close()


def test_the_client_reads_the_note_once_and_the_page_says_so_itself(live_server, browser, app, demo):
    with app.app_context():
        coach = db.session.execute(db.select(User).filter_by(email="coach@example.com")).scalar_one()
        sam = db.session.execute(db.select(User).filter_by(email="sam@example.com")).scalar_one()
        write(Thread(sam, coach), "trainer", coach, "Ease off the knee to chest this week.")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    errors = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        login(page, live_server.url, "sam@example.com", DEMO_PASSWORD)  # a client lands on Today
        page.wait_for_url(live_server.url + "/")
        assert "Ease off the knee to chest" in page.locator(".trainer-note").inner_text()
        # The page tells the server it showed the note (no tap needed), and "Got it" reads "Seen" where it was.
        expect(page.locator("form[data-notes-seen] button")).to_have_text("Seen")
        page.reload()
        expect(page.locator(".trainer-note")).to_have_count(0)
        assert errors == []
    finally:
        context.close()
