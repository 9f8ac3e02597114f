"""Pose data for the exercise figures: a start and an end position for every exercise, as joint coordinates."""

from __future__ import annotations

from math import acos, asin, atan2, cos, degrees, hypot, radians, sin, sqrt

# One body for every picture, so that a thigh is the same length in every exercise and a
# patient comparing two figures never sees a different person. Lengths follow common
# anthropometric ratios for a standing height of about 172 units.
THIGH, SHIN, FOOT = 44, 42, 14
TORSO, NECK = 49, 22  # hip to shoulder; shoulder to head centre
UPPER, FORE, HAND = 30, 26, 9  # shoulder to elbow, elbow to wrist, wrist to knuckles
LIMB_W, TORSO_W, HEAD_R = 9, 16, 11
LIMB, BODY = LIMB_W / 2, TORSO_W / 2
ARM = UPPER + FORE

# Everything stands on the same floor, so the figures line up when shown side by side.
FLOOR = 184  # top of the floor line
MAT = 179  # top of a mat lying on the floor
LIE = MAT - BODY  # centre line of a trunk lying on the mat
ON_MAT = MAT - LIMB  # centre line of an arm or leg lying on the mat
ON_FLOOR = FLOOR - LIMB  # centre line of a foot standing on the floor

# Side-lying exercises are seen from the front, where a knee or a forearm that comes towards
# the viewer would otherwise vanish behind the body: points nearer the viewer are drawn a little
# lower, as if seen from slightly above, and the mat becomes a band of floor reaching back.
DEPTH = 0.5
SIDE_LINE = 166  # where a body lying on its side meets the mat; the front edge is still FLOOR


def vec(a: float, length: float = 1.0) -> tuple[float, float]:
    """Screen vector for an angle in degrees, counted anticlockwise from pointing right."""
    r = radians(a)
    return (length * cos(r), -length * sin(r))


def angle(v) -> float:
    return degrees(atan2(-v[1], v[0]))


def add(p, v, k: float = 1.0):
    return (p[0] + k * v[0], p[1] + k * v[1])


def sub(a, b):
    return (a[0] - b[0], a[1] - b[1])


def dist(a, b) -> float:
    return hypot(a[0] - b[0], a[1] - b[1])


def polar(p, a, length):
    return add(p, vec(a, length))


def toward(p, q, length):
    """The point length along the line from p to q."""
    return polar(p, angle(sub(q, p)), length)


def two_bone(root, target, a, b, hint):
    """Middle and end joint of a two-bone limb reaching for target; the middle joint bends
    towards hint, because a knee or elbow only ever bends one way."""
    d = dist(root, target)
    reach = min(max(d, abs(a - b) + 1e-6), a + b - 1e-6)
    base = angle(sub(target, root))
    spread = degrees(acos((a * a + reach * reach - b * b) / (2 * a * reach)))
    end = polar(root, base, reach)
    centre = ((root[0] + end[0]) / 2, (root[1] + end[1]) / 2)
    best = None
    for s in (1, -1):
        mid = polar(root, base + s * spread, a)
        score = (mid[0] - centre[0]) * hint[0] + (mid[1] - centre[1]) * hint[1]
        if best is None or score > best[0]:
            best = (score, mid)
    return best[1], end


def front_view(x, y, z):
    """Project a point of a side-lying body (z towards the viewer) onto the picture."""
    return (x, y + DEPTH * z)


def knee_out(hip3, ankle3, a=THIGH, b=SHIN, away=False):
    """Knee of a leg turned out to the side (figure-4 stretch): of all the knee positions that fit
    the hip and the ankle, the one nearest the viewer (or farthest, with away), projected like
    front_view."""
    u = [ankle3[i] - hip3[i] for i in range(3)]
    d = sqrt(sum(x * x for x in u))
    u = [x / d for x in u]
    along = (a * a - b * b + d * d) / (2 * d)
    radius = sqrt(max(a * a - along * along, 0))
    w = [-u[2] * u[0], -u[2] * u[1], 1 - u[2] * u[2]]
    if away:
        w = [-x for x in w]
    n = sqrt(sum(x * x for x in w))
    k = [hip3[i] + along * u[i] + radius * w[i] / n for i in range(3)]
    return front_view(*k)


def bisect(f, lo, hi, steps=60):
    """Root of f between lo and hi; used to find the one angle that makes a body line straight."""
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
# A pose is a small spec: where the trunk is, and for each limb either its segment angles
# ("a"), a target for the wrist or ankle that the elbow or knee bends to reach ("ik"), points in
# the trunk's own frame ("r", for arms folded across the chest) or plain points ("p", for limbs
# seen foreshortened). Specs can be blended, which is how the animation gets its in-between
# frames without shrinking a bone. solve() turns a spec into joint coordinates.
#
#   arm: ("a", upper, forearm[, hand]) | ("ik", wrist, hint[, hand]) | ("r"/"p", elbow, wrist[, knuckles])
#   leg: ("a", thigh, shin[, foot])    | ("ik", ankle, hint[, foot]) | ("p", knee, ankle[, toe])
#
# Angles are in degrees, anticlockwise from pointing right. face is 1 when the front of the body
# faces right while standing (or up while lying on the back with the head to the left).

DEFAULTS = {"face": 1, "view": "side", "b": 0, "bl": 0, "bu": 0, "nf": 0}
LIMBS = ("an", "af", "ln", "lf")


def full(spec: dict) -> dict:
    """The spec with every optional field filled in, so that any two specs can be blended."""
    out = dict(DEFAULTS)
    out.update(spec)
    out["o"] = {k: tuple(spec.get("o", {}).get(k, (0, 0))) for k in LIMBS}
    return out


