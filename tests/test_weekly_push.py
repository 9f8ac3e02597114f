"""The Monday summary as a push: once, on the person's Monday morning, only with reminders on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.programs.services import starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.sync import store_batch

from .factories import make_plan, session_payload
from .pushservice import PushService

MONDAY = date(2026, 3, 2)  # gentle start begins: Monday, Wednesday and Friday
NEXT_MONDAY = date(2026, 3, 9)
REMINDERS = "/api/v1/reminders"


def at(day: date, hh_mm: str) -> datetime:
    """Day at hh:mm in London, which is UTC in March."""
    hours, minutes = (int(part) for part in hh_mm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=UTC)


@pytest.fixture
def service():
    with PushService() as running:
        yield running


@pytest.fixture
def alex(app, users, clock):
    """On gentle start from Monday 2 March (reminders at 07:30); Monday's and Wednesday's sessions done."""
    clock.move_to(at(MONDAY, "06:00"))
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.record_about(alex, 5, [], ["mon", "wed", "fri"], "07:30")
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=MONDAY, by=users["coach"])
        routine = starter_program("gentle-start").weeks[0].routines[0]
        for day, pain in ((MONDAY, 6), (MONDAY + timedelta(days=2), 4)):
            clock.move_to(at(day, "09:01"))  # synced as soon as it ended
            [result] = store_batch(alex, [session_payload(routine.id, ended=at(day, "09:00"), pain_before=pain)])
            assert result.status == "created", result
    return users["alex"]


def subscribe(client, auth, service, enabled=True, time=None):
    auth.login("alex@example.com")
    phone = service.browser()
    response = client.post("/api/v1/push/subscriptions", json=phone.to_json(), headers=auth.api_headers())
    assert response.status_code == 201
    body = {"enabled": enabled} | ({"time": time} if time else {})
    assert client.put(REMINDERS, json=body, headers=auth.api_headers()).status_code == 200
    return phone


def weekly(service) -> list[dict]:
    return [m for m in service.messages() if m["title"] == "Your week in brief"]


def test_the_summary_comes_once_at_the_reminder_time_on_monday(client, auth, alex, service, run_jobs, clock):
    clock.move_to(at(NEXT_MONDAY, "06:00"))
    subscribe(client, auth, service)
    run_jobs(at(NEXT_MONDAY, "07:29"))
    assert weekly(service) == []
    run_jobs(at(NEXT_MONDAY, "07:30"))
    [message] = weekly(service)
    assert message["url"] == "/"
    assert message["body"].startswith(
        "2 of 3 planned sessions done. Pain before your sessions: 5 out of 10 on average. This week: 3 sessions"
    )
    for moment in ("07:31", "12:00", "23:00"):
        run_jobs(at(NEXT_MONDAY, moment))
    assert len(weekly(service)) == 1


def test_no_summary_while_waiting_for_a_clinician_after_a_red_flag_answer(
    app, client, auth, alex, service, run_jobs, clock
):
    """As with the daily reminders: no push about the week's sessions while the person has been told to get checked
    before exercising; once they say a clinician saw them, the next Monday's summary comes again."""
    clock.move_to(at(NEXT_MONDAY, "06:00"))
    subscribe(client, auth, service)
    with app.app_context():
        screens.record_screen(db.session.merge(alex), ["saddle"])
        db.session.commit()
    run_jobs(at(NEXT_MONDAY, "07:30"))
    run_jobs(at(NEXT_MONDAY, "12:00"))
    assert weekly(service) == []
    # Seen by a doctor on Tuesday, who said exercise is fine: the next Monday's summary comes.
    clock.move_to(at(NEXT_MONDAY + timedelta(days=1), "18:00"))
    with app.app_context():
        person = db.session.merge(alex)
        screens.record_screen(person, [])
        screens.record_confirmation(person, NEXT_MONDAY + timedelta(days=1))
        db.session.commit()
    run_jobs(at(NEXT_MONDAY + timedelta(days=7), "07:30"))
    [message] = weekly(service)
    # Monday's session was on hold (the answer that day, cleared on Tuesday): Wednesday's and Friday's remain.
    assert message["body"].startswith("0 of 2 planned sessions done.") and "wait until" not in message["body"]


def test_a_reminder_time_after_nine_sends_the_summary_at_nine(client, auth, alex, service, run_jobs, clock):
    clock.move_to(at(NEXT_MONDAY, "06:00"))
    subscribe(client, auth, service, time="18:30")
    run_jobs(at(NEXT_MONDAY, "08:59"))
    assert weekly(service) == []
    run_jobs(at(NEXT_MONDAY, "09:00"))
    assert len(weekly(service)) == 1


def test_no_summary_with_reminders_off_or_on_other_days(app, client, auth, alex, service, run_jobs, clock):
    clock.move_to(at(NEXT_MONDAY, "06:00"))
    subscribe(client, auth, service, enabled=False)
    run_jobs(at(NEXT_MONDAY, "10:00"))
    assert weekly(service) == []
    assert client.put(REMINDERS, json={"enabled": True}, headers=auth.api_headers()).status_code == 200
    for day in range(1, 7):
        run_jobs(at(NEXT_MONDAY + timedelta(days=day), "10:00"))
    assert weekly(service) == []
    with app.app_context():
        assert db.session.execute(db.select(Job).where(Job.kind == "weekly-summary")).first() is None


def test_the_monday_of_the_persons_own_zone(app, client, auth, alex, service, run_jobs, clock):
    with app.app_context():
        db.session.merge(alex).timezone = "Pacific/Auckland"  # 13 hours ahead in March
        db.session.commit()
    clock.move_to(at(NEXT_MONDAY, "06:00") - timedelta(days=1))
    subscribe(client, auth, service)
    run_jobs(at(NEXT_MONDAY, "07:30") - timedelta(days=1))  # Sunday 07:30 UTC: still Sunday evening there
    assert weekly(service) == []
    run_jobs(at(NEXT_MONDAY, "07:30") - timedelta(hours=13))  # Sunday 18:30 UTC: Monday 07:30 there
    assert len(weekly(service)) == 1


def test_turned_off_between_queueing_and_sending_sends_nothing(app, client, auth, alex, service, clock):
    from webapp.jobs.services import run_due
    from webapp.reminders import weekly as weekly_push

    clock.move_to(at(NEXT_MONDAY, "06:00"))
    subscribe(client, auth, service)
    with app.app_context():
        weekly_push.find_mondays(at(NEXT_MONDAY, "08:00"))
        db.session.commit()
    assert client.put(REMINDERS, json={"enabled": False}, headers=auth.api_headers()).status_code == 200
    with app.app_context():
        run_due(at(NEXT_MONDAY, "08:00"))
    assert weekly(service) == []
