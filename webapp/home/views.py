"""The landing page for visitors and the home page of a signed-in user."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..sessions.services import is_onboarded
from ..timeutil import utcnow
from . import today

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
    if current_user.is_client:
        if not is_onboarded(current_user):
            return redirect(url_for("sessions.welcome"))
        return render_template("sessions/today.html", view=today.build(current_user, utcnow()))
    if current_user.is_trainer:
        return redirect(url_for("trainer.dashboard"))
    return render_template("home/home.html")


@bp.get("/healthz")
def healthz():
    """For load balancers and uptime checks: 200 while the database answers."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify({"status": "error", "message": "the database does not answer"}), 503
    return jsonify({"status": "ok"})
