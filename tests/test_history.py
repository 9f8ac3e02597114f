"""The history page: calendar, summaries, charts, function re-rating and the session list, as rules and as pages."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from werkzeug.datastructures import MultiDict

from webapp.extensions import db
from webapp.programs.services import starter_program
from webapp.sessions import charts, progress, schedule, screens
from webapp.sessions.forms import read_function_scores
from webapp.sessions.models import CompletedSession, FunctionActivity, FunctionRating
from webapp.sessions.progress import ActivityTrend, SessionPoint, WeekBar
from webapp.sessions.schedule import Plan
from webapp.sessions.sync import store_batch
from webapp.timeutil import MONTH_NAMES, local_date, long_date

from .conftest import csrf_from
from .factories import first_routine_id, make_plan, make_user, session_payload

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def gentle(app):
    with app.app_context():
        yield starter_program("gentle-start")  # 2 weeks, Mon/Wed/Fri


# ---- The calendar, as a plain function ----


def statuses(month: progress.Month) -> dict[date, str]:
    return {d.day: d.status for d in month.days()}


def test_calendar_marks_done_missed_planned_rest_and_today_across_a_month_boundary(gentle):
    plan = Plan(gentle, date(2026, 2, 25))  # a Wednesday: week 1 runs into March, week 2 ends Tue 10 March
    done = {date(2026, 2, 27), date(2026, 3, 2), date(2026, 3, 3)}  # Tuesday 3rd: an extra, unplanned session
    today = date(2026, 3, 6)

    february = progress.month_calendar(date(2026, 2, 1), plan, done, today)
    assert statuses(february)[date(2026, 2, 25)] == "missed"
    assert statuses(february)[date(2026, 2, 26)] == "rest"
    assert statuses(february)[date(2026, 2, 27)] == "done"
    assert statuses(february)[date(2026, 2, 24)] == "rest"  # before the plan started

    march = progress.month_calendar(date(2026, 3, 1), plan, done, today)
    days = statuses(march)
    assert days[date(2026, 3, 1)] == "rest"  # a Sunday, alone in the week that began in February
    assert days[date(2026, 3, 2)] == "done"
    assert days[date(2026, 3, 3)] == "done"
    assert days[date(2026, 3, 4)] == "made_up"  # missed, but Tuesday's extra session made up for it
    assert days[date(2026, 3, 6)] == "planned"  # today, not done yet: not missed
    assert days[date(2026, 3, 9)] == "planned"
    assert days[date(2026, 3, 11)] == "rest"  # the plan ended the day before
    assert march.count("done") == 2 and march.count("made_up") == 1 and march.count("missed") == 0
    assert march.count("planned") == 2

    # Monday-first weeks; days of the neighbouring months are left empty and counted in their own month.
    assert len(march.weeks) == 6
    assert march.weeks[0][:6] == [None] * 6 and march.weeks[0][6].day == date(2026, 3, 1)
    assert march.weeks[-1][0].day == date(2026, 3, 30) and march.weeks[-1][2:] == [None] * 5

    today_cells = [d for d in march.days() if d.is_today]
    assert [d.day for d in today_cells] == [today]
    labels = {d.day: d.label for d in [*march.days(), *february.days()]}
    assert labels[date(2026, 3, 4)] == "Wednesday 4 March: missed, made up by an extra session that week"
    assert labels[date(2026, 3, 6)] == "Friday 6 March: planned, today"
    assert labels[date(2026, 3, 2)] == "Monday 2 March: done"
    assert labels[date(2026, 3, 5)] == "Thursday 5 March: rest day"
    assert labels[date(2026, 2, 25)] == "Wednesday 25 February: missed"
    marks = {d.day: d.mark for d in [*march.days(), *february.days()]}
    assert [marks[date(2026, 3, n)] for n in (2, 4, 9)] + [marks[date(2026, 2, 25)]] == ["✓", "↷", "•", "✗"]


def test_an_extra_session_makes_up_for_a_missed_day_of_its_own_week_only(gentle):
    """What the week's count says (schedule.adherence), the calendar shows: a session done on a rest day makes up
    for a missed day of the same Monday-to-Sunday week, earliest first, one for one; never one of another week."""
    plan = Plan(gentle, date(2026, 3, 2))  # Mon/Wed/Fri, 2 weeks
    today = date(2026, 3, 14)  # the Saturday of week 2

    def made_up(done):
        return sorted(schedule.made_up_days(plan, set(done), date(2026, 3, 1), date(2026, 3, 31), today))

    assert made_up([]) == []  # nothing done: every planned day missed, none made up
    # Monday missed, done on Tuesday instead: Monday is made up.
    assert made_up([date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 6)]) == [date(2026, 3, 2)]
    # Done early (Sunday 8th, the same week): Friday 6th, missed later, is made up all the same.
    assert made_up([date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 8)]) == [date(2026, 3, 6)]
    # Two missed, one extra: the earlier one is made up, the later one stays missed.
    assert made_up([date(2026, 3, 3), date(2026, 3, 6)]) == [date(2026, 3, 2)]
    # Two extras, one missed: one made up, no more (extras never overfill a week).
    assert made_up([date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 6)]) == [date(2026, 3, 4)]
    # An extra the week after makes up for that week's Monday 9th, not this week's Monday 2nd.
    assert made_up([date(2026, 3, 4), date(2026, 3, 6), date(2026, 3, 10)]) == [date(2026, 3, 9)]
    # Every planned day done: an extra has nothing to make up.
    assert made_up([date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 6)]) == []

    # On hold after a red-flag answer: the held day is not missed, so the extra makes up nothing.
    held = Plan(gentle, date(2026, 3, 2), held=frozenset({date(2026, 3, 2)}))
    done = {date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 6)}
    assert schedule.made_up_days(held, done, date(2026, 3, 1), date(2026, 3, 8), today) == set()
    # Today's session is not missed yet, whatever this week's extra: it still waits (planned).
    month = progress.month_calendar(date(2026, 3, 1), plan, {date(2026, 3, 10)}, date(2026, 3, 11))
    assert statuses(month)[date(2026, 3, 11)] == "planned" and statuses(month)[date(2026, 3, 9)] == "made_up"
    assert schedule.made_up_days(None, {date(2026, 3, 3)}, date(2026, 3, 1), date(2026, 3, 8), today) == set()


def test_today_on_the_calendar_is_the_users_own_date(gentle):
    moment = datetime(2026, 3, 3, 23, 30, tzinfo=UTC)  # Tuesday night in London, Wednesday in Auckland
    plan = Plan(gentle, date(2026, 3, 2))
    london = progress.month_calendar(date(2026, 3, 1), plan, set(), local_date(moment, "Europe/London"))
    auckland = progress.month_calendar(date(2026, 3, 1), plan, set(), local_date(moment, "Pacific/Auckland"))
    assert [d.day for d in london.days() if d.is_today] == [date(2026, 3, 3)]
    assert [d.day for d in auckland.days() if d.is_today] == [date(2026, 3, 4)]
    # Wednesday's session is still open in Auckland; in London it has not come yet either.
    assert statuses(auckland)[date(2026, 3, 4)] == "planned"
    assert statuses(auckland)[date(2026, 3, 2)] == "missed"


def test_calendar_without_a_plan_shows_sessions_and_rest_only():
    month = progress.month_calendar(date(2026, 3, 1), None, {date(2026, 3, 5)}, date(2026, 3, 20))
    assert statuses(month)[date(2026, 3, 5)] == "done"
    assert {s for d, s in statuses(month).items() if d != date(2026, 3, 5)} == {"rest"}


def test_month_parameter_and_navigation():
    today = date(2026, 3, 18)
    assert progress.parse_month("2026-02", today) == date(2026, 2, 1)
    for bad in (None, "", "2026-13", "2026-3", "march", "1999-01", "2026-02-01"):
        assert progress.parse_month(bad, today) == date(2026, 3, 1)
    month = progress.month_calendar(date(2026, 1, 1), None, set(), today)
    assert month.previous == date(2025, 12, 1) and month.next == date(2026, 2, 1)
    assert month.title == "January 2026" and month.previous_label == "December"
    assert progress.month_param(month.previous) == "2025-12"
    assert not month.is_current and progress.month_calendar(date(2026, 3, 1), None, set(), today).is_current


# ---- Summary numbers ----


def point(day: int, before: int, after: int, effort: int = 5) -> SessionPoint:
    return SessionPoint(date(2026, 3, day), before, after, effort)


def test_summary_counts_this_week_and_the_last_four_weeks(gentle):
    plan = Plan(gentle, date(2026, 3, 2))  # planned: 2, 4, 6, 9, 11, 13 March
    points = [point(2, 6, 5, 4), point(4, 5, 4, 6), point(9, 3, 2, 5)]
    summary = progress.summarise(plan, points, None, date(2026, 3, 11))  # Wednesday, not done yet
    assert (summary.this_week.done, summary.this_week.planned) == (1, 3)  # the whole week is planned
    # Today's open session does not count against the user: 3 of the 4 planned before today.
    assert (summary.recent.done, summary.recent.planned, summary.recent.percent) == (3, 4, 75)
    assert summary.effort == 5.0 and summary.effort_words == "Moderate: working, with plenty left"

    later = progress.summarise(plan, [*points, point(11, 3, 3)], None, date(2026, 3, 11))
    assert (later.recent.done, later.recent.planned) == (4, 5)  # done today: now it counts


def test_the_days_the_phone_counts_with(gentle):
    """History's script adds a session saved on the phone to the summary from these facts (static/js/history.js)."""
    plan = Plan(gentle, date(2026, 3, 2), held=frozenset({date(2026, 3, 6)}))  # Friday on hold
    written = progress.days_for_the_phone(plan, {date(2026, 3, 2), date(2026, 3, 7)}, date(2026, 3, 11))
    days = dict(entry.split(":") for entry in written.split(" "))
    # From the Monday of the week four weeks back (whole weeks: madeUpDays), to this week's Sunday.
    assert min(days) == "2026-02-09" and max(days) == "2026-03-15"
    assert [days[f"2026-03-0{n}"] for n in range(2, 8)] == ["sd", "", "s", "", "sh", "d"]
    assert days["2026-03-11"] == "s" and days["2026-02-09"] == ""  # before the plan began: nothing planned


