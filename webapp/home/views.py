"""The landing page for visitors and the home page of a signed-in user."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

bp = Blueprint("home", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return render_template("home/landing.html")
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