def solve(spec: dict) -> dict:
    spec = full(spec)
    face = spec["face"]
    u = vec(spec["t"])
    if "hip" in spec:
        hip = spec["hip"]
        sh = add(hip, u, TORSO)
    else:
        sh = spec["sh"]
        hip = add(sh, u, -TORSO)
    front = (-face * u[1], face * u[0])
    # The spine is a cubic curve: b bows all of it, bl only the low back, bu only the upper back.
    # Positive values round it (bow towards the back), negative values arch it.
    c1 = add(add(hip, u, TORSO / 3), front, -(spec["b"] * 2 / 3 + spec["bl"]))
    c2 = add(add(hip, u, TORSO * 2 / 3), front, -(spec["b"] * 2 / 3 + spec["bu"]))
    tan_sh, tan_hip = angle(sub(sh, c2)), angle(sub(c1, hip))
    head_a = tan_sh - face * spec["nf"]
    pose = {
        "face": face,
        "view": spec["view"],
        "hip": hip,
        "shoulder": sh,
        "c1": c1,
        "c2": c2,
        "head": polar(sh, head_a, NECK),
        "neck": polar(sh, head_a, 7),
        "tan_sh": tan_sh,
        "tan_hip": tan_hip,
        "types": {},
    }
    for side in "nf":
        arm, leg = spec["a" + side], spec["l" + side]
        root = add(sh, spec["o"]["a" + side])
        elbow, wrist = _limb(arm, root, UPPER, FORE, u, front)
        hand = _tip(arm, elbow, wrist, HAND, None)
        pose.update({"sh_" + side: root, "elbow_" + side: elbow, "wrist_" + side: wrist, "hand_" + side: hand})
        root = add(hip, spec["o"]["l" + side])
        knee, ankle = _limb(leg, root, THIGH, SHIN, u, front)
        toe = _tip(leg, knee, ankle, FOOT, angle(sub(ankle, knee)) + face * 90)
        pose.update({"hip_" + side: root, "knee_" + side: knee, "ankle_" + side: ankle, "toe_" + side: toe})
        pose["types"]["a" + side], pose["types"]["l" + side] = arm[0], leg[0]
    return pose


def _limb(spec, root, a, b, up, front):
    kind = spec[0]
    if kind == "a":
        mid = polar(root, spec[1], a)
        return mid, polar(mid, spec[2], b)
    if kind == "ik":
        return two_bone(root, spec[1], a, b, spec[2])
    if kind == "r":
        return tuple(add(add(root, up, p[0]), front, p[1]) for p in spec[1:3])
    if kind == "p":
        return spec[1], spec[2]
    raise ValueError(f"unknown limb kind {kind!r}")


def _tip(spec, mid, end, length, relaxed):
    """Hand or foot. Without an angle a hand carries on the line of the forearm and a foot sits
    at a right angle to the shin."""
    extra = spec[3] if len(spec) > 3 else None
    if spec[0] == "p" and extra is not None:
        return extra
    if extra is None:
        extra = angle(sub(end, mid)) if relaxed is None else relaxed
    return polar(end, extra, length)


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


# ---------------------------------------------------------------------------------------------
# Building blocks shared by several exercises.

HIP_X = 178  # hip of a figure lying on its back, head to the left
_SIDE = -degrees(asin((ON_MAT - LIE) / ARM))
ARM_BY_SIDE = ("a", _SIDE, _SIDE)  # lying on the back, straight arm resting on the mat
_FLAT = -degrees(asin((ON_MAT - LIE) / (THIGH + SHIN)))
LEG_FLAT = ("a", _FLAT, _FLAT, 70)  # straight leg resting on the mat, toes up
_ALONG = 180 - _SIDE
ARM_ALONG = ("a", _ALONG, _ALONG)  # lying on the front, straight arm beside the body


def hands_on(point, spread=3):
    """Both hands resting flat on the body at point (belly, waist), elbows down on the mat out to
    the sides, so seen from the side the arms look short."""

    def arm(p):
        elbow = (p[0] - 16, ON_MAT)
        wrist = (p[0] - 4, p[1] + 1)
        return ("p", elbow, wrist, (wrist[0] + HAND, p[1]))

    return {"an": arm(point), "af": arm(add(point, (spread, 1)))}


def crook(hip_x=HIP_X, reach=58):
    """Knee bent, foot flat on the mat."""
    return ("ik", (hip_x + reach, ON_MAT), (0, -1), 0)


def supine(**kw):
    spec = {
        "face": 1,
        "hip": (HIP_X, LIE),
        "t": 180,
        "nf": 8,
        "an": ARM_BY_SIDE,
        "af": ARM_BY_SIDE,
        "ln": crook(),
        "lf": crook(),
    }
    spec.update(kw)
    return spec


def all_fours(knee_x=124, **kw):
    """Wrists under shoulders, knees under hips, hands flat. With real proportions the back
    rises gently towards the shoulders, so it does here too."""
    t = degrees(asin((ARM - THIGH) / TORSO))
    spec = {
        "face": 1,
        "hip": (knee_x, ON_MAT - THIGH),
        "t": t,
        "an": ("a", -90, -90, 0),
        "af": ("a", -90, -90, 0),
        "ln": ("a", -90, 180, 180),
        "lf": ("a", -90, 180, 180),
        "o": {"af": (4, 0), "lf": (-3, 0)},
    }
    spec.update(kw)
    return spec


def prone(hip_x=136, **kw):
    """Lying on the front, head to the right, arms along the body."""
    thigh = 180 + degrees(asin((ON_MAT - LIE) / THIGH))
    spec = {
        "face": 1,
        "hip": (hip_x, LIE),
        "t": 0,
        "nf": -8,
        "an": ARM_ALONG,
        "af": ARM_ALONG,
        "ln": ("a", thigh, 180, 180),
        "lf": ("a", thigh, 180, 180),
    }
    spec.update(kw)
    return spec


def on_elbows(elbow_x, **kw):
    """Forearms on the mat, elbows under the shoulders, hips down, belly resting."""
    sh = (elbow_x, ON_MAT - UPPER)
    t = degrees(asin((LIE - sh[1]) / TORSO))
    spec = prone(t=t, b=-9, nf=28, an=("a", -90, 0), af=("a", -90, 0), o={"af": (3, 0)})
    del spec["hip"]
    spec["sh"] = sh
    spec.update(kw)
    return spec


def arrow(p0, p1, bend=0.0, both=False):
    """An accent arrow from p0 to p1, bowed sideways by bend units."""
    m = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
    d = sub(p1, p0)
    n = hypot(*d) or 1
    ctrl = (m[0] - d[1] / n * bend, m[1] + d[0] / n * bend)
    return ("arrow", p0, ctrl, p1, both)


def glow(p, r=13):
    """A soft warm spot, drawn under the body, for muscles that work without visible movement."""
    return ("glow", p, r)


CHAIR = {"seat_y": 146, "back_x": 52, "front_x": 100}
SEAT_HIP = (80, CHAIR["seat_y"] - BODY)


def seated(**kw):
    spec = {
        "face": 1,
        "hip": SEAT_HIP,
        "t": 88,
        "an": ("ik", (104, SEAT_HIP[1] - 6), (-1, 0.4)),
        "af": ("ik", (107, SEAT_HIP[1] - 6), (-1, 0.4)),
        "ln": ("ik", (118, ON_FLOOR), (1, -0.3), 0),
        "lf": ("ik", (121, ON_FLOOR), (1, -0.3), 0),
    }
    spec.update(kw)
    return spec


