"""Hostile numbers in every HTML form with a number field and in the query strings that take one: random text,
digits of other scripts, superscripts, huge and negative numbers. Each answers 200 with the form's error, a 400, or,
for a number it can take, what a right answer gets (a redirect); never a 500.

The forms are read from the pages that show them, so a new number field on those pages is fuzzed too.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webapp.extensions import db
from webapp.programs.services import starter_program
from webapp.sessions.history import function_activities

from .factories import make_plan

pytestmark = pytest.mark.usefixtures("clock")

NUMBERISH = st.one_of(
    st.sampled_from(["", " ", "²", "٣", "1e3", "0x10", "+5", "-0", " 5 ", "1_000", "Infinity", "NaN", "4.0"]),
    st.text(max_size=12),
    st.text(alphabet=st.characters(categories=("Nd", "No", "Nl")), min_size=1, max_size=6),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.integers(min_value=11, max_value=6000).map(lambda digits: "9" * digits),
    st.floats().map(str),
)
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 302, 400}


class Forms(HTMLParser):
    """The page's forms: (action, fields as posted, names of the number fields)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str], list[str]]] = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._open = (a.get("action", ""), {}, [])
        elif self._open is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                fields = self._open[1]
                if kind == "radio" and a["name"] not in fields:
                    fields[a["name"]] = a.get("value", "on")  # the first choice, so a required one is answered
                return
            if kind != "file":
                self._open[1][a["name"]] = a.get("value", "")
            if kind == "number" or a.get("inputmode") == "numeric":
                self._open[2].append(a["name"])
        elif tag == "button" and a.get("name") and a["name"] not in self._open[1]:
            self._open[1][a["name"]] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form" and self._open is not None:
            self.forms.append(self._open)
            self._open = None


def number_forms(client, path: str) -> list[tuple[str, dict[str, str], list[str]]]:
    page = client.get(path)
    assert page.status_code == 200, path
    parser = Forms()
    parser.feed(page.get_data(as_text=True))
    found = [(action or path, fields, numbers) for action, fields, numbers in parser.forms if numbers]
    assert found, f"{path} shows no form with a number field"
    return found


@pytest.fixture
def alex(app, client, auth, users, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
    auth.login("alex@example.com")
    token = auth.csrf_token()
    about = {"pain": "4", "activity0": "Putting on socks", "score0": "6", "csrf_token": token}
    assert client.post("/welcome/about", data=about).status_code == 302
    return token


def fuzz(client, forms, data):
    action, fields, numbers = data.draw(st.sampled_from(forms))
    name = data.draw(st.sampled_from(numbers))
    value = data.draw(NUMBERISH)
    response = client.post(action, data={**fields, name: value})
    assert response.status_code in ANSWERS, (action, name, value, response.status_code)


@FUZZ
@given(data=st.data())
def test_the_clients_number_forms(app, client, alex, data):
    with app.app_context():
        activities = [f"activity-{a.id}" for a in function_activities(db.session.merge(alex_user(app)).id)]
    forms = [
        # About you's part with the year of birth, the part before it answered as it would have been.
        *[(to, {**fields, "pain": "4"}, names) for to, fields, names in number_forms(client, "/welcome/about?part=2")],
        ("/history/function", {"csrf_token": alex, **dict.fromkeys(activities, "5")}, activities),
        ("/check-in", {"session": "x", "pain": "3", "legs": "no", "csrf_token": alex}, ["pain"]),
        ("/steps", {"slot": "pelvic-tilt", "to_exercise": "pelvic-tilt", "sets": "2", "reps": "8", "hold": "0",
                    "csrf_token": alex}, ["sets", "reps", "hold"]),
    ]  # fmt: skip
    fuzz(client, forms, data)


def alex_user(app):
    from webapp.auth.models import User

    return db.session.execute(db.select(User).where(User.email == "alex@example.com")).scalar_one()


@pytest.fixture
def coach(app, client, auth, users, today):
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
        starter = starter_program("gentle-start").id
    auth.login("coach@example.com")
    return {"token": auth.csrf_token(), "starter": starter, "alex": users["alex"].id}


@FUZZ
@given(data=st.data())
def test_the_trainers_number_forms(client, coach, data):
    forms = [
        *number_forms(client, f"/trainer/programs/new?from={coach['starter']}"),
        *number_forms(client, "/trainer/exercises/new"),
        (f"/trainer/clients/{coach['alex']}/steps", {"action": "change", "slot": "pelvic-tilt",
         "to_exercise": "pelvic-tilt", "sets": "2", "reps": "8", "hold": "0", "csrf_token": coach["token"]},
         ["sets", "reps", "hold"]),
    ]  # fmt: skip
    fuzz(client, forms, data)


@FUZZ
@given(value=NUMBERISH, where=st.sampled_from(["/history/?page=", "/exercises/?level=", "/api/v1/sessions?page="]))
def test_numbers_in_the_clients_queries(client, alex, value, where):
    response = client.get(where.split("?")[0], query_string={where.split("?")[1].rstrip("="): value})
    assert response.status_code in {200, 400}, (where, value, response.status_code)


@FUZZ
@given(
    value=NUMBERISH,
    where=st.sampled_from(
        [
            "/trainer/programs/new?from=",
            "/trainer/clients/{alex}?page=",
            "/trainer/programs/{starter}/assign?client_id=",
        ]
    ),
)
def test_numbers_in_the_trainers_queries(client, coach, value, where):
    path, name = where.format(alex=coach["alex"], starter=coach["starter"]).split("?")
    response = client.get(path, query_string={name.rstrip("="): value})
    assert response.status_code in {200, 400, 404}, (where, value, response.status_code)
