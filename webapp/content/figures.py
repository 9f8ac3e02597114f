"""Draws the exercise illustrations (static/img/exercises/<slug>.svg) from the pose data in poses.py.

Run from the project root to (re)write all of them:

    .venv/bin/python -m webapp.content.figures           # write the SVGs
    .venv/bin/python -m webapp.content.figures --check   # also report joint angles and floor contact
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from xml.sax.saxutils import escape

from webapp.content import poses as P

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "static" / "img" / "exercises"
DATA = Path(__file__).resolve().parent / "data" / "exercises"

INK, FAR, GHOST = "#24485c", "#5b7f93", "#a9c4d3"
PROP_FILL, PROP_LINE, ACCENT = "#c9d3da", "#8a99a3", "#d9692b"
DUR = "4s"
COLOURS = {"ink": INK, "far": FAR}
GHOSTS = {"ink": GHOST, "far": GHOST}

# Names as in the canonical exercise list; used only until the exercise file exists.
NAMES = {
    "drawing-in": "Drawing-in",
    "heel-slide": "Heel slide",
    "abdominal-brace": "Abdominal brace",
    "sit-to-stand": "Sit to stand",
    "pelvic-floor-squeeze": "Pelvic floor squeeze",
    "pelvic-tilt": "Pelvic tilt",
    "knee-rolls": "Knee rolls",
    "cat-camel": "Cat-camel",
    "childs-pose": "Child's pose",
    "knee-to-chest": "Knee to chest",
    "double-knee-to-chest": "Double knee to chest",
    "prone-on-elbows": "Lying on elbows",
    "prone-press-up": "Press-up back extension",
    "glute-bridge": "Glute bridge",
    "single-leg-bridge": "Single-leg bridge",
    "bird-dog-one-limb": "Bird dog, one limb at a time",
    "bird-dog": "Bird dog",
    "dead-bug-legs-only": "Dead bug, legs only",
    "dead-bug": "Dead bug",
    "mcgill-curl-up": "Curl-up",
    "side-plank-knees": "Side plank on knees",
    "side-plank": "Side plank",
    "front-plank-incline": "Incline plank",
    "front-plank-knees": "Plank on knees",
    "front-plank": "Plank",
    "clamshell": "Clamshell",
    "wall-sit": "Wall sit",
    "hamstring-stretch": "Hamstring stretch",
    "hip-flexor-stretch": "Kneeling hip flexor stretch",
    "figure-4-stretch": "Figure-4 stretch",
    "walking": "Walking",
}

# Only the still pair shows unless the viewer's system says motion is welcome.
STYLE = (
    "<style>.fa{display:none}"
    "@media (prefers-reduced-motion:no-preference){.fa{display:inline}.fs{display:none}}"
    "@media (prefers-reduced-motion:reduce){.fa{display:none}.fs{display:inline}}</style>"
)


def num(v: float) -> str:
    s = f"{v:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    return "0" if s == "-0" else s


def pt(p) -> str:
    return f"{num(p[0])} {num(p[1])}"


def paths(pose: dict) -> dict[str, str]:
    """Path data for each body part. Every pose gives the same commands in the same order, so
    any two poses of one figure can be morphed into each other."""
    out = {}
    for s in "nf":
        out["a" + s] = (
            f"M{pt(pose['sh_' + s])}L{pt(pose['elbow_' + s])}L{pt(pose['wrist_' + s])}L{pt(pose['hand_' + s])}"
        )
        out["l" + s] = (
            f"M{pt(pose['hip_' + s])}L{pt(pose['knee_' + s])}L{pt(pose['ankle_' + s])}L{pt(pose['toe_' + s])}"
        )
    out["t"] = f"M{pt(pose['hip'])}C{pt(pose['c1'])} {pt(pose['c2'])} {pt(pose['shoulder'])}"
    return out


# Drawing order and shade of each part: far limbs first and lighter, so depth reads. A figure
# seen from the front (lying on its side) can say otherwise, e.g. for an arm resting on top.
ORDER = (("lf", "far"), ("af", "far"), ("t", "ink"), ("head", "ink"), ("ln", "ink"), ("an", "ink"))


def figure(pose: dict, colours: dict, order, cls: str = "", ghost: bool = False) -> str:
    d = paths(pose)
    c = f' class="{cls}"' if cls else ""
    out = [f'<g{c} stroke-width="{P.LIMB_W}">']
    for key, shade in order:
        colour = colours[shade]
        if key == "head":
            h = pose["head"]
            out.append(f'<circle fill="{colour}" stroke="none" cx="{num(h[0])}" cy="{num(h[1])}" r="{P.HEAD_R}"/>')
            continue
        extra = f' stroke-width="{P.TORSO_W}"' if key == "t" else ""
        if ghost and shade == "far":
            extra += ' stroke-opacity=".6"'
        out.append(f'<path stroke="{colour}"{extra} d="{d[key]}"/>')
    out.append("</g>")
    return "".join(out)


def frames(item: dict) -> tuple[list[float], list[dict], list[str]]:
    """Key times, poses and splines for one loop. Each move is cut into four slices of blended
    specs, so bones keep their length while they swing; a move eases out of a pause and into
    the next one."""
    keys = item["keys"]
    n = len(keys)
    move = (1 - sum(h for _, h in keys)) / n
    times, specs, splines = [0.0], [keys[0][0]], []
    t = 0.0
    steps = 4 if n == 2 else 2  # loops with more keys already carry their own in-between poses
    for i, (spec, hold) in enumerate(keys):
        if hold:
            t += hold
            times.append(t)
            specs.append(spec)
            splines.append("0 0 1 1")
        nxt, nxt_hold = keys[(i + 1) % n]
        for j in range(1, steps + 1):
            t += move / steps
            times.append(t)
            specs.append(P.blend(spec, nxt, j / steps))
            if item["linear"]:
                splines.append("0 0 1 1")
            elif j == 1 and hold:
                splines.append(".5 0 .5 .5")
            elif j == steps and nxt_hold:
                splines.append(".5 .5 .5 1")
            else:
                splines.append("0 0 1 1")
    times[-1] = 1.0
    return times, [P.solve(s) for s in specs], splines


def animated(item: dict) -> str:
    times, poses, splines = frames(item)
    kt = ";".join(num(t) if t in (0, 1) else f"{t:.4f}".rstrip("0") for t in times)
    ks = ";".join(splines)
    common = f'dur="{DUR}" repeatCount="indefinite" calcMode="spline" keyTimes="{kt}" keySplines="{ks}"'
    ds = [paths(p) for p in poses]

    def part(key: str, attrs: str) -> str:
        vals = [d[key] for d in ds]
        if len(set(vals)) == 1:
            return f'<path{attrs} d="{vals[0]}"/>'
        return f'<path{attrs} d="{vals[0]}"><animate attributeName="d" {common} values="{";".join(vals)}"/></path>'

    hx = [num(p["head"][0]) for p in poses]
    hy = [num(p["head"][1]) for p in poses]
    out = [f'<g class="fa" stroke-width="{P.LIMB_W}">']
    for key, shade in item.get("order", ORDER):
        colour = COLOURS[shade]
        if key == "head":
            head = f'<circle fill="{colour}" stroke="none" cx="{hx[0]}" cy="{hy[0]}" r="{P.HEAD_R}">'
            for attr, vals in (("cx", hx), ("cy", hy)):
                if len(set(vals)) > 1:
                    head += f'<animate attributeName="{attr}" {common} values="{";".join(vals)}"/>'
            out.append(head + "</circle>")
        else:
            width = f' stroke-width="{P.TORSO_W}"' if key == "t" else ""
            out.append(part(key, f' stroke="{colour}"{width}'))
    out.append("</g>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Framing. Poses are laid out on one 320 x 200 stage with a shared floor, but a body lying on the
# mat fills only its lower third. Each picture is cropped to what it shows (figure in every frame,
# props, arrows), keeping the 320 x 200 shape and the floor line at the bottom, so that it fills a
# small thumbnail. The scale is capped so that a lying figure is not drawn hugely bigger than a
# standing one.

W, H = 320, 200
MARGIN = 10  # around the content, in picture units
FLOOR_MARGIN = 8  # under the floor line
MAX_SCALE = 1.6


class View:
    """The part of the stage that is shown: x, y, width and height in stage units."""

    def __init__(self, x: float, y: float, scale: float):
        self.x, self.y, self.scale = x, y, scale
        self.w, self.h = W / scale, H / scale

    def left(self, inset: float) -> float:
        """The stage x that shows inset picture units from the left edge."""
        return self.x + inset / self.scale

    def right(self, inset: float) -> float:
        return self.x + self.w - inset / self.scale

    def box(self) -> str:
        return f"{num(self.x)} {num(self.y)} {num(self.w)} {num(self.h)}"


def _spine(pose: dict, n: int = 10):
    h, c1, c2, s = pose["hip"], pose["c1"], pose["c2"], pose["shoulder"]
    for i in range(n + 1):
        t = i / n
        yield tuple(
            (1 - t) ** 3 * h[k] + 3 * (1 - t) ** 2 * t * c1[k] + 3 * (1 - t) * t * t * c2[k] + t**3 * s[k]
            for k in (0, 1)
        )


def pose_points(pose: dict):
    """(x, y, radius) of everything drawn for a pose: joints with half a limb's width, the
    spine with half the trunk's, the head."""
    h = pose["head"]
    yield h[0], h[1], P.HEAD_R
    for p in _spine(pose):
        yield p[0], p[1], P.BODY
    for k, v in pose.items():
        if "_" in k and k.split("_")[0] in ("sh", "elbow", "wrist", "hand", "hip", "knee", "ankle", "toe"):
            yield v[0], v[1], P.LIMB


