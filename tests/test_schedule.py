"""What is due when, streaks and adherence, across week boundaries and time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.programs.services import starter_program
from webapp.sessions.schedule import (
    Plan,
    adherence,
    day_map,
    missed_days,
    streak,
    training_days,
    training_days_words,
    week_routines,
    week_start,
)
from webapp.timeutil import local_date


@pytest.fixture
def gentle(app):
    with app.app_context():
        yield starter_program("gentle-start")  # 2 weeks, Mon/Wed/Fri


MON = date(2026, 3, 2)  # a Monday


def test_routine_due_by_weekday_and_week(gentle):
    plan = Plan(gentle, MON)
    assert plan.routine_on(MON) is gentle.weeks[0].routines[0]
    assert plan.routine_on(date(2026, 3, 3)) is None  # Tuesday: rest day
    assert plan.routine_on(date(2026, 3, 9)).week.number == 2  # next Monday: week 2
    assert plan.routine_on(date(2026, 3, 1)) is None  # before the start
    assert plan.routine_on(date(2026, 3, 16)) is None  # after the two weeks


def test_a_weekend_before_a_new_week_offers_and_steps_this_weeks_routines(gentle):
    """Saturday of week 1: the next session (Monday) opens week 2, planned ahead until week 1 is judged. The extra
    session a rest day offers and the small steps shown are week 1's; before the start, the first week's."""
    plan = Plan(gentle, MON)
    saturday = date(2026, 3, 7)
    assert plan.next_planned(saturday)[1].week.number == 2
    assert plan.extra_on(saturday) is gentle.weeks[0].routines[0]  # Monday's routine of this week
    assert week_routines(plan, saturday) == list(gentle.weeks[0].routines)
    assert plan.extra_on(date(2026, 3, 3)) is plan.next_planned(date(2026, 3, 3))[1]  # Tuesday: Wednesday's
    assert week_routines(plan, MON - timedelta(days=2)) == list(gentle.weeks[0].routines)
    assert week_routines(plan, date(2026, 3, 16)) == []  # after the two weeks


def test_a_mid_week_start_counts_weeks_from_the_start_date(gentle):
    plan = Plan(gentle, date(2026, 3, 4))  # a Wednesday
    assert plan.week_number(date(2026, 3, 10)) == 1  # the next Tuesday is still week 1
    assert plan.week_number(date(2026, 3, 11)) == 2
    assert plan.end_date == date(2026, 3, 17)


def test_today_depends_on_the_users_time_zone():
    moment = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # Sunday night in London
    assert local_date(moment, "Europe/London") == date(2026, 3, 1)
    assert local_date(moment, "Europe/Berlin") == date(2026, 3, 2)  # already Monday
    assert local_date(moment, "America/Los_Angeles") == date(2026, 3, 1)
    assert local_date(moment, "Pacific/Auckland") == date(2026, 3, 2)
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)  # Sunday belongs to the week of Monday 2nd
    assert week_start(date(2026, 3, 9)) == date(2026, 3, 9)


def test_streak_counts_planned_sessions_done_in_a_row(gentle):
    plan = Plan(gentle, MON)
    done = {date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 9)}
    assert streak(plan, done, date(2026, 3, 10)) == 4  # rest days never break it
    assert streak(plan, done, date(2026, 3, 11)) == 4  # today (Wednesday) is still open
    assert streak(plan, done, date(2026, 3, 12)) == 0  # Wednesday passed without a session
    assert streak(plan, done - {date(2026, 3, 4)}, date(2026, 3, 10)) == 2  # across the week boundary


def test_adherence_this_week_and_over_a_range(gentle):
    plan = Plan(gentle, MON)
    done = {date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 6)}  # Tuesday instead of Wednesday
    week = adherence(plan, done, MON, date(2026, 3, 8))
    assert (week.planned, week.done, week.percent) == (3, 3, 100)
    both = adherence(plan, done, MON, date(2026, 3, 15))
    assert (both.planned, both.done, both.percent) == (6, 3, 50)
    extra = adherence(plan, done | {date(2026, 3, 7), date(2026, 3, 8)}, MON, date(2026, 3, 8))
    assert extra.done == 3, "extra sessions do not overfill the week"
    assert adherence(None, done, MON, date(2026, 3, 8)).percent is None


def test_an_extra_session_makes_up_for_a_missed_one_of_its_own_week_only(gentle):
    """Wednesday 4 March missed; the next week all three done and Saturday as well: the two weeks are 5 of 6, as
    their bars read (3 of 3 and 2 of 3 would be contradicted by 6 of 6). A Tuesday in the first week does make up
    for its Wednesday, and a range that starts mid-week counts its part-weeks the same way."""
    plan = Plan(gentle, MON)
    done = {date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 11), date(2026, 3, 13)}
    done.add(date(2026, 3, 14))  # Saturday: the next session, done "as well"
    both = adherence(plan, done, MON, date(2026, 3, 15))
    assert (both.planned, both.done, both.percent) == (6, 5, 83)
    weeks = [adherence(plan, done, MON + timedelta(weeks=n), MON + timedelta(weeks=n, days=6)) for n in (0, 1)]
    assert [(w.planned, w.done) for w in weeks] == [(3, 2), (3, 3)] and sum(w.done for w in weeks) == both.done
    assert adherence(plan, done | {date(2026, 3, 3)}, MON, date(2026, 3, 15)).done == 6
    from_thursday = adherence(plan, done, date(2026, 3, 5), date(2026, 3, 15))
    assert (from_thursday.planned, from_thursday.done) == (4, 4)


def test_missed_days(gentle):
    plan = Plan(gentle, MON)
    assert missed_days(plan, {date(2026, 3, 2)}, MON, date(2026, 3, 6)) == [date(2026, 3, 4), date(2026, 3, 6)]


def test_a_missed_day_made_up_in_its_week_keeps_the_streak(gentle):
    """Wednesday missed and done on Thursday instead: the week's count and the calendar take it as made up, and so
    does the streak (it counts the day as kept). Not made up, or made up only the week after, it breaks it."""
    plan = Plan(gentle, date(2026, 3, 2))  # Mon/Wed/Fri
    moved = {date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 6)}  # Monday, Thursday (for Wednesday), Friday
    assert streak(plan, moved, date(2026, 3, 6)) == 3
    assert streak(plan, moved - {date(2026, 3, 5)}, date(2026, 3, 6)) == 1  # not made up: Friday alone
    # A week late: Tuesday 10th's extra makes up nothing of week 1, so Wednesday 4th still breaks the run (Friday
    # and Monday 9th count).
    late = {date(2026, 3, 2), date(2026, 3, 6), date(2026, 3, 9), date(2026, 3, 10)}
    assert streak(plan, late, date(2026, 3, 10)) == 2
    # The day of the extra session itself: its planned day is made up, today's own session is still open.
    assert streak(plan, {date(2026, 3, 2), date(2026, 3, 5)}, date(2026, 3, 5)) == 2


def test_days_on_hold_are_neither_missed_nor_planned_nor_break_the_streak(gentle):
    # Wednesday 4 March a red-flag answer; a clinician's check confirmed on Monday 9 March (safety.held_days).
    held = frozenset({date(2026, 3, 4), date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 7), date(2026, 3, 8)})
    plan = Plan(gentle, MON, held=held)
    done = {date(2026, 3, 2), date(2026, 3, 9)}
    assert missed_days(plan, done, MON, date(2026, 3, 10)) == []
    week = adherence(plan, done, MON, date(2026, 3, 8))
    assert (week.planned, week.done) == (1, 1)  # Monday only: Wednesday and Friday were on hold
    assert streak(plan, done, date(2026, 3, 10)) == 2
    # A session done on a day later put on hold (before the answer) still counts, planned and done.
    early = adherence(plan, done | {date(2026, 3, 4)}, MON, date(2026, 3, 8))
    assert (early.planned, early.done) == (2, 2)
    assert plan.routine_on(date(2026, 3, 4)) is gentle.weeks[0].routines[1], "the day still says what it held"
    assert plan.laid_out() == Plan(gentle, MON) and plan.laid_out().planned_days(MON, date(2026, 3, 8))[1:] == [
        date(2026, 3, 4),
        date(2026, 3, 6),
    ]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        # Exactly as many days: the sessions keep their order and take the client's days.
        (["tue", "thu", "sat"], {"mon": "tue", "wed": "thu", "fri": "sat"}),
        (["sat", "tue", "thu"], {"mon": "tue", "wed": "thu", "fri": "sat"}),
        # More days than needed: the most even spread, so rest days survive.
        (["mon", "tue", "wed", "thu", "fri"], {}),
        (["tue", "wed", "thu", "fri", "sat", "sun"], {"mon": "tue", "wed": "thu", "fri": "sat"}),
        # Back-to-back days only if nothing else was offered.
        (["mon", "tue", "wed"], {"mon": "mon", "wed": "tue", "fri": "wed"}),
        # Too few days, none at all, or the program's own: the program keeps its days.
        (["sat", "sun"], {}),
        ([], {}),
        (["mon", "wed", "fri"], {}),
    ],
)
def test_the_programs_days_move_onto_the_days_the_client_chose(gentle, chosen, expected):
    moved = day_map(gentle, chosen)
    assert {k: v for k, v in moved.items() if k != v} == {k: v for k, v in expected.items() if k != v}


@pytest.mark.parametrize(
    ("chosen", "said"),
    [
        ([], "On Mon, Wed and Fri."),
        (["mon", "wed", "fri"], "On Mon, Wed and Fri, days you chose."),
        (["tue", "thu", "sat"], "On Tue, Thu and Sat, days you chose."),
        (["tue", "wed", "thu", "fri", "sat", "sun"], "On Tue, Thu and Sat, days you chose."),
        # Too few: the person who ticked two days is told why the program keeps its three, and how to move them.
        (["tue", "sat"], "On Mon, Wed and Fri: it needs 3 days and you ticked 2. Tick 3 in your account to move it."),
        (["sun"], "On Mon, Wed and Fri: it needs 3 days and you ticked 1. Tick 3 in your account to move it."),
    ],
)
def test_a_program_offered_says_on_which_days_its_sessions_would_fall(gentle, chosen, said):
    assert training_days_words(gentle, chosen) == said


def test_a_plan_on_the_clients_days_keeps_the_weeks_and_the_dose(gentle):
    plan = Plan(gentle, MON, day_map(gentle, ["tue", "thu", "sat"]))
    assert training_days(plan) == ["tue", "thu", "sat"]
    assert plan.routine_on(MON) is None  # Monday's session moved to Tuesday
    assert plan.routine_on(date(2026, 3, 3)) is gentle.weeks[0].routines[0]
    assert plan.routine_on(date(2026, 3, 7)) is not None  # Saturday, Friday's session
    assert plan.routine_on(date(2026, 3, 10)).week.number == 2  # week two's Tuesday
    assert len(plan.planned_days(MON, plan.end_date)) == len(Plan(gentle, MON).planned_days(MON, plan.end_date))


@pytest.mark.parametrize("chosen", [[], ["tue", "thu", "sat"], ["mon", "tue", "wed"], ["sat", "sun"]])
def test_the_dashboards_quick_calendar_agrees_with_the_plan(gentle, chosen):
    from datetime import timedelta

    from webapp.trainer.dashboard import QuickPlan, week_table

    moved = day_map(gentle, chosen)
    plan, quick = Plan(gentle, MON, moved), QuickPlan(gentle, MON, moved, table=week_table(gentle, moved))
    for offset in range(-3, 18):
        day = MON + timedelta(days=offset)
        assert quick.routine_on(day) is plan.routine_on(day), day
