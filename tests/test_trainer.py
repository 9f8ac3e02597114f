"""A trainer's story: inviting clients, the dashboard's flags, a client's page, notes, the CSV and the API."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event

from webapp.auth.models import User
from webapp.extensions import db
from webapp.messages.models import Message
from webapp.programs.services import starter_program
from webapp.push.models import PushSubscription
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.models import CheckIn, CompletedSession, SessionExercise
from webapp.sessions.progress import short_date
from webapp.timeutil import utcnow
from webapp.trainer import dashboard, invites
from webapp.trainer.models import Invite

from .clock import FROZEN_AT
from .conftest import csrf_from, queued_mail, shown_link, words_of
from .factories import make_plan, make_user

# The clients here live in UTC, so the day of the suite's fixed moment is their today.
TODAY = FROZEN_AT.date()
pytestmark = pytest.mark.usefixtures("clock")


# ---- The story's data ----


def add_client(email: str, name: str, trainer=None, program: str | None = "gentle-start", start: date | None = None):
    """A client in UTC (so "today" is the test's today), onboarded, on a starter program unless program=None."""
    client = make_user(email, name=name, trainer=trainer, timezone="UTC")
    user = db.session.get(User, client.id)
    screens.record_screen(user, [])
    records.finish_onboarding(user)
    if program:
        make_plan(client, program, start=start or TODAY - timedelta(days=35))
    return client


def add_session(client, day: date, before: int = 3, after: int = 3, effort: int = 3, painful: tuple = (),
                notes: str = "", next_day: int | None = None) -> CompletedSession:  # fmt: skip
    routine = starter_program("gentle-start").weeks[0].routines[0]
    end = datetime.combine(day, time(8, 0), UTC)
    session = CompletedSession(
        uuid=str(uuid.uuid4()), user_id=client.id, routine_id=routine.id, program_id=routine.program_id,
        started_at=end - timedelta(minutes=15), completed_at=end, local_date=day, pain_before=before,
        pain_after=after, effort=effort, notes=notes, content_hash="0" * 64,
    )  # fmt: skip
    session.exercises = [
        SessionExercise(position=i, exercise_id=item.exercise_id, sets_done=item.sets, reps_done=item.reps,
                        hold_seconds=item.hold_seconds, painful=item.exercise.slug in painful)
        for i, item in enumerate(routine.items)
    ]  # fmt: skip
    db.session.add(session)
    db.session.flush()
    if next_day is not None:
        db.session.add(CheckIn(user_id=client.id, kind="next-day", pain=next_day, session_id=session.id,
                               created_at=end + timedelta(days=1)))  # fmt: skip
    db.session.commit()
    return session


def baseline(client, pain: int, when: datetime | None = None) -> None:
    db.session.add(
        CheckIn(user_id=client.id, kind="baseline", pain=pain, created_at=when or utcnow() - timedelta(days=40))
    )
    db.session.commit()


@pytest.fixture
def team(app):
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach", timezone="UTC")
        other = make_user("other@example.com", role="trainer", name="Robin Physio", timezone="UTC")
        alex = add_client("alex@example.com", "Alex Morgan", trainer=coach)
        return {"coach": coach, "other": other, "alex": alex}


def post(client, path: str, data: dict | None = None, page: str = "/lessons/"):
    token = csrf_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={**(data or {}), "csrf_token": token})


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def invite_link(app, trainer, **fields) -> tuple[int, str]:
    with app.app_context():
        invite = invites.create_invite(db.session.get(User, trainer.id), **fields)
        return invite.id, "/join/" + invites.invite_token(invite)


def trainer_of(app, user) -> int | None:
    with app.app_context():
        return db.session.get(User, user.id).trainer_id


# ---- Invites ----