def test_summary_without_a_plan_or_sessions():
    summary = progress.summarise(None, [], None, date(2026, 3, 11))
    assert summary.this_week.planned == 0 and summary.recent.percent is None
    assert summary.pain is None and summary.effort is None


def test_pain_against_the_onboarding_baseline():
    points = [point(2, 6, 5), point(4, 5, 4), point(9, 3, 2)]
    pain = progress.pain_summary(points, 7, date(2026, 3, 11))
    assert pain.baseline == 7.0 and pain.baseline_source == "check-in"
    assert pain.current == 4.7 and pain.change == -2.3  # the average of the last two weeks
    assert pain.meaningful and pain.verdict == "Down 2.3 points: a change that matters."


def test_pain_against_the_first_sessions_when_there_was_no_baseline_rating():
    first_three = [point(2, 6, 5), point(4, 5, 4), point(6, 3, 2)]
    early = progress.pain_summary(first_three, None, date(2026, 3, 11))
    assert early.baseline == 4.7 and early.baseline_source == "sessions"
    assert early.current is None and early.verdict == "A few more sessions, and we can compare."
    later = progress.pain_summary([*first_three, point(9, 3, 3)], None, date(2026, 3, 11))
    assert later.current == 3.0 and later.change == -1.7 and later.meaningful  # 30% of 4.7 is 1.4


