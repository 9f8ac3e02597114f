"""Milestones and the Monday summary: the rules as tables, then Today showing each once, remembered by a POST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.programs.services import starter_program
from webapp.sessions import milestones, screens
from webapp.sessions import services as records
from webapp.sessions.milestones import Facts, WeeklySummary
from webapp.sessions.models import MilestoneShown
from webapp.sessions.schedule import Adherence, Plan
from webapp.sessions.sync import store_batch

from .conftest import csrf_from
from .factories import make_plan, make_user, session_payload

MONDAY = date(2026, 3, 2)


def keys(facts: Facts) -> list[str]:
    return [m.key for m in milestones.reached(facts)]


# ---- The rules ----


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(), []),
        (Facts(pains_before=[5]), ["first-session"]),
        (Facts(pains_before=[5] * 9), ["first-session"]),
        (Facts(pains_before=[5] * 10), ["first-session", "ten-sessions"]),
        # A full week: every planned session of one block of the plan, by the plan's own count
        (Facts(pains_before=[5] * 3, weeks=[Adherence(3, 3)]), ["first-session", "first-full-week"]),
        (Facts(pains_before=[5] * 5, weeks=[Adherence(3, 2), Adherence(3, 3)]), ["first-session", "first-full-week"]),
        (Facts(pains_before=[5] * 2, weeks=[Adherence(3, 2)]), ["first-session"]),
        (Facts(pains_before=[5] * 2, weeks=[Adherence(0, 2)]), ["first-session"]),  # nothing planned is no full week
        # Pain: the first three sessions' mean against the last three's, from six sessions on
        (Facts(pains_before=[6, 6, 6, 4, 4, 4]), ["first-session", "pain-down-2"]),
        (Facts(pains_before=[6, 6, 5, 4, 4, 4]), ["first-session"]),  # 5.7 to 4: down 1.7
        (Facts(pains_before=[7, 7, 7, 4, 4]), ["first-session"]),  # five sessions: the ends would share one
        (Facts(pains_before=[6, 7, 8, 9, 9, 5, 5, 5]), ["first-session", "pain-down-2"]),  # the middle is not read
        (Facts(pains_before=[4, 4, 4, 6, 6, 6]), ["first-session"]),  # up is no milestone
        # A finished program: its last day passed with at least one of its sessions done
        (
            Facts(pains_before=[5], program="Gentle start", assignment_id=7, finished=Adherence(6, 1)),
            ["first-session", "finished:7"],
        ),
        (Facts(pains_before=[5], program="Gentle start", assignment_id=7, finished=Adherence(6, 0)), ["first-session"]),
    ],
)
def test_what_counts_as_a_milestone(facts, expected):
    assert keys(facts) == expected


def test_the_pain_ends_are_means_of_three_to_one_decimal():
    assert milestones.pain_ends([5] * 5) is None
    assert milestones.pain_ends([7, 6, 6, 1, 9, 3, 4, 4]) == (6.3, 3.7)
    [pain] = [m for m in milestones.reached(Facts(pains_before=[7, 6, 6, 3, 4, 4])) if m.key == "pain-down-2"]
    assert pain.title == "Pain down 2.6 points since you started"
    assert "Before your first 3 sessions your pain was 6.3 out of 10 on average; before your last 3, 3.7." in pain.text


@pytest.mark.parametrize(
    ("reached", "shown", "expected"),
    [
        ([], set(), None),
        (["first-session"], set(), "first-session"),
        (["first-session"], {"first-session"}, None),
        (["first-session", "ten-sessions"], set(), "ten-sessions"),  # the most notable, one at a time
        (["first-session", "ten-sessions"], {"ten-sessions"}, "first-session"),
        (["first-session", "first-full-week", "pain-down-2", "finished:3"], {"finished:3"}, "pain-down-2"),
        (["first-session", "finished:4"], {"first-session", "finished:3"}, "finished:4"),  # each program its own
    ],
)
def test_today_shows_the_most_notable_milestone_not_yet_shown(reached, shown, expected):
    found = [milestones.Milestone(key, key, "") for key in reached]
    chosen = milestones.to_show(found, shown)
    assert (chosen.key if chosen else None) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("first-session", ["first-session"]),
        ("ten-sessions", ["first-session", "first-full-week", "ten-sessions"]),
        ("finished:3", ["first-session", "first-full-week", "ten-sessions", "finished:3"]),
        ("pain-down-2", []),  # not reached: nothing to record
        ("finished:4", []),
        ("", []),
    ],
)
def test_showing_one_settles_every_less_notable_one_reached(key, expected):
    found = [milestones.Milestone(k, k, "") for k in ("first-session", "first-full-week", "ten-sessions", "finished:3")]
    assert milestones.keys_to_record(found, key) == expected


# ---- The weekly summary ----


@pytest.fixture
def plan(app):
    """Gentle start (two weeks, Mon/Wed/Fri) from Monday 2 March 2026."""
    with app.app_context():
        program = starter_program("gentle-start")
        yield Plan(program=program, start_date=MONDAY)


def test_the_summary_comes_on_mondays_only(plan):
    sessions = [(MONDAY, 5)]
    for day in range(1, 7):
        assert milestones.weekly_summary(MONDAY + timedelta(days=7 + day), plan, sessions) is None
    assert milestones.weekly_summary(MONDAY + timedelta(days=7), plan, sessions) is not None


def test_the_summary_of_a_week(plan):
    second_monday = MONDAY + timedelta(days=7)
    sessions = [(MONDAY, 6), (MONDAY + timedelta(days=2), 5), (MONDAY + timedelta(days=2), 4)]
    summary = milestones.weekly_summary(second_monday, plan, sessions)
    first_routine = plan.routine_on(second_monday).name
    next_words = f"This week: 3 sessions planned, starting today with {first_routine}."
    assert summary == WeeklySummary(MONDAY, 2, 3, 5.0, None, next_words)
    assert summary.lines() == [
        "2 of 3 planned sessions done.",
        "Pain before your sessions: 5 out of 10 on average.",
        f"This week: 3 sessions planned, starting today with {first_routine}.",
    ]
    assert summary.period == "2 Mar to 8 Mar"


@pytest.mark.parametrize(
    ("last_week", "week_before", "words"),
    [
        ([4, 4], [6], "Pain before your sessions: 4 out of 10 on average, down from 6 the week before."),
        ([5, 6], [5], "Pain before your sessions: 5.5 out of 10 on average, up from 5 the week before."),
        ([5], [4, 6], "Pain before your sessions: 5 out of 10 on average, the same as the week before."),
        ([], [5], None),
    ],
)
def test_the_pain_trend_of_the_summary(plan, last_week, week_before, words):
    third_monday = MONDAY + timedelta(days=14)
    sessions = [(MONDAY + timedelta(days=7), p) for p in last_week] + [(MONDAY, p) for p in week_before]
    summary = milestones.weekly_summary(third_monday, plan, sessions)
    assert summary.pain_words == words


@pytest.mark.parametrize(
    ("today", "trainer", "words"),
    [
        # The plan ended on Sunday 15 March
        (date(2026, 3, 16), False, "Next: choose your next program."),
        (date(2026, 3, 16), True, "Next: your trainer will set what comes after your program."),
        # Starts on a Wednesday: the first Monday has nothing until then
        (date(2026, 3, 2), False, "This week: 3 sessions planned, starting today with"),
    ],
)
def test_what_comes_next(plan, today, trainer, words):
    assert milestones.next_words(today, plan, trainer).startswith(words)


def test_a_week_with_nothing_planned_and_nothing_done_has_no_summary(plan):
    assert milestones.weekly_summary(MONDAY, plan, []) is None  # the week before the plan began
    assert milestones.weekly_summary(MONDAY, None, []) is None
    # Without a plan, what was done still counts
    summary = milestones.weekly_summary(MONDAY, None, [(MONDAY - timedelta(days=3), 4)])
    assert summary.sessions_words == "1 session done." and summary.next_words == "Next: choose your next program."


# ---- On Today ----


@pytest.fixture
def alex(app, users, clock):
    """Onboarded on Monday 2 March 2026 on Coach's gentle start program from that day (Mon/Wed/Fri), in London."""
    clock.move_to(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.record_about(alex, 5, [], [], "")
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=MONDAY, by=users["coach"])
    return users["alex"]


