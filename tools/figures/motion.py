"""An exercise's movement as key frames of joint rotations, the way the SVG animates them.

A browser moves the figure by interpolating each joint's rotation (and the root's position) between
key frames. Where that straight interpolation would let a planted foot slide or a hand sink into the
mat, more key frames are cut from the pose specs until every in-between frame is within a unit of
the solved pose.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from math import cos, radians, sin

from .body import FLOOR, LENGTH, MAT, PARENT, Pose, blend, dist, kind, local, norm, solve, sub

# Timing of one move, as an SVG keySplines curve: ease in and out.
EASE = (0.42, 0.0, 0.58, 1.0)
LINEAR = (0.0, 0.0, 1.0, 1.0)
# An in-between frame is good enough when planted points stay within a unit of where they belong,
# nothing sinks into the floor or floats off it, and no part strays far from the solved pose.
TOLERANCE = 1.0
LOOSE = 3.0
SAMPLES = (0.25, 0.5, 0.75)


@dataclass
class Figure:
    """One exercise's figure.

    start, end   pose specs (see body.py); end=None draws a still figure
    via          specs the way out passes through (e.g. leaning forward before standing up)
    back         specs the way back passes through (default: via reversed)
    loop         seconds: moving out, staying at the end pose, moving back, resting at the start.
                 For an exercise done in repetitions the four add up to one repetition.
    cycle        instead of start/end: specs of a cyclic movement (walking), one every `step` seconds
    props        ("mat", x0, x1), ("wall", x, side), ("chair",), ("cushion", x0, x1, h), ("step", x0, x1, h),
                 ("sidemat", top)
    marks        arrows and glows, see draw.py
    order        drawing order of the limbs around the trunk
    fixed        landmarks (body.Pose.point names) that must not move during the loop, e.g. planted feet
    surface      what the body rests on; by default the mat if there is one, else the floor
    """

    start: dict
    end: dict | None = None
    via: tuple = ()
    back: tuple | None = None
    loop: tuple[float, float, float, float] = (2.0, 2.0, 2.0, 1.0)
    cycle: tuple = ()
    step: float = 0.5
    keys: tuple = ()  # instead of start/end: (spec, seconds held, seconds moving to the next key), looping
    path: Callable | None = None  # the way out as a function of progress 0..1 (start and end still given)
    props: tuple = ()
    marks: tuple = ()
    order: tuple = ("af", "lf", "trunk", "an", "ln")
    fixed: tuple = ()
    surface: float | None = None
    desc: str = ""
    colours: dict = field(default_factory=dict)

    @property
    def moving(self) -> bool:
        return bool(self.cycle or self.keys) or self.end is not None

    def rests_on(self) -> float:
        if self.surface is not None:
            return self.surface
        return MAT if any(p[0] == "mat" for p in self.props) else FLOOR


# ---------------------------------------------------------------------------------------------
# Joint parameters: what the SVG animates. Per bone: its joint in the parent's frame (tx, ty), its
# rotation relative to the parent, and how long it shows (a limb turned towards the viewer looks
# shorter).


def params(pose: Pose) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for bone in PARENT:
        parent = PARENT[bone]
        if parent is None:
            tx, ty = pose.joint[bone]
        else:
            tx, ty = _inverse(pose.frame(parent), pose.joint[bone])
        k = kind(bone)
        scale = pose.length[bone] / LENGTH[k] if LENGTH[k] else 1.0
        out[bone] = (tx, ty, pose.relative(bone), scale)
    return out


def _inverse(frame, point):
    (ox, oy), a = frame
    return local(((0.0, 0.0), -a), sub(point, (ox, oy)))


def fk(values: dict, view: str) -> Pose:
    pose = Pose(view)
    for bone, (tx, ty, a, s) in values.items():
        parent = PARENT[bone]
        if parent is None:
            pose.joint[bone], pose.direction[bone] = (tx, ty), a
        else:
            pose.joint[bone] = local(pose.frame(parent), (tx, ty))
            pose.direction[bone] = pose.direction[parent] + a
        pose.length[bone] = s * LENGTH[kind(bone)]
    return pose


def unwrap(frames: list[dict]) -> list[dict]:
    """Each rotation turned the short way from one key frame to the next."""
    out = [frames[0]]
    for f in frames[1:]:
        prev = out[-1]
        row = {}
        for bone, (tx, ty, a, s) in f.items():
            pa = prev[bone][2]
            row[bone] = (tx, ty, pa + norm(a - pa), s)
        out.append(row)
    return out


def mix(a: dict, b: dict, f: float) -> dict:
    return {bone: tuple(x + (y - x) * f for x, y in zip(a[bone], b[bone], strict=True)) for bone in a}


def gap(p: Pose, q: Pose) -> float:
    return max(dist(a[:2], b[:2]) for a, b in zip(p.circles(), q.circles(), strict=True))


# ---------------------------------------------------------------------------------------------
# Timing curves. A move eased in and out is one cubic curve of progress against time; cut into
# slices, each slice is again a cubic curve, which SVG takes as that slice's keySplines.


def _bez(p, u):
    a, b, c, d = p
    v = 1 - u
    return v**3 * a + 3 * v * v * u * b + 3 * v * u * u * c + u**3 * d


def _progress_to_u(spline, p: float) -> float:
    """The curve parameter where progress reaches p."""
    ys = (0.0, spline[1], spline[3], 1.0)
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if _bez(ys, mid) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _sub_curve(spline, u0: float, u1: float):
    """The part of the timing curve between u0 and u1, as (time0, time1, keySplines of the part)."""
    xs = (0.0, spline[0], spline[2], 1.0)
    ys = (0.0, spline[1], spline[3], 1.0)

    def part(c):
        # Blossoming: control points of the curve restricted to [u0, u1].
        def bl(s, t, r):
            a = [c[0], c[1], c[2], c[3]]
            for x in (s, t, r):
                a = [a[i] + (a[i + 1] - a[i]) * x for i in range(len(a) - 1)]
            return a[0]

        return bl(u0, u0, u0), bl(u0, u0, u1), bl(u0, u1, u1), bl(u1, u1, u1)

    px, py = part(xs), part(ys)
    w, h = px[3] - px[0], py[3] - py[0]
    ks = (
        (px[1] - px[0]) / w,
        (py[1] - py[0]) / h if h else 0.0,
        (px[2] - px[0]) / w,
        (py[2] - py[0]) / h if h else 1.0,
    )
    return px[0], px[3], tuple(min(1.0, max(0.0, k)) for k in ks)


@dataclass
class Timeline:
    """Key frames of one loop: times in seconds from 0 to dur, solved poses, and the timing curve
    of each interval (len(times) - 1 of them)."""

    times: list[float]
    poses: list[Pose]
    splines: list[tuple]
    dur: float
    phases: tuple[float, float, float] | None  # out move ends, back move starts, back move ends
    view: str

    def values(self) -> list[dict]:
        return unwrap([params(p) for p in self.poses])

    def tracks(self) -> dict[str, Track]:
        """What the SVG animates, bone by bone (see Track)."""
        vals = self.values()
        return {bone: Track.of(bone, [v[bone] for v in vals]) for bone in PARENT}

    def pose_at(self, tracks: dict[str, Track], i: int, f: float) -> Pose:
        """The pose a browser shows a fraction f of the way from key frame i to the next."""
        return fk({bone: t.at(i, f) for bone, t in tracks.items()}, self.view)

    def samples(self):
        """Every key frame and the in-between frames a browser shows, as poses."""
        tracks = self.tracks()
        for i in range(len(self.times)):
            yield self.pose_at(tracks, i, 0.0)
            if i + 1 < len(self.times):
                for f in SAMPLES:
                    yield self.pose_at(tracks, i, f)


# Changes smaller than these are not worth animating: under half a pixel at full size. A hand, foot
# or head may keep its angle through a turn too small to see at its tip.
STILL_TURN, STILL_SHIFT, STILL_SCALE = 0.3, 0.25, 0.01
LEAF_TURN = {"hand": 2.0, "foot": 1.2, "head": 1.2}


@dataclass
class Track:
    """One bone's key frames as drawn: rows of (tx, ty, turn, scale), with what does not change
    enough to see held at its first value. pivot: when the bone only turns about one fixed point of
    its parent's frame (a bridge about the shoulders, an incline plank about the ankles), that point,
    and the browser turns it about there instead of moving it in straight lines."""

    rows: list[tuple]
    pivot: tuple[float, float] | None = None

    @classmethod
    def of(cls, bone: str, rows: list[tuple]) -> Track:
        first = rows[0]
        turn_tol = LEAF_TURN.get(kind(bone), STILL_TURN)
        if all(abs(r[2] - first[2]) <= turn_tol for r in rows):
            rows = [(r[0], r[1], first[2], r[3]) for r in rows]
        if all(abs(r[0] - first[0]) <= STILL_SHIFT and abs(r[1] - first[1]) <= STILL_SHIFT for r in rows):
            rows = [(first[0], first[1], r[2], r[3]) for r in rows]
        if all(abs(r[3] - first[3]) <= STILL_SCALE for r in rows):
            rows = [(r[0], r[1], r[2], first[3]) for r in rows]
        pivot = _pivot(rows) if PARENT[bone] is None else None
        return cls(rows, pivot)

    @property
    def moves(self) -> bool:
        return self.shifts or self.turns or self.scales

    @property
    def shifts(self) -> bool:
        return any(r[:2] != self.rows[0][:2] for r in self.rows)

    @property
    def turns(self) -> bool:
        return any(r[2] != self.rows[0][2] for r in self.rows)

    @property
    def scales(self) -> bool:
        return any(r[3] != self.rows[0][3] for r in self.rows)

    def at(self, i: int, f: float) -> tuple:
        a = self.rows[i]
        b = self.rows[min(i + 1, len(self.rows) - 1)]
        row = tuple(x + (y - x) * f for x, y in zip(a, b, strict=True))
        if self.pivot is None:
            return row
        # Turned about the pivot: the position follows the arc, not the chord.
        x0, y0, a0, _ = self.rows[0]
        d = radians(row[2] - a0)
        cx, cy = self.pivot
        return (
            cx + cos(d) * (x0 - cx) - sin(d) * (y0 - cy),
            cy + sin(d) * (x0 - cx) + cos(d) * (y0 - cy),
            row[2],
            row[3],
        )


def _pivot(rows: list[tuple]):
    """The one point that every row's placement turns about, or None."""
    (x0, y0, a0, _), centre = rows[0], None
    moved = False
    for x, y, a, _ in rows[1:]:
        d = radians(a - a0)
        if abs(d) < 1e-3:
            if abs(x - x0) > STILL_SHIFT or abs(y - y0) > STILL_SHIFT:
                return None
            continue
        moved = True
        # Solve x = c + R(d) (x0 - c) for c.
        c, s_ = cos(d), sin(d)
        bx, by = x - (c * x0 - s_ * y0), y - (s_ * x0 + c * y0)
        m00, m01, m10, m11 = 1 - c, s_, -s_, 1 - c
        det = m00 * m11 - m01 * m10
        p = ((m11 * bx - m01 * by) / det, (-m10 * bx + m00 * by) / det)
        if centre is None:
            centre = p
        elif abs(p[0] - centre[0]) > 0.4 or abs(p[1] - centre[1]) > 0.4:
            return None
    return centre if moved else None