def test_a_trainer_creates_an_invite_with_a_link_a_copy_button_and_a_qr_code(client, auth, team, app):
    auth.login_as(team["coach"])
    response = post(client, "/trainer/invites", {"name": "Taylor", "email": "Taylor@Example.com"}, "/trainer/invites")
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    link = re.search(r'id="invite-url"[^>]*value="([^"]+)"', html).group(1)
    assert "/join/" in link and 'data-copy="invite-url"' in html
    with app.app_context():
        invite = db.session.execute(db.select(Invite)).scalar_one()
        assert invite.email == "taylor@example.com" and invite.name == "Taylor"
        assert invite.expires_at - invite.created_at == timedelta(days=7)
    qr = client.get(f"/trainer/invites/{invite.id}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml"
    svg = qr.get_data(as_text=True)
    assert svg.startswith("<svg") and "viewBox" in svg
    assert "<script" not in svg.lower() and not re.search(r"\son\w+=", svg)
    assert "sandbox" in qr.headers["Content-Security-Policy"]


def test_an_invite_with_a_bad_email_is_refused_with_a_message(client, auth, team, app):
    auth.login_as(team["coach"])
    response = post(client, "/trainer/invites", {"email": "not-an-email"}, "/trainer/invites")
    assert response.status_code == 400 and "Enter a valid email address" in text_of(response)
    with app.app_context():
        assert db.session.execute(db.select(Invite)).first() is None


def test_the_qr_check_refuses_an_svg_with_a_script_or_a_handler():
    invites.check_clean_svg('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h1"/></svg>')
    bad_ones = [
        "<svg><script>alert(1)</script></svg>",
        '<svg onload="alert(1)"><path d="M0 0"/></svg>',
        '<svg><a href="javascript:alert(1)"><path d="M0 0"/></a></svg>',
        "<!DOCTYPE svg><svg></svg>",
    ]
    for bad in bad_ones:
        with pytest.raises(ValueError):
            invites.check_clean_svg(bad)


def invite_signup(client, link: str, **fields):
    token = csrf_from(client.get(link).get_data(as_text=True))
    data = {"csrf_token": token, "name": "Taylor Reed", "email": "taylor@example.com", "timezone": "Europe/Paris"}
    return client.post(link + "/signup", data={**data, **fields})


NEW_PASSWORD = "a-long-enough-password"


def choose_password(client, link: str, password: str = NEW_PASSWORD):
    token = csrf_from(client.get(link).get_data(as_text=True))
    return client.post(link, data={"csrf_token": token, "password": password, "confirm": password})


def test_a_new_visitor_signs_up_from_the_invite_and_joins_once_the_mailed_link_is_opened(client, team, app):
    _, link = invite_link(app, team["coach"], email="taylor@example.com")
    page = client.get(link)
    assert page.status_code == 200
    words = text_of(page)
    assert "Casey Coach invites you to CoreSteady" in words
    assert 'value="taylor@example.com"' in page.get_data(as_text=True)
    sent = invite_signup(client, link)
    assert sent.status_code == 200 and "Check your email" in text_of(sent)
    with app.app_context():  # the invite link proves nothing about the address: nothing is made before the mail
        assert db.session.execute(db.select(User).filter_by(email="taylor@example.com")).scalar() is None
        assert db.session.execute(db.select(Invite)).scalar_one().used_at is None
    (mail,) = queued_mail(app)
    confirm = shown_link(sent.get_data(as_text=True))
    assert mail["to"] == "taylor@example.com" and confirm in mail["body"]
    assert confirm.startswith(f"http://localhost{link}/confirm/")
    response = choose_password(client, confirm)
    assert response.status_code == 302
    with app.app_context():
        taylor = db.session.execute(db.select(User).filter_by(email="taylor@example.com")).scalar_one()
        assert taylor.role == "client" and taylor.trainer_id == team["coach"].id and taylor.timezone == "Europe/Paris"
        invite = db.session.execute(db.select(Invite)).scalar_one()
        assert invite.used_at is not None and invite.used_by_id == taylor.id
    assert "You have joined Casey Coach" in text_of(client.get(response.headers["Location"], follow_redirects=True))


def test_an_invite_sign_up_with_an_existing_email_answers_alike_and_mails_the_owner(client, team, app):
    with app.app_context():
        sam = add_client("sam@example.com", "Sam Patel")
    app.config.update(MAIL_SERVER="mail.example.org")  # as in production: the page shows no message
    _, link = invite_link(app, team["coach"])
    answers = [
        words_of(invite_signup(app.test_client(), link, email=email)).replace(email, "<email>")
        for email in ("sam@example.com", "taylor@example.com")
    ]
    assert answers[0] == answers[1] and "Check your email" in answers[0]
    owner, newcomer = queued_mail(app)
    assert owner["to"] == "sam@example.com" and "/auth/login" in owner["body"] and "/confirm/" not in owner["body"]
    assert newcomer["to"] == "taylor@example.com" and f"{link}/confirm/" in newcomer["body"]
    assert trainer_of(app, sam) is None  # Sam is not joined to anyone by someone typing his address
    with app.app_context():
        assert db.session.execute(db.select(Invite)).scalar_one().used_at is None


def test_a_link_made_for_one_invite_opens_no_other(client, team, app):
    _, link = invite_link(app, team["coach"])
    _, other = invite_link(app, team["coach"])
    confirm = shown_link(invite_signup(client, link).get_data(as_text=True))
    stolen = confirm.replace(link, other)
    response = client.get(stolen)
    assert response.status_code == 302 and response.headers["Location"] == other
    signup_only = confirm.replace(f"{link}/confirm/", "/auth/confirm/")  # nor the plain sign-up's page
    assert client.get(signup_only).headers["Location"] == "/auth/signup"


def test_a_sign_up_with_a_bad_form_creates_nobody_and_keeps_the_invite(client, team, app):
    _, link = invite_link(app, team["coach"])
    response = invite_signup(client, link, email="not-an-email")
    assert response.status_code == 400 and "Enter a valid email address" in text_of(response)
    response = invite_signup(client, link, name="")
    assert response.status_code == 400 and "Tell us what to call you" in text_of(response)
    confirm = shown_link(invite_signup(client, link, email="t@example.com").get_data(as_text=True))
    response = choose_password(client, confirm, "short")
    assert "Use between 10 and" in text_of(response)
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(email="t@example.com")).scalar() is None
        assert db.session.execute(db.select(Invite)).scalar_one().used_at is None


def test_an_invite_used_while_the_mail_was_on_its_way_leaves_the_account_without_the_trainer(client, team, app):
    invite_id, link = invite_link(app, team["coach"])
    confirm = shown_link(invite_signup(client, link).get_data(as_text=True))
    with app.app_context():
        invites.revoke(db.session.get(Invite, invite_id))
        db.session.commit()
    response = choose_password(client, confirm)
    assert response.status_code == 302
    page = text_of(client.get(response.headers["Location"], follow_redirects=True))
    assert "Your account is ready, but the invite could not be used" in page
    with app.app_context():
        taylor = db.session.execute(db.select(User).filter_by(email="taylor@example.com")).scalar_one()
        assert taylor.trainer_id is None


