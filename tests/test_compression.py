"""Static files kept as long as their URL allows, and every text answer gzipped for browsers that take it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from webapp import assets

STATIC = Path(__file__).resolve().parents[1] / "static"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
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
    assert body == (STATIC / "css/app.css").read_bytes()
    status, again, _ = fetch(client, "/static/css/app.css", **{"If-None-Match": headers["ETag"]})
    assert status == 304 and again["Cache-Control"] == "no-cache"
    # An old page asking for an old revision gets today's bytes: they must not be kept under that name.
    status, stale, _ = fetch(client, "/static/css/app.css?v=000000000000")
    assert status == 200 and stale["Cache-Control"] == "no-cache"


def test_static_text_is_served_gzipped_and_unpacks_to_the_file(client, app):
    for name in ("css/app.css", "js/app.js", "img/nav.svg"):
        status, headers, body = fetch(client, versioned(app, name), **GZIP)
        assert status == 200
        assert headers["Content-Encoding"] == "gzip", name
        assert "Accept-Encoding" in headers["Vary"]
        original = (STATIC / name).read_bytes()
        assert gzip.decompress(body) == original
        assert len(body) < len(original) / 2, name
    # A PNG is compressed already and goes as it is.
    _, headers, _ = fetch(client, versioned(app, "icons/icon-192.png"), **GZIP)
    assert "Content-Encoding" not in headers


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
    token = re.compile(r'value="[^"]{40,}"')
    assert token.sub("", unpacked) == token.sub("", plain.get_data(as_text=True))
    assert "unsafe-inline" not in packed.headers["Content-Security-Policy"]


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
