"""The landing page for visitors and the home page of a signed-in user."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..auth.access import client_required
from ..extensions import db
from ..inputs import whole_number
from ..sessions import screens
from ..sessions.onboarding import is_onboarded
from ..sessions.rules import traffic_light
from ..timeutil import utcnow
from ..trainer.services import mark_notes_seen
from . import today

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    if current_user.is_client:
        if not is_onboarded(current_user):
            return redirect(url_for("sessions.welcome"))
        now = utcnow()
        view = today.build(current_user, now)
        # The phone keeps the standing from here too, so its copy of the player knows of a check answered online.
        safety_data = screens.for_the_phone(current_user, now, view.safety)
        return render_template("sessions/today.html", view=view, light_of=traffic_light, safety_data=safety_data)
    if current_user.is_trainer:
        return redirect(url_for("trainer.dashboard"))
    return render_template("home/home.html")


# More ids than any page shows are ignored; an id too long for the database is no id at all.
MAX_NOTES_MARKED = 100


@bp.post("/notes/seen")
@client_required
def notes_seen():
    """The trainer's notes Today showed: marked seen, so the next Today leaves them out."""
    ids = [n for raw in request.form.getlist("note")[:MAX_NOTES_MARKED] if (n := whole_number(raw, 1))]
    mark_notes_seen(current_user, ids, utcnow())
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"marked": len(ids)})
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
