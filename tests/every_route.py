"""Every GET route of the app, and a world to open them in: the pages and API routes of each kind of person, with
the data that makes each show what it can. Used by the tests that walk every route (GET writes nothing; each page
loads the module of each part it shows)."""

from __future__ import annotations

from flask import url_for

from webapp.auth.models import User
from webapp.auth.signup import new_signup, signup_token
from webapp.content.models import Exercise, Lesson
from webapp.extensions import db
from webapp.messages.services import Thread, write
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.sync import store_batch
from webapp.trainer import invites

from .conftest import AuthActions
from .factories import first_routine_id, make_plan, make_user, session_payload
from .test_builder import PNG, exercise_form, upload
from .test_builder_archive import build_daily

ROLES = ["anonymous", "client", "client-mid-onboarding", "client-just-signed-up", "trainer"]


def build_world(app, client, users, today) -> dict:
    """A trainer with a built program, an own exercise with a picture, an invite and a note; clients at each stage."""
    auth = AuthActions(client, app)
    auth.login_as(users["coach"])
    program_id = build_daily(client, app, name="Morning core")
    assert upload(client, exercise_form(), PNG).status_code == 302
    auth.logout()
    with app.app_context():
        coach = db.session.get(User, users["coach"].id)
        alex = db.session.get(User, users["alex"].id)
        make_plan(alex, start=today)
        screens.record_screen(alex, [])
        records.record_about(alex, 4, [("Putting on socks", 5)], ["mon", "wed", "fri"], "07:30")
        records.finish_onboarding(alex)
        store_batch(alex, [session_payload(first_routine_id())])
        write(Thread(alex, coach), "trainer", coach, "Well done this week.")
        write(Thread(alex, coach), "client", alex, "Thanks! My back felt easier on Friday.")
        mid = make_user("mid@example.com", name="Mid Way", trainer=coach)
        screens.record_screen(mid, [])
        records.record_about(mid, 5, [], ["tue"], "")
        new = make_user("new@example.com", name="New Comer")
        invite = invites.create_invite(coach, "Taylor Reed", "taylor@example.com")
        exercise = db.session.execute(db.select(Exercise).where(Exercise.owner_id == coach.id)).scalar_one()
        return {
            "people": {"client": alex, "client-mid-onboarding": mid, "client-just-signed-up": new, "trainer": coach},
            "values": {
                "client_id": alex.id,
                "program_id": program_id,
                "exercise_id": exercise.id,
                "invite_id": invite.id,
                "routine_id": first_routine_id(),
            },
            "by_endpoint": {
                "content.lesson_detail": {"slug": db.session.execute(db.select(Lesson.slug)).scalars().first()},
                "content.exercise_detail": {"slug": "bird-dog"},
                "sessions.safety_result": {"level": "emergency"},
                "invites.join": {"token": invites.invite_token(invite)},
                # Opened sign-up links: the page that makes the account shows its form and writes nothing.
                "auth.confirm": {"token": signup_token(new_signup("pat@example.com", "Pat Doe"))},
                "invites.confirm": {
                    "token": invites.invite_token(invite),
                    "signup": signup_token(
                        new_signup("taylor@example.com", "Taylor Reed", invite=invites.invite_token(invite))
                    ),
                },
                # Refused tokens: the pages that check them must still write nothing.
                "auth.reset": {"token": "not-a-reset-token"},
                "account.calendar_feed": {"token": "A" * 48},
                "static": {"filename": "css/app.css"},
                "builder.clinic_logo": {"trainer_id": coach.id, "sha": "0" * 16, "ext": "png"},
            },
            "paths": {"builder.exercise_image": exercise.illustration},
        }


def get_urls(app, world) -> list[str]:
    urls = []
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods:
                continue
            if rule.endpoint in world["paths"]:
                urls.append(world["paths"][rule.endpoint])
                continue
            values = world["by_endpoint"].get(rule.endpoint) or {name: world["values"][name] for name in rule.arguments}
            urls.append(url_for(rule.endpoint, **values))
    return urls