def side_lying(t, legs, top_arm, bottom_arm, **root):
    """Front view of a body lying on its side, head to the left. Limbs start from the upper and
    lower edge of the trunk, so the two legs lie stacked rather than on top of each other."""
    u = vec(t)
    up = (-u[1], u[0])  # towards the ceiling side of the trunk
    return dict(
        face=1,
        view="front",
        t=t,
        nf=0,
        an=bottom_arm,
        af=top_arm,
        ln=legs[0],
        lf=legs[1],
        o={"ln": (up[0] * 4.5, up[1] * 4.5), "lf": (-up[0] * 4.5, -up[1] * 4.5), "af": (up[0] * 4, up[1] * 4)},
        **root,
    )


# The upper arm of a side-lying figure lies along the top of the trunk, hand on the hip. It is
# drawn over the trunk in the lighter shade, so it reads as a separate limb.
TOP_ARM = ("r", (-22, 7), (-TORSO + 8, 5))
SIDE_ORDER = (("lf", "far"), ("t", "ink"), ("head", "ink"), ("af", "far"), ("ln", "ink"), ("an", "ink"))


# ---------------------------------------------------------------------------------------------
# The exercises. Each gives start and end specs, whether and how it moves, props and accents,
# and a description used when the exercise file has no illustration_alt yet.


def _drawing_in():
    belly = (HIP_X - 13, LIE - 7)
    s = supine(**hands_on((HIP_X - 10, LIE - 8)))  # fingertips on the lower belly
    return {
        "start": s,
        "end": s,
        "ghost": False,
        "props": [("mat", 40, 290)],
        "marks": [glow(belly, 14), arrow((belly[0], belly[1] - 32), (belly[0], belly[1] - 13))],
        "desc": "A person lies on their back on a mat with knees bent and feet flat. "
        "A small arrow at the lower belly shows it drawing gently in towards the spine.",
    }


def _abdominal_brace():
    waist = (HIP_X - 22, LIE - 4)
    s = supine(**hands_on((HIP_X - 22, LIE - 3)))  # hands on the sides of the waist
    return {
        "start": s,
        "end": s,
        "ghost": False,
        "props": [("mat", 40, 290)],
        "marks": [
            glow(waist, 19),
            arrow((waist[0] - 34, waist[1] - 28), (waist[0] - 16, waist[1] - 16), 3),
            arrow((waist[0] + 12, waist[1] - 40), (waist[0] + 4, waist[1] - 21), -3),
        ],
        "desc": "A person lies on their back on a mat with knees bent and feet flat. Two small arrows "
        "point at the middle of the trunk, which firms up all the way round while breathing goes on.",
    }


def _heel_slide():
    s = supine()
    e = supine(ln=("ik", (HIP_X + 82, ON_MAT), (0, -1), 62))
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 300)],
        "arrows": [arrow((HIP_X + 64, 193), (HIP_X + 92, 193), both=True)],
        "desc": "A person lies on their back with both knees bent. One heel slides along the mat "
        "until that leg is almost straight, then slides back; the back stays still.",
    }


def _sit_to_stand():
    arms = {"an": ("r", (-26, 9), (-6, 12)), "af": ("r", (-26, 12), (-6, 15))}
    s = seated(t=86, **arms)
    lean = seated(hip=(SEAT_HIP[0] + 6, SEAT_HIP[1] - 3), t=52, nf=-8, **arms)
    stand_y = ON_FLOOR - sqrt((THIGH + SHIN - 1) ** 2 - 4**2)
    e = seated(hip=(114, stand_y), t=90, **arms)
    return {
        "start": s,
        "end": e,
        "keys": [(s, 0.1), (lean, 0), (e, 0.15), (lean, 0)],
        "props": [("chair",)],
        "arrows": [arrow((150, 128), (150, 96), -8)],
        "desc": "A person sits near the front of a chair with feet flat and arms crossed on the chest. "
        "They lean forward and stand up tall, then sit back down with control.",
    }


def _pelvic_floor_squeeze():
    s = seated(t=90)
    p = (SEAT_HIP[0] + 5, SEAT_HIP[1] + 3)
    return {
        "start": s,
        "end": s,
        "ghost": False,
        "props": [("chair",)],
        "marks": [glow(p, 13), arrow((p[0] + 19, p[1] - 4), (p[0] + 19, p[1] - 24))],
        "desc": "A person sits upright on a chair with feet flat and hands resting on the thighs. "
        "A small upward arrow at the pelvis shows the pelvic floor squeezing and lifting.",
    }


def _pelvic_tilt():
    s = supine(bl=-11)
    e = supine(bl=1.5)
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 290)],
        "arrows": [arrow((HIP_X + 14, LIE - 24), (HIP_X - 16, LIE - 25), -9)],
        "desc": "A person lies on their back with knees bent. The low back starts with a small "
        "natural gap under it, then the pelvis rocks back so the low back rests flat on the mat.",
    }


def _knee_rolls():
    # Seen from the side and a little from above (like the side-lying figures), so that the arms
    # lying out to the sides show, and knees rolling towards the viewer come down onto the mat in
    # front of the body instead of just looking lower. Points are placed in 3D (z towards the
    # viewer) and projected with front_view.
    line = SIDE_LINE - 14  # where the back meets the mat
    hip, y = (HIP_X, line - BODY), line - LIMB
    sh = (HIP_X - TORSO, hip[1])

    def arm(z0, side):
        """Straight arm lying on the mat, out to the side at 50 degrees from the body."""
        a = radians(50)
        pts = [(sh[0] + d * cos(a), y, z0 + side * d * sin(a)) for d in (UPPER, ARM, ARM + HAND)]
        return ("p", *(front_view(*q) for q in pts))

    def leg(z, turn):
        """Knee bent, foot flat; the knee rolls by turn degrees about the line from hip to heel,
        towards the viewer."""
        hip3, ankle3 = (hip[0], hip[1], z), (HIP_X + 58, y, z)
        u = [ankle3[i] - hip3[i] for i in range(3)]
        d = sqrt(sum(c * c for c in u))
        u = [c / d for c in u]
        along = (THIGH**2 - SHIN**2 + d * d) / (2 * d)
        r = sqrt(THIGH**2 - along**2)
        w = (0, -cos(radians(turn)), sin(radians(turn)))  # straight up, turned towards the viewer
        k = sum(w[i] * u[i] for i in range(3))
        w = [w[i] - k * u[i] for i in range(3)]
        n = sqrt(sum(c * c for c in w))
        knee3 = [hip3[i] + along * u[i] + r * w[i] / n for i in range(3)]
        return ("p", front_view(*knee3), front_view(*ankle3), front_view(ankle3[0] + FOOT, y, z))

    def spec(turn):
        return {
            "face": 1,
            "view": "front",
            "hip": hip,
            "t": 180,
            "nf": 8,
            "an": arm(12, 1),
            "af": arm(-12, -1),
            "ln": leg(5, turn),
            "lf": leg(-5, turn),
            "o": {"an": front_view(0, 0, 12), "af": front_view(0, 0, -12), "ln": (0, 2.5), "lf": (0, -2.5)},
        }

    s, e = spec(0), spec(78)
    k0, k1 = s["ln"][1], e["ln"][1]
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("sidemat", line - 40)],
        "arrows": [arrow((k0[0] + 12, k0[1] - 4), (k1[0] + 14, k1[1] + 2), -12)],
        "desc": "A person lies on their back with knees bent and together. Both knees roll slowly "
        "to one side as far as is comfortable, shoulders staying on the mat, then come back.",
    }


