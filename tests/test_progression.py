"""Small steps: dose steps first, the harder version only at the top, one level; a step back after red;
doses kept on the client's assignment and shown wherever the routine is."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.content.ladder import Amount, bottom_of, step_down, step_up, top_of
from webapp.content.services import visible_exercises
from webapp.extensions import db
from webapp.programs.models import PersonalDose, RoutineExercise
from webapp.programs.personal import Item, items_for, set_dose
from webapp.programs.services import active_assignment, starter_program
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.sessions.progression import Done, suggestion_for
from webapp.sessions.rules import Outcome
from webapp.sessions.sync import store_batch

from .conftest import csrf_from
from .factories import make_plan, make_user, session_payload

MONDAY = date(2026, 3, 2)


def library() -> dict:
    return {e.slug: e for e in visible_exercises(None)}


# ---- The ladder of one exercise ----


@pytest.mark.parametrize(
    ("slug", "amount", "up"),
    [
        ("pelvic-tilt", Amount(1, 6), Amount(1, 8)),  # 1-2 more repetitions
        ("pelvic-tilt", Amount(1, 3), Amount(1, 4)),
        ("pelvic-tilt", Amount(1, 14), Amount(1, 15)),  # never past the top
        ("pelvic-tilt", Amount(1, 15), Amount(2, 8)),  # then one more set, the total grown by a little
        ("pelvic-tilt", Amount(2, 15), None),  # the top: time for the harder version
        ("drawing-in", Amount(1, 6, 5), Amount(1, 6, 7)),  # holds grow 2 s at a time while short ...
        ("drawing-in", Amount(1, 6, 10), Amount(1, 6, 15)),  # ... then 5 s
        ("drawing-in", Amount(1, 6, 20), Amount(1, 7, 20)),  # at the longest hold, one more hold
        ("walking", Amount(1, 1, 240), Amount(1, 1, 300)),  # a walk grows a minute at a time
        ("walking", Amount(1, 2, 300), Amount(1, 3, 300)),  # then one more bout
    ],
)
def test_a_step_up_is_small(app, slug, amount, up):
    with app.app_context():
        assert step_up(amount, library()[slug]) == up


@pytest.mark.parametrize(
    ("slug", "amount", "down"),
    [
        ("pelvic-tilt", Amount(2, 8), Amount(1, 8)),  # the set added last goes first
        ("pelvic-tilt", Amount(1, 6), Amount(1, 4)),
        ("pelvic-tilt", Amount(1, 3), None),  # the bottom: time for the easier version
        ("drawing-in", Amount(1, 6, 8), Amount(1, 6, 6)),
        ("walking", Amount(1, 1, 240), Amount(1, 1, 180)),
        ("walking", Amount(1, 1, 120), None),
    ],
)
def test_a_step_back_is_small(app, slug, amount, down):
    with app.app_context():
        assert step_down(amount, library()[slug]) == down


def test_every_exercise_climbs_from_its_start_to_its_top_and_back_in_small_steps(app):
    with app.app_context():
        for exercise in library().values():
            amount, seen = bottom_of(exercise), 0
            while (higher := step_up(amount, exercise)) is not None:
                assert higher != amount and seen < 100, exercise.slug
                amount, seen = higher, seen + 1
            assert amount == top_of(exercise) or amount.sets == top_of(exercise).sets, exercise.slug
            while (lower := step_down(amount, exercise)) is not None:
                amount = lower
            assert amount == bottom_of(exercise), exercise.slug


# ---- The rule, one exercise at a time ----


def planned(slug: str, sets: int, reps: int, hold: int = 0) -> Item:
    exercise = library()[slug]
    routine_item = RoutineExercise(exercise=exercise, exercise_id=exercise.id, sets=sets, reps=reps,
                                   hold_seconds=hold, rest_seconds=0, tempo="", note="")  # fmt: skip
    return Item(routine_item, exercise, Amount(sets, reps, hold), False)


def did(item: Item, outcome: Outcome, *, full=True, painful=False, days_ago=0, during=None):
    sides = 2 if item.exercise.per_side else 1
    reps = item.amount.sets * item.amount.reps * sides if full else 1
    outcome = Outcome(outcome.pain_before, outcome.pain_after, outcome.effort, painful, None, (during,))
    when = datetime(2026, 3, 20, 9, tzinfo=UTC) - timedelta(days=days_ago)
    done = Done(outcome, 0, item.exercise.id, item.amount.sets, reps, item.amount.hold_seconds, painful, when,
                when.date())  # fmt: skip
    return (done, [done])


GREEN_EASY = Outcome(3, 2, 3)
GREEN_HARD = Outcome(3, 2, 7)
AMBER = Outcome(1, 4, 3)
RED = Outcome(2, 8, 6)


def suggest(item, *history, worse=False, record=None):
    return suggestion_for(item, record, list(history), worse, library())


def test_two_green_easy_sessions_of_the_whole_dose_suggest_a_dose_step(app):
    with app.app_context():
        bridge = planned("glute-bridge", 2, 10)
        step = suggest(bridge, did(bridge, GREEN_EASY), did(bridge, GREEN_EASY, days_ago=2))
        assert (step.change, step.direction, step.to, step.to_exercise.slug) == (
            "dose",
            "up",
            Amount(2, 12),
            "glute-bridge",
        )


@pytest.mark.parametrize(
    "history",
    [
        ["green"],  # one session is not two
        ["green", "hard"],  # a session that felt hard
        ["green", "amber"],
        ["green", "part"],  # ended early: not the whole dose
        ["green", "painful"],
        ["green", "above 5"],  # 8 before, 9 after: green, but pain above 5 rose further
        ["above 5", "green"],
    ],
)
def test_no_step_up_without_two_green_easy_sessions_of_the_whole_dose(app, history):
    cases = {
        "green": {}, "hard": {"outcome": GREEN_HARD}, "amber": {"outcome": AMBER}, "part": {"full": False},
        "above 5": {"outcome": Outcome(8, 9, 3)},
    }  # fmt: skip
    with app.app_context():
        bridge = planned("glute-bridge", 2, 10)
        sessions = []
        for n, kind in enumerate(history):
            if kind == "painful":
                sessions.append(did(bridge, GREEN_EASY, painful=True, days_ago=n))
                continue
            options = {"outcome": GREEN_EASY, **cases[kind]}
            sessions.append(did(bridge, options.pop("outcome"), days_ago=n, **options))
        step = suggest(bridge, *sessions)
        assert step is None or step.direction == "down"


def test_only_at_the_top_of_its_dose_does_an_exercise_move_to_its_harder_version_one_level_up(app):
    with app.app_context():
        tilt = planned("pelvic-tilt", 2, 15)
        step = suggest(tilt, did(tilt, GREEN_EASY), did(tilt, GREEN_EASY, days_ago=2))
        assert step.change == "harder" and step.to_exercise.level == tilt.exercise.level + 1
        assert step.to_exercise.slug == tilt.exercise.harder_slug == "glute-bridge"
        assert step.to == Amount(2, 10)  # the harder version from its own beginner dose


def test_after_red_the_dose_steps_back_first_then_the_easier_version(app):
    with app.app_context():
        bridge = planned("glute-bridge", 2, 10)
        back = suggest(bridge, did(bridge, RED))
        assert (back.change, back.direction, back.to) == ("dose", "down", Amount(1, 10))
        bottom = planned("glute-bridge", 1, 3)
        easier = suggest(bottom, did(bottom, RED))
        assert easier.change == "easier" and easier.to_exercise.slug == "pelvic-tilt"
        assert easier.to_exercise.level == bottom.exercise.level - 1


def test_green_green_then_red_steps_back(app):
    with app.app_context():
        tilt = planned("pelvic-tilt", 1, 8)
        step = suggest(tilt, did(tilt, RED), did(tilt, GREEN_EASY, days_ago=2), did(tilt, GREEN_EASY, days_ago=4))
        assert step.direction == "down" and step.to == Amount(1, 6)
        assert step.reason.startswith("It went red on Friday 20 Mar.")


def test_it_hurt_steps_that_exercise_back_even_in_a_green_session(app):
    with app.app_context():
        tilt = planned("pelvic-tilt", 1, 8)
        step = suggest(tilt, did(tilt, GREEN_EASY, painful=True))
        assert step.direction == "down" and step.reason.startswith("It hurt")
        rated = suggest(tilt, did(tilt, Outcome(1, 1, 3), during=8))
        assert rated.direction == "down"


def test_a_worsening_week_blocks_the_step_up_but_not_the_step_back(app):
    with app.app_context():
        tilt = planned("pelvic-tilt", 1, 8)
        assert suggest(tilt, did(tilt, GREEN_EASY), did(tilt, GREEN_EASY, days_ago=2), worse=True) is None
        assert suggest(tilt, did(tilt, RED), worse=True).direction == "down"


def test_a_trainer_who_turned_step_ups_off_still_sees_steps_back(app):
    with app.app_context():
        tilt = planned("pelvic-tilt", 1, 8)
        off = PersonalDose(suggestions_off=True)
        assert suggest(tilt, did(tilt, GREEN_EASY), did(tilt, GREEN_EASY, days_ago=2), record=off) is None
        assert suggest(tilt, did(tilt, RED), record=off).direction == "down"


# ---- The story: a client's own doses on Today, in the player, the plan and the trainer's page ----


def post(client, path, data):
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def onboard(user, trainer=None, pain=3):
    client = db.session.merge(user)
    screens.record_screen(client, [])
    records.record_about(client, pain, [], [], "")
    records.finish_onboarding(client)
    make_plan(client, "gentle-start", start=MONDAY, by=trainer)


@pytest.fixture
def solo(app, clock):
    """A client without a trainer on Gentle start from Monday 2 March 2026: they decide their own steps."""
    clock.move_to(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    with app.app_context():
        user = make_user("sol@example.com", name="Sol Solo")
        onboard(user)
    return user


@pytest.fixture
def coached(app, users, clock):
    """Alex, coached by Casey, on Gentle start from the same Monday."""
    clock.move_to(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    with app.app_context():
        onboard(users["alex"], users["coach"])
    return users["alex"]


def session(app, clock, user, day: date, routine_index: int, pain=(3, 2), effort=3, **per_exercise):
    """A whole routine done on `day`, every dose in full as the player counts it (each side, each set)."""
    with app.app_context():
        assignment = active_assignment(db.session.merge(user))
        week = (day - MONDAY).days // 7
        routine = assignment.program.weeks[week].routines[routine_index]
        doses = {d.exercise_id: d for d in db.session.execute(db.select(PersonalDose)).scalars()}
        exercises = []
        for item in items_for(routine, doses):
            sides = 2 if item.exercise.per_side else 1
            exercises.append({
                "exercise": item.exercise.slug, "sets_done": item.sets, "reps_done": item.sets * item.reps * sides,
                "hold_seconds": item.hold_seconds if item.exercise.kind == "hold" else 0,
                "painful": item.exercise.slug in per_exercise.get("painful", ()),
                "pain_during": per_exercise.get("during", {}).get(item.exercise.slug),
            })  # fmt: skip
        end = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)
        clock.move_to(end + timedelta(minutes=1))
        payload = session_payload(routine.id, ended=end, pain_before=pain[0], pain_after=pain[1], effort=effort,
                                  exercises=exercises)  # fmt: skip
        [result] = store_batch(db.session.merge(user), [payload])
        assert result.status == "created", result


def step_forms(page: str) -> list[dict[str, str]]:
    """The hidden fields of each small step's form on a page."""
    forms = re.findall(r'<form method="post" action="[^"]*/steps"[^>]*>(.*?)</form>', page, re.S)
    return [dict(re.findall(r'name="(slot|to_exercise|sets|reps|hold)" value="([^"]*)"', form)) for form in forms]


