"""The JSON API at /api/v1, every route of it: sign-in first, then CSRF on writes, then each route's own checks.

Routes parse, call a feature's services and answer JSON; the payloads themselves are built by the features.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_login import current_user

from ..content import services as content
from ..errors import error_response
from ..extensions import csrf, db
from ..inputs import read_body
from ..messages import services as messages
from ..programs import services as programs
from ..programs.structure import active_plan
from ..push import services as push
from ..pwa.services import made_from_in_process, offline_package
from ..reminders import services as reminders
from ..sessions import kept, screens
from ..sessions.outcomes import outcomes_of
from ..sessions.schedule import plan_payload
from ..sessions.services import page_number, sessions_newest_first
from ..sessions.sync import BatchError, SessionIn, parse_batch, session_payload, store_batch
from ..timeutil import utcnow
from ..trainer import dashboard
from ..trainer.services import client_of
from . import answers
from . import openapi as openapi_document
from .openapi import BEFORE, PAGE, documented

SESSIONS_PAGE_SIZE = 20
NO_SUCH_CLIENT = "There is no client with that id among your clients."

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # checked below, after sign-in, so an expired login is never mistaken for a bad token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_app_request
def _guard():
    # Runs for every path under /api/v1, even one that matches no route, before routing errors.
    if not request.path.startswith(bp.url_prefix + "/") and request.path != bp.url_prefix:
        return None
    if not current_user.is_authenticated:
        return error_response(401, "You are not logged in, or your login has expired. Log in and try again.")
    if request.method not in SAFE_METHODS:
        csrf.protect()
    return None


def role_required(role: str):
    """403 JSON for a signed-in user of the wrong role (sign-in itself is checked by the guard)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role != role:
                return error_response(403, f"Only a {role} account can do this.")
            return view(*args, **kwargs)

        wrapped.required_role = role  # for the OpenAPI document's 403
        return wrapped

    return decorator


# ---- Content: what a signed-in user may see ----


@bp.get("/lessons")
@documented(answers.Lessons)
def lessons():
    return jsonify({"lessons": [content.lesson_payload(lesson) for lesson in content.active_lessons()]})


@bp.get("/exercises")
@documented(answers.Exercises)
def exercises():
    return jsonify({"exercises": [content.exercise_payload(e) for e in content.visible_exercises(current_user)]})


@bp.get("/programs")
@documented(answers.Programs)
def program_list():
    return jsonify({"programs": [programs.program_payload(p) for p in programs.visible_programs(current_user)]})


# ---- The offline package ----


@bp.get("/offline-manifest")
@documented(answers.OfflinePackage)
def offline_manifest():
    user = current_user._get_current_object()
    body = kept.answer(
        "offline-package",
        user,
        lambda today: current_app.json.dumps(offline_package(user, today)),
        extra=made_from_in_process(),
    )
    response = _json(body)
    # One user's list: never kept by a shared cache, always asked afresh.
    response.headers["Cache-Control"] = "no-store"
    return response


# ---- The client's plan ----


@bp.get("/plan")
@documented(answers.Plan)
@role_required("client")
def get_plan():
    user = current_user._get_current_object()

    def make(today):
        assignment, program = active_plan(user)
        held = screens.held_days(user, today)  # a week on hold runs again, and its reason says so
        return current_app.json.dumps(plan_payload(assignment, user, today, program, held))

    return _json(kept.answer("plan", user, make))


def _json(body: str):
    """A JSON answer from its text, as jsonify would make it from the data."""
    return current_app.response_class(f"{body}\n", mimetype=current_app.json.mimetype)


# ---- Sessions: the outbox's sync and the user's own list ----


def sync_batch(key: str, store):
    """What every sync endpoint answers: {key: [...]} in, one result per item out, in the order sent."""
    body = request.get_json(silent=True)
    if body is None:
        return error_response(400, f'The body must be JSON: {{"{key}": [ ... ]}}.')
    try:
        items = parse_batch(body, key)
    except BatchError as exc:
        return error_response(400, str(exc))
    # The user itself, not Flask-Login's proxy: the store reads its id for every item, and through the proxy each
    # read looked the user up again (a tenth of a batch of 50's time).
    results = store(current_user._get_current_object(), items)
    # "id" is always there (null for an item that had none); "errors" only for an invalid item.
    return {"results": [r.model_dump(exclude={"errors"} if r.errors is None else None) for r in results]}


