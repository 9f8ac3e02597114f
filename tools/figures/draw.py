"""Writes one exercise's figure as SVG: a skeleton of nested groups, each joint a rotation of its parent.

The moving figure is animated with SMIL animateTransform, its animations waiting to be started: the
file alone shows the first key frame (a page starts the loop where it is seen, the player moves it with
its count). Where the viewer asks for reduced motion, the start and end positions are shown side by
side instead, still. The root <svg> carries data-phases (seconds: out move ends, back move starts,
back move ends) and data-dur, which the player reads to move the figure in time with its count.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import acos, degrees, pi
from xml.sax.saxutils import escape

from .body import (
    FLOOR,
    FRONT_SHAPES,
    LENGTH,
    MAT,
    SIDE_SHAPES,
    Capsule,
    Hull,
    angle,
    circles_of,
    dist,
    kind,
    local,
    solve,
    sub,
    vec,
)
from .motion import STILL_SHIFT, STILL_TURN, Figure, Timeline, Track, fk, params, timeline

W, H = 320, 200
INK, FAR, HALO = "#24485c", "#7d9cb0", "#ffffff"
PROP_FILL, PROP_LINE, ACCENT = "#c9d3da", "#8a99a3", "#d9692b"
MARGIN = 10  # around the content, in picture units
FLOOR_MARGIN = 8  # under the floor line
MAX_SCALE = 1.6  # a lying figure is not blown up far past a standing one

# Which picture is shown: only the still pair, unless the viewer's system says motion is welcome; and
# the still pair whenever the page asks for it by name (<source media="(prefers-reduced-motion:
# reduce)" srcset="…svg#still">), for browsers that do not pass the preference into an image.
STYLE = (
    "<style>.fa{display:none}"
    "@media (prefers-reduced-motion:no-preference){.fa{display:inline}.fs{display:none}}"
    "#still:target{display:inline}#still:target~.fa{display:none}</style>"
)

IDS = {
    "pelvis": "p",
    "waist": "w",
    "chest": "c",
    "upper": "u",
    "neck": "n",
    "head": "h",
    "upperarm": "ua",
    "forearm": "fa",
    "hand": "ha",
    "thigh": "th",
    "shin": "sh",
    "foot": "ft",
}
TRUNK = ("pelvis", "waist", "chest", "upper", "neck")
LIMB_BANDS = ("upperarm", "forearm", "thigh", "shin")
ARM = ("upperarm", "forearm", "hand")
LEG = ("thigh", "shin", "foot")


def num(v: float) -> str:
    s = f"{v:.1f}"
    s = s[:-2] if s.endswith(".0") else s
    s = "0" if s == "-0" else s
    return s.replace("0.", ".", 1) if s.startswith(("0.", "-0.")) else s


def ratio(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def pt(p) -> str:
    return f"{num(p[0])} {num(p[1])}"


# ---------------------------------------------------------------------------------------------
# Shapes.


def capsule_path(c: Capsule) -> str:
    """Two circles and the band that joins them, as one closed path (all turning the same way, so
    overlapping parts of a bone fill as one)."""
    p0, p1 = (c.x0, c.y0), (c.x1, c.y1)
    d = dist(p0, p1)
    if d <= abs(c.r0 - c.r1) + 1e-6:
        x, y, r = (c.x0, c.y0, c.r0) if c.r0 >= c.r1 else (c.x1, c.y1, c.r1)
        return f"M{pt((x + r, y))}A{num(r)} {num(r)} 0 1 0 {pt((x - r, y))}A{num(r)} {num(r)} 0 1 0 {pt((x + r, y))}Z"
    u = angle((p1[0] - p0[0], p1[1] - p0[1]))
    th = degrees(acos((c.r0 - c.r1) / d))
    a0 = (p0[0] + c.r0 * cos_d(u + th), p0[1] + c.r0 * sin_d(u + th))
    a1 = (p1[0] + c.r1 * cos_d(u + th), p1[1] + c.r1 * sin_d(u + th))
    b1 = (p1[0] + c.r1 * cos_d(u - th), p1[1] + c.r1 * sin_d(u - th))
    b0 = (p0[0] + c.r0 * cos_d(u - th), p0[1] + c.r0 * sin_d(u - th))
    big1 = 1 if th > 90 else 0
    r0, r1 = num(c.r0), num(c.r1)
    return f"M{pt(a0)}L{pt(a1)}A{r1} {r1} 0 {big1} 0 {pt(b1)}L{pt(b0)}A{r0} {r0} 0 {1 - big1} 0 {pt(a0)}Z"


def hull_path(h) -> str:
    """A convex polygon with rounded corners: each edge moved out by r, joined by arcs round the
    corners (turning the same way as capsules)."""
    pts, r = h.corners, h.r
    n = len(pts)
    out = []
    for i in range(n):
        p, q = pts[i], pts[(i + 1) % n]
        # Outward normal of edge p->q for corners listed clockwise on screen.
        d = angle((q[0] - p[0], q[1] - p[1])) - 90
        a, b = (p[0] + r * cos_d(d), p[1] + r * sin_d(d)), (q[0] + r * cos_d(d), q[1] + r * sin_d(d))
        out.append(("L" if out else "M") + pt(a))
        out.append("L" + pt(b))
        nxt = pts[(i + 2) % n]
        d2 = angle((nxt[0] - q[0], nxt[1] - q[1])) - 90
        c = (q[0] + r * cos_d(d2), q[1] + r * sin_d(d2))
        out.append(f"A{num(r)} {num(r)} 0 0 1 {pt(c)}")
    return "".join(out) + "Z"


def shape_path(c) -> str:
    return hull_path(c) if isinstance(c, Hull) else capsule_path(c)


def cos_d(a):
    return vec(a)[0]


def sin_d(a):
    return vec(a)[1]


def halo_dashes(c: Capsule, inset: float) -> str:
    """A limb's outline all round but for the end it hangs from: where it crosses the body it
    stands out, but a thigh flows into the hip and a shin out of the knee without a seam."""
    d = dist((c.x0, c.y0), (c.x1, c.y1))
    band = (d * d - (c.r0 - c.r1) ** 2) ** 0.5
    th = acos((c.r0 - c.r1) / d)
    arc1, arc0 = c.r1 * 2 * th, c.r0 * (2 * pi - 2 * th)
    seq = (0, inset, 2 * band - 2 * inset + arc1, inset + arc0)
    return " ".join(num(v) for v in seq)


def defs(view: str) -> str:
    shapes = FRONT_SHAPES if view == "front" else SIDE_SHAPES
    out = ["<defs>"]
    for name, sid in IDS.items():
        d = "".join(shape_path(c) for c in shapes[name])
        # The trunk's segments merge into one body; limbs and the head keep a thin outline so they
        # stand out wherever they cross it.
        if name in TRUNK:
            extra = ' stroke="none"'
        elif name in LIMB_BANDS:
            c = shapes[name][0]
            extra = f' stroke-dasharray="{halo_dashes(c, c.r0)}"'
        else:
            extra = ""
        out.append(f'<path id="{sid}"{extra} d="{d}"/>')
    out.append("</defs>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# The skeleton as nested groups.


@dataclass
class Anim:
    """Timing shared by every animated joint of one figure."""

    attrs: str

    @classmethod
    def of(cls, tl: Timeline) -> Anim:
        # Three decimals: key frames a tenth of a second apart must not fall on one key time (the
        # browser would jump between them).
        kt = ";".join(
            f"{t / tl.dur:.3f}".rstrip("0").lstrip("0") if 0 < t < tl.dur else str(round(t / tl.dur)) for t in tl.times
        )
        ks = ";".join(" ".join(num(k) if k else "0" for k in s) for s in tl.splines)
        # begin="indefinite": the file alone shows the first frame, still; a page starts the motion
        # (static/js/figures.js, player/figure.js), so nothing moves while a page loads or off screen.
        return cls(
            f'begin="indefinite" dur="{num(tl.dur)}s" repeatCount="indefinite" calcMode="spline" '
            f'keyTimes="{kt}" keySplines="{ks}"'
        )


def static_transform(tx: float, ty: float, a: float, s: float = 1.0) -> str:
    parts = []
    if abs(tx) > 0.05 or abs(ty) > 0.05:
        parts.append(f"translate({num(tx)})" if abs(ty) <= 0.05 else f"translate({pt((tx, ty))})")
    if abs(a) > 0.05:
        parts.append(f"rotate({num(a)})")
    if abs(s - 1) >= 0.01:
        parts.append(f"scale({ratio(s)} 1)")
    return f' transform="{"".join(parts)}"' if parts else ""


def _animation(kind_: str, values: list[str], anim: Anim, additive: bool) -> str:
    add = ' additive="sum"' if additive else ""
    typ = f' type="{kind_}"' if kind_ else ""  # translate is the default
    return f'<animateTransform attributeName="transform"{typ}{add} {anim.attrs} values="{";".join(values)}"/>'


def element(
    bone: str, track: Track, anim: Anim | None, inner: str = "", extra: str = "", drawn=True, before: str = ""
) -> str:
    """A bone: moved to its joint in its parent's frame and turned by its rotation; what is drawn
    behind it (before), its shape (unless drawn is False), then what hangs from it. A hand, foot or
    head is a single <use>."""
    sid = IDS[kind(bone)]
    rows = track.rows
    tx, ty, a, sc = rows[0]
    moving = anim is not None and track.moves
    if not drawn:
        shape = ""
    elif not moving or not track.scales:
        shape = f'<use href="#{sid}"{static_transform(0, 0, 0, sc)}/>'
    else:
        scale = _animation("scale", [f"{ratio(r[3])} 1" for r in rows], anim, False)
        shape = f'<use href="#{sid}"{static_transform(0, 0, 0, sc)}>{scale}</use>'
    leaf = drawn and not inner and not before and not (moving and track.scales)
    open_, close = (f'<use href="#{sid}"', "</use>") if leaf else ("<g", "</g>")
    content = "" if leaf else before + shape + inner
    if not moving or not (track.shifts or track.turns):
        attrs = static_transform(tx, ty, a, sc if leaf else 1.0) + extra
        return f"{open_}{attrs}/>" if leaf else f"{open_}{attrs}>{content}{close}"
    # Each group's own transform is its first key frame, which the animations replace or add to.
    if not track.shifts:
        anims = _animation("rotate", [num(r[2] - a) for r in rows], anim, True)
        return f"{open_}{static_transform(tx, ty, a)}{extra}>{anims}{content}{close}"
    if track.pivot is not None:
        # One turn about a fixed point, round the bone's first placement.
        turn = _animation("rotate", [f"{num(r[2] - a)} {pt(track.pivot)}" for r in rows], anim, False)
        still = Track([rows[0]])
        return f"<g{extra}>{turn}{element(bone, still, None, inner, '', drawn, before)}</g>"
    anims = _animation("", [pt(r[:2]) for r in rows], anim, False)
    anims += _animation("rotate", [num(r[2]) for r in rows], anim, True)
    return f"{open_}{static_transform(tx, ty, a)}{extra}>{anims}{content}{close}"


def twin_offset(tracks: dict, names_n, names_f):
    """When the far limb moves exactly as the near one, only shifted, that shift (in the frame the
    limbs hang from); else None. The far limb is then drawn as a copy of the near one."""
    shift = None
    for k in range(len(tracks[names_n[0]].rows)):
        f = {b: tracks[b].rows[k] for b in (*names_n, *names_f)}
        for i, (n, m) in enumerate(zip(names_n, names_f, strict=True)):
            a, b = f[n], f[m]
            if abs(a[2] - b[2]) > STILL_TURN or abs(a[3] - b[3]) > 0.01:
                return None
            if i and (abs(a[0] - b[0]) > STILL_SHIFT or abs(a[1] - b[1]) > STILL_SHIFT):
                return None
        d = (f[names_f[0]][0] - f[names_n[0]][0], f[names_f[0]][1] - f[names_n[0]][1])
        if shift is None:
            shift = d
        elif abs(d[0] - shift[0]) > STILL_SHIFT or abs(d[1] - shift[1]) > STILL_SHIFT:
            return None
    return shift


def limb_bones(layer: str) -> list[str]:
    return [f"{b}_{layer[1]}" for b in (ARM if layer[0] == "a" else LEG)]


def _capsules(pose, bones, skip_root: bool = False):
    shapes = FRONT_SHAPES if pose.view == "front" else SIDE_SHAPES
    for b in bones:
        k = kind(b)
        scale = pose.length[b] / LENGTH[k] if LENGTH[k] else 1.0
        for c in shapes[k]:
            if isinstance(c, Hull):
                for x, y, r in circles_of(c):
                    yield (*local(pose.frame(b), (x * scale, y)), r)
                continue
            for i in range(2 if skip_root and k == "upperarm" else 0, 5):
                f = i / 4
                p = ((c.x0 + (c.x1 - c.x0) * f) * scale, c.y0 + (c.y1 - c.y0) * f)
                yield (*local(pose.frame(b), p), c.r0 + (c.r1 - c.r0) * f)


def apart(poses, bones_a, bones_b) -> bool:
    """Whether two sets of body parts never overlap in any of the poses."""
    for pose in poses:
        # The top of an arm always lies within the upper chest, which is drawn over it anyway.
        a, b = list(_capsules(pose, bones_a, True)), list(_capsules(pose, bones_b))
        if any(dist(p[:2], q[:2]) < p[2] + q[2] + 1.5 for p in a for q in b):
            return False
    return True


def fill_of(colours: dict, layer: str) -> str:
    """A limb's fill: as the figure says, else the lighter shade for the far one."""
    c = colours.get(layer, FAR if layer != "trunk" and layer[1] == "f" else None)
    return f' fill="{c}"' if c else ""


