"""Which starter program onboarding offers first, and the reason it gives (webapp/sessions/recommend.py)."""

from __future__ import annotations

import re

import pytest

from webapp.content.files import DATA_DIR
from webapp.sessions.recommend import DESK, FOUNDATIONS, GENTLE, STANDING, STRENGTH, WALKING, Answers, recommend

from .factories import make_user
from .test_today import post

ALL = {GENTLE, FOUNDATIONS, WALKING, DESK, STANDING, STRENGTH}


def answers(pain=None, scores=(), activities=(), age=None, since=None, floor=None, active=None):
    return Answers(pain, tuple(scores), tuple(activities), age, since, floor, active)


@pytest.mark.parametrize(
    ("given", "expected", "words"),
    [
        # Cannot get down to the floor: the standing program, whatever else was said.
        (answers(pain=7, floor="no"), STANDING, "cannot get down to the floor for now"),
        (answers(pain=1, scores=(9,), floor="no", active="active"), STANDING, "standing or sitting"),
        # High pain today starts gently (above 5/10 is "too much": Silbernagel 2007).
        (answers(pain=6, scores=(8,)), GENTLE, "hurts a lot today (6 out of 10)"),
        (answers(pain=9, age=70, since="recent"), GENTLE, "hurts a lot today"),
        # An everyday activity rated 3 or lower: low function at the start (Jack 2010) starts gently.
        (answers(pain=2, scores=(7, 3), active="active"), GENTLE, "everyday things are hard"),
        # No pain answer (an old account): the gentlest start is the safest.
        (answers(), GENTLE, "not told us"),
        # 65 or over, or the floor is hard: standing exercises with balance work.
        (answers(pain=4, scores=(5,), age=65), STANDING, "balance matters more with the years"),
        (answers(pain=2, scores=(9,), floor="hard"), STANDING, "getting down to the floor is hard"),
        # A recent bout with pain not high: keep active, walk (NICE NG59).
        (answers(pain=4, since="recent"), WALKING, "staying active, and walking most of all"),
        (answers(pain=1, scores=(9,), since="recent", active="active"), WALKING, "recent"),
        # Long-standing, calm and already active: the level-4 program.
        (answers(pain=2, scores=(8,), since="long", active="active"), STRENGTH, "already active"),
        (answers(pain=3, since="weeks", active="active"), STRENGTH, "harder core exercises"),
        # ...but not when the activity answer or the time is missing, or pain is above 3.
        (answers(pain=2, scores=(8,), active="active"), FOUNDATIONS, "fairly calm"),
        (answers(pain=4, scores=(8,), since="long", active="active"), GENTLE, "find your level"),
        # Sitting named among the hard things, pain moderate at most: the workday program.
        (answers(pain=4, scores=(5,), activities=("Sitting through a film",)), DESK, "Sitting is one of the things"),
        (answers(pain=2, scores=(6,), activities=("Driving to work",)), DESK, "Sitting"),
        # A calm back that copes with most things: Core foundations, unless the person is hardly active.
        (answers(pain=3, scores=(6, 8)), FOUNDATIONS, "ready to build staying power"),
        (answers(pain=0, active="some"), FOUNDATIONS, "fairly calm"),
        (answers(pain=0, active="little"), GENTLE, "find your level"),
        # In between (pain 4-5, or an activity at 4-5): the safer, gentler start.
        (answers(pain=4, scores=(6,)), GENTLE, "find your level"),
        (answers(pain=2, scores=(5,)), GENTLE, "find your level"),
    ],
)
def test_the_recommendation_follows_the_answers(given, expected, words):
    pick = recommend(given, ALL)
    assert pick.slug == expected and words in pick.reason


@pytest.mark.parametrize(
    ("finished", "well", "expected", "words"),
    [
        (GENTLE, True, FOUNDATIONS, "You finished Gentle start and your back took it well"),
        (FOUNDATIONS, True, STRENGTH, "one step up"),
        (STANDING, True, GENTLE, "took it well"),
        # A hard end: the same program once more, whatever the onboarding answers were.
        (GENTLE, False, GENTLE, "doing it once more is the safer next step"),
        (FOUNDATIONS, False, FOUNDATIONS, "were hard on your back"),
    ],
)
def test_after_a_finished_program_the_next_step_follows_how_it_ended(finished, well, expected, words):
    names = {GENTLE: "Gentle start", FOUNDATIONS: "Core foundations", STANDING: "Standing strength and balance"}
    given = Answers(pain=2, scores=(8,), activity_level="active", pain_since="long", finished=finished,
                    finished_name=names[finished], finished_well=well)  # fmt: skip
    pick = recommend(given, ALL)
    assert pick.slug == expected and words in pick.reason