def do(app, user, clock, *days: date, pain_before=4):
    """Sessions done at 09:00 UTC on each day (the routine of that day's week), synced at once."""
    with app.app_context():
        program = starter_program("gentle-start")
        member = db.session.merge(user)
        for day in days:
            routine = program.weeks[min((day - MONDAY).days // 7, 1)].routines[0]
            end = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
            clock.move_to(end + timedelta(minutes=1))
            [result] = store_batch(member, [session_payload(routine.id, ended=end, pain_before=pain_before)])
            assert result.status == "created", result


def shown(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(db.select(MilestoneShown.key)).scalars())


def mark(client, key, **headers):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    return client.post("/milestones/seen", data={"csrf_token": token, "milestone": key}, headers=headers)


def test_the_first_session_shows_once_and_a_post_remembers_it(app, auth, alex, clock):
    do(app, alex, clock, MONDAY)
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Your first session is done" in page and 'name="milestone" value="first-session"' in page
    assert "Your first session is done" in auth.client.get("/").get_data(as_text=True)  # a GET remembers nothing
    assert shown(app) == []
    response = mark(auth.client, "first-session")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert shown(app) == ["first-session"]
    assert "Your first session is done" not in auth.client.get("/").get_data(as_text=True)
    # The script's post, sent again by a second tab: answered, nothing new
    assert mark(auth.client, "first-session", Accept="application/json").get_json() == {"marked": 0}
    # The person's export lists it, with when it was shown.
    [entry] = auth.client.get("/account/export.json").get_json()["milestones_shown"]
    assert entry["milestone"] == "first-session" and entry["shown_at"].endswith("Z")


def test_a_full_week_then_the_program_finished(app, auth, alex, clock):
    do(app, alex, clock, MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=4))
    clock.move_to(datetime(2026, 3, 7, 9, 0, tzinfo=UTC))
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "A full week" in page and "Every session planned for a week of Gentle start, done." in page
    assert mark(auth.client, "first-full-week", Accept="application/json").get_json() == {"marked": 2}
    assert shown(app) == ["first-full-week", "first-session"]  # the first session is older news by now
    do(app, alex, clock, *(MONDAY + timedelta(days=d) for d in (7, 9, 11)))
    clock.move_to(datetime(2026, 3, 17, 9, 0, tzinfo=UTC))  # the Tuesday after the plan's last week
    page = auth.client.get("/").get_data(as_text=True)
    assert 'value="finished:' in page and "6 of 6 planned sessions done" in page


def test_pain_down_two_points_shows_with_the_numbers(app, auth, alex, clock):
    do(app, alex, clock, MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=4), pain_before=6)
    do(app, alex, clock, *(MONDAY + timedelta(days=d) for d in (7, 9, 11)), pain_before=3)
    clock.move_to(datetime(2026, 3, 14, 9, 0, tzinfo=UTC))
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Pain down 3 points since you started" in page and "A full week" not in page


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({}, 400),  # no milestone named
        ({"milestone": "ten-sessions"}, 400),  # not reached
        ({"milestone": "finished:1"}, 400),
        ({"milestone": "made-up"}, 400),
        ({"milestone": ["first-session", "first-session"]}, 400),  # sent twice
        ({"milestone": "x" * 5000}, 400),
    ],
)
def test_bad_milestones_are_refused_and_nothing_is_remembered(app, auth, alex, clock, data, status):
    do(app, alex, clock, MONDAY)
    auth.login("alex@example.com")
    token = csrf_from(auth.client.get("/lessons/").get_data(as_text=True))
    response = auth.client.post("/milestones/seen", data={"csrf_token": token, **data})
    assert response.status_code == status
    assert "not one you have reached" in response.get_data(as_text=True)
    assert shown(app) == []


