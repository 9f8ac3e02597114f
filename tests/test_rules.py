"""The traffic light and the progression rule, as plain functions."""

from __future__ import annotations

import pytest

from webapp.sessions.rules import Outcome, advice, next_step, traffic_light


@pytest.mark.parametrize(
    ("pain", "light"), [(0, "green"), (3, "green"), (4, "amber"), (5, "amber"), (6, "red"), (10, "red")]
)
def test_traffic_light_bands(pain, light):
    assert traffic_light(pain) == light


def test_advice_in_plain_words():
    assert advice(Outcome(2, 2, 3)).headline == "Carry on"
    assert advice(Outcome(2, 5, 3)).headline == "Stay at this level"
    assert advice(Outcome(2, 7, 3)).headline == "Ease off next time"


def test_amber_that_did_not_settle_by_the_next_morning_holds_the_level():
    settled = Outcome(pain_before=3, pain_after=2, effort=3, next_day_pain=2)
    unsettled = Outcome(pain_before=3, pain_after=2, effort=3, next_day_pain=5)
    assert settled.light == "green"
    assert unsettled.light == "amber"
    assert Outcome(3, 4, 3, next_day_pain=7).light == "red"


def test_harder_after_two_green_easy_sessions_in_a_row():
    easy_green = Outcome(3, 2, 3)
    assert next_step([easy_green, easy_green]) == "harder"
    assert next_step([easy_green]) == "same"
    assert next_step([easy_green, Outcome(3, 2, 7)]) == "same", "a hard session is not easy"
    assert next_step([easy_green, Outcome(3, 4, 2)]) == "same", "an amber session is not green"
    assert next_step([Outcome(3, 2, 2, painful_exercise=True), easy_green]) == "same"


def test_easier_after_a_red_session():
    assert next_step([Outcome(3, 7, 5), Outcome(3, 2, 2), Outcome(3, 2, 2)]) == "easier"
    assert next_step([]) == "same"