def _cat_camel():
    s = all_fours(b=20, nf=50)
    e = all_fours(b=-10, nf=-14)
    base = solve(all_fours())
    mid = ((base["c1"][0] + base["c2"][0]) / 2, (base["c1"][1] + base["c2"][1]) / 2)
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 280)],
        "arrows": [arrow((mid[0] - 6, mid[1] - 34), (mid[0] - 6, mid[1] - 12), both=True)],
        "desc": "A person on hands and knees first rounds the back up towards the ceiling with the "
        "head dropping, then lets the back dip gently with the head lifting a little.",
    }


def _childs_pose():
    knee = (124, ON_MAT)
    # Shins flat on the mat, tops of the feet down. The feet tip a touch towards the toes so the
    # ankle stays in range while the knee lifts slightly on the way back.
    ankle = (knee[0] - SHIN, ON_MAT - 0.5)
    legs = {"ln": ("ik", ankle, (1, 0.4), 182), "lf": ("ik", add(ankle, (-3, 0)), (1, 0.4), 182)}
    s = solve(all_fours(**legs))
    # Sitting back on the heels: the hip comes down just above them, the thigh resting on the calf.
    hip_y = MAT - 25
    th1 = 180 - degrees(asin((knee[1] - hip_y) / THIGH))
    hip1 = polar(knee, th1, THIGH)
    # The chest rests on the thighs with the back rounded; shoulders stay a little off the mat,
    # so the forehead can rest on it just in front of the knees.
    t1 = -degrees(asin((LIE - 16 - hip1[1]) / TORSO))
    p = solve(all_fours(hip=hip1, t=t1, b=10, bu=4, **legs))
    sh = p["shoulder"]
    head = (sh[0] + sqrt(NECK**2 - (MAT - HEAD_R - sh[1]) ** 2), MAT - HEAD_R)  # forehead on the mat
    nf1 = p["tan_sh"] - angle(sub(head, sh))
    reach = (sh[0] + ARM - 3, ON_MAT)  # arms stretched forward on either side of the head

    def spec(u, r=THIGH):
        """u = 0 on hands and knees, 1 sat back. The hip swings round the knee, which stays down;
        the hands slide forward along the mat."""
        w = (s["wrist_n"][0] + (reach[0] - s["wrist_n"][0]) * u, ON_MAT)
        return all_fours(
            hip=polar(knee, 90 + (th1 - 90) * u, r),
            t=s["tan_sh"] + (t1 - s["tan_sh"]) * u,
            b=10 * u,
            bu=4 * u,
            nf=nf1 * u,
            an=("ik", w, (-1, 1), 0),
            af=("ik", add(w, (4, 0)), (-1, 1), 0),
            **legs,
        )

    # Half way the hip is a little further from the knee (about the sag of the arc cut short by
    # the blended frames either side of it), so that those frames keep the knee on the mat rather
    # than in it.
    a, b, d = spec(0), spec(0.5, THIGH / cos(radians((th1 - 90) / 4)) + 0.8), spec(1)
    h0, h1 = s["hip"], hip1
    return {
        "start": a,
        "end": d,
        "keys": [(a, 0.15), (b, 0), (d, 0.2), (b, 0)],
        "props": [("mat", 30, 300)],
        "arrows": [arrow((h0[0] - 6, h0[1] - 14), (h1[0] - 8, h1[1] - 16), 10)],
        "desc": "A person starts on hands and knees, then sits back towards the heels with the arms "
        "reaching forward on the mat and the forehead resting down.",
    }


def _knee_to_chest(both=False):
    s = supine()
    th, sh_a = 112, -20  # knee drawn in far enough to hold it with nearly straight arms
    knee = polar((HIP_X, LIE), th, THIGH)
    behind = add(polar((HIP_X, LIE), th, 36), vec(th - 90, 4))  # back of the thigh, near the knee
    sh = solve(s)["shoulder"]
    wrist = toward(sh, behind, min(ARM - 1, dist(sh, behind) - HAND + 2))  # fingers reach the thigh
    e = supine(ln=("a", th, sh_a), an=("ik", wrist, (1, 1)), af=("ik", add(wrist, (3, 1)), (1, 1)))
    if both:
        e["lf"] = ("a", th - 4, sh_a - 2)
        e["o"] = {"lf": (3, 0)}
    k0 = solve(s)["knee_n"]
    return {
        "start": s,
        "end": e,
        "props": [("mat", 40, 290)],
        "arrows": [arrow((k0[0] + 6, k0[1] - 16), (knee[0] + 20, knee[1] - 16), -10)],
        "desc": (
            "A person lies on their back with knees bent, then hugs both knees towards the chest "
            "with the hands just below the knees; head and shoulders stay relaxed on the mat."
            if both
            else "A person lies on their back with knees bent, then draws one knee towards the chest "
            "with both hands just below the knee; the other foot stays flat on the mat."
        ),
    }


def _prone_on_elbows():
    sh = solve(prone())["shoulder"]
    # Hands stacked under the forehead, elbows out to the sides: seen from the side the arms
    # are foreshortened and the head sits a little higher.
    fold = ("p", (sh[0] + 10, ON_MAT), (sh[0] + 21, ON_MAT - 2), (sh[0] + 31, ON_MAT - 2))
    fold_f = ("p", (sh[0] + 13, ON_MAT), (sh[0] + 23, ON_MAT - 5), (sh[0] + 33, ON_MAT - 5))
    return {
        "start": prone(nf=-24, an=fold, af=fold_f),
        "end": on_elbows(184),
        "props": [("mat", 30, 290)],
        "desc": "A person lies on their front, then props up on the forearms with the elbows under the "
        "shoulders; the hips and legs stay relaxed on the mat.",
    }