def test_an_existing_client_logs_in_from_the_invite_and_joins_with_one_tap(client, auth, team, app):
    with app.app_context():
        sam = add_client("sam@example.com", "Sam Patel")
    _, link = invite_link(app, team["coach"])
    page = client.get(link).get_data(as_text=True)
    login_url = re.search(r'href="(/auth/login\?next=[^"]+)"', page).group(1).replace("&amp;", "&")
    token = csrf_from(client.get(login_url).get_data(as_text=True))
    response = client.post(login_url, data={"email": "sam@example.com", "password": "correct-horse-battery",
                                            "csrf_token": token})  # fmt: skip
    assert response.headers["Location"] == link
    page = client.get(link)
    assert "Join Casey Coach" in text_of(page)
    response = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302
    assert trainer_of(app, sam) == team["coach"].id


def test_a_client_with_another_trainer_is_asked_before_switching(client, auth, team, app):
    with app.app_context():
        jo = add_client("jo@example.com", "Jo Lindqvist", trainer=team["other"])
    invite_id, link = invite_link(app, team["coach"])
    auth.login_as(jo)
    page = client.get(link)
    words = text_of(page)
    assert "You are coached by Robin Physio" in words and "Switch to Casey Coach" in words
    token = csrf_from(page.get_data(as_text=True))
    unconfirmed = client.post(link, data={"csrf_token": token})
    assert unconfirmed.status_code == 409 and "Switch to Casey Coach" in text_of(unconfirmed)
    assert trainer_of(app, jo) == team["other"].id
    with app.app_context():
        assert db.session.get(Invite, invite_id).used_at is None
    confirmed = client.post(link, data={"csrf_token": token, "confirm": "switch"})
    assert confirmed.status_code == 302
    assert trainer_of(app, jo) == team["coach"].id
    assert "Robin Physio no longer sees your sessions" in text_of(client.get("/", follow_redirects=True))
    # Robin is told Jo ended the link, and never who Jo went to.
    [told] = queued_mail(app)
    assert told["to"] == "other@example.com" and told["subject"] == "Jo Lindqvist is no longer your client"
    assert "Casey" not in told["body"] and "Casey" not in told["subject"]


def refusals(app, coach):
    """One link per way an invite can be refused, with the words the visitor should read."""
    with app.app_context():
        trainer = db.session.get(User, coach.id)
        used = invites.create_invite(trainer)
        used.used_at = utcnow()
        revoked = invites.create_invite(trainer)
        invites.revoke(revoked)
        expired = invites.create_invite(trainer, now=utcnow() - timedelta(days=8))
        db.session.commit()
        valid = invites.invite_token(invites.create_invite(trainer))
        return {
            "used": ("/join/" + invites.invite_token(used), 410, "already been used"),
            "revoked": ("/join/" + invites.invite_token(revoked), 410, "withdrew this invite"),
            "expired": ("/join/" + invites.invite_token(expired), 410, "has expired"),
            "forged": ("/join/" + valid[:-3] + ("AAA" if not valid.endswith("AAA") else "BBB"), 404, "not valid"),
            "made up": ("/join/not-a-token", 404, "not valid"),
        }


def test_expired_used_revoked_and_forged_invites_are_refused_and_nothing_changes(client, auth, team, app):
    with app.app_context():
        sam = add_client("sam@example.com", "Sam Patel")
    cases = refusals(app, team["coach"])
    for link, status, words in cases.values():  # as a visitor: no sign-up form, and signing up is refused
        response = client.get(link)
        assert response.status_code == status and words in text_of(response), link
        assert 'name="password"' not in response.get_data(as_text=True)
        token = csrf_from(response.get_data(as_text=True))
        signup = client.post(link + "/signup", data={
            "csrf_token": token, "name": "Mallory", "email": "mallory@example.com",
            "password": "a-long-enough-password", "confirm": "a-long-enough-password"})  # fmt: skip
        assert signup.status_code == status
    auth.login_as(sam)
    for link, status, words in cases.values():  # as a client: accepting is refused
        token = csrf_from(client.get("/lessons/").get_data(as_text=True))
        response = client.post(link, data={"csrf_token": token, "confirm": "switch"})
        assert response.status_code == status and words in text_of(response), link
    assert trainer_of(app, sam) is None
    with app.app_context():
        assert db.session.execute(db.select(User).filter_by(email="mallory@example.com")).scalar() is None
        assert (
            db.session.execute(
                db.select(db.func.count()).select_from(Invite).where(Invite.used_by_id.is_not(None))
            ).scalar()
            == 0
        )


def test_a_link_past_its_signed_age_is_refused_even_if_the_row_says_otherwise(client, team, app):
    _, link = invite_link(app, team["coach"])
    app.config["INVITE_MAX_AGE"] = -1  # the signature's own clock has run out
    response = client.get(link)
    assert response.status_code == 410 and "has expired" in text_of(response)


def test_a_trainer_account_cannot_accept_an_invite(client, auth, team, app):
    invite_id, link = invite_link(app, team["coach"])
    auth.login_as(team["other"])
    page = client.get(link)
    assert page.status_code == 403 and "Invites are for client accounts" in text_of(page)
    response = client.post(link, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Invite, invite_id).used_at is None
        assert db.session.get(User, team["other"].id).trainer_id is None


def test_a_trainer_withdraws_an_invite(client, auth, team, app):
    invite_id, link = invite_link(app, team["coach"])
    auth.login_as(team["coach"])
    response = post(client, f"/trainer/invites/{invite_id}/revoke", page="/trainer/invites")
    assert response.status_code == 302
    assert "withdrawn" in text_of(client.get("/trainer/invites")).lower()
    assert client.get(f"/trainer/invites/{invite_id}/qr.svg").status_code == 404
    auth.logout()
    assert client.get(link).status_code == 410


# ---- Leaving and removing ----


