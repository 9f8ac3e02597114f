"""The red-flag screen in real Chromium at phone width: answers, result pages, and the player kept closed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import login, screenshot

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
