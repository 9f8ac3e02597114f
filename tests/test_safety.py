"""The red-flag screen over HTTP: each old bypass closed, the screen asked again when it matters, bad input
refused with nothing stored, the phone's sync exactly once, and every concern on the trainer's dashboard."""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from webapp import create_app
from webapp.auth.models import User
from webapp.config import ConfigError
from webapp.extensions import db
from webapp.programs.services import profile_of
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CheckIn, RedFlagScreen
from webapp.sessions.sync import store_batch
from webapp.timeutil import utcnow
from webapp.trainer import dashboard

from .conftest import csrf_from
from .factories import first_routine_id, make_plan, make_user, session_payload

NOW = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)  # a Wednesday: the gentle start program's day
MONDAY = date(2026, 3, 2)
TODAY = NOW.date()


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def alex(app, users, clock):
    """Onboarded two days ago with a clear answer, on the gentle start program since Monday."""
    with app.app_context():
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [], NOW - timedelta(days=2))
        records.record_about(alex, 3, [], [], "")
        records.finish_onboarding(alex)
        make_plan(alex, "gentle-start", start=MONDAY, by=users["coach"])
    return users["alex"]


@pytest.fixture
def signed_in(auth, alex):
    auth.login("alex@example.com")
    return auth.client


@pytest.fixture
def play_url(app, alex) -> str:
    with app.app_context():
        return f"/routines/{first_routine_id()}/play"


def post(client, path, data=None):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def embedded_standing(page: str) -> dict:
    """The server's standing a page carries for the phone (the offline screen and player judge with it)."""
    found = re.search(r'<script type="application/json" id="safety-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["standing"]


def next_steps(page: str) -> set[str]:
    """The parts of a result page's "Once you have been seen" shown to the person; the page holds them all, the
    others hidden, so the phone's copy can show the right one for an answer given offline."""
    return set(re.findall(r"<div data-safety-(can-confirm|again-first|changed|cleared)>", page))


def stored(app) -> list[RedFlagScreen]:
    with app.app_context():
        rows = db.session.execute(db.select(RedFlagScreen).order_by(RedFlagScreen.id)).scalars().all()
        for row in rows:
            db.session.expunge(row)
        return rows


def do_session(app, alex, end: datetime, before=3, after=3, morning: tuple | None = None):
    """A session stored as the phone syncs it; morning: (pain, legs) of the next-morning check."""
    with app.app_context():
        user = db.session.merge(alex)
        payload = session_payload(
            first_routine_id(), started_at=(end - timedelta(minutes=15)).isoformat(), completed_at=end.isoformat(),
            pain_before=before, pain_after=after, effort=4,
        )  # fmt: skip
        [result] = store_batch(user, [payload])
        assert result.status == "created", result
        if morning is not None:
            records.record_next_day(user, payload["id"], morning[0], morning[1])
        return payload["id"]


def flags_of(app, users, at: datetime = NOW) -> dict[str, str]:
    with app.app_context():
        coach = db.session.get(User, users["coach"].id)
        [row] = dashboard.client_rows(coach, at)
        return {flag.kind: flag.reason for flag in row.flags}


# ---- The screen asks the signs alone ----


def test_the_screen_asks_the_signs_alone_with_every_sign_nice_cks_names(signed_in):
    page = signed_in.get("/safety/").get_data(as_text=True)
    assert 'name="signs"' in page and "assessed_on" not in page and 'name="confirmed"' not in page
    for words in ("thin bones (osteoporosis)", "steroid tablets for 3 months or more", "psoriasis",
                  "inflammatory bowel disease", "uveitis", "30 minutes most mornings", "operation on your spine",
                  "over 50 and have pain in your belly", "under 20 or over 50", "New trouble passing urine",
                  "cough or sneeze", "new loss of feeling"):  # fmt: skip
        assert words in page, words


def test_with_a_year_of_birth_the_age_questions_fit_the_age(app, signed_in, alex):
    with app.app_context():
        profile_of(db.session.merge(alex)).birth_year = 1990
        db.session.commit()
    page = signed_in.get("/safety/").get_data(as_text=True)
    asked = re.search(r"<form[^>]*data-safety-form>.*?</form>", page, re.S).group(0)
    assert "belly" not in asked and "under 20 or over 50" not in asked


def test_a_confirmation_sent_with_the_signs_counts_as_signs_only(app, signed_in, play_url):
    response = post(signed_in, "/safety/", {"signs": ["fever", "night"], "confirmed": "yes",
                                            "assessed_on": TODAY.isoformat()})  # fmt: skip
    assert response.headers["Location"] == "/safety/result/same-day"
    page = text_of(signed_in.get(response.headers["Location"]))
    assert "See a doctor today" in page and "Only the signs you ticked were saved" in page
    assert signed_in.get(play_url).headers["Location"].startswith("/safety/")
    last = stored(app)[-1]
    assert (last.signs, last.outcome, last.assessed_on) == (["fever", "night"], "same-day", None)


def test_a_same_day_answer_offers_the_confirmation_as_a_later_step(app, signed_in, play_url):
    post(signed_in, "/safety/", {"signs": ["fever"]})
    page = signed_in.get("/safety/result/same-day").get_data(as_text=True)
    assert 'action="/safety/confirm"' in page and 'type="date"' in page and f'max="{TODAY.isoformat()}"' in page
    response = post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat(), "next": play_url})
    assert response.headers["Location"] == play_url
    assert signed_in.get(play_url).status_code == 200
    last = stored(app)[-1]
    assert (last.signs, last.assessed_on) == (["fever"], TODAY)


