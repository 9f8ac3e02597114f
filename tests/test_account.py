"""The user's own account: settings, the private calendar feed, export, and deleting everything."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from webapp.account import calendar
from webapp.account.deletion import delete_account
from webapp.auth.models import User
from webapp.builder.models import Clinic
from webapp.content.models import Exercise, ExerciseMuscle, LessonRead
from webapp.extensions import db
from webapp.messages.models import Message
from webapp.messages.services import Thread, write
from webapp.programs.duration import routine_minutes
from webapp.programs.models import Assignment, Profile, Program, ProgramWeek, Routine, RoutineExercise
from webapp.programs.services import starter_program
from webapp.sessions import screens
from webapp.sessions.models import (
    CheckIn,
    CompletedSession,
    FunctionActivity,
    FunctionRating,
    RedFlagScreen,
    SessionExercise,
)
from webapp.sessions.schedule import Plan
from webapp.sessions.spreadsheet import safe_cell
from webapp.sessions.sync import store_batch
from webapp.timeutil import WEEKDAYS
from webapp.trainer.models import Invite

from .clock import FROZEN_AT, TODAY
from .conftest import csrf_from, queued_mail
from .factories import DEFAULT_PASSWORD, first_routine_id, make_plan, make_user, session_payload

LONDON = ZoneInfo("Europe/London")

# The calendar feed, the export and the settings all speak of days: every story here happens at the
# suite's fixed moment, when it is already Thursday 2 July in London but still 1 July in UTC.
pytestmark = pytest.mark.usefixtures("clock")


# --- helpers -----------------------------------------------------------------------------------------


def store(user, *payloads) -> None:
    results = store_batch(user, list(payloads))
    assert [r.status for r in results] == ["created"] * len(payloads), results


def give_history(user, slug: str = "gentle-start", notes: str = "Felt fine") -> None:
    """A plan, two sessions (one without exercises), and everything onboarding would have stored."""
    make_plan(user, slug, start=TODAY - timedelta(days=7))
    routine_id = first_routine_id(slug)
    two_exercises = [
        {"exercise": "pelvic-tilt", "sets_done": 2, "reps_done": 8, "hold_seconds": 0, "painful": False},
        {"exercise": "glute-bridge", "sets_done": 1, "reps_done": 10, "hold_seconds": 0, "painful": True},
    ]
    store(
        user,
        session_payload(routine_id, notes=notes, exercises=two_exercises),
        session_payload(routine_id, exercises=[]),
    )
    session_id = db.session.execute(select(CompletedSession.id).where(CompletedSession.user_id == user.id)).scalar()
    activity = FunctionActivity(user_id=user.id, name=f"Tying shoes ({user.name})", position=0)
    activity.ratings = [FunctionRating(score=4), FunctionRating(score=6)]
    db.session.add_all(
        [
            CheckIn(user_id=user.id, kind="baseline", pain=5),
            CheckIn(user_id=user.id, kind="next-day", pain=3, session_id=session_id),
            RedFlagScreen(user_id=user.id, signs=[], outcome="clear"),
            activity,
        ]
    )
    if user.trainer_id:
        db.session.commit()
        trainer = db.session.get(User, user.trainer_id)
        write(Thread(user, trainer), "trainer", trainer, f"Well done, {user.name}")
        write(Thread(user, trainer), "client", user, f"Thank you, from {user.name}")
    db.session.commit()


def login(auth, email: str) -> None:
    response = auth.login(email)
    assert response.status_code == 302, response.get_data(as_text=True)


def logout(client) -> None:
    # The lessons page answers every visitor, whatever onboarding step "/" would redirect to.
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302


def page(client, path: str):
    response = client.get(path)
    return response, response.get_data(as_text=True)


def calendar_url(client) -> str:
    _, html = page(client, "/account/")
    if "Create calendar link" in html:
        # The link is made by its button, never by showing the page.
        client.post("/account/calendar/link", data={"csrf_token": csrf_from(html)})
        _, html = page(client, "/account/")
    match = re.search(r'value="(http://[^"]+/account/calendar/[^"]+\.ics)"', html)
    assert match, "the account page shows no calendar link"
    return match.group(1)


def selected_zone(html: str) -> str | None:
    match = re.search(r'<option selected value="([^"]+)"', html)
    return match.group(1) if match else None


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def events_of(body: str) -> list[dict[str, str]]:
    """Each VEVENT's own properties (not its alarm's), by name without parameters."""
    events, stack = [], []
    for line in unfold(body):
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            stack.pop()
        elif stack and stack[-1] == "VEVENT":
            events[-1][name.split(";")[0]] = value
    return events


def assert_well_formed(body: str) -> None:
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", ""), "a line ends without CR"
    for physical in body.split("\r\n")[:-1]:
        assert len(physical.encode("utf-8")) <= 75, physical
    stack = []
    for line in unfold(body):
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack and stack.pop() == line[4:], line
    assert stack == []
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)


def utc_of(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def expected_days(program: Program, start: date, first: date, weeks: int = 8) -> list[date]:
    """The planned days worked out from the program's weeks, independently of Plan."""
    last = min(first + timedelta(days=7 * weeks - 1), start + timedelta(days=7 * len(program.weeks) - 1))
    days, day = [], first
    while day <= last:
        week = program.weeks[(day - start).days // 7]
        if any(WEEKDAYS[day.weekday()] in r.day_list for r in week.routines):
            days.append(day)
        day += timedelta(days=1)
    return days


# --- the account page --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    for path in ("/account/", "/account/export.json", "/account/export.csv", "/account/delete"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], path


def test_a_client_sees_profile_reminders_calendar_export_and_delete(client, auth, users):
    login(auth, "alex@example.com")
    response, html = page(client, "/account/")
    assert response.status_code == 200
    assert "Alex Morgan" in html and "alex@example.com" in html
    assert selected_zone(html) == "Europe/London"
    assert "Days that suit you" in html and "Reminders on this phone" in html
    assert html.count('type="time"') == 1, "one reminder time on the page: the reminders card's"
    assert "Create calendar link" in html and 'data-copy="calendar-url"' not in html
    created = client.post("/account/calendar/link", data={"csrf_token": csrf_from(html)})
    assert created.status_code == 302
    response, html = page(client, "/account/")
    assert "/account/calendar/" in html and "Add Subscribed Calendar" in html and "From URL" in html
    assert "/account/export.json" in html and "/account/export.csv" in html and "/account/delete" in html
    assert "/auth/password" in html
    assert 'data-copy="calendar-url"' in html


def test_a_trainer_sees_profile_export_and_delete_but_no_calendar(client, auth, users):
    login(auth, "coach@example.com")
    response, html = page(client, "/account/")
    assert response.status_code == 200
    assert "Casey Coach" in html and "/account/export.json" in html and "/account/delete" in html
    assert "/account/calendar/" not in html and "Reminders on this phone" not in html
    # Alerts in this browser (static/js/alerts.js, loaded on this page alone); without script, a note.
    assert "Alerts in this browser" in html and re.search(r'<script type="module" src="/static/js/alerts\.js\?v=', html)
    assert "Alerts need JavaScript in this browser. Your dashboard shows the same flags and messages." in html


def test_a_client_has_no_trainers_alerts(client, auth, users):
    login(auth, "alex@example.com")
    _, html = page(client, "/account/")
    assert "Alerts in this browser" not in html and "alerts.js" not in html


def test_the_account_menu_links_to_the_account_page(client, auth, users):
    login(auth, "alex@example.com")
    _, html = page(client, "/lessons/")
    assert 'href="/account/"' in html


def settings(client, **fields):
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    data = {"csrf_token": token, "name": "Alex Morgan", "timezone": "Europe/London", **fields}
    return client.post("/account/", data=data)


def test_time_zone_days_and_time_are_saved(app, client, auth, users):
    login(auth, "alex@example.com")
    # The profile form's time field went to the reminders card: a page opened before sends it, and it is ignored.
    response = settings(client, timezone="Asia/Kathmandu", preferred_days=["wed", "mon"], preferred_time="07:30")
    assert response.status_code == 302
    with app.app_context():
        alex = db.session.get(User, users["alex"].id)
        profile = db.session.get(Profile, alex.id)
        assert alex.timezone == "Asia/Kathmandu"
        assert (profile.preferred_days, profile.preferred_time) == ("mon,wed", "")
    # A zone outside the common list stays selectable, so saving again does not lose it.
    _, html = page(client, "/account/")
    assert selected_zone(html) == "Asia/Kathmandu"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
        ({"timezone": "../../etc/passwd"}, "Choose a time zone from the list."),
        ({"preferred_days": ["someday"]}, "not a valid choice"),
        ({"name": "   "}, "Tell us what to call you."),
    ],
)
def test_bad_settings_are_refused_with_a_message_and_change_nothing(app, client, auth, users, fields, message):
    login(auth, "alex@example.com")
    response = settings(client, **fields)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        alex = db.session.get(User, users["alex"].id)
        assert alex.timezone == "Europe/London" and alex.name == "Alex Morgan"


