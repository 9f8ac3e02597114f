"""The routine data embedded in the player page: the pain rules in it are the server's own, never a copy."""

from __future__ import annotations

import json
import re

from webapp.extensions import db
from webapp.sessions import rules, screens
from webapp.sessions import services as records

from .factories import first_routine_id, make_plan


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', html, re.S)
    assert match, "the player page has no #player-data block"
    return json.loads(match.group(1))


def open_player(client, auth, app, users, start) -> dict:
    """Alex, on the gentle start from the day `start`, opens the player of its first routine."""
    with app.app_context():
        make_plan(users["alex"], start=start, by=users["coach"])
        # Past the safety screen and onboarding, as anyone who reaches the player is.
        alex = db.session.merge(users["alex"])
        screens.record_screen(alex, [])
        records.finish_onboarding(alex)
        routine_id = first_routine_id()
    auth.login_as(users["alex"])
    response = client.get(f"/routines/{routine_id}/play")
    assert response.status_code == 200
    return embedded(response.get_data(as_text=True))


def test_the_embedded_thresholds_and_words_are_those_of_the_rules(client, auth, app, users, today):
    data = open_player(client, auth, app, users, today)
    embedded_rules = data["rules"]
    assert embedded_rules["green_max"] == rules.GREEN_MAX
    assert embedded_rules["amber_max"] == rules.AMBER_MAX
    assert embedded_rules["easy_effort_max"] == rules.EASY_EFFORT_MAX
    assert {int(k): v for k, v in embedded_rules["effort_words"].items()} == rules.EFFORT_WORDS
    for light, advice in rules.ADVICE.items():
        assert embedded_rules["advice"][light] == {"headline": advice.headline, "text": advice.text}
    # The page looks a session's light up in the server's own table, for every pain before and worst pain.
    for before in range(11):
        for worst in range(11):
            assert embedded_rules["lights"][before][worst] == rules.light_of(before, worst)


def test_the_page_lists_every_exercise_before_any_script_runs(client, auth, app, users, today):
    data = open_player(client, auth, app, users, today)
    html = client.get(data["urls"]["play"]).get_data(as_text=True)
    for exercise in data["exercises"]:
        assert f'href="{exercise["url"]}"' in html
        assert exercise["dose"] in html
    assert data["user_id"] == users["alex"].id
    assert 'style="' not in html and "<script>" not in html


def test_a_routine_that_is_not_yours_is_not_found(client, auth, app, users):
    with app.app_context():
        routine_id = first_routine_id()
    auth.login_as(users["alex"])
    assert client.get(f"/routines/{routine_id}/play").status_code == 404