def test_pain_now_falls_back_to_the_last_session_after_a_break():
    pain = progress.pain_summary([SessionPoint(date(2026, 1, 5), 4, 4, 5)], 6, date(2026, 3, 11))
    assert pain.current == 4.0 and pain.change == -2.0 and pain.meaningful


@pytest.mark.parametrize(
    ("baseline", "change", "meaningful"),
    [
        (5, -2.0, True),
        (5, -1.5, True),  # 30% of 5
        (5, -1.4, False),
        (3, -0.9, False),  # 30%, but less than a point
        (1, 1.0, False),  # a rise counts only from 1.5 points (Ostelo 2008: 15/100)
        (1, 1.5, True),
        (4, 2.0, True),
        (8, -2.0, True),
    ],
)
def test_meaningful_pain_change(baseline, change, meaningful):
    assert progress.meaningful_pain_change(baseline, change) is meaningful


def test_weekly_bars_leave_out_the_weeks_before_anything_happened(gentle):
    plan = Plan(gentle, date(2026, 3, 2))
    bars = progress.weekly_bars(plan, {date(2026, 3, 2), date(2026, 3, 4), date(2026, 3, 9)}, date(2026, 3, 11))
    assert bars == [
        WeekBar(date(2026, 3, 2), planned=3, done=2, is_current=False),
        WeekBar(date(2026, 3, 9), planned=3, done=1, is_current=True),
    ]
    assert progress.weekly_bars(None, set(), date(2026, 3, 11)) == []
    # History's chart keeps this week, for a first session saved on the phone to be counted into.
    kept = progress.weekly_bars(None, set(), date(2026, 3, 11), keep_this_week=True)
    assert kept == [progress.WeekBar(date(2026, 3, 9), 0, 0, True)]