def tucked_far_arm(tl: Timeline, order) -> bool:
    """The far arm is drawn behind the trunk. When it never crosses the lower trunk it can hang in
    the upper chest's own group, drawn just before it, and needs no copy of the spine's turns."""
    return (
        "af" in order
        and order.index("af") < order.index("trunk")
        and apart(list(tl.samples()), limb_bones("af"), ("pelvis", "waist", "chest"))
    )


def layers_of(order) -> list[tuple[str, str]]:
    """The drawing order as (layer, arm embedded in the trunk's own groups): an arm drawn right after
    the trunk hangs inside it; any other arm needs the spine's turns copied around it."""
    out, i = [], 0
    while i < len(order):
        if order[i] == "trunk" and i + 1 < len(order) and order[i + 1][0] == "a":
            out.append(("trunk", order[i + 1]))
            i += 2
        else:
            out.append((order[i], ""))
            i += 1
    return out


def skeleton(tl: Timeline, anim: Anim | None, order, colours: dict, tag: str) -> str:
    """The figure moving through its key frames, as nested groups: each joint a rotation of its
    parent. tag keeps ids apart when one document holds several figures."""
    tracks = tl.tracks()
    tucked = tucked_far_arm(tl, order)
    order = [layer for layer in order if not (tucked and layer == "af")]
    twins = {}
    for kind_ in "al":
        shift = twin_offset(tracks, limb_bones(f"{kind_}n"), limb_bones(f"{kind_}f"))
        if shift is not None:
            twins[f"{kind_}f"] = (f"{tag}{kind_}n", shift)

    def limb(layer: str) -> str:
        if layer in twins:
            ref, (dx, dy) = twins[layer]
            return f'<use href="#{ref}"{static_transform(dx, dy, 0)}{fill_of(colours, layer)}/>'
        names = limb_bones(layer)
        ident = f' id="{tag}{layer}"' if layer[1] == "n" and f"{layer[0]}f" in twins else ""
        out = ""
        for b in reversed(names):
            out = element(b, tracks[b], anim, out, (fill_of(colours, layer) + ident) if b == names[0] else "")
        return out

    def chain(inner: str) -> str:
        """Trunk segments' transforms without their shapes: an arm drawn in another layer still hangs
        from the shoulder as the spine bends."""
        for b in ("upper", "chest", "waist"):
            inner = element(b, tracks[b], anim, inner, drawn=False)
        return inner

    def trunk(embedded: str) -> str:
        head = element("head", tracks["head"], anim)
        neck = element("neck", tracks["neck"], anim, head)
        behind = limb("af") if tucked else ""
        upper = element("upper", tracks["upper"], anim, neck + embedded, before=behind)
        chest = element("chest", tracks["chest"], anim, upper)
        return f'<use href="#{IDS["pelvis"]}"/>' + element("waist", tracks["waist"], anim, chest)

    parts = []
    for layer, arm in layers_of(order):
        if layer == "trunk":
            parts.append(trunk(limb(arm) if arm else ""))
        else:
            parts.append(chain(limb(layer)) if layer[0] == "a" else limb(layer))
    return element("pelvis", tracks["pelvis"], anim, "".join(parts), drawn=False)


