"""The exercise figures: one for every exercise, exactly what `make figures` writes, anatomically sound in
every frame a browser shows, inside their picture and filling it, moved by turning joints (never by
crossfading shapes), at the exercise's own tempo, and still when the viewer asks for reduced motion."""

from __future__ import annotations

import itertools
import math
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tools.figures import build, draw
from tools.figures.exercises import EXERCISES

ROOT = Path(__file__).resolve().parent.parent
ILLUSTRATIONS = ROOT / "static" / "img" / "exercises"
DATA = ROOT / "webapp" / "content" / "data" / "exercises"
SVG = "{http://www.w3.org/2000/svg}"
SLUGS = sorted(EXERCISES)
HALO = 1.2  # the outline drawn outside every body part


def test_every_exercise_has_a_figure_and_every_figure_an_exercise():
    assert sorted(p.stem for p in DATA.glob("*.toml")) == SLUGS
    assert sorted(p.stem for p in ILLUSTRATIONS.glob("*.svg")) == SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_the_committed_figure_is_what_make_figures_writes(slug):
    """So the anatomy checks below, made on the pose data, hold for the file the app serves."""
    assert (ILLUSTRATIONS / f"{slug}.svg").read_text(encoding="utf-8") == build.render(slug), (
        f"{slug}.svg is stale: run `make figures` and commit the result"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_passes_the_anatomy_checks(slug):
    """Joint ranges, bone lengths, resting on the floor or mat (not floating, not sinking) and planted
    hands and feet staying put, in every key frame and the frames a browser interpolates."""
    assert build.problems_of(slug) == []


# ---------------------------------------------------------------------------------------------
# Reading the committed SVG on its own: where everything is drawn, in every key frame.

_NUM = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


def _affine(kind: str, nums: list[float]):
    if kind == "translate":
        return (1, 0, 0, 1, nums[0], nums[1] if len(nums) > 1 else 0)
    if kind == "scale":
        sy = nums[1] if len(nums) > 1 else nums[0]
        return (nums[0], 0, 0, sy, 0, 0)
    if kind == "rotate":
        a = math.radians(nums[0])
        c, s = math.cos(a), math.sin(a)
        rot = (c, s, -s, c, 0, 0)
        if len(nums) == 3:  # about (cx, cy)
            cx, cy = nums[1], nums[2]
            return _mul(_mul((1, 0, 0, 1, cx, cy), rot), (1, 0, 0, 1, -cx, -cy))
        return rot
    raise AssertionError(f"unexpected transform {kind}")


def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def _parse(transform: str):
    m = (1, 0, 0, 1, 0, 0)
    for kind, args in re.findall(r"(translate|rotate|scale)\(([^)]*)\)", transform or ""):
        m = _mul(m, _affine(kind, [float(v) for v in _NUM.findall(args)]))
    return m


def _apply(m, p):
    return (m[0] * p[0] + m[2] * p[1] + m[4], m[1] * p[0] + m[3] * p[1] + m[5])


def _stretch(m) -> float:
    """How much m can lengthen a radius (its larger column)."""
    return max(math.hypot(m[0], m[1]), math.hypot(m[2], m[3]))


def _local(el, k: int):
    """An element's own transform in key frame k: its attribute, replaced by a plain animation or
    added to by an additive one, in document order (as SMIL composes them). k None: the attribute
    alone, as shown before anything starts the animations."""
    m = _parse(el.get("transform", ""))
    for a in el.findall(f"{SVG}animateTransform") if k is not None else ():
        values = a.get("values").split(";")
        t = _affine(a.get("type", "translate"), [float(v) for v in _NUM.findall(values[k])])
        m = _mul(m, t) if a.get("additive") == "sum" else t
    return m


def _arc_circles(d: str):
    """The circles a body-part path is the hull of: the centre and radius of each of its arcs."""
    tokens = re.findall(r"[MLAZ]|-?(?:\d+\.?\d*|\.\d+)", d)
    i, cur = 0, (0.0, 0.0)
    while i < len(tokens):
        t = tokens[i]
        if t in "ML":
            cur = (float(tokens[i + 1]), float(tokens[i + 2]))
            i += 3
        elif t == "A":
            r, large, sweep = float(tokens[i + 1]), int(tokens[i + 4]), int(tokens[i + 5])
            end = (float(tokens[i + 6]), float(tokens[i + 7]))
            mid = ((cur[0] + end[0]) / 2, (cur[1] + end[1]) / 2)
            half = math.dist(cur, end) / 2
            h = math.sqrt(max(r * r - half * half, 0))
            ux, uy = ((end[0] - cur[0]) / (2 * half), (end[1] - cur[1]) / (2 * half)) if half else (0, 0)
            sign = 1 if large != sweep else -1
            yield (mid[0] - sign * h * uy, mid[1] + sign * h * ux, r)
            cur = end
            i += 8
        else:
            i += 1


class Picture:
    def __init__(self, slug: str):
        self.raw = (ILLUSTRATIONS / f"{slug}.svg").read_bytes()
        self.root = ET.fromstring(self.raw)
        self.ids = {el.get("id"): el for el in self.root.iter() if el.get("id")}
        self.box = [float(v) for v in self.root.get("viewBox").split()]
        anims = list(self.root.iter(f"{SVG}animateTransform"))
        self.frames = len(anims[0].get("values").split(";")) if anims else 1

    def parents(self) -> dict:
        return {child: parent for parent in self.root.iter() for child in parent}

    def group(self, cls: str):
        return [g for g in self.root.iter(f"{SVG}g") if g.get("class") == cls]

    def circles(self, el, k: int, m=(1, 0, 0, 1, 0, 0)):
        """(x, y, r) bounding every body part and mark drawn under el in key frame k."""
        m = _mul(m, _local(el, k))
        tag = el.tag.removeprefix(SVG)
        if tag == "use":
            ref = self.ids[el.get("href").lstrip("#")]
            if ref.tag == f"{SVG}path":
                for x, y, r in _arc_circles(ref.get("d")):
                    yield (*_apply(m, (x, y)), r * _stretch(m) + HALO)
            else:
                yield from self.circles(ref, k, m)
            return
        if tag == "path" and el.get("stroke") == draw.ACCENT:  # an arrow
            for x, y in zip(*[iter(float(v) for v in _NUM.findall(el.get("d")))] * 2, strict=False):
                yield (*_apply(m, (x, y)), 1.25 * _stretch(m))
            return
        if tag == "circle":
            yield (*_apply(m, (float(el.get("cx")), float(el.get("cy")))), float(el.get("r")) * _stretch(m))
            return
        if tag in ("g", "svg"):
            for child in el:
                yield from self.circles(child, k, m)

    def everywhere(self, el):
        for k in range(self.frames):
            yield from self.circles(el, k, self.outer(el))

    def outer(self, el):
        """The transforms of el's ancestors."""
        parents = self.parents()
        chain, node = [], parents.get(el)
        while node is not None and node is not self.root:
            chain.append(node)
            node = parents.get(node)
        m = (1, 0, 0, 1, 0, 0)
        for node in reversed(chain):
            m = _mul(m, _parse(node.get("transform", "")))
        return m


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_stays_inside_its_picture_in_every_frame(slug):
    pic = Picture(slug)
    assert len(pic.raw) <= build.MAX_BYTES, f"{slug}.svg is {len(pic.raw)} bytes"
    assert pic.box == [0, 0, 320, 200], "every picture keeps the 320 x 200 shape the pages lay out"
    x0, y0, w, h = pic.box
    for part in pic.group("fa") + pic.group("fs") or [pic.root]:
        outside = [
            (round(x), round(y))
            for x, y, r in pic.everywhere(part)
            if x - r < x0 - 0.5 or x + r > x0 + w + 0.5 or y - r < y0 - 0.5 or y + r > y0 + h + 0.5
        ]
        assert not outside, f"{slug}: drawn outside the picture at {outside[:5]}"
    floor = f'H[^"]*" stroke="{draw.PROP_LINE}" stroke-width="2"'
    assert re.search(floor, pic.raw.decode()), f"{slug}: no floor line"


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_fills_its_picture(slug):
    """Cropped to what it shows, so a thumbnail is not a small figure low in a tall empty picture."""
    pic = Picture(slug)
    scene = (pic.group("fa") or [pic.root])[0]
    pts = list(pic.everywhere(scene))
    width = (max(x + r for x, _, r in pts) - min(x - r for x, _, r in pts)) / 320
    height = (max(y + r for _, y, r in pts) - min(y - r for _, y, r in pts)) / 200
    scene_transform = scene.find(f"{SVG}g").get("transform") if scene is not pic.root else pic.raw.decode()
    scale = float(re.search(r"scale\(([\d.]+)\)", scene_transform).group(1))
    at_cap = scale >= draw.MAX_SCALE - 0.01  # a lying figure is not blown up past a standing one's size
    assert width > 0.8 or height > 0.7 or (at_cap and width > 0.6), (
        f"{slug}: the figure fills only {width:.0%} of the width and {height:.0%} of the height"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_moves_by_turning_its_joints_never_by_crossfading(slug):
    pic = Picture(slug)
    assert not list(pic.root.iter(f"{SVG}animate")), "no shape morphing or fading, only joints turning"
    anims = list(pic.root.iter(f"{SVG}animateTransform"))
    if not build.figure(slug).moving:
        assert not anims
        return
    turns = [a for a in anims if a.get("type") == "rotate"]
    assert len(turns) >= 2, f"{slug}: expected joints turning, found {len(turns)} rotations"
    # Joints hang from their parents: the animated groups are nested, not side by side.
    nested = [g for g in pic.group("fa")[0].iter(f"{SVG}g") if g.find(f".//{SVG}g/{SVG}animateTransform") is not None]
    assert nested, f"{slug}: no joint turns inside another"


@pytest.mark.parametrize("slug", SLUGS)
def test_motion_only_when_the_viewer_welcomes_it(slug):
    pic = Picture(slug)
    raw = pic.raw.decode()
    assert pic.root.get("role") == "img"
    anims = list(pic.root.iter(f"{SVG}animateTransform"))
    if not anims:
        return
    assert (
        ".fa{display:none}" in raw
        and "@media (prefers-reduced-motion:no-preference){.fa{display:inline}.fs{display:none}}" in raw
    )
    moving, still = pic.group("fa"), pic.group("fs")
    assert len(moving) == 1 and len(still) == 1
    assert len(list(moving[0].iter(f"{SVG}animateTransform"))) == len(anims), (
        f"{slug}: motion outside the moving figure"
    )
    # Reduced motion shows the start and the end side by side: two figures, each a full skeleton. A
    # page can ask for that view by name (…svg#still), and it must come before the moving one for that.
    assert len([u for u in still[0].iter(f"{SVG}use") if u.get("href") == "#h"]) == 2
    assert still[0].get("id") == "still" and "#still:target{display:inline}#still:target~.fa{display:none}" in raw
    siblings = list(pic.parents()[still[0]])
    assert siblings.index(still[0]) < siblings.index(moving[0])


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_keeps_the_exercises_name_description_and_tempo(slug):
    data = tomllib.loads((DATA / f"{slug}.toml").read_text(encoding="utf-8"))
    pic = Picture(slug)
    assert pic.root.find(f"{SVG}title").text == data["name"]
    assert pic.root.find(f"{SVG}desc").text == data["illustration_alt"].strip()
    assert pic.root.get("aria-labelledby") == f"{slug}-t {slug}-d"
    if not build.figure(slug).moving:
        return
    dur = float(pic.root.get("data-dur"))
    assert all(a.get("dur") == f"{pic.root.get('data-dur')}s" for a in pic.root.iter(f"{SVG}animateTransform"))
    if data["kind"] == "reps":
        # One loop is one repetition at the exercise's tempo, so the player can follow the count.
        assert dur == data["dose"]["rep_seconds"], (
            f"{slug}: a loop of {dur} s, a repetition of {data['dose']['rep_seconds']} s"
        )
    if pic.root.get("data-cycle") is None:
        out_end, back_start, back_end = (float(v) for v in pic.root.get("data-phases").split())
        assert 0 < out_end <= back_start < back_end <= dur


@pytest.mark.parametrize("slug", SLUGS)
def test_figure_is_still_until_a_page_starts_it_and_then_moves_smoothly(slug):
    """The file alone (an <img> before the page starts the motion, a printout) shows the first key
    frame and moves nothing, so a page that loads or scrolls past figures does no work for them. Each
    key frame has a time of its own: two on one time would make the figure jump."""
    # Asked here, not when the tests are collected: drawing every figure cost each test process seconds.
    if not build.figure(slug).moving:
        return
    pic = Picture(slug)
    anims = list(pic.root.iter(f"{SVG}animateTransform"))
    assert all(a.get("begin") == "indefinite" for a in anims), f"{slug}: an animation starts by itself"
    moving = pic.group("fa")[0]
    first = list(pic.circles(moving, 0, pic.outer(moving)))
    alone = list(pic.circles(moving, None, pic.outer(moving)))
    assert len(first) == len(alone)
    apart = max(math.dist(p[:2], q[:2]) for p, q in zip(first, alone, strict=True))
    assert apart < 0.5, f"{slug}: the still file is {apart:.1f} units away from the first frame"
    for a in anims:
        times = [float(t) for t in a.get("keyTimes").split(";")]
        assert all(b > t for t, b in itertools.pairwise(times)), f"{slug}: key times {times}"