def test_a_pregnancy_answer_waits_for_a_midwife_or_doctor(signed_in, play_url):
    response = post(signed_in, "/safety/", {"signs": ["pregnant"]})
    assert response.headers["Location"] == "/safety/result/pregnant"
    assert "midwife" in text_of(signed_in.get("/safety/result/pregnant"))
    assert signed_in.get(play_url).status_code == 302
    post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    assert signed_in.get(play_url).status_code == 200


def test_a_soon_answer_says_see_a_gp_and_lets_exercise_go_on(signed_in, play_url):
    response = post(signed_in, "/safety/", {"signs": ["night"], "next": play_url})
    assert response.headers["Location"] == f"/safety/result/soon?next={play_url}"
    page = text_of(signed_in.get(response.headers["Location"]))
    assert "See your GP in the next few days" in page and "carry on exercising gently" in page
    assert signed_in.get(play_url).status_code == 200


def test_the_same_answer_given_twice_in_a_day_is_told_once(app, signed_in):
    """Sent again, or the check taken again: "What you told us" lists each day and set of signs once, and a
    different answer of that day still shows."""
    before = len(stored(app))
    post(signed_in, "/safety/", {"signs": ["bladder"]})
    post(signed_in, "/safety/", {"signs": ["bladder"]})
    told = re.search(
        r"data-safety-told.*?<ul>(.*?)</ul>", signed_in.get("/safety/result/emergency").get_data(as_text=True), re.S
    )
    assert told.group(1).count("<li>") == 1
    post(signed_in, "/safety/", {"signs": ["bladder", "saddle"]})
    told = re.search(
        r"data-safety-told.*?<ul>(.*?)</ul>", signed_in.get("/safety/result/emergency").get_data(as_text=True), re.S
    )
    assert told.group(1).count("<li>") == 2
    assert len(stored(app)) == before + 3  # every answer is kept; only the list is shorter


# ---- An emergency answer stays ----


