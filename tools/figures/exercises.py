"""The exercises' figures: one function per exercise slug, returning its Figure (see motion.py).

To add an exercise, write a function here decorated with @exercise("<slug>") that returns a Figure,
run `make figures`, and look at the contact sheet it writes (tools/figures/README.md says more).
"""

from __future__ import annotations

from collections.abc import Callable
from math import cos, radians, sin, sqrt

from .body import (
    ANKLE_UP,
    ARM,
    FLOOR,
    FORE,
    MAT,
    SHIN,
    THIGH,
    UPPER,
    WRIST_UP,
    add,
    angle,
    bisect,
    blend,
    dist,
    norm,
    polar,
    solve,
    sub,
    vec,
)
from .draw import FAR, INK, arrow, glow
from .motion import Figure
from .positions import (
    CHAIR,
    DEPTH,
    ELBOW,
    HIP_X,
    KNEE,
    ON_FLOOR,
    all_fours,
    anchor,
    crook,
    foot_on,
    hand_on,
    lowest,
    meet,
    project,
    prone,
    seated,
    settle,
    standing,
    supine,
)

EXERCISES: dict[str, Callable[[], Figure]] = {}


def exercise(slug: str):
    def register(fn):
        EXERCISES[slug] = fn
        return fn

    return register


MAT_PROP = ("mat", 30, 300)
HUG = ("af", "lf", "trunk", "ln", "an")  # arms drawn over the near leg: hands hold the leg


def behind_thigh(spec: dict, side: str = "n", along: float = 34, offset: float = 3) -> tuple[float, float]:
    """A point at the back of a thigh, along units from the hip: where hands hold a leg."""
    p = solve(spec)
    d = p.direction[f"thigh_{side}"]
    return add(polar(p.joint[f"thigh_{side}"], d, along), vec(d - 90, offset))


def hold(spec: dict, target, spread=(2.5, 1.5)) -> dict:
    """Both hands reaching to target (the far hand a touch beside it)."""
    return {"an": ("ik", target, ELBOW), "af": ("twin",)}


# ---------------------------------------------------------------------------------------------
# Lying on the back.


@exercise("drawing-in")
def drawing_in():
    s = supine()
    p = solve(s)
    belly = add(p.joint["pelvis"], (-9, -12))
    s.update(hands_on_body(s, belly))
    return Figure(
        start=s,
        props=(MAT_PROP,),
        marks=(glow(add(belly, (0, 4)), 14), arrow((belly[0] + 2, belly[1] - 30), (belly[0] + 2, belly[1] - 10))),
        desc="A person lies on their back on a mat with knees bent and feet flat, hands resting on the "
        "lower belly. A small arrow shows the lower belly drawing gently in towards the spine.",
    )


def hands_on_body(spec: dict, point) -> dict:
    """Both hands resting flat on the body at point, elbows down on the mat out to the sides (so,
    seen from the side, the arms look short)."""

    def arm(p):
        elbow = (p[0] - 20, MAT - 4.5)
        wrist = (p[0] - 5, p[1] + 2)
        return ("p", elbow, wrist, angle(sub((p[0] + 8, p[1] + 1), wrist)))

    return {"an": arm(point), "af": arm(add(point, (4, 1)))}


@exercise("abdominal-brace")
def abdominal_brace():
    s = supine()
    p = solve(s)
    waist = add(p.joint["waist"], (0, -8))
    s.update(hands_on_body(s, add(waist, (0, -2))))
    return Figure(
        start=s,
        props=(MAT_PROP,),
        marks=(
            glow(add(waist, (0, 6)), 19),
            arrow((waist[0] - 36, waist[1] - 24), (waist[0] - 16, waist[1] - 12), 3),
            arrow((waist[0] + 16, waist[1] - 38), (waist[0] + 6, waist[1] - 18), -3),
        ),
        desc="A person lies on their back on a mat with knees bent and feet flat. Two small arrows point "
        "at the middle of the trunk, which firms up all the way round while breathing goes on.",
    )


@exercise("heel-slide")
def heel_slide():
    s = supine(lf=crook())  # the other foot stays where it is
    e = supine(ln=("ik", foot_on(HIP_X + 84, -62), KNEE, -62), lf=crook())
    return Figure(
        start=s,
        end=e,
        loop=(3, 0, 3, 0),
        props=(MAT_PROP,),
        marks=(arrow((HIP_X + 62, 192), (HIP_X + 96, 192), both=True),),
        fixed=("shoulder_n", "ankle_f"),
    )


@exercise("pelvic-tilt")
def pelvic_tilt():
    s = supine(lb=-16)
    e = supine(lb=10)
    low = solve(s).joint["waist"]
    return Figure(
        start=s,
        end=e,
        loop=(2, 2, 2, 0),
        props=(MAT_PROP,),
        marks=(arrow((low[0] + 16, low[1] - 26), (low[0] - 14, low[1] - 27), -9),),
        fixed=("ankle_n",),
    )


def rolled_knee(hip3, ankle3, turn: float):
    """Knee of a bent leg whose foot is planted, rolled by turn degrees (towards the viewer) about the
    line from hip to ankle."""
    u = [ankle3[i] - hip3[i] for i in range(3)]
    d = sqrt(sum(c * c for c in u))
    u = [c / d for c in u]
    along = (THIGH**2 - SHIN**2 + d * d) / (2 * d)
    r = sqrt(max(THIGH**2 - along**2, 0))
    w = (0, -cos(radians(turn)), sin(radians(turn)))  # straight up, turned towards the viewer
    k = sum(w[i] * u[i] for i in range(3))
    w = [w[i] - k * u[i] for i in range(3)]
    n = sqrt(sum(c * c for c in w))
    return [hip3[i] + along * u[i] + r * w[i] / n for i in range(3)]


