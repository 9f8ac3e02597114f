"""What odd numbers, huge ids and NUL characters from outside get: a clear 400 or 404, or a form error, never a 500."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.inputs import MAX_ID, MAX_JSON_DEPTH, digits_up_to, flatten_deep_json, too_deep, whole_number

from .conftest import csrf_from

HUGE = "9" * 5000


@given(st.text(max_size=30))
def test_whole_number_never_raises_and_keeps_to_its_range(text):
    number = whole_number(text, 1, 500)
    assert number is None or (1 <= number <= 500 and str(number) == text.strip().lstrip("0"))


@pytest.mark.parametrize(("text", "number"), [
    ("7", 7), (" 12 ", 12), ("0", 0), ("²", None), ("٣", None), ("-1", None), ("1.5", None), ("", None), (None, None),
    (HUGE, None), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None),
])  # fmt: skip
def test_whole_number_takes_ascii_digits_only(text, number):
    assert whole_number(text) == number


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10**11))
def test_the_id_pattern_takes_every_number_up_to_its_limit_and_none_above(number, limit):
    assert bool(re.fullmatch(digits_up_to(limit), str(number))) == (number <= limit)


def _depth(value) -> int:
    if isinstance(value, dict):
        value = list(value.values())
    return 1 + max(map(_depth, value), default=0) if isinstance(value, list) else 0


# Text full of what JSON nests with: brackets and quotes inside strings must never count as nesting.
_TRICKY = st.text(alphabet='[]{}"\\ab', max_size=6)
_VALUES = st.recursive(
    _TRICKY | st.integers(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY, inner, max_size=3),
    max_leaves=40,
)


@given(_VALUES, st.integers(min_value=0, max_value=2 * MAX_JSON_DEPTH))
def test_only_values_nested_too_deeply_are_cut_whatever_their_text_holds(value, wraps):
    for _ in range(wraps):
        value = [value]
    parsed = json.loads(flatten_deep_json(json.dumps(value)))
    if _depth(value) <= MAX_JSON_DEPTH:
        assert parsed == value
    else:
        assert too_deep(parsed) is not None


@pytest.mark.parametrize("client_id", [str(2**31), str(2**63), HUGE])
def test_ids_no_table_can_hold_are_404(client, auth, users, client_id):
    auth.login("coach@example.com")
    response = client.get(f"/api/v1/trainer/clients/{client_id}/sessions")
    assert response.status_code == 404
    # The same path takes POST as well: still no such page (404), not a method it does not take (405).
    assert client.get(f"/api/v1/trainer/clients/{client_id}/messages").status_code == 404
    assert client.get(f"/trainer/clients/{client_id}").status_code == 404


@pytest.mark.parametrize("page", ["²", HUGE, "0", "-3"])
def test_a_page_that_is_no_whole_number_is_400_in_the_api_and_the_first_page_on_pages(client, auth, users, page):
    auth.login("alex@example.com")
    response = client.get(f"/api/v1/sessions?page={page}")
    assert response.status_code == 400
    assert response.get_json()["message"] == "page must be a whole number from 1."
    assert client.get(f"/history/?page={page}").status_code == 200
    assert client.get(f"/exercises/?level={page}").status_code == 200


@pytest.mark.parametrize("value", ["²", HUGE])
def test_odd_numbers_in_trainer_queries_are_404(client, auth, users, value):
    auth.login("coach@example.com")
    assert client.get(f"/trainer/programs/new?from={value}").status_code == 404


@pytest.mark.parametrize("pain", ["²", HUGE])
def test_an_odd_pain_number_in_a_form_is_a_form_error(client, auth, users, pain):
    auth.login("alex@example.com")
    token = csrf_from(client.get("/exercises/").get_data(as_text=True))
    data = {"session": "x", "pain": pain, "legs": "no", "csrf_token": token}
    response = client.post("/check-in", data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "Choose a number from 0 to 10" in response.get_data(as_text=True)


def test_a_nul_character_in_a_form_the_query_or_the_path_is_400_with_a_reason(client, auth, users):
    auth.login("alex@example.com")
    token = csrf_from(client.get("/exercises/").get_data(as_text=True))
    posted = client.post("/check-in", data={"session": "a\x00b", "pain": "3", "legs": "no", "csrf_token": token})
    assert posted.status_code == 400
    assert "NUL character" in posted.get_data(as_text=True)
    assert client.get("/exercises/?q=a%00b").status_code == 400
    assert client.get("/exercises/bird%00dog").status_code == 400
    assert client.get("/api/v1/sessions?page=1%00").get_json()["message"].startswith("The request holds a NUL")