def test_done_text_uses_the_plans_words():
    assert progress.done_text("reps", 2, 10, 0, False) == "2 sets of 10 reps"
    assert progress.done_text("hold", 1, 5, 10, True) == "5 × 10 s hold each side"
    assert progress.done_text("hold", 2, 5, 0, False) == "2 sets of 5 reps"
    assert progress.done_text("reps", 0, 0, 0, False) == "skipped"


# ---- Patient-specific function, as plain functions ----


def trend(*ratings: tuple[date, int], name: str = "Putting on socks") -> ActivityTrend:
    return ActivityTrend(name, list(ratings))


def test_function_rerating_is_due_every_two_weeks():
    today = date(2026, 3, 20)
    assert progress.function_due([], today) is False  # no activities: nothing to ask
    assert progress.function_due([trend()], today) is True  # activities, never rated
    assert progress.function_due([trend((today - timedelta(days=13), 4))], today) is False
    assert progress.function_due([trend((today - timedelta(days=14), 4))], today) is True
    newest_decides = [trend((today - timedelta(days=30), 4)), trend((today - timedelta(days=3), 5))]
    assert progress.function_due(newest_decides, today) is False


def test_function_trend_and_meaningful_change():
    up = trend((date(2026, 3, 1), 3), (date(2026, 3, 15), 4), (date(2026, 3, 29), 6))
    assert (up.first, up.latest, up.change, up.meaningful) == (3, 6, 3, True)
    # One activity needs about 3 points to count (Stratford 1995); 2 is the average's threshold, not one's.
    small = trend((date(2026, 3, 1), 3), (date(2026, 3, 15), 5))
    assert small.change == 2 and not small.meaningful
    once = trend((date(2026, 3, 1), 3))
    assert once.change is None and not once.meaningful and once.latest == 3


def test_function_scores_are_read_all_or_nothing():
    scores, errors = read_function_scores([1, 2], MultiDict({"activity-1": "0", "activity-2": " 10 "}))
    assert scores == {1: 0, 2: 10} and errors == {}
    for bad in ("11", "-1", "", "5.5", "five", "\u0665", "00000000005"):
        scores, errors = read_function_scores([1, 2], MultiDict({"activity-1": bad, "activity-2": "4"}))
        assert list(errors) == [1] and scores == {2: 4}, bad
    _, errors = read_function_scores([1, 2], MultiDict({"activity-1": "4"}))
    assert errors == {2: "Rate this activity from 0 to 10."}
    # Sent twice, neither is taken: which one the person meant cannot be known.
    twice = MultiDict([("activity-1", "4"), ("activity-1", "6"), ("activity-2", "4")])
    scores, errors = read_function_scores([1, 2], twice)
    assert list(errors) == [1] and scores == {2: 4}
    # A field for an activity that is not in the list is never read.
    scores, errors = read_function_scores([1], MultiDict({"activity-1": "4", "activity-99": "7"}))
    assert scores == {1: 4} and errors == {}


# ---- Charts ----


def parse_svg(markup) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    return root