def _prone_press_up():
    wrist = (192, ON_MAT)
    sh0 = solve(prone())["shoulder"]
    # Lying flat with the hands by the shoulders the elbows point up and out to the sides, so
    # seen from the side the arms look shorter than they are.
    s = prone(
        an=("p", (sh0[0] - 8, sh0[1] - 18), wrist, add(wrist, (HAND, 0))),
        af=("p", (sh0[0] - 5, sh0[1] - 17), add(wrist, (3, 0)), add(wrist, (3 + HAND, 0))),
    )
    up = {"t": 44, "bl": -12, "nf": 24}
    top = solve(prone(**up))["shoulder"]
    el_n, _ = two_bone(top, wrist, UPPER, FORE, (-1, 0.2))
    el_f, _ = two_bone(top, add(wrist, (3, 0)), UPPER, FORE, (-1, 0.2))
    e = prone(
        an=("p", el_n, wrist, add(wrist, (HAND, 0))),
        af=("p", el_f, add(wrist, (3, 0)), add(wrist, (3 + HAND, 0))),
        **up,
    )
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 30, 290)],
        "arrows": [arrow((top[0] - 34, 150), (top[0] - 30, 116), -9)],
        "desc": "A person lies on their front with hands flat by the shoulders. They straighten the "
        "arms to press the chest up while the hips stay down on the mat, then lower.",
    }


def _glute_bridge(single=False):
    sh = (HIP_X - TORSO + 6, LIE)
    ankle = (sh[0] + TORSO + 50, ON_MAT)

    def gap(phi):  # shoulders, hips and knees in one line, foot still flat where it was
        return dist(add(sh, vec(phi, TORSO + THIGH)), ankle) - SHIN

    phi = bisect(gap, 0, 45)
    feet = ("ik", ankle, (0, -1), 0)
    s = {"face": 1, "sh": sh, "t": 180, "nf": 8, "an": ARM_BY_SIDE, "af": ARM_BY_SIDE, "ln": feet, "lf": feet}
    e = dict(s, t=180 + phi, nf=8 + phi)  # the head stays resting on the mat
    text = (
        "A person lies on their back with knees bent and feet flat, then lifts the hips until "
        "shoulders, hips and knees form one straight line."
    )
    if single:
        thigh = angle(sub(solve(s)["knee_n"], solve(s)["hip"]))
        s["lf"] = ("a", thigh, thigh, thigh + 70)
        e["lf"] = ("a", phi, phi, phi + 70)
        text = (
            "A person lies on their back with one foot flat and the other leg straight, thighs level. "
            "They lift the hips until the body and the straight leg make one line."
        )
    hip1 = solve(e)["hip"]
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 290)],
        "arrows": [arrow((hip1[0] - 16, hip1[1] - 8), (hip1[0] - 16, hip1[1] - 30))],
        "desc": text,
    }


def _bird_dog(both):
    s = all_fours()
    leg = ("a", -176, 184, 274)  # the thigh swings back, never forwards through the floor
    if both:
        # The reaching arm is the far one, so it passes behind the head as it does in life.
        e = all_fours(af=("a", 14, 14, 14), ln=leg, nf=4)
        text = (
            "A person on hands and knees reaches one arm forward and the opposite leg back until "
            "both are level with the back, keeping the back still."
        )
    else:
        e = all_fours(ln=leg, nf=4)
        text = (
            "A person on hands and knees slides one leg back and lifts it until it is level with "
            "the back, keeping the back and hips still. Both hands stay on the mat."
        )
    # On the way the knee leaves the mat first, so the toes never scrape through it.
    lift = dict(e, ln=("a", -100, 170, 190)) if not both else dict(e, ln=("a", -100, 170, 190), af=("a", -40, -20, -20))
    return {
        "start": s,
        "end": e,
        "keys": [(s, 0.12), (lift, 0), (e, 0.16), (lift, 0)],
        "props": [("mat", 30, 300)],
        "desc": text,
    }


def _dead_bug(arms):
    table = ("a", 90, 0, 60)
    if arms:
        up = ("a", 90, 90)
        o = {"lf": (3, 0), "af": (3, 0)}
        s = supine(an=up, af=up, ln=table, lf=table, o=o)
        e = supine(an=up, af=("a", 165, 165), ln=("a", 12, 6, 66), lf=table, o=o)
        text = (
            "A person lies on their back with arms pointing to the ceiling and hips and knees bent "
            "at right angles. One arm lowers overhead and the opposite leg straightens towards the "
            "floor, both hovering just above it."
        )
    else:
        s = supine(ln=table, lf=table, o={"lf": (3, 0)})
        e = supine(ln=("a", 41, -49, 20), lf=table, o={"lf": (3, 0)})
        text = (
            "A person lies on their back with arms by the sides and hips and knees bent at right "
            "angles. One leg lowers until the heel touches the mat, then comes back up."
        )
    return {"start": s, "end": e, "anim": True, "props": [("mat", 30, 300)], "desc": text}


def _curl_up():
    sh = (HIP_X - TORSO, LIE)
    hands = {  # hands flat under the low back, elbows resting on the mat
        "an": ("p", (sh[0] + 19, ON_MAT + 0.5), (sh[0] + 34, ON_MAT + 1), (sh[0] + 42, ON_MAT + 1)),
        "af": ("p", (sh[0] + 22, ON_MAT + 0.5), (sh[0] + 37, ON_MAT + 1), (sh[0] + 45, ON_MAT + 1)),
    }
    s = supine(lf=LEG_FLAT, **hands)
    # Only head and shoulders rise: the upper back rounds a little, the low back keeps its
    # natural curve on the hands.
    e = supine(lf=LEG_FLAT, t=170, bl=3, bu=4, nf=0, **hands)
    for key in ("an", "af"):  # elbows lift a little with the shoulders
        arm = e[key]
        e[key] = (arm[0], add(arm[1], (0, -3)), arm[2], arm[3])
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 300)],
        "arrows": [arrow((sh[0] - 24, LIE - 36), (sh[0] - 24, LIE - 52))],
        "desc": "A person lies on their back with one knee bent, the other leg straight and the hands "
        "under the low back. Head and shoulders lift just a little off the mat as one unit.",
    }