def mark_points(m: tuple):
    if m[0] == "glow":
        _, c, r = m
        yield c[0], c[1], r
        return
    _, p0, c, p1, _both = m
    for i in range(11):
        t = i / 10
        yield (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1],
            8,  # arrow heads reach about this far past the line
        )


def content_box(item: dict) -> tuple[float, float, float, float]:
    """Stage box of everything that must be seen, in every frame of the loop."""
    poses = [P.solve(item["start"]), P.solve(item["end"])]
    if item["keys"]:
        poses += frames(item)[1]
    pts = [p for pose in poses for p in pose_points(pose)]
    pts += [p for m in item["marks"] + item["arrows"] for p in mark_points(m)]
    x0 = min(x - r for x, _, r in pts)
    x1 = max(x + r for x, _, r in pts)
    y0 = min(y - r for _, y, r in pts)
    y1 = max(max(y + r for _, y, r in pts), P.FLOOR + 2)  # the floor line is always in the picture
    for p in item["props"]:
        b = prop_box(p)
        if b:
            x0, x1 = min(x0, b[0] if b[0] is not None else x0), max(x1, b[2] if b[2] is not None else x1)
            y0, y1 = min(y0, b[1] if b[1] is not None else y0), max(y1, b[3] if b[3] is not None else y1)
    return x0, y0, x1, y1


