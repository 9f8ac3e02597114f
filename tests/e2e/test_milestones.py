"""Today on a phone on a Monday: a milestone shown once, and last week in brief."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from webapp.extensions import db
from webapp.programs.services import assign, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import MilestoneShown
from webapp.sessions.sync import store_batch
from webapp.timeutil import local_date, utcnow

from ..clock import TEST_ZONE
from ..factories import make_user, session_payload
from .conftest import login, screenshot


@pytest.fixture
def monday(context):
    """Noon of the latest Monday in London (today, on a Monday), for the app and the pages, ticking on."""
    today = local_date(utcnow(), TEST_ZONE)
    day = today - timedelta(days=today.weekday())
    moment = datetime.combine(day, clock_time(12, 0), ZoneInfo(TEST_ZONE))
    with time_machine.travel(moment, tick=True):
        context.clock.install(time=moment)
        yield moment


@pytest.mark.online_only
def test_a_milestone_shows_once_beside_the_week_in_brief(app, live_server, context, monday):
    last_monday = monday - timedelta(days=7)
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        alex = db.session.merge(make_user("alex@example.com", name="Alex Morgan", trainer=coach))
        screens.record_screen(alex, [], last_monday - timedelta(hours=2))
        records.record_about(alex, 5, [], [], "")
        records.finish_onboarding(alex)
        program = starter_program("gentle-start")
        assign(alex, program, last_monday.date(), by=coach)
        routine = program.weeks[0].routines[0].id
        for day in (0, 2):  # Monday and Wednesday of last week; Friday was missed
            ended = (last_monday + timedelta(days=day, hours=-3)).astimezone(ZoneInfo("UTC"))
            [result] = store_batch(alex, [session_payload(routine, ended=ended, pain_before=5 - day)])
            assert result.status == "created", result
        alex_id = alex.id

    page = context.new_page()
    login(page, live_server.url)
    page.wait_for_url(live_server.url + "/")
    card = page.locator(".milestone")
    expect(card.get_by_role("heading")).to_have_text("Your first session is done")
    summary = page.locator(".weekly-summary")
    expect(summary).to_contain_text("2 of 3 planned sessions done.")
    expect(summary).to_contain_text("Pain before your sessions: 4 out of 10 on average.")
    expect(summary).to_contain_text("This week: 3 sessions planned, starting today with")
    # Once on screen, the page tells the server itself; "Got it" becomes "Seen" where it was (nothing below moves).
    expect(card.locator("form[data-seen] button")).to_have_text("Seen")
    expect(card.locator("form[data-seen] button")).to_be_disabled()
    expect(card).to_be_visible()
    screenshot(page, "today-milestone-phone")
    with app.app_context():
        keys = db.session.execute(db.select(MilestoneShown.key).filter_by(user_id=alex_id)).scalars().all()
        assert keys == ["first-session"]

    page.reload()
    expect(page.locator(".weekly-summary")).to_be_visible()  # all Monday long
    expect(page.locator(".milestone")).to_have_count(0)  # once
    assert context.console_errors == []
