"""Error pages for people and JSON errors for the API, chosen by the path asked for."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .security import log_event

log = logging.getLogger("coresteady.errors")

MESSAGES = {
    400: ("Something in that request was not right", "The page could not use what was sent. Go back and try again."),
    401: ("Please log in", "You need to be logged in for that."),
    403: ("Not for this account", "Your account does not have access to that page."),
    404: ("Page not found", "We could not find that page. It may have moved, or the link may be mistyped."),
    405: ("Not allowed", "That action is not possible on this page."),
    413: ("Too large", "What you sent is larger than we accept (1 MB). Send something smaller."),
    429: ("Too many attempts", "You have tried that too many times. Wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "Nothing you did caused this. Try again in a moment."),
    503: (
        "Back in a moment",
        "The app cannot reach its database just now. Nothing you did caused this; anything saved on your phone "
        "stays there and is sent on its own once the app is back. Try again in a minute.",
    ),
}
# How long a phone or browser is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30

API_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, message: str | None = None, **extra):
    """The API's one error shape: {"error": code, "message": text a person can act on}."""
    body = {"error": API_CODES.get(status, "error"), "message": message or MESSAGES.get(status, ("", "Error"))[1]}
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    return response


def _render(status: int, message: str | None = None):
    if wants_json():
        return error_response(status, message)
    title, default = MESSAGES.get(status, (f"Error {status}", ""))
    return render_template("errors/error.html", status=status, title=title, message=message or default), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        log_event("csrf_rejected", path=request.path, reason=error.description)
        message = "The form expired or was sent from elsewhere. Reload the page and try again."
        if wants_json():
            message = "Missing or invalid X-CSRFToken header. Reload the app and try again."
        return _render(400, message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 429:
            log_event("throttled", path=request.path, limit=str(error.description))
        message = None
        if error.code in (400, 403, 404) and error.description and error.description != type(error).description:
            message = error.description
        response = make_response(_render(error.code or 500, message))
        # A 405 says which methods the path takes (RFC 9110); werkzeug puts them on the error.
        for name, value in error.get_headers():
            if name == "Allow":
                response.headers[name] = value
        return response

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_away(error):
        # The database stopped, restarted or is unreachable: not the caller's fault and not for ever. 503 with
        # Retry-After tells phones and proxies to come back later; the phone keeps its outbox meanwhile.
        try:
            db.session.rollback()
        except Exception:  # the connection may be gone too; the pool replaces it on the next request
            log.warning("rolling back after the database went away failed", exc_info=True)
        log.error("The database is not answering on %s %s: %s", request.method, request.path, error.orig)
        # The page is drawn as a visitor's: looking the user up would ask the database again.
        g._login_user = current_app.login_manager.anonymous_user()
        response = make_response(_render(503))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(InternalServerError)
    @app.errorhandler(Exception)
    def _unexpected(error):
        if isinstance(error, HTTPException) and not isinstance(error, InternalServerError):
            return _http(error)
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return _render(500)