def framing(item: dict) -> View:
    x0, y0, x1, y1 = content_box(item)
    scale = min((W - 2 * MARGIN) / (x1 - x0), (H - MARGIN - FLOOR_MARGIN) / (y1 - y0), MAX_SCALE)
    view = View(0, 0, scale)
    view.x = (x0 + x1) / 2 - view.w / 2
    view.y = y1 + FLOOR_MARGIN / scale - view.h
    return view


def prop(p: tuple, view: View) -> str:
    kind = p[0]
    if kind == "mat":
        x0, x1 = max(p[1], view.left(14)), min(p[2], view.right(14))
        return (
            f'<rect x="{num(x0)}" y="{P.MAT}" width="{num(x1 - x0)}" height="{P.FLOOR - P.MAT}" rx="2.5" '
            f'fill="{PROP_FILL}" stroke="none"/>'
        )
    if kind == "sidemat":
        # The floor seen from slightly above: the mat reaches back behind the body.
        top = p[1] if len(p) > 1 else P.SIDE_LINE - 30
        a, b = max(34, view.left(26)), min(286, view.right(26))
        c, d = max(22, view.left(14)), min(298, view.right(14))
        return (
            f'<path d="M{num(a)} {top}H{num(b)}L{num(d)} {P.FLOOR}H{num(c)}Z" fill="{PROP_FILL}" '
            'fill-opacity=".55" stroke="none"/>'
        )
    if kind == "wall":  # runs up out of the picture
        x, top = p[1], num(view.y - 2)
        if len(p) > 2 and p[2] == "left":
            return (
                f'<rect x="{x - 12}" y="{top}" width="12" height="{num(P.FLOOR - view.y + 2)}" fill="{PROP_FILL}" '
                f'stroke="none"/><path d="M{x - 1} {top}V{P.FLOOR}" stroke="{PROP_LINE}" stroke-width="2"/>'
            )
        return (
            f'<rect x="{x}" y="{top}" width="12" height="{num(P.FLOOR - view.y + 2)}" fill="{PROP_FILL}" '
            f'stroke="none"/><path d="M{x + 1} {top}V{P.FLOOR}" stroke="{PROP_LINE}" stroke-width="2"/>'
        )
    if kind == "chair":
        c = P.CHAIR
        y, b, f = c["seat_y"], c["back_x"], c["front_x"]
        return (
            f'<path d="M{b + 2} {y + 4}V{P.FLOOR}M{f - 4} {y + 4}V{P.FLOOR}M{b + 2} {y}V{y - 62}" '
            f'stroke="{PROP_LINE}" stroke-width="4"/>'
            f'<rect x="{b}" y="{y}" width="{f - b}" height="6" rx="3" '
            f'fill="{PROP_FILL}" stroke="{PROP_LINE}" stroke-width="1.5"/>'
        )
    if kind == "cushion":
        x0, x1, h = p[1], p[2], p[3]
        return (
            f'<rect x="{x0}" y="{P.MAT - h}" width="{x1 - x0}" height="{h}" rx="{h / 2}" '
            f'fill="{PROP_FILL}" stroke="{PROP_LINE}" stroke-width="1.5"/>'
        )
    raise ValueError(kind)


