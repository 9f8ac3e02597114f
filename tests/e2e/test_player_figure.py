"""The exercise figure in the player moves with the count; on its own it loops, and it holds still for
a viewer who asked for reduced motion."""

from __future__ import annotations

from datetime import datetime

import pytest

from .conftest import PHONE, screenshot
from .test_player import alex, open_player, player_data, screen, shown, start  # noqa: F401 (fixture)

# Nothing here is about offline use: a browser without service workers (conftest.py).
pytestmark = pytest.mark.online_only

FIGURE = "[data-figure] svg"
TIME = f"document.querySelector('{FIGURE}')?.getCurrentTime() ?? null"


def figure_time(page) -> float | None:
    return page.evaluate(TIME)


def timing(page) -> dict:
    return page.evaluate(
        f"""() => {{
          const svg = document.querySelector('{FIGURE}');
          return {{ dur: Number(svg.dataset.dur), phases: (svg.dataset.phases || '').split(' ').map(Number) }};
        }}"""
    )


def breathing(page) -> bool:
    return page.evaluate("document.querySelector('[data-figure]').hasAttribute('data-breathing')")


def freeze(page):
    """From here the page's time moves only when the test moves it, however slow this machine is.
    (A frozen page never looks stable to Playwright, so buttons are then pressed with dispatch_event.)"""
    page.clock.pause_at(datetime.fromtimestamp(page.evaluate("Date.now()") / 1000 + 5))


def press(page, name: str):
    page.get_by_role("button", name=name, exact=True).dispatch_event("click")


