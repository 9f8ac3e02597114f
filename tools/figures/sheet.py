"""Contact sheets of the figures as a person sees them, drawn by headless Chromium: every figure at the
library card's size and in the player's, frame by frame through its loop, and still as it shows when
the system asks for reduced motion. Look at them after every change to a figure."""

from __future__ import annotations

import html
from pathlib import Path

from .build import OUT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
CARD = 120  # the exercise card's picture is 7.5rem wide
FULL = 480
FRAMES = (0.0, 0.2, 0.4, 0.6, 0.8)


def _unique(svg: str, slug: str, tag: str) -> str:
    """Several copies of one SVG in one page: ids (and references to them) kept apart."""
    return svg.replace(f"{slug}-", f"{slug}{tag}-").replace('id="', f'id="{tag}').replace('href="#', f'href="#{tag}')


# Freezes each copy at its moment: a fraction of the loop, or the reduced-motion still pair.
FREEZE = """() => {
  for (const cell of document.querySelectorAll("[data-at]")) {
    const svg = cell.querySelector("svg");
    svg.pauseAnimations();
    if (cell.dataset.at === "still") {
      svg.querySelectorAll(".fa").forEach((g) => g.setAttribute("style", "display:none"));
      svg.querySelectorAll(".fs").forEach((g) => g.setAttribute("style", "display:inline"));
    } else {
      svg.setCurrentTime(Number(cell.dataset.at) * Number(svg.dataset.dur || 0));
    }
  }
}"""


def _page(rows: list[str], width: int) -> str:
    style = (
        "body{margin:0;font:13px system-ui,sans-serif;background:#f4f7f6}"
        ".row{display:flex;align-items:center;gap:6px;padding:4px}"
        ".row b{width:150px;overflow-wrap:anywhere}"
        f".cell{{width:{width}px;height:{width * 5 // 8}px;background:#f7fafb;border-radius:8px}}"
        ".cell svg{width:100%;height:100%;display:block}"
    )
    return f"<style>{style}</style>{''.join(rows)}"


def _row(slug: str, svg: str, width: int, moments) -> str:
    # Ids must differ across every copy of every figure on the page, or a <use> finds another's limb.
    cells = "".join(
        f'<div class="cell" data-at="{at}">{_unique(svg, slug, f"{slug}{i}x")}</div>' for i, at in enumerate(moments)
    )
    return f'<div class="row"><b>{html.escape(slug)}</b>{cells}</div>'


def contact_sheets(slugs, out_dir) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    svgs = {slug: (OUT / f"{slug}.svg").read_text(encoding="utf-8") for slug in slugs}
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 800})
            # Every figure at card size: the start, half way, and the reduced-motion pair.
            rows = [_row(s, svgs[s], CARD, (0.0, 0.25, "still")) for s in slugs]
            page.set_content(_page(rows, CARD))
            page.evaluate(FREEZE)
            page.set_viewport_size({"width": 1400, "height": 100})
            written.append(out / "cards.png")
            page.screenshot(path=str(written[-1]), full_page=True)
            # Each figure at full size through its loop.
            page.set_viewport_size({"width": 150 + 6 * (FULL // 2 + 6), "height": 100})
            for slug in slugs:
                page.set_content(_page([_row(slug, svgs[slug], FULL // 2, (*FRAMES, "still"))], FULL // 2))
                page.evaluate(FREEZE)
                written.append(out / f"{slug}.png")
                page.screenshot(path=str(written[-1]), full_page=True)
        finally:
            browser.close()
    return written
