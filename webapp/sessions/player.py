"""The data the guided player needs, built once on the server and embedded in the page (so it runs offline)."""

from __future__ import annotations

from flask import url_for

from ..content.models import Exercise
from ..content.services import exercise_library, illustration_url
from ..programs.models import Assignment, Routine
from ..programs.personal import doses_of, items_for
from . import rules


def _variation(slug: str, library: dict[str, Exercise]) -> dict | None:
    """An easier or harder version as the player links to it; None when there is none the user may see."""
    exercise = library.get(slug) if slug else None
    if exercise is None:
        return None
    return {"slug": exercise.slug, "name": exercise.name, "url": url_for("content.exercise_detail", slug=exercise.slug)}


def player_data(routine: Routine, user, assignment: Assignment | None) -> dict:
    """The routine as this client plays it (a Routine or its kept structure, programs.structure): with their own
    doses and versions from their assignment (programs/personal.py)."""
    week = routine.week
    library = exercise_library(user)
    exercises = []
    for item in items_for(routine, doses_of(assignment)):
        exercise = item.exercise
        exercises.append(
            {
                "slug": exercise.slug,
                "name": exercise.name,
                "kind": exercise.kind,
                "cue": exercise.cue,
                "illustration": illustration_url(exercise),
                "illustration_alt": exercise.illustration_alt,
                "url": url_for("content.exercise_detail", slug=exercise.slug),
                "sets": item.sets,
                "reps": item.reps,
                "hold_seconds": item.hold_seconds,
                "rest_seconds": item.rest_seconds,
                "rep_seconds": exercise.rep_seconds,
                "per_side": exercise.per_side,
                "tempo": item.tempo or exercise.tempo,
                "note": item.note,
                "dose": item.dose,
                "own": item.own,
                "easier": _variation(exercise.easier_slug, library),
                "harder": _variation(exercise.harder_slug, library),
            }
        )
    return {
        "routine": {
            "id": routine.id,
            "name": routine.name,
            "week": week.number,
            "weeks": len(week.program.weeks),
            "program": week.program.name,
        },
        "exercises": exercises,
        "user_id": user.id,
        "rules": {
            "green_max": rules.GREEN_MAX,
            "amber_max": rules.AMBER_MAX,
            "easy_effort_max": rules.EASY_EFFORT_MAX,
            "pain_ceiling": rules.PAIN_CEILING,  # a green session above it (and above the pain before) says so
            # lights[pain before][worst pain]: the light the server gives, for the player to look up offline.
            "lights": rules.light_table(),
            "advice": {light: {"headline": a.headline, "text": a.text} for light, a in rules.ADVICE.items()},
            "effort_words": rules.EFFORT_WORDS,
        },
        "urls": {
            "today": url_for("home.index"),
            "history": url_for("sessions.history"),
            "play": url_for("sessions.play", routine_id=routine.id),
        },
    }
