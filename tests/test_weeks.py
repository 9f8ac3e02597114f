"""Weeks that follow the outcomes: the program moves on after a week done with the last two sessions green,
and a red week repeats, with the reason in words; Today, the plan API, history and the dashboard agree."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.programs.services import active_assignment
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.rules import Outcome
from webapp.sessions.schedule import plan_for
from webapp.sessions.sync import store_batch
from webapp.sessions.weeks import week_runs
from webapp.trainer import dashboard

from .factories import make_plan, session_payload

MONDAY = date(2026, 3, 2)
GREEN, AMBER, RED = (3, 2), (1, 4), (2, 8)


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def runs(sessions: dict[int, tuple[int, int]], today: int, total: int = 3, planned: int = 3):
    """The weeks of a three-week program with three sessions a week, sessions by day from the start."""
    outcomes = [Outcome(before, after, 3, day=day(n)) for n, (before, after) in sorted(sessions.items())]
    return week_runs(total, MONDAY, outcomes, day(today), lambda number: planned)


def numbers(found) -> list[tuple[int, bool]]:
    return [(run.number, run.repeat) for run in found]


WEEK_GREEN = {0: GREEN, 2: GREEN, 4: GREEN}


@pytest.mark.parametrize(
    ("sessions", "today", "expected", "reason"),
    [
        # Before anything is judged: the program's weeks, one after another, planned ahead.
        ({}, 0, [(1, False), (2, False), (3, False)], "Week 1: the start of the program"),
        # A week done, the last two green: on to week 2.
        (WEEK_GREEN, 7, [(1, False), (2, False), (3, False)],
         "Week 2: week 1's sessions were all done and the last two were green"),
        # Green, green, red: the week repeats, and says which day.
        ({0: GREEN, 2: GREEN, 4: RED}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: the session on Friday 6 Mar was red"),
        # Red early in the week, greens after: still a red week.
        ({0: RED, 2: GREEN, 4: GREEN}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: the session on Monday 2 Mar was red"),
        # A session missed: the week is not done.
        ({0: GREEN, 4: GREEN}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: last time, 2 of its 3 sessions were done; a week moves on once they all are"),
        ({}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: last time, none of its 3 sessions were done; a week moves on once they all are"),
        # Amber last: the program waits for two green in a row.
        ({0: GREEN, 2: GREEN, 4: AMBER}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: the session on Friday 6 Mar was amber; the program moves on after two green sessions in a row"),
        # Green, but the last took pain from 5 to 7, above 5: the program does not move on on its back.
        ({0: GREEN, 2: GREEN, 4: (5, 7)}, 7, [(1, False), (1, True), (2, False), (3, False)],
         "Week 1 again: the session on Friday 6 Mar took your pain from 5 to 7, above 5; the program moves on "
         "after two green sessions that keep it at 5 or below, or no higher than before"),
        # High everyday pain that the sessions do not raise: the program moves on.
        ({0: (6, 6), 2: (7, 6), 4: (6, 6)}, 7, [(1, False), (2, False), (3, False)],
         "Week 2: week 1's sessions were all done and the last two were green"),
        # An extra session on a rest day counts towards the week's.
        ({0: GREEN, 3: GREEN, 5: GREEN}, 7, [(1, False), (2, False), (3, False)], None),
    ],
)  # fmt: skip
def test_the_week_a_plan_runs(sessions, today, expected, reason):
    found = runs(sessions, today)
    assert numbers(found) == expected
    current = found[(today) // 7]
    if reason is not None:
        assert current.reason == reason


def test_a_repeated_week_moves_on_once_it_goes_well_and_the_program_ends_after_its_last_week():
    sessions = {0: GREEN, 2: GREEN, 4: RED, 7: GREEN, 9: GREEN, 11: GREEN, 14: GREEN, 16: GREEN, 18: GREEN}
    assert numbers(runs(sessions, 21)) == [(1, False), (1, True), (2, False), (3, False)]
    sessions |= {21: GREEN, 23: GREEN, 25: GREEN}
    found = runs(sessions, 28)
    assert numbers(found) == [(1, False), (1, True), (2, False), (3, False)]  # no fifth week: it is finished


def test_a_week_whose_pain_rose_repeats():
    rising = {0: (2, 2), 2: (2, 2), 4: (2, 2), 7: (4, 4), 9: (4, 4), 11: (4, 4)}
    found = runs(rising, 14)
    assert numbers(found)[:3] == [(1, False), (2, False), (2, True)]
    assert found[2].reason == "Week 2 again: your pain before sessions went up that week"


def test_the_next_mornings_turn_count():
    outcomes = [
        Outcome(3, 2, 3, day=day(0)),
        Outcome(3, 2, 3, day=day(2)),
        Outcome(3, 3, 3, next_day_pain=7, day=day(4)),  # a bad morning after Friday: red
    ]
    found = week_runs(2, MONDAY, outcomes, day(7), lambda number: 3)
    assert found[1].repeat and found[1].reason == "Week 1 again: the session on Friday 6 Mar was red"


def test_a_week_partly_on_hold_runs_again_and_says_it_was_on_hold():
    sessions = [Outcome(*GREEN, 3, day=day(0)), Outcome(*GREEN, 3, day=day(4))]
    held = frozenset({day(1), day(2), day(3)})  # a red-flag answer on Tuesday, cleared on Thursday
    found = week_runs(3, MONDAY, sessions, day(7), lambda number: 3, held)
    assert numbers(found)[:2] == [(1, False), (1, True)], "after time off, the same week again"
    assert found[1].reason == "Week 1 again: exercise was on hold for part of it, until a clinician's check"
    # A red session that week is named first; and a week without a day on hold reads as before.
    red = week_runs(3, MONDAY, [*sessions, Outcome(*RED, 3, day=day(5))], day(7), lambda number: 3, held)
    assert red[1].reason == "Week 1 again: the session on Saturday 7 Mar was red"
    later = week_runs(3, MONDAY, sessions, day(14), lambda number: 3, held)
    assert later[2].reason == (
        "Week 1 again: last time, none of its 3 sessions were done; a week moves on once they all are"
    )


# ---- Everywhere the plan shows, the same weeks ----


@pytest.fixture
def alex(app, users, clock):
    clock.move_to(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.record_about(alex, 3, [], [], "")
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=MONDAY, by=users["coach"])
    return users["alex"]


def done(app, clock, user, on: date, pain):
    with app.app_context():
        assignment = active_assignment(db.session.merge(user))
        routine = plan_for(assignment, on).routine_on(on)
        end = datetime(on.year, on.month, on.day, 9, 0, tzinfo=UTC)
        clock.move_to(end + timedelta(minutes=1))
        payload = session_payload(routine.id, ended=end, pain_before=pain[0], pain_after=pain[1], effort=3)
        [result] = store_batch(db.session.merge(user), [payload])
        assert result.status == "created"


def test_a_red_week_repeats_on_today_the_plan_api_the_trainers_pages_and_the_calendar(app, auth, alex, clock):
    done(app, clock, alex, day(0), GREEN)
    done(app, clock, alex, day(2), RED)
    done(app, clock, alex, day(4), GREEN)
    clock.move_to(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))  # the next Monday
    auth.login("alex@example.com")
    today = auth.client.get("/").get_data(as_text=True)
    assert "week 1 of 2" in today and "Week 1 again: the session on Wednesday 4 Mar was red." in today

    plan = auth.client.get("/api/v1/plan").get_json()
    assert plan["week"] == {
        "number": 1,
        "of": 2,
        "repeat": True,
        "reason": "Week 1 again: the session on Wednesday 4 Mar was red",
    }
    assert [w["number"] for w in plan["weeks"]] == [1, 1, 2]
    assert plan["program"]["end_date"] == "2026-03-22"  # three weeks now, not two
    this_week = [s for s in plan["schedule"] if "2026-03-09" <= s["date"] <= "2026-03-15"]
    assert {s["week"] for s in this_week} == {1} and len(this_week) == 3

    auth.logout()
    auth.login("coach@example.com")
    page = auth.client.get(f"/trainer/clients/{alex.id}").get_data(as_text=True)
    assert "week 1 of 2" in page and "Week 1 again: the session on Wednesday 4 Mar was red." in page
    with app.app_context():
        [row] = dashboard.client_rows(db.session.merge(users_coach(app)), datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
        direct = plan_for(active_assignment(db.session.merge(alex)), day(7))
        # Today's session, not done yet, does not count against the client: the seven days up to yesterday.
        assert row.week.planned == len(direct.planned_days(day(1), day(6))) == 2


def test_a_week_on_hold_says_so_on_today_the_plan_api_and_the_trainers_page(app, auth, alex, clock):
    """Monday done; numbness in the saddle area on Tuesday evening, seen and confirmed on Thursday; Friday done.
    The next Monday the week runs again, and everywhere it says why: on hold, not missed."""
    done(app, clock, alex, day(0), GREEN)
    with app.app_context():
        person = db.session.merge(alex)
        screens.record_screen(person, ["saddle"], now=datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
        screens.record_screen(person, [], now=datetime(2026, 3, 5, 17, 0, tzinfo=UTC))
        screens.record_confirmation(person, day(3), now=datetime(2026, 3, 5, 18, 0, tzinfo=UTC))
    done(app, clock, alex, day(4), GREEN)
    clock.move_to(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    reason = "Week 1 again: exercise was on hold for part of it, until a clinician's check"
    shown = reason.replace("'", "&#39;") + "."  # as the page escapes it
    auth.login("alex@example.com")
    assert shown in auth.client.get("/").get_data(as_text=True)
    plan = auth.client.get("/api/v1/plan").get_json()
    assert plan["week"]["reason"] == reason and plan["week"]["repeat"]
    assert "2026-03-04" in [s["date"] for s in plan["schedule"]], "a day on hold is still a planned day to show"
    assert plan["held"] == ["2026-03-03", "2026-03-04"]  # from the answer to the day before the confirmation
    auth.logout()
    auth.login("coach@example.com")
    assert shown in auth.client.get(f"/trainer/clients/{alex.id}").get_data(as_text=True)


def users_coach(app):
    from webapp.auth.models import User

    return db.session.execute(db.select(User).filter_by(email="coach@example.com")).scalar_one()


def test_a_good_week_moves_on_and_says_so(app, auth, alex, clock):
    for n in (0, 2, 4):
        done(app, clock, alex, day(n), GREEN)
    clock.move_to(datetime(2026, 3, 9, 7, 0, tzinfo=UTC))
    auth.login("alex@example.com")
    today = auth.client.get("/").get_data(as_text=True)
    assert "week 2 of 2" in today
    assert "Week 2: week 1&#39;s sessions were all done and the last two were green." in today