def still(values: dict, view: str, order, colours: dict, tag: str) -> str:
    """One pose, flat: every bone placed by its own world transform, in painting order."""
    pose = fk(values, view)
    twins = {}
    for kind_ in "al":
        n, f = limb_bones(f"{kind_}n"), limb_bones(f"{kind_}f")
        d = sub(pose.joint[f[0]], pose.joint[n[0]])
        same = all(
            abs(pose.direction[a] - pose.direction[b]) < STILL_TURN
            and abs(pose.length[a] - pose.length[b]) < 0.1
            and dist(sub(pose.joint[b], pose.joint[a]), d) < STILL_SHIFT
            for a, b in zip(n, f, strict=True)
        )
        if same:
            twins[f"{kind_}f"] = (f"{tag}{kind_}n", d)
    out = []
    for layer in order:
        fill = fill_of(colours, layer)
        if layer in twins:
            ref, d = twins[layer]
            out.append(f'<use href="#{ref}"{static_transform(d[0], d[1], 0)}{fill}/>')
            continue
        bones = ("pelvis", "waist", "chest", "upper", "neck", "head") if layer == "trunk" else limb_bones(layer)
        items = []
        for b in bones:
            k = kind(b)
            scale = pose.length[b] / LENGTH[k] if LENGTH[k] else 1.0
            x, y = pose.joint[b]
            items.append(f'<use href="#{IDS[k]}"{static_transform(x, y, pose.direction[b], scale)}/>')
        ident = f' id="{tag}{layer}"' if layer != "trunk" and layer[1] == "n" and f"{layer[0]}f" in twins else ""
        out.append(f"<g{fill}{ident}>{''.join(items)}</g>" if fill or ident else "".join(items))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Props, arrows and glows, in stage units.