def prop_box(p: tuple) -> tuple[float, float, float, float] | None:
    """The part of a prop that must stay in the picture. The floor, mats and walls run on out of
    it, so only their height (or for a wall its place) counts."""
    kind = p[0]
    if kind == "mat":
        return None  # MAT to FLOOR is inside the floor line's box anyway
    if kind == "sidemat":
        return (None, p[1] if len(p) > 1 else P.SIDE_LINE - 30, None, P.FLOOR)
    if kind == "wall":
        x = p[1] - 12 if len(p) > 2 and p[2] == "left" else p[1]
        return (x, None, x + 12, None)
    if kind == "chair":
        c = P.CHAIR
        return (c["back_x"], c["seat_y"] - 64, c["front_x"], P.FLOOR)
    if kind == "cushion":
        return (p[1] - 1, P.MAT - p[3] - 1, p[2] + 1, P.FLOOR)
    raise ValueError(kind)


def _head(tip, ctrl):
    dx, dy = tip[0] - ctrl[0], tip[1] - ctrl[1]
    n = (dx * dx + dy * dy) ** 0.5 or 1
    ux, uy = dx / n, dy / n
    a = (tip[0] - 6 * ux + 4 * uy, tip[1] - 6 * uy - 4 * ux)
    b = (tip[0] - 6 * ux - 4 * uy, tip[1] - 6 * uy + 4 * ux)
    return f"M{pt(a)}L{pt(tip)}L{pt(b)}"


