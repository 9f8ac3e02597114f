"""Starting positions shared by many exercises (lying on the back, on the front, on hands and knees,
standing, sitting, lying on the side) and the small helpers that rest a body on the floor."""

from __future__ import annotations

from math import asin, cos, degrees, radians, sin

from .body import (
    ANKLE_UP,
    ARM,
    FLOOR,
    MAT,
    SHIN,
    THIGH,
    TRUNK,
    WRIST_UP,
    add,
    bisect,
    dist,
    solve,
)

KNEE, ELBOW = -1, 1  # the bend side for "ik" limbs of a figure facing right (or lying feet to the right)
ON_MAT = MAT - ANKLE_UP  # the ankle of a foot standing flat on the mat
ON_FLOOR = FLOOR - ANKLE_UP
HIP_X = 178  # the hip of a figure lying on its back, head to the left


def lowest(spec_or_pose, bones=None) -> float:
    pose = solve(spec_or_pose) if isinstance(spec_or_pose, dict) else spec_or_pose
    return max(y + r for _, y, r in pose.circles(bones))


def moved(spec: dict, dx: float = 0.0, dy: float = 0.0) -> dict:
    key = "hip" if "hip" in spec else "sh"
    out = dict(spec)
    out[key] = (spec[key][0] + dx, spec[key][1] + dy)
    return out


def settle(spec: dict, surface: float = MAT, bones=TRUNK) -> dict:
    """The spec moved up or down so that the lowest of bones rests on surface."""
    return moved(spec, dy=surface - lowest(spec, bones))


def level(spec: dict, a, b, lo: float, hi: float, surface: float = MAT) -> dict:
    """Turn the trunk (t between lo and hi) until parts a and b lie equally low, then rest them on
    the surface: buttocks and shoulder blades both on the mat, or pelvis and chest."""
    t = bisect(lambda t: lowest({**spec, "t": t}, a) - lowest({**spec, "t": t}, b), lo, hi)
    return settle({**spec, "t": t}, surface, tuple(a) + tuple(b))


def foot_on(x: float, direction: float = 0.0, surface: float = MAT) -> tuple[float, float]:
    """Where the ankle is when a foot pointing in direction rests on surface with its heel at about x
    (the lowest of heel and toes touching)."""
    r = radians(direction)
    heel = -2 * sin(r) + 3 * cos(r) + 4
    toe = 17 * sin(r) + 4.7 * cos(r) + 2.3
    return (x, surface - max(heel, toe))


def hand_on(x: float, surface: float = MAT) -> tuple[float, float]:
    """The wrist of a hand lying flat on surface."""
    return (x, surface - WRIST_UP - 0.5)


# ---------------------------------------------------------------------------------------------
# Lying on the back, head to the left.


def crook(hip_x: float = HIP_X, reach: float = 56) -> tuple:
    """Knee bent, foot flat on the mat."""
    return ("ik", foot_on(hip_x + reach), KNEE, 0)


def arm_on_mat(spec: dict, side: str = "n", reach: float = 0.0, toward: int = 1) -> tuple:
    """A straight arm resting on the mat from the shoulder, pointing towards the feet (toward=1) or
    overhead (toward=-1)."""
    sh = solve(spec).point(f"shoulder_{side}")
    drop = MAT - 3.2 - sh[1]
    a = degrees(asin(max(-1.0, min(1.0, drop / (ARM + reach)))))
    d = a if toward == 1 else 180 - a
    return ("a", d, d, d)


def supine(hip_x: float = HIP_X, lb: float = 0.0, ub: float = 0.0, **kw) -> dict:
    """On the back, knees bent, feet flat, arms resting by the sides; buttocks, shoulder blades and
    the back of the head on the mat."""
    spec = {"hip": (hip_x, MAT - 14), "t": 180, "lb": lb, "ub": ub, "ln": crook(hip_x), "lf": ("twin",)}
    spec["o"] = {"lf": (-3, 0)}
    spec["an"] = spec["af"] = ("a", 10, 10, 10)
    spec = level(spec, ("pelvis",), ("chest", "upper"), 170, 192)
    spec["neck"] = bisect(lambda n: lowest({**spec, "neck": n}, ("head",)) - MAT, -45, 20)
    spec["an"], spec["af"] = arm_on_mat(spec), ("twin",)
    spec.update(kw)
    return spec


# ---------------------------------------------------------------------------------------------
# Lying on the front, head to the right.


def prone(hip_x: float = 136, **kw) -> dict:
    """On the front, legs long, arms by the sides, the head turned to rest on one cheek."""
    spec = {"hip": (hip_x, MAT - 12), "t": 0, "neck": 0, "head": 0}
    thigh = ("a", 182, 181, 176)
    spec.update(ln=thigh, lf=thigh, an=("a", 170, 170, 170), af=("a", 170, 170, 170))
    spec = level(spec, ("pelvis",), ("chest",), -12, 12)
    spec["neck"] = bisect(lambda n: lowest({**spec, "neck": n}, ("head",)) - MAT, -30, 40)
    legs = _legs_on_mat(spec)
    spec.update(legs)
    arm = ("a", 176, 176, 176)
    spec.update(an=arm, af=arm)
    spec.update(kw)
    return spec