@exercise("knee-rolls")
def knee_rolls():
    # Seen from the side and a little from above, so that the arms lying out to the sides show and
    # knees rolling towards the viewer come down in front of the body instead of just looking lower.
    # Limbs are placed in 3D (z towards the viewer) and projected; the trunk lies along the mat.

    def build(line: float):
        s0 = settle(supine(), line, ("pelvis", "chest", "upper", "head"))
        p = solve(s0)
        sh, hip = p.point("shoulder_n"), p.point("hip_n")

        def arm(z0: float, side: int):
            """Straight arm lying on the mat, out to the side at 40 degrees from the body."""
            a = radians(40)
            y = line - 4
            reach = sqrt(ARM**2 - (y - sh[1]) ** 2)
            pts = [
                (sh[0] + f * reach * cos(a), sh[1] + f * (y - sh[1]), z0 + side * f * reach * sin(a))
                for f in (UPPER / ARM, 1)
            ]
            elbow, wrist = project(*pts[0]), project(*pts[1])
            return ("p", elbow, wrist, angle(sub(wrist, elbow)))

        def leg(z: float, turn: float):
            hip3, ankle3 = (hip[0], hip[1], z), (hip[0] + 56, line - ANKLE_UP, z)
            knee3 = rolled_knee(hip3, ankle3, turn)
            return ("p", project(*knee3), project(*ankle3), 0)

        def spec(turn: float) -> dict:
            return dict(
                s0,
                an=arm(10, 1),
                af=arm(-10, -1),
                ln=leg(5, turn),
                lf=leg(-5, turn),
                o={"an": (0, -10 * DEPTH), "af": (0, 10 * DEPTH), "ln": (0, -5 * DEPTH), "lf": (0, 5 * DEPTH)},
            )

        return spec(0), spec(70), spec(-55)

    # The mat line is set so that the hand nearest the viewer rests on the front edge of the picture's floor.
    line = bisect(lambda y: lowest(build(y)[0]) - FLOOR, FLOOR - 60, FLOOR)
    mid, near, far = build(line)
    k0, k1 = solve(mid).point("knee_n"), solve(near).point("knee_n")
    return Figure(
        start=mid,
        end=near,
        keys=((mid, 0, 2), (near, 2, 2), (mid, 0, 2), (far, 2, 2)),
        props=(("sidemat", line - 24),),
        marks=(arrow((k0[0] + 14, k0[1] - 2), (k1[0] + 16, k1[1] + 4), -10),),
        surface=FLOOR,
    )


@exercise("knee-to-chest")
def knee_to_chest(both: bool = False):
    s = supine()
    th = -124  # the thigh drawn in towards the chest, the knee bent right up, the foot relaxed
    e = supine(ln=("a", th, th + 138, th + 138 - 50))
    if not both:  # the other foot stays flat on the mat
        s["lf"] = e["lf"] = crook()
        s["o"] = e["o"] = {}
    e.update(hold(e, behind_thigh(e, "n", 34, 6)))
    return Figure(
        start=s,
        end=e,
        loop=(2, 3, 2, 1),
        props=(MAT_PROP,),
        order=HUG,
        fixed=("shoulder_n",) if both else ("shoulder_n", "ankle_f"),
    )


@exercise("double-knee-to-chest")
def double_knee_to_chest():
    return knee_to_chest(both=True)


@exercise("glute-bridge")
def glute_bridge(single: bool = False):
    s = supine()
    p = solve(s)
    sh = p.point("shoulder_n")
    ankle = p.point("ankle_n")
    s = dict(s)
    del s["hip"]
    s["sh"] = sh

    def line_up(t):  # shoulders, hips and knees in one line, the foot still where it was
        q = solve({**s, "t": t})
        knee_dir = angle(sub(q.joint["pelvis"], sh))
        knee = polar(q.joint["pelvis"], knee_dir, THIGH)
        return dist(knee, ankle) - SHIN

    t1 = bisect(line_up, 120, s["t"])
    e = dict(s, t=t1, neck=s["neck"] - (t1 - s["t"]))  # the head stays resting on the mat
    if single:
        th = solve(s).direction["thigh_n"]
        s["lf"] = ("a", th, th, th - 80)
        e["lf"] = ("a", t1 + 180, t1 + 180, t1 + 180 - 80)
    hip1 = solve(e).joint["pelvis"]
    return Figure(
        start=s,
        end=e,
        loop=(2, 2, 2, 0),
        props=(MAT_PROP,),
        marks=(arrow((hip1[0] - 16, hip1[1] - 6), (hip1[0] - 16, hip1[1] - 30)),),
        fixed=("ankle_n",) if single else ("ankle_n", "ankle_f"),
    )


@exercise("single-leg-bridge")
def single_leg_bridge():
    return glute_bridge(single=True)


@exercise("dead-bug-legs-only")
def dead_bug_legs_only(arms: bool = False):
    table = ("a", -90, 0, -80)
    o = {"lf": (-2.5, 0), "af": (-2.5, 0)}
    if arms:
        # The right (near) arm goes back past the head as the left (far) leg stretches out.
        up = ("a", -90, -90)
        s = supine(an=up, af=up, ln=table, lf=table, o=o)
        e = supine(an=("a", -165, -165), af=up, ln=table, lf=("a", -14, -8, -80), o=o)
    else:
        s = supine(ln=table, lf=table, o=o)
        e = supine(ln=("ik", foot_on(HIP_X + 60, -40), KNEE, -40), lf=table, o=o)
    return Figure(start=s, end=e, loop=(3, 0, 3, 0), props=(MAT_PROP,))


@exercise("dead-bug")
def dead_bug():
    return dead_bug_legs_only(arms=True)