def as_kind(spec: dict, limb: str, k: str) -> tuple:
    """A limb of a solved spec as world directions ("a") or as placed points ("p"), so that it
    blends with a limb given either way."""
    pose = solve(spec)
    bones = ("upperarm", "forearm", "hand") if limb[0] == "a" else ("thigh", "shin", "foot")
    names = [f"{b}_{limb[1]}" for b in bones]
    if k == "p":
        return ("p", pose.joint[names[1]], pose.joint[names[2]], pose.direction[names[2]])
    if spec[limb][0] == "twin" and k == "twin":
        return spec[limb]
    return ("a", *(pose.direction[n] for n in names))


def harmonise(a: dict, b: dict) -> tuple[dict, dict]:
    """Two specs whose limbs are given the same way, so they can be blended: where one places a foot
    by its ankle and the other by joint angles, both become joint angles; where one places a
    foreshortened limb point by point, both do."""
    a, b = dict(a), dict(b)
    for limb in ("an", "af", "ln", "lf"):
        if limb in a and limb in b and a[limb][0] != b[limb][0]:
            k = "p" if "p" in (a[limb][0], b[limb][0]) else "a"
            a[limb], b[limb] = as_kind(a, limb, k), as_kind(b, limb, k)
        if limb in a and limb in b and a[limb][0] == "a":
            # Each bone turns the short way round.
            b[limb] = ("a", *(x + norm(y - x) for x, y in zip(a[limb][1:], b[limb][1:], strict=False)))
    return a, b


