"""Reminders: the settings API, and the producer that reminds once on a planned day not yet done."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.programs.models import Profile
from webapp.reminders.models import ReminderSetting
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.sync import store_batch

from .factories import make_plan, make_user, session_payload
from .pushservice import PushService

MONDAY = date(2026, 3, 2)  # the plan starts; gentle start is A on Monday and Friday, B on Wednesday
WEDNESDAY = date(2026, 3, 4)
THURSDAY = date(2026, 3, 5)
FRIDAY = date(2026, 3, 6)
REMINDERS = "/api/v1/reminders"


def at(day: date, hh_mm: str, zone_offset_hours: int = 0) -> datetime:
    """A UTC moment: day at hh:mm, minus the zone's offset (London is UTC+0 in March)."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC) - timedelta(hours=zone_offset_hours)


@pytest.fixture
def service():
    with PushService() as running:
        yield running


@pytest.fixture
def alex(app, users, clock):
    """Onboarded on Monday 2 March 2026 (preferred time 07:30), with gentle start from that day."""
    clock.move_to(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.record_about(alex, "5", [], ["mon", "wed", "fri"], "07:30")
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=MONDAY, by=users["coach"])
    return users["alex"]


@pytest.fixture
def subscribed(client, auth, alex, service):
    """Alex signed in, with reminders on and this phone subscribed."""
    auth.login("alex@example.com")
    phone = service.browser()
    assert (
        client.post("/api/v1/push/subscriptions", json=phone.to_json(), headers=auth.api_headers()).status_code == 201
    )
    assert client.put(REMINDERS, json={"enabled": True}, headers=auth.api_headers()).status_code == 200
    return phone


def done_on(app, alex, clock, day: date, routine_index: int = 0, hour: int = 9) -> None:
    from webapp.programs.services import starter_program

    clock.move_to(datetime(day.year, day.month, day.day, hour, 1, tzinfo=UTC))  # synced as soon as it ended
    with app.app_context():
        routine = starter_program("gentle-start").weeks[0].routines[routine_index]
        end = datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)
        payload = session_payload(
            routine.id, started_at=(end - timedelta(minutes=12)).isoformat(), completed_at=end.isoformat()
        )
        [result] = store_batch(db.session.merge(alex), [payload])
        assert result.status == "created", result


def today_minutes(client, moment, clock) -> int:
    clock.move_to(moment)
    page = client.get("/").get_data(as_text=True)
    return int(re.search(r"About (\d+) min", page).group(1))


# ---- Settings ----


def test_settings_start_off_at_the_preferred_time_in_the_persons_zone(client, auth, alex):
    assert client.get(REMINDERS).status_code == 401
    auth.login("alex@example.com")
    assert client.get(REMINDERS).get_json() == {
        "enabled": False,
        "time": "07:30",
        "timezone": "Europe/London",
        "email": False,
    }


def test_without_a_preferred_time_reminders_start_at_eight(app, client, auth, users):
    auth.login("alex@example.com")
    assert client.get(REMINDERS).get_json()["time"] == "08:00"


def test_each_setting_changes_on_its_own(app, client, auth, alex):
    auth.login("alex@example.com")
    headers = auth.api_headers()
    assert client.put(REMINDERS, json={"enabled": True}, headers=headers).get_json()["enabled"] is True
    answer = client.put(REMINDERS, json={"time": "18:45"}, headers=headers).get_json()
    assert (answer["enabled"], answer["time"], answer["email"]) == (True, "18:45", False)
    answer = client.put(REMINDERS, json={"email": True, "enabled": False}, headers=headers).get_json()
    assert (answer["enabled"], answer["time"], answer["email"]) == (False, "18:45", True)
    assert client.get(REMINDERS).get_json() == answer


BAD_CHANGES = {
    "25:00": {"time": "25:00"},
    "7pm": {"time": "7pm"},
    "7:30 without its zero": {"time": "7:30"},
    "seconds": {"time": "07:30:00"},
    "a number": {"time": 730},
    "enabled as text": {"enabled": "yes"},
    "enabled as 1": {"enabled": 1},
    "email null": {"email": None},
    "an unknown field": {"enabled": True, "sound": "chime"},
    "nothing": {},
    "a list": [{"enabled": True}],
}


