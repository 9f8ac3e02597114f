"""A person walks Gentle start through to Core foundations in the browser, the days moved on the server and in
the page together: small, explained steps on Today, a week that moves on after green sessions, and the next
program offered with its reason once the first is finished."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.programs.services import active_assignment, assign, profile_of, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.sync import store_batch
from webapp.timeutil import local_date, utcnow

from ..clock import TEST_ZONE
from ..factories import make_user, session_payload
from .conftest import login
from .test_player import rate, run_until_rating, screen

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only

ZONE = ZoneInfo(TEST_ZONE)


def at(day, hour=8):
    return datetime.combine(day, time(hour, 0), ZONE)


@pytest.fixture
def walk(app, context):
    """Sol, with no trainer, on Gentle start from the Monday three weeks before this one (Mon, Wed, Fri)."""
    today = local_date(utcnow(), TEST_ZONE)
    monday = today - timedelta(days=today.weekday() + 21)
    with time_machine.travel(at(monday, 7), tick=True) as traveller:
        with app.app_context():
            sol = db.session.merge(make_user("sol@example.com", name="Sol Rivera"))
            screens.record_screen(sol, [])
            records.record_about(sol, 3, [("Lifting the shopping", 6)], ["mon", "wed", "fri"], "07:30")
            records.finish_onboarding(sol)
            assign(sol, starter_program("gentle-start"), monday)
            sol_id = sol.id
        context.clock.install(time=at(monday, 7))

        def to(day, hour=8):
            """The next moment of the walk, on the server and in the page alike."""
            traveller.move_to(at(day, hour))
            context.clock.set_system_time(at(day, hour))

        yield monday, sol_id, to


def play_today(page, base_url, to, day):
    """Today's routine in the player, with the back at 2 before and after and an easy effort: green. The routine
    is played at 08:00 on the page's clock and rated at 09:00, when the server's clock is moved there too."""
    page.goto(base_url + "/")
    page.locator("[data-today] ~ * a[href*='/play'], a.button[href*='/play']").first.click()
    screen(page, "start").wait_for()
    page.check('input[name="pain_before"][value="2"]')
    page.get_by_role("button", name="Start").click()
    screen(page, "play").wait_for()
    run_until_rating(page)
    to(day, 9)
    rate(page, pain_after=2, effort=3)
    expect(page.locator("[data-verdict]")).to_have_attribute("data-light", "green")
    expect(page.locator("[data-saved-note]")).to_have_attribute("data-state", "synced")


def store_green(app, sol_id, day):
    """A green, easy session of that day's routine, synced as the phone sends it."""
    with app.app_context():
        from webapp.auth.models import User
        from webapp.sessions.schedule import plan_for

        sol = db.session.get(User, sol_id)
        routine = plan_for(active_assignment(sol), day).routine_on(day)
        end = at(day, 9)
        payload = session_payload(routine.id, ended=end, pain_before=2, pain_after=2, effort=3)
        [result] = store_batch(sol, [payload])
        assert result.status == "created", result


def test_gentle_start_to_core_foundations_in_small_explained_steps(live_server, app, page, walk):
    monday, sol_id, to = walk
    wednesday, friday = monday + timedelta(days=2), monday + timedelta(days=4)
    login(page, live_server.url, "sol@example.com")

    # Week 1: two sessions in the player, each green.
    to(monday)
    play_today(page, live_server.url, to, monday)
    to(wednesday)
    play_today(page, live_server.url, to, wednesday)

    # Friday: two green, easy sessions of the whole dose make a small step, each with its reason.
    to(friday)
    page.goto(live_server.url + "/")
    steps = page.locator("[data-today-part='suggestions']")
    expect(steps).to_contain_text("Small steps for next time")
    first = steps.locator(".step--up").first
    expect(first).to_contain_text("Your last two sessions with it were green and felt easy: a small step up.")
    what = first.locator(".step__what").inner_text()
    before, after = (int(n) for n in re.findall(r"(\d+) reps", what)[:2])
    assert 1 <= after - before <= 2, what  # one or two more repetitions, never a jump
    first.get_by_role("button", name="Take this step").click()
    expect(page.locator(".flash")).to_contain_text("your next session has the new dose")
    play_today(page, live_server.url, to, friday)

    # Week 2 follows a green week.
    to(monday + timedelta(days=7))
    page.goto(live_server.url + "/")
    expect(page.locator("[data-today-part='program']")).to_contain_text("Gentle start · week 2 of 2")
    for offset in (7, 9, 11):
        to(monday + timedelta(days=offset), 10)
        store_green(app, sol_id, monday + timedelta(days=offset))

    # Finished: the next program is offered first, with the reason, and one tap starts it.
    to(monday + timedelta(days=14))
    page.goto(live_server.url + "/")
    expect(page.locator("#today-title")).to_have_text("You finished Gentle start")
    page.get_by_role("link", name="Choose the next program").click()
    recommended = page.locator(".program-pick--recommended")
    expect(recommended).to_contain_text("Core foundations")
    expect(recommended).to_contain_text("You finished Gentle start and your back took it well")
    page.get_by_role("button", name="Start the program chosen").first.click()
    expect(page.locator("[data-today-part='program']")).to_contain_text("Core foundations · week 1 of 6")
    with app.app_context():
        from webapp.auth.models import User

        assert active_assignment(db.session.get(User, sol_id)).family == "core-foundations"
        assert profile_of(db.session.get(User, sol_id)).preferred_days == "mon,wed,fri"