def prop(p: tuple, x0: float, x1: float, top: float) -> str:
    """x0, x1 and top: the part of the stage the picture shows, so a mat or wall runs to its edges."""
    k = p[0]
    if k == "mat":
        a, b = max(p[1], x0 + 6), min(p[2], x1 - 6)
        size = f'width="{num(b - a)}" height="{num(FLOOR - MAT)}"'
        return f'<rect x="{num(a)}" y="{num(MAT)}" {size} rx="2.5" fill="{PROP_FILL}" stroke="none"/>'
    if k == "sidemat":
        # The floor seen from slightly above: the mat reaches back behind a body lying on its side.
        t = p[1]
        a, b = max(34, x0 + 14), min(286, x1 - 14)
        c, d = max(22, x0 + 6), min(298, x1 - 6)
        d_ = f"M{num(a)} {num(t)}H{num(b)}L{num(d)} {num(FLOOR)}H{num(c)}Z"
        return f'<path d="{d_}" fill="{PROP_FILL}" fill-opacity=".55" stroke="none"/>'
    if k == "wall":
        x, left = p[1], len(p) > 2 and p[2] == "left"
        rx = x - 12 if left else x
        edge = x - 1 if left else x + 1
        return (
            f'<rect x="{num(rx)}" y="{num(top)}" width="12" height="{num(FLOOR - top)}" '
            f'fill="{PROP_FILL}" stroke="none"/>'
            f'<path d="M{num(edge)} {num(top)}V{num(FLOOR)}" stroke="{PROP_LINE}" stroke-width="2"/>'
        )
    if k == "chair":
        _, back, front, seat = p
        return (
            f'<path d="M{num(back + 2)} {num(seat + 4)}V{num(FLOOR)}M{num(front - 3)} {num(seat + 4)}V{num(FLOOR)}'
            f'M{num(back + 2)} {num(seat)}V{num(seat - 60)}" stroke="{PROP_LINE}" stroke-width="4" '
            'stroke-linecap="round"/>'
            f'<rect x="{num(back)}" y="{num(seat)}" width="{num(front - back)}" height="6" rx="3" '
            f'fill="{PROP_FILL}" stroke="{PROP_LINE}" stroke-width="1.5"/>'
        )
    if k in ("cushion", "step"):
        _, a, b, h = p
        base = MAT if k == "cushion" else FLOOR
        rx = h / 2 if k == "cushion" else 2
        return (
            f'<rect x="{num(a)}" y="{num(base - h)}" width="{num(b - a)}" height="{num(h)}" rx="{num(rx)}" '
            f'fill="{PROP_FILL}" stroke="{PROP_LINE}" stroke-width="1.5"/>'
        )
    raise ValueError(f"unknown prop {k!r}")


