"""Static files kept as long as their URL allows, and every text answer gzipped for browsers that take it."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import time
from pathlib import Path

import brotli
import pytest

from webapp import assets

STATIC = Path(__file__).resolve().parents[1] / "static"
GZIP = {"Accept-Encoding": "gzip, deflate"}  # Chromium over plain HTTP
BROTLI = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # Chromium over HTTPS
YEAR = "public, max-age=31536000, immutable"


def versioned(app, name: str) -> str:
    with app.test_request_context():
        return assets.asset_url(name)


def fetch(client, url: str, **headers):
    with client.get(url, headers=headers) as response:
        return response.status_code, response.headers, response.get_data()


def test_a_versioned_static_url_is_kept_for_a_year(client, app):
    url = versioned(app, "css/app.css")
    assert "?v=" in url
    status, headers, _ = fetch(client, url)
    assert status == 200
    assert headers["Cache-Control"] == YEAR


def test_an_unversioned_or_stale_url_is_revalidated_by_its_etag(client, app):
    status, headers, body = fetch(client, "/static/css/app.css")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert body == served_bytes(app, "css/app.css")
    status, again, _ = fetch(client, "/static/css/app.css", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and again["Cache-Control"] == "no-cache"
    # An old page asking for an old revision gets today's bytes: they must not be kept under that name.
    status, stale, _ = fetch(client, "/static/css/app.css?v=000000000000")
    assert status == 200 and stale["Cache-Control"] == "no-cache"


def served_bytes(app, name: str) -> bytes:
    """The file as served: a module's imports name their revisions, a stylesheet goes without its comments
    (webapp/assets.py), the rest as it is."""
    original = (STATIC / name).read_bytes()
    if name.endswith(".css"):
        return assets.css_without_comments(original.decode()).encode()
    if not name.endswith(".js"):
        return original
    with app.test_request_context():
        return assets.versioned_imports(name, original.decode(), assets.static_revisions()).encode()


def test_static_text_is_served_gzipped_and_unpacks_to_the_file(client, app):
    for name in ("css/app.css", "js/today.js", "img/nav.svg"):
        status, headers, body = fetch(client, versioned(app, name), **GZIP)
        assert status == 200
        assert headers["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in headers["Vary"]
        original = served_bytes(app, name)
        assert gzip.decompress(body) == original
        assert len(body) < len(original) / 2, name
    # A PNG is compressed already and goes as it is.
    _, headers, _ = fetch(client, versioned(app, "icons/icon-192.png"), **GZIP)
    assert "Content-Encoding" not in headers


def test_browsers_that_take_brotli_get_it_smaller_than_gzip(client, app):
    for name in ("css/app.css", "js/player.js"):
        _, headers, packed = fetch(client, versioned(app, name), **BROTLI)
        _, _, zipped = fetch(client, versioned(app, name), **GZIP)
        assert headers["Content-Encoding"] == "br", name
        assert brotli.decompress(packed) == served_bytes(app, name)
        assert len(packed) < len(zipped) * 0.9, f"{name}: brotli {len(packed)} B, gzip {len(zipped)} B"


def test_stylesheets_go_without_their_comments_and_nothing_else_changes(client, app):
    """The comments say why a rule is there, for whoever reads the source; a browser needs none of them, and they
    were a fifth of app.css's gzipped bytes in the first round trips. Strings that hold "/*" stay as they are."""
    declaration = re.compile(r"[\w-]+\s*:[^;{}]+;")
    for name in ("css/app.css", "css/dark.css", "css/player.css"):
        _, _, body = fetch(client, versioned(app, name))
        served, source = body.decode(), (STATIC / name).read_text()
        assert "/*" not in served and "*/" not in served and len(served) < len(source), name
        # Every declaration is still there, in order (none of our sheets holds "/*" in a string).
        assert declaration.findall(served) == declaration.findall(re.sub(r"/\*.*?\*/", "", source, flags=re.S))


@pytest.mark.parametrize(
    ("source", "served"),
    [
        ("a { color: red; } /* why */\n", "a { color: red; } \n"),
        ("/* a note\n   on two lines */\n.b { margin: 0; }\n", ".b { margin: 0; }\n"),
        ('.c::before { content: "/* not a comment */"; }\n', '.c::before { content: "/* not a comment */"; }\n'),
        (".d::after { content: 'it\\'s /* kept */'; }\n", ".d::after { content: 'it\\'s /* kept */'; }\n"),
        (".e { top: 0; } /* never closed\n.f { top: 1px; }\n", ".e { top: 0; } "),
    ],
    ids=["after-a-rule", "on-its-own-lines", "in-double-quotes", "in-single-quotes-with-an-escape", "unclosed"],
)
def test_what_taking_comments_out_of_a_stylesheet_keeps(source, served):
    assert assets.css_without_comments(source) == served


def test_no_comment_in_our_sheets_stands_between_two_parts_of_one_token():
    """Taking a comment out joins what stood either side of it: safe only where whitespace, a brace or a semicolon
    stands there (css_without_comments relies on it). A comment written inside a selector would break this."""
    for sheet in sorted((STATIC / "css").glob("*.css")):
        text = sheet.read_text()
        for comment in re.finditer(r"/\*.*?\*/", text, re.S):
            before = text[comment.start() - 1] if comment.start() else "\n"
            after = text[comment.end()] if comment.end() < len(text) else "\n"
            assert before in " \t\n{};" and after in " \t\n{}", f"{sheet.name}: {comment[0][:40]!r}"


