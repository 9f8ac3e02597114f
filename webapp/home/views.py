"""The landing page for visitors and the home page of a signed-in user."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import client_required
from ..extensions import db
from ..messages.forms import NotesSeenForm
from ..messages.services import mark_read
from ..pwa.services import made_from_in_process
from ..reminders import services as reminders
from ..sessions import milestones, progression, screens
from ..sessions.forms import STEP_UNREADABLE, MilestoneSeenForm, StepForm
from ..sessions.onboarding import is_onboarded
from ..sessions.rules import PAIN_CEILING, traffic_light
from ..timeutil import utcnow
from . import today

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    if current_user.is_client:
        user = current_user._get_current_object()
        if session.get("_flashes"):
            page = _today_page(user)  # made afresh, to show the messages once
        else:
            made_from = (*made_from_in_process(), user.name, user.email)
            page = today.kept_page(user, lambda _day: _today_page(user), extra=made_from)
        if page is None:
            return redirect(url_for("sessions.welcome"))
        return page.replace(CSRF_PLACE, generate_csrf())
    if current_user.is_trainer:
        return redirect(url_for("trainer.dashboard"))
    return render_template("home/home.html")


# Where Today's page carries the CSRF token: a kept page is served with each request's own.
CSRF_PLACE = "@@csrf-here@@"


def _today_page(user) -> str | None:
    """Today's page as the template draws it, its CSRF token marked; None while onboarding is not finished."""
    if not is_onboarded(user):
        return None
    now = utcnow()
    view = today.build(user, now)
    # The phone keeps the standing from here too, so its copy of the player knows of a check answered online.
    safety_data = screens.for_the_phone(user, now, view.safety)
    html = render_template(
        "sessions/today.html",
        view=view,
        light_of=traffic_light,
        pain_ceiling=PAIN_CEILING,
        noon=today.NOON,
        safety_data=safety_data,
        reminders=reminders.payload(user),
        page_part=False,  # kept, and served to the person too: always the whole page
    )
    return html.replace(generate_csrf(), CSRF_PLACE)


@bp.post("/notes/seen")
@client_required
def notes_seen():
    """The trainer's messages Today showed: marked read, so the next Today leaves them out."""
    form = NotesSeenForm(request.form)
    if not form.validate():
        abort(400, description=form.note.errors[0])
    marked = mark_read(current_user, "client", form.note.data, now=utcnow())
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"marked": marked})
    return redirect(url_for("home.index"))


@bp.post("/milestones/seen")
@client_required
def milestone_seen():
    """The milestone Today showed: remembered as shown, so the next Today leaves it out."""
    form = MilestoneSeenForm(request.form)
    marked = milestones.record(current_user, form.milestone.data, utcnow()) if form.validate() else None
    if marked is None:
        abort(400, description="That milestone could not be marked as seen: it is not one you have reached.")
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"marked": marked})
    return redirect(url_for("home.index"))


@bp.post("/steps")
@client_required
def take_step():
    """Accept or decline one of Today's small steps; accepting the same step twice applies it once."""
    user = current_user._get_current_object()
    # Without a trainer the client may also decline; with one, stepping up is the trainer's call.
    form = StepForm(request.form, actions=("accept",) if user.trainer_id else ("accept", "decline"))
    assignment, week = today.client_steps(user, utcnow())
    if assignment is None or not form.validate():
        flash(form.first_error() or STEP_UNREADABLE, "error")
        return redirect(url_for("home.index", _anchor="suggest-title"))
    proposal = form.proposal()
    if form.chosen() == "decline":
        slot = next((i.slot for i in week.items if i.slot.slug == proposal.slot), None)
        if slot is None:
            flash("That exercise is not in this week of your program any more. Here are your steps as they are now.",
                  "error")  # fmt: skip
            return redirect(url_for("home.index", _anchor="suggest-title"))
        progression.decline(assignment, slot, user, utcnow())
        flash("Fine: the same dose for now. We will suggest again after two more easy, green sessions.", "info")
        return redirect(url_for("home.index"))
    try:
        outcome = progression.accept(assignment, week, proposal, user, may_step_up=not user.trainer_id, now=utcnow())
    except progression.StepRefused as exc:
        flash(str(exc), "error")
        return redirect(url_for("home.index", _anchor="suggest-title"))
    if outcome == "already":
        flash("That step was already taken: your dose is up to date.", "info")
    else:
        flash("Done: your next session has the new dose.", "success")
    return redirect(url_for("home.index"))


@bp.get("/healthz")
def healthz():
    """For load balancers and uptime checks: 200 while the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "error", "message": "the database does not answer"}), 503
    return jsonify({"status": "ok"})