@pytest.mark.parametrize("body", BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_a_bad_change_is_refused_clearly_and_nothing_changes(app, client, auth, alex, body):
    auth.login("alex@example.com")
    before = client.get(REMINDERS).get_json()
    answer = client.put(REMINDERS, json=body, headers=auth.api_headers())
    assert answer.status_code == 400
    assert answer.get_json()["message"]
    assert client.get(REMINDERS).get_json() == before
    with app.app_context():
        assert db.session.execute(db.select(ReminderSetting)).first() is None


def test_settings_need_the_csrf_token_and_a_client(app, client, auth, users):
    auth.login("alex@example.com")
    assert client.put(REMINDERS, json={"enabled": True}).status_code == 400
    auth.logout()
    auth.login_as(users["coach"])
    assert client.get(REMINDERS).status_code == 403
    assert client.put(REMINDERS, json={"enabled": True}, headers=auth.api_headers()).status_code == 403


# ---- The same settings from the card's plain form, for a browser without JavaScript ----

FORM = "/account/reminders"


def send_form(client, auth, **fields):
    return client.post(FORM, data={"csrf_token": auth.csrf_token(), **fields})


def test_the_card_is_a_plain_form_too_that_saves_and_says_so_on_today(client, auth, alex):
    auth.login("alex@example.com")
    today = client.get("/").get_data(as_text=True)
    assert f'action="{FORM}"' in today and 'name="back" value="today"' in today
    assert "Save reminders" in today
    answer = send_form(client, auth, enabled="on", time="07:15", email="on", back="today")
    assert answer.status_code == 302 and answer.location == "/"
    assert "Saved: reminders on at 07:15, by email too." in client.get("/").get_data(as_text=True)
    assert client.get(REMINDERS).get_json() == {
        "enabled": True, "time": "07:15", "timezone": "Europe/London", "email": True,
    }  # fmt: skip


def test_on_without_email_the_form_says_this_browser_needs_javascript(client, auth, alex):
    auth.login("alex@example.com")
    send_form(client, auth, enabled="on", time="18:00", back="account")
    page = " ".join(client.get("/account/").get_data(as_text=True).split())
    assert "Saved: reminders on at 18:00. This browser shows them only with JavaScript on" in page
    assert 'name="back" value="account"' in page
    assert client.get(REMINDERS).get_json()["email"] is False


def test_unticked_boxes_turn_reminders_and_email_off(client, auth, alex):
    auth.login("alex@example.com")
    assert client.put(REMINDERS, json={"enabled": True, "email": True}, headers=auth.api_headers()).status_code == 200
    answer = send_form(client, auth, time="07:30", back="account")
    assert answer.location == "/account/"
    assert "Saved: reminders off." in client.get("/account/").get_data(as_text=True)
    settings = client.get(REMINDERS).get_json()
    assert (settings["enabled"], settings["email"]) == (False, False)


BAD_FORMS = {
    "no time": {"enabled": "on"},
    "an empty time": {"enabled": "on", "time": ""},
    "25:00": {"enabled": "on", "time": "25:00"},
    "7pm": {"enabled": "on", "time": "7pm"},
    "seconds": {"enabled": "on", "time": "07:30:00"},
}


@pytest.mark.parametrize("fields", BAD_FORMS.values(), ids=BAD_FORMS.keys())
def test_a_bad_time_from_the_form_changes_nothing_and_says_what_to_send(app, client, auth, alex, fields):
    auth.login("alex@example.com")
    answer = send_form(client, auth, **fields, back="today")
    assert answer.status_code == 302 and answer.location == "/"
    assert "Not saved: choose a time of day, such as 07:30." in client.get("/").get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(ReminderSetting)).first() is None


def test_the_form_goes_back_only_to_its_own_pages_and_needs_the_token_and_a_client(client, auth, users, alex):
    auth.login("alex@example.com")
    for back in ("https://elsewhere.example/", "//elsewhere.example", "", "admin"):
        assert send_form(client, auth, time="07:30", back=back).location == "/"
    assert client.post(FORM, data={"time": "07:30", "enabled": "on"}).status_code == 400
    auth.logout()
    assert send_form(client, auth, time="07:30").location.startswith("/auth/login")  # signed out: to the login
    auth.login_as(users["coach"])
    assert send_form(client, auth, time="07:30", enabled="on").status_code == 403


# ---- The producer ----


def test_on_a_planned_day_one_reminder_at_the_time_and_not_before(
    app, client, auth, subscribed, service, run_jobs, clock
):
    minutes = today_minutes(client, at(WEDNESDAY, "07:00"), clock)
    run_jobs(at(WEDNESDAY, "07:29"))
    assert service.messages() == []
    run_jobs(at(WEDNESDAY, "07:30"))
    [message] = service.messages()
    assert message["title"] == f"Today: Gentle start B, about {minutes} min"
    with app.app_context():
        from webapp.programs.services import starter_program

        routine_b = starter_program("gentle-start").weeks[0].routines[1]
    assert message["url"] == f"/routines/{routine_b.id}/play"
    assert client.get(message["url"]).status_code == 200
    run_jobs(at(WEDNESDAY, "07:31"))
    run_jobs(at(WEDNESDAY, "21:00"))
    assert len(service.messages()) == 1


