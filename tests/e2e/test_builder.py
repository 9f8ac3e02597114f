"""A trainer builds a four-week program on a phone, reorders it by dragging and by buttons, and assigns it."""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from webapp.builder import clinic
from webapp.content.images import check_image
from webapp.extensions import db
from webapp.programs.models import Assignment, Program
from webapp.programs.services import starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.timeutil import WEEKDAYS

from ..factories import make_user
from .conftest import login, screenshot

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only


@pytest.fixture
def people(app):
    """Casey the trainer and Alex, Casey's client, who has finished onboarding and has no program yet."""
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        alex = make_user("alex@example.com", name="Alex Morgan", trainer=coach)
        client = db.session.merge(alex)
        screens.record_screen(client, [])
        records.record_about(client, 4, [("Putting on socks", 5)], ["mon", "wed", "fri"], "07:30")
        records.finish_onboarding(client)
        return {"coach": coach, "alex": alex}


def names_in(week):
    return [name.strip() for name in week.locator("[data-item]").evaluate_all("els => els.map(e => e.dataset.name)")]


def drag(page, handle, target):
    """Press on the handle, move over the target's upper part in small steps, let go: as a finger would."""
    # Both on screen at once: the target just below the sticky header.
    target.evaluate("el => { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -90); }")
    start = handle.bounding_box()
    end = target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 12, steps=12)
    page.mouse.up()