def test_the_figure_moves_in_time_with_the_count(live_server, context, page, alex):  # noqa: F811
    open_player(page, live_server.url)
    exercises = player_data(page)["exercises"]
    kinds = [e["kind"] for e in exercises[:3]]
    assert kinds == ["reps", "reps", "hold"], "the gentle start opens with two exercises in repetitions, then a hold"
    freeze(page)
    page.locator('input[name="pain_before"][value="3"]').dispatch_event("click")
    press(page, "Start")
    page.locator(FIGURE).wait_for(state="attached")
    svg = page.locator(FIGURE)
    assert svg.get_attribute("role") == "img"
    assert page.locator(f"{FIGURE} title").text_content() == exercises[0]["name"]
    assert page.locator(f"{FIGURE} style").count() == 0, "the page's policy forbids inline styles"
    assert page.locator("[data-figure] img").is_hidden()

    # Getting ready for repetitions: the figure waits in the start position.
    page.clock.run_for(4_000)
    assert shown(page, "[data-phase-label]") == "Get ready"
    assert figure_time(page) == 0
    # One loop of the figure is one repetition, so it moves exactly as fast as the count.
    rep_ms = exercises[0]["rep_seconds"] * 1000
    loop = timing(page)["dur"]
    page.clock.run_for(6_000 + rep_ms // 6)  # the first get-ready lasts 10 s
    assert shown(page, "[data-phase-label]") == "Move"
    before = figure_time(page)
    page.clock.run_for(1_000)
    assert before > 0 and figure_time(page) - before == pytest.approx(loop * 1_000 / rep_ms, abs=0.01)
    page.clock.run_for(rep_ms // 2)
    assert shown(page, "[data-phase-label]") == "Return"
    assert figure_time(page) > loop / 2
    screenshot(page, "player-figure-rep")

    # A hold: into position by the end of getting ready, then still, breathing, while the count runs.
    press(page, "Skip")
    press(page, "Skip")
    assert shown(page, "[data-name]") == exercises[2]["name"]
    page.locator(f"{FIGURE} title", has_text=exercises[2]["name"]).wait_for(state="attached")
    out, back_start, _ = timing(page)["phases"]
    press(page, "Skip rest")
    assert shown(page, "[data-phase-label]") == "Get ready"
    assert figure_time(page) == 0
    page.clock.run_for(5_000 - int(out * 500))
    assert 0 < figure_time(page) < out
    page.clock.run_for(int(out * 500) + 1_000)
    assert shown(page, "[data-phase-label]") == "Hold"
    assert figure_time(page) == pytest.approx((out + back_start) / 2)
    assert breathing(page)
    screenshot(page, "player-figure-hold")
    press(page, "Pause")
    assert not breathing(page)
    assert context.console_errors == []


def test_reduced_motion_keeps_the_still_picture_in_the_player(live_server, browser, alex):  # noqa: F811
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, reduced_motion="reduce")
    try:
        page = context.new_page()
        open_player(page, live_server.url)
        first = player_data(page)["exercises"][0]
        start(page)
        image = page.locator("[data-figure] img")
        page.locator("[data-figure] img[src]").wait_for()
        # The drawing's own still view: its start and end positions side by side.
        assert f"/{first['slug']}.svg" in image.get_attribute("src") and image.get_attribute("src").endswith("#still")
        assert page.locator(FIGURE).count() == 0
        assert screen(page, "play").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/exercises/glute-bridge", "/exercises/"])
@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_the_exercise_pages_ask_for_the_still_view_under_reduced_motion(live_server, page, alex, motion, path):  # noqa: F811
    """A browser may not pass the preference into an image, so the page picks the drawing's still
    view itself. Each page is opened in a fresh browser: Chromium may reuse an image it already holds
    under the same address whatever its #fragment, which the library page's lazy cards then show.
    Otherwise the drawing on screen loops once the page has loaded: a copy of the file whose
    animations begin by themselves."""
    from .conftest import login

    page.emulate_media(reduced_motion=motion)
    login(page, live_server.url)
    page.goto(f"{live_server.url}{path}")
    image = page.locator("img[data-drawing*='/img/exercises/glute-bridge.svg']").first
    image.scroll_into_view_if_needed()
    if motion == "no-preference":
        page.wait_for_function("(img) => img.currentSrc.startsWith('data:image/svg+xml')", arg=image.element_handle())
        moving = image.evaluate("(img) => decodeURIComponent(img.currentSrc)")
        assert '<title id="glute-bridge-t">' in moving and 'begin="indefinite"' not in moving
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    chosen = image.evaluate("(img) => img.currentSrc")
    assert chosen.endswith("#still") == (motion == "reduce"), chosen


def test_the_library_moves_only_the_drawings_on_screen(live_server, page, alex):  # noqa: F811
    """Forty cards: those on screen loop, the rest show their first position from the plain file, and a
    drawing scrolled away goes back to it."""
    from .conftest import login

    login(page, live_server.url)
    page.goto(f"{live_server.url}/exercises/")
    images = page.locator("img[data-drawing]")
    first, last = images.first, images.last
    page.wait_for_function("(img) => img.currentSrc.startsWith('data:image/svg+xml')", arg=first.element_handle())
    assert last.get_attribute("src") == last.get_attribute("data-drawing"), "a card far below moves too"
    last.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.currentSrc.startsWith('data:image/svg+xml')", arg=last.element_handle())
    page.wait_for_function("(img) => img.getAttribute('src') === img.dataset.drawing", arg=first.element_handle())


FRAME = """() => [...document.querySelectorAll('.fa g')].map((g) => {
  const m = g.getCTM();
  return [m.a, m.b, m.e, m.f].map((v) => Math.round(v * 100));
})"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_figure_on_its_own_shows_its_first_position_or_its_two_positions_still(live_server, page, motion):
    page.emulate_media(reduced_motion=motion)
    page.goto(f"{live_server.url}/static/img/exercises/cat-camel.svg")
    display = page.evaluate(
        "[...document.querySelectorAll('.fa, .fs')]"
        ".map((g) => `${g.getAttribute('class')}:${getComputedStyle(g).display}`)"
    )
    if motion == "reduce":
        assert display == ["fs:inline", "fa:none"]
    else:
        assert display == ["fs:none", "fa:inline"]
        # The file alone holds its first position (nothing moves while a page loads or scrolls past it);
        # the page starts the loop, and then the joints turn.
        start = page.evaluate(FRAME)
        page.wait_for_timeout(600)
        assert page.evaluate(FRAME) == start, "the file moved by itself"
        page.evaluate(
            """() => {
              const svg = document.documentElement;
              svg.pauseAnimations();
              const loop = document.querySelectorAll('.fa animateTransform[repeatCount=indefinite]');
              for (const a of loop) a.beginElement();
              svg.setCurrentTime(svg.getCurrentTime());
            }"""
        )
        assert page.evaluate(FRAME) == start, "the loop starts from the position the file showed"
        page.evaluate("document.documentElement.setCurrentTime(document.documentElement.getCurrentTime() + 1.5)")
        assert page.evaluate(FRAME) != start, "the joints do not turn"
    # Asked for by name, the still view shows whatever the preference.
    page.goto(f"{live_server.url}/static/img/exercises/cat-camel.svg#still")
    assert page.evaluate("getComputedStyle(document.querySelector('.fa')).display") == "none"
    assert page.evaluate("getComputedStyle(document.getElementById('still')).display") == "inline"


# The figure's clock for each moment of a routine, from the module itself (no page state needed).
TIMES = """async () => {
  const { figureTime } = await import('/static/js/player/figure.js');
  const hold = { dur: 8, phases: [2, 5, 7], cycle: false };
  const walk = { dur: 2.2, phases: null, cycle: true };
  const at = (timing, phase, kind, durationMs, elapsedMs) =>
    figureTime(timing, { phase, kind, duration: durationMs }, elapsedMs);
  return {
    ready_early: at(hold, 'get-ready', 'hold', 5000, 1000),
    ready_late: at(hold, 'get-ready', 'hold', 5000, 4000),
    ready_reps: at(hold, 'get-ready', 'reps', 5000, 4900),
    rest_late: at(hold, 'rest', 'hold', 30000, 29000),
    holding: at(hold, 'hold', 'hold', 10000, 6000),
    letting_go: at(hold, 'relax', 'hold', 3000, 750),
    coming_back: at(hold, 'relax', 'hold', 3000, 2250),
    rep_half: at(hold, 'rep', 'reps', 6000, 3000),
    walking: at(walk, 'hold', 'hold', 240000, 5000),
    walking_ready: at(walk, 'get-ready', 'hold', 5000, 4000),
    still: at(null, 'hold', 'hold', 5000, 1000),
  };
}"""


def test_the_figure_follows_every_kind_of_step(live_server, page):
    page.goto(f"{live_server.url}/auth/login")
    t = page.evaluate(TIMES)
    assert t["ready_early"] == 0  # waiting in the start position
    assert t["ready_late"] == pytest.approx(1)  # half way into position, a second before the hold
    assert t["ready_reps"] == 0  # repetitions start from the start position
    assert t["rest_late"] == pytest.approx(1)  # a rest before the next set's hold does the same
    assert t["holding"] == pytest.approx(3.5)  # still, in the held position
    assert t["letting_go"] == pytest.approx(6)  # half way back out
    assert t["coming_back"] == pytest.approx(1)  # half way back in for the next hold
    assert t["rep_half"] == pytest.approx(4)  # one loop is one repetition
    assert t["walking"] == pytest.approx(5 % 2.2)
    assert t["walking_ready"] == 0
    assert t["still"] is None