@bp.post("/sessions")
@documented(answers.Results, batch=("sessions", SessionIn))
@role_required("client")
def post_sessions():
    """Store sessions made on the phone: one result per session, in the order sent."""
    return sync_batch("sessions", store_batch)


def sessions_page(user_id: int, page: int, endpoint: str, **url_args) -> dict:
    rows, more = sessions_newest_first(user_id, page, SESSIONS_PAGE_SIZE)
    lights = [outcome.light for outcome in outcomes_of(rows)]
    return {
        "sessions": [session_payload(s, light) for s, light in zip(rows, lights, strict=True)],
        "next": url_for(endpoint, page=page + 1, **url_args) if more else None,
    }


@bp.get("/sessions")
@documented(answers.SessionsPage, query=(PAGE,))
@role_required("client")
def get_sessions():
    page = page_number(request.args.get("page", "1"))
    if page is None:
        return error_response(400, "page must be a whole number from 1.")
    return sessions_page(current_user.id, page, "api.get_sessions")


# ---- Red-flag answers: the outbox's sync and the client's standing ----


@bp.post("/safety")
@documented(answers.Results, batch=("screens", screens.ScreenIn))
@role_required("client")
def post_safety():
    """Store red-flag answers made on the phone: one result per answer, in the order sent."""
    return sync_batch("screens", screens.store_batch)


@bp.get("/safety")
@documented(answers.Standing)
@role_required("client")
def get_safety():
    """The signed-in client's standing (free to exercise, due, or waiting for a clinician) and every answer."""
    return screens.standing_payload(current_user)


# ---- A trainer's clients ----


@bp.get("/trainer/clients")
@documented(answers.Clients, query=(PAGE,))
@role_required("trainer")
def trainer_clients():
    """The signed-in trainer's clients with adherence, last session, pain trend and flags, by name, a page at a
    time (?page=N) as on the dashboard."""
    page = page_number(request.args.get("page", "1"))
    if page is None:
        return error_response(400, "page must be a whole number from 1.")
    rows, total = dashboard.api_page(current_user._get_current_object(), page)
    more = page * dashboard.PAGE_SIZE < total
    return {
        "clients": [dashboard.row_payload(row) for row in rows],
        "total": total,
        "next": url_for("api.trainer_clients", page=page + 1) if more else None,
    }


@bp.get("/trainer/clients/<int:client_id>/sessions")
@documented(answers.SessionsPage, query=(PAGE,), not_found=NO_SUCH_CLIENT)
@role_required("trainer")
def trainer_client_sessions(client_id: int):
    """One of the trainer's clients' sessions, newest first, a page at a time (?page=N)."""
    # Another trainer's client gets the very answer a missing one does, so ids cannot be probed.
    if client_of(current_user._get_current_object(), client_id) is None:
        return error_response(404, NO_SUCH_CLIENT)
    page = page_number(request.args.get("page", "1"))
    if page is None:
        return error_response(400, "page must be a whole number from 1.")
    return sessions_page(client_id, page, "api.trainer_client_sessions", client_id=client_id)


# ---- Web Push: the server's key, and this browser's subscription ----


@bp.get("/push/key")
@documented(answers.PushKey)
def push_key():
    """The server's VAPID public key, for PushManager.subscribe({applicationServerKey})."""
    return {"public_key": push.public_key()}


@bp.post("/push/subscriptions")
@documented(answers.Subscribed, body=push.Subscription, created=True)
def push_subscribe():
    """Store this browser's PushSubscription.toJSON(), so reminders and replies reach it (201 when new)."""
    subscription = read_body(push.Subscription, services=push.services_sent_to(current_app.config))
    created = push.subscribe(current_user, subscription)
    db.session.commit()
    return {"subscribed": True}, 201 if created else 200


@bp.delete("/push/subscriptions")
@documented(answers.Removed, body=push.Unsubscription)
def push_unsubscribe():
    """Remove this person's subscription named by {"endpoint"}; removing one already gone is no error."""
    removed = push.unsubscribe(current_user, read_body(push.Unsubscription))
    db.session.commit()
    return {"removed": removed}


# ---- Messages: the client's thread with their trainer, from either side ----