def test_jobs_once_twice_at_the_same_moment_sends_once(app, subscribed, service, runner):
    for _ in range(2):
        result = runner.invoke(args=["jobs", "--once", "--at", "2026-03-04T08:00:00+00:00"])
        assert result.exit_code == 0, result.output
    assert len(service.messages()) == 1
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Job.id)).where(Job.kind == "reminder")).scalar() == 1


def test_a_late_run_still_reminds_on_that_day(subscribed, service, run_jobs):
    run_jobs(at(WEDNESDAY, "19:00"))
    assert len(service.messages()) == 1


def test_no_reminder_on_a_rest_day(subscribed, service, run_jobs):
    run_jobs(at(THURSDAY, "09:00"))
    assert service.messages() == []


def test_no_reminder_once_todays_session_is_done(app, alex, subscribed, service, run_jobs, clock):
    done_on(app, alex, clock, WEDNESDAY, routine_index=1, hour=6)
    run_jobs(at(WEDNESDAY, "08:00"))
    assert service.messages() == []


def test_a_session_done_between_queueing_and_sending_stops_the_reminder(
    app, alex, subscribed, service, run_jobs, clock
):
    from webapp.reminders.sending import find_due

    with app.app_context():
        find_due(at(WEDNESDAY, "08:00"))
        db.session.commit()
    done_on(app, alex, clock, WEDNESDAY, routine_index=1, hour=8)
    run_jobs(at(WEDNESDAY, "08:05"))
    assert service.messages() == []


def test_reminders_off_send_nothing(client, auth, subscribed, service, run_jobs):
    client.put(REMINDERS, json={"enabled": False}, headers=auth.api_headers())
    run_jobs(at(WEDNESDAY, "09:00"))
    assert service.messages() == []


@pytest.mark.parametrize(
    ("zone", "offset"),
    [("America/New_York", -5), ("Asia/Tokyo", 9)],
)
def test_the_time_is_read_in_the_persons_own_zone(app, client, auth, subscribed, service, run_jobs, zone, offset):
    with app.app_context():
        user = db.session.execute(db.select(Profile.user_id)).scalar_one()
        from webapp.auth.models import User

        db.session.get(User, user).timezone = zone
        db.session.commit()
    assert client.get(REMINDERS).get_json()["timezone"] == zone
    run_jobs(at(WEDNESDAY, "07:29", offset))
    assert service.messages() == []
    run_jobs(at(WEDNESDAY, "07:30", offset))
    assert len(service.messages()) == 1
    assert service.messages()[0]["title"].startswith("Today: Gentle start B")


def test_a_new_time_later_the_same_day_does_not_remind_twice(client, auth, subscribed, service, run_jobs):
    run_jobs(at(WEDNESDAY, "07:30"))
    client.put(REMINDERS, json={"time": "18:00"}, headers=auth.api_headers())
    run_jobs(at(WEDNESDAY, "18:00"))
    assert len(service.messages()) == 1


def test_two_missed_sessions_bring_one_nudge_then_silence_until_one_is_done(
    app, alex, subscribed, service, run_jobs, clock
):
    def reminders():  # Mondays also bring the week in brief (reminders/weekly.py), not counted here
        return [m for m in service.messages() if m["tag"].startswith("reminder-")]

    # Monday done; Wednesday and Friday missed.
    done_on(app, alex, clock, MONDAY)
    run_jobs(at(WEDNESDAY, "08:00"))
    run_jobs(at(FRIDAY, "08:00"))
    assert [m["body"] for m in reminders()] == ["Tap to start. It works offline too."] * 2
    # The next Monday: two missed in a row, so one gentle nudge.
    run_jobs(at(MONDAY + timedelta(days=7), "08:00"))
    assert len(reminders()) == 3
    assert "slipped by" in reminders()[-1]["body"]
    # Then silence, planned day after planned day.
    for day in (WEDNESDAY, FRIDAY):
        run_jobs(at(day + timedelta(days=7), "08:00"))
    assert len(reminders()) == 3
    # A session done (on a day of the person's choosing, a Saturday) brings the reminders back.
    done_on(app, alex, clock, FRIDAY + timedelta(days=7 + 1))
    run_jobs(at(MONDAY + timedelta(days=14), "08:00"))
    assert len(reminders()) == 4
    assert reminders()[-1]["body"] == "Tap to start. It works offline too."


