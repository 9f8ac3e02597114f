"""Real Chromium (Debian's build, driven by Playwright) against the app served on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import ThreadedWSGIServer

from webapp.extensions import db
from webapp.programs.services import assign, starter_program
from webapp.timeutil import local_date, utcnow

from ..clock import TEST_ZONE
from ..factories import DEFAULT_PASSWORD, make_user

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# CI runs on two cores with a database beside it: give a condition time to come true before failing.
expect.set_options(timeout=15_000)


# tryfirst: xdist's worker reads the group marks in this same hook to name each test's group; a mark
# added after it has run leaves the browser tests spread over every worker.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # Under xdist (make test), one worker takes every browser test, one after another: one
            # Chromium at a time, while the other workers run the rest.
            item.add_marker(pytest.mark.xdist_group("browser"))


class _DrainingServer(ThreadedWSGIServer):
    """Werkzeug's threaded server, remembering each connection so that stopping can wait for it.

    Its request threads are daemons that server_close() does not wait for: a request still running
    when a test ends would go on using the database while the next test empties it.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections: list[tuple[threading.Thread, socket.socket]] = []
        self.connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        thread = threading.Thread(target=self.process_request_thread, args=(request, client_address), daemon=True)
        with self.connections_lock:
            self.connections = [(t, s) for t, s in self.connections if t.is_alive()]
            self.connections.append((thread, request))
        thread.start()

    def drain(self, timeout: float = 15) -> None:
        """End idle keep-alive connections and wait for requests in flight to finish."""
        with self.connections_lock:
            connections = list(self.connections)
        for _thread, connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RD)
        deadline = time.monotonic() + timeout
        for thread, _connection in connections:
            thread.join(max(0.0, deadline - time.monotonic()))
        still_running = [t.name for t, _ in connections if t.is_alive()]
        assert not still_running, f"requests still running after {timeout} s: {still_running}"


class LiveServer:
    """The app on a free port in a thread; stop() and start() again to play a server outage."""

    def __init__(self, app):
        self.app = app
        self.server = None
        self.thread = None
        self.port = 0

    def start(self):
        self.server = _DrainingServer("127.0.0.1", self.port, self.app)
        self.port = self.server.server_port
        # Stopping waits for the loop's next look at the flag: every 0.05 s instead of 0.5 s after each test.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def stop(self):
        """Stop listening, then let every request already received finish before returning."""
        if self.server is not None:
            self.server.shutdown()
            self.thread.join(timeout=10)
            self.server.drain()
            self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


# A browser without service workers, as some still are: the app then works online only and never downloads its
# offline package.
WITHOUT_SERVICE_WORKERS = "delete Navigator.prototype.serviceWorker"


@pytest.fixture(autouse=True)
def _online_only(request, monkeypatch):
    """Every browser profile a test marked `online_only` opens has no service workers.

    A service worker installed after a login downloads the whole offline package (about 130 files, most of them
    pages the server renders): in a test about the builder or the layout that is half of all it costs, and
    nothing it checks. The tests of offline use, the outbox, the worker and push keep it.
    """
    if request.node.get_closest_marker("online_only") is None:
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def without_service_workers(**options):
        context = new_context(**options)
        context.add_init_script(WITHOUT_SERVICE_WORKERS)
        return context

    monkeypatch.setattr(browser, "new_context", without_service_workers)


@pytest.fixture
def context(browser, _online_only):
    """A phone-sized browser profile of its own, in the test user's zone whatever the machine's; pages
    report console errors and CSP violations."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE
    )
    context.console_errors = []

    def watch(page):
        page.on("console", lambda m: m.type == "error" and context.console_errors.append(m.text))
        page.on("pageerror", lambda e: context.console_errors.append(str(e)))

    context.on("page", watch)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(autouse=True)
def _midday_before_anything_else(request):
    """As with the clock fixture: set it before other fixtures log in or write."""
    if "midday" in request.fixturenames:
        request.getfixturevalue("midday")


@pytest.fixture
def midday(context):
    """Noon of this day in London, for the app and for every page of the context, ticking on from there:
    a test that counts on "today" never sees the day turn under it, whenever it runs.

    Noon of the real day rather than a fixed date: the service worker and the cookie store keep the
    browser's real clock, and stay within hours of this one. So only the day depends on the machine,
    and the tests that use this work on any day of the week.
    """
    moment = datetime.combine(local_date(utcnow(), TEST_ZONE), clock_time(12, 0), ZoneInfo(TEST_ZONE))
    with time_machine.travel(moment, tick=True):
        context.clock.install(time=moment)
        yield moment


@pytest.fixture
def alex(app):
    """An onboarded client with a trainer, following the gentle start program that began a few days ago."""
    from webapp.sessions import screens
    from webapp.sessions import services as records

    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        client = db.session.merge(make_user("alex@example.com", name="Alex Morgan", trainer=coach))
        screens.record_screen(client, [])
        records.record_about(client, 4, [], [], "")
        records.finish_onboarding(client)
        assign(client, starter_program("gentle-start"), (utcnow() - timedelta(days=2)).date(), by=coach)
        db.session.refresh(client)
        db.session.expunge(client)
        return client


def login(page, base_url: str, email: str = "alex@example.com", password: str = DEFAULT_PASSWORD):
    page.goto(f"{base_url}/auth/login")
    page.fill('input[name="email"]', email)
    page.fill('input[name="password"]', password)
    page.click('button[type="submit"]')
    page.wait_for_url(lambda url: "/auth/login" not in url)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
