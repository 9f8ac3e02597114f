"""A new client's first minutes at phone size, with and without script: the safety check, About you a
part at a time (Back keeps the answers), then the program that fits offered first, its reason and its
Start button on the first screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.programs.models import Profile

from ..factories import make_user
from .conftest import PHONE, TEST_ZONE, login, screenshot

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_onboarding_asks_a_part_at_a_time_and_offers_the_program_that_fits(live_server, browser, app, script):
    with app.app_context():
        make_user("new@example.com", name="Nina New")
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE, java_script_enabled=script
    )
    try:
        page = context.new_page()
        login(page, live_server.url, "new@example.com")
        expect(page).to_have_url(f"{live_server.url}/welcome/safety")
        page.get_by_role("button", name="Continue").click()

        def part(number: int, title: str):
            expect(page.get_by_text(f"Part {number} of 4")).to_be_visible()
            expect(page.get_by_role("heading", level=1)).to_have_text(title)
            screenshot(page, f"onboarding-{'script' if script else 'no-script'}-part-{number}", full_page=False)

        part(1, "Your back today")
        expect(page.get_by_role("button", name="Back")).to_have_count(0)
        page.locator("label.scale__option", has_text="5").first.click()
        page.get_by_label("More than 3 months").check()
        page.get_by_role("button", name="Continue").click()

        part(2, "Getting about")
        page.get_by_label("Yes, but it is hard").check()
        page.get_by_role("button", name="Continue").click()

        part(3, "What your back makes hard")
        page.get_by_label("Activity 1").fill("Putting on socks")
        page.get_by_label("How well, 0–10").first.select_option("4")
        # Back, and forward again: every answer is still there.
        page.get_by_role("button", name="Back").click()
        part(2, "Getting about")
        expect(page.get_by_label("Yes, but it is hard")).to_be_checked()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_label("Activity 1")).to_have_value("Putting on socks")
        page.get_by_role("button", name="Continue").click()

        part(4, "Your week")
        page.get_by_role("checkbox", name="Tuesday", exact=True).locator("xpath=..").click()
        page.get_by_role("checkbox", name="Friday", exact=True).locator("xpath=..").click()
        page.get_by_role("button", name="Continue").click()

        # Getting down to the floor is hard: the standing program comes first, with why, and Start shows
        # without scrolling.
        expect(page).to_have_url(f"{live_server.url}/welcome/program")
        first = page.locator(".program-pick").first
        expect(first).to_contain_text("Recommended for you")
        expect(first).to_contain_text("getting down to the floor is hard")
        expect(page.get_by_role("button", name="Start the program chosen").first).to_be_in_viewport()
        screenshot(page, f"onboarding-{'script' if script else 'no-script'}-program", full_page=False)
        with app.app_context():
            profile = db.session.execute(db.select(Profile)).scalar_one()
            assert (profile.pain_since, profile.floor, profile.preferred_days) == ("long", "hard", "tue,fri")
    finally:
        context.close()
