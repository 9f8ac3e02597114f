"""Which starter program onboarding offers first, and the reason it gives (webapp/sessions/recommend.py)."""

from __future__ import annotations

import re

import pytest

from webapp.sessions.recommend import DESK, FOUNDATIONS, GENTLE, WALKING, Answers, recommend

from .factories import make_user
from .test_today import post

ALL = {GENTLE, FOUNDATIONS, WALKING, DESK}


def answers(pain=None, scores=(), activities=(), age=None):
    return Answers(pain=pain, scores=tuple(scores), activities=tuple(activities), age=age)


@pytest.mark.parametrize(
    ("given", "expected", "words"),
    [
        # High pain today starts gently, whatever else was said (above 5/10 is "too much": Silbernagel 2007).
        (answers(pain=6, scores=(8,)), GENTLE, "hurts a lot today (6 out of 10)"),
        (answers(pain=9, age=70), GENTLE, "hurts a lot today"),
        # An everyday activity rated 3 or lower: low function at the start (Jack 2010) starts gently.
        (answers(pain=2, scores=(7, 3)), GENTLE, "everyday things are hard"),
        # No pain answer (a trainer's client, an old account): the gentlest start is the safest.
        (answers(), GENTLE, "not told us"),
        # 65 or over, pain not high: walking needs no getting down to the floor.
        (answers(pain=4, scores=(5,), age=65), WALKING, "no getting down to the floor"),
        (answers(pain=2, scores=(9,), age=64), FOUNDATIONS, "fairly calm"),
        # Sitting named among the hard things, pain moderate at most: the workday program.
        (answers(pain=4, scores=(5,), activities=("Sitting through a film",)), DESK, "Sitting is one of the things"),
        (answers(pain=2, scores=(6,), activities=("Driving to work",)), DESK, "Sitting"),
        # A calm back that copes with most things: ready for Core foundations.
        (answers(pain=3, scores=(6, 8)), FOUNDATIONS, "ready to build staying power"),
        (answers(pain=0), FOUNDATIONS, "fairly calm"),
        # In between (pain 4-5, or an activity at 4-5): the safer, gentler start.
        (answers(pain=4, scores=(6,)), GENTLE, "find your level"),
        (answers(pain=2, scores=(5,)), GENTLE, "find your level"),
    ],
)
def test_the_recommendation_follows_the_answers(given, expected, words):
    pick = recommend(given, ALL)
    assert pick.slug == expected and words in pick.reason


def test_a_program_that_is_not_offered_is_never_recommended():
    assert recommend(answers(pain=4, age=80), ALL - {WALKING}).slug == GENTLE
    assert recommend(answers(pain=8), {FOUNDATIONS}) is None


@pytest.mark.parametrize(
    ("about", "first", "reason"),
    [
        ({"pain": "7", "activity0": "Putting on socks", "score0": "5"}, "Gentle start", "hurts a lot today"),
        ({"pain": "2", "activity0": "Lifting my son", "score0": "8"}, "Core foundations", "fairly calm"),
        ({"pain": "3", "birth_year": "1950"}, "Walking progression", "no getting down to the floor"),
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
    assert names[0] == first and sorted(names) == sorted(set(names)) and len(names) == 4
    top = page.index("Recommended for you")
    assert top < page.index(reason) < page.index("Start the program chosen") < page.index("Or choose another")
    # The recommended program is the one already chosen: one tap on Start takes it.
    checked = re.search(r'value="([a-z-]+)" checked', page).group(1)
    response = post(auth.client, "/welcome/program", {"program": checked})
    assert response.headers["Location"] == "/"
    assert first in auth.client.get("/").get_data(as_text=True)