def mark(m: tuple) -> str:
    if m[0] == "glow":
        _, c, r = m
        return f'<circle cx="{num(c[0])}" cy="{num(c[1])}" r="{r}" fill="{ACCENT}" fill-opacity=".22" stroke="none"/>'
    _, p0, c, p1, both = m
    d = f"M{pt(p0)}Q{pt(c)} {pt(p1)}" + _head(p1, c) + (_head(p0, c) if both else "")
    return f'<path d="{d}" stroke="{ACCENT}" stroke-width="2.5"/>'


def texts(slug: str, item: dict) -> tuple[str, str]:
    name, alt = NAMES.get(slug) or slug.replace("-", " ").capitalize(), item["desc"]
    path = DATA / f"{slug}.toml"
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            data = {}
        name = (data.get("name") or name).strip()
        alt = (data.get("illustration_alt") or alt).strip()
    return name, alt


def svg(slug: str, item: dict) -> str:
    name, alt = texts(slug, item)
    start, end = P.solve(item["start"]), P.solve(item["end"])
    moving = item["keys"] is not None
    view = framing(item)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view.box()}" role="img" '
        f'aria-labelledby="{slug}-t {slug}-d">',
        f'<title id="{slug}-t">{escape(name)}</title><desc id="{slug}-d">{escape(alt)}</desc>',
    ]
    if moving:
        parts.append(STYLE)
    parts.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
    parts.append(
        f'<path d="M{num(view.left(8))} {P.FLOOR + 1}H{num(view.right(8))}" stroke="{PROP_LINE}" stroke-width="2"/>'
    )
    parts += [prop(p, view) for p in item["props"]]
    parts += [mark(m) for m in item["marks"] if m[0] == "glow"]  # under the body, as a halo
    order = item.get("order", ORDER)
    if item["ghost"]:
        parts.append(figure(start, GHOSTS, order, ghost=True))
    parts.append(figure(end, COLOURS, order, "fs" if moving else ""))
    if moving:
        parts.append(animated(item))
    parts += [mark(m) for m in item["marks"] if m[0] != "glow"]
    parts += [mark(a) for a in item["arrows"]]
    parts.append("</g></svg>\n")
    return "".join(parts)


# ---------------------------------------------------------------------------------------------
# Checks a physiotherapist would make by eye: bones keep their length, joints bend only the way
# they can, and the body rests on the floor instead of floating above it or sinking into it.

RANGES = {  # degrees; flexion positive
    "knee": (-3, 166),
    "elbow": (-3, 160),
    "hip": (-30, 175),
    "shoulder": (-70, 200),  # arms overhead along the floor reach a little past the trunk line
    "ankle": (50, 182),  # angle between shin and foot: 90 is neutral, larger points the toes
    "wrist": (-95, 95),  # either way: a hand flat on the floor bends the wrist right back
}


def _norm(a: float, lo: float = -180) -> float:
    while a <= lo:
        a += 360
    while a > lo + 360:
        a -= 360
    return a


