"""Pages of the library: lessons, exercises with filters and search, and the muscle map."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..inputs import whole_number
from ..timeutil import utcnow
from . import services
from .schema import POSITIONS

bp = Blueprint("content", __name__)


@bp.route("/lessons/")
def lesson_list():
    return render_template(
        "content/lessons.html", lessons=services.active_lessons(lean=True), read=services.lessons_read(current_user)
    )


@bp.route("/lessons/<slug>")
def lesson_detail(slug: str):
    lesson = services.lesson_by_slug(slug)
    if lesson is None:
        abort(404)
    lessons = services.active_lessons()
    index = next(i for i, item in enumerate(lessons) if item.slug == slug)
    related = [
        e for e in services.visible_exercises(current_user) if e.slug in lesson.body.get("related_exercises", [])
    ]
    # The self-check works without script: answers come back as ?q0=1&q1=0 and are marked here.
    answers = {}
    for number, _question in enumerate(lesson.body.get("quiz", [])):
        value = whole_number(request.args.get(f"q{number}"), 0, 99)
        if value is not None:
            answers[number] = value
    return render_template(
        "content/lesson.html",
        lesson=lesson,
        read_at=services.lessons_read(current_user).get(lesson.slug),
        related=related,
        answers=answers,
        previous=lessons[index - 1] if index > 0 else None,
        next=lessons[index + 1] if index + 1 < len(lessons) else None,
    )


@bp.route("/lessons/<slug>/read", methods=["POST"])
@login_required
def lesson_read(slug: str):
    """'Done reading': Today suggests this lesson no more. The page's script sends it without leaving the page."""
    lesson = services.lesson_by_slug(slug)
    if lesson is None:
        abort(404)
    services.mark_read(current_user, lesson, utcnow())
    if request.accept_mimetypes.best == "application/json":
        return {"slug": lesson.slug, "read": True}
    flash(f"“{lesson.title}” is marked as read; Today will suggest another lesson.", "success")
    return redirect(url_for("content.lesson_detail", slug=lesson.slug))


@bp.route("/exercises/")
def exercise_list():
    filters = services.Filters.from_args(request.args)
    everything = services.visible_exercises(current_user)
    shown = services.filter_exercises(everything, filters)
    # Every exercise is on the page, those the filters leave out hidden, so the page's script can filter
    # again as the person types, offline too (the page is kept on the phone).
    chosen = {e.id for e in shown}
    return render_template(
        "content/exercises.html",
        exercises=shown + [e for e in everything if e.id not in chosen],
        shown=chosen,
        order={e.id: i for i, e in enumerate(everything)},
        total=len(everything),
        search_text=services.search_text,
        filters=filters,
        muscles=services.all_muscles(),
        positions=[(p, services.POSITION_LABELS[p]) for p in POSITIONS],
        kinds=services.KIND_LABELS,
        position_labels=services.POSITION_LABELS,
    )


@bp.route("/exercises/<slug>")
def exercise_detail(slug: str):
    exercise = services.exercise_for(current_user, slug)
    if exercise is None:
        abort(404)
    visible = {e.slug: e for e in services.visible_exercises(current_user)}
    return render_template(
        "content/exercise.html",
        exercise=exercise,
        easier=visible.get(exercise.easier_slug),
        harder=visible.get(exercise.harder_slug),
        dose=services.default_dose(exercise),
        position_label=services.POSITION_LABELS.get(exercise.position, exercise.position),
        kind_label=services.KIND_LABELS[exercise.kind],
        group_labels=services.GROUP_LABELS,
        caution_labels=services.CAUTION_LABELS,
    )


@bp.route("/muscles/")
def muscles():
    exercises = services.visible_exercises(current_user)
    trained_by = {m.slug: [] for m in services.all_muscles()}
    for exercise in exercises:
        for muscle in exercise.muscles:
            trained_by.setdefault(muscle.slug, []).append(exercise)
    return render_template(
        "content/muscles.html",
        muscles=services.all_muscles(),
        trained_by=trained_by,
        group_labels=services.GROUP_LABELS,
    )