def _side_plank(knees: bool):
    elbow = (96, SIDE_LINE - LIMB)
    sh = (elbow[0], elbow[1] - UPPER)
    wrist = front_view(elbow[0] + 4, elbow[1], 22)
    support = ("p", elbow, wrist, front_view(elbow[0] + 6, elbow[1], 22 + HAND))
    reach = THIGH if knees else THIGH + SHIN  # from hip to the point resting on the mat

    def root(t, lift):
        u = vec(t)
        return add(add(sh, u, -TORSO), (-u[1], u[0]), lift)

    def leg_angle(t):  # the leg reaching down to the mat from the lower hip
        r = root(t, -4.5)
        return -degrees(asin((elbow[1] - r[1]) / reach))

    def spec(t):
        a = leg_angle(t)

        def leg(lift):
            r = root(t, lift)
            knee = polar(r, a, THIGH)
            if knees:  # lower legs run back behind the body, so they show short and rising
                ankle = front_view(knee[0] + 6, knee[1], -SHIN)
                return ("p", knee, ankle, add(ankle, (12, 1)))
            ankle = polar(knee, a, SHIN)
            if lift > 0:  # the top foot stands just in front of the lower one
                ankle = front_view(ankle[0], ankle[1] + 2 * lift, 16)
                knee = ((r[0] + ankle[0]) / 2, (r[1] + ankle[1]) / 2)
            return ("p", knee, ankle, front_view(ankle[0] + 3, ankle[1], 13))  # toes point at the viewer

        return side_lying(t, (leg(4.5), leg(-4.5)), TOP_ARM, support, sh=sh)

    t0 = 180 - degrees(asin((SIDE_LINE - BODY - sh[1]) / TORSO))  # hips resting on the mat
    t1 = bisect(lambda t: leg_angle(t) - (t - 180), 140, 179.9)  # head, hips and legs in one line
    s, e = spec(t0), spec(t1)
    _h0, h1 = solve(s)["hip"], solve(e)["hip"]
    text = (
        "A person lies on their side propped on one forearm, elbow under the shoulder, knees bent. "
        "They lift the hips until the body is straight from head to knees."
        if knees
        else "A person lies on their side propped on one forearm, elbow under the shoulder, legs "
        "straight and stacked. They lift the hips until the body is straight from head to feet."
    )
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("sidemat",)],
        "order": SIDE_ORDER,
        "arrows": [arrow((h1[0] + 4, h1[1] - 18), (h1[0] + 4, h1[1] - 38))],
        "desc": text,
    }


def _incline_plank():
    ankle = (150, ON_FLOOR)
    beta = 66  # forearms on the wall make a shorter lever than hands, so the body slants less
    hip = polar(ankle, beta, THIGH + SHIN)
    leg = ("a", beta + 180, beta + 180, 0)
    arm = ("a", -2, 90, 90)  # elbows at shoulder height, forearms flat up the wall
    e = {
        "face": 1,
        "hip": hip,
        "t": beta,
        "nf": 0,
        "an": arm,
        "af": arm,
        "ln": leg,
        "lf": leg,
        "o": {"af": (3, 0), "lf": (-3, 0)},
    }
    elbow = solve(e)["elbow_n"]
    wall_x = elbow[0] + LIMB
    stand_x = wall_x - ARM - HAND - 14  # a little more than an arm's length away
    hang = ("a", -92, -84)
    s = {
        "face": 1,
        "hip": (stand_x, ON_FLOOR - THIGH - SHIN),
        "t": 90,
        "an": hang,
        "af": hang,
        "ln": ("a", -90, -90, 0),
        "lf": ("a", -90, -90, 0),
        "o": {"lf": (-3, 0), "af": (-2, 0)},
    }
    return {
        "start": s,
        "end": e,
        "props": [("wall", wall_x)],
        "desc": "A person stands facing a wall, then leans forward onto the forearms resting flat on the "
        "wall at shoulder height, feet stepped back so the body makes one straight slanting line.",
    }


def _plank(knees: bool):
    elbow_x = 214
    sh = (elbow_x, ON_MAT - UPPER)
    forearm = ("a", -90, 0)
    s = on_elbows(elbow_x)
    o = {"af": (3, 0), "lf": (-3, 0)}
    if not knees:  # toes already tucked under, ready to lift
        thigh = s["ln"][1]
        shin = 180 - degrees(asin(FOOT * sin(radians(80)) / SHIN))
        s["ln"] = s["lf"] = ("a", thigh, shin, -80)
    if knees:
        alpha = degrees(asin((ON_MAT - sh[1]) / (TORSO + THIGH)))
        line = 180 + alpha
        legs = {"ln": ("a", line, 132, 192), "lf": ("a", line, 138, 198)}
        text = (
            "A person lies on the front propped on the forearms, then lifts the hips so the body is "
            "straight from shoulders to knees, with the knees resting on the mat."
        )
    else:
        foot = -80  # toes tucked under, heels up
        ankle_y = ON_MAT - FOOT * sin(radians(-foot))
        alpha = degrees(asin((ankle_y - sh[1]) / (TORSO + THIGH + SHIN)))
        line = 180 + alpha
        legs = {"ln": ("a", line, line, foot), "lf": ("a", line, line, foot)}
        text = (
            "A person lies on the front propped on the forearms, then lifts the body onto forearms "
            "and toes so it is straight from head to heels."
        )
    e = dict(face=1, sh=sh, t=alpha, nf=0, an=forearm, af=forearm, o=o, **legs)
    return {"start": s, "end": e, "props": [("mat", 30, 300)], "desc": text}


