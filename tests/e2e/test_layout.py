"""No page scrolls sideways on a narrow phone, for either role, with long names and long unbroken words."""

from __future__ import annotations

from datetime import timedelta
from time import monotonic

import pytest

from webapp.extensions import db
from webapp.programs.services import assign, starter_program
from webapp.timeutil import utcnow

from ..factories import make_user, session_payload
from .conftest import PHONE, TEST_ZONE, login, screenshot

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only

# 80 characters, and a word no line can break on its own.
LONG_NAME = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh Cholmondeley-N"
assert len(LONG_NAME) == 80

CLIENT_PAGES = ["/", "/lessons/", "/lessons/red-flags", "/exercises/", "/exercises/bird-dog", "/history/",
                "/account/", "/safety/", "/messages/"]  # fmt: skip
TRAINER_PAGES = ["/trainer/", "/trainer/clients/{client}", "/trainer/programs/", "/trainer/programs/new",
                 "/trainer/exercises/", "/trainer/invites", "/account/"]  # fmt: skip
WIDTHS = [320, 360, 390]


@pytest.fixture
def people(app):
    """A trainer and a client, both with long names; the client onboarded, with a program and a session."""
    from webapp.sessions import screens
    from webapp.sessions import services as records
    from webapp.sessions.sync import store_batch

    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name=LONG_NAME)
        client = db.session.merge(make_user("long@example.com", name=LONG_NAME, trainer=coach))
        screens.record_screen(client, [])
        records.record_about(client, 4, [(LONG_NAME, 3)], [], "")
        records.finish_onboarding(client)
        assignment = assign(client, starter_program("gentle-start"), (utcnow() - timedelta(days=3)).date(), by=coach)
        routine = assignment.program.weeks[0].routines[0].id
        store_batch(client, [session_payload(routine, ended=utcnow() - timedelta(days=1), notes=LONG_NAME)])
        # Both sides of the thread, each with a word no line can break on its own.
        from webapp.messages.services import Thread, write

        write(Thread(client, coach), "trainer", coach, LONG_NAME)
        write(Thread(client, coach), "client", client, LONG_NAME)
        return {"client": client.id}


def overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def widest(page) -> str:
    """The element that sticks out furthest, to name in a failure."""
    return page.evaluate(
        """() => {
            let worst = null, right = window.innerWidth;
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.width && box.right > right + 0.5) { right = box.right; worst = el; }
            }
            return worst ? `${worst.tagName.toLowerCase()}.${worst.className} (${Math.round(right)}px)` : 'none';
        }"""
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ["client", "trainer"])
def test_no_page_scrolls_sideways_with_long_names(live_server, browser, people, role, width):
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE
    )
    try:
        page = context.new_page()
        login(page, live_server.url, "long@example.com" if role == "client" else "coach@example.com")
        pages = CLIENT_PAGES if role == "client" else [p.format(**people) for p in TRAINER_PAGES]
        wide = {}
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response.ok, (path, response.status)
            if overflow(page) > 0:
                wide[path] = f"{overflow(page)}px wider, {widest(page)}"
        assert wide == {}, f"at {width}px: {wide}"
    finally:
        context.close()


@pytest.fixture
def month_of_sessions(app, people):
    """Fourteen sessions four days apart for the long-named client, over eight weeks: the pain chart has a date
    under every few points, and the weekly bars (eight weeks at most) one under every other bar."""
    from webapp.auth.models import User
    from webapp.programs.services import active_assignment
    from webapp.sessions.sync import store_batch

    with app.app_context():
        client = db.session.get(User, people["client"])
        routine = active_assignment(client).program.weeks[0].routines[0].id
        ends = [utcnow() - timedelta(days=days, hours=2) for days in range(2, 58, 4)]
        store_batch(client, [session_payload(routine, ended=end) for end in ends])
    return people