def _legs_on_mat(spec: dict) -> dict:
    """Legs of a body lying on its front, resting on the mat: thigh and shin along it, the top of
    the foot down."""
    t = bisect(lambda a: lowest({**spec, "ln": ("a", a, a, a - 6)}, ("shin_n",)) - MAT, 165, 181)
    leg = ("a", t, t, t - 6)
    return {"ln": leg, "lf": leg}


# ---------------------------------------------------------------------------------------------
# On hands and knees, facing right.

KNEE_X = 124


def all_fours(knee_x: float = KNEE_X, **kw) -> dict:
    """Knees under the hips, wrists under the shoulders, hands flat, shins along the mat; the back
    rises gently towards the shoulders because arms are longer than thighs."""
    knee = (knee_x, MAT - 5.6)
    hip = add(knee, (0, -THIGH))
    shin = 180 - degrees(asin((5.6 - 3.7) / SHIN))
    spec = {"hip": hip, "t": -12, "neck": -8, "ln": ("a", 90, shin, shin), "lf": ("a", 90, shin, shin)}
    spec["o"] = {"lf": (-1.5, 0), "af": (2.5, 0)}
    spec.update({k: v for k, v in kw.items() if k in ("hip", "lb", "ub", "neck", "head", "t")})
    wrist_y = hand_on(0)[1]
    straight = ("a", 90, 90)

    def sh_height(t):
        return solve({**spec, "t": t, "an": straight, "af": straight}).point("shoulder_n")[1] + ARM - wrist_y

    # Where the shoulder must be for straight arms; a rounded or hollow back moves the hips instead.
    if "t" not in kw:
        spec["t"] = bisect(sh_height, -40, 10)
    sh = solve({**spec, "an": straight, "af": straight}).point("shoulder_n")
    spec["an"] = ("ik", (sh[0], wrist_y), ELBOW, 0)
    spec["af"] = ("twin",)
    spec.update(kw)
    return spec


# ---------------------------------------------------------------------------------------------
# Standing and sitting, facing right.


def standing(x: float = 150, **kw) -> dict:
    hang = ("a", 93, 86)
    leg = ("a", 90, 90)
    spec = {
        "hip": (x, ON_FLOOR - THIGH - SHIN),
        "t": -90,
        "neck": 4,
        "head": -4,
        "an": hang,
        "af": ("a", 91, 84),
        "ln": leg,
        "lf": leg,
        "o": {"lf": (0, -2), "af": (0, -1.5)},
    }
    spec.update(kw)
    return spec


CHAIR = ("chair", 52, 104, 139.0)  # back edge x, front edge x, top of the seat
SEAT = CHAIR[3]


def seated(**kw) -> dict:
    """Sitting tall on the front half of the chair, feet flat under the knees, hands on the thighs."""
    hip = (80, SEAT - 12.5)
    spec = {
        "hip": hip,
        "t": -90,
        "neck": 4,
        "head": -4,
        "ln": ("ik", (hip[0] + 46, ON_FLOOR), KNEE),
        "lf": ("ik", (hip[0] + 44, ON_FLOOR), KNEE),
        "an": ("ik", (hip[0] + 24, hip[1] - 10), ELBOW, 10),
        "af": ("ik", (hip[0] + 22, hip[1] - 10), ELBOW, 10),
        "o": {"lf": (0, -2), "af": (0, -1.5)},
    }
    spec.update(kw)
    return spec


def anchor(spec: dict, landmark: str, point) -> dict:
    """The spec moved so that a landmark (a joint name of body.Pose.point) lands on point."""
    here = solve(spec).point(landmark)
    return moved(spec, point[0] - here[0], point[1] - here[1])


def meet(p, r1: float, q, r2: float, side: int = 1):
    """Where a point r1 from p and r2 from q lies: of the two, the one clockwise of the line from p
    to q for side=1 (below it, for a line running right)."""
    d = dist(p, q)
    a = (r1 * r1 - r2 * r2 + d * d) / (2 * d)
    h = max(r1 * r1 - a * a, 0.0) ** 0.5
    ux, uy = (q[0] - p[0]) / d, (q[1] - p[1]) / d
    m = (p[0] + a * ux, p[1] + a * uy)
    return (m[0] - side * h * uy, m[1] + side * h * ux)


# ---------------------------------------------------------------------------------------------
# Oblique views: a point nearer the viewer (z > 0) is drawn lower, as if seen from a little above,
# so a knee that turns towards the viewer comes down in front of the body rather than vanishing.

DEPTH = 0.5


def project(x: float, y: float, z: float) -> tuple[float, float]:
    return (x, y + DEPTH * z)