def _clamshell():
    hip = (190, SIDE_LINE - BODY)
    flex, bend = 45, 90

    def leg(y, lift=0.0):
        hip3 = (hip[0], y, 0.0)
        th = (cos(radians(flex)), 0, sin(radians(flex)))
        sd = (cos(radians(flex - bend)), 0, sin(radians(flex - bend)))
        knee3 = [hip3[i] + THIGH * th[i] for i in range(3)]
        ankle3 = [knee3[i] + SHIN * sd[i] for i in range(3)]
        if lift:  # the knee turns about the line from hip to ankle, so the feet stay together
            r = radians(lift)
            off = knee3[2] - (hip3[2] + ankle3[2]) / 2
            knee3 = [knee3[0], knee3[1] - off * sin(r), knee3[2] - off * (1 - cos(r))]
        fd = (cos(radians(flex - bend + 90)), 0, sin(radians(flex - bend + 90)))
        toe3 = [ankle3[i] + 12 * fd[i] for i in range(3)]
        return ("p", front_view(*knee3), front_view(*ankle3), front_view(*toe3))

    pillow = ("a", 180, 180)  # lower arm stretched out along the mat under the head
    s = {
        "face": 1,
        "view": "front",
        "hip": hip,
        "t": 180,
        "nf": 8,
        "an": TOP_ARM,
        "af": pillow,
        "ln": leg(hip[1] - 4.5),
        "lf": leg(hip[1] + 4.5),
        "o": {"an": (0, -4), "af": (0, 4)},
    }
    e = dict(s, ln=leg(hip[1] - 4.5, 42))
    k0, k1 = s["ln"][1], e["ln"][1]
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("sidemat",)],
        "order": (("lf", "far"), ("af", "far"), ("t", "ink"), ("head", "ink"), ("an", "far"), ("ln", "ink")),
        "arrows": [arrow((k0[0] + 14, k0[1] - 6), (k1[0] + 14, k1[1] - 2), 6)],
        "desc": "A person lies on their side, seen from the front, hips and knees bent and feet together. "
        "The top knee opens upwards like a clamshell while the feet stay touching, then closes.",
    }


def _wall_sit():
    wall_x = 46
    hip_x = wall_x + BODY
    ankle = (hip_x + 24, ON_FLOOR)  # heels about a foot's length from the wall
    knee_flex = 65  # a shallow squat
    reach = sqrt(THIGH**2 + SHIN**2 - 2 * THIGH * SHIN * cos(radians(180 - knee_flex)))
    hip = (hip_x, ON_FLOOR - sqrt(reach**2 - (ankle[0] - hip_x) ** 2))
    feet = ("ik", ankle, (1, 0), 0)
    e = {
        "face": 1,
        "hip": hip,
        "t": 90,
        "nf": 12,
        "ln": feet,
        "lf": feet,
        "o": {"lf": (3, 0)},
        "an": ("a", -94, -78),
        "af": ("a", -94, -78),
    }
    stand_y = ON_FLOOR - sqrt((THIGH + SHIN - 1) ** 2 - (ankle[0] - hip_x) ** 2)
    hang = ("a", -90, -84)
    s = {
        "face": 1,
        "hip": (hip_x, stand_y),
        "t": 90,
        "nf": 12,
        "an": hang,
        "af": hang,
        "ln": feet,
        "lf": feet,
        "o": {"lf": (3, 0)},
    }
    return {
        "start": s,
        "end": e,
        "props": [("wall", wall_x, "left")],
        "arrows": [arrow((hip_x + 58, stand_y - 30), (hip_x + 58, hip[1] - 30))],
        "desc": "A person stands with head, shoulders and bottom against a wall, feet a little in front, "
        "then slides partway down into a shallow squat, back still flat on the wall.",
    }


def _hamstring_stretch():
    s = supine()
    thigh, knee_bend = 84, 14
    behind = add(polar((HIP_X, LIE), thigh, 30), vec(thigh - 90, 5))  # back of the thigh
    sh = solve(s)["shoulder"]
    wrist = toward(sh, behind, ARM - 1)
    e = supine(
        ln=("a", thigh, thigh - knee_bend, thigh - knee_bend + 80),
        an=("ik", wrist, (1, 1), angle(sub(behind, wrist)) + 40),
        af=("ik", add(wrist, (2, 2)), (1, 1), angle(sub(behind, wrist)) + 40),
    )
    return {
        "start": s,
        "end": e,
        "props": [("mat", 40, 290)],
        "desc": "A person lies on their back with knees bent, then holds behind one thigh and "
        "straightens that leg towards the ceiling until a gentle stretch is felt at the back of the thigh.",
    }


def _hip_flexor_stretch():
    cushion_top = MAT - 6
    knee = (118, cushion_top - LIMB)
    toe = (knee[0] - 50, ON_MAT)
    foot_a = -118  # back toes tucked under
    ankle = add(toe, vec(foot_a, -FOOT))
    front_ankle = (172, ON_MAT)

    def spec(lean, tuck):
        """lean: how far the back thigh tilts forward from upright; tuck: how far the pelvis rolls
        back, flattening the low back (negative keeps a small natural hollow)."""
        hip = polar(knee, 90 - lean, THIGH)
        return {
            "face": 1,
            "hip": hip,
            "t": 90 - lean * 0.1,
            "bl": tuck,
            "nf": 4,
            "an": ("ik", (hip[0] + 4, hip[1] - 11), (-1, 0.2), -62),  # hands on the hips
            "af": ("ik", (hip[0] + 6, hip[1] - 10), (-1, 0.2), -62),
            "ln": ("a", -90 - lean, angle(sub(ankle, knee)), foot_a),
            "lf": ("ik", front_ankle, (1, -1), 0),
        }

    s, e = spec(0, -3), spec(15, 3)
    h0, h1 = solve(s)["hip"], solve(e)["hip"]
    return {
        "start": s,
        "end": e,
        "anim": True,
        "props": [("mat", 40, 280), ("cushion", knee[0] - 15, knee[0] + 15, 6)],
        "arrows": [arrow((h0[0] - 34, h0[1] + 2), (h1[0] - 16, h1[1] + 2))],
        "desc": "A person half kneels with the back knee on a cushion and the front foot flat, front "
        "knee at a right angle. Keeping the trunk upright, they ease the hips forward until a "
        "stretch is felt at the front of the back hip.",
    }