def messages_page(client, trainer, endpoint: str, **url_args):
    """A page of the thread, newest first; "next" is the URL of the older page, or null."""
    try:
        rows, more = messages.thread_page(client, trainer, request.args.get("before") or None)
    except messages.CursorError as exc:
        return error_response(400, str(exc))
    sessions = messages.referenced_sessions(rows)
    return {
        "messages": [messages.message_payload(m, sessions) for m in rows],
        "next": url_for(endpoint, before=rows[-1].uuid, **url_args) if more else None,
    }


def mark_read(client, reader, trainer=None):
    read = read_body(messages.ReadIds)
    return {"marked": messages.mark_read(client, reader, read.ids, trainer, utcnow())}


@bp.post("/messages")
@documented(answers.Results, batch=("messages", messages.MessageIn))
@role_required("client")
def post_messages():
    """Messages the client wrote (on the phone, maybe offline) to their trainer: one result per message."""
    user = current_user._get_current_object()
    thread = messages.thread_of_client(user)
    return sync_batch("messages", lambda writer, items: messages.store_batch(thread, "client", writer, items))


@bp.get("/messages")
@documented(answers.ClientThread, query=(BEFORE,))
@role_required("client")
def get_messages():
    """The client's thread, newest first, a page at a time (?before=<id of the last message of the page before>).
    A former trainer's messages are in it too; "open" says whether the thread takes new messages."""
    user = current_user._get_current_object()
    page = messages_page(user, None, "api.get_messages")
    if isinstance(page, dict):
        page["open"] = user.trainer_id is not None
    return page


@bp.post("/messages/read")
@documented(answers.Marked, body=messages.ReadIds)
@role_required("client")
def read_messages():
    """Mark the trainer's messages named in {"ids": [...]} read; answers how many were unread."""
    return mark_read(current_user._get_current_object(), "client")


def _own_client_or_404(client_id: int):
    return client_of(current_user._get_current_object(), client_id)


@bp.post("/trainer/clients/<int:client_id>/messages")
@documented(answers.Results, batch=("messages", messages.MessageIn), not_found=NO_SUCH_CLIENT)
@role_required("trainer")
def post_client_messages(client_id: int):
    """Messages from the trainer to one of their clients: one result per message."""
    client = _own_client_or_404(client_id)
    if client is None:
        return error_response(404, NO_SUCH_CLIENT)
    thread = messages.Thread(client, current_user._get_current_object())
    return sync_batch("messages", lambda writer, items: messages.store_batch(thread, "trainer", writer, items))


@bp.get("/trainer/clients/<int:client_id>/messages")
@documented(answers.Thread, query=(BEFORE,), not_found=NO_SUCH_CLIENT)
@role_required("trainer")
def get_client_messages(client_id: int):
    """The trainer's thread with one of their clients, newest first, a page at a time (?before=<id>)."""
    client = _own_client_or_404(client_id)
    if client is None:
        return error_response(404, NO_SUCH_CLIENT)
    trainer = current_user._get_current_object()
    return messages_page(client, trainer, "api.get_client_messages", client_id=client_id)


@bp.post("/trainer/clients/<int:client_id>/messages/read")
@documented(answers.Marked, body=messages.ReadIds, not_found=NO_SUCH_CLIENT)
@role_required("trainer")
def read_client_messages(client_id: int):
    """Mark the client's messages named in {"ids": [...]} read; answers how many were unread."""
    client = _own_client_or_404(client_id)
    if client is None:
        return error_response(404, NO_SUCH_CLIENT)
    return mark_read(client, "trainer", current_user._get_current_object())


# ---- Reminders: the client's settings ----


@bp.get("/reminders")
@documented(answers.Reminders)
@role_required("client")
def get_reminders():
    """This client's reminder settings: on or off, the time in their zone, and whether by email too."""
    return reminders.payload(current_user)


@bp.put("/reminders")
@documented(answers.Reminders, body=reminders.RemindersChange)
@role_required("client")
def put_reminders():
    """Change any of enabled, time ("HH:MM") and email; answers the settings as GET does."""
    answer = reminders.update(current_user, read_body(reminders.RemindersChange))
    db.session.commit()
    return answer


@bp.get("/openapi.json")
@documented(answers.Document)
def openapi():
    """The OpenAPI 3 document of every /api/v1 route."""
    return openapi_document.build_document(bp.url_prefix)