def test_a_client_leaves_their_trainer_from_the_account_page(client, auth, team, app):
    auth.login_as(team["alex"])
    account = text_of(client.get("/account/"))
    assert "Leave Casey Coach" in account
    confirm = client.get("/my-trainer/leave")
    assert "Leave Casey Coach?" in text_of(confirm)
    assert "They are told by email that you left, not why." in text_of(confirm)
    response = client.post("/my-trainer/leave", data={"csrf_token": csrf_from(confirm.get_data(as_text=True))})
    assert response.status_code == 302
    assert trainer_of(app, team["alex"]) is None
    assert "Leave Casey Coach" not in text_of(client.get("/account/"))
    # Casey learns it from a message, not from a row gone from the dashboard; Alex, who chose it, gets none.
    [told] = queued_mail(app)
    assert told["to"] == "coach@example.com" and told["subject"] == "Alex Morgan is no longer your client"
    assert "Alex Morgan ended their link with you in CoreSteady on " in told["body"]
    assert "http://localhost/trainer/" in told["body"]


def test_a_trainer_removes_a_client_after_confirming(client, auth, team, app):
    alex_id = team["alex"].id
    auth.login_as(team["coach"])
    confirm = client.get(f"/trainer/clients/{alex_id}/remove")
    assert "Remove Alex Morgan?" in text_of(confirm)
    assert "They are told by email that you no longer follow their sessions" in text_of(confirm)
    response = post(client, f"/trainer/clients/{alex_id}/remove", page="/trainer/")
    assert response.status_code == 302
    assert trainer_of(app, team["alex"]) is None
    assert client.get(f"/trainer/clients/{alex_id}").status_code == 404
    with app.app_context():
        assert db.session.get(User, alex_id) is not None  # the account and its history stay
    assert "Flagged on your dashboard now, and seen by no one" not in text_of(confirm)  # nothing open for Alex
    # Alex is told that no one sees their sessions now, and what still holds; Casey, who chose it, gets no mail.
    [told] = queued_mail(app)
    assert told["to"] == "alex@example.com" and told["subject"] == "Casey Coach no longer follows your sessions"
    body = " ".join(told["body"].split())
    assert "they do not see your sessions, your pain ratings or your messages" in body
    assert "get help at once if you notice a warning sign" in body
    assert "still waiting for a clinician" not in body  # Alex has no such answer
    assert "you can go on with your sessions as before" in body
    assert "http://localhost/" in body


def test_removing_a_client_shows_first_what_is_open_and_will_go_unseen(client, auth, team, app):
    with app.app_context():
        alex = db.session.get(User, team["alex"].id)
        screens.record_screen(alex, ["bladder"])
        db.session.commit()
    auth.login_as(team["coach"])
    confirm = text_of(client.get(f"/trainer/clients/{team['alex'].id}/remove"))
    assert "Flagged on your dashboard now, and seen by no one once you remove Alex" in confirm
    assert "Red-flag answer on " in confirm and "new bladder trouble); waiting for a clinician" in confirm
    assert "you may want to talk to them first" in confirm
    # Removed anyway, Alex is told again what the answer asks, now that no trainer sees it.
    assert post(client, f"/trainer/clients/{team['alex'].id}/remove", page="/trainer/").status_code == 302
    [told] = queued_mail(app)
    body = " ".join(told["body"].split())
    assert (
        "Your answer to the safety questions (new bladder trouble) is still waiting for a clinician's check, and your "
        "trainer will no longer see it: get medical help now, if you have not been seen yet." in body
    )
    assert "go on with your sessions as before" not in body  # the exercises wait for the clinician's check


# ---- The dashboard ----


@pytest.fixture
def flagged(app, team):
    """One client per flag, each with the history that earns it."""
    with app.app_context():
        coach = team["coach"]
        riser = add_client("riser@example.com", "Pat Riser", trainer=coach)
        baseline(riser, 2)
        for back in (10, 6, 2):
            add_session(riser, TODAY - timedelta(days=back), before=5, after=4, effort=5)
        red = add_client("red@example.com", "Rae Flag", trainer=coach)
        add_session(red, TODAY - timedelta(days=1))
        screens.record_screen(db.session.get(User, red.id), ["fever"])  # after the clear one at onboarding
        sore = add_client("sore@example.com", "Sid Sore", trainer=coach)
        add_session(sore, TODAY - timedelta(days=3), painful=("knee-to-chest",))
        quiet = add_client("quiet@example.com", "Quinn Quiet", trainer=coach)
        add_session(quiet, TODAY - timedelta(days=9))
        ready = add_client("ready@example.com", "Ray Ready", trainer=coach)
        add_session(ready, TODAY - timedelta(days=4), before=2, after=2, effort=3, next_day=2)
        add_session(ready, TODAY - timedelta(days=2), before=2, after=1, effort=3, next_day=1)
        add_client("new@example.com", "Nia New", trainer=coach, program=None)
        # Alex (from the team) is on track: sessions done, nothing to flag but nothing to praise either.
        add_session(team["alex"], TODAY - timedelta(days=1), before=3, after=3, effort=6)
        return {"riser": riser, "red": red, "sore": sore, "quiet": quiet, "ready": ready}


def reasons(rows, name) -> list[str]:
    return [f.reason for f in next(r for r in rows if r.client.name == name).flags]


