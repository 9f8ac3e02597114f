"""The data the guided player needs, built once on the server and embedded in the page (so it runs offline)."""

from __future__ import annotations

from flask import url_for

from ..content.services import illustration_url
from ..programs.models import Routine
from . import rules


def player_data(routine: Routine, user) -> dict:
    week = routine.week
    exercises = []
    for item in routine.items:
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
                "easier": exercise.easier_slug or None,
                "harder": exercise.harder_slug or None,
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
            "advice": {light: {"headline": a.headline, "text": a.text} for light, a in rules.ADVICE.items()},
            "effort_words": rules.EFFORT_WORDS,
        },
        "urls": {
            "today": url_for("home.index"),
            "history": url_for("sessions.history"),
            "play": url_for("sessions.play", routine_id=routine.id),
        },
    }
