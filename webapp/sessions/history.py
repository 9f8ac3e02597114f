"""The history pages: every session, the calendar, and progress charts."""

from __future__ import annotations

from flask import render_template

from ..auth.access import client_required
from .views import bp


@bp.route("/history/")
@client_required
def history():
    return render_template("sessions/history.html")