def test_each_flag_comes_with_its_reason(app, team, flagged):
    with app.app_context():
        rows = dashboard.client_rows(db.session.get(User, team["coach"].id))
    assert reasons(rows, "Pat Riser")[0].startswith("Pain up by 3 ")
    assert reasons(rows, "Rae Flag") == [
        f"Red-flag answer on {short_date(utcnow().date())} (see a doctor the same day: fever); "
        "waiting for a clinician's check"
    ]
    assert reasons(rows, "Sid Sore") == [f"Marked Knee to chest painful on {short_date(TODAY - timedelta(days=3))}"]
    assert reasons(rows, "Quinn Quiet") == ["No session for 9 days"]
    assert reasons(rows, "Ray Ready") == ["Ready to progress: two easy, green sessions in a row"]
    assert reasons(rows, "Nia New") == ["No session yet"]
    assert reasons(rows, "Alex Morgan") == []
    riser = next(r for r in rows if r.client.name == "Pat Riser")
    assert (riser.pain.baseline, riser.pain.recent, riser.pain.change, riser.pain.direction) == (2, 5, 3, "up")
    assert riser.effort == 5 and riser.last_session == TODAY - timedelta(days=2)


def test_pain_up_needs_two_points(app, team):
    with app.app_context():
        mild = add_client("mild@example.com", "Mo Mild", trainer=team["coach"])
        baseline(mild, 3)
        add_session(mild, TODAY - timedelta(days=1), before=4, after=4)
        rows = dashboard.client_rows(db.session.get(User, team["coach"].id))
    assert reasons(rows, "Mo Mild") == []


def test_without_a_baseline_rating_the_first_sessions_are_the_baseline(app, team):
    with app.app_context():
        client = add_client("firsts@example.com", "Fay Firsts", trainer=team["coach"])
        for back, pain in ((12, 2), (11, 2), (10, 2), (3, 5), (1, 5)):
            add_session(client, TODAY - timedelta(days=back), before=pain, after=pain)
        row = dashboard.client_rows(db.session.get(User, team["coach"].id), client_id=client.id)[0]
    assert (row.pain.baseline, row.pain.recent) == (2, 5)
    assert row.flags[0].reason.startswith("Pain up by 3")


def test_a_year_of_older_history_changes_nothing_the_dashboard_shows(app, team):
    """The dashboard reads each client's last weeks and a few rows through indexes, never the whole history: a
    client with a year of sessions before their plan (high pain, red sessions, sore exercises, bad mornings) shows
    exactly what their twin without that year shows, and both rows agree with what the whole history says."""
    with app.app_context():
        coach = team["coach"]
        twins = []
        for email, name in (("long@example.com", "Lee Long"), ("short@example.com", "Sky Short")):
            client = add_client(email, name, trainer=coach)
            baseline(client, 3, when=utcnow() - timedelta(days=400))
            for back, before, after in ((20, 3, 3), (12, 3, 4), (6, 4, 4), (3, 5, 5), (1, 3, 2)):
                add_session(client, TODAY - timedelta(days=back), before=before, after=after, effort=4,
                            painful=("knee-to-chest",) if back == 6 else (), next_day=max(0, before - 1))  # fmt: skip
            twins.append(client)
        for back in range(80, 400, 3):  # long before the plan (35 days ago) and the safety check's weeks
            add_session(twins[0], TODAY - timedelta(days=back), before=8, after=10, effort=9,
                        painful=("knee-to-chest", "pelvic-tilt"), next_day=9)  # fmt: skip
        rows = dashboard.client_rows(db.session.get(User, coach.id))
        long, short = (next(r for r in rows if r.client.id == c.id) for c in twins)
        with_history, without = dashboard.row_payload(long), dashboard.row_payload(short)
        for key in ("id", "name", "email"):
            del with_history[key], without[key]
        assert with_history == without
        # What the whole history says: the last session, and the safety standing the client's own pages read.
        assert (
            long.last_session
            == db.session.execute(
                db.select(db.func.max(CompletedSession.local_date)).where(CompletedSession.user_id == twins[0].id)
            ).scalar()
        )
        assert screens.standing(db.session.get(User, twins[0].id)).must_answer is False
    assert with_history["flags"] == [
        {"kind": "painful", "reason": f"Marked Knee to chest painful on {short_date(TODAY - timedelta(days=6))}"}
    ]
    assert with_history["pain_trend"] == {"baseline": 3.0, "recent": 3.8, "change": 0.8}
    assert with_history["last_session"] == (TODAY - timedelta(days=1)).isoformat()


def test_the_dashboard_page_shows_every_client_with_flags_and_numbers(client, auth, team, flagged):
    auth.login_as(team["coach"])
    assert client.get("/").headers["Location"] == "/trainer/"
    page = client.get("/trainer/")
    assert page.status_code == 200
    words = text_of(page)
    for name in ("Pat Riser", "Rae Flag", "Sid Sore", "Quinn Quiet", "Ray Ready", "Nia New", "Alex Morgan"):
        assert name in words
    assert "No session for 9 days" in words and "Marked Knee to chest painful" in words
    assert "Ready to progress" in words and "No program" in words
    assert 'href="/trainer/clients/' in page.get_data(as_text=True)
    # Where alerts are turned on, said on the page the trainer opens most; once they are on, that they are.
    assert '<a href="/account/#alerts">turn on alerts in this browser</a>' in page.get_data(as_text=True)
    assert "Alerts are on" not in words


def test_the_dashboard_says_in_how_many_browsers_alerts_are_on(app, client, auth, team):
    auth.login_as(team["coach"])
    with app.app_context():
        for n in range(2):
            endpoint = f"https://push.example.net/send/{n}"
            db.session.add(PushSubscription(user_id=team["coach"].id, endpoint=endpoint, p256dh="k", auth="a"))
        db.session.add(PushSubscription(user_id=team["other"].id, endpoint="https://push.example.net/send/9",
                                        p256dh="k", auth="a"))  # fmt: skip
        db.session.commit()
    page = client.get("/trainer/")
    words = text_of(page)
    assert "Alerts are on in 2 browsers of yours: you hear at once when a client writes to you" in words
    assert "turn on alerts in this browser" not in words
    assert '<a href="/account/#alerts">Turn them on or off</a>' in page.get_data(as_text=True)