def test_a_trainer_builds_reorders_and_assigns_a_four_week_program_on_a_phone(
    live_server, page, context, app, people, midday
):
    today = WEEKDAYS[midday.weekday()]
    login(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/trainer/programs/")
    page.get_by_role("link", name="New blank program").click()
    page.fill("#name", "Steady back, four weeks")
    # The routine falls on today, so the client sees it on Today straight after.
    day = page.locator(f"#weeks-0-routines-0-day-{today}")
    if not day.is_checked():
        day.check()

    # Adding, removing and reordering happen in the page: a mark left on the window survives them all.
    page.evaluate("window.stillHere = true")
    picker = page.locator("dialog[data-picker]")
    # The search reads names and the exercise's steps and cues; the level and position filters narrow it.
    for words, level, position, exercise in (
        ("bird dog", "2", "", "Bird dog"),
        ("bridge", "2", "lying-back", "Glute bridge"),
        ("ceiling", "4", "", "Dead bug"),  # "point straight up at the ceiling", from its steps
        ("camel", "", "", "Cat-camel"),
    ):
        page.get_by_role("button", name="Add an exercise to Routine A, week 1").click()
        expect(picker).to_be_visible()
        picker.get_by_label("Level").select_option(level)
        picker.get_by_label("Position").select_option(position)
        picker.get_by_label("Search").fill(words)
        cards = picker.locator("li[data-exercise]:not([hidden])")
        expect(cards).to_have_count(1)
        expect(picker.locator("[data-result-count]")).to_contain_text("1 of ")
        if exercise == "Bird dog":
            screenshot(page, "builder-picker-phone", full_page=False)
        # A finger's tap: Chromium's phone emulation may drop a mouse click made straight after the dialog opens.
        cards.get_by_role("button").tap()
        # The preview: the moving drawing, large, and the dose the exercise starts at.
        expect(picker.get_by_role("heading", name=exercise)).to_be_visible()
        assert picker.locator("[data-picker-figure] img").evaluate("img => img.complete && img.naturalWidth > 0")
        if exercise == "Bird dog":
            screenshot(page, "builder-picker-preview-phone", full_page=False)
        picker.get_by_role("button", name="Add to Routine A, week 1").click()
        expect(picker).to_be_hidden()
        expect(page.locator("[data-announce]")).to_have_text(f"Added {exercise} to Routine A, week 1.")
    week1 = page.locator("#weeks-0")
    assert names_in(week1) == ["Bird dog", "Glute bridge", "Dead bug", "Cat-camel"]
    # The focus is on the new exercise's first dose field, filled with its own starting dose.
    assert page.evaluate("document.activeElement.id") == "weeks-0-routines-0-items-3-sets"
    page.get_by_role("button", name="Remove Cat-camel from Routine A").click()
    expect(page.locator("[data-announce]")).to_have_text("Removed Cat-camel from Routine A.")
    assert names_in(week1) == ["Bird dog", "Glute bridge", "Dead bug"]
    assert page.evaluate("window.stillHere") is True

    for copies in range(1, 4):
        page.get_by_role("button", name="Duplicate week 1").click()
        page.wait_for_selector("text=Week 1 copied as week 2.")
        assert page.locator("details.week").count() == copies + 1

    # Week 4 progresses: the glute bridge gets more repetitions.
    page.locator("#weeks-3-summary").click()
    page.fill("#weeks-3-routines-0-items-1-reps", "12")

    assert names_in(week1) == ["Bird dog", "Glute bridge", "Dead bug"]
    drag(
        page,
        week1.locator("#weeks-0-routines-0-items-2 [data-drag-handle]"),
        week1.locator("#weeks-0-routines-0-items-1"),
    )
    assert names_in(week1) == ["Bird dog", "Dead bug", "Glute bridge"]
    expect(page.locator("[data-announce]")).to_have_text("Moved Dead bug to position 2")
    page.get_by_role("button", name="Move Dead bug up").first.click()
    assert names_in(week1) == ["Dead bug", "Bird dog", "Glute bridge"]
    expect(page.locator("[data-announce]")).to_have_text("Moved Dead bug to position 1")
    # At the top its Up button is spent, so the focus moves to Down rather than being lost.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move Dead bug down"
    assert page.locator("[data-unsaved]").is_visible()
    screenshot(page, "builder-phone")

    page.get_by_role("button", name="Save program", exact=True).click()
    page.wait_for_selector("text=Saved Steady back, four weeks.")
    with app.app_context():
        program = db.session.execute(db.select(Program).where(Program.name == "Steady back, four weeks")).scalar_one()
        assert len(program.weeks) == 4
        assert [i.exercise.slug for i in program.weeks[0].routines[0].items] == ["dead-bug", "bird-dog", "glute-bridge"]
        assert [i.exercise.slug for i in program.weeks[3].routines[0].items] == ["bird-dog", "glute-bridge", "dead-bug"]
        assert program.weeks[3].routines[0].items[1].reps == 12
        assert program.weeks[0].routines[0].items[1].reps != 12
        program_id = program.id

    page.goto(f"{live_server.url}/trainer/programs/{program_id}/assign")
    page.get_by_label("Alex Morgan").check()
    page.get_by_role("button", name="Assign program").click()
    page.wait_for_selector("text=assigned to Alex Morgan")
    with app.app_context():
        assignment = db.session.execute(db.select(Assignment)).scalar_one()
        assert assignment.program_id == program_id and assignment.client_id == people["alex"].id

    context.clear_cookies()
    login(page, live_server.url, "alex@example.com")
    page.goto(f"{live_server.url}/")
    card = page.locator(".today-card")
    assert "Routine A" in card.inner_text()
    assert [t.strip() for t in card.locator(".routine-preview li a").all_inner_texts()] == [
        "Dead bug",
        "Bird dog",
        "Glute bridge",
    ]
    screenshot(page, "builder-client-today")
    assert context.console_errors == []


def test_the_picker_on_a_wide_screen_previews_and_adds_without_a_reload(live_server, browser, app, people):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        login(page, live_server.url, "coach@example.com")
        page.goto(f"{live_server.url}/trainer/programs/new")
        page.evaluate("window.stillHere = true")
        page.get_by_role("button", name="Add an exercise to Routine A, week 1").click()
        picker = page.locator("dialog[data-picker]")
        picker.get_by_label("Position").select_option("lying-side")
        expect(picker.locator("[data-result-count]")).to_contain_text("5 of ")
        # The drawings of the exercises shown (lazy, so only those) have loaded: each card has its picture.
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-exercise]:not([hidden]) img')]"
            ".every(i => i.complete && i.naturalWidth)"
        )
        screenshot(page, "builder-picker-wide", full_page=False)
        picker.get_by_role("button", name="Clamshell").click()
        expect(picker.get_by_role("heading", name="Clamshell")).to_be_visible()
        screenshot(page, "builder-picker-preview-wide", full_page=False)
        picker.get_by_role("button", name="Add to Routine A, week 1").click()
        expect(page.locator("#weeks-0 [data-item]")).to_have_count(1)
        assert page.evaluate("window.stillHere") is True
        screenshot(page, "builder-wide")
    finally:
        context.close()