@exercise("mcgill-curl-up")
def curl_up():
    straight = ("a", 1, 1, -80)
    s = supine(lf=straight)
    p = solve(s)
    sh = p.point("shoulder_n")
    hands = {  # hands flat under the low back, elbows on the mat
        "an": ("p", (sh[0] + 19, MAT - 4.5), (sh[0] + 38, MAT - 3.5), 0),
        "af": ("p", (sh[0] + 22, MAT - 4.5), (sh[0] + 41, MAT - 3.5), 0),
    }
    s.update(hands, pelvis=p.direction["pelvis"])
    # Only head and shoulders rise: the upper back rounds a little, the low back keeps its curve.
    e = dict(s, lb=4, ub=14, neck=s["neck"] - 4)
    top = solve(e).joint["head"]
    return Figure(
        start=s,
        end=e,
        loop=(2, 2, 2, 1),
        props=(MAT_PROP,),
        marks=(arrow((top[0] - 20, top[1] - 4), (top[0] - 20, top[1] - 24)),),
        fixed=("ankle_n",),
    )


@exercise("hamstring-stretch")
def hamstring_stretch():
    s = supine(lf=crook())  # the other foot stays flat on the mat
    th = -84
    e = supine(ln=("a", th, th + 14, th + 14 - 80), lf=crook())
    e.update(hold(e, behind_thigh(e, "n", 30, 6)))
    return Figure(start=s, end=e, loop=(3, 3, 3, 1), props=(MAT_PROP,), order=HUG, fixed=("ankle_f",))


@exercise("figure-4-stretch")
def figure_4():
    # The crossed (near) leg turns out towards the viewer, across the line of sight, so it is placed
    # in 3D (z towards the viewer) and drawn as seen from a little above: its knee, nearer the viewer,
    # shows below the held knee, so the crossed shin stands up to the held knee and the crossed thigh
    # runs back to the hip, and with the held thigh the legs draw the 4 the stretch is named after.

    def crossed(hip, knee_f, th):
        """Ankle resting on the front of the held thigh just above its knee; the knee dropped out
        towards the viewer, under the ankle; the foot flexed."""
        ankle3 = (*add(polar(knee_f, th + 180, 6), vec(th - 90, 5.6 + 4.5)), -2.0)
        hip3 = (hip[0], hip[1], 6.0)
        kx = ankle3[0] + 14
        # The knee lies THIGH from the hip and SHIN from the ankle: in the plane x = kx, where two
        # circles (y, z) meet, the one nearer the viewer.
        r1 = sqrt(THIGH**2 - (kx - hip3[0]) ** 2)
        r2 = sqrt(SHIN**2 - (kx - ankle3[0]) ** 2)
        ky, kz = meet((hip3[1], hip3[2]), r1, (ankle3[1], ankle3[2]), r2, -1)
        knee3 = (kx, ky, kz)
        toe3 = (ankle3[0] + 4, ankle3[1] - 14, ankle3[2] + 6)
        return ("p", project(*knee3), project(*ankle3), project(*toe3))

    def spec(pull: bool) -> dict:
        held = ("a", -84, 10, -70) if pull else crook(reach=54)
        sp = supine(lf=held, o={})
        p = solve(sp)
        hip = p.point("hip_f")
        th = p.direction["thigh_f"]
        sp["ln"] = crossed(hip, p.point("knee_f"), th)
        sp["o"] = {"ln": (0, -6 * DEPTH)}
        if pull:  # hands joined behind the held thigh, near the knee
            sp.update(hold(sp, behind_thigh(sp, "f", 34, 7)))
        return sp

    s, e = spec(False), spec(True)
    k0, k1 = solve(s).point("knee_f"), solve(e).point("knee_f")
    return Figure(
        start=s,
        end=e,
        loop=(3, 3, 3, 1),
        props=(MAT_PROP,),
        # Both arms reach behind the crossed leg, so they are drawn behind it in the lighter shade and
        # the 4 of the legs stays clear.
        order=("af", "lf", "an", "trunk", "ln"),
        colours={"an": FAR},
        marks=(arrow((k0[0] + 8, k0[1] - 26), (k1[0] + 2, k1[1] - 26), 6),),
        fixed=("shoulder_n",),
    )


# ---------------------------------------------------------------------------------------------
# On hands and knees.


@exercise("cat-camel")
def cat_camel():
    s = all_fours(lb=24, ub=20, neck=38)
    e = all_fours(lb=-20, ub=-10, neck=-30)
    mid = solve(all_fours()).joint["chest"]
    return Figure(
        start=s,
        end=e,
        loop=(4, 0, 4, 0),
        props=(MAT_PROP,),
        marks=(arrow((mid[0] - 4, mid[1] - 40), (mid[0] - 4, mid[1] - 18), both=True),),
        fixed=("knee_n", "wrist_n"),
    )


@exercise("childs-pose")
def childs_pose():
    s = all_fours()
    p0 = solve(s)
    knee = p0.point("knee_n")
    shin = p0.direction["shin_n"]
    wrist = p0.point("wrist_n")
    # Sat back, the trunk leans forward just enough for the forehead to rest on the mat.
    back = all_fours(hip=polar(knee, 200, THIGH), lb=14, ub=10, neck=24, t=0)
    t1 = bisect(lambda t: lowest({**back, "t": t}, ("head",)) - MAT, -20, 60)

    def spec(u: float) -> dict:
        """u = 0 on hands and knees, 1 sat back on the heels: the hip swings round the knee, which
        stays down; the back rounds over the thighs and the hands slide forward."""
        th = 90 - 70 * u
        hip = polar(knee, th + 180, THIGH)
        legs = ("a", th, shin, shin)
        out = all_fours(hip=hip, lb=14 * u, ub=10 * u, ln=legs, lf=legs, t=s["t"] + (t1 - s["t"]) * u)
        out["neck"] = s["neck"] + (24 - s["neck"]) * u
        out["an"] = ("ik", hand_on(wrist[0] + 34 * u), ELBOW, 0)
        out["af"] = ("twin",)
        return out

    e = spec(1)
    return Figure(
        start=spec(0),
        end=e,
        path=spec,
        loop=(3, 2, 3, 1),
        props=(MAT_PROP,),
        marks=(arrow(add(p0.joint["pelvis"], (-4, -22)), add(solve(e).joint["pelvis"], (-14, -20)), 10),),
        fixed=("knee_n",),
    )


