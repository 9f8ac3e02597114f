"""The figure's skeleton: bone lengths and shapes, and solve(), which turns a pose spec into joint positions.

Angles are degrees measured the way SVG's rotate() turns: clockwise on screen from pointing right, so
0 is right, 90 is down, 180 is left and -90 is up. Every figure is drawn with the front of the body
towards the bone's local +y (the bone's direction turned 90 degrees clockwise): standing, it faces
right; lying on its back with the head to the left, it faces up; on hands and knees it faces right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import acos, atan2, cos, degrees, hypot, radians, sin

# One body for every picture, so that a patient comparing two exercises never sees a different
# person. Lengths follow the segment ratios of Drillis and Contini (a standing height of about 172
# units): hip joint to shoulder joint 0.29 H, thigh and shin 0.245 H each, upper arm 0.186 H,
# forearm 0.146 H, foot 0.152 H.
SPINE = (13.0, 12.0, 14.0, 13.0)  # hip joint -> waist -> lower chest -> upper chest -> base of the neck
TORSO = sum(SPINE)
NECK = 8.0
THIGH, SHIN = 43.0, 42.0
UPPER, FORE = 31.0, 25.0
ARM = UPPER + FORE
SHOULDER_AT = 3.0  # the shoulder joint, this far below the base of the neck
ANKLE_UP = 7.0  # a flat foot's ankle joint above the sole
WRIST_UP = 3.0  # a flat hand's wrist above the palm

# Everything stands on the same floor, so figures line up when shown side by side.
FLOOR = 184.0  # top of the floor line
MAT = 179.0  # top of a mat lying on the floor


@dataclass(frozen=True)
class Capsule:
    """Two circles and the band between them, in a bone's own frame (x along the bone, +y towards
    the front of the body)."""

    x0: float
    y0: float
    r0: float
    x1: float
    y1: float
    r1: float


@dataclass(frozen=True)
class Hull:
    """A convex polygon with every corner rounded by r: the hull of equal circles at its corners,
    listed clockwise on screen. Seen from the front, a trunk segment is one."""

    corners: tuple[tuple[float, float], ...]
    r: float


def hull(r: float, *corners) -> Hull:
    return Hull(tuple(corners), r)


def circles_of(shape) -> list[tuple[float, float, float]]:
    """The circles whose hull a shape is, in its own frame."""
    if isinstance(shape, Hull):
        return [(x, y, shape.r) for x, y in shape.corners]
    return [(shape.x0, shape.y0, shape.r0), (shape.x1, shape.y1, shape.r1)]


def cap(x0, y0, r0, x1=None, y1=None, r1=None) -> Capsule:
    if x1 is None:
        return Capsule(x0, y0, r0, x0, y0, r0)
    return Capsule(x0, y0, r0, x1, y1, r1)


# Shapes, side view. A trunk is deeper at the chest and the buttocks than at the waist, limbs
# taper from the joint nearer the body, and every joint is rounded, so the segments read as one
# body however they bend.
SIDE_SHAPES: dict[str, tuple[Capsule, ...]] = {
    "pelvis": (cap(-1, -2.5, 11.5, 13, 0, 9.5), cap(2, 3, 9)),
    "waist": (cap(0, 0, 9.5, 11, 0.5, 10.5),),
    "chest": (cap(0, 0.5, 10.5, 13, 1.5, 11.5),),
    "upper": (cap(0, 1.5, 11.5, 8, 1.5, 10.5), cap(8, 1.5, 10.5, 12, -1, 6)),
    "neck": (cap(-3, 0, 5.2, 8, 1, 4.4),),
    # Skull, chin to cheek, and the nose: the face shows which way the person looks.
    "head": (cap(10, 0, 9.5), cap(1.5, 5.5, 3.4, 9, 5, 5.2), cap(10, 6.5, 2.6, 7.2, 10, 1.7)),
    "upperarm": (cap(0, 0, 5.4, UPPER, 0, 4),),
    "forearm": (cap(0, 0, 4, FORE, 0, 3),),
    "hand": (cap(1, 0, 3.2, 10, 0, 2.5),),
    "thigh": (cap(0, 0, 8, THIGH, 0, 5.6),),
    "shin": (cap(0, 0, 5.6, SHIN, 0, 3.7),),
    "foot": (cap(-2, 3, 4, 17, 4.7, 2.3),),
}

# Seen from the front (a body lying on its side), the trunk is as wide as the shoulders and hips.
# Here +y is the body's left side.
FRONT_SHAPES: dict[str, tuple] = {
    **SIDE_SHAPES,
    "pelvis": (hull(8, (-1, -9), (13, -7.5), (13, 7.5), (-1, 9)),),
    "waist": (hull(8, (0, -7.5), (12, -8), (12, 8), (0, 7.5)),),
    "chest": (hull(8, (0, -8), (14, -10.5), (14, 10.5), (0, 8)),),
    "upper": (hull(7, (0, -11.5), (9, -13.5), (12, -6), (12, 6), (9, 13.5), (0, 11.5)),),
    "head": (cap(10, 0, 9.6, 12, 0, 9.6),),
}

# Where each limb hangs from its parent, in the parent's frame: (x, y) for the "n" limb; the "f" limb
# mirrors y. Side view: both on the midline, the far one a touch behind. Front view: out to the sides.
ATTACH = {
    "side": {"arm": (SPINE[3] - SHOULDER_AT, 0.0), "leg": (0.0, 0.0)},
    "front": {"arm": (SPINE[3] - SHOULDER_AT, -13.0), "leg": (0.0, -7.5)},
}

# The hierarchy: bone -> parent. A bone's frame starts at its joint; its child joint sits at the
# end of its length along +x (limbs) or at the attachment point (shoulders and hips).
PARENT = {
    "pelvis": None,
    "waist": "pelvis",
    "chest": "waist",
    "upper": "chest",
    "neck": "upper",
    "head": "neck",
    **{f"upperarm_{s}": "upper" for s in "nf"},
    **{f"forearm_{s}": f"upperarm_{s}" for s in "nf"},
    **{f"hand_{s}": f"forearm_{s}" for s in "nf"},
    **{f"thigh_{s}": "pelvis" for s in "nf"},
    **{f"shin_{s}": f"thigh_{s}" for s in "nf"},
    **{f"foot_{s}": f"shin_{s}" for s in "nf"},
}
LENGTH = {
    "pelvis": SPINE[0],
    "waist": SPINE[1],
    "chest": SPINE[2],
    "upper": SPINE[3],
    "neck": NECK,
    "head": 0.0,
    "upperarm": UPPER,
    "forearm": FORE,
    "hand": 9.0,  # a hand and a foot have no bone below them; their nominal length only scales a
    "thigh": THIGH,  # hand or foot turned towards the viewer
    "shin": SHIN,
    "foot": 17.0,
}


TRUNK = ("pelvis", "waist", "chest", "upper", "neck", "head")


def kind(bone: str) -> str:
    """thigh_n -> thigh."""
    return bone.split("_")[0]


# ---------------------------------------------------------------------------------------------
# Plane geometry.


def vec(a: float, length: float = 1.0) -> tuple[float, float]:
    r = radians(a)
    return (length * cos(r), length * sin(r))


def angle(v) -> float:
    return degrees(atan2(v[1], v[0]))


def add(p, v, k: float = 1.0):
    return (p[0] + k * v[0], p[1] + k * v[1])


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def dist(a, b) -> float:
    return hypot(a[0] - b[0], a[1] - b[1])


def polar(p, a: float, length: float):
    return add(p, vec(a, length))


def lerp(a, b, t: float):
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)


def norm(a: float) -> float:
    """The same angle in (-180, 180]."""
    a = (a + 180.0) % 360.0 - 180.0
    return 180.0 if a == -180.0 else a


def local(frame, point):
    """A point in a frame's coordinates, frame = (origin, angle)."""
    (ox, oy), a = frame
    c, s = cos(radians(a)), sin(radians(a))
    return (ox + point[0] * c - point[1] * s, oy + point[0] * s + point[1] * c)