def axis_gaps(page) -> list[tuple[str, str, float]]:
    """Each pair of neighbouring dates under a chart, and the room between them on the screen (px)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg .chart-axis')].flatMap((axis) => {
            const boxes = [...axis.querySelectorAll('text')].map((t) => [t.textContent, t.getBoundingClientRect()]);
            boxes.sort((a, b) => a[1].left - b[1].left);
            return boxes.slice(1).map(([name, box], i) => [boxes[i][0], name, box.left - boxes[i][1].right]);
        })"""
    )


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("role", ["client", "trainer"])
def test_the_dates_under_a_chart_never_run_into_each_other(live_server, browser, month_of_sessions, role, width):
    """The pain chart over fourteen sessions and the bars of eight weeks, in History and on the trainer's page of
    the client: each date under a chart stands apart from the next ("13 Nov18 Nov" once read as one word at phone
    width)."""
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, timezone_id=TEST_ZONE)
    try:
        page = context.new_page()
        login(page, live_server.url, "long@example.com" if role == "client" else "coach@example.com")
        path = "/history/" if role == "client" else "/trainer/clients/{client}".format(**month_of_sessions)
        page.goto(live_server.url + path)
        gaps = axis_gaps(page)
        assert len(gaps) >= 3, gaps  # several dates under the charts, so there is something to judge
        close = [(left, right, round(gap, 1)) for left, right, gap in gaps if gap < 6]
        assert close == [], f"at {width}px, dates closer than 6px: {close}"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_onboarding_fits_and_its_day_picker_is_easy_to_tap(live_server, browser, app, width):
    from webapp.sessions import screens

    with app.app_context():
        screens.record_screen(db.session.merge(make_user("new@example.com", name=LONG_NAME)), [])
    context = browser.new_context(
        viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE
    )
    try:
        page = context.new_page()
        login(page, live_server.url, "new@example.com")
        for path in ("/safety/", *(f"/welcome/about?part={part}" for part in range(1, 5))):
            page.goto(live_server.url + path)
            assert overflow(page) <= 0, f"{path} at {width}px: {overflow(page)}px wider, {widest(page)}"
        assert page.url.endswith("/welcome/about?part=4")
        for day in ("Monday", "Thursday", "Sunday"):
            box = page.get_by_role("checkbox", name=day, exact=True).locator("xpath=..").bounding_box()
            # Each day is a target of at least 44 x 44 px, inside the screen.
            assert box["width"] >= 44 and box["height"] >= 44, (day, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (day, box)
        page.get_by_role("checkbox", name="Thursday", exact=True).locator("xpath=..").click()
        assert page.get_by_role("checkbox", name="Thursday", exact=True).is_checked()
        assert not page.get_by_role("checkbox", name="Wednesday", exact=True).is_checked()
        assert not page.get_by_role("checkbox", name="Friday", exact=True).is_checked()
        page.get_by_role("checkbox", name="Thursday", exact=True).scroll_into_view_if_needed()
        screenshot(page, f"onboarding-days-{width}")
    finally:
        context.close()


# Sums every layout shift the page has had (the browser's own measure, as Lighthouse reads it).
LAYOUT_SHIFT = """
() => new Promise((done) => {
  let total = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({ type: "layout-shift", buffered: true });
  requestAnimationFrame(() => requestAnimationFrame(() => done(total)));
})
"""
# The browser offering to install the app, as Chromium does some time after a page has loaded.
OFFER_INSTALL = "window.dispatchEvent(new Event('beforeinstallprompt'))"


def settled_shift(page, seconds: float = 20) -> float:
    """The page's layout shift once it has stopped growing for half a second. Not "network idle": after a login
    the offline package downloads in the background, which on a busy machine can outlast any fixed wait."""
    page.wait_for_load_state("load")
    deadline = monotonic() + seconds
    last = page.evaluate(LAYOUT_SHIFT)
    while monotonic() < deadline:
        page.wait_for_timeout(500)
        now = page.evaluate(LAYOUT_SHIFT)
        if now == last:
            return now
        last = now
    return last


@pytest.mark.parametrize("path", ["/", "/exercises/", "/lessons/"])
def test_the_install_offer_moves_nothing_on_the_page(live_server, page, people, path):
    login(page, live_server.url, "long@example.com")
    page.goto(live_server.url + path)
    before = settled_shift(page)
    page.evaluate(OFFER_INSTALL)
    card = page.locator("[data-install]")
    card.wait_for(state="visible")
    assert page.evaluate(LAYOUT_SHIFT) - before <= 0.001
    # It floats above the tab bar, covering none of it, and "Not now" puts it away.
    tabs, offer = page.locator(".tab-bar").bounding_box(), card.bounding_box()
    assert offer["y"] + offer["height"] <= tabs["y"]
    card.get_by_role("button", name="Not now").click()
    assert card.is_hidden()


# Lighthouse's mobile preset, applied through the DevTools protocol: slow 4G (150 ms round trips, 1.6 Mbps down,
# 750 kbps up) and a CPU four times slower, on a 390 x 844 phone.
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1638.4 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
# Each shift not caused by input, with what moved, to name in a failure.
SHIFTS = """
() => new Promise((done) => {
  const found = [];
  const name = (node) => (node && node.nodeType === 1
    ? [node.tagName.toLowerCase(), ...node.classList].join('.') : String(node && node.nodeName));
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      const moved = (entry.sources || []).map(
        (s) => `${name(s.node)} y ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`);
      found.push(`${entry.value.toFixed(4)} at ${Math.round(entry.startTime)} ms: ${moved.join(', ')}`);
    }
  }).observe({ type: "layout-shift", buffered: true });
  requestAnimationFrame(() => requestAnimationFrame(() => done(found)));
})
"""


def test_today_the_library_and_the_player_keep_still_while_loading_on_a_slow_phone(live_server, browser, people):
    """Layout shift as Lighthouse measures it on a phone, on a first visit (no service worker yet, nothing cached),
    at most 0.02 on each page: content arriving late, fonts, pictures and scripts move nothing already shown."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1.75, is_mobile=True, has_touch=True, timezone_id=TEST_ZONE
    )  # fmt: skip
    try:
        page = context.new_page()
        login(page, live_server.url, "long@example.com")
        routine = page.request.get(live_server.url + "/api/v1/plan").json()["routines"][0]["id"]
        devtools = context.new_cdp_session(page)
        devtools.send("Network.enable")
        devtools.send("Network.setCacheDisabled", {"cacheDisabled": True})
        devtools.send("Network.emulateNetworkConditions", SLOW_4G)
        devtools.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        shifts = {}
        for path in ("/", "/exercises/", f"/routines/{routine}/play"):
            # "load", then settled: waiting for the network to go quiet let background work (the offline
            # package, housekeeping after load) outlast the 30 s timeout on a busy machine.
            page.goto(live_server.url + path, wait_until="load", timeout=60_000)
            shift = settled_shift(page)
            if shift > 0.02:
                shifts[path] = f"{shift:.3f}: " + " | ".join(page.evaluate(SHIFTS))
        assert shifts == {}
    finally:
        context.close()