@exercise("bird-dog-one-limb")
def bird_dog_one_limb(both: bool = False):
    s = all_fours()
    leg = ("a", 184, 184, 90)  # level with the back, toes pointing down
    e = all_fours(ln=leg, neck=-4)
    lift = all_fours(ln=("a", 96, 176, 176))  # the knee leaves the mat first, so the toes never scrape it
    if both:
        e["af"] = ("a", -14, -14, -14)
        lift["af"] = ("a", 40, 20, 20)
    return Figure(start=s, end=e, via=(lift,), loop=(2, 2, 2, 1), props=(MAT_PROP,), fixed=("knee_f", "wrist_n"))


@exercise("bird-dog")
def bird_dog():
    return bird_dog_one_limb(both=True)


# ---------------------------------------------------------------------------------------------
# Lying on the front.


def lifted(spec: dict, height: float) -> dict:
    """The trunk turned up about the hips until the shoulder joint is height above the mat."""
    t = bisect(lambda t: MAT - solve({**spec, "t": t}).point("shoulder_n")[1] - height, -60, 5)
    return {**spec, "t": t}


@exercise("prone-on-elbows")
def prone_on_elbows():
    s = prone()
    p = solve(s)
    sh = p.point("shoulder_n")
    # Hands stacked under the forehead, elbows out to the sides: seen from the side the arms look short.
    fold = ("p", (sh[0] + 12, MAT - 4.5), (sh[0] + 28, MAT - 7), -10)
    s = prone(an=fold, af=("twin",), neck=s["neck"] - 14)
    e = lifted(prone(lb=-14, ub=-6, an=("a", 90, 0, 0), af=("twin",)), UPPER + 4)
    e = dict(e, neck=-2 - (e["t"] - s["t"]) * 0.6)
    # Elbows under the shoulders: straight down from where the lifted shoulder is.
    return Figure(start=s, end=e, loop=(2, 3, 2, 1), props=(MAT_PROP,), fixed=("hip_n",))


@exercise("prone-press-up")
def prone_press_up():
    s0 = prone()
    sh = solve(s0).point("shoulder_n")
    wrist = hand_on(sh[0] + 8)
    # Lying flat with hands by the shoulders, the elbows point up and back.
    elbow = meet(sh, UPPER - 8, wrist, FORE - 1, -1)
    s = prone(an=("p", elbow, wrist, 0), af=("twin",))
    up = prone(lb=-20, ub=-8)
    e = dict(up, t=bisect(lambda t: dist(solve({**up, "t": t}).point("shoulder_n"), wrist) - (ARM - 3), -70, -5))
    e.update(an=("ik", wrist, ELBOW, 0), af=("twin",), neck=-8)
    top = solve(e).point("shoulder_n")
    return Figure(
        start=s,
        end=e,
        loop=(2, 5, 2, 0),
        props=(MAT_PROP,),
        marks=(arrow((top[0] - 40, MAT - 28), (top[0] - 34, MAT - 62), -9),),
        fixed=("wrist_n", "hip_n"),
    )


def plank(pivot, reach: float, legs):
    """On the forearms, then the hips lifted until the body is straight from the shoulders to the
    pivot (knees or feet, reach from the hip), which stays put, as do the elbows."""
    elbow = (214, MAT - 4)

    def at(u: float) -> dict:
        # The hip swings round the pivot from the mat up to the straight line; the shoulder stays
        # an upper arm from the elbow and a trunk from the hip.
        straight = bisect(lambda a: dist(polar(pivot, a, reach + 49), elbow) - UPPER, -40, 0)
        down = bisect(lambda a: polar(pivot, a, reach)[1] - (MAT - 11), -40, 25)
        hip = polar(pivot, down + (straight - down) * u, reach)
        sh = meet(hip, 49, elbow, UPPER, -1)
        thigh = angle(sub(pivot, hip))
        spec = {
            "sh": sh,
            "t": angle(sub(sh, hip)),
            "neck": 6 - 6 * u,
            "an": ("a", angle(sub(elbow, sh)), 0, 0),
            "af": ("twin",),
            "ln": legs(thigh),
            "lf": ("twin",),
            "o": {"lf": (-2, 0)},
        }
        return spec

    return at(0), at(1), at


@exercise("front-plank-knees")
def front_plank_knees():
    knee = (116, MAT - 5.6)
    s, e, at = plank(knee, THIGH, lambda th: ("a", th, 178, 178))
    return Figure(
        start=s, end=e, path=at, loop=(2, 3, 2, 1), props=(MAT_PROP,), marks=lift_arrow(e), fixed=("knee_n", "elbow_n")
    )


@exercise("front-plank")
def front_plank():
    ankle = foot_on(80, 92)  # toes tucked under, heels up
    s, e, at = plank(ankle, THIGH + SHIN, lambda th: ("a", th, th, 92))
    return Figure(
        start=s, end=e, path=at, loop=(2, 3, 2, 1), props=(MAT_PROP,), marks=lift_arrow(e), fixed=("ankle_n", "elbow_n")
    )


