"""POST and GET /api/v1/sessions: the sync endpoint the phone's outbox drains into, and the user's list."""

from __future__ import annotations

from flask import request, url_for
from flask_login import current_user

from ..errors import error_response
from ..sessions.services import sessions_newest_first
from ..sessions.sync import BatchError, parse_batch, session_payload, store_batch
from . import bp, role_required

PAGE_SIZE = 20


@bp.post("/sessions")
@role_required("client")
def post_sessions():
    body = request.get_json(silent=True)
    if body is None:
        return error_response(400, 'The body must be JSON: {"sessions": [ ... ]}.')
    try:
        items = parse_batch(body)
    except BatchError as exc:
        return error_response(400, str(exc))
    results = store_batch(current_user, items)
    return {"results": [r.model_dump(exclude_none=True) for r in results]}


def sessions_page(user_id: int, page: int, endpoint: str, **url_args) -> dict:
    rows, more = sessions_newest_first(user_id, page, PAGE_SIZE)
    return {
        "sessions": [session_payload(s) for s in rows],
        "next": url_for(endpoint, page=page + 1, **url_args) if more else None,
    }


def page_number() -> int | None:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 100000 else None


@bp.get("/sessions")
@role_required("client")
def get_sessions():
    page = page_number()
    if page is None:
        return error_response(400, "page must be a whole number from 1.")
    return sessions_page(current_user.id, page, "api.get_sessions")