def test_an_emergency_answer_stays_until_answered_again_and_confirmed_with_a_day(app, users, signed_in, play_url):
    response = post(signed_in, "/safety/", {"signs": ["saddle", "bladder"]})
    assert response.headers["Location"] == "/safety/result/emergency"
    page = signed_in.get("/safety/result/emergency").get_data(as_text=True)
    assert 'href="tel:112"' in page and "999" in page and "911" in page and "Get medical help now" in page
    assert "Your trainer sees this answer too" in page and next_steps(page) == {"again-first"}

    # Confirming straight away is refused: the person answers the screen again first.
    response = post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    assert response.status_code == 400 and "take the safety check again" in text_of(response)

    # The old bypass: an empty resubmit. It is stored, and unlocks nothing.
    response = post(signed_in, "/safety/", {})
    assert response.headers["Location"] == "/safety/result/emergency"
    assert signed_in.get(play_url).headers["Location"].startswith("/safety/")
    assert "Please get checked before exercising" in text_of(signed_in.get("/"))
    assert "red_flag" in flags_of(app, users)

    response = post(signed_in, "/safety/confirm", {"assessed_on": (TODAY - timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and "a clinician needs to have seen you since then" in text_of(response)
    assert signed_in.get(play_url).status_code == 302

    response = post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    assert response.status_code == 302
    assert signed_in.get(play_url).status_code == 200
    flag = flags_of(app, users)["red_flag"]
    assert "emergency care" in flag and "numbness around the genitals or bottom" in flag
    assert "seen by a clinician on 4 Mar" in flag


def test_the_trainer_sees_an_emergency_answer_for_30_days_whatever_follows(app, users, signed_in):
    post(signed_in, "/safety/", {"signs": ["chest"]})
    post(signed_in, "/safety/", {})
    post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    post(signed_in, "/safety/", {})
    assert "chest pain" in flags_of(app, users, NOW + timedelta(days=29))["red_flag"]
    assert "red_flag" not in flags_of(app, users, NOW + timedelta(days=31))


def test_an_answer_still_waiting_shows_however_old(app, users, signed_in):
    post(signed_in, "/safety/", {"signs": ["fever"]})
    assert "waiting for a clinician's check" in flags_of(app, users, NOW + timedelta(days=60))["red_flag"]


def test_the_trainers_client_page_shows_the_screen_history(app, auth, users, signed_in):
    post(signed_in, "/safety/", {"signs": ["fever"]})
    post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    auth.logout()
    auth.login("coach@example.com")
    page = text_of(auth.client.get(f"/trainer/clients/{users['alex'].id}"))
    assert "Safety checks" in page
    assert "Wed 04 Mar 2026, 08:00 Seen by a clinician on 4 Mar fever" in page
    assert "Wed 04 Mar 2026, 08:00 See a doctor the same day fever" in page
    assert "Mon 02 Mar 2026, 08:00 No warning signs nothing" in page


def test_the_emergency_number_is_a_setting(app, signed_in, monkeypatch):
    app.config["EMERGENCY_NUMBER"] = "999"
    post(signed_in, "/safety/", {"signs": ["chest"]})
    page = signed_in.get("/safety/result/emergency").get_data(as_text=True)
    assert 'href="tel:999"' in page and "Call 999" in page
    monkeypatch.setenv("EMERGENCY_NUMBER", "+44 999")
    assert create_app({"TESTING": True}).config["EMERGENCY_NUMBER"] == "+44 999"
    monkeypatch.setenv("EMERGENCY_NUMBER", "call me")
    with pytest.raises(ConfigError, match="EMERGENCY_NUMBER"):
        create_app({"TESTING": True})


# ---- Asked again when it matters ----


def test_a_red_session_sends_the_player_to_the_screen_first(app, signed_in, alex, play_url):
    do_session(app, alex, NOW - timedelta(hours=20), before=3, after=8)
    response = signed_in.get(play_url)
    assert response.headers["Location"] == f"/safety/?next={play_url}"
    today = text_of(signed_in.get("/"))
    assert "Time for a quick safety check" in today and "a red session on 3 Mar (pain 3 before, 8 after)" in today
    assert "We ask again now because of a red session" in text_of(signed_in.get(response.headers["Location"]))
    response = post(signed_in, "/safety/", {"next": play_url})
    assert response.headers["Location"] == play_url
    # No warning sign is not "carry on as before": the back said that session was too much.
    page = text_of(signed_in.get(play_url))
    assert "Thank you: no warning signs. Your back said the last session was too much, so do a little less" in page
    assert "You can carry on" not in page


def test_an_answer_straight_after_a_red_session_from_a_phone_running_ahead_clears_it(app, signed_in, alex, play_url):
    # The phone's clock is 4 minutes ahead (within what the sync believes): the session "ends" after the moment
    # the server then takes the safety answer. It cannot have ended after the server received it.
    do_session(app, alex, utcnow() + timedelta(minutes=4), before=3, after=8)
    assert signed_in.get(play_url).status_code == 302
    post(signed_in, "/safety/", {"next": play_url})
    assert signed_in.get(play_url).status_code == 200
    assert "Time for a quick safety check" not in text_of(signed_in.get("/"))


@pytest.mark.parametrize(
    ("before_the_legs", "words"),
    [
        (False, "Thank you. You can carry on. Keep an eye on the numbness, tingling or weakness in your legs: if it "
                "reaches both legs, or the weakness gets worse, get help straight away."),
        (True, "Thank you: no warning signs. Your back said the last session was too much, so do a little less next "
               "time: Today shows how. Keep an eye on the numbness, tingling or weakness in your legs"),
    ],
)  # fmt: skip
def test_no_warning_sign_after_new_leg_symptoms_says_what_to_watch_for(app, signed_in, alex, before_the_legs, words):
    """Asked because of new numbness, tingling or weakness in the legs the next morning, and no sign ticked: the
    person is told when it would become an emergency (both legs, a weakness that worsens), also when the check was
    already due for a red session (its words about doing less come first)."""
    if before_the_legs:
        do_session(app, alex, NOW - timedelta(hours=40), before=3, after=8)
    session_id = do_session(app, alex, NOW - timedelta(hours=24), before=2, after=2)
    assert post(signed_in, "/check-in", {"session": session_id, "pain": "2", "legs": "yes"}).headers["Location"] == (
        "/safety/"
    )
    post(signed_in, "/safety/", {})
    assert words in text_of(signed_in.get("/"))


@pytest.mark.parametrize(("pain", "legs", "asked"), [("6", "no", True), ("2", "yes", True), ("5", "no", False)])
def test_a_bad_morning_or_new_leg_symptoms_ask_the_screen_again(app, signed_in, alex, play_url, pain, legs, asked):
    session_id = do_session(app, alex, NOW - timedelta(hours=24), before=3, after=3)
    response = post(signed_in, "/check-in", {"session": session_id, "pain": pain, "legs": legs})
    assert response.headers["Location"] == ("/safety/" if asked else "/")
    assert (signed_in.get(play_url).status_code == 302) == asked


def test_a_rise_of_3_over_usual_pain_asks_again(app, signed_in, alex, play_url):
    do_session(app, alex, NOW - timedelta(hours=30), before=3, after=3)
    assert signed_in.get(play_url).status_code == 200
    do_session(app, alex, NOW - timedelta(hours=2), before=6, after=5)
    assert signed_in.get(play_url).status_code == 302
    assert "pain 6 before the session on 4 Mar, 3 above the usual 3" in text_of(signed_in.get("/"))


def test_the_screen_is_due_again_after_6_weeks(auth, alex, play_url, clock):
    clock.move_to(NOW + timedelta(weeks=6) - timedelta(days=2, minutes=1))
    auth.login("alex@example.com")
    assert auth.client.get(play_url).status_code == 200
    clock.move_to(NOW + timedelta(weeks=6) - timedelta(days=2))
    assert auth.client.get(play_url).headers["Location"].startswith("/safety/")
    post(auth.client, "/safety/", {})
    assert "Thank you. You can carry on." in text_of(auth.client.get("/"))  # asked by the calendar alone


def test_after_a_bad_morning_no_warning_sign_asks_for_a_little_less(app, signed_in, alex):
    session_id = do_session(app, alex, NOW - timedelta(hours=24), before=3, after=3)
    post(signed_in, "/check-in", {"session": session_id, "pain": "7", "legs": "no"})
    post(signed_in, "/safety/", {})
    page = text_of(signed_in.get("/"))
    assert "Your back said the last session was too much, so do a little less next time: Today shows how." in page


def test_the_menu_and_the_red_flags_lesson_link_to_the_screen(signed_in):
    assert 'href="/safety/">Safety check</a>' in signed_in.get("/").get_data(as_text=True)
    lesson = signed_in.get("/lessons/red-flags").get_data(as_text=True)
    assert 'href="/safety/"' in lesson and "usually something minor" not in lesson


# ---- Bad input: a clear message, nothing stored half-way ----


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter the day a clinician assessed you"),
        ({"assessed_on": "yesterday"}, "Enter the day a clinician assessed you"),
        ({"assessed_on": "2026-13-01"}, "Enter the day a clinician assessed you"),
        ({"assessed_on": "2026-03-05"}, "cannot be in the future"),
        ({"assessed_on": "2026-03-03"}, "before your answer on 4 Mar"),
        ({"assessed_on": "2026-03-04", "signs": ["chest"]}, "New signs are answered on the safety check"),
        ({"assessed_on": "2026-03-04", "signs": ""}, "New signs are answered on the safety check"),
        ({"assessed_on": ["2026-03-04", "2026-03-04"]}, "Enter the day a clinician assessed you"),
        ({"assessed_on": "2026-3-4"}, "Enter the day a clinician assessed you"),
    ],
)
def test_bad_confirmations_are_refused_with_a_message(app, signed_in, data, message):
    post(signed_in, "/safety/", {"signs": ["fever"]})
    before = len(stored(app))
    response = post(signed_in, "/safety/confirm", data)
    assert response.status_code == 400 and message in text_of(response)
    assert len(stored(app)) == before


def test_a_confirmation_with_nothing_waiting_is_refused(app, signed_in):
    response = post(signed_in, "/safety/confirm", {"assessed_on": TODAY.isoformat()})
    assert response.status_code == 400 and "No answer is waiting for a clinician's check" in text_of(response)
    assert len(stored(app)) == 1


def test_unknown_signs_are_refused_and_nothing_is_stored(app, signed_in):
    response = post(signed_in, "/safety/", {"signs": ["fever", "made-up"]})
    assert response.status_code == 400 and "not recognised" in text_of(response)
    assert len(stored(app)) == 1


def test_a_sign_ticked_twice_counts_once(app, signed_in):
    response = post(signed_in, "/safety/", {"signs": ["night", "fever", "night"]})
    assert response.headers["Location"] == "/safety/result/same-day"
    assert stored(app)[-1].signs == ["fever", "night"]


def test_a_year_of_birth_is_optional_and_checked(app, auth, users, clock):
    with app.app_context():
        screens.record_screen(db.session.merge(users["alex"]), [])
    auth.login("alex@example.com")
    for year, status in (("1890", 400), ("20x0", 400), ("2020", 400), (" 1961", 302), ("", 302), ("1961", 302)):
        response = post(auth.client, "/welcome/about", {"pain": "3", "birth_year": year})
        assert response.status_code == status, year
    with app.app_context():
        assert records.birth_year_of(users["alex"]) == 1961


# ---- The phone's sync: POST /api/v1/safety ----


def item(signs=(), assessed_on=None, at: datetime = NOW, **extra) -> dict:
    return {"id": str(uuid.uuid4()), "answered_at": at.isoformat(), "signs": list(signs), "assessed_on": assessed_on,
            **extra}  # fmt: skip


def sync(client, auth, *items, body=None):
    return client.post("/api/v1/safety", json=body if body is not None else {"screens": list(items)},
                       headers=auth.api_headers())  # fmt: skip


def test_an_answer_that_needs_a_clinician_reaches_the_trainer_at_once(app, auth, users, alex, run_jobs):
    """Casey's laptop hears of Alex's emergency answer once, however often the phone sends it, and is never told
    what it was (a locked screen shows it); night pain alone (see a GP soon) needs no clinician before exercise,
    and the confirmation after the check is no news: both stay quiet."""
    from .pushservice import PushService

    with PushService() as service:
        laptop = service.browser("laptop")
        auth.login("coach@example.com")
        subscribed = auth.client.post("/api/v1/push/subscriptions", json=laptop.to_json(), headers=auth.api_headers())
        assert subscribed.status_code == 201
        auth.logout()
        auth.login("alex@example.com")
        soon, urgent = item(["night"], at=NOW - timedelta(hours=3)), item(["saddle"], at=NOW - timedelta(hours=2))
        assert sync(auth.client, auth, soon, urgent).status_code == 200
        assert sync(auth.client, auth, urgent).get_json()["results"][0]["status"] == "duplicate"
        again = item(["saddle"], at=NOW - timedelta(hours=1))  # answered again after emergency care, as asked
        seen = item(["saddle"], assessed_on=TODAY.isoformat(), at=NOW - timedelta(minutes=30))
        assert [r["status"] for r in sync(auth.client, auth, again, seen).get_json()["results"]] == ["created"] * 2
        run_jobs()
        words = {
            "title": "Alex Morgan's safety check needs your attention",
            "body": "Open their page in CoreSteady to see their answer and what they were told to do.",
            "url": f"/trainer/clients/{alex.id}#safety",
            "tag": f"safety-{alex.id}",
        }
        assert service.messages(laptop) == [words, words]  # the urgent answer and the one given again


def test_an_urgent_answer_reaches_only_the_trainer_who_follows_the_person(app, users, alex):
    """One push for Casey's one browser while Casey follows Alex; none once nobody does (a trainer who let Alex go
    hears nothing of Alex's answers)."""
    from webapp.jobs.models import Job
    from webapp.push import services as push
    from webapp.push.models import PushSubscription

    def pushes() -> int:
        return db.session.execute(db.select(db.func.count()).where(Job.kind == push.KIND)).scalar()

    with app.app_context():
        db.session.add(PushSubscription(user_id=users["coach"].id, endpoint="https://push.example/casey",
                                        p256dh="k" * 87, auth="a" * 22))  # fmt: skip
        person = db.session.merge(alex)
        screens.record_screen(person, ["saddle"], NOW - timedelta(hours=2))
        assert pushes() == 1
        person.trainer_id = None
        db.session.commit()
        screens.record_screen(person, ["saddle"], NOW - timedelta(hours=1))
        assert pushes() == 1


def test_answers_from_the_phone_sync_exactly_once(app, auth, signed_in, play_url):
    emergency = item(["saddle"], at=NOW - timedelta(hours=3))
    again = item([], at=NOW - timedelta(hours=2))
    confirm = item(["saddle"], TODAY.isoformat(), at=NOW - timedelta(hours=1))
    results = sync(signed_in, auth, emergency).get_json()["results"]
    assert results == [{"id": emergency["id"], "status": "created"}]
    assert signed_in.get(play_url).status_code == 302
    results = sync(signed_in, auth, emergency, {**emergency, "signs": []}, again, confirm).get_json()["results"]
    assert [r["status"] for r in results] == ["duplicate", "conflict", "created", "created"]
    assert signed_in.get(play_url).status_code == 200
    # Sent again after it cleared the answer: still a duplicate, not a confirmation with nothing to clear.
    assert sync(signed_in, auth, confirm).get_json()["results"][0]["status"] == "duplicate"
    assert len(stored(app)) == 4


def test_another_accounts_answer_id_is_simply_new_for_this_one(app, auth, signed_in):
    with app.app_context():
        make_user("sam@example.com")
    answer = item([], at=NOW - timedelta(hours=1))
    assert sync(signed_in, auth, answer).get_json()["results"][0]["status"] == "created"
    auth.logout()
    auth.login("sam@example.com")
    # Sam's phone happens to use the same id for another answer: created for Sam, nothing said about Alex's.
    results = sync(auth.client, auth, {**answer, "signs": ["fever"]}).get_json()["results"]
    assert results == [{"id": answer["id"], "status": "created"}]
    assert sorted(r.signs for r in stored(app) if r.uuid == answer["id"]) == [[], ["fever"]]


@pytest.mark.parametrize(
    ("items", "field", "words"),
    [
        ([item(["fever", "made-up"])], "signs.1", "no sign 'made-up'"),
        ([item(["fever"]), item(["fever"], "2026-03-05")], "assessed_on", "in the future"),
        ([item(["fever"]), item(["fever"], "2026-03-03")], "assessed_on", "before your answer"),
        ([item(["fever"]), item([], TODAY.isoformat())], "signs", "names none"),
        ([item(["fever"], TODAY.isoformat())], "assessed_on", "No answer is waiting"),
        ([item(["fever"]), item(["fever", "chest"], TODAY.isoformat())], "signs", "does not match"),
        ([item(["fever"], "4 March")], "assessed_on", "YYYY-MM-DD"),
        ([item(at=NOW + timedelta(hours=1))], "answered_at", "in the future"),
        ([item(user_id=999)], "user_id", "another account"),
        ([{"id": "not-a-uuid", "answered_at": NOW.isoformat(), "signs": []}], "id", "UUID"),
        ([item(extra="x")], "extra", "not permitted"),
    ],
)
def test_bad_answers_from_the_phone_are_invalid_and_store_nothing(app, auth, signed_in, items, field, words):
    before = len(stored(app))
    results = sync(signed_in, auth, *items).get_json()["results"]
    *_, last = results
    assert last["status"] == "invalid" and last["id"] == items[-1]["id"]
    assert any(e.startswith(field) and words in e for e in last["errors"]), last["errors"]
    assert len(stored(app)) == before + len(items) - 1


@pytest.mark.parametrize("body", [[], {"screens": "x"}, {"sessions": []}, {"screens": [item()] * 101}])
def test_a_body_of_the_wrong_shape_answers_400(app, auth, signed_in, body):
    response = sync(signed_in, auth, body=body)
    assert response.status_code == 400 and response.get_json()["message"]
    assert len(stored(app)) == 1


def test_the_safety_api_checks_sign_in_csrf_and_role(app, client, auth, users, alex):
    assert client.post("/api/v1/safety", json={"screens": []}).status_code == 401
    assert client.get("/api/v1/safety").status_code == 401
    auth.login("alex@example.com")
    assert client.post("/api/v1/safety", json={"screens": []}).status_code == 400
    auth.logout()
    auth.login("coach@example.com")
    assert client.post("/api/v1/safety", json={"screens": []}, headers=auth.api_headers()).status_code == 403


def test_the_standing_the_phone_reads(app, auth, signed_in):
    assert signed_in.get("/api/v1/safety").get_json()["state"] == "ok"
    sync(signed_in, auth, item(["fever"]))
    standing = signed_in.get("/api/v1/safety").get_json()
    assert standing["state"] == "blocked" and standing["level"] == "same-day" and standing["can_confirm"]
    assert standing["waiting"][0]["signs"] == ["fever"] and len(standing["screens"]) == 2


# ---- The trainer sees every concern ----


def test_the_dashboard_shows_a_red_session_and_a_bad_morning(app, users, alex):
    do_session(app, alex, datetime.combine(MONDAY, time(9), UTC), before=3, after=8, morning=(7, True))
    flags = flags_of(app, users)
    assert flags["red_session"] == "Red session on 2 Mar: pain 3 before, 8 after, 7 the next morning"
    assert flags["bad_morning"] == "Bad morning on 4 Mar: pain 7 and new numbness, tingling or weakness in the legs"
    # The check is due because of that session: named by its day, its pain being in the flag above.
    assert flags["safety_due"] == "Safety check due since the red session on 2 Mar"
    assert "ready" not in flags


def test_a_session_red_by_the_next_morning_is_named_with_that_morning(app, signed_in, users, alex):
    """2 before and 1 after, then 8 the next morning: Alex is asked for the safety check and Casey sees the red
    session, each told the 8 (the reason used to stop at "pain 2 before, 1 after", which read as a good session)."""
    do_session(app, alex, datetime.combine(MONDAY, time(9), UTC), before=2, after=1, morning=(8, False))
    today = text_of(signed_in.get("/"))
    assert "a red session on 2 Mar (pain 2 before, 1 after, 8 the next morning)" in today
    flags = flags_of(app, users)
    assert flags["red_session"] == "Red session on 2 Mar: pain 2 before, 1 after, 8 the next morning"
    assert flags["safety_due"] == "Safety check due since the red session on 2 Mar"


def test_new_leg_symptoms_are_named_first_when_the_check_was_already_due(app, signed_in, users, alex):
    """Due since Monday's red session; on Wednesday morning Alex reports new numbness in the legs after Tuesday's
    session. Today and the check name that morning first; Casey's row still dates the check from Monday."""
    do_session(app, alex, datetime.combine(MONDAY, time(9), UTC), before=3, after=8)
    tuesday = datetime.combine(MONDAY + timedelta(days=1), time(9), UTC)
    do_session(app, alex, tuesday, before=2, after=2, morning=(2, True))
    words = (
        "new numbness, tingling or weakness in the legs the morning after 3 Mar, "
        "and a red session on 2 Mar (pain 3 before, 8 after)"
    )
    assert f"We ask because of {words}." in text_of(signed_in.get("/"))
    assert f"We ask again now because of {words}." in text_of(signed_in.get("/safety/"))
    assert signed_in.get("/api/v1/safety").get_json()["due"]["reason"] == words
    assert flags_of(app, users)["safety_due"] == "Safety check due since the red session on 2 Mar"


@pytest.mark.parametrize(
    ("morning", "named"),
    [((7, False), "pain 7"), ((5, True), "new numbness, tingling or weakness in the legs")],
)
def test_a_check_due_because_of_a_bad_morning_names_the_morning_by_its_day(app, users, alex, morning, named):
    """A session that did not go red (5 before, 5 after; the morning's 7 is a rise of 2, below the traffic light's
    3), then a bad next morning: the row's bad-morning flag says what it was; the check, asked for because of it,
    names the morning by its day."""
    do_session(app, alex, datetime.combine(MONDAY, time(9), UTC), before=5, after=5, morning=morning)
    flags = flags_of(app, users)
    assert flags["bad_morning"] == f"Bad morning on 4 Mar: {named}"
    assert flags["safety_due"] == "Safety check due since the bad morning on 4 Mar"
    assert "red_session" not in flags


def test_a_check_due_since_an_earlier_red_session_names_its_pain(app, users, alex):
    """Red on Monday, never answered for, then red again on Wednesday: the row's red-session flag names
    Wednesday's with its pain; the check, due since Monday's, names Monday's pain itself rather than leaving the
    trainer to think it was Wednesday's."""
    do_session(app, alex, datetime.combine(MONDAY, time(9), UTC), before=3, after=8)
    do_session(app, alex, datetime.combine(MONDAY + timedelta(days=2), time(7), UTC), before=2, after=9)
    flags = flags_of(app, users)
    assert flags["red_session"] == "Red session on 4 Mar: pain 2 before, 9 after (2 in two weeks)"
    assert flags["safety_due"] == "Safety check due since 2 Mar: a red session on 2 Mar (pain 3 before, 8 after)"


def test_a_lower_pain_average_is_not_shown_as_good_news_beside_a_red_session(app, auth, users, alex):
    """Alex started at 3. A session begun at 1 brings the two-week average down 2, whatever its end: green when it
    ended well, grey when it ended at 8 (a red session), on the dashboard and on Alex's page."""
    trend = re.compile(r'<span class="trend trend--(\w+)"><span aria-hidden="true">(.)</span> (\S+)</span>')
    do_session(app, alex, NOW - timedelta(hours=20), before=1, after=1)
    auth.login("coach@example.com")
    assert trend.findall(auth.client.get("/trainer/").get_data(as_text=True)) == [("down", "↓", "-2")]
    do_session(app, alex, NOW - timedelta(hours=2), before=1, after=8)
    dashboard_page = auth.client.get("/trainer/").get_data(as_text=True)
    assert trend.findall(dashboard_page) == [("muted", "↓", "-2")]
    assert "Red session on 4 Mar: pain 1 before, 8 after" in dashboard_page
    # The page's note names every flag that greys the arrow, a red-flag answer and a rise in pain included.
    assert (
        "a fall shows grey rather than green while a flag says pain is a worry now (a red-flag answer, a red "
        "session, a bad morning, a rise in pain, a painful exercise)"
    ) in " ".join(dashboard_page.split())
    client_page = auth.client.get(f"/trainer/clients/{users['alex'].id}").get_data(as_text=True)
    assert trend.findall(client_page) == [("muted", "↓", "-2")]


def test_a_quiet_spell_while_waiting_for_a_clinician_says_exercise_is_on_hold(app, users, alex):
    """No session yet, then a red-flag answer: the quiet flag says why, so the trainer does not chase a person who
    was told to get checked before exercising."""
    assert flags_of(app, users)["quiet"] == "No session yet"
    with app.app_context():
        screens.record_screen(db.session.merge(alex), ["saddle"])
    flags = flags_of(app, users)
    assert flags["quiet"] == "No session yet; exercise is on hold until a clinician's check"
    assert "waiting for a clinician's check" in flags["red_flag"]


def test_a_screen_due_for_long_reads_overdue(app, users, alex):
    flags = flags_of(app, users, NOW + timedelta(weeks=8))
    assert flags["safety_due"].startswith("Safety check overdue, asked for since 13 Apr: 6 weeks since")


def test_ready_to_progress_never_shows_beside_a_concern(app, users, alex):
    for days in (3, 1):
        do_session(app, alex, NOW - timedelta(days=days), before=2, after=1)
    assert set(flags_of(app, users)) == {"ready"}
    do_session(app, alex, NOW - timedelta(hours=2), before=5, after=2)  # pain before up 3 on the usual 2
    flags = flags_of(app, users)
    assert "pain_up" in flags and "ready" not in flags


def test_the_flagged_filter_includes_every_concern(app, users, alex):
    with app.app_context():
        rows = dashboard.client_rows(db.session.get(User, users["coach"].id), NOW)
    for kind in ("red_flag", "red_session", "bad_morning", "safety_due", "pain_up"):
        rows[0].flags = [dashboard.Flag(kind, "reason")]
        assert dashboard.arrange(rows, "name", False, "flagged") == rows, kind


def test_the_clients_api_carries_the_new_flags(app, auth, users, alex):
    do_session(app, alex, NOW - timedelta(hours=20), before=3, after=8)
    auth.login("coach@example.com")
    [client] = auth.client.get("/api/v1/trainer/clients").get_json()["clients"]
    assert {"kind": "red_session", "reason": "Red session on 3 Mar: pain 3 before, 8 after"} in client["flags"]
    assert {f["kind"] for f in client["flags"]} >= {"red_session", "safety_due"}


def test_check_ins_keep_the_leg_answer(app, alex):
    session_id = do_session(app, alex, NOW - timedelta(hours=24))
    with app.app_context():
        records.record_next_day(db.session.merge(alex), session_id, 2, True)
        assert db.session.execute(db.select(CheckIn.legs).filter_by(kind="next-day")).scalar_one() is True


@pytest.mark.committed  # migrations run on connections of their own
def test_earlier_answers_survive_the_upgrade_and_a_same_form_tick_counts_for_nothing(app, users):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    with app.app_context():
        downgrade(revision="7b3e91c4d2a6")
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO red_flag_screens (user_id, answers, outcome, created_at) VALUES (:u, :a, :o, :t)"),
                {"u": users["alex"].id, "a": '{"ticked": ["fever"], "confirmed": true}', "o": "same-day",
                 "t": NOW},
            )  # fmt: skip
        upgrade()
        [screen] = db.session.execute(db.select(RedFlagScreen)).scalars().all()
        assert (screen.signs, screen.outcome, screen.assessed_on) == (["fever"], "same-day", None)
        assert screen.answered_at == NOW and len(screen.uuid) == 36
        assert screens.standing(db.session.get(User, users["alex"].id), NOW).blocked