def lift_arrow(spec: dict) -> tuple:
    """An arrow just behind the lifted hips, pointing up."""
    hip = solve(spec).joint["pelvis"]
    return (arrow((hip[0] - 14, hip[1] + 2), (hip[0] - 14, hip[1] - 24)),)


# ---------------------------------------------------------------------------------------------
# Standing and sitting.


@exercise("walking")
def walking():
    x = 150

    def stride(front: str, back: str) -> dict:
        heel = foot_on(x + 27, -22, FLOOR)
        push = foot_on(x - 26, 38, FLOOR)
        reach = THIGH + SHIN - 1.5
        hip_y = heel[1] - sqrt(reach**2 - (heel[0] - x) ** 2)
        arms = {"a" + front[1]: ("a", 112, 96), "a" + back[1]: ("a", 66, 40)}
        legs = {front: ("ik", heel, KNEE, -22), back: ("ik", push, KNEE, 38)}
        return standing(x, hip=(x, hip_y), t=-87, neck=2, **arms, **legs)

    def passing(stance: str, swing: str) -> dict:
        hip_y = ON_FLOOR - (THIGH + SHIN - 0.6)
        legs = {stance: ("ik", (x + 1, ON_FLOOR), KNEE, 0), swing: ("ik", (x - 10, ON_FLOOR - 26), KNEE, 42)}
        hang = ("a", 92, 80)
        return standing(x, hip=(x, hip_y), t=-87, neck=2, an=hang, af=hang, **legs)

    keys = (stride("ln", "lf"), passing("lf", "ln"), stride("lf", "ln"), passing("ln", "lf"))
    return Figure(start=keys[0], cycle=keys, step=0.55, props=())


@exercise("sit-to-stand")
def sit_to_stand():
    crossed = ("rel", 145, -140, 0)  # arms folded across the chest
    feet = {"ln": ("ik", (126, ON_FLOOR), KNEE, 0), "lf": ("ik", (123, ON_FLOOR), KNEE, 0)}
    s = seated(an=crossed, af=("twin",), **feet)
    lean = dict(s, t=-48, neck=26)
    rise = dict(lean, hip=(s["hip"][0] + 14, s["hip"][1] - 12), t=-56, neck=22)
    stand = dict(s, hip=(121, ON_FLOOR - THIGH - SHIN + 0.5), t=-90, neck=4)
    return Figure(
        start=s,
        end=stand,
        via=(lean, rise),
        loop=(2, 0, 3, 1),
        props=(CHAIR,),
        marks=(arrow((160, 120), (160, 84), -8),),
        fixed=("ankle_n",),
        surface=FLOOR,
    )


@exercise("pelvic-floor-squeeze")
def pelvic_floor_squeeze():
    s = seated()
    p = solve(s)
    base = add(p.joint["pelvis"], (3, 8))
    return Figure(
        start=s,
        props=(CHAIR,),
        marks=(glow(base, 12), arrow((base[0] + 22, base[1] - 2), (base[0] + 22, base[1] - 24))),
        surface=FLOOR,
    )


@exercise("wall-sit")
def wall_sit():
    wall = 46
    hip_x = wall + 14.5
    ankle = (hip_x + 24, ON_FLOOR)
    legs = {"ln": ("ik", ankle, KNEE, 0), "lf": ("twin",)}
    top = ankle[1] - sqrt((THIGH + SHIN - 0.6) ** 2 - (ankle[0] - hip_x) ** 2)
    s = standing(hip=(hip_x, top), neck=6, af=("twin",), **legs)
    e = dict(s, hip=(hip_x, top + 30))
    return Figure(
        start=s,
        end=e,
        loop=(3, 2, 3, 1),
        props=(("wall", wall, "left"),),
        marks=(arrow((hip_x + 62, top - 30), (hip_x + 62, top - 4)),),
        fixed=("ankle_n",),
        surface=FLOOR,
    )


@exercise("front-plank-incline")
def front_plank_incline():
    ankle = foot_on(120, 0, FLOOR)

    def lean(a: float, arms) -> dict:
        """The body straight from the ankles, leaning a degrees forward of upright."""
        d = -90 + a
        legs = {"ln": ("a", d + 180, d + 180, 0), "lf": ("twin",)}
        return standing(hip=polar(ankle, d, THIGH + SHIN), t=d, neck=a * 0.3, **legs, **arms, o={"lf": (0, -2)})

    hang, forward = ("a", 92, 86, 86), ("a", 0, -90, -90)

    def at(u: float) -> dict:
        return lean(25 * u, {"an": blend(hang, forward, u), "af": ("twin",)})

    s, e = at(0), at(1)
    elbow = solve(e).point("elbow_n")
    return Figure(
        start=s,
        end=e,
        path=at,
        loop=(2, 3, 2, 1),
        props=(("wall", elbow[0] + 4.5),),
        fixed=("ankle_n",),
        surface=FLOOR,
    )


@exercise("hip-flexor-stretch")
def hip_flexor_stretch():
    cushion = MAT - 6
    knee = (118, cushion - 5.6)
    # The back foot's toes are tucked under: the foot stands on them, pointing down.
    back_ankle_y = foot_on(0, 90)[1]
    back_ankle = (knee[0] - sqrt(SHIN**2 - (knee[1] - back_ankle_y) ** 2), back_ankle_y)
    front_ankle = foot_on(172)

    def spec(lean: float, tuck: float) -> dict:
        """lean: how far the back thigh tilts forward of upright; tuck: how far the pelvis rolls
        back, flattening the low back (negative keeps a small natural hollow)."""
        hip = polar(knee, -90 + lean, THIGH)
        shin = angle(sub(back_ankle, knee))
        hand = (hip[0] + 4, hip[1] - 10)
        return {
            "hip": hip,
            "t": -90 + lean * 0.1,
            "lb": tuck,
            "neck": 4,
            "an": ("ik", hand, ELBOW, -30),
            "af": ("twin",),
            "ln": ("a", 90 + lean, shin, 90),
            "lf": ("ik", front_ankle, KNEE, 0),
        }

    s, e = spec(0, -4), spec(16, 6)
    h0, h1 = solve(s).joint["pelvis"], solve(e).joint["pelvis"]
    return Figure(
        start=s,
        end=e,
        loop=(3, 3, 3, 1),
        props=(MAT_PROP, ("cushion", knee[0] - 15, knee[0] + 15, 6)),
        marks=(arrow((h0[0] - 34, h0[1] + 4), (h1[0] - 14, h1[1] + 4)),),
        fixed=("knee_n", "ankle_f"),
    )