def _figure_4():
    hip = (HIP_X, LIE)

    # The crossed leg turns out towards the viewer, across the line of sight, so it is placed in
    # 3D (z towards the viewer) and drawn as seen from a little towards the feet: a point nearer
    # the viewer shows further towards the head. That way its shin crosses the held thigh and the
    # legs make the 4 the exercise is named after.
    def view(p3):
        return (p3[0] - 0.6 * p3[2], p3[1] + 0.1 * p3[2])

    def crossed(knee_f, th):
        """Near leg: ankle resting on the front of the held thigh just above its knee, knee turned
        out towards the viewer, foot flexed."""
        ankle3 = (*add(polar(knee_f, th + 180, 7), vec(th + 90, LIMB + 2)), -2)
        hip3 = (hip[0], hip[1], 6)
        u = [ankle3[i] - hip3[i] for i in range(3)]
        d = sqrt(sum(c * c for c in u))
        u = [c / d for c in u]
        along = (THIGH**2 - SHIN**2 + d * d) / (2 * d)
        r = sqrt(THIGH**2 - along**2)
        w = [-u[2] * u[0], -u[2] * u[1], 1 - u[2] * u[2]]  # towards the viewer, square to the leg
        n = sqrt(sum(c * c for c in w))
        knee3 = [hip3[i] + along * u[i] + r * w[i] / n for i in range(3)]
        shin = [ankle3[i] - knee3[i] for i in range(3)]
        toe3 = (ankle3[0] + 2, ankle3[1] - FOOT + 2, ankle3[2] + 0.2 * shin[2])
        return ("p", view(knee3), view(ankle3), view(toe3))

    def spec(pull):
        held = ("a", 97, 5) if pull else crook(reach=56)
        sp = supine(lf=held)
        p = solve(sp)
        th = angle(sub(p["knee_f"], hip))
        sp["ln"] = crossed(p["knee_f"], th)
        sp["o"] = {"ln": sub(view((0, 0, 6)), (0, 0))}
        if pull:  # hands joined behind the held thigh, near the knee
            behind = add(polar(hip, th, 36), vec(th - 90, LIMB + 1))
            wrist = toward(p["shoulder"], behind, ARM - 1)
            sp["an"] = ("ik", wrist, (1, 1))
            sp["af"] = ("ik", add(wrist, (2, 2)), (1, 1))
        return sp

    s, e = spec(False), spec(True)
    k0, k1 = solve(s)["knee_f"], solve(e)["knee_f"]
    return {
        "start": s,
        "end": e,
        "props": [("mat", 40, 290)],
        # Both arms reach behind the crossed leg (one through the gap between the legs), so they
        # are drawn behind it in the lighter shade and the 4 of the legs stays clear.
        "order": (("lf", "far"), ("af", "far"), ("an", "far"), ("t", "ink"), ("head", "ink"), ("ln", "ink")),
        "arrows": [arrow((k0[0] + 6, k0[1] - 30), (k1[0] - 2, k1[1] - 30), 6)],
        "desc": "A person lies on their back with one ankle resting across the opposite knee. Holding "
        "behind the lower thigh, they draw both legs towards the chest until the buttock of the "
        "crossed leg feels a stretch.",
    }


def _walking():
    hip_x, lean = 150, 87
    o = {"lf": (-2, 0), "af": (2, 0)}

    def stride(front, back):
        heel = (hip_x + 27, ON_FLOOR)
        push = add((hip_x - 12, ON_FLOOR), vec(-38, -FOOT))  # heel up, toes still on the floor
        hip_y = ON_FLOOR - sqrt((THIGH + SHIN - 1.5) ** 2 - 27**2)
        legs = {front: ("ik", heel, (1, 0), 18), back: ("ik", push, (1, 0), -38)}
        # Arms swing against the legs: the arm on the side of the forward leg goes back.
        arms = {"a" + front[1]: ("a", -110, -96), "a" + back[1]: ("a", -70, -46)}
        return dict(face=1, hip=(hip_x, hip_y), t=lean, nf=-4, o=o, **legs, **arms)

    def passing(stance, swing):
        hip_y = ON_FLOOR - (THIGH + SHIN - 0.8)
        legs = {stance: ("ik", (hip_x + 1, ON_FLOOR), (1, 0), 0), swing: ("ik", (hip_x - 12, 152), (1, 0), -42)}
        hang = ("a", -90, -76)
        return dict(face=1, hip=(hip_x, hip_y), t=lean, nf=-4, o=o, an=hang, af=hang, **legs)

    a, b = stride("ln", "lf"), passing("lf", "ln")
    c, d = stride("lf", "ln"), passing("ln", "lf")
    hang = ("a", -92, -84)
    stand = {  # the start, standing tall a step behind
        "face": 1,
        "hip": (hip_x - 78, ON_FLOOR - THIGH - SHIN),
        "t": 90,
        "an": hang,
        "af": hang,
        "ln": ("a", -90, -90, 0),
        "lf": ("a", -90, -90, 0),
        "o": {"lf": (-3, 0), "af": (-2, 0)},
    }
    return {
        "start": stand,
        "end": a,
        "keys": [(a, 0), (b, 0), (c, 0), (d, 0)],
        "linear": True,
        "props": [],
        "arrows": [arrow((hip_x + 52, 60), (hip_x + 84, 60))],
        "desc": "A person walks with an easy stride: upright, arms swinging gently, heel landing in "
        "front and the back foot pushing off from the toes.",
    }


def _build():
    ex = {
        "drawing-in": _drawing_in(),
        "heel-slide": _heel_slide(),
        "abdominal-brace": _abdominal_brace(),
        "sit-to-stand": _sit_to_stand(),
        "pelvic-floor-squeeze": _pelvic_floor_squeeze(),
        "pelvic-tilt": _pelvic_tilt(),
        "knee-rolls": _knee_rolls(),
        "cat-camel": _cat_camel(),
        "childs-pose": _childs_pose(),
        "knee-to-chest": _knee_to_chest(),
        "double-knee-to-chest": _knee_to_chest(both=True),
        "prone-on-elbows": _prone_on_elbows(),
        "prone-press-up": _prone_press_up(),
        "glute-bridge": _glute_bridge(),
        "single-leg-bridge": _glute_bridge(single=True),
        "bird-dog-one-limb": _bird_dog(False),
        "bird-dog": _bird_dog(True),
        "dead-bug-legs-only": _dead_bug(False),
        "dead-bug": _dead_bug(True),
        "mcgill-curl-up": _curl_up(),
        "side-plank-knees": _side_plank(True),
        "side-plank": _side_plank(False),
        "front-plank-incline": _incline_plank(),
        "front-plank-knees": _plank(True),
        "front-plank": _plank(False),
        "clamshell": _clamshell(),
        "wall-sit": _wall_sit(),
        "hamstring-stretch": _hamstring_stretch(),
        "hip-flexor-stretch": _hip_flexor_stretch(),
        "figure-4-stretch": _figure_4(),
        "walking": _walking(),
    }
    for item in ex.values():
        item.setdefault("ghost", True)
        item.setdefault("arrows", [])
        item.setdefault("marks", [])
        item.setdefault("linear", False)
        if item.pop("anim", False):
            item["keys"] = [(item["start"], 0.15), (item["end"], 0.15)]
        item.setdefault("keys", None)
    return ex


# slug -> {start, end: pose specs (solve() gives the joint coordinates); keys: the animation
# loop as (spec, pause) pairs, or None for a still figure; props; arrows; marks; ghost; desc}
POSES = _build()