def prop_box(p: tuple):
    """The part of a prop that must stay in the picture (x0, y0, x1, y1; None where it runs on)."""
    k = p[0]
    if k == "mat":
        return None
    if k == "sidemat":
        return (None, p[1], None, FLOOR)
    if k == "wall":
        x = p[1] - 12 if len(p) > 2 and p[2] == "left" else p[1]
        return (x, None, x + 12, None)
    if k == "chair":
        _, back, front, seat = p
        return (back, seat - 62, front, FLOOR)
    if k == "cushion":
        return (p[1] - 1, MAT - p[3] - 1, p[2] + 1, FLOOR)
    if k == "step":
        return (p[1] - 1, FLOOR - p[3] - 1, p[2] + 1, FLOOR)
    raise ValueError(f"unknown prop {k!r}")


def arrow(p0, p1, bend: float = 0.0, both: bool = False) -> tuple:
    """An accent arrow from p0 to p1, bowed sideways by bend units."""
    m = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    n = (dx * dx + dy * dy) ** 0.5 or 1
    return ("arrow", p0, (m[0] - dy / n * bend, m[1] + dx / n * bend), p1, both)


def glow(p, r: float = 13) -> tuple:
    """A soft warm spot under the body, for muscles that work without visible movement."""
    return ("glow", p, r)


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
        return (
            f'<circle cx="{num(c[0])}" cy="{num(c[1])}" r="{num(r)}" fill="{ACCENT}" fill-opacity=".22" stroke="none"/>'
        )
    _, p0, c, p1, both = m
    d = f"M{pt(p0)}Q{pt(c)} {pt(p1)}" + _head(p1, c) + (_head(p0, c) if both else "")
    return f'<path d="{d}" fill="none" stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round"/>'


