"""GET /api/v1/trainer/clients and one client's sessions: the dashboard's numbers as JSON, for the trainer only."""

from __future__ import annotations

from flask_login import current_user

from ..errors import error_response
from ..trainer import dashboard
from ..trainer.services import client_of
from . import bp, role_required
from .sessions import page_number, sessions_page

NO_SUCH_CLIENT = "There is no client with that id among your clients."


@bp.get("/trainer/clients")
@role_required("trainer")
def trainer_clients():
    """The signed-in trainer's clients with adherence, last session, pain trend and flags."""
    rows = dashboard.client_rows(current_user._get_current_object())
    return {"clients": [dashboard.row_payload(row) for row in rows]}


@bp.get("/trainer/clients/<int:client_id>/sessions")
@role_required("trainer")
def trainer_client_sessions(client_id: int):
    """One of the trainer's clients' sessions, newest first, a page at a time (?page=N)."""
    # Another trainer's client gets the very answer a missing one does, so ids cannot be probed.
    if client_of(current_user._get_current_object(), client_id) is None:
        return error_response(404, NO_SUCH_CLIENT)
    page = page_number()
    if page is None:
        return error_response(400, "page must be a whole number from 1.")
    return sessions_page(client_id, page, "api.trainer_client_sessions", client_id=client_id)
