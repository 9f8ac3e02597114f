"""The installable app on the server side: manifest and icons, the service worker, the offline package."""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import struct
from datetime import timedelta
from pathlib import Path

import pytest

from webapp import assets
from webapp.auth.models import User
from webapp.content.models import ContentMeta
from webapp.extensions import db
from webapp.programs.models import Assignment
from webapp.sessions import screens
from webapp.sessions import services as records
from webapp.timeutil import utcnow

from .clock import TODAY
from .factories import make_plan, make_user

STATIC = Path(__file__).resolve().parents[1] / "static"

# The offline package follows the plan's days: the stories here happen at the suite's fixed moment.
pytestmark = pytest.mark.usefixtures("clock")


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the IHDR chunk, after checking that the file really is a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    length, kind, width, height = struct.unpack(">I4sII", data[8:24])
    assert kind == b"IHDR" and length == 13
    assert data[-8:-4] == b"IEND", f"{path.name} is cut short"
    return width, height


def static_path(url: str) -> Path:
    assert url.startswith("/static/"), url
    return STATIC / url.split("?")[0].removeprefix("/static/")


def onboard(user, plan: str | None = "gentle-start", by=None):
    """The client has passed the safety screen, finished onboarding and (by default) follows a program."""
    screens.record_screen(db.session.merge(user), [])
    records.finish_onboarding(db.session.merge(user))
    if plan:
        make_plan(user, plan, start=TODAY - timedelta(days=2), by=by)


@pytest.fixture
def alex(app, users):
    with app.app_context():
        onboard(users["alex"], by=users["coach"])
    return users["alex"]


def status_of(client, url: str) -> int:
    # Closing the response closes the static file behind it.
    with client.get(url) as response:
        return response.status_code


def package(client) -> dict:
    response = client.get("/api/v1/offline-manifest")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- The manifest and the icons ---------------------------------------------------------------


def test_manifest_describes_an_installable_standalone_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "CoreSteady"
    assert manifest["short_name"] and len(manifest["short_name"]) <= 12
    assert manifest["description"]
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0f5f5c" and manifest["background_color"] == "#f4f7f6"