def mark_points(m: tuple):
    if m[0] == "glow":
        yield m[1][0], m[1][1], m[2]
        return
    _, p0, c, p1, _both = m
    for i in range(11):
        t = i / 10
        yield (
            (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * c[0] + t * t * p1[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * c[1] + t * t * p1[1],
            6,  # arrow heads reach about this far past the line
        )


# ---------------------------------------------------------------------------------------------
# Framing: the picture is cropped to what it shows (the figure in every frame, props, arrows),
# keeping the 320 x 200 shape and the floor line at the bottom, so a small thumbnail is filled.


def box(points, props=()) -> tuple[float, float, float, float]:
    pts = list(points)
    x0 = min(x - r for x, _, r in pts)
    x1 = max(x + r for x, _, r in pts)
    y0 = min(y - r for _, y, r in pts)
    y1 = max(max(y + r for _, y, r in pts), FLOOR + 2)  # the floor line is always in the picture
    for p in props:
        b = prop_box(p)
        if b:
            x0 = min(x0, b[0]) if b[0] is not None else x0
            x1 = max(x1, b[2]) if b[2] is not None else x1
            y0 = min(y0, b[1]) if b[1] is not None else y0
            y1 = max(y1, b[3]) if b[3] is not None else y1
    return x0, y0, x1, y1


@dataclass
class Fit:
    """Stage to picture: picture = (stage - origin) * scale + offset."""

    scale: float
    ox: float
    oy: float
    dx: float
    dy: float

    def transform(self) -> str:
        return (
            f"translate({num(self.dx)} {num(self.dy)})scale({self.scale:.3f})translate({num(-self.ox)} {num(-self.oy)})"
        )

    def stage_x(self, px: float) -> float:
        return self.ox + (px - self.dx) / self.scale

    def stage_y(self, py: float) -> float:
        return self.oy + (py - self.dy) / self.scale


def fit(b, x: float, y: float, w: float, h: float, max_scale: float = MAX_SCALE, bottom: float = FLOOR_MARGIN) -> Fit:
    """Put stage box b into the picture area (x, y, w, h): centred across, the floor near the bottom."""
    bw, bh = b[2] - b[0], b[3] - b[1]
    s = min((w - 2 * MARGIN) / bw, (h - MARGIN - bottom) / bh, max_scale)
    return Fit(s, (b[0] + b[2]) / 2, b[3], x + w / 2, y + h - bottom)


# ---------------------------------------------------------------------------------------------


def scene(fig: Figure, figure: str, f: Fit, marks: bool = True) -> str:
    """Floor, props, the figure and its marks, placed in the picture by f."""
    x0, x1 = f.stage_x(0), f.stage_x(W)
    out = [f'<g transform="{f.transform()}">']
    floor = f"M{num(f.stage_x(8))} {num(FLOOR + 1)}H{num(f.stage_x(W - 8))}"
    out.append(f'<path d="{floor}" stroke="{PROP_LINE}" stroke-width="2"/>')
    out += [prop(p, x0, x1, f.stage_y(-2)) for p in fig.props]
    if marks:
        out += [mark(m) for m in fig.marks if m[0] == "glow"]  # under the body, as a halo
    out.append(figure)
    if marks:
        out += [mark(m) for m in fig.marks if m[0] != "glow"]
    out.append("</g>")
    return "".join(out)


def pair_layout(b) -> tuple[Fit, Fit, tuple]:
    """Start and end, still, side by side (or one above the other for a long, low figure), with an
    arrow from the first to the second."""
    gap = 26
    across = (fit(b, 0, 0, (W - gap) / 2, H, 1.2), fit(b, (W + gap) / 2, 0, (W - gap) / 2, H, 1.2))
    down = (fit(b, 0, 0, W, (H - gap) / 2, 1.2, 4), fit(b, 0, (H + gap) / 2, W, (H - gap) / 2, 1.2, 4))
    if across[0].scale >= down[0].scale:
        cy = H / 2
        return *across, ((W / 2 - 8, cy), (W / 2 + 8, cy))
    cx = W / 2
    return *down, ((cx, H / 2 - 8), (cx, H / 2 + 8))


# Shared by every part of the figure; props and marks say their own colours.
FIGURE_ATTRS = f'fill="{INK}" stroke="{HALO}" stroke-width="2.4" paint-order="stroke" stroke-linejoin="round"'


def svg(fig: Figure, name: str, alt: str, slug: str) -> str:
    tl = timeline(fig)
    pts = [p for pose in tl.samples() for p in pose.circles()]
    pts += [p for m in fig.marks for p in mark_points(m)]
    main = fit(box(pts, fig.props), 0, 0, W, H)
    frames = tl.values()
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{slug}-t {slug}-d"'
    )
    if fig.moving:
        timing = f' data-phases="{" ".join(num(t) for t in tl.phases)}"' if tl.phases else ' data-cycle=""'
        head += f'{timing} data-dur="{num(tl.dur)}"'
    parts = [f'{head}><title id="{slug}-t">{escape(name)}</title><desc id="{slug}-d">{escape(alt)}</desc>']
    if fig.moving:
        parts.append(STYLE)
    parts.append(defs(tl.view))
    parts.append(f"<g {FIGURE_ATTRS}>")
    if not fig.moving:
        parts.append(scene(fig, still(frames[0], tl.view, fig.order, fig.colours, "s"), main))
        parts.append("</g></svg>\n")
        return "".join(parts)
    # Reduced motion: the start and the end (for a cycle, two strides), still, side by side. It comes
    # first, so that #still:target can hide the moving figure that follows it.
    first = tl.values()[0]
    last = frames[len(frames) // 2] if fig.cycle else params(solve(fig.end))
    b = box([p for v in (first, last) for p in fk(v, tl.view).circles()], fig.props)
    f0, f1, (a0, a1) = pair_layout(b)
    parts.append(
        '<g id="still" class="fs">'
        + scene(fig, still(first, tl.view, fig.order, fig.colours, "s"), f0, marks=False)
        + scene(fig, still(last, tl.view, fig.order, fig.colours, "e"), f1, marks=False)
        + f'<path d="M{pt(a0)}L{pt(a1)}{_head(a1, a0)}" fill="none" stroke="{ACCENT}" stroke-width="2.5" '
        'stroke-linecap="round"/></g>'
    )
    moving = skeleton(tl, Anim.of(tl), fig.order, fig.colours, "m")
    parts.append('<g class="fa">' + scene(fig, moving, main) + "</g>")
    parts.append("</g></svg>\n")
    return "".join(parts)
