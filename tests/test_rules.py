"""The traffic light and the progression rule, as tables of cases (rules.py, after Silbernagel 2007)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from webapp.sessions.rules import (
    Outcome,
    advice,
    after_the_night,
    light_of,
    light_table,
    next_step,
    traffic_light,
    worsening,
)

TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("pain", "zone"), [(0, "green"), (3, "green"), (4, "amber"), (5, "amber"), (6, "red"), (10, "red")]
)
def test_the_scales_own_zones(pain, zone):
    assert traffic_light(pain) == zone


# (pain before, pain just after, pain during each exercise, next morning) -> light
CASES = [
    # Judged against the pain before: everyday pain of 6 can be green, and pain that falls is green.
    (6, 6, (), None, "green"),
    (8, 4, (), None, "green"),
    (2, 3, (), None, "green"),
    (6, 8, (), None, "green"),  # two points added
    (0, 2, (), None, "green"),
    # Three to five points added, the worst still at 5 or below: amber.
    (2, 5, (), None, "amber"),
    (0, 5, (), None, "amber"),
    (1, 4, (), None, "amber"),
    # More than that, or a rise of three that goes over 5/10: red.
    (2, 7, (), None, "red"),
    (1, 6, (), None, "red"),
    (6, 9, (), None, "red"),
    (0, 6, (), None, "red"),
    # Pain during an exercise counts as much as pain after: the worst of the session decides.
    (3, 3, (4, 7), None, "red"),
    (2, 2, (5, None), None, "amber"),
    (6, 5, (7, 8), None, "green"),
    (2, 2, (None, 3), None, "green"),
    # The next morning can turn a light: amber that settled is green, green that did not is amber ...
    (2, 5, (), 2, "green"),
    (2, 5, (), 1, "green"),
    (2, 5, (), 3, "amber"),
    (2, 2, (), 3, "amber"),
    (6, 6, (), 6, "green"),
    # ... a rise of three or more by the morning is red ...
    (2, 2, (), 5, "red"),
    (2, 5, (), 6, "red"),
    # ... but red stays red: pain that went over the limit did, even if it has gone by the morning.
    (2, 7, (), 0, "red"),
    (3, 3, (4, 9), 1, "red"),
]


@pytest.mark.parametrize(("before", "after", "during", "morning", "light"), CASES)
def test_the_light_of_a_session(before, after, during, morning, light):
    outcome = Outcome(before, after, effort=3, pain_during=during, next_day_pain=morning)
    assert outcome.light == light


def test_the_table_the_player_reads_is_the_rule_itself():
    table = light_table()
    assert len(table) == 11 and all(len(row) == 11 for row in table)
    assert all(table[before][worst] == light_of(before, worst) for before in range(11) for worst in range(11))
    # Whatever the pain before, a session that leaves pain where it was is green.
    assert all(table[pain][pain] == "green" for pain in range(11))


def test_the_night_never_softens_red():
    for before in range(11):
        for morning in range(11):
            assert after_the_night("red", before, morning) == "red"


def test_each_exercise_has_its_own_light_against_the_pain_before():
    outcome = Outcome(1, 1, 2, pain_during=(3, 5, None, 9))
    assert [outcome.exercise_light(i) for i in range(5)] == ["green", "amber", None, "red", None]


def test_advice_in_plain_words():
    assert advice(Outcome(2, 2, 3)).headline == "Carry on"
    assert advice(Outcome(2, 5, 3)).headline == "Stay at this level"
    assert advice(Outcome(2, 7, 3)).headline == "Ease off next time"
    assert advice(Outcome(7, 7, 3)).headline == "Carry on"


GREEN_EASY = Outcome(3, 2, 3)
GREEN_HARD = Outcome(3, 2, 7)
AMBER = Outcome(1, 4, 2)
RED = Outcome(3, 7, 5)


# Newest first, as the rule reads them.
@pytest.mark.parametrize(
    ("recent", "step"),
    [
        ([], "same"),
        ([GREEN_EASY], "same"),
        ([GREEN_EASY, GREEN_EASY], "harder"),
        ([GREEN_EASY, GREEN_EASY, RED], "harder"),  # the red was before the two greens
        ([RED, GREEN_EASY, GREEN_EASY], "easier"),  # green, green, then red
        ([GREEN_EASY, GREEN_HARD], "same"),  # a hard session is not easy
        ([GREEN_EASY, AMBER], "same"),
        ([Outcome(3, 2, 2, painful_exercise=True), GREEN_EASY], "same"),
        # Amber that settled by the morning counts as green; amber that did not holds the level.
        ([Outcome(2, 5, 3, next_day_pain=2), GREEN_EASY], "harder"),
        ([Outcome(2, 5, 3, next_day_pain=4), GREEN_EASY], "same"),
        # 6 before and 6 after, twice: an everyday pain of 6 does not stop progress.
        ([Outcome(6, 6, 3), Outcome(6, 6, 3)], "harder"),
        # Green, but pain taken above 5 and above where it began: no step up on its back (Silbernagel's ceiling).
        ([Outcome(8, 9, 3), GREEN_EASY], "same"),
        ([GREEN_EASY, Outcome(4, 6, 3)], "same"),
        ([Outcome(5, 5, 3, pain_during=(7,)), GREEN_EASY], "same"),  # 7 during one exercise, 5 at the end
        ([Outcome(5, 6, 3), Outcome(6, 5, 3)], "same"),
        # Pain above 5 that the session did not raise, or lowered: still a step up.
        ([Outcome(8, 8, 3), Outcome(7, 6, 3)], "harder"),
    ],
)
def test_the_next_step(recent, step):
    assert next_step(recent) == step


@pytest.mark.parametrize(
    ("before", "worst", "steady"),
    [(3, 5, True), (4, 6, False), (5, 7, False), (6, 6, True), (6, 7, False), (8, 9, False), (8, 8, True),
     (9, 2, True), (2, 5, False)],  # the last: 3 points added is amber, not green
)  # fmt: skip
def test_what_a_step_up_waits_for(before, worst, steady):
    outcome = Outcome(before, worst, 3)
    assert outcome.steady is steady
    assert outcome.high is (outcome.light == "green" and not steady)


def test_what_a_green_session_says_about_the_step_up():
    assert "kept your pain at 5 or below (or no higher than it was before them)" in advice(Outcome(3, 4, 3)).text
    # Green, but pain taken above 5 and above where it began: not "keep going", not "ready for a step up".
    for high in (Outcome(8, 9, 3), Outcome(5, 5, 3, pain_during=(7,)), Outcome(4, 6, 3)):
        found = advice(high)
        assert (found.light, found.headline) == ("green", "Keep this level")
        assert "it took your pain above 5" in found.text and "Keep the same dose next time" in found.text
    assert advice(Outcome(7, 7, 3)).headline == advice(Outcome(9, 6, 3)).headline == "Carry on"


def days_ago(n: int, before: int) -> Outcome:
    return Outcome(before, before, 3, day=TODAY - timedelta(days=n))


# (pain before the sessions of the last 7 days, of the 7 days before those) -> worsened
@pytest.mark.parametrize(
    ("this_week", "last_week", "worse"),
    [
        ([4, 5], [3, 3, 3], True),
        ([4, 4, 4], [3, 3, 3], True),
        ([3, 4], [3, 3, 3], False),  # half a point is not a worsening week
        ([3, 3], [5, 4], False),
        ([6], [], False),  # nothing to compare with
        ([], [3], False),
    ],
)
def test_a_week_whose_pain_rises_week_on_week(this_week, last_week, worse):
    outcomes = [days_ago(i, p) for i, p in enumerate(this_week)] + [days_ago(7 + i, p) for i, p in enumerate(last_week)]
    assert worsening(outcomes, TODAY) is worse


def test_a_worsening_week_blocks_the_step_up_but_not_the_step_back():
    assert next_step([GREEN_EASY, GREEN_EASY], worse=True) == "same"
    assert next_step([RED, GREEN_EASY], worse=True) == "easier"


def test_sessions_older_than_two_weeks_do_not_count():
    outcomes = [days_ago(0, 5), days_ago(14, 1), days_ago(20, 1)]
    assert worsening(outcomes, TODAY) is False