def test_marking_needs_csrf_a_login_and_a_client(app, client, auth, alex, clock):
    do(app, alex, clock, MONDAY)
    assert client.post("/milestones/seen", data={"milestone": "first-session"}).status_code == 400  # no token
    auth.login("alex@example.com")
    assert auth.client.post("/milestones/seen", data={"milestone": "first-session"}).status_code == 400
    auth.logout()
    assert mark(auth.client, "first-session").status_code in (302, 401)
    auth.login("coach@example.com")
    assert mark(auth.client, "first-session").status_code == 403
    assert shown(app) == []


def test_another_persons_milestone_cannot_be_marked_for_them(app, auth, alex, clock, users):
    do(app, alex, clock, MONDAY)
    with app.app_context():
        make_user("new@example.com", trainer=db.session.merge(users["coach"]))
    auth.login("new@example.com")
    assert mark(auth.client, "first-session").status_code == 400
    assert shown(app) == []


# ---- The Monday summary on Today, in the person's own zone ----


def test_the_summary_shows_on_the_persons_monday(app, auth, alex, clock):
    do(app, alex, clock, MONDAY, MONDAY + timedelta(days=2), pain_before=5)
    clock.move_to(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))  # Monday 9 March in London
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Your week in brief" in page and "Last week, 2 Mar to 8 Mar" in page
    assert "2 of 3 planned sessions done." in page and "5 out of 10 on average." in page
    assert "This week: 3 sessions planned, starting today with" in page
    clock.move_to(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    assert "Your week in brief" not in auth.client.get("/").get_data(as_text=True)


def test_waiting_for_a_clinician_the_summary_names_no_sessions_for_the_week(app, auth, alex, clock):
    do(app, alex, clock, MONDAY, MONDAY + timedelta(days=2), pain_before=5)
    clock.move_to(datetime(2026, 3, 9, 8, 0, tzinfo=UTC))
    with app.app_context():
        screens.record_screen(db.session.merge(alex), ["bladder"])  # new bladder trouble: emergency care first
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Your week in brief" in page and "2 of 3 planned sessions done." in page
    assert "This week: sessions wait until a clinician has seen you." in page
    assert "sessions planned, starting today" not in page


def test_monday_comes_by_the_persons_own_clock(app, auth, alex, clock):
    do(app, alex, clock, MONDAY)
    with app.app_context():
        db.session.merge(alex).timezone = "Pacific/Auckland"
        db.session.commit()
    auth.login("alex@example.com")
    clock.move_to(datetime(2026, 3, 8, 20, 0, tzinfo=UTC))  # Sunday evening in London, Monday morning in Auckland
    assert "Your week in brief" in auth.client.get("/").get_data(as_text=True)
    clock.move_to(datetime(2026, 3, 9, 20, 0, tzinfo=UTC))  # Monday in London, Tuesday in Auckland
    assert "Your week in brief" not in auth.client.get("/").get_data(as_text=True)
