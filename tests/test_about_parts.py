"""About you, a part at a time: each screen asks what belongs together and carries the earlier answers,
Back keeps every answer, nothing is stored until the last part, and a part sent with a mistake comes
back with the mistake marked. Walked as a browser without script would: posting each page's own form."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from webapp.extensions import db
from webapp.programs.models import Profile
from webapp.sessions import screens
from webapp.sessions.models import CheckIn, FunctionActivity

from .factories import make_user

pytestmark = pytest.mark.usefixtures("clock")


class PageForm(HTMLParser):
    """The about form as the page shows it: every named field with its value (ticked ones only), and
    the visible questions' names."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.visible: set[str] = set()
        self.inside = False

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("action") == "/welcome/about"
        if not self.inside or tag not in ("input", "select") or not a.get("name"):
            return
        if a.get("type") != "hidden":
            self.visible.add(a["name"])
        if a.get("type") in ("checkbox", "radio") and "checked" not in a:
            return
        if tag == "input":
            self.fields.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_of(response) -> PageForm:
    parser = PageForm()
    parser.feed(response.get_data(as_text=True))
    return parser


def send(client, response, answers: dict, go: str = "next"):
    """Posts the page's form with these answers filled in, as pressing Continue (or Back) does."""
    fields = [(name, value) for name, value in form_of(response).fields if name not in answers]
    for name, value in answers.items():
        fields += [(name, v) for v in (value if isinstance(value, list) else [value])]
    return client.post("/welcome/about", data=MultiDict([*fields, ("go", go)]))


@pytest.fixture
def newcomer(app, auth):
    with app.app_context():
        screens.record_screen(make_user("new@example.com", name="Nina New"), [])
    auth.login("new@example.com")
    return auth.client


def test_about_you_asks_a_part_at_a_time_and_records_it_all_at_the_end(newcomer, app):
    page = newcomer.get("/welcome/about")
    text = page.get_data(as_text=True)
    assert "Part 1 of 4" in text and "Your back today" in text and "Step 2 of 3" in text
    assert form_of(page).visible == {"pain", "pain_since"}
    assert 'value="back"' not in text, "the first part has nothing to go back to"

    page = send(newcomer, page, {"pain": "6", "pain_since": "long"})
    assert page.status_code == 200 and "Part 2 of 4" in page.get_data(as_text=True)
    assert form_of(page).visible == {"floor", "activity_level", "birth_year"}
    page = send(newcomer, page, {"floor": "no", "birth_year": "1970"})
    assert "Part 3 of 4" in page.get_data(as_text=True)
    page = send(newcomer, page, {"activity0": "Putting on socks", "score0": "4"})
    assert "Part 4 of 4" in page.get_data(as_text=True)
    assert form_of(page).visible == {"days", "time"}
    with app.app_context():
        assert db.session.execute(db.select(CheckIn)).first() is None, "nothing is stored before the last part"

    done = send(newcomer, page, {"days": ["mon", "thu"], "time": "07:30"})
    assert done.status_code == 302 and done.headers["Location"] == "/welcome/program"
    with app.app_context():
        profile = db.session.execute(db.select(Profile)).scalar_one()
        assert (profile.pain_since, profile.floor, profile.birth_year) == ("long", "no", 1970)
        assert profile.preferred_time == "07:30"
        assert db.session.execute(db.select(CheckIn.pain)).scalar_one() == 6
        assert db.session.execute(db.select(FunctionActivity.name)).scalar_one() == "Putting on socks"


def test_back_keeps_every_answer(newcomer):
    page = send(newcomer, newcomer.get("/welcome/about"), {"pain": "3"})
    page = send(newcomer, page, {"activity_level": "active", "birth_year": "1985"})
    page = send(newcomer, page, {"activity0": "Sitting through a film", "score0": "5"}, go="back")
    text = page.get_data(as_text=True)
    assert "Part 2 of 4" in text and 'value="1985"' in text
    assert 'name="activity_level" value="active" checked' in text
    page = send(newcomer, page, {}, go="back")
    assert "Part 1 of 4" in page.get_data(as_text=True)
    assert 'name="pain" value="3" checked' in page.get_data(as_text=True)
    # Forward again: what was typed on the third part before going back is still there.
    page = send(newcomer, send(newcomer, page, {}), {})
    assert 'value="Sitting through a film"' in page.get_data(as_text=True)


def test_a_mistake_comes_back_on_its_own_part_marked(newcomer, app):
    first = newcomer.get("/welcome/about")
    page = send(newcomer, first, {})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Part 1 of 4" in text and "1 thing to fix" in text
    page = send(newcomer, send(newcomer, first, {"pain": "2"}), {"birth_year": "19x0"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Part 2 of 4" in text and 'aria-invalid="true"' in text
    assert "Enter the year you were born as four digits" in text
    # A part forged to skip the required answer goes back to where it is asked.
    skipped = newcomer.post("/welcome/about", data={"part": "4", "days": "mon", "csrf_token": first_token(first)})
    assert skipped.status_code == 400 and "Part 1 of 4" in skipped.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(CheckIn)).first() is None


def first_token(response) -> str:
    return dict(form_of(response).fields)["csrf_token"]


@pytest.mark.parametrize("part", ["0", "5", "x", "", "22"])
def test_a_part_that_does_not_exist_shows_the_first(newcomer, part):
    response = newcomer.get(f"/welcome/about?part={part}")
    assert response.status_code == 200 and "Part 1 of 4" in response.get_data(as_text=True)