def test_a_program_that_is_not_offered_is_never_recommended():
    # The next that fits, down to the gentle start, which is always a candidate.
    assert recommend(answers(pain=2, scores=(8,), since="long", active="active"), ALL - {STRENGTH}).slug == FOUNDATIONS
    assert recommend(answers(pain=4, age=80), ALL - {STANDING}).slug == GENTLE
    assert recommend(answers(pain=8), {FOUNDATIONS}) is None


@pytest.mark.parametrize(
    ("about", "first", "reason"),
    [
        ({"pain": "7", "activity0": "Putting on socks", "score0": "5"}, "Gentle start", "hurts a lot today"),
        ({"pain": "2", "activity0": "Lifting my son", "score0": "8"}, "Core foundations", "fairly calm"),
        ({"pain": "3", "pain_since": "recent"}, "Walking progression", "walking most of all"),
        (
            {
                "pain": "2",
                "activity0": "Running",
                "score0": "8",
                "pain_since": "long",
                "floor": "yes",
                "activity_level": "some",
            },
            "Core foundations",
            "fairly calm",
        ),
    ],
)
def test_the_chooser_shows_the_recommended_program_first_with_its_reason_and_start_button(
    app, auth, about, first, reason
):
    with app.app_context():
        make_user("nina@example.com", name="Nina New")
    auth.login("nina@example.com")
    post(auth.client, "/welcome/safety", {})
    post(auth.client, "/welcome/about", about)
    page = auth.client.get("/welcome/program").get_data(as_text=True)
    names = re.findall(r"<span class=\"program-pick__body\">.*?<strong>([^<]+)</strong>", page, re.S)
    assert names[0] == first and sorted(names) == sorted(set(names))
    assert len(names) == len(list((DATA_DIR / "programs").glob("*.toml")))  # every starter program is offered
    top = page.index("Recommended for you")
    assert top < page.index(reason) < page.index("Start the program chosen") < page.index("Or choose another")
    # The recommended program is the one already chosen: one tap on Start takes it.
    checked = re.search(r'value="([a-z-]+)" checked', page).group(1)
    response = post(auth.client, "/welcome/program", {"program": checked})
    assert response.headers["Location"] == "/"
    assert first in auth.client.get("/").get_data(as_text=True)


def test_the_chooser_says_on_which_days_each_program_would_put_the_sessions(app, auth):
    with app.app_context():
        make_user("nina@example.com", name="Nina New")
    auth.login("nina@example.com")
    post(auth.client, "/welcome/safety", {})
    post(auth.client, "/welcome/about", {"pain": "4", "floor": "hard", "days": ["tue", "sat"]})
    page = auth.client.get("/welcome/program").get_data(as_text=True)
    said = [" ".join(text.split()) for text in re.findall(r'class="meta program-pick__days">([^<]+)<', page)]
    assert len(said) == len(list((DATA_DIR / "programs").glob("*.toml")))  # one line for every program offered
    # Two days ticked, three sessions a week: she is told the program keeps its own days, and how to move them.
    assert said[0] == "On Mon, Wed and Fri: it needs 3 days and you ticked 2. Tick 3 in your account to move it."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain_since", "yesterday", "Choose one of the answers offered for how long your back has troubled you."),
        ("floor", "maybe", "Choose one of the answers offered about getting down to the floor."),
        ("activity_level", "<b>very</b>", "Choose one of the answers offered for how active you are."),
        ("floor", ["yes", "no"], "This answer arrived twice."),
    ],
)
def test_an_answer_not_offered_is_refused_beside_its_question_and_nothing_is_stored(app, auth, field, value, message):
    from webapp.extensions import db
    from webapp.programs.models import Profile
    from webapp.sessions.models import CheckIn

    with app.app_context():
        make_user("nina@example.com", name="Nina New")
    auth.login("nina@example.com")
    post(auth.client, "/welcome/safety", {})
    response = post(auth.client, "/welcome/about", {"pain": "3", field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and f'id="{field}-error"' in page
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(CheckIn.id))).scalar() == 0
        profile = db.session.execute(db.select(Profile)).scalar_one_or_none()
        assert profile is None or getattr(profile, field) is None


def test_the_answers_are_kept_on_the_profile_and_in_the_export(app, auth):
    with app.app_context():
        make_user("nina@example.com", name="Nina New")
    auth.login("nina@example.com")
    post(auth.client, "/welcome/safety", {})
    about = {"pain": "3", "pain_since": "long", "floor": "hard", "activity_level": "some"}
    assert post(auth.client, "/welcome/about", about).status_code == 302
    profile = auth.client.get("/account/export.json").get_json()["profile"]
    assert (profile["pain_since"], profile["floor"], profile["activity_level"]) == ("long", "hard", "some")