# ---------------------------------------------------------------------------------------------
# Lying on the side, seen from the front (and a little from above): the body lies on its right side,
# head to the left, facing the viewer; "n" limbs are the lower ones, "f" the upper. A knee or forearm
# that comes towards the viewer is drawn lower, as if seen from slightly above.

SIDE = ("ln", "lf", "trunk", "an", "af")


def side_lying(line: float, **kw) -> dict:
    """Lying on the right side with the hip and shoulder on the mat at line."""
    spec = {"view": "front", "hip": (190, line - 18), "t": 180, "neck": 0}
    spec.update(an=("a", 180, 180), af=("a", 0, 0), ln=("a", 0, 0), lf=("a", 0, 0))
    spec = settle(spec, line, ("pelvis", "chest", "upper"))
    spec.update(kw)
    return spec


def hand_on_hip(spec: dict) -> tuple:
    """The upper arm lying along the top of the body, hand on the hip."""
    p = solve(spec)
    sh, hip = p.point("shoulder_f"), p.joint["pelvis"]
    d = p.direction["pelvis"]
    wrist = add(hip, vec(d + 90, 13))
    elbow = meet(sh, UPPER - 6, wrist, FORE - 1, -1)
    return ("p", elbow, wrist, angle(sub(wrist, elbow)))


@exercise("clamshell")
def clamshell():
    def build(line: float, lift: float) -> dict:
        s = side_lying(line)
        p = solve(s)

        def leg(side: str, lift: float):
            hip = p.point(f"hip_{side}")
            hip3 = (hip[0], hip[1], 0.0)
            th, sd = radians(45), radians(-45)  # hips bent 45 degrees, knees a right angle
            knee3 = [hip3[0] + THIGH * cos(th), hip3[1], THIGH * sin(th)]
            ankle3 = [knee3[0] + SHIN * cos(sd), hip3[1], knee3[2] + SHIN * sin(sd)]
            if lift:  # the knee turns up about the line from hip to ankle, so the feet stay together
                r = radians(lift)
                off = knee3[2] - (hip3[2] + ankle3[2]) / 2
                knee3 = [knee3[0], knee3[1] - off * sin(r), knee3[2] - off * (1 - cos(r))]
            toe3 = (ankle3[0] + 11, ankle3[1], ankle3[2] + 11)
            return ("p", project(*knee3), project(*ankle3), project(*toe3))

        pillow = ("a", 182, 182, 182)  # the lower arm stretched out along the mat under the head
        s.update(an=pillow, ln=leg("n", 0), lf=leg("f", lift))
        s["af"] = hand_on_hip(s)
        # The head rests on the lower arm.
        arm_top = solve(s).point("shoulder_n")[1] - 1
        s["neck"] = bisect(lambda n: lowest({**s, "neck": n}, ("head",)) - arm_top, -40, 40)
        return s

    line = bisect(lambda y: lowest(build(y, 0)) - FLOOR, FLOOR - 60, FLOOR)
    s, e = build(line, 0), build(line, 45)
    k0, k1 = solve(s).point("knee_f"), solve(e).point("knee_f")
    return Figure(
        start=s,
        end=e,
        loop=(2, 2, 2, 0),
        props=(("sidemat", line - 26),),
        order=("ln", "an", "trunk", "lf", "af"),
        colours={"ln": FAR, "lf": INK},
        marks=(arrow((k0[0] + 16, k0[1] - 4), (k1[0] + 16, k1[1] - 4), -6),),
        fixed=("ankle_n", "shoulder_n"),
        surface=FLOOR,
    )