def test_no_reminder_while_waiting_for_a_clinician_after_a_red_flag_answer(
    app, alex, subscribed, service, run_jobs, clock
):
    # Tuesday evening: numbness in the saddle area. The advice is emergency care, not exercise.
    clock.move_to(datetime(2026, 3, 3, 20, 0, tzinfo=UTC))
    with app.app_context():
        screens.record_screen(db.session.merge(alex), ["saddle"])
    run_jobs(at(WEDNESDAY, "08:00"))
    assert service.messages() == [], "a reminder to exercise would contradict 'get checked first'"

    # Seen by a doctor on Thursday, who said exercise is fine: Friday's reminder comes again.
    clock.move_to(datetime(2026, 3, 5, 18, 0, tzinfo=UTC))
    with app.app_context():
        person = db.session.merge(alex)
        screens.record_screen(person, [])
        screens.record_confirmation(person, THURSDAY)
    run_jobs(at(FRIDAY, "08:00"))
    assert [m["title"].split(":")[0] for m in service.messages()] == ["Today"]
    # Monday was missed, but Wednesday was on hold: not two missed in a row, so no "slipped by" nudge.
    assert service.messages()[0]["body"] == "Tap to start. It works offline too."


def test_a_reminder_queued_before_a_red_flag_answer_is_not_sent(app, alex, subscribed, service, run_jobs, clock):
    with app.app_context():
        from webapp.reminders.sending import find_due

        find_due(at(WEDNESDAY, "07:31"))  # queued at the reminder time...
        db.session.commit()
    clock.move_to(datetime(2026, 3, 4, 7, 40, tzinfo=UTC))
    with app.app_context():
        screens.record_screen(db.session.merge(alex), ["bladder"])  # ...then the answer, before it went out
    run_jobs(at(WEDNESDAY, "07:45"))
    assert service.messages() == []


def test_email_reminders_go_through_the_mail_job_once(app, client, auth, subscribed, run_jobs, caplog):
    caplog.set_level("INFO", logger="coresteady.mail")
    client.put(REMINDERS, json={"email": True}, headers=auth.api_headers())
    run_jobs(at(WEDNESDAY, "08:00"))
    run_jobs(at(WEDNESDAY, "09:00"))
    with app.app_context():
        mails = list(db.session.execute(db.select(Job).where(Job.kind == "mail")).scalars())
    # Sent once; the job is kept (its key stops a second), but not what the mail said.
    assert [(mail.status, mail.payload) for mail in mails] == [("done", {})]
    sent = [record.getMessage() for record in caplog.records if record.name == "coresteady.mail"]
    assert len(sent) == 1
    assert sent[0].startswith("No mail server configured; message to alex@example.com: Today: Gentle start B, about ")


def test_a_client_without_a_plan_gets_nothing(app, client, auth, users, service, run_jobs, clock):
    clock.move_to(at(WEDNESDAY, "06:00"))
    with app.app_context():
        make_user("pat@example.com", name="Pat")
    auth.login("pat@example.com")
    client.post("/api/v1/push/subscriptions", json=service.browser().to_json(), headers=auth.api_headers())
    client.put(REMINDERS, json={"enabled": True}, headers=auth.api_headers())
    run_jobs(at(WEDNESDAY, "09:00"))
    assert service.messages() == []


# ---- Export and deletion ----


def test_the_export_holds_reminder_settings_and_subscriptions_without_their_endpoints(client, subscribed):
    document = client.get("/account/export.json").get_json()
    assert document["reminders"] == {"enabled": True, "time": "07:30", "timezone": "Europe/London", "email": False}
    [row] = document["push_subscriptions"]
    assert row["push_service"] == "127.0.0.1" and row["created_at"]
    assert subscribed.endpoint not in client.get("/account/export.json").get_data(as_text=True)


def test_deleting_the_account_deletes_settings_and_subscriptions(app, client, subscribed):
    from webapp.push.models import PushSubscription

    from .conftest import csrf_from
    from .factories import DEFAULT_PASSWORD

    page = client.get("/account/delete").get_data(as_text=True)
    assert "every browser signed up for notifications" in page
    token = csrf_from(page)
    assert client.post("/account/delete", data={"csrf_token": token, "password": DEFAULT_PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(ReminderSetting)).first() is None
        assert db.session.execute(db.select(PushSubscription)).first() is None
