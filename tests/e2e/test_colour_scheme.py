"""The phone's colour setting in real Chromium: dark pages where it asks for dark, the light ones unchanged, and paper
always light. Contrast itself is axe's job, in both schemes (tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import pytest

from .conftest import PHONE

pytestmark = pytest.mark.online_only

# What the light scheme has always been (static/css/app.css): --bg, --ink and --surface, the header's.
LIGHT_BG, LIGHT_INK, WHITE = "rgb(244, 247, 246)", "rgb(27, 42, 51)", "rgb(255, 255, 255)"

LOOK = """() => {
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  const body = style('body');
  const figure = document.querySelector('.illustration img');
  return {
    background: body.backgroundColor, ink: body.color,
    backgroundLuminance: luminance(body.backgroundColor), inkLuminance: luminance(body.color),
    header: style('.site-header').backgroundColor,
    figure: figure && luminance(getComputedStyle(figure).backgroundColor),
    themes: [...document.querySelectorAll('meta[name="theme-color"]')].map((m) => [m.media, m.content]),
    darkSheet: document.querySelector('link[href*="/css/dark.css"]')?.media,
  };
}"""


@pytest.fixture
def open_in(browser, live_server):
    contexts = []

    def open_page(scheme: str, path: str):
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response.status == 200
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_a_dark_phone_gets_dark_pages_and_a_light_one_the_old_colours(open_in):
    dark = open_in("dark", "/exercises/bird-dog").evaluate(LOOK)
    assert dark["backgroundLuminance"] < 0.02 and dark["inkLuminance"] > 0.7, dark
    assert dark["header"] != WHITE
    # The drawing's dark ink keeps a light panel behind it.
    assert dark["figure"] > 0.6
    light = open_in("light", "/exercises/bird-dog").evaluate(LOOK)
    assert (light["background"], light["ink"], light["header"]) == (LIGHT_BG, LIGHT_INK, WHITE)
    assert light["figure"] == 0  # transparent: the white card shows through, as before
    # The browser's own bar follows the setting too.
    themes = [["(prefers-color-scheme: light)", "#0f5f5c"], ["(prefers-color-scheme: dark)", "#172327"]]
    assert dark["themes"] == light["themes"] == themes
    # A phone in the light scheme never waits for the dark sheet: its media does not match.
    assert dark["darkSheet"] == light["darkSheet"] == "screen and (prefers-color-scheme: dark)"


def test_the_offline_page_is_dark_too_and_a_print_from_a_dark_phone_is_light(open_in):
    page = open_in("dark", "/offline")
    look = page.evaluate(LOOK)
    assert look["backgroundLuminance"] < 0.02 and look["inkLuminance"] > 0.7
    assert len(look["themes"]) == 2
    page.emulate_media(media="print")
    printed = page.evaluate(LOOK)
    assert (printed["background"], printed["ink"]) == (WHITE, LIGHT_INK)
