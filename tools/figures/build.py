"""From an exercise's figure to the file the app serves: its name and description from the exercise's
content file, the SVG text, and the checks it must pass."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .checks import problems
from .draw import svg
from .exercises import EXERCISES

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "static" / "img" / "exercises"
DATA = ROOT / "webapp" / "content" / "data" / "exercises"
# A figure carries a moving skeleton, its two still positions for reduced motion, and its own
# timing: a few KB each, well under what one photograph would cost (see README.md).
MAX_BYTES = 14 * 1024  # the largest, prone-press-up, is 13 KB (2.4 KB gzipped)


def content(slug: str) -> dict:
    path = DATA / f"{slug}.toml"
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


@cache
def figure(slug: str):
    """The exercise's figure, built once: its poses take a few thousand solves to place."""
    return EXERCISES[slug]()


def texts(slug: str) -> tuple[str, str]:
    """The figure's title and description: the exercise's name and illustration_alt, so a screen
    reader hears the same words as the exercise page shows."""
    data = content(slug)
    name = (data.get("name") or slug.replace("-", " ").capitalize()).strip()
    alt = (data.get("illustration_alt") or figure(slug).desc or name).strip()
    return name, alt


def render(slug: str) -> str:
    name, alt = texts(slug)
    return svg(figure(slug), name, alt, slug)


def problems_of(slug: str) -> list[str]:
    return problems(figure(slug))


def missing_figures() -> list[str]:
    """Exercise content files without a figure."""
    return sorted(p.stem for p in DATA.glob("*.toml") if p.stem not in EXERCISES)