def test_a_module_names_each_import_by_its_revision_so_none_is_asked_for_again(client, app):
    with app.test_request_context():
        revisions = assets.static_revisions()
    _, _, body = fetch(client, versioned(app, "js/app.js"))
    source = body.decode()
    assert f'from "./sync.js?v={revisions["js/sync.js"]}"' in source
    assert f'from "./offline.js?v={revisions["js/offline.js"]}"' in source
    assert './log.js"' not in source and 'from "./sync.js"' not in source
    # Each of those URLs is the current revision, so it too is kept for a year.
    for specifier in re.findall(r'"\./([\w/]+\.js\?v=[0-9a-f]{12})"', source):
        status, imported, _ = fetch(client, f"/static/js/{specifier}")
        assert status == 200 and imported["Cache-Control"] == YEAR, specifier
    # A module two levels down is versioned in its importer too (player.js -> player/engine.js -> ...).
    _, _, player = fetch(client, versioned(app, "js/player.js"))
    assert f'"./player/engine.js?v={revisions["js/player/engine.js"]}"' in player.decode()


def test_a_changed_module_changes_the_revision_of_every_module_that_reaches_it(tmp_path):
    copy = tmp_path / "static"
    shutil.copytree(STATIC, copy)
    before = assets.revisions_of(copy)
    with (copy / "js" / "log.js").open("a") as module:
        module.write("\n// a deploy\n")
    after = assets.revisions_of(copy)
    changed = {name for name in before if before[name] != after[name]}
    assert {"js/log.js", "js/app.js", "js/player.js", "js/sync.js", "js/player/figure.js"} <= changed
    assert "css/app.css" not in changed and "js/kinds.js" not in changed
    assert not any(name.endswith((".png", ".svg", ".css")) for name in changed)


def test_the_worker_imports_the_pages_modules_by_revision(client, app):
    with app.test_request_context():
        revisions = assets.static_revisions()
    source = client.get("/sw.js").get_data(as_text=True)
    assert f'from "/static/js/drain.js?v={revisions["js/drain.js"]}"' in source


def test_a_new_build_of_the_static_files_clears_copies_older_than_a_day(tmp_path):
    from webapp.static_files import OLD_BUILD_SECONDS, build

    builds = tmp_path / "static-build"
    old, recent = builds / "0000000000000000", builds / "1111111111111111"
    for folder in (old, recent):
        (folder / "css").mkdir(parents=True)
    # Both times set from this process's clock, which may be faked (.ci/run), unlike the disk's.
    now = time.time()
    os.utime(recent, (now, now))
    os.utime(old, (now - OLD_BUILD_SECONDS - 60, now - OLD_BUILD_SECONDS - 60))
    current = build(STATIC, builds, assets.revisions_of(STATIC))
    assert current.is_dir() and (current / "css" / "app.css.br").is_file()
    assert not old.exists(), "a copy made more than a day before is gone"
    assert recent.is_dir(), "a recent copy stays for processes that still serve it"


def test_a_change_to_how_the_copy_is_made_makes_a_new_copy(tmp_path, monkeypatch):
    """The same files, built by other code (a deploy that changes what the build does to them): a new folder, never
    the copy made the old way."""
    from webapp import static_files

    revisions = assets.revisions_of(STATIC)
    before = static_files.build(STATIC, tmp_path, revisions)
    assert static_files.build(STATIC, tmp_path, revisions) == before
    monkeypatch.setattr(static_files, "BUILD_CODE", "made another way")
    after = static_files.build(STATIC, tmp_path, revisions)
    assert after != before and (after / "css" / "app.css").is_file()


def test_static_files_keep_the_security_headers(client):
    _, svg, _ = fetch(client, "/static/img/nav.svg")
    assert "sandbox" in svg["Content-Security-Policy"] and "script" not in svg["Content-Security-Policy"]
    _, css, _ = fetch(client, "/static/css/app.css")
    assert "script-src 'self'" in css["Content-Security-Policy"]
    assert css["X-Content-Type-Options"] == "nosniff"


def test_pages_are_gzipped_only_for_browsers_that_take_it(client):
    plain = client.get("/auth/login")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    packed = client.get("/auth/login", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    unpacked = gzip.decompress(packed.get_data()).decode()
    # The same page, bar its per-request CSRF token.
    token = re.compile(r'(?:value|content)="[^"]{40,}"')
    assert token.sub("", unpacked) == token.sub("", plain.get_data(as_text=True))
    assert "unsafe-inline" not in packed.headers["Content-Security-Policy"]


def test_pages_go_as_brotli_to_browsers_that_take_it_and_unpack_to_the_same_page(client):
    plain = client.get("/auth/login")
    packed = client.get("/auth/login", headers=BROTLI)
    zipped = client.get("/auth/login", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "br"
    token = re.compile(r'(?:value|content)="[^"]{40,}"')
    page = brotli.decompress(packed.get_data()).decode()
    assert token.sub("", page) == token.sub("", plain.get_data(as_text=True))
    assert len(packed.get_data()) < len(zipped.get_data())


def test_the_worker_script_stays_uncached_and_revalidates_when_gzipped(client):
    first = client.get("/sw.js", headers=GZIP)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["Content-Encoding"] == "gzip"
    assert first.headers["ETag"].startswith('W/"')
    assert b'"revision"' in gzip.decompress(first.get_data())
    again = client.get("/sw.js", headers={**GZIP, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    plain = client.get("/sw.js", headers={"If-None-Match": first.headers["ETag"]})
    assert plain.status_code == 304


def test_small_and_binary_answers_are_left_alone(client):
    response = client.get("/healthz", headers=GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