def side_plank(knees: bool, staggered: bool = False) -> Figure:
    def build(line: float, u: float) -> dict:
        base = side_lying(line)
        p = solve(base)
        elbow = (p.point("shoulder_n")[0] + 4, line - 4)
        if knees:
            pivot = (base["hip"][0] + THIGH - 2, line - 5.6)
            reach = THIGH
        else:
            pivot = (base["hip"][0] + THIGH + SHIN - 4, line - 4.5)
            reach = THIGH + SHIN

        def place(a: float) -> dict:
            hip_n = polar(pivot, a, reach)
            sh = meet(hip_n, 49.3, elbow, UPPER, 1)
            probe = {**base, "t": 180}
            q = solve(probe)
            offset = angle(sub(q.point("shoulder_n"), q.point("hip_n"))) - 180
            spec = {**base, "t": angle(sub(sh, hip_n)) - offset}
            return anchor(spec, "hip_n", hip_n)

        down = bisect(lambda a: lowest(place(a), ("pelvis",)) - line, 150, 200)

        def bend(a: float) -> float:
            q = solve(place(a))
            hip_n = q.point("hip_n")
            return norm(angle(sub(q.point("shoulder_n"), hip_n)) - angle(sub(hip_n, pivot)))

        # Straight: the body one line from the pivot to the shoulders.
        up = bisect(bend, down, down + 40)
        spec = place(down + (up - down) * u)
        q = solve(spec)
        # The forearm lies on the mat, pointing forward and a little towards the head.
        wrist = project(elbow[0] - 16, elbow[1] + 0.5, 18)
        spec["an"] = ("p", elbow, wrist, project(elbow[0] - 22, elbow[1] + 0.5, 24))
        legs = angle(sub(pivot, q.point("hip_n")))
        if knees:  # lower legs bent back behind the body, so they show short and rising
            ankle = project(pivot[0] + 6, pivot[1], -40)
            spec["ln"] = ("p", pivot, ankle, project(pivot[0] + 14, pivot[1], -42))
        else:
            ankle = pivot
            spec["ln"] = ("p", polar(q.point("hip_n"), legs, THIGH), ankle, project(ankle[0] + 3, ankle[1], 14))
        spec["lf"] = ("twin",)
        if staggered:  # the top leg a little apart from the lower one: the top foot stands on the mat in front of it
            spec["o"] = {"lf": (-11, 0)}
        spec["af"] = hand_on_hip(spec)
        return spec

    line = bisect(lambda y: lowest(build(y, 0)) - FLOOR, FLOOR - 40, FLOOR)
    s, e = build(line, 0), build(line, 1)
    h1 = solve(e).joint["pelvis"]
    return Figure(
        start=s,
        end=e,
        path=lambda u: build(line, u),
        loop=(2, 3, 2, 1),
        props=(("sidemat", line - 26),),
        order=SIDE,
        marks=(arrow((h1[0] + 4, h1[1] - 20), (h1[0] + 4, h1[1] - 42)),),
        fixed=("elbow_n", "knee_n" if knees else "ankle_n"),
        surface=FLOOR,
    )


@exercise("side-plank-knees")
def side_plank_knees():
    return side_plank(True)


@exercise("side-plank")
def side_plank_straight():
    return side_plank(False)


@exercise("bridge-march")
def bridge_march():
    # Held up in the bridge, one foot lifts a little off the mat and goes down again, then the other: the pelvis
    # stays level. Seen from the side, the near knee rises towards the chest and comes back.
    bridge = glute_bridge()
    up = bridge.end
    th = solve(up).direction["thigh_n"]
    planted = solve(up)
    shin = planted.direction["shin_n"]
    up = dict(up, lf=("a", th, shin, 0))
    lifted = dict(up, ln=("a", th - 22, shin - 12, -20))
    knee = solve(lifted).point("knee_n")
    return Figure(
        start=up,
        end=lifted,
        loop=(2, 1, 2, 0),
        props=(MAT_PROP,),
        marks=(arrow((knee[0] + 10, knee[1] + 18), (knee[0] + 10, knee[1] - 4)),),
        fixed=("ankle_f", "shoulder_n"),
    )


@exercise("side-plank-staggered")
def side_plank_staggered():
    return side_plank(False, staggered=True)


@exercise("high-plank")
def high_plank():
    # Held still: hands flat under the shoulders, arms straight, toes tucked under, one straight line from the
    # shoulders to the heels (a moving picture would look like a press-up, which this is not).
    ankle = foot_on(70, 92)
    reach = THIGH + SHIN
    arm = ARM - 1.5
    # The body's line turned up about the ankles until the shoulder is an arm's length above a hand on the mat.
    a = bisect(lambda a: MAT - WRIST_UP - 0.5 - polar(ankle, a, reach + 49)[1] - arm, -45, 0)
    hip = polar(ankle, a, reach)
    sh = polar(ankle, a, reach + 49)
    wrist = hand_on(sh[0])
    spec = {
        "sh": sh,
        "t": a,
        "neck": 0,
        "an": ("ik", wrist, ELBOW, 0),
        "af": ("twin",),
        "ln": ("a", a + 180, a + 180, 92),
        "lf": ("twin",),
        "o": {"lf": (-2, 0), "af": (-2, 0)},
    }
    del hip
    return Figure(start=spec, props=(MAT_PROP,))


@exercise("side-lying-leg-raise")
def side_lying_leg_raise():
    # Lying on the side with the legs long, the top leg lifts a hand's width or two, heel leading, and comes down.
    def build(line: float, lift: float) -> dict:
        s = side_lying(line)
        s["an"] = ("a", 182, 182, 182)  # the lower arm stretched out along the mat under the head
        s["lf"] = ("a", -lift, -lift * 0.85)  # the knee straight but soft, not locked
        s["af"] = hand_on_hip(s)
        arm_top = solve(s).point("shoulder_n")[1] - 1
        s["neck"] = bisect(lambda n: lowest({**s, "neck": n}, ("head",)) - arm_top, -40, 40)
        return s

    line = FLOOR  # with the legs long, the body itself is the lowest part: it lies on the floor's mat
    s, e = build(line, 0), build(line, 20)
    a0, a1 = solve(s).point("ankle_f"), solve(e).point("ankle_f")
    return Figure(
        start=s,
        end=e,
        loop=(2, 1, 2, 0),
        props=(("sidemat", line - 26),),
        order=("ln", "an", "trunk", "lf", "af"),
        colours={"ln": FAR, "lf": INK},
        marks=(arrow((a0[0] + 14, a0[1] - 6), (a1[0] + 14, a1[1] - 2), -6),),
        fixed=("ankle_n", "shoulder_n"),
        surface=FLOOR,
    )