def test_manifest_icons_are_real_pngs_of_the_stated_size(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    icons = {(icon["sizes"], icon["purpose"]): icon for icon in manifest["icons"]}
    assert set(icons) == {("192x192", "any"), ("512x512", "any"), ("192x192", "maskable"), ("512x512", "maskable")}
    for (sizes, _purpose), icon in icons.items():
        assert icon["type"] == "image/png"
        assert "?v=" in icon["src"], "icons carry their revision so an update is fetched"
        width, height = png_size(static_path(icon["src"]))
        assert f"{width}x{height}" == sizes
        assert status_of(client, icon["src"]) == 200


def test_manifest_screenshots_are_narrow_small_pngs(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert len(manifest["screenshots"]) >= 1
    for shot in manifest["screenshots"]:
        assert shot["form_factor"] == "narrow" and shot["type"] == "image/png" and shot["label"]
        path = static_path(shot["src"])
        width, height = png_size(path)
        assert f"{width}x{height}" == shot["sizes"]
        assert width < height
        assert path.stat().st_size < 150 * 1024


def test_maskable_icons_keep_the_edges_full_bleed_and_apple_touch_icon_is_180(app):
    assert png_size(STATIC / "icons" / "apple-touch-icon.png") == (180, 180)
    source = (STATIC / "icons" / "icon-maskable.svg").read_text()
    # No rounded corners: the launcher cuts its own shape out of the full square.
    assert re.search(r'<rect width="64" height="64" fill="#0f5f5c"/>', source)


def test_every_page_links_the_manifest_touch_icon_and_theme_colour(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(r'<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png\?v=\w+">', html)
    # The browser's bar takes the brand's teal in the light scheme and the header's own dark in the dark one.
    assert '<meta name="theme-color" content="#0f5f5c" media="(prefers-color-scheme: light)">' in html
    assert '<meta name="theme-color" content="#172327" media="(prefers-color-scheme: dark)">' in html


# --- The service worker -----------------------------------------------------------------------


def precache_of(client) -> list[dict]:
    body = client.get("/sw.js").get_data(as_text=True)
    match = re.search(r"^const PRECACHE = (\[.*\]);$", body, re.MULTILINE)
    assert match, "the precache list was not written into the worker"
    return json.loads(match.group(1))


def test_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "/* precache */" not in response.get_data(as_text=True)


IMPORT = re.compile(r'^import\s[^;]*?from\s+"([^"?]+)(?:\?v=[0-9a-f]{12})?";', re.MULTILINE)


def test_every_module_the_worker_runs_is_in_its_precache_list(client):
    # The worker imports the page's outbox modules. Each of them, down to the last import, carries its
    # revision in the worker's own bytes, so changing any of them is a new worker the browser picks up.
    body = client.get("/sw.js").get_data(as_text=True)
    shell = {entry["url"] for entry in precache_of(client)}
    seen = set()
    waiting = IMPORT.findall(body)
    assert "/static/js/drain.js" in waiting and "/static/js/outbox.js" in waiting
    while waiting:
        url = waiting.pop()
        if url in seen:
            continue
        seen.add(url)
        assert url in shell, f"the worker imports {url}, which is not precached"
        source = static_path(url).read_text(encoding="utf-8")
        base = url.rsplit("/", 1)[0]
        for relative in IMPORT.findall(source):
            assert relative.startswith("./") or relative.startswith("../"), relative
            waiting.append(posixpath.normpath(posixpath.join(base, relative)))
    assert {"/static/js/kinds.js", "/static/js/log.js"} <= seen
    # What the page alone has (document, DOMParser) stays out of the worker.
    assert not seen & {"/static/js/identity.js", "/static/js/sync.js", "/static/js/app.js"}


def test_precache_lists_the_app_shell_each_with_its_content_revision(client, app):
    entries = precache_of(client)
    urls = {entry["url"] for entry in entries}
    for needed in (
        "/static/css/app.css",
        # Each area's own stylesheet too that a page kept offline links (the player above all).
        "/static/css/player.css",
        "/static/css/muscles.css",
        "/static/js/app.js",
        "/static/js/outbox.js",
        "/static/js/sync.js",
        "/static/icons/icon-192.png",
        "/static/img/nav.svg",
        "/offline",
    ):
        assert needed in urls
    assert not any("screenshot" in url or url.endswith("sw.js") for url in urls)
    # What no page kept offline uses stays out: a phone would download it for nothing.
    assert not urls & {"/static/css/builder.css", "/static/css/trainer.css", "/static/js/builder/main.js",
                       "/static/icons/icon-512.png", "/static/icons/icon-maskable-512.png",
                       "/static/icons/apple-touch-icon.png"}  # fmt: skip
    with app.test_request_context():
        revisions = assets.static_revisions()
    for entry in entries:
        assert re.fullmatch(r"[0-9a-f]{12}", entry["revision"])
        if entry["url"].startswith("/static/"):
            assert entry["revision"] == revisions[entry["url"].removeprefix("/static/")]
        assert status_of(client, entry["url"]) == 200


def test_a_changed_static_file_changes_only_its_own_revision(client, app, tmp_path):
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    app.static_folder = str(copy)
    try:
        before = {e["url"]: e["revision"] for e in precache_of(client)}
        with (copy / "css" / "app.css").open("a") as css:
            css.write("\n/* a deploy */\n")
        assets.forget_revisions()
        after = {e["url"]: e["revision"] for e in precache_of(client)}
    finally:
        assets.forget_revisions()
    assert after["/static/css/app.css"] != before["/static/css/app.css"]
    # The offline page links the stylesheet by revision, so it changes with it; nothing else does.
    changed = {url for url in before if before[url] != after[url]}
    assert changed == {"/static/css/app.css", "/offline"}


def test_offline_page_names_no_user(client, auth, users):
    auth.login_as(users["alex"])
    response = client.get("/offline")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "You are offline" in html
    assert 'name="csrf-token"' not in html and 'name="user-id"' not in html and "alex@example.com" not in html


# --- The offline package ----------------------------------------------------------------------


def test_offline_manifest_needs_a_login(client):
    response = client.get("/api/v1/offline-manifest")
    assert response.status_code == 401
    assert response.get_json()["error"] == "not_signed_in"


def test_offline_manifest_holds_everything_the_clients_plan_needs(client, auth, alex, app):
    auth.login_as(alex)
    response = client.get("/api/v1/offline-manifest")
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert set(body) == {"version", "urls"} and isinstance(body["version"], str) and body["version"]
    urls = body["urls"]
    assert len(urls) == len(set(urls))
    for page in ("/", "/history/", "/lessons/", "/exercises/", "/muscles/"):
        assert page in urls
    lessons = client.get("/api/v1/lessons").get_json()["lessons"]
    exercises = client.get("/api/v1/exercises").get_json()["exercises"]
    assert {lesson["url"] for lesson in lessons} <= set(urls)
    assert {exercise["url"] for exercise in exercises} <= set(urls)
    drawn = [e["illustration"] for e in exercises if static_path(e["illustration"]).exists()]
    assert drawn and set(drawn) <= set(urls) and all("?v=" in url for url in drawn)
    routines = client.get("/api/v1/plan").get_json()["routines"]
    assert routines and {f"/routines/{r['id']}/play" for r in routines} <= set(urls)
    shell = {e["url"] for e in precache_of(client) if e["url"].startswith("/static/")}
    assert shell <= {url.split("?")[0] for url in urls}


def test_every_url_of_the_package_answers_200_without_a_redirect(client, auth, alex):
    auth.login_as(alex)
    for url in package(client)["urls"]:
        with client.get(url) as response:
            assert response.status_code == 200, f"{url} answered {response.status_code} {response.location or ''}"


# --- Pages kept as their parts, the shell kept once -------------------------------------------------

# The service worker's fetch for the package; an older worker's asked for no parts.
AS_AN_OLDER_WORKER = {"X-Offline-Package": "1", "Sec-Fetch-Mode": "cors"}
AS_THE_PACKAGE = {**AS_AN_OLDER_WORKER, "X-Page-Parts": "1"}
SHELL_URL = "/offline/shell"
# What static/js/pageshell.js does on the phone, written again here to check the server's side of it.
PLACE = re.compile(r"<!--shell:(\w+)(?: ([\w.]+))?-->")


def assembled(shell: str, part: dict) -> str:
    def fill(found):
        name, endpoint = found.groups()
        if name == "current":
            return 'aria-current="page"' if endpoint == part["endpoint"] else ""
        return part[name]

    return PLACE.sub(fill, shell)


def comparable(html: str) -> str:
    """A page with its CSRF tokens (signed afresh on each request), the fractions of a second of the moments it
    embeds (the suite's clock runs on) and its spacing left out."""
    html = re.sub(r'(name="csrf[-_]token" (?:content|value)=")[^"]+"', r'\1"', html)
    html = re.sub(r"(\d\d:\d\d:\d\d)\.\d+", r"\1", html)
    return re.sub(r"\s+", " ", html).strip()


def test_a_page_fetched_as_the_package_is_its_parts_and_makes_the_same_page_with_the_shell(client, auth, alex, clock):
    # Stopped: the player's page embeds the moment it was drawn, to the second, and on a busy machine the two
    # copies compared below were drawn on either side of one.
    clock.move_to(utcnow(), tick=False)
    auth.login_as(alex)
    urls = package(client)["urls"]
    assert urls[0] == SHELL_URL
    shell_response = client.get(SHELL_URL, headers=AS_THE_PACKAGE)
    assert shell_response.status_code == 200 and shell_response.mimetype == "text/html"
    shell = shell_response.get_data(as_text=True)
    for name in ("title", "description", "stylesheets", "head", "body_class", "main"):
        assert shell.count(f"<!--shell:{name}-->") == 1, name
    pages = [url for url in urls if not url.startswith(("/static/", "/api/", SHELL_URL, "/media/"))]
    assert any(url.endswith("/play") for url in pages) and "/exercises/" in pages and "/lessons/" in pages
    parts = 0
    for url in pages:
        whole = client.get(url)
        assert whole.mimetype == "text/html" and "X-Page-Part" not in whole.headers, url
        kept = client.get(url, headers=AS_THE_PACKAGE)
        assert kept.status_code == 200, url
        if kept.headers.get("X-Page-Part") is None:
            assert url == "/", url  # Today is kept whole: the server keeps the page it drew (home.views)
            assert comparable(kept.get_data(as_text=True)) == comparable(whole.get_data(as_text=True))
            continue
        parts += 1
        assert kept.mimetype == "application/json" and kept.headers["Content-Security-Policy"], url
        part = kept.get_json()
        assert comparable(assembled(shell, part)) == comparable(whole.get_data(as_text=True)), url
    assert parts == len(pages) - 1
    # The player's own stylesheet, module and class come with its part; the current link is marked.
    player = client.get(next(url for url in pages if url.endswith("/play")), headers=AS_THE_PACKAGE).get_json()
    assert player["body_class"] == "page-player" and "player" in player["stylesheets"] + player["head"]
    page = assembled(shell, client.get("/exercises/", headers=AS_THE_PACKAGE).get_json())
    assert page.count('aria-current="page"') == 2 and '<a href="/exercises/" aria-current="page">' in page


def test_a_person_opening_a_page_gets_it_whole_whatever_headers_the_navigation_sends(client, auth, alex):
    auth.login_as(alex)
    navigation = {**AS_THE_PACKAGE, "Sec-Fetch-Mode": "navigate"}
    for headers in ({}, {"Sec-Fetch-Mode": "navigate"}, navigation):
        response = client.get("/lessons/", headers=headers)
        assert response.mimetype == "text/html" and "X-Page-Part" not in response.headers
        assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_a_worker_that_cannot_put_pages_together_gets_them_whole(client, auth, alex):
    # A worker installed before pages came as parts keeps running until the person taps "Reload": the
    # package it fetches meanwhile must still open offline.
    auth.login_as(alex)
    for url in ("/lessons/", "/exercises/", f"/routines/{first_player(client)}/play"):
        response = client.get(url, headers=AS_AN_OLDER_WORKER)
        assert response.status_code == 200 and response.mimetype == "text/html", url
        assert "X-Page-Part" not in response.headers and response.get_data(as_text=True).startswith("<!doctype html>")


def first_player(client) -> int:
    return next(int(url.split("/")[2]) for url in package(client)["urls"] if url.endswith("/play"))


def test_the_shell_and_the_parts_never_take_a_message_meant_for_the_page_the_person_opens(client, auth, alex):
    auth.login_as(alex)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Your password was changed.")]
    for url in (SHELL_URL, "/lessons/", "/exercises/"):
        assert "Your password was changed." not in client.get(url, headers=AS_THE_PACKAGE).get_data(as_text=True)
    assert "Your password was changed." in client.get("/lessons/").get_data(as_text=True)


def test_the_shell_needs_a_login(client):
    response = client.get(SHELL_URL, headers=AS_THE_PACKAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_person_opening_the_shell_is_taken_to_today(client, auth, alex):
    auth.login_as(alex)
    for headers in ({"Sec-Fetch-Mode": "navigate"}, {**AS_THE_PACKAGE, "Sec-Fetch-Mode": "navigate"}):
        response = client.get(SHELL_URL, headers=headers)
        assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_client_not_onboarded_gets_no_page_that_would_redirect(client, auth, users, app):
    with app.app_context():
        make_plan(users["alex"], "gentle-start", start=TODAY)
    auth.login_as(users["alex"])
    urls = package(client)["urls"]
    players = [url for url in urls if url.startswith("/routines/")]
    assert "/" not in urls and players
    assert all(status_of(client, url) == 200 for url in urls if url not in players)
    # Every player is kept, fetched as the package; its copy opens the safety screen first (safety/gate.js).
    for url in players:
        assert client.get(url, headers=AS_AN_OLDER_WORKER).status_code == 200
        assert client.get(url).status_code == 302


def test_the_plan_is_in_the_package_of_a_client_with_a_program_only(client, auth, alex, users, app):
    # Today's page redraws itself from it when its cached copy is opened offline on a later day.
    auth.login_as(alex)
    assert "/api/v1/plan" in package(client)["urls"]
    assert client.get("/api/v1/plan").get_json()["schedule"]
    auth.logout()
    auth.login_as(users["coach"])
    assert "/api/v1/plan" not in package(client)["urls"]
    auth.logout()
    with app.app_context():
        sam = make_user("sam@example.com")
        onboard(sam, plan=None)
    auth.login_as(sam)
    assert "/api/v1/plan" not in package(client)["urls"]


def test_version_moves_with_the_clients_training_days(client, auth, alex, app):
    # The plan's schedule follows the days the client chose, so the copy on the phone must be replaced.
    auth.login_as(alex)
    first = package(client)["version"]
    with app.app_context():
        assignment = db.session.execute(db.select(Assignment).filter_by(is_active=True)).scalar_one()
        assignment.days = "tue,thu,sat"
        db.session.commit()
    assert package(client)["version"] != first


def test_a_trainer_gets_the_lessons_and_the_library(client, auth, users):
    auth.login_as(users["coach"])
    urls = package(client)["urls"]
    assert "/lessons/" in urls and "/exercises/" in urls
    assert "/history/" not in urls and not any(url.startswith("/routines/") for url in urls)
    assert all(status_of(client, url) == 200 for url in urls)


def test_version_is_stable_and_moves_with_the_plan(client, auth, alex, app, users):
    auth.login_as(alex)
    first = package(client)["version"]
    assert package(client)["version"] == first
    with app.app_context():
        other = make_user("sam@example.com")
        onboard(other)
    # Another user has another package.
    auth.logout()
    auth.login_as(other)
    assert package(client)["version"] != first
    auth.logout()
    auth.login_as(alex)
    with app.app_context():
        # Read afresh: the fixture's copy holds the login token from before the logout above.
        make_plan(db.session.get(User, alex.id), "gentle-start", start=TODAY, by=users["coach"])
    assert package(client)["version"] != first


def test_version_moves_with_the_content_and_the_static_files(client, auth, alex, app, tmp_path):
    auth.login_as(alex)
    first = package(client)["version"]
    with app.app_context():
        db.session.get(ContentMeta, "version").value = "a-newer-content-version"
        db.session.commit()
    after_content = package(client)["version"]
    assert after_content != first
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    app.static_folder = str(copy)
    try:
        (copy / "img" / "nav.svg").write_text((copy / "img" / "nav.svg").read_text() + "\n<!-- a deploy -->\n")
        assets.forget_revisions()
        assert package(client)["version"] != after_content
    finally:
        assets.forget_revisions()
