"""The exercise drawings: every figure stays inside its picture in every frame, fills it, is small, and
passes the generator's own anatomy checks (bone lengths, joint ranges, resting on the floor)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from webapp.content import figures, poses

ROOT = Path(__file__).resolve().parent.parent
ILLUSTRATIONS = ROOT / "static" / "img" / "exercises"
SVG = "{http://www.w3.org/2000/svg}"
SLUGS = sorted(poses.POSES)
_TOKEN = re.compile(r"[MLCQHVZ]|-?\d+(?:\.\d+)?")


def path_points(d: str):
    """Every point a path passes through or curves towards (the generator writes absolute
    M/L/C/Q/H/V/Z only); control points make the box a little generous, never too small."""
    tokens, x, y, cmd, nums = _TOKEN.findall(d), 0.0, 0.0, "", []
    for tok in [*tokens, "Z"]:
        if tok.isalpha():
            if cmd == "H":
                for v in nums:
                    x = v
                    yield x, y
            elif cmd == "V":
                for v in nums:
                    y = v
                    yield x, y
            elif cmd in "MLCQ" and cmd:
                for i in range(0, len(nums) - 1, 2):
                    x, y = nums[i], nums[i + 1]
                    yield x, y
            cmd, nums = tok, []
        else:
            nums.append(float(tok))


def extents(el: ET.Element, width: float = 1.0):
    """(x, y, half stroke or radius) of everything drawn under el, in every animation frame."""
    width = float(el.get("stroke-width", width))
    tag = el.tag.removeprefix(SVG)
    if tag == "path":
        ds = [el.get("d", "")]
        for a in el:
            if a.get("attributeName") == "d":
                ds += a.get("values", "").split(";")
        half = 0 if el.get("stroke") == "none" else width / 2
        for d in ds:
            for x, y in path_points(d):
                yield x, y, half
    elif tag == "circle":
        r = float(el.get("r"))
        xs, ys = [float(el.get("cx"))], [float(el.get("cy"))]
        for a in el:
            vals = [float(v) for v in a.get("values", "").split(";") if v]
            (xs if a.get("attributeName") == "cx" else ys).extend(vals)
        for x in xs:
            for y in ys:
                yield x, y, r
    elif tag == "rect":
        x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
        yield x, y, 0
        yield x + w, y + h, 0
    for child in el:
        if child.tag != f"{SVG}animate":
            yield from extents(child, width)


def parse(slug: str):
    root = ET.fromstring((ILLUSTRATIONS / f"{slug}.svg").read_bytes())
    box = [float(v) for v in root.get("viewBox").split()]
    return root, box


def test_there_is_a_drawing_for_every_pose_and_no_other():
    assert sorted(p.stem for p in ILLUSTRATIONS.glob("*.svg")) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_drawing_stays_inside_its_picture_and_keeps_its_shape(slug):
    raw = (ILLUSTRATIONS / f"{slug}.svg").read_bytes()
    assert len(raw) <= 8 * 1024, f"{slug}.svg is {len(raw)} bytes"
    root, (bx, by, bw, bh) = parse(slug)
    assert abs(bw / bh - 320 / 200) < 0.01, f"{slug}: the picture must keep the 320 x 200 shape of the layout"
    outside = [
        (round(x, 1), round(y, 1))
        for x, y, r in extents(root)
        if x - r < bx - 0.5 or x + r > bx + bw + 0.5 or y - r < by - 0.5 or y + r > by + bh + 0.5
    ]
    # A wall runs up out of the top of the picture, on purpose; nothing else may be cut off.
    walls = [p for p in outside if p[1] < by]
    others = [p for p in outside if p not in walls]
    assert not others, f"{slug}: drawn outside the picture at {others[:5]}"
    for x, y in walls:
        assert any(p[0] == "wall" for p in poses.POSES[slug]["props"]), (slug, x, y)
    floor = re.search(rf'<path d="M(-?[\d.]+) {poses.FLOOR + 1}H(-?[\d.]+)"', raw.decode())
    assert floor, f"{slug}: no floor line"
    assert by < poses.FLOOR + 1 < by + bh, f"{slug}: the floor line is out of the picture"


def subject(root: ET.Element):
    """Extents of the figure in all its frames and of the arrows and marks, not of the floor,
    mat or wall, which run on to the edges anyway."""
    for el in root.iter():
        if el.get("stroke-width") == str(poses.LIMB_W) or figures.ACCENT in (el.get("stroke"), el.get("fill")):
            yield from extents(el)


@pytest.mark.parametrize("slug", SLUGS)
def test_drawing_fills_its_picture(slug):
    """Cropped to what it shows, so a thumbnail is not a small figure low in a tall empty picture."""
    root, (_, _, bw, bh) = parse(slug)
    pts = list(subject(root))
    width = (max(x + r for x, _, r in pts) - min(x - r for x, _, r in pts)) / bw
    height = (max(y + r for _, y, r in pts) - min(y - r for _, y, r in pts)) / bh
    at_cap = bw >= 320 / figures.MAX_SCALE - 0.5  # a lying figure is not blown up past the cap
    assert width > 0.8 or height > 0.7 or (at_cap and width > 0.65), (
        f"{slug}: the figure fills only {width:.0%} of the width and {height:.0%} of the height"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_drawing_passes_the_anatomy_checks(slug):
    assert figures.check(slug, poses.POSES[slug]) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_motion_only_when_the_viewer_welcomes_it(slug):
    raw = (ILLUSTRATIONS / f"{slug}.svg").read_text()
    root, _ = parse(slug)
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    animations = list(root.iter(f"{SVG}animate"))
    if not animations:
        return
    assert "@media (prefers-reduced-motion:no-preference){.fa{display:inline}.fs{display:none}}" in raw
    moving = [g for g in root.iter(f"{SVG}g") if g.get("class") == "fa"]
    still = [g for g in root.iter(f"{SVG}g") if g.get("class") == "fs"]
    assert len(moving) == 1 and len(still) == 1, slug
    assert len(list(moving[0].iter(f"{SVG}animate"))) == len(animations), f"{slug}: motion outside the .fa group"