@exercise("bird-dog-squares")
def bird_dog_squares():
    # In the bird dog's reach, the hand and the foot draw small squares: seen from the side, a little up, along,
    # down and back again, while the back stays still.
    e = bird_dog().end

    def corner(d_arm: float, d_leg: float) -> dict:
        return dict(e, af=("a", -14 + d_arm, -14 + d_arm, -14 + d_arm), ln=("a", 184 + d_leg, 184 + d_leg, 90))

    up, down = corner(-7, 6), corner(5, -5)
    hand = solve(e).point("wrist_f")
    foot = solve(e).point("ankle_n")
    return Figure(
        start=e,
        end=up,
        keys=((e, 0.5, 1), (up, 0.5, 1), (e, 0.5, 1), (down, 0.5, 1)),
        props=(MAT_PROP,),
        marks=(
            arrow((hand[0] + 10, hand[1] + 8), (hand[0] + 10, hand[1] - 10), both=True),
            arrow((foot[0] - 6, foot[1] - 14), (foot[0] - 6, foot[1] + 4), both=True),
        ),
        fixed=("knee_f", "wrist_n"),
    )


# ---------------------------------------------------------------------------------------------
# Standing balance, a hand resting on a kitchen counter (drawn as a cupboard with its worktop).

COUNTER = ("step", 158, 214, 90)  # the front of the counter at x 158, its top 90 above the floor


def on_counter(x: float) -> tuple:
    """The near hand resting on the counter's top, fingertips on it."""
    return ("ik", (x, FLOOR - COUNTER[3] - WRIST_UP - 0.5), ELBOW, 0)


@exercise("single-leg-stand")
def single_leg_stand():
    x = 136
    s = standing(x, an=on_counter(162), ln=("a", 90, 90, 0), lf=("a", 90, 90, 0))
    e = dict(s, ln=("a", 78, 128, 15))  # the near foot lifted a little, the knee bent
    peel = dict(s, ln=("a", 84, 112, 8))  # the heel leaves the floor first, so the toes never dig in
    k = solve(e).point("ankle_n")
    return Figure(
        start=s,
        end=e,
        via=(peel,),
        loop=(2, 3, 2, 1),
        props=(COUNTER,),
        marks=(arrow((k[0] - 14, k[1] + 8), (k[0] - 14, k[1] - 10)),),
        fixed=("ankle_f", "wrist_n"),
        surface=FLOOR,
    )


@exercise("heel-to-toe-stand")
def heel_to_toe_stand():
    x = 132
    hip_y = ON_FLOOR - sqrt((THIGH + SHIN - 0.8) ** 2 - 13**2)
    s = standing(
        x,
        hip=(x, hip_y),
        an=on_counter(162),
        ln=("ik", (x + 1, ON_FLOOR), KNEE, 0),
        lf=("ik", (x - 1, ON_FLOOR), KNEE, 0),
    )
    # The near foot stepped in front, its heel against the other foot's toes; the hips over the middle.
    front, back = (x + 13, ON_FLOOR), (x - 13, ON_FLOOR)
    e = dict(
        s,
        hip=(x, hip_y),
        ln=("ik", front, KNEE, 0),
        lf=("ik", back, KNEE, 0),
        an=on_counter(162),
        o={"af": (0, -1.5)},
    )
    return Figure(
        start=s,
        end=e,
        loop=(2, 3, 2, 1),
        props=(COUNTER,),
        marks=(arrow((x - 4, FLOOR - 10), (x + 22, FLOOR - 10)),),
        fixed=("wrist_n",),
        surface=FLOOR,
    )


def facing(x: float, **kw) -> dict:
    """Standing, seen from the front: the near limbs ("n") on the picture's left, the far ones on its right."""
    spec = {
        "view": "front",
        "hip": (x, ON_FLOOR - THIGH - SHIN),
        "t": -90,
        "neck": 0,
        "an": ("a", 96, 90),
        "af": ("a", 84, 90),
        "ln": ("a", 90, 90, 0),
        "lf": ("a", 90, 90, 0),
    }
    spec.update(kw)
    return spec


@exercise("standing-hip-abduction")
def standing_hip_abduction():
    x = 150
    s = facing(x)
    p = solve(s)
    sh = p.point("shoulder_n")
    s["an"] = ("ik", (sh[0] - 26, FLOOR - COUNTER[3] - WRIST_UP - 0.5), ELBOW, 180)
    e = dict(s, lf=("a", 70, 74, -16))  # the far leg swings out to the side, the knee soft, toes forward
    a0, a1 = solve(s).point("ankle_f"), solve(e).point("ankle_f")
    return Figure(
        start=s,
        end=e,
        loop=(2, 1, 2, 0),
        props=(("step", 60, sh[0] - 22, COUNTER[3]),),
        marks=(arrow((a0[0] + 12, a0[1] - 4), (a1[0] + 12, a1[1] - 6), 4),),
        fixed=("ankle_n", "wrist_n"),
        surface=FLOOR,
    )


@exercise("wall-side-plank")
def wall_side_plank():
    # Held still, seen from the front: side-on to a wall, the forearm flat on it with the elbow at shoulder height,
    # the feet a step away from the wall, the body one straight line leaning on the forearm.
    lean = 18
    ankle = (172, ON_FLOOR - 2.9)  # the feet flat on the floor, the shins leaning
    legs = 90 - lean  # from the hip down to the ankles
    hip = polar(ankle, legs + 180, THIGH + SHIN - 0.6)
    spec = facing(hip[0], hip=hip, t=-90 - lean, ln=("a", legs, legs, 0), lf=("a", legs, legs, 0))
    sh = solve(spec).point("shoulder_n")
    elbow = (sh[0] - UPPER + 2, sh[1] + 6)
    spec["an"] = ("a", angle(sub(elbow, sh)), -90, -90)
    spec["af"] = ("ik", add(solve(spec).joint["pelvis"], (10, -6)), ELBOW, 90)
    wall = solve(spec).point("elbow_n")[0] - 5
    return Figure(start=spec, props=(("wall", wall, "left"),), surface=FLOOR)