def joint_report(pose: dict) -> list[str]:
    out = []
    if pose["view"] != "side":
        return out
    ang, f = P.angle, pose["face"]
    for s in "nf":
        if pose["types"]["l" + s] in ("a", "ik"):
            th = ang(P.sub(pose["knee_" + s], pose["hip_" + s]))
            sh = ang(P.sub(pose["ankle_" + s], pose["knee_" + s]))
            ft = ang(P.sub(pose["toe_" + s], pose["ankle_" + s]))
            vals = {
                "knee": _norm(f * (th - sh)),
                "hip": _norm(f * (th - (pose["tan_hip"] + 180))),
                "ankle": 180 - _norm(f * (ft - sh)),
            }
            for k, v in vals.items():
                lo, hi = RANGES[k]
                if not lo <= v <= hi:
                    out.append(f"{k}_{s}={v:.0f}")
        if pose["types"]["a" + s] in ("a", "ik"):
            up = ang(P.sub(pose["elbow_" + s], pose["sh_" + s]))
            fo = ang(P.sub(pose["wrist_" + s], pose["elbow_" + s]))
            hd = ang(P.sub(pose["hand_" + s], pose["wrist_" + s]))
            vals = {
                "elbow": _norm(f * (fo - up)),
                "shoulder": _norm(f * (up - (pose["tan_sh"] + 180)), -90),
                "wrist": _norm(hd - fo),
            }
            for k, v in vals.items():
                lo, hi = RANGES[k]
                if not lo <= v <= hi:
                    out.append(f"{k}_{s}={v:.0f}")
    return out


def length_report(pose: dict) -> list[str]:
    out = []
    bones = [
        ("sh_{}", "elbow_{}", P.UPPER, "a"),
        ("elbow_{}", "wrist_{}", P.FORE, "a"),
        ("hip_{}", "knee_{}", P.THIGH, "l"),
        ("knee_{}", "ankle_{}", P.SHIN, "l"),
    ]
    for s in "nf":
        for a, b, length, limb in bones:
            if pose["types"][limb + s] == "p" or pose["types"][limb + s] == "r":
                continue
            d = P.dist(pose[a.format(s)], pose[b.format(s)])
            if abs(d - length) > 0.6:
                out.append(f"{a.format(s)}-{b.format(s)} {d:.1f}/{length}")
    return out


def lowest(pose: dict) -> float:
    ys = [pose["head"][1] + P.HEAD_R]
    h, c1, c2, s = pose["hip"], pose["c1"], pose["c2"], pose["shoulder"]
    for i in range(11):
        t = i / 10
        y = (1 - t) ** 3 * h[1] + 3 * (1 - t) ** 2 * t * c1[1] + 3 * (1 - t) * t * t * c2[1] + t**3 * s[1]
        ys.append(y + P.BODY)
    for k, v in pose.items():
        if k.split("_")[0] in ("elbow", "wrist", "hand", "knee", "ankle", "toe", "sh", "hip") and "_" in k:
            ys.append(v[1] + P.LIMB)
    return max(ys)


def check(slug: str, item: dict) -> list[str]:
    notes = []
    surface = P.MAT if any(p[0] == "mat" for p in item["props"]) else P.FLOOR
    specs = [("start", item["start"]), ("end", item["end"])]
    if item["keys"]:
        _, poses, _ = frames(item)
        specs += [(f"frame{i}", None) for i in range(len(poses))]
    else:
        poses = []
    solved = [P.solve(s) for _, s in specs[:2]] + poses
    for (label, _), pose in zip(specs, solved, strict=True):
        bad = joint_report(pose) + length_report(pose)
        low = lowest(pose)
        if pose["view"] == "side" and abs(low - surface) > 1.0:
            bad.append(f"lowest {low:.1f} vs surface {surface}")
        if pose["view"] != "side" and low > P.FLOOR + 0.5:
            bad.append(f"below floor {low:.1f}")
        if bad:
            notes.append(f"{slug} {label}: " + ", ".join(bad))
    return notes


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    sizes = []
    for slug, item in P.POSES.items():
        text = svg(slug, item)
        (OUT / f"{slug}.svg").write_text(text, encoding="utf-8")
        sizes.append((len(text.encode()), slug))
    print(f"wrote {len(sizes)} figures to {OUT.relative_to(ROOT)} ({min(sizes)[0]}-{max(sizes)[0]} bytes)")
    if "--check" in argv:
        for slug, item in P.POSES.items():
            for note in check(slug, item):
                print(note)
        for size, slug in sorted(sizes):
            print(f"{size:6d} {slug}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