def _path(specs: list[dict]):
    """A function of progress 0..1 along specs, each leg an equal share, and the legs' ends."""
    n = len(specs) - 1
    legs = [harmonise(specs[i], specs[i + 1]) for i in range(n)]

    def at(p: float) -> dict:
        i = min(int(p * n), n - 1)
        return blend(*legs[i], p * n - i)

    return at, [i / n for i in range(n + 1)]


def judge(fig: Figure):
    """Whether a frame a browser interpolates (shown) is close enough to the solved one (truth):
    planted points where they were planted, nothing sunk into the floor, resting parts not lifted
    off it, and the rest of the body near the solved pose."""
    surface = fig.rests_on()
    first = solve(fig.keys[0][0] if fig.keys else (fig.cycle[0] if fig.cycle else fig.start))
    planted = {n: first.point(n) for n in fig.fixed}

    def ok(shown: Pose, truth: Pose) -> bool:
        if gap(shown, truth) > LOOSE:
            return False
        if any(dist(shown.point(n), p) > TOLERANCE for n, p in planted.items()):
            return False
        low_s = max(y + r for _, y, r in shown.circles())
        low_t = max(y + r for _, y, r in truth.circles())
        if low_s > max(surface, low_t) + TOLERANCE:
            return False
        return abs(low_t - surface) > TOLERANCE or low_s >= surface - TOLERANCE

    return ok