def test_without_script_the_builder_still_adds_removes_and_saves_by_posting(live_server, browser, app, people):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, live_server.url, "coach@example.com")
        page.goto(f"{live_server.url}/trainer/programs/new")
        page.fill("#name", "Posted program")
        # No picker without script: the box, offering the page's one list of exercises, and its Add button do the job.
        expect(page.get_by_role("button", name="Add an exercise to Routine A, week 1")).to_be_hidden()
        for exercise in ("Cat-camel", "Clamshell"):
            page.get_by_role("combobox", name="Add an exercise to Routine A, week 1").fill(exercise)
            page.get_by_role("button", name="Add to Routine A, week 1").click()
            expect(page.get_by_text(f"Added {exercise} to Routine A, week 1.")).to_be_visible()
        page.get_by_role("button", name="Remove Cat-camel from Routine A").click()
        expect(page.get_by_text("Removed Cat-camel from Routine A.")).to_be_visible()
        page.get_by_role("button", name="Save program", exact=True).click()
        expect(page.get_by_text("Saved Posted program.")).to_be_visible()
        with app.app_context():
            program = db.session.execute(db.select(Program).where(Program.name == "Posted program")).scalar_one()
            assert [i.exercise.slug for i in program.weeks[0].routines[0].items] == ["clamshell"]
    finally:
        context.close()


def test_the_printout_fills_its_a4_pages_with_the_plan_the_steps_and_the_clinics_name(
    live_server, browser, app, people
):
    with app.app_context():
        coach = db.session.merge(people["coach"])
        logo = check_image(
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40"><rect width="40" height="40" rx="8" '
            b'fill="#0f5f5c"/><rect x="48" y="12" width="70" height="16" rx="4" fill="#0f5f5c"/></svg>'
        )
        clinic.save(coach, clinic.ClinicChange("Northside Physio", logo))
        program = starter_program("gentle-start")
        program_id, weeks = program.id, len(program.weeks)
    # A4's printable width at 12 mm margins, 186 mm, in CSS pixels: the page lays out as it will print.
    context = browser.new_context(viewport={"width": 703, "height": 1032})
    try:
        page = context.new_page()
        login(page, live_server.url, "coach@example.com")
        page.goto(f"{live_server.url}/trainer/programs/{program_id}/print?client_id={people['alex'].id}")
        page.emulate_media(media="print")
        expect(page.locator(".printout__clinic")).to_have_text("Northside Physio")
        assert page.locator(".printout__logo").evaluate("img => img.complete && img.naturalWidth > 0")
        expect(page.get_by_role("heading", name="Alex Morgan’s program: Gentle start")).to_be_visible()
        expect(page.locator(".print-week")).to_have_count(weeks)
        assert page.locator(".print-exercise__steps li").count() > 10
        expect(page.locator(".print-tools")).to_be_hidden()
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        screenshot(page, "builder-printout")
        # The pages are filled: as many A4 pages as the printout's height needs, no page left mostly blank.
        height = page.locator(".printout").evaluate("el => el.getBoundingClientRect().bottom")
        pdf = page.pdf(format="A4", margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"})
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages <= math.ceil(height / 1032) + 1, (pages, height)
        assert height / (pages * 1032) > 0.6, (pages, height)
        # The settings page shows the clinic as it prints, with the form to change it.
        page.emulate_media(media="screen")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/account/")
        expect(page.get_by_label("Clinic name")).to_have_value("Northside Physio")
        screenshot(page, "builder-clinic-settings")
    finally:
        context.close()
