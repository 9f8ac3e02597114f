"""The demo trainer's morning in a real browser, on a laptop and on a phone: flags, a client, a note."""

from __future__ import annotations

import pytest

from webapp.demo import DEMO_PASSWORD, seed

from .conftest import login, screenshot

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
        page.fill("textarea[name=text]", "Let's ease off the knee to chest this week: skip it and tell me how it goes.")
        page.get_by_role("button", name="Send note").click()
        page.wait_for_selector(".flash--success")
        assert "Sam will see it" in page.locator(".flash--success").inner_text()
        assert "not seen yet" in page.locator(".comment-list").inner_text()
        screenshot(page, f"trainer-client-{size}")
        assert errors == []
    finally:
        context.close()