def two_bone(root, target, a: float, b: float, bend: float):
    """Middle and end joint of a two-bone limb reaching for target. bend=+1 puts the middle joint on
    the clockwise side of the line from root to target, -1 on the other: a knee or an elbow only
    ever bends one way, so the caller says which."""
    d = dist(root, target)
    reach = min(max(d, abs(a - b) + 1e-6), a + b - 1e-6)
    base = angle(sub(target, root))
    spread = degrees(acos((a * a + reach * reach - b * b) / (2 * a * reach)))
    mid = polar(root, base + bend * spread, a)
    return mid, polar(root, base, reach)


def bisect(f, lo: float, hi: float, steps: int = 40) -> float:
    """Root of f between lo and hi: the one angle that puts a body part where it must be."""
    flo = f(lo)
    if (flo > 0) == (f(hi) > 0):
        raise ValueError("bisect: no sign change")
    for _ in range(steps):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm > 0) == (flo > 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


# ---------------------------------------------------------------------------------------------
# A pose spec (a plain dict, so two can be blended key by key):
#
#   hip=(x, y) or sh=(x, y)   where the hip joint (or the shoulder joint) is
#   t                         direction of the trunk from hip joint to shoulder joint
#   pelvis                    or the direction of the pelvis itself, whatever the bends above it
#   lb, ub                    rounding of the low back and of the upper back in degrees (arching is
#                             negative); lb spreads over the two lumbar joints
#   neck, head                bend of the neck on the trunk and of the head on the neck (chin down
#                             is positive)
#   an, af, ln, lf            the arms and legs ("n" near or lower, "f" far or upper):
#       ("a", a1, a2[, a3])          world directions of the upper bone, the lower bone, the hand/foot
#       ("rel", r1, r2[, r3])        the same, each relative to its parent bone
#       ("ik", target, bend[, a3])   wrist or ankle at target, elbow or knee to the bend side
#       ("p", mid, end[, a3])        elbow/knee and wrist/ankle placed (limbs turned towards the viewer
#                                    look shorter; bones then show foreshortened); a3 may be a point,
#                                    where the toes or knuckles show
#       ("twin",)                    (far limbs only) every joint as in the near limb
#   view                      "side" (default) or "front" (a body lying on its side, seen from the front)
#   o                         per limb (x, y) offsets of its root joint in the frame of the bone it
#                             hangs from (x towards the head, y towards the front), for limbs that sit apart
#
# Hands and feet: a3 is their world direction; without it a hand carries on the forearm's line and
# a foot stands at a right angle to the shin.

LIMBS = ("an", "af", "ln", "lf")
DEFAULTS = {"lb": 0.0, "ub": 0.0, "neck": 0.0, "head": 0.0, "view": "side"}


def full(spec: dict) -> dict:
    out = dict(DEFAULTS)
    out.update(spec)
    out["o"] = {k: tuple(spec.get("o", {}).get(k, (0.0, 0.0))) for k in LIMBS}
    return out


def blend(a, b, t: float):
    """A spec part way from a to b (t from 0 to 1)."""
    if isinstance(a, dict) and "t" in a:
        a, b = full(a), full(b)
        if ("hip" in a) != ("hip" in b):
            raise ValueError("blended poses must hang from the same root")
    if isinstance(a, dict):
        return {k: blend(a[k], b[k], t) if k in b else a[k] for k in a}
    if isinstance(a, tuple):
        if a and isinstance(a[0], str) and a[0] != b[0]:
            raise ValueError(f"cannot blend limb kinds {a[0]} and {b[0]}")
        return tuple(blend(x, y, t) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and not isinstance(a, bool) and b is not None:
        return a + (b - a) * t
    return a


@dataclass
class Pose:
    """A solved pose: every bone's joint position, world direction and shown length."""

    view: str
    joint: dict[str, tuple[float, float]] = field(default_factory=dict)
    direction: dict[str, float] = field(default_factory=dict)
    length: dict[str, float] = field(default_factory=dict)

    def frame(self, bone: str):
        return self.joint[bone], self.direction[bone]

    def end(self, bone: str):
        return polar(self.joint[bone], self.direction[bone], self.length[bone])

    def relative(self, bone: str) -> float:
        parent = PARENT[bone]
        own = self.direction[bone]
        return norm(own if parent is None else own - self.direction[parent])

    def point(self, name: str):
        """Named landmarks: shoulder_n, elbow_n, wrist_n, hip_n, knee_n, ankle_n, and the bones' joints."""
        side = name[-1]
        alias = {"shoulder": "upperarm", "elbow": "forearm", "wrist": "hand", "knee": "shin", "ankle": "foot"}
        base = name[:-2]
        if base in alias:
            return self.joint[f"{alias[base]}_{side}"]
        if base == "hip" and side in "nf":
            return self.joint[f"thigh_{side}"]
        return self.joint[name]

    def circles(self, bones=None):
        """(x, y, r) of every circle drawn: a capsule lies inside the hull of its two circles, so
        these bound the figure exactly."""
        shapes = FRONT_SHAPES if self.view == "front" else SIDE_SHAPES
        for bone in bones or PARENT:
            k = kind(bone)
            scale = self.length[bone] / LENGTH[k] if LENGTH[k] else 1.0
            for c in shapes[k]:
                for x, y, r in circles_of(c):
                    px, py = local(self.frame(bone), (x * scale, y))
                    yield px, py, r


def solve(spec: dict) -> Pose:
    spec = full(spec)
    view = spec["view"]
    pose = Pose(view)
    # The spine: the pelvis turns so that the line from hip joint to shoulder joint points along t,
    # whatever the bends above it.
    bends = (spec["lb"] / 2, spec["lb"] / 2, spec["ub"])
    pts, a = [(0.0, 0.0)], 0.0
    angles = [0.0]
    for length, bend in zip(SPINE[:3], bends, strict=True):
        pts.append(polar(pts[-1], a, length))
        a += bend
        angles.append(a)
    shoulder = polar(pts[-1], a, SPINE[3] - SHOULDER_AT)
    # "pelvis" pins the pelvis instead (a curl-up bends the spine above a pelvis that stays put).
    pelvis = spec["pelvis"] if "pelvis" in spec else spec["t"] - angle(shoulder)
    hip = spec["hip"] if "hip" in spec else sub(spec["sh"], local(((0.0, 0.0), pelvis), shoulder))
    for bone, p, a in zip(("pelvis", "waist", "chest", "upper"), pts, angles, strict=True):
        pose.joint[bone] = local((hip, pelvis), p)
        pose.direction[bone] = pelvis + a
        pose.length[bone] = LENGTH[bone]
    pose.joint["neck"] = pose.end("upper")
    pose.direction["neck"] = pose.direction["upper"] + spec["neck"]
    pose.length["neck"] = NECK
    pose.joint["head"] = pose.end("neck")
    pose.direction["head"] = pose.direction["neck"] + spec["head"]
    pose.length["head"] = 0.0

    for side in "nf":
        mirror = 1 if side == "n" else -1
        ax, ay = ATTACH[view]["arm"]
        lx, ly = ATTACH[view]["leg"]
        (oax, oay), (olx, oly) = spec["o"]["a" + side], spec["o"]["l" + side]
        sh = local(pose.frame("upper"), (ax + oax, ay * mirror + oay))
        hp = local(pose.frame("pelvis"), (lx + olx, ly * mirror + oly))
        _limb(pose, spec["a" + side], sh, ("upperarm", "forearm", "hand"), side, UPPER, FORE, 0)
        _limb(pose, spec["l" + side], hp, ("thigh", "shin", "foot"), side, THIGH, SHIN, -90)
    return pose


def _limb(pose: Pose, spec, root, names, side, a: float, b: float, tip_turn: float):
    upper, lower, tip = (f"{n}_{side}" for n in names)
    k = spec[0]
    if k == "twin":
        # The far limb exactly as the near one, from its own root: drawn as a copy of it.
        pose.joint[upper] = root
        for n in names:
            pose.direction[f"{n}_{side}"] = pose.direction[f"{n}_n"]
            pose.length[f"{n}_{side}"] = pose.length[f"{n}_n"]
        pose.joint[lower] = pose.end(upper)
        pose.joint[tip] = pose.end(lower)
        return
    if k == "a":
        mid = polar(root, spec[1], a)
        end = polar(mid, spec[2], b)
    elif k == "rel":
        d1 = pose.direction[PARENT[upper]] + spec[1]
        mid = polar(root, d1, a)
        end = polar(mid, d1 + spec[2], b)
    elif k == "ik":
        mid, end = two_bone(root, spec[1], a, b, spec[2])
    elif k == "p":
        mid, end = spec[1], spec[2]
    else:
        raise ValueError(f"unknown limb kind {k!r}")
    pose.joint[upper], pose.joint[lower], pose.joint[tip] = root, mid, end
    pose.direction[upper], pose.direction[lower] = angle(sub(mid, root)), angle(sub(end, mid))
    pose.length[upper], pose.length[lower] = dist(root, mid), dist(mid, end)
    extra = spec[3] if len(spec) > 3 else None
    if extra is None:
        # A hand carries on the forearm's line; a foot stands square to the shin, towards the front.
        extra = pose.direction[lower] + tip_turn
    elif k == "rel":
        extra = pose.direction[lower] + extra
    pose.length[tip] = LENGTH[names[2]]
    if isinstance(extra, tuple):  # a tip point: the hand or foot turned towards the viewer, foreshortened
        pose.length[tip] = min(dist(end, extra), LENGTH[names[2]])
        extra = angle(sub(extra, end))
    pose.direction[tip] = extra
