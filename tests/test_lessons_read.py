"""'Done reading': a read lesson is marked in the list and Today suggests it no more."""

from __future__ import annotations

import re

from webapp.content.models import LessonRead
from webapp.extensions import db

from .conftest import csrf_from
from .test_today import alex, post  # noqa: F401 (the alex fixture)

ORDER = ["why-move", "the-core", "back-and-belly-muscles"]


def suggested(client) -> str | None:
    match = re.search(
        r'Suggested read.*?href="/lessons/([a-z-]+)"', client.get("/").get_data(as_text=True), re.S | re.I
    )
    return match.group(1) if match else None


def reads(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.execute(db.select(LessonRead.lesson_slug)).scalars())


def test_a_read_lesson_is_not_suggested_again_and_the_list_marks_it(app, auth, alex):  # noqa: F811
    auth.login("alex@example.com")
    first = suggested(auth.client)
    assert first == "why-move"
    page = auth.client.get("/lessons/why-move").get_data(as_text=True)
    assert "Done reading" in page

    response = post(auth.client, "/lessons/why-move/read", {})
    assert response.status_code == 302 and response.headers["Location"] == "/lessons/why-move"
    page = auth.client.get("/lessons/why-move").get_data(as_text=True)
    assert "is marked as read; Today will suggest another lesson." in page
    assert "You read this on" in page and "Done reading</button>" not in page
    assert suggested(auth.client) not in (None, "why-move")
    listing = auth.client.get("/lessons/").get_data(as_text=True)
    assert listing.count("✓ read") == 1

    # Twice is once; the script's call answers JSON.
    token = csrf_from(listing)
    again = auth.client.post(
        "/lessons/why-move/read", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert again.status_code == 200 and again.get_json() == {"slug": "why-move", "read": True}
    assert reads(app) == ["why-move"]


def test_once_every_lesson_is_read_none_is_suggested(app, auth, alex):  # noqa: F811
    auth.login("alex@example.com")
    slugs = re.findall(r'href="/lessons/([a-z-]+)"', auth.client.get("/lessons/").get_data(as_text=True))
    for slug in dict.fromkeys(slugs):
        assert post(auth.client, f"/lessons/{slug}/read", {}).status_code == 302
    assert suggested(auth.client) is None


def test_marking_needs_a_login_a_form_token_and_a_real_lesson(app, client, auth, alex):  # noqa: F811
    # A visitor is sent to log in; nothing is stored.
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    response = client.post("/lessons/why-move/read", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    auth.login("alex@example.com")
    # Without the form's token: refused, nothing stored.
    assert client.post("/lessons/why-move/read", data={}).status_code == 400
    # No such lesson: 404; a name with a NUL in it is refused before anything looks it up.
    assert post(client, "/lessons/no-such-lesson/read", {}).status_code == 404
    assert post(client, "/lessons/%00%27/read", {}).status_code == 400
    # GET is not a way to mark it.
    assert client.get("/lessons/why-move/read").status_code == 405
    assert reads(app) == []


def test_the_export_lists_the_lessons_read(app, auth, alex):  # noqa: F811
    auth.login("alex@example.com")
    post(auth.client, "/lessons/the-core/read", {})
    document = auth.client.get("/account/export.json").get_json()
    [entry] = document["lessons_read"]
    assert entry["lesson"] == "the-core" and entry["read_at"].endswith("Z")
