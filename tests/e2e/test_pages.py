"""The pages in a real phone-sized browser: they load under the strict CSP without a single error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login


@pytest.mark.online_only
def test_public_pages_load_without_errors_or_csp_violations(live_server, page, context):
    for path in (
        "/",
        "/lessons/",
        "/lessons/why-move",
        "/exercises/",
        "/exercises/bird-dog",
        "/muscles/",
        "/auth/login",
        "/auth/signup",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
    assert context.console_errors == []


@pytest.mark.online_only
def test_login_in_the_browser_and_quiz_marks_answers_at_once(live_server, page, context, alex):
    login(page, live_server.url)
    assert page.locator("h1").first.inner_text() != "Log in"
    page.goto(live_server.url + "/lessons/pain-traffic-light")
    first = page.locator(".question").first
    first.locator("input[type=radio]").first.check()
    assert first.locator(".feedback").is_visible()
    assert context.console_errors == []


def test_done_reading_marks_the_lesson_without_leaving_it_and_says_so_offline(live_server, page, context, alex):
    login(page, live_server.url)
    page.goto(live_server.url + "/lessons/the-core")
    button = page.get_by_role("button", name="Done reading")
    context.set_offline(True)
    button.click()
    expect(page.locator("[data-lesson-read-error]")).to_have_text(
        "You are offline. Tap Done reading again once you are back online."
    )
    context.set_offline(False)
    url = page.url
    button.click()
    expect(page.get_by_role("status").filter(has_text="Marked as read")).to_have_text(
        "✓ Marked as read. Today will suggest another lesson."
    )
    assert page.url == url
    page.goto(live_server.url + "/lessons/")
    expect(page.locator(".lesson-card", has_text="core").locator(".lesson-card__read")).to_have_count(1)
    # While offline the browser itself logs the loads that failed (the sync's attempts); nothing else is logged.
    assert [e for e in context.console_errors if not e.startswith("Failed to load resource")] == []


@pytest.mark.online_only
def test_signup_by_the_mailed_link_keeps_the_phones_time_zone(live_server, browser, app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, timezone_id="America/New_York")
    page = context.new_page()
    page.goto(live_server.url + "/auth/signup")
    page.fill("#name", "Pat Tester")
    page.fill("#email", "pat@example.com")
    page.click('button[type="submit"]')
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.locator(".sent-to")).to_have_text("pat@example.com")
    # No mail server in this app (development): the page shows the message's link, as `make run` does.
    page.get_by_role("link", name="Finish signing up").click()
    expect(page.get_by_text("your account for pat@example.com is made once you choose a password")).to_be_visible()
    page.fill("#password", "a-long-password-1")
    page.fill("#confirm", "a-long-password-1")
    page.click('button[type="submit"]')
    page.wait_for_url(live_server.url + "/welcome/safety")  # a new client starts with the safety check
    context.close()
    from webapp.auth.models import User
    from webapp.extensions import db

    with app.app_context():
        assert db.session.execute(db.select(User.timezone)).scalar_one() == "America/New_York"
