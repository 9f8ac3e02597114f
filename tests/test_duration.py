"""One duration, from the doses: the player's steps timed on the server, and bouts of walking in minutes."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from webapp.content.services import dose_text
from webapp.programs.duration import minutes, minutes_words, program_minutes, routine_ms
from webapp.programs.services import starter_program
from webapp.sessions.progress import done_text


def item(kind="hold", sets=1, reps=1, hold=0, rest=0, per_side=False, rep_seconds=3):
    exercise = SimpleNamespace(kind=kind, per_side=per_side, rep_seconds=rep_seconds)
    return SimpleNamespace(exercise=exercise, sets=sets, reps=reps, hold_seconds=hold, rest_seconds=rest)


@pytest.mark.parametrize(
    ("items", "seconds"),
    [
        # The first get-ready (10 s), then 3 holds of 5 s with two 3-s relaxes between.
        ([item(reps=3, hold=5)], 10 + 15 + 6),
        # Repetitions at their pace, two sets with the written rest between.
        ([item("reps", sets=2, reps=6, rest=30, rep_seconds=6)], 10 + 2 * 36 + 30),
        # Each side after its own get-ready.
        ([item("reps", reps=4, per_side=True, rep_seconds=3)], 10 + 12 + 5 + 12),
        # A changeover of at least 15 s to the next exercise, then its own get-ready.
        ([item(reps=1, hold=10), item("reps", reps=5)], 10 + 10 + 15 + 5 + 15),
        # Two 5-minute walks with 2 minutes' rest between: bouts, not holds with a 3-s pause.
        ([item(reps=2, hold=300, rest=120)], 10 + 300 + 120 + 300),
        ([item(reps=2, hold=300, rest=0)], 10 + 300 + 3 + 300),
    ],
)
def test_a_routine_is_timed_as_the_player_plays_it(items, seconds):
    assert routine_ms(items) == seconds * 1000


def test_minutes_round_half_up_like_the_player():
    assert [minutes(ms) for ms in (1, 89_999, 90_000, 150_000)] == [1, 1, 2, 3]
    assert minutes_words(9, 9) == "about 9 min" and minutes_words(8, 12) == "about 8 to 12 min"


def test_walking_reads_in_minutes_with_its_rest():
    assert dose_text(1, 1, 240, "hold", False) == "4 min"
    assert dose_text(1, 2, 300, "hold", False, 120) == "2 × 5 min, 2 min rest between"
    assert dose_text(1, 3, 300, "hold", False, 90) == "3 × 5 min, 1 min 30 s rest between"
    assert dose_text(2, 5, 10, "hold", True) == "2 sets of 5 × 10 s hold each side"
    assert done_text("hold", 1, 2, 300, False) == "2 × 5 min"


def test_every_page_shows_the_same_estimate_as_today(app, client, auth, users):
    with app.app_context():
        gentle = starter_program("gentle-start")
        low, high = program_minutes(gentle)
    assert low < high  # week 2 runs longer than week 1
    auth.login("coach@example.com")
    page = client.get("/trainer/programs/").get_data(as_text=True)
    assert f"about {low} to {high} min" in page