def assert_accessible_and_unstyled(root: ET.Element, markup) -> None:
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    assert labelled == [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")]
    # The page's CSP forbids inline styles: presentation attributes and classes only.
    assert all("style" not in el.attrib for el in root.iter())
    assert not root.findall(f".//{SVG}style") and "style" not in str(markup).replace("font-", "")
    assert "<script" not in str(markup)


def marker_titles(root: ET.Element) -> list[str]:
    return [
        el.find(f"{SVG}title").text
        for el in root.iter()
        if el.tag in {f"{SVG}circle", f"{SVG}rect", f"{SVG}polygon"} and el.find(f"{SVG}title") is not None
    ]


def test_frame_maps_scores_and_points():
    frame = charts.Frame(height=120, left=10, right=10, top=20, bottom=0, width=120, inset=5)
    assert (frame.y(0), frame.y(5), frame.y(10)) == (120, 70, 20)
    assert frame.x(0, 3) == 15 and frame.x(2, 3) == 105 and frame.x(1, 3) == 60
    assert frame.x(0, 1) == 60  # one point alone sits in the middle
    assert frame.slot(0, 2) == 35 and frame.slot(1, 2) == 85


def test_date_labels_never_touch():
    ticks = charts.tick_indices(30, spacing=10)
    assert ticks[0] == 0 and ticks[-1] == 29
    assert all((b - a) * 10 >= charts.LABEL_GAP for a, b in itertools.pairwise(ticks))
    assert charts.tick_indices(3, spacing=100) == [0, 1, 2]
    assert charts.tick_indices(1, spacing=0) == [0]


def test_pain_chart_plots_both_lines_on_the_bands():
    points = [point(2, 6, 5), point(4, 5, 2), point(6, 3, 1)]
    markup = charts.pain_chart(points, for_the_phone=True)
    root = parse_svg(markup)
    assert_accessible_and_unstyled(root, markup)
    titles = marker_titles(root)
    assert "2 Mar: pain before 6" in titles and "4 Mar: pain after 2" in titles and "6 Mar: pain after 1" in titles
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 2 and [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]
    words = [el.text for el in root.iter(f"{SVG}text")]
    for label in ("Before the session", "After the session", "Green", "0–3", "Amber", "4–5", "Red", "6–10", "2 Mar"):
        assert label in words
    # Higher pain sits higher on the page: a smaller y.
    circles = {c.find(f"{SVG}title").text: float(c.get("cy")) for c in root.iter(f"{SVG}circle")}
    assert circles["2 Mar: pain before 6"] < circles["4 Mar: pain before 5"] < circles["6 Mar: pain before 3"]
    assert "before and after 3 sessions, 2 Mar to 6 Mar" in root.find(f"{SVG}desc").text
    # For the phone to draw it again with sessions not yet synced (static/js/charts.js): the points, the most
    # a chart shows, and where 0 and 10 and the first and last sessions and the dates land.
    assert root.get("data-points") == " ".join(f"{p.day.isoformat()}:{p.pain_before}:{p.pain_after}" for p in points)
    assert root.get("data-most") == "30"
    assert root.get("data-layout") == "38 292 228 42 246 66"
    assert [c.get("cx") for c in root.iter(f"{SVG}circle") if c.find(f"{SVG}title").text.endswith(" 6")] == ["38"]
    assert charts.pain_chart([]) == ""
    # Elsewhere (the trainer's page of a client) the same drawing without what the phone needs.
    assert "data-" not in charts.pain_chart(points) and parse_svg(charts.pain_chart(points)).get("id") == "pain-chart"
    # History's, blank, for a first session saved on the phone to be drawn into: bands, grid and legend, no session.
    blank = parse_svg(charts.pain_chart([], for_the_phone=True))
    assert blank.get("data-points") == "" and marker_titles(blank) == ["Before the session", "After the session"]
    assert "none yet. Bands: green 0 to 3, amber 4 to 5, red 6 to 10." in blank.find(f"{SVG}desc").text
    table = charts.pain_table(points)
    assert table.headers == ("Date", "Before", "After") and table.rows[1] == ("4 Mar", "5", "2")


def test_adherence_chart_writes_done_of_planned_on_each_bar():
    bars = [WeekBar(date(2026, 3, 2), 3, 2, False), WeekBar(date(2026, 3, 9), 3, 1, True)]
    markup = charts.adherence_chart(bars)
    root = parse_svg(markup)
    assert_accessible_and_unstyled(root, markup)
    words = [el.text for el in root.iter(f"{SVG}text")]
    assert "2/3" in words and "1/3" in words and "Done" in words
    assert "this week: 1 of 3 planned sessions done" in marker_titles(root)
    # Each week's parts in a group with its numbers, and where values land, for the phone to draw the chart again
    # with sessions not yet synced (static/js/charts.js).
    weeks = root.findall(f"{SVG}g[@class='chart-week']")
    assert [week.get("data-week") for week in weeks] == ["2026-03-02:3:2", "2026-03-09:3:1"]
    assert [len(week.findall(f"{SVG}rect")) for week in weeks] == [2, 2]
    assert root.get("data-layout") == "178 54 34 6"
    assert charts.adherence_table(bars).rows == [("2 Mar", "2", "3"), ("9 Mar (this week)", "1", "3")]
    assert charts.adherence_chart([]) == ""


def test_function_chart_draws_one_line_per_activity_and_escapes_names():
    trends = [
        trend((date(2026, 3, 1), 3), (date(2026, 3, 15), 6), name='<b>Walk</b> & "sit"'),
        trend((date(2026, 3, 1), 5), (date(2026, 3, 15), 5), name="Putting on socks"),
    ]
    markup = charts.function_chart(trends)
    assert "<b>" not in str(markup) and "&lt;b&gt;Walk&lt;/b&gt;" in str(markup)
    root = parse_svg(markup)
    assert_accessible_and_unstyled(root, markup)
    assert len(root.findall(f".//{SVG}polyline")) == 2
    assert '<b>Walk</b> & "sit", 15 Mar: 6' in marker_titles(root)
    assert charts.function_chart([trend()]) == ""
    rows = charts.function_table([*trends, trend(name="Sitting")]).rows
    assert rows[1] == ("Putting on socks", "1 Mar: 5; 15 Mar: 5") and rows[2] == ("Sitting", "not rated")


# ---- The page ----


def store(user, routine_id: int, **overrides) -> dict:
    payload = session_payload(routine_id, **overrides)
    result = store_batch(user, [payload])[0]
    assert result.status == "created", result.errors
    return payload


@pytest.fixture
def alex(app, users, today):
    """Alex with a plan that started three weeks ago."""
    with app.app_context():
        start = today - timedelta(days=21)
        make_plan(users["alex"], slug="core-foundations", start=start, by=users["coach"])
        return {"user": users["alex"], "routine_id": first_routine_id("core-foundations")}


def page(client, path="/history/") -> str:
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_history_needs_a_login(client, users):
    response = client.get("/history/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.post("/history/function").status_code in (302, 400)


def test_a_trainer_gets_403(client, auth, users):
    auth.login("coach@example.com")
    assert client.get("/history/").status_code == 403
    token = auth.csrf_token("/lessons/")
    assert client.post("/history/function", data={"csrf_token": token}).status_code == 403


def test_empty_states_without_a_plan_or_sessions(client, auth, users):
    auth.login("alex@example.com")
    html = page(client)
    assert "Your first session will show here." in html
    assert "No plan yet" in html
    assert "<div data-pending-list></div>" in html
    assert "How are these activities now?" not in html  # no activities chosen yet
    # The charts are there, blank and hidden, for a first session saved on the phone to be drawn into.
    assert re.search(r'<figure class="card chart-card" hidden>\s*<figcaption><h2>Pain before and after</h2>', html)
    assert re.search(r'<figure class="card chart-card" hidden>\s*<figcaption><h2>Sessions each week</h2>', html)
    assert "Charts of your pain and of the sessions you do each week will show here" in html
    assert "Latest session" not in html


def test_a_session_shows_with_its_details_and_notes_as_text(app, client, auth, alex):
    with app.app_context():
        store(
            alex["user"],
            alex["routine_id"],
            pain_before=5,
            pain_after=4,
            effort=6,
            notes="<b>hi</b> & <script>alert(1)</script>",
            exercises=[
                {"exercise": "bird-dog", "sets_done": 2, "reps_done": 6, "hold_seconds": 8, "painful": True},
                {"exercise": "pelvic-tilt", "sets_done": 1, "reps_done": 10, "hold_seconds": 0, "painful": False},
            ],
        )
    auth.login("alex@example.com")
    html = page(client)
    assert "<b>hi</b>" not in html and "<script>alert" not in html
    assert "&lt;b&gt;hi&lt;/b&gt; &amp; &lt;script&gt;" in html
    # Pain fell during the session: green, judged against the pain before (not amber for an absolute 4).
    assert "Pain 5 → 4" in html and 'class="pain-light pain-light--green">green<' in html
    assert "Effort 6/10" in html
    assert "Bird dog: 2 sets of 6 × 8 s hold each side" in html and "hurt" in html
    assert 'id="pain-chart"' in html and 'id="adherence-chart"' in html
    assert "Show as table" in html
    assert ' style="' not in html and "<style" not in html  # the CSP would drop them


def test_times_show_in_the_users_zone(app, client, auth, users, now, today):
    with app.app_context():
        kei = make_user("kei@example.com", timezone="Asia/Tokyo")
        make_plan(kei, start=today - timedelta(days=7))
        end = now.replace(minute=5) - timedelta(days=1)
        store(
            kei, first_routine_id(), started_at=(end - timedelta(minutes=15)).isoformat(), completed_at=end.isoformat()
        )
    auth.login("kei@example.com")
    html = page(client)
    assert end.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%a %d %b %Y, %H:%M") in html


def test_the_calendar_page_marks_the_local_day_and_today(app, client, auth, users, now, today):
    with app.app_context():
        ana = make_user("ana@example.com", timezone="Pacific/Auckland")
        make_plan(ana, start=today - timedelta(days=60))  # gentle start: long over, so no day is planned
        utc_day = now.date() - timedelta(days=3)
        if (utc_day + timedelta(days=1)).month != utc_day.month:
            utc_day -= timedelta(days=1)
        # 12:30 UTC is already the next morning in Auckland (UTC+12 or +13).
        end = datetime(utc_day.year, utc_day.month, utc_day.day, 12, 30, tzinfo=UTC)
        store(
            ana, first_routine_id(), started_at=(end - timedelta(minutes=15)).isoformat(), completed_at=end.isoformat()
        )
    auth.login("ana@example.com")
    html = page(client, f"/history/?month={utc_day:%Y-%m}")
    local_day = utc_day + timedelta(days=1)
    assert f'data-date="{local_day.isoformat()}" data-status="done"' in html
    assert f'data-date="{utc_day.isoformat()}" data-status="rest"' in html
    label = f"{long_date(local_day)}: done"
    assert label in html

    aucklands_today = local_date(now, "Pacific/Auckland")
    html = page(client)
    assert re.search(rf'calendar__day--today" data-date="{aucklands_today.isoformat()}"', html)


def test_missed_days_and_summary_on_the_page(client, auth, alex, today):
    auth.login("alex@example.com")
    html = page(client)
    assert "0 of 3" in html  # this week, planned Monday, Wednesday and Friday
    assert "0%" in html  # the last four weeks
    # Every weekday comes once in the last seven days, so Monday, Wednesday and Friday were all missed.
    missed = set()
    for day in (today - timedelta(days=7), today - timedelta(days=1)):
        month = page(client, f"/history/?month={day:%Y-%m}")
        missed |= set(re.findall(r'data-date="([\d-]+)" data-status="missed"', month))
        assert (": missed" in month and "✗" in month) or not missed
    assert len({d for d in missed if date.fromisoformat(d) >= today - timedelta(days=7)}) >= 3


def test_days_on_hold_after_a_red_flag_answer_read_on_hold_not_missed(app, client, auth, alex, today):
    """Core foundations plans Monday, Wednesday and Friday. A fever on Monday 22 June (see a GP today), seen that
    day and confirmed in the app on Thursday 25 June; a fever again on Tuesday 30 June, still waiting (today is
    Thursday 2 July). The planned days in between are on hold, not missed, and this week counts only Monday
    (missed) and Friday."""
    with app.app_context():
        user = db.session.merge(alex["user"])
        screens.record_screen(user, ["fever"], now=datetime(2026, 6, 22, 9, 0, tzinfo=UTC))
        screens.record_confirmation(user, date(2026, 6, 22), now=datetime(2026, 6, 25, 18, 0, tzinfo=UTC))
        screens.record_screen(user, ["fever"], now=datetime(2026, 6, 30, 9, 0, tzinfo=UTC))
    auth.login("alex@example.com")
    june, july = page(client, "/history/?month=2026-06"), page(client)

    def status(html, day):
        return re.search(rf'data-date="2026-{day}" data-status="(\w+)"', html).group(1)

    assert [status(june, d) for d in ("06-22", "06-24", "06-26", "06-29", "06-30")] == [
        "held", "held", "missed", "missed", "rest",
    ]  # fmt: skip
    assert [status(july, d) for d in ("07-01", "07-02", "07-03")] == ["held", "rest", "planned"]
    assert "Monday 22 June: on hold until a clinician&#39;s check" in june
    assert "2 on hold</caption>" in june and "on hold until a clinician's check</li>" in june
    assert 'data-history-part="week-value">0 of 2</dd>' in july
    # A month without a day on hold keeps its key as it was.
    assert "on hold" not in page(client, "/history/?month=2026-05")


def test_month_navigation_links(client, auth, alex, today):
    auth.login("alex@example.com")
    html = page(client, "/history/?month=2026-03")
    assert "March 2026" in html
    assert "month=2026-02#calendar" in html and "month=2026-04#calendar" in html
    assert "Previous month: February" in html and "Back to this month" in html
    html = page(client, "/history/?month=2026-13")  # nonsense: the current month
    assert MONTH_NAMES[today.month - 1] in html


def test_sessions_are_paginated_newest_first(app, client, auth, alex, now):
    with app.app_context():
        payloads = []
        for index in range(25):
            end = now - timedelta(hours=2 + index * 5)
            payloads.append(
                session_payload(
                    alex["routine_id"],
                    started_at=(end - timedelta(minutes=15)).isoformat(),
                    completed_at=end.isoformat(),
                    notes=f"session number {index}",
                )
            )
        assert {r.status for r in store_batch(alex["user"], payloads)} == {"created"}
    auth.login("alex@example.com")
    first = page(client)
    assert first.count('class="session-item"') == 20
    assert first.index("session number 0<") < first.index("session number 1<") < first.index("session number 19<")
    assert "session number 20<" not in first
    assert "page=2#sessions" in first and "Older sessions" in first and "Newer sessions" not in first
    second = page(client, "/history/?page=2")
    assert second.count('class="session-item"') == 5 and "session number 24<" in second
    assert "Newer sessions" in second and "Older sessions" not in second
    assert "No sessions on this page" in page(client, "/history/?page=9")
    assert page(client, "/history/?page=nonsense").count('class="session-item"') == 20


# ---- Function re-rating on the page ----


@pytest.fixture
def activities(app, alex):
    with app.app_context():
        ids = []
        for position, name in enumerate(("Putting on socks", "Sitting through a film")):
            activity = FunctionActivity(user_id=alex["user"].id, name=name, position=position)
            db.session.add(activity)
            db.session.flush()
            ids.append(activity.id)
        db.session.commit()
        return ids


def ratings(app) -> list[tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(
            db.select(FunctionRating.activity_id, FunctionRating.score).order_by(FunctionRating.id)
        )
        return [tuple(row) for row in rows]


def post_ratings(client, data: dict):
    token = csrf_from(page(client))
    return client.post("/history/function", data={"csrf_token": token, **data})


def test_function_rating_is_asked_then_stored(app, client, auth, activities):
    auth.login("alex@example.com")
    html = page(client)
    assert "How are these activities now?" in html
    assert f'name="activity-{activities[0]}"' in html and 'min="0" max="10"' in html
    response = post_ratings(client, {f"activity-{activities[0]}": "3", f"activity-{activities[1]}": "0"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/history/#function")
    assert ratings(app) == [(activities[0], 3), (activities[1], 0)]
    html = page(client)
    assert "How are these activities now?" not in html  # not due again for two weeks
    assert "your ratings are saved" in html and "rated once so far" in html


def test_function_rating_is_due_again_after_fourteen_days(app, client, auth, activities, now):
    with app.app_context():
        for activity_id, score in zip(activities, (3, 4), strict=True):
            long_ago = now - timedelta(days=14, hours=1)
            db.session.add(FunctionRating(activity_id=activity_id, score=score, rated_at=long_ago))
        db.session.commit()
    auth.login("alex@example.com")
    assert "How are these activities now?" in page(client)
    post_ratings(client, {f"activity-{activities[0]}": "6", f"activity-{activities[1]}": "5"})
    html = page(client)
    words = " ".join(html.split())
    assert (
        'Putting on socks</strong>: 3 → 6 (up 3: <span class="function__meaningful">meaningful change</span>)' in words
    )
    assert "Sitting through a film</strong>: 4 → 5 (up 1)" in words  # one point is not a change that matters
    assert 'id="function-chart"' in html


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("11", "5", "Use a whole number from 0"),
        ("-1", "5", "Use a whole number from 0"),
        ("", "5", "Rate this activity from 0 to 10."),
        (None, "5", "Rate this activity from 0 to 10."),
        ("4", "ten", "Use a whole number from 0"),
        ("4.5", "5", "Use a whole number from 0"),
        (["4", "6"], "5", "Use a whole number from 0"),  # sent twice: neither is taken
    ],
)
def test_function_rating_refuses_bad_scores_and_stores_nothing(app, client, auth, activities, first, second, message):
    auth.login("alex@example.com")
    data = {f"activity-{activities[1]}": second}
    if first is not None:
        data[f"activity-{activities[0]}"] = first
    response = post_ratings(client, data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Nothing was saved." in html and message in html and 'aria-invalid="true"' in html
    assert ratings(app) == []


def test_function_rating_never_touches_another_persons_activity(app, client, auth, activities):
    with app.app_context():
        other = make_user("gardener@example.com")
        theirs = FunctionActivity(user_id=other.id, name="Gardening", position=0)
        db.session.add(theirs)
        db.session.commit()
        theirs_id = theirs.id
    auth.login("alex@example.com")
    data = {f"activity-{a}": "5" for a in activities} | {f"activity-{theirs_id}": "9"}
    assert post_ratings(client, data).status_code == 302
    assert ratings(app) == [(activities[0], 5), (activities[1], 5)]


def test_function_rating_without_csrf_is_refused(app, client, auth, activities):
    auth.login("alex@example.com")
    response = client.post("/history/function", data={f"activity-{a}": "5" for a in activities})
    assert response.status_code == 400
    assert ratings(app) == []


def test_rating_without_activities_changes_nothing(app, client, auth, alex):
    auth.login("alex@example.com")
    response = post_ratings(client, {"activity-1": "5"})
    assert response.status_code == 302
    assert ratings(app) == []
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CompletedSession.id))).scalar() == 0