# ---- Offline: what the phone keeps ----


def test_the_player_kept_offline_carries_the_lock_and_a_navigation_never_gets_past_it(app, signed_in, play_url):
    post(signed_in, "/safety/", {"signs": ["saddle"]})
    package = {"X-Offline-Package": "1", "Sec-Fetch-Mode": "cors"}
    # The service worker keeps the player whatever the answer; the copy says it is locked, and why.
    response = signed_in.get(play_url, headers=package)
    assert response.status_code == 200
    found = re.search(r'id="player-data">(.*?)</script>', response.get_data(as_text=True), re.S)
    standing = json.loads(found.group(1))["safety"]["standing"]
    assert standing["state"] == "blocked" and standing["level"] == "emergency" and not standing["can_confirm"]
    assert [w["signs"] for w in standing["waiting"]] == [["saddle"]]
    # A person opening the page is sent to the screen, even with the worker's header added to the navigation.
    for headers in ({}, {"Sec-Fetch-Mode": "navigate"}, {**package, "Sec-Fetch-Mode": "navigate"}):
        assert signed_in.get(play_url, headers=headers).headers["Location"].startswith("/safety/")


def test_every_page_that_works_offline_carries_the_standing_and_the_rules(signed_in):
    post(signed_in, "/safety/", {"signs": ["fever"]})
    for path in ("/", "/safety/", "/safety/result/same-day", "/safety/result/emergency"):
        page = signed_in.get(path).get_data(as_text=True)
        standing = embedded_standing(page)
        assert standing["state"] == "blocked" and standing["level"] == "same-day" and standing["can_confirm"], path
        assert standing["known"] and len(standing["known"]) == len(set(standing["known"]))
    # Every part of the next step is in the result page, the one that applies shown.
    assert next_steps(signed_in.get("/safety/result/same-day").get_data(as_text=True)) == {"can-confirm"}
