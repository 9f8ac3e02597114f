"""`make bench`, bytes on the wire: a first visit of Today in Chromium, and what a second visit asks the server.

Same run, same page, two browsers: one that refuses compression (`Accept-Encoding: identity`, as every visit was
before WhiteNoise and the gzip hook) and one that takes gzip as Chromium normally does. Bodies are counted as
encoded on the wire (Playwright's request sizes). The worker is blocked so that only the page's own files count
(the offline package is measured on its own). Prints figures, asserts nothing.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from webapp import create_app
from webapp.bundle import load_content
from webapp.demo import DEMO_PASSWORD, seed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
EMAIL = "alex@example.com"


class Counter:
    """WSGI middleware counting the requests that reach the server."""

    def __init__(self, app):
        self.app, self.count = app, 0

    def __call__(self, environ, start_response):
        self.count += 1
        return self.app(environ, start_response)


def visit(browser, base: str, state: dict, headers: dict, counter: Counter) -> tuple[int, int, int, int, int]:
    """(bytes, responses) of a first visit of Today, then (requests reaching the server, bytes) on a second one,
    then the bytes of the page and its stylesheets (what must arrive before the first paint)."""
    context = browser.new_context(storage_state=state, service_workers="block", extra_http_headers=headers)
    page = context.new_page()
    seen = []
    page.on("requestfinished", lambda request: seen.append(request))
    page.goto(base + "/", wait_until="networkidle")
    first = [(r.url, r.sizes()["responseBodySize"]) for r in seen]
    critical = sum(size for url, size in first if url.rstrip("/") == base or url.split("?")[0].endswith(".css"))
    seen.clear()
    # A later visit: files kept `immutable` never reach the server; `no-cache` ones come back as 304s.
    counter.count = 0
    page.goto(base + "/", wait_until="networkidle")
    reached = counter.count
    again = sum(max(0, r.sizes()["responseBodySize"]) for r in seen)
    context.close()
    return sum(size for _, size in first), len(first), reached, again, critical


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'wire.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "CONTENT_AUTO_RELOAD": False,
                          "RATELIMIT_ENABLED": False})  # fmt: skip
        with app.app_context():
            upgrade()
            load_content()
            seed()
        counter = Counter(app)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, counter, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
                login = browser.new_context(service_workers="block")
                page = login.new_page()
                page.goto(base + "/auth/login")
                page.fill("input[name=email]", EMAIL)
                page.fill("input[name=password]", DEMO_PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(lambda u: "/auth/login" not in u)
                state = login.storage_state()
                login.close()
                plain = visit(browser, base, state, {"Accept-Encoding": "identity"}, counter)
                packed = visit(browser, base, state, {}, counter)
                browser.close()
            package = offline_package_bytes(app)
        finally:
            server.shutdown()
            server.server_close()
            with app.app_context():
                from webapp.extensions import db

                db.engine.dispose()
    print("First visit of Today (Chromium, worker blocked), bytes of bodies on the wire:")
    print(f"  uncompressed  {plain[0] / 1024:6.1f} KB in {plain[1]} responses")
    print(f"  gzip          {packed[0] / 1024:6.1f} KB in {packed[1]} responses   "
          f"ratio {packed[0] / plain[0]:.2f} (target: 60 KB or less)")  # fmt: skip
    print(f"  the page and its CSS: {plain[4] / 1024:.1f} KB uncompressed, {packed[4] / 1024:.1f} KB gzip "
          "(target: 14 KB or less, the first round trips)")  # fmt: skip
    print(f"  second visit: {packed[2]} of {packed[1]} requests reached the server "
          f"({packed[3] / 1024:.1f} KB of bodies); files kept immutable are not asked for again")  # fmt: skip

    print("The offline package of the demo client (every URL, as the phone downloads it), bodies on the wire:")
    for encoding, (count, total, shell) in package.items():
        print(f"  {encoding:22} {total / 1024:6.1f} KB in {count} URLs; {(total - shell) / 1024:6.1f} KB beyond the "
              "app shell the worker has precached (target: 500 KB or less)")  # fmt: skip


def offline_package_bytes(app) -> dict[str, tuple[int, int, int]]:
    """{Accept-Encoding: (URLs, bytes of all bodies, bytes of the shell files among them)} for the demo client.

    The shell files (scripts, the stylesheet, icons) are in the worker's precache already; the package takes
    its copies from there rather than download them again, so the figure that counts is the rest.
    """
    http = app.test_client()
    form = http.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    http.post("/auth/login", data={"email": EMAIL, "password": DEMO_PASSWORD, "csrf_token": token})
    urls = http.get("/api/v1/offline-manifest").get_json()["urls"]
    with app.test_request_context():
        from webapp.pwa.services import shell_files

        shell = {f"/static/{name}" for name in shell_files()}
    figures = {}
    # Sent as the service worker sends them: a page comes as its parts, the shell around them once.
    package = {"X-Offline-Package": "1", "X-Page-Parts": "1", "Sec-Fetch-Mode": "cors"}
    for encoding in ("identity", "gzip, deflate", "gzip, deflate, br"):
        sizes = {url: len(http.get(url, headers={**package, "Accept-Encoding": encoding}).get_data()) for url in urls}
        in_shell = sum(size for url, size in sizes.items() if url.split("?")[0] in shell)
        figures[encoding] = (len(urls), sum(sizes.values()), in_shell)
    return figures


if __name__ == "__main__":
    main()