def test_settings_need_the_csrf_token(app, client, auth, users):
    login(auth, "alex@example.com")
    response = client.post("/account/", data={"name": "Mallory", "timezone": "UTC"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, users["alex"].id).name == "Alex Morgan"


# --- the calendar feed: plain functions ----------------------------------------------------------------


def test_text_is_escaped_and_long_lines_folded_at_75_octets():
    assert calendar.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    line = "DESCRIPTION:" + "2 sets of 5 × 10 s hold, " * 10
    folded = calendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert calendar.fold("SUMMARY:short") == "SUMMARY:short"


def test_the_preferred_time_is_converted_from_the_users_zone_to_utc():
    summer, winter = date(2026, 7, 6), date(2026, 1, 5)
    at = calendar.parse_time("07:30")
    assert calendar.start_in_utc(summer, at, "Europe/London") == datetime(2026, 7, 6, 6, 30, tzinfo=UTC)
    assert calendar.start_in_utc(winter, at, "Europe/London") == datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    assert calendar.start_in_utc(summer, at, "America/New_York") == datetime(2026, 7, 6, 11, 30, tzinfo=UTC)
    assert calendar.parse_time("") == calendar.parse_time("nonsense") == calendar.DEFAULT_TIME


def test_events_cover_eight_weeks_of_planned_sessions_within_the_plan(app):
    with app.app_context():
        walking = starter_program("walking-progression")  # 8 weeks
        start = date(2026, 6, 1)
        today = date(2026, 6, 10)
        events = calendar.planned_events(Plan(walking, start), "Europe/London", "07:30", today, lambda r: "u")
        days = expected_days(walking, start, today)
        assert [e.start.date() for e in events] == days
        assert all(e.start.astimezone(LONDON).strftime("%H:%M") == "07:30" for e in events)
        assert days[-1] <= start + timedelta(days=55)  # the plan ends before the 8 weeks do
        # As long as the player takes: the first week's two 5-minute walks with their rest, and the loosening moves.
        assert events[0].minutes == routine_minutes(Plan(walking, start).routine_on(events[0].start.date()).items)


# --- the calendar feed over HTTP ------------------------------------------------------------------------


def test_the_feed_lists_every_planned_session_of_the_next_eight_weeks(app, client, auth, users):
    with app.app_context():
        start = TODAY - timedelta(days=3)
        make_plan(users["alex"], "walking-progression", start=start)
        profile = Profile(user_id=users["alex"].id, preferred_time="07:30", preferred_days="mon,wed,fri")
        db.session.add(profile)
        db.session.commit()
        walking = starter_program("walking-progression")
        days = expected_days(walking, start, TODAY)
        routine_names = {r.id: r.name for w in walking.weeks for r in w.routines}
        # As long as the player takes each routine: the walks grow week by week.
        routine_length = {r.id: routine_minutes(r.items) for w in walking.weeks for r in w.routines}
    login(auth, "alex@example.com")
    url = calendar_url(client)
    logout(client)

    response = client.get(path_of(url))  # no login: calendar apps cannot log in
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = response.get_data(as_text=True)
    assert_well_formed(body)
    events = events_of(body)
    assert len(events) == len(days) == body.count("BEGIN:VEVENT")
    assert body.count("BEGIN:VALARM") == len(days) and "TRIGGER:-PT0M" in body
    for event, day in zip(events, days, strict=True):
        start_at = utc_of(event["DTSTART"])
        local = start_at.astimezone(LONDON)
        assert (local.date(), local.strftime("%H:%M")) == (day, "07:30")
        routine_id = int(event["UID"].split("@")[0].split("-")[1])
        assert event["UID"] == f"{day:%Y%m%d}-{routine_id}@coresteady"
        assert event["SUMMARY"] == f"CoreSteady: {routine_names[routine_id]}"
        assert event["DURATION"] == f"PT{routine_length[routine_id]}M"
        assert f"/routines/{routine_id}/play" in event["DESCRIPTION"]
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    # The same UIDs on the next fetch, so calendars update events instead of doubling them.
    again = events_of(client.get(path_of(url)).get_data(as_text=True))
    assert [e["UID"] for e in again] == [e["UID"] for e in events]


def test_no_events_after_the_plan_ends(app, client, auth, users):
    with app.app_context():
        start = TODAY
        make_plan(users["alex"], "gentle-start", start=start)  # 2 weeks
        end = start + timedelta(days=13)
    login(auth, "alex@example.com")
    body = client.get(path_of(calendar_url(client))).get_data(as_text=True)
    events = events_of(body)
    assert 1 <= len(events) <= 6
    # With no preferred time, reminders come at 08:00 local.
    for event in events:
        local = utc_of(event["DTSTART"]).astimezone(LONDON)
        assert start <= local.date() <= end and local.strftime("%H:%M") == "08:00"


def test_the_calendar_alarms_at_the_reminders_cards_time(app, client, auth, users):
    """One reminder time on the account page: the card's, which the notification, the email and the calendar all
    follow (it starts at the time onboarding asked for, and at 08:00 without one)."""
    with app.app_context():
        make_plan(users["alex"], "gentle-start", start=TODAY)
        db.session.add(Profile(user_id=users["alex"].id, preferred_time="07:30"))
        db.session.commit()
    login(auth, "alex@example.com")
    url = path_of(calendar_url(client))

    def alarms() -> set[str]:
        events = events_of(client.get(url).get_data(as_text=True))
        return {utc_of(e["DTSTART"]).astimezone(LONDON).strftime("%H:%M") for e in events}

    assert alarms() == {"07:30"}
    assert client.put("/api/v1/reminders", json={"time": "18:15"}, headers=auth.api_headers()).status_code == 200
    assert alarms() == {"18:15"}
    html = " ".join(client.get("/account/").get_data(as_text=True).split())
    assert "shows up there at 18:15, your reminder time" in html


def test_waiting_for_a_clinician_the_calendar_holds_no_sessions_until_the_check(app, client, auth, users):
    """No alarm to exercise while the person was told to get checked first (as reminders: sending.due_now);
    the sessions come back once they give the day a clinician saw them."""
    with app.app_context():
        make_plan(users["alex"], "gentle-start", start=TODAY)
        screens.record_screen(db.session.merge(users["alex"]), ["saddle"])
    login(auth, "alex@example.com")
    url = path_of(calendar_url(client))
    body = client.get(url).get_data(as_text=True)
    assert_well_formed(body)
    assert "BEGIN:VEVENT" not in body and "BEGIN:VALARM" not in body
    # Calendars that follow it look again within the hour, so the alarms already there stop soon.
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body and "X-PUBLISHED-TTL:PT1H\r\n" in body
    settings = " ".join(client.get("/account/").get_data(as_text=True).split())
    assert "No sessions show in the calendar while you wait for a clinician to see you" in settings
    assert "Coming up" not in settings
    with app.app_context():
        person = db.session.merge(users["alex"])
        screens.record_screen(person, [])
        screens.record_confirmation(person, TODAY)
    assert "BEGIN:VEVENT" in client.get(url).get_data(as_text=True)
    assert "Coming up" in client.get("/account/").get_data(as_text=True)


def test_a_client_without_a_plan_gets_an_empty_but_valid_calendar(client, auth, users):
    login(auth, "alex@example.com")
    response = client.get(path_of(calendar_url(client)))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert_well_formed(body)
    assert "BEGIN:VEVENT" not in body


def test_the_token_is_long_random_and_required(app, client, auth, users):
    with app.app_context():
        make_user("sam@example.com", trainer=users["coach"])
    login(auth, "alex@example.com")
    alex_url = calendar_url(client)
    logout(client)
    login(auth, "sam@example.com")
    sam_url = calendar_url(client)
    logout(client)
    token = alex_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(token) >= 48 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert alex_url != sam_url
    assert client.get(path_of(alex_url)).status_code == 200
    for guess in ("", "x", token[:-1], token[:-1] + ("A" if token[-1] != "A" else "B"), "A" * 48, token + "x"):
        assert client.get(f"/account/calendar/{guess}.ics").status_code == 404, guess
    assert client.get("/account/calendar/.ics").status_code == 404


def test_replacing_the_link_makes_the_old_one_404(client, auth, users):
    login(auth, "alex@example.com")
    old = calendar_url(client)
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    response = client.post("/account/calendar/link", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("#calendar")
    assert "the old one no longer works" in client.get(response.headers["Location"]).get_data(as_text=True)
    new = calendar_url(client)
    assert new != old
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_replacing_the_link_needs_csrf_and_a_client(client, auth, users):
    login(auth, "alex@example.com")
    old = calendar_url(client)
    assert client.post("/account/calendar/link").status_code == 400
    assert calendar_url(client) == old
    logout(client)
    login(auth, "coach@example.com")
    token = csrf_from(client.get("/account/").get_data(as_text=True))
    assert client.post("/account/calendar/link", data={"csrf_token": token}).status_code == 403


# --- export -------------------------------------------------------------------------------------------


@pytest.fixture
def two_clients(app, users):
    """Alex and Sam, both coached by Casey, each with a history; Sam's notes must never leak to Alex."""
    with app.app_context():
        sam = make_user("sam@example.com", name="Sam Patel", trainer=users["coach"])
        give_history(users["alex"], notes="=cmd|' /C calc'!A0")
        give_history(sam, notes="sam-private-note")
        return {"alex": users["alex"], "sam": sam}


def test_the_json_export_holds_the_users_data_and_nobody_elses(app, client, auth, two_clients):
    login(auth, "alex@example.com")
    response = client.get("/account/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r'attachment; filename="coresteady-export-\d{4}-\d{2}-\d{2}\.json"', disposition)
    text = response.get_data(as_text=True)
    document = json.loads(text)
    with app.app_context():
        alex_uuids = set(
            db.session.execute(select(CompletedSession.uuid).where(CompletedSession.user_id == two_clients["alex"].id))
            .scalars()
            .all()
        )
    assert document["account"]["email"] == "alex@example.com"
    assert document["account"]["trainer"] == {"name": "Casey Coach", "email": "coach@example.com"}
    assert {s["id"] for s in document["sessions"]} == alex_uuids and len(alex_uuids) == 2
    with_exercises = next(s for s in document["sessions"] if s["exercises"])
    assert [e["exercise"] for e in with_exercises["exercises"]] == ["pelvic-tilt", "glute-bridge"]
    assert with_exercises["completed_at"].endswith("Z") and with_exercises["routine"] == "Gentle start A"
    assert len(document["check_ins"]) == 2 and document["red_flag_screens"][0]["outcome"] == "clear"
    assert [r["score"] for r in document["function_activities"][0]["ratings"]] == [4, 6]
    assert document["assignments"][0]["program"] == "Gentle start"
    assert "calendar_token" not in text
    assert "sam" not in text.lower()


def test_the_csv_has_one_row_per_exercise_done_and_defuses_formulas(client, auth, two_clients):
    login(auth, "alex@example.com")
    response = client.get("/account/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="coresteady-export-')
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["completed_at_utc", "local_date", "routine"] and "painful" in header
    assert len(body) == 3  # two exercises in one session, and one session without any
    notes = {row[header.index("notes")] for row in body}
    assert "'=cmd|' /C calc'!A0" in notes
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in body for cell in row)
    exercises = sorted(row[header.index("exercise")] for row in body)
    assert exercises[0] == "" and len([e for e in exercises if e]) == 2
    assert "sam-private-note" not in response.get_data(as_text=True)


def test_every_formula_start_is_neutralised():
    for start in "=+-@":
        assert safe_cell(start + "1+1") == "'" + start + "1+1"
    assert safe_cell("plain text") == "plain text" and safe_cell(5) == 5


def test_a_trainers_export_has_programs_exercises_and_client_names_but_no_health_data(
    app, client, auth, users, two_clients
):
    with app.app_context():
        trainer_content(users["coach"])
    login(auth, "coach@example.com")
    document = json.loads(client.get("/account/export.json").get_data(as_text=True))
    assert document["account"]["role"] == "trainer"
    assert {p["family"] for p in document["programs"]} == {"casey-used", "casey-spare"}
    assert {e["slug"] for e in document["exercises"]} == {"casey-used-move", "casey-spare-move"}
    assert sorted(c["email"] for c in document["clients"]) == ["alex@example.com", "sam@example.com"]
    assert "sessions" not in document and "sam-private-note" not in json.dumps(document)


def test_a_trainers_export_carries_the_pictures_of_their_own_exercises(app, client, auth, users, two_clients):
    import base64
    import hashlib

    from webapp.content.models import ExerciseImage

    drawing = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'
    with app.app_context():
        made = trainer_content(users["coach"])
        db.session.add(
            ExerciseImage(exercise_id=made["casey-used-move"], mimetype="image/svg+xml",
                          sha256=hashlib.sha256(drawing).hexdigest(), data=drawing)
        )  # fmt: skip
        db.session.commit()
    login(auth, "coach@example.com")
    document = json.loads(client.get("/account/export.json").get_data(as_text=True))
    by_slug = {e["slug"]: e for e in document["exercises"]}
    picture = by_slug["casey-used-move"]["picture"]
    assert picture["content_type"] == "image/svg+xml" and base64.b64decode(picture["base64"]) == drawing
    assert picture["sha256"] == hashlib.sha256(drawing).hexdigest()
    assert by_slug["casey-spare-move"]["picture"] is None
    assert document["clinic"] is None, "no clinic set yet"


def test_a_trainers_export_carries_the_clinics_name_and_logo(app, client, auth, users):
    import base64

    from webapp.builder import clinic
    from webapp.content.images import check_image

    logo = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>'
    with app.app_context():
        checked = check_image(logo)
        clinic.save(db.session.merge(users["coach"]), clinic.ClinicChange("Northside Physio", checked))
    login(auth, "coach@example.com")
    document = json.loads(client.get("/account/export.json").get_data(as_text=True))
    assert document["clinic"]["name"] == "Northside Physio"
    assert document["clinic"]["logo"]["content_type"] == "image/svg+xml"
    assert base64.b64decode(document["clinic"]["logo"]["base64"]) == checked.data
    assert document["clinic"]["logo"]["sha256"] == checked.sha256


# --- deletion ------------------------------------------------------------------------------------------


def table_counts() -> dict[str, int]:
    return {t.name: db.session.execute(select(func.count()).select_from(t)).scalar() for t in db.metadata.sorted_tables}


def rows_of(user_id: int) -> dict[str, int]:
    """Every row that belongs to one user, table by table."""
    sessions = select(CompletedSession.id).where(CompletedSession.user_id == user_id)
    activities = select(FunctionActivity.id).where(FunctionActivity.user_id == user_id)
    queries = {
        "users": select(func.count()).where(User.id == user_id),
        "profiles": select(func.count()).where(Profile.user_id == user_id),
        "completed_sessions": select(func.count()).where(CompletedSession.user_id == user_id),
        "session_exercises": select(func.count()).where(SessionExercise.session_id.in_(sessions)),
        "check_ins": select(func.count()).where(CheckIn.user_id == user_id),
        "red_flag_screens": select(func.count()).where(RedFlagScreen.user_id == user_id),
        "function_activities": select(func.count()).where(FunctionActivity.user_id == user_id),
        "function_ratings": select(func.count()).where(FunctionRating.activity_id.in_(activities)),
        "assignments": select(func.count()).where(Assignment.client_id == user_id),
        "messages": select(func.count()).where(Message.client_id == user_id),
        "messages_from_trainers": select(func.count()).where(Message.client_id == user_id, Message.author == "trainer"),
        "lesson_reads": select(func.count()).where(LessonRead.user_id == user_id),
    }
    return {name: db.session.execute(query).scalar() for name, query in queries.items()}


def references_to(user_id: int) -> dict[str, int]:
    """Rows in any table, today's or a future one, whose foreign key still names the user."""
    found = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "users" for fk in column.foreign_keys) or (
                table.name == "users" and column.name == "id"
            ):
                count = db.session.execute(select(func.count()).where(column == user_id)).scalar()
                if count:
                    found[f"{table.name}.{column.name}"] = count
    return found


def delete_with(client, password: str):
    token = csrf_from(client.get("/account/delete").get_data(as_text=True))
    return client.post("/account/delete", data={"csrf_token": token, "password": password})


def test_the_delete_page_says_what_goes_and_asks_for_the_password(app, client, auth, two_clients):
    login(auth, "alex@example.com")
    response, html = page(client, "/account/delete")
    assert response.status_code == 200
    assert "2 sessions with 2 exercises done in them" in html
    assert "2 pain check-ins" in html and 'type="password"' in html
    # Who stops seeing it, by name and clinic, and that they are not told.
    with app.app_context():
        db.session.add(Clinic(trainer_id=two_clients["alex"].trainer_id, name="Northside Back Clinic"))
        db.session.commit()
    _, html = page(client, "/account/delete")
    assert "Your link to Casey Coach at Northside Back Clinic: they no longer see anything of yours" in html
    assert "No message about it is sent to them." in html


def test_a_wrong_password_deletes_nothing_and_says_so(app, client, auth, two_clients):
    with app.app_context():
        before = table_counts()
    login(auth, "alex@example.com")
    response = delete_with(client, "not-my-password")
    assert response.status_code == 200
    assert "That is not your password. Nothing was deleted." in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts() == before
    assert client.get("/account/").status_code == 200  # still logged in


def test_deleting_needs_csrf(app, client, auth, two_clients):
    login(auth, "alex@example.com")
    response = client.post("/account/delete", data={"password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, two_clients["alex"].id) is not None


def test_deleting_removes_every_row_of_the_user_and_no_one_elses(app, client, auth, two_clients, caplog):
    alex_id, sam_id = two_clients["alex"].id, two_clients["sam"].id
    with app.app_context():
        coach_id = db.session.get(User, alex_id).trainer_id
        invite = Invite(
            trainer_id=coach_id,
            nonce="n" * 32,
            email="alex@example.com",
            name="Alex Morgan",
            expires_at=FROZEN_AT + timedelta(days=7),
            used_at=FROZEN_AT,
            used_by_id=alex_id,
        )
        db.session.add(invite)
        db.session.add(LessonRead(user_id=alex_id, lesson_slug="why-move"))
        db.session.commit()
        invite_id = invite.id
    login(auth, "alex@example.com")
    calendar_url(client)  # its button makes the profile and the calendar link, which must go too
    with app.app_context():
        before, alex_rows, sam_rows = table_counts(), rows_of(alex_id), rows_of(sam_id)
    assert all(alex_rows[name] > 0 for name in alex_rows), alex_rows
    caplog.set_level("INFO", logger="coresteady.security")

    response = delete_with(client, DEFAULT_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"

    with app.app_context():
        after = table_counts()
        assert rows_of(alex_id) == dict.fromkeys(alex_rows, 0)
        assert rows_of(sam_id) == sam_rows
        expected = {name: count - alex_rows.get(name, 0) for name, count in before.items()}
        assert after == expected
        assert references_to(alex_id) == {}
        # The trainer's invitation stays, without the deleted person's name and address.
        used = db.session.get(Invite, invite_id)
        assert (used.used_by_id, used.email, used.name) == (None, "", "")
    assert "account_deleted" in caplog.text and f"user_id={alex_id}" in caplog.text
    landing = client.get("/").get_data(as_text=True)
    assert "Your account and all its data are deleted." in landing
    assert client.get("/account/").status_code == 302  # logged out
    assert auth.login("alex@example.com").status_code == 200  # the login is gone


def trainer_content(coach) -> dict[str, int]:
    """Two programs and two custom exercises of the trainer's; the 'used' ones are in alex's plan."""
    library = db.session.execute(select(Exercise).where(Exercise.slug == "pelvic-tilt")).scalar_one()
    made = {}
    for family in ("casey-used", "casey-spare"):
        exercise = Exercise(
            slug=f"{family}-move",
            name=f"{family} move",
            summary="A move of the trainer's own.",
            kind="reps",
            position="lying-back",
            level=1,
            cue="Slowly.",
            illustration=library.illustration,
            illustration_alt="",
            sets=1,
            reps=5,
            rest_seconds=20,
            owner_id=coach.id,
        )
        exercise.muscle_links = [ExerciseMuscle(muscle_id=library.muscle_links[0].muscle_id, position=0)]
        program = Program(family=family, name=f"{family} plan", owner_id=coach.id, minutes_per_session=10)
        week = ProgramWeek(number=1)
        routine = Routine(name=f"{family} routine", days="mon,tue,wed,thu,fri,sat,sun", program=program)
        routine.items = [RoutineExercise(exercise=exercise, sets=1, reps=5, position=0)]
        week.routines = [routine]
        program.weeks = [week]
        db.session.add_all([exercise, program])
        db.session.commit()
        made[family] = program.id
        made[f"{family}-routine"] = routine.id
        made[f"{family}-move"] = exercise.id
    return made


def test_deleting_a_trainer_unlinks_clients_and_keeps_what_their_history_needs(app, client, auth, users, two_clients):
    alex, sam, coach = two_clients["alex"], two_clients["sam"], users["coach"]
    with app.app_context():
        made = trainer_content(coach)
        program = db.session.get(Program, made["casey-used"])
        # Alex's starter plan ends; Casey's own program takes over.
        db.session.execute(db.update(Assignment).where(Assignment.client_id == alex.id).values(is_active=False))
        db.session.add(
            Assignment(
                client_id=alex.id,
                family="casey-used",
                program_id=program.id,
                start_date=TODAY,
                assigned_by_id=coach.id,
            )
        )
        db.session.commit()
        store(
            alex,
            session_payload(
                made["casey-used-routine"],
                exercises=[
                    {"exercise": "casey-used-move", "sets_done": 1, "reps_done": 5, "hold_seconds": 0, "painful": False}
                ],
            ),
        )
        db.session.add(Invite(trainer_id=coach.id, nonce="p" * 32, email="new@example.com", expires_at=FROZEN_AT))
        db.session.commit()
        before_alex, before_sam = rows_of(alex.id), rows_of(sam.id)

    login(auth, "coach@example.com")
    _, html = page(client, "/account/delete")
    assert "stay, without your name" in html and "2 clients" in html
    assert "Each is told by email that you no longer follow their sessions." in html
    response = delete_with(client, DEFAULT_PASSWORD)
    assert response.status_code == 302
    # Both clients are told that no one sees their sessions now.
    told = {mail["to"]: mail for mail in queued_mail(app)}
    assert set(told) == {"alex@example.com", "sam@example.com"}
    assert told["sam@example.com"]["subject"] == "Casey Coach no longer follows your sessions"
    assert "Casey Coach closed their CoreSteady account on " in told["sam@example.com"]["body"]

    with app.app_context():
        assert db.session.get(User, coach.id) is None
        for person in (alex, sam):
            assert db.session.get(User, person.id).trainer_id is None  # unlinked, not deleted
        # The clients keep everything but the messages the trainer wrote, which were the trainer's; their own
        # messages to the trainer stay in their record.
        for person, before in ((alex, before_alex), (sam, before_sam)):
            assert rows_of(person.id) == {
                **before,
                "messages": before["messages"] - before["messages_from_trainers"],
                "messages_from_trainers": 0,
            }
        assert references_to(coach.id) == {}
        kept = db.session.get(Program, made["casey-used"])
        assert kept is not None and kept.owner_id is None and kept.is_current is False
        assert db.session.get(Program, made["casey-spare"]) is None
        assert db.session.get(Routine, made["casey-spare-routine"]) is None
        kept_move = db.session.get(Exercise, made["casey-used-move"])
        assert kept_move is not None and kept_move.owner_id is None and kept_move.is_active is False
        assert db.session.get(Exercise, made["casey-spare-move"]) is None
        assert not db.session.execute(select(Assignment).where(Assignment.assigned_by_id == coach.id)).first()
        assert db.session.get(User, users["other"].id) is not None


def test_delete_account_as_a_plain_function_reports_what_went(app, users):
    with app.app_context():
        give_history(users["alex"])
        counts = delete_account(db.session.get(User, users["alex"].id))
        assert counts["sessions"] == 2 and counts["session_exercises"] == 2 and counts["users"] == 1
        assert counts["check_ins"] == 2 and counts["function_ratings"] == 2
