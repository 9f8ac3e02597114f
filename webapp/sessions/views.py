"""The client's pages: the guided player (and, with the client's day, today and history)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user

from ..auth.access import client_required
from ..programs.services import routine_for_user
from .player import player_data
from .services import latest_screen, screen_allows_exercise

bp = Blueprint("sessions", __name__)


@bp.route("/routines/<int:routine_id>/play")
@client_required
def play(routine_id: int):
    routine = routine_for_user(current_user, routine_id)
    if routine is None:
        abort(404)
    if not screen_allows_exercise(latest_screen(current_user)):
        return redirect(url_for("sessions.welcome") if latest_screen(current_user) is None else url_for("home.index"))
    return render_template("sessions/play.html", routine=routine, data=player_data(routine, current_user))


from . import history, onboarding  # noqa: E402,F401  (their pages register on bp)
