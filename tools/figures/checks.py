"""Checks a physiotherapist would make by eye, run on every frame a browser shows (key frames and the
in-between frames it interpolates): joints bend only the way and as far as they can, the body rests on
the floor or mat instead of floating above it or sinking into it, and planted hands or feet stay put.
"""

from __future__ import annotations

from .body import LENGTH, Pose, kind, norm
from .motion import Figure, timeline

# Degrees. Each joint's reading is turned into the clinical sense first: flexion positive.
RANGES = {
    "spine": (-22, 24),  # each of the three joints between pelvis, waist, chest and upper chest
    "neck": (-50, 50),
    "head": (-25, 30),
    "hip": (-35, 150),  # extension is negative (hips down between forearms and feet); a hugged knee reaches the top
    "knee": (-5, 160),
    "ankle": (-30, 92),  # plantar flexion positive; kneeling with the top of the foot on the mat nears 90
    "shoulder": (-70, 200),  # raised overhead along the floor reaches a little past the trunk's line
    "elbow": (-5, 155),
    "wrist": (-95, 95),  # a hand flat on the floor bends the wrist right back
}


def joint_angles(pose: Pose, skip=()) -> dict[str, float]:
    """Clinical joint angles of a side-view pose. Limbs placed point by point (turned towards the
    viewer) are left out: their angles in the picture are not their angles in the body."""
    rel = pose.relative
    out = {
        "spine_1": rel("waist"),
        "spine_2": rel("chest"),
        "spine_3": rel("upper"),
        "neck": rel("neck"),
        "head": rel("head"),
    }
    for s in "nf":
        if f"l{s}" not in skip:
            out[f"hip_{s}"] = norm(180 - rel(f"thigh_{s}"))
            out[f"knee_{s}"] = rel(f"shin_{s}")
            out[f"ankle_{s}"] = rel(f"foot_{s}") + 90
        if f"a{s}" not in skip:
            out[f"shoulder_{s}"] = norm(180 - rel(f"upperarm_{s}"))
            if out[f"shoulder_{s}"] < -90:
                out[f"shoulder_{s}"] += 360
            out[f"elbow_{s}"] = -rel(f"forearm_{s}")
            out[f"wrist_{s}"] = rel(f"hand_{s}")
    return out


def _placed(spec: dict) -> tuple[str, ...]:
    """Limbs placed point by point, and the far limbs that copy them."""
    placed = [k for k in ("an", "af", "ln", "lf") if k in spec and spec[k][0] == "p"]
    placed += [k[0] + "f" for k in placed if k[1] == "n" and spec.get(k[0] + "f", ("",))[0] == "twin"]
    return tuple(placed)


def problems(fig: Figure) -> list[str]:
    """Everything wrong with a figure, one line each; an empty list when it passes."""
    tl = timeline(fig)
    notes: list[str] = []
    skip = set(_placed(fig.start))
    for spec in (fig.end, *fig.via, *(fig.back or ()), *fig.cycle):
        if spec:
            skip |= set(_placed(spec))
    surface = fig.rests_on()
    anchors = {}
    for i, pose in enumerate(tl.samples()):
        bad = []
        if pose.view == "side":
            for name, value in joint_angles(pose, skip).items():
                lo, hi = RANGES[name.split("_")[0]]
                if not lo - 0.5 <= value <= hi + 0.5:
                    bad.append(f"{name}={value:.0f}")
        for bone, length in pose.length.items():
            full = LENGTH[kind(bone)]
            # Seen a little from above, a limb turned towards the viewer can show a touch longer.
            if full and length > full + (1.0 if pose.view == "front" or skip else 0.5):
                bad.append(f"{bone} stretched to {length:.1f}/{full:.0f}")
        low, where = max((y + r, bone) for bone in pose.joint for _, y, r in pose.circles((bone,)))
        if abs(low - surface) > 1.0:
            bad.append(f"lowest point {low:.1f} ({where}), surface {surface:.0f}")
        for name in fig.fixed:
            p = pose.point(name)
            first = anchors.setdefault(name, p)
            if abs(p[0] - first[0]) > 1.5 or abs(p[1] - first[1]) > 1.5:
                bad.append(f"{name} moved to ({p[0]:.1f}, {p[1]:.1f}) from ({first[0]:.1f}, {first[1]:.1f})")
        if bad:
            notes.append(f"frame {i}: " + ", ".join(bad))
    return notes
