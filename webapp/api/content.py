"""GET /api/v1/lessons, /exercises and /programs: the content a signed-in user may see."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from ..content import services as content
from ..programs import services as programs
from . import bp


@bp.get("/lessons")
def lessons():
    return jsonify({"lessons": [content.lesson_payload(lesson) for lesson in content.active_lessons()]})


@bp.get("/exercises")
def exercises():
    return jsonify({"exercises": [content.exercise_payload(e) for e in content.visible_exercises(current_user)]})


@bp.get("/programs")
def program_list():
    return jsonify({"programs": [programs.program_payload(p) for p in programs.visible_programs(current_user)]})
