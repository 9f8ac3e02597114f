"""The client's pages: the guided player (and, with the client's day, today and history)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from ..auth.access import client_required
from ..programs.services import routine_for_user
from .player import player_data

bp = Blueprint("sessions", __name__)


@bp.route("/routines/<int:routine_id>/play")
@client_required
def play(routine_id: int):
    routine = routine_for_user(current_user, routine_id)
    if routine is None:
        abort(404)
    return render_template("sessions/play.html", routine=routine, data=player_data(routine, current_user))


@bp.route("/history/")
@client_required
def history():
    return render_template("sessions/history.html")