def names_in_order(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<a href="/trainer/clients/\d+">([^<]+)</a>', html)


def test_the_dashboard_sorts_and_filters(client, auth, team, flagged):
    auth.login_as(team["coach"])
    everyone = names_in_order(client.get("/trainer/?sort=name"))
    assert everyone == sorted(everyone) and len(everyone) == 7
    assert names_in_order(client.get("/trainer/?sort=name&dir=desc")) == sorted(everyone, reverse=True)
    assert names_in_order(client.get("/trainer/?sort=pain"))[0] == "Pat Riser"
    assert names_in_order(client.get("/trainer/?sort=last"))[:2] == ["Nia New", "Quinn Quiet"]
    assert names_in_order(client.get("/trainer/?show=quiet&sort=name")) == ["Nia New", "Quinn Quiet"]
    assert names_in_order(client.get("/trainer/?show=ready")) == ["Ray Ready"]
    assert names_in_order(client.get("/trainer/?show=no-program")) == ["Nia New"]
    flagged_names = names_in_order(client.get("/trainer/?show=flagged&sort=name"))
    assert flagged_names == ["Nia New", "Pat Riser", "Quinn Quiet", "Rae Flag", "Sid Sore"]
    assert names_in_order(client.get("/trainer/?sort=flags"))[-2:] == ["Ray Ready", "Alex Morgan"]
    # Values that no link makes fall back to the defaults rather than failing.
    assert client.get("/trainer/?sort=evil&dir=sideways&show=everything").status_code == 200


def test_the_dashboard_finds_clients_by_name_or_email(client, auth, team, flagged):
    auth.login_as(team["coach"])
    assert names_in_order(client.get("/trainer/?q=ra")) == ["Rae Flag", "Ray Ready"]  # flags first
    assert names_in_order(client.get("/trainer/?q=RISER%40example")) == ["Pat Riser"]
    assert names_in_order(client.get("/trainer/?q=ready+ray")) == ["Ray Ready"]
    assert names_in_order(client.get("/trainer/?q=ra&show=flagged")) == ["Rae Flag"]
    nobody = client.get("/trainer/?q=zzz")
    assert nobody.status_code == 200 and "No client matches “zzz”" in text_of(nobody)
    # The search is kept when sorting or filtering, and filter counts are of what was found.
    html = client.get("/trainer/?q=ra").get_data(as_text=True)
    assert "q=ra" in html and re.search(r"Flagged <span class=\"filter-tabs__count\">1<", html)


def test_a_long_client_list_comes_in_pages(app, client, auth, team, monkeypatch):
    monkeypatch.setattr(dashboard, "PAGE_SIZE", 3)
    with app.app_context():
        for n in range(6):
            add_client(f"p{n}@example.com", f"Page Person {n}", trainer=team["coach"], program=None)
    auth.login_as(team["coach"])
    first = client.get("/trainer/?sort=name")
    assert names_in_order(first) == ["Alex Morgan", "Page Person 0", "Page Person 1"]
    assert "1–3 of 7" in text_of(first) and "Page 1 of 3" in text_of(first)
    second = client.get("/trainer/?sort=name&page=2")
    assert names_in_order(second) == ["Page Person 2", "Page Person 3", "Page Person 4"]
    assert 'rel="prev"' in second.get_data(as_text=True) and 'rel="next"' in second.get_data(as_text=True)
    # A page past the end, or not a number, shows the nearest real page.
    assert names_in_order(client.get("/trainer/?sort=name&page=99")) == ["Page Person 5"]
    assert names_in_order(client.get("/trainer/?sort=name&page=x")) == names_in_order(first)


def test_adherence_counts_planned_sessions_done(app, team):
    with app.app_context():
        monday = TODAY - timedelta(days=TODAY.weekday())
        client = add_client("adh@example.com", "Ada Here", trainer=team["coach"], start=monday - timedelta(days=14))
        add_session(client, monday - timedelta(days=14))  # a planned Monday, done
        row = dashboard.client_rows(db.session.get(User, team["coach"].id), client_id=client.id)[0]
    assert row.month.done == 1 and row.month.planned >= 6
    assert row.week.done == 0 and row.week.planned >= 1


def test_days_on_hold_after_a_red_flag_answer_do_not_lower_adherence(app, team):
    """A fever ten days ago (see a GP today), still waiting for a clinician's check: the sessions planned since
    were on hold, so neither the 7 nor the 30 days count them against the client; the days before still count."""
    with app.app_context():
        client = add_client("held@example.com", "Hal Held", trainer=team["coach"], start=TODAY - timedelta(days=35))
        coach = db.session.get(User, team["coach"].id)
        before = dashboard.client_rows(coach, FROZEN_AT, client_id=client.id, kept=False)[0]
        screens.record_screen(client, ["fever"], now=FROZEN_AT - timedelta(days=10))
        after = dashboard.client_rows(coach, FROZEN_AT, client_id=client.id, kept=False)[0]
    assert before.week.planned >= 1 and after.week.planned == 0
    assert before.month.planned > after.month.planned > 0 and after.month.done == 0
    assert "No session yet; exercise is on hold until a clinician's check" in [f.reason for f in after.flags]


def count_queries(app, action) -> int:
    statements = []

    def remember(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        bind = db.session.get_bind()  # the test's connection, or the engine for a test that commits
    event.listen(bind, "before_cursor_execute", remember)
    try:
        response = action()
    finally:
        event.remove(bind, "before_cursor_execute", remember)
    assert response.status_code == 200
    return len(statements)


def add_clients(app, coach, first: int, count: int) -> None:
    with app.app_context():
        for n in range(first, first + count):
            client = add_client(f"c{n}@example.com", f"Client {n:03}", trainer=coach)
            baseline(client, 3)
            for back in (12, 5, 1):
                add_session(client, TODAY - timedelta(days=back), painful=("pelvic-tilt",) if n % 3 else ())


def test_the_dashboard_costs_the_same_queries_for_3_clients_as_for_60(client, auth, team, app):
    add_clients(app, team["coach"], 1, 2)  # with Alex: 3
    auth.login_as(team["coach"])
    client.get("/trainer/")  # first visit warms what every request loads once (content version and the like)
    few = count_queries(app, lambda: client.get("/trainer/"))
    few_api = count_queries(app, lambda: client.get("/api/v1/trainer/clients"))
    add_clients(app, team["coach"], 3, 57)
    page = client.get("/trainer/")
    assert len(names_in_order(page)) == dashboard.PAGE_SIZE and "1–50 of 60" in text_of(page)
    assert count_queries(app, lambda: client.get("/trainer/")) == few
    assert count_queries(app, lambda: client.get("/api/v1/trainer/clients")) == few_api
    # The API is paginated like the page: 50 by name, then the rest, each with the same fields.
    first = client.get("/api/v1/trainer/clients").get_json()
    assert len(first["clients"]) == 50 and first["total"] == 60
    assert first["next"] == "/api/v1/trainer/clients?page=2"
    second = client.get(first["next"]).get_json()
    assert len(second["clients"]) == 10 and second["next"] is None
    names = [c["name"] for c in first["clients"] + second["clients"]]
    assert names == sorted(names, key=str.lower) and len(set(names)) == 60
    assert set(second["clients"][0]) == set(first["clients"][0]) >= {"id", "name", "email", "flags"}
    assert client.get("/api/v1/trainer/clients?page=3").get_json() == {"clients": [], "total": 60, "next": None}
    for bad in ("0", "abc", "-1", "99999999999"):
        response = client.get(f"/api/v1/trainer/clients?page={bad}")
        assert response.status_code == 400 and "page must be a whole number" in response.get_json()["message"]


# ---- A client's page, notes and the CSV ----


def test_the_client_page_shows_calendar_sessions_charts_notes_and_flags(client, auth, team, app):
    with app.app_context():
        alex = team["alex"]
        add_session(alex, TODAY - timedelta(days=3), before=4, after=5, notes="Tight after driving.",
                    painful=("knee-to-chest",))  # fmt: skip
        add_session(alex, TODAY - timedelta(days=1), before=3, after=2)
    auth.login_as(team["coach"])
    page = client.get(f"/trainer/clients/{alex.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    words = text_of(page)
    assert "Alex Morgan" in words and "Gentle start" in words
    assert 'class="calendar__grid"' in html and "done" in words
    assert 'id="client-pain-chart"' in html
    assert "Tight after driving." in words
    assert "Knee to chest" in words and "marked painful" in words
    assert "Marked Knee to chest painful on" in words
    assert 'name="body"' in html and "sessions.csv" in html


def test_a_message_from_the_trainer_shows_once_on_the_clients_today(client, auth, team, app):
    alex_id = team["alex"].id
    auth.login_as(team["coach"])
    too_long = post(client, f"/trainer/clients/{alex_id}/messages", {"body": "x" * 2001}, "/trainer/")
    assert too_long.status_code == 400 and "2,000 characters" in text_of(too_long)
    empty = post(client, f"/trainer/clients/{alex_id}/messages", {"body": "   "}, "/trainer/")
    assert empty.status_code == 400 and "Write something before sending" in text_of(empty)
    sent = post(client, f"/trainer/clients/{alex_id}/messages", {"body": "Great week. <b>Keep</b> going!"}, "/trainer/")
    assert sent.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Message)).scalar() == 1
    assert "Sent, not read yet" in text_of(client.get(f"/trainer/clients/{alex_id}"))
    auth.logout()
    auth.login_as(team["alex"])
    # Reading Today writes nothing (the offline worker downloads it too): it stays until Today says it showed it.
    background = client.get("/", headers={"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "cors"})
    assert "A message from Casey Coach" in text_of(background)
    today = client.get("/", headers={"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"})
    assert "A message from Casey Coach: " in text_of(today)
    assert "Great week. &lt;b&gt;Keep&lt;/b&gt; going!" in today.get_data(as_text=True)
    shown = re.findall(r'name="note" value="([0-9a-f-]{36})"', today.get_data(as_text=True))
    assert len(shown) == 1
    assert post(client, "/notes/seen", {"note": shown}, "/").status_code == 302
    assert "A message from Casey Coach" not in text_of(client.get("/"))
    auth.logout()
    auth.login_as(team["coach"])
    assert "Read " in text_of(client.get(f"/trainer/clients/{alex_id}"))


def test_only_the_clients_own_messages_that_today_showed_are_marked_read(client, auth, team, app):
    alex_id = team["alex"].id
    with app.app_context():
        sam_id = add_client("sam@example.com", "Sam Patel", trainer=team["coach"]).id
    auth.login_as(team["coach"])
    post(client, f"/trainer/clients/{alex_id}/messages", {"body": "For Alex."}, "/trainer/")
    post(client, f"/trainer/clients/{sam_id}/messages", {"body": "For Sam."}, "/trainer/")
    with app.app_context():
        ids = dict(db.session.execute(db.select(Message.client_id, Message.uuid)).all())
    auth.logout()
    auth.login_as(team["alex"])
    # Sam's message named by Alex: nothing of Sam's changes. Ids that are no ids at all are refused (400), whole.
    answer = post(client, "/notes/seen", {"note": [ids[sam_id]]}, "/")
    assert answer.status_code == 302
    refused = post(client, "/notes/seen", {"note": [ids[alex_id], "x", "9" * 40]}, "/")
    assert refused.status_code == 400 and "could not be marked as read" in text_of(refused)
    assert "For Alex." in text_of(client.get("/"))

    def read_at(client_id):
        return db.session.execute(db.select(Message.read_at).where(Message.client_id == client_id)).scalar_one()

    with app.app_context():
        assert read_at(sam_id) is None and read_at(alex_id) is None
    # The script asks for JSON and gets it.
    token = csrf_from(client.get("/").get_data(as_text=True))
    answer = client.post(
        "/notes/seen", data={"note": ids[alex_id], "csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert answer.status_code == 200 and answer.get_json() == {"marked": 1}
    assert "For Alex." not in text_of(client.get("/"))
    auth.logout()
    auth.login_as(team["coach"])
    assert post(client, "/notes/seen", {"note": ids[sam_id]}, "/trainer/").status_code == 403


def test_the_csv_export_is_the_clients_sessions_and_safe_in_a_spreadsheet(client, auth, team, app):
    with app.app_context():
        add_session(team["alex"], TODAY - timedelta(days=1), notes='=HYPERLINK("http://evil.example","x")')
    auth.login_as(team["coach"])
    response = client.get(f"/trainer/clients/{team['alex'].id}/sessions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and all(row["notes"].startswith("'=HYPERLINK") for row in rows)


def test_another_trainers_client_is_as_missing_as_one_that_does_not_exist(client, auth, team):
    auth.login_as(team["other"])
    alex_id = team["alex"].id
    for path in (f"/trainer/clients/{alex_id}", f"/trainer/clients/{alex_id}/sessions.csv"):
        mine, missing = client.get(path), client.get(path.replace(str(alex_id), "999999"))
        assert mine.status_code == missing.status_code == 404
        assert text_of(mine) == text_of(missing)
    theirs = client.get(f"/api/v1/trainer/clients/{alex_id}/sessions")
    nobody = client.get("/api/v1/trainer/clients/999999/sessions")
    assert theirs.status_code == nobody.status_code == 404 and theirs.get_json() == nobody.get_json()


# ---- The API ----


def test_the_clients_api_has_the_documented_shape(client, auth, team, flagged):
    auth.login_as(team["coach"])
    response = client.get("/api/v1/trainer/clients")
    assert response.status_code == 200
    clients = response.get_json()["clients"]
    assert len(clients) == 7
    riser = next(c for c in clients if c["name"] == "Pat Riser")
    assert riser["email"] == "riser@example.com" and isinstance(riser["id"], int)
    assert set(riser["adherence"]) == {"7d", "30d"} and set(riser["adherence"]["7d"]) == {"planned", "done"}
    assert riser["last_session"] == (TODAY - timedelta(days=2)).isoformat()
    assert riser["pain_trend"] == {"baseline": 2.0, "recent": 5.0, "change": 3.0}
    assert riser["flags"][0]["kind"] == "pain_up" and riser["flags"][0]["reason"].startswith("Pain up by 3")
    nia = next(c for c in clients if c["name"] == "Nia New")
    assert nia["last_session"] is None and nia["flags"] == [{"kind": "quiet", "reason": "No session yet"}]


def test_the_client_sessions_api_pages_like_the_clients_own_list(client, auth, team, app):
    with app.app_context():
        for back in range(25):
            add_session(team["alex"], TODAY - timedelta(days=back + 1))
    auth.login_as(team["coach"])
    first = client.get(f"/api/v1/trainer/clients/{team['alex'].id}/sessions").get_json()
    assert len(first["sessions"]) == 20 and first["next"].endswith("?page=2")
    assert first["sessions"][0]["completed_at"] > first["sessions"][-1]["completed_at"]
    second = client.get(first["next"]).get_json()
    assert len(second["sessions"]) == 5 and second["next"] is None
    assert client.get(f"/api/v1/trainer/clients/{team['alex'].id}/sessions?page=x").status_code == 400


def test_the_trainer_api_answers_401_to_visitors_and_403_to_clients(client, auth, team):
    for path in ("/api/v1/trainer/clients", f"/api/v1/trainer/clients/{team['alex'].id}/sessions"):
        response = client.get(path)
        assert response.status_code == 401 and response.is_json
    auth.login_as(team["alex"])
    for path in ("/api/v1/trainer/clients", f"/api/v1/trainer/clients/{team['alex'].id}/sessions"):
        response = client.get(path)
        assert response.status_code == 403 and response.get_json()["error"] == "forbidden"


def test_the_trainer_routes_are_in_the_openapi_document(client, auth, team):
    auth.login_as(team["coach"])
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/trainer/clients"]
    assert "get" in paths["/api/v1/trainer/clients/{client_id}/sessions"]


def test_the_client_page_says_when_a_client_trains_on_days_of_their_own(app, auth, team):
    from webapp.programs.services import profile_of, set_training_days

    with app.app_context():
        set_training_days(profile_of(db.session.get(User, team["alex"].id)), ["sat", "thu", "tue"])
        db.session.commit()
    auth.login("coach@example.com")
    page = auth.client.get(f"/trainer/clients/{team['alex'].id}").get_data(as_text=True)
    assert "Trains on Tuesday, Thursday, Saturday: the days Alex chose." in page