def _move(specs, seconds: float, spline, t0: float, view: str, ok):
    """Key frames of one move along specs (or a function of progress 0..1 giving the spec), starting
    at t0: (times, poses, splines) without the first."""
    at, stops = (specs, [0.0, 1.0]) if callable(specs) else _path(specs)
    # Cut each leg where a browser's in-between frames would stray from the solved path, halving the
    # worst part first, so that a move that is straight in joint angles costs one key frame.
    cuts = [0.0]
    for a, b in pairwise(stops):
        cuts += _cut(at, a, b, view, ok, 0)
    times, poses, splines = [], [], []
    us = [_progress_to_u(spline, p) for p in cuts]
    for u0, u1, p1 in zip(us, us[1:], cuts[1:], strict=False):
        _, x1, ks = _sub_curve(spline, u0, u1)
        times.append(t0 + x1 * seconds)
        poses.append(solve(at(p1)))
        splines.append(ks)
    return times, poses, splines


def _cut(at, a: float, b: float, view: str, ok, depth: int) -> list[float]:
    if depth >= 4 or _fits(at, [a, b], view, ok):
        return [b]
    m = (a + b) / 2
    return _cut(at, a, m, view, ok, depth + 1) + _cut(at, m, b, view, ok, depth + 1)


def _fits(at, ps, view, ok) -> bool:
    sols = [solve(at(p)) for p in ps]
    vals = unwrap([params(s) for s in sols])
    for i in range(len(ps) - 1):
        for f in SAMPLES:
            shown = fk(mix(vals[i], vals[i + 1], f), view)
            truth = solve(at(ps[i] + (ps[i + 1] - ps[i]) * f))
            if not ok(shown, truth):
                return False
    return True


def timeline(fig: Figure) -> Timeline:
    """The figure's key frames (worked out once per figure: cutting them takes many solves)."""
    if "_timeline" not in fig.__dict__:
        fig.__dict__["_timeline"] = _timeline(fig)
    return fig.__dict__["_timeline"]


def _timeline(fig: Figure) -> Timeline:
    if fig.cycle:
        specs = [*fig.cycle, fig.cycle[0]]
        view = solve(specs[0]).view
        times, poses, splines = [0.0], [solve(specs[0])], []
        for i in range(len(fig.cycle)):
            t, p, s = _move(specs[i : i + 2], fig.step, LINEAR, times[-1], view, judge(fig))
            times += t
            poses += p
            splines += s
        return Timeline(times, poses, splines, times[-1], None, view)

    if fig.keys:
        return _keyed(fig)
    start = solve(fig.start)
    if fig.end is None:
        return Timeline([0.0], [start], [], 0.0, None, start.view)
    out_s, hold_s, back_s, rest_s = fig.loop
    out = [fig.start, *fig.via, fig.end]
    back = [fig.end, *(reversed(fig.via) if fig.back is None else fig.back), fig.start]
    if fig.path is not None:  # the way out given as a function of progress; back is the same way
        out, back = fig.path, (lambda p: fig.path(1 - p))
    times, poses, splines = [0.0], [start], []

    def add(t, p, s):
        times.extend(t)
        poses.extend(p)
        splines.extend(s)

    ok = judge(fig)
    add(*_move(out, out_s, EASE, 0.0, start.view, ok))
    a = times[-1]
    if hold_s:
        add([a + hold_s], [poses[-1]], [LINEAR])
    b = times[-1]
    add(*_move(back, back_s, EASE, b, start.view, ok))
    c = times[-1]
    if rest_s:
        add([c + rest_s], [start], [LINEAR])
    return Timeline(times, poses, splines, times[-1], (a, b, c), start.view)


def _keyed(fig: Figure) -> Timeline:
    """A free loop through key poses, each held and then eased into the next."""
    first = solve(fig.keys[0][0])
    times, poses, splines = [0.0], [first], []
    marks = []
    for i, (spec, held, moving) in enumerate(fig.keys):
        if held:
            times.append(times[-1] + held)
            poses.append(poses[-1])
            splines.append(LINEAR)
        marks.append(times[-1])
        nxt = fig.keys[(i + 1) % len(fig.keys)][0]
        t, p, s = _move([spec, nxt], moving, EASE, times[-1], first.view, judge(fig))
        times += t
        poses += p
        splines += s
        marks.append(times[-1])
    # For the player: the first move, the first key after it held, the way back.
    return Timeline(times, poses, splines, times[-1], (marks[1], marks[2], marks[3]), first.view)