def two_green_weeks_start(app, clock, user):
    session(app, clock, user, MONDAY, 0)
    session(app, clock, user, MONDAY + timedelta(days=2), 1)
    clock.move_to(datetime(2026, 3, 6, 7, 0, tzinfo=UTC))  # Friday morning


def test_two_green_easy_sessions_offer_dose_steps_and_the_client_takes_one(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Small steps for next time" in page
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" in page
    # Knee rolls came once (routine A only): one session is not two, so nothing is suggested for it.
    assert "Knee rolls</strong>:" not in page
    tilt = next(f for f in step_forms(page) if f["slot"] == "pelvic-tilt")
    response = post(auth.client, "/steps", {**tilt, "action": "accept"})
    assert response.status_code == 302
    page = auth.client.get("/").get_data(as_text=True)
    assert "Done: your next session has the new dose." in page
    assert "8 reps · your dose" in page  # Friday's routine, with the client's own dose
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" not in page

    # The plan on the phone and the player carry it too.
    plan = auth.client.get("/api/v1/plan").get_json()
    friday = next(r for r in plan["routines"] if r["week"] == 1 and "fri" in r["days"])
    tilt_item = next(e for e in friday["exercises"] if e["slug"] == "pelvic-tilt")
    assert (tilt_item["reps"], tilt_item["own"]) == (8, True)
    player = auth.client.get(f"/routines/{friday['id']}/play").get_data(as_text=True)
    assert '"slug": "pelvic-tilt"' in player and '"reps": 8' in player


@pytest.mark.parametrize(
    ("pain", "steps"),
    [
        ((6, 6), True),  # an everyday pain of 6 that the sessions leave at 6: the client moves on
        ((6, 7), False),  # a point added, green, but pain above 5 rose further (Silbernagel's ceiling)
    ],
)
def test_a_step_up_waits_for_sessions_that_kept_pain_within_5_or_where_it_began(app, auth, users, clock, pain, steps):
    clock.move_to(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    with app.app_context():
        onboard(users["alex"], users["coach"], pain=6)  # Alex's everyday pain is 6
    session(app, clock, users["alex"], MONDAY, 0, pain=pain)
    session(app, clock, users["alex"], MONDAY + timedelta(days=2), 1, pain=pain)
    clock.move_to(datetime(2026, 3, 6, 7, 0, tzinfo=UTC))
    auth.login("alex@example.com")
    today = " ".join(auth.client.get("/").get_data(as_text=True).split())
    assert ("Pelvic tilt</strong>: 6 reps → 8 reps" in today) is steps
    held = (
        "A recent session took your pain above 5, higher than it was before it, so no step up for now: keep the "
        "same dose until two sessions in a row keep it at 5 or below, or no higher than before."
    )
    assert (held in today) is not steps
    auth.logout()
    auth.login("coach@example.com")
    ready = "Ready to progress: two easy, green sessions in a row"
    assert (ready in auth.client.get("/trainer/").get_data(as_text=True)) is steps
    page = " ".join(auth.client.get(f"/trainer/clients/{users['alex'].id}").get_data(as_text=True).split())
    assert ("Suggested: 8 reps" in page) is steps
    held = (
        "One of Alex's last sessions took pain above 5, higher than it was before it, so no step up is suggested "
        "until two in a row keep it at 5 or below, or no higher than before."
    )
    assert (held in page) is not steps


def test_accepting_the_same_step_twice_applies_it_once(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    tilt = next(f for f in step_forms(auth.client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    post(auth.client, "/steps", {**tilt, "action": "accept"})
    again = post(auth.client, "/steps", {**tilt, "action": "accept"})  # the second phone, with the old page
    assert again.status_code == 302
    assert "That step was already taken" in auth.client.get("/").get_data(as_text=True)
    with app.app_context():
        [dose] = db.session.execute(db.select(PersonalDose)).scalars().all()
        assert (dose.sets, dose.reps, dose.direction) == (1, 8, "up")


def test_declining_waits_for_two_more_green_sessions(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    tilt = next(f for f in step_forms(auth.client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    post(auth.client, "/steps", {**tilt, "action": "decline"})
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" not in auth.client.get("/").get_data(as_text=True)
    session(app, clock, solo, MONDAY + timedelta(days=4), 0)
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" not in auth.client.get("/").get_data(as_text=True)
    # Week 2 plans 8 of them: that is the step. Two green, easy sessions of the whole 8 before the next one.
    session(app, clock, solo, MONDAY + timedelta(days=7), 0)
    assert "Pelvic tilt</strong>: 8 reps →" not in auth.client.get("/").get_data(as_text=True)
    session(app, clock, solo, MONDAY + timedelta(days=9), 1)
    assert "Pelvic tilt</strong>: 8 reps → 10 reps" in auth.client.get("/").get_data(as_text=True)


def test_no_step_up_while_the_safety_check_is_due_and_it_comes_back_once_answered(app, auth, solo, clock):
    from webapp.sessions.models import CompletedSession

    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    tilt = next(f for f in step_forms(auth.client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    # New leg symptoms the next morning: the safety check is asked again before anything else.
    with app.app_context():
        last = db.session.execute(db.select(CompletedSession).order_by(CompletedSession.id.desc())).scalars().first()
        records.record_next_day(db.session.merge(solo), last.uuid, 2, True)
        assert screens.standing(db.session.merge(solo)).must_answer
    page = auth.client.get("/").get_data(as_text=True)
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" not in page
    assert "A step up waits until you have answered the" in page
    # Nor does the phone's plan offer it; the step's form, kept from before, is refused: nothing changes.
    assert [
        s for s in auth.client.get("/api/v1/plan").get_json()["suggestions"] if s["exercise"] == "pelvic-tilt"
    ] == []
    post(auth.client, "/steps", {**tilt, "action": "accept"})
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(PersonalDose.id))).scalar() == 0
        # Answered (no warning sign): the step up is offered again.
        screens.record_screen(db.session.merge(solo), [])
    assert "Pelvic tilt</strong>: 6 reps → 8 reps" in auth.client.get("/").get_data(as_text=True)


def test_after_a_red_session_no_step_up_anywhere_until_a_session_stays_green(app, auth, solo, clock):
    """Routine A on Monday and again on Tuesday, green and easy: knee rolls (A's alone) may step up. A red B on
    Wednesday, without knee rolls, holds every step up, theirs too, even once the safety check it asked for is
    answered; a green B on Thursday opens them again where the last two sessions with the exercise were green."""
    session(app, clock, solo, MONDAY, 0)
    session(app, clock, solo, MONDAY + timedelta(days=1), 0)
    auth.login("sol@example.com")
    assert "Knee rolls</strong>: 6 reps → 8 reps" in auth.client.get("/").get_data(as_text=True)

    session(app, clock, solo, MONDAY + timedelta(days=2), 1, pain=(2, 8), effort=6)
    with app.app_context():
        screens.record_screen(db.session.merge(solo), [])  # the check the red session asked for: nothing found
    page = auth.client.get("/").get_data(as_text=True)
    assert "Knee rolls</strong>:" not in page and "a small step up" not in page and "A step up waits" not in page
    assert "Your last session went red, so no step up for now: keep the same dose until a session stays green." in page
    assert "It went red on Wednesday 4 Mar" in page  # B's own exercises ease off
    phone = auth.client.get("/api/v1/plan").get_json()["suggestions"]
    assert phone and all(s["reason"].startswith("It went red") for s in phone)  # the phone's plan, the same

    session(app, clock, solo, MONDAY + timedelta(days=3), 1)
    page = auth.client.get("/").get_data(as_text=True)
    assert "Knee rolls</strong>: 6 reps → 8 reps" in page and "Your last session went red" not in page


def test_the_trainer_reads_why_no_step_up_is_suggested_due_or_waiting_for_a_clinician(app, auth, coached, users, clock):
    """Two green, easy sessions would offer a step up; the trainer's page says what holds it back: a safety check
    the client has still to answer, or a red-flag answer waiting for a clinician (not "owes an answer")."""
    from webapp.sessions.models import CompletedSession

    two_green_weeks_start(app, clock, coached)
    auth.login_as(users["coach"])
    url = f"/trainer/clients/{coached.id}"
    assert "Suggested: 8 reps" in auth.client.get(url).get_data(as_text=True)
    with app.app_context():
        last = db.session.execute(db.select(CompletedSession).order_by(CompletedSession.id.desc())).scalars().first()
        records.record_next_day(db.session.merge(coached), last.uuid, 2, True)  # new leg symptoms: asked again
    page = " ".join(auth.client.get(url).get_data(as_text=True).split())
    assert "Alex owes an answer to the safety check, so no step up is suggested until it is answered." in page
    assert "Suggested: 8 reps" not in page
    with app.app_context():
        screens.record_screen(db.session.merge(coached), ["bladder"])  # answered: emergency care first
    page = " ".join(auth.client.get(url).get_data(as_text=True).split())
    assert (
        "Alex's red-flag answer waits for a clinician's check, and the exercises stay closed for Alex until then, "
        "so no step up is suggested."
    ) in page
    assert "owes an answer" not in page and "Suggested: 8 reps" not in page


def test_the_trainer_reads_that_a_red_session_holds_the_steps_up(app, auth, coached, users, clock):
    session(app, clock, coached, MONDAY, 0)
    session(app, clock, coached, MONDAY + timedelta(days=1), 0)
    session(app, clock, coached, MONDAY + timedelta(days=2), 1, pain=(2, 8), effort=6)
    with app.app_context():
        screens.record_screen(db.session.merge(coached), [])
    auth.login_as(users["coach"])
    page = " ".join(auth.client.get(f"/trainer/clients/{coached.id}").get_data(as_text=True).split())
    assert "Alex's last session went red, so no step up is suggested until one stays green." in page
    assert "owes an answer" not in page


@pytest.mark.parametrize("bad", [{"sets": "x"}, {"reps": "999"}, {"slot": ""}, {"to_exercise": "front-plank"}])
def test_a_made_up_step_is_refused_and_changes_nothing(app, auth, solo, clock, bad):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    tilt = next(f for f in step_forms(auth.client.get("/").get_data(as_text=True)) if f["slot"] == "pelvic-tilt")
    response = post(auth.client, "/steps", {**tilt, **bad, "action": "accept"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(PersonalDose.id))).scalar() == 0


def test_with_a_trainer_the_client_sees_step_ups_and_may_only_ease_off(app, auth, coached, clock):
    two_green_weeks_start(app, clock, coached)
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert "Your trainer will look at this and set your next dose." in page
    assert step_forms(page) == []
    # Pushing the step anyway is refused: stepping up is the trainer's call.
    response = post(auth.client, "/steps", {"slot": "pelvic-tilt", "to_exercise": "pelvic-tilt", "sets": "1",
                                            "reps": "8", "hold": "0", "action": "accept"})  # fmt: skip
    assert "Your trainer decides when you step up" in auth.client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    # A red session: easing off is the client's own choice.
    session(app, clock, coached, MONDAY + timedelta(days=4), 0, pain=(2, 8), effort=6)
    page = auth.client.get("/").get_data(as_text=True)
    tilt = next(f for f in step_forms(page) if f["slot"] == "pelvic-tilt")
    assert (tilt["sets"], tilt["reps"]) == ("1", "4")  # one step back from the 6 it did
    post(auth.client, "/steps", {**tilt, "action": "accept"})
    with app.app_context():
        dose = db.session.execute(db.select(PersonalDose).join(PersonalDose.exercise)).scalars().first()
        assert dose.direction == "down" and dose.reps == 4


def test_the_client_is_offered_two_step_ups_at_a_time_and_the_trainer_sees_them_all(app, auth, coached, clock):
    two_green_weeks_start(app, clock, coached)
    auth.login("alex@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert page.count('class="step step--up"') == 2
    assert len([s for s in auth.client.get("/api/v1/plan").get_json()["suggestions"] if s["change"] != "easier"]) == 2
    auth.logout()
    auth.login("coach@example.com")
    trainer_page = auth.client.get(f"/trainer/clients/{coached.id}").get_data(as_text=True)
    slots = {f["slot"] for f in step_forms(trainer_page) if "sets" in f}
    assert {"pelvic-tilt", "drawing-in", "walking"} <= slots


def test_the_trainer_accepts_changes_or_turns_off_a_step(app, auth, coached, users, clock):
    two_green_weeks_start(app, clock, coached)
    auth.login("coach@example.com")
    url = f"/trainer/clients/{coached.id}"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Doses this week and small steps" in page and "Suggested: 8 reps" in page
    forms = {f["slot"]: f for f in step_forms(page) if "sets" in f}
    post(auth.client, f"{url}/steps", {**forms["pelvic-tilt"], "action": "accept"})
    post(auth.client, f"{url}/steps", {**forms["drawing-in"], "sets": "1", "reps": "6", "hold": "6",
                                       "action": "change"})  # fmt: skip
    post(auth.client, f"{url}/steps", {**forms["walking"], "action": "off"})
    page = auth.client.get(url).get_data(as_text=True)
    assert "Alex's own dose; the program plans Pelvic tilt, 6 reps" in page
    assert "step-ups off" in page and "Turn suggestions back on" in page
    with app.app_context():
        doses = {d.exercise.slug: d for d in db.session.execute(db.select(PersonalDose)).scalars()}
        assert (doses["pelvic-tilt"].reps, doses["drawing-in"].hold_seconds) == (8, 6)
        assert doses["walking"].suggestions_off and not doses["walking"].has_dose
    # Turned back on from the same page, with the walk's dose as it stands.
    [back_on] = [f for f in step_forms(page) if f.get("slot") == "walking"]
    assert back_on["to_exercise"] == "walking"
    post(auth.client, f"{url}/steps", {**back_on, "action": "on"})
    with app.app_context():
        doses = {d.exercise.slug: d for d in db.session.execute(db.select(PersonalDose)).scalars()}
        assert not doses["walking"].suggestions_off
    # Another trainer cannot touch Alex's steps.
    auth.logout()
    auth.login("other@example.com")
    assert post(auth.client, f"{url}/steps", {**forms["pelvic-tilt"], "action": "accept"}).status_code == 404


def test_the_plan_api_lists_suggestions_as_designed(app, auth, solo, clock):
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    plan = auth.client.get("/api/v1/plan").get_json()
    by_exercise = {s["exercise"]: s for s in plan["suggestions"]}
    tilt = by_exercise["pelvic-tilt"]
    assert tilt == {
        "exercise": "pelvic-tilt",
        "program_exercise": "pelvic-tilt",
        "change": "dose",
        "from": {"sets": 1, "reps": 6, "hold_seconds": 0},
        "to": {"sets": 1, "reps": 8, "hold_seconds": 0},
        "to_exercise": None,
        "reason": tilt["reason"],
    }
    assert "green" in tilt["reason"]


def test_a_step_to_the_harder_version_replaces_the_exercise_everywhere(app, auth, solo, clock):
    with app.app_context():
        assignment = active_assignment(db.session.merge(solo))
        tilt = library()["pelvic-tilt"]
        set_dose(assignment, tilt, tilt, Amount(2, 15), "up", None)
        db.session.commit()
    two_green_weeks_start(app, clock, solo)
    auth.login("sol@example.com")
    page = auth.client.get("/").get_data(as_text=True)
    assert 'Pelvic tilt</strong>: 2 sets of 15 reps → <a href="/exercises/glute-bridge">Glute bridge</a>' in page
    tilt = next(f for f in step_forms(page) if f["slot"] == "pelvic-tilt")
    post(auth.client, "/steps", {**tilt, "action": "accept"})
    page = auth.client.get("/").get_data(as_text=True)
    assert (
        'href="/exercises/glute-bridge">Glute bridge</a> <span class="routine-preview__dose">2 sets of 10 reps' in page
    )
    with app.app_context():
        starter = starter_program("gentle-start")
        assert all(i.exercise.slug != "glute-bridge" for w in starter.weeks for r in w.routines for i in r.items)
