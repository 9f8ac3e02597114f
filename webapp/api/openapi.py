"""The OpenAPI 3 description of every /api/v1 route, built from the URL map (served at /api/v1/openapi.json)."""

from __future__ import annotations

import re

from flask import current_app

from ..sessions import red_flags
from ..sessions.screens import ScreenIn
from ..sessions.sync import MAX_BATCH, SessionIn

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
RESULT = {
    "type": "object",
    "required": ["id", "status"],
    "properties": {
        "id": {"type": ["string", "null"]},
        "status": {"enum": ["created", "duplicate", "conflict", "invalid"]},
        "errors": {"type": "array", "items": {"type": "string"}},
    },
}
LIST = {"type": "object"}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


COMMON = {
    "401": _error("Not signed in, or the login expired."),
    "403": _error("Signed in without the role this route needs."),
}


# The bodies the phone's outbox syncs: {key: [items]}, answered with one RESULT per item in the order sent.
BATCHES = {"api.post_sessions": ("sessions", SessionIn), "api.post_safety": ("screens", ScreenIn)}

SAFETY_STANDING = {
    "type": "object",
    "required": ["as_of", "state", "waiting", "can_confirm", "due", "screens"],
    "properties": {
        "as_of": {"type": "string", "format": "date-time"},
        "known": {"type": "array", "items": {"type": "string"}, "description": "The ids of every answer stored."},
        "state": {"enum": ["new", "blocked", "due", "ok"]},
        "level": {"enum": [*red_flags.LEVELS, None]},
        "waiting": {"type": "array", "description": "Answers waiting for a clinician's check, oldest first."},
        "can_confirm": {"type": "boolean"},
        "last_answered_at": {"type": ["string", "null"], "format": "date-time"},
        "next_due_at": {"type": ["string", "null"], "format": "date-time"},
        "due": {"type": ["object", "null"], "properties": {"since": {}, "reason": {}, "kind": {}}},
        "screens": {"type": "array", "description": "Every answer, newest first."},
    },
}


def _batch_schema(key: str, model) -> dict:
    item = model.model_json_schema(ref_template="#/components/schemas/{model}")
    if model is ScreenIn:
        item["properties"]["signs"]["items"]["enum"] = sorted(red_flags.KNOWN)
    return {
        "type": "object",
        "required": [key],
        "additionalProperties": False,
        "properties": {key: {"type": "array", "maxItems": MAX_BATCH, "items": item}},
    }


def _operation(endpoint: str, method: str, view) -> dict:
    doc = (view.__doc__ or "").strip().splitlines()
    operation = {
        "operationId": f"{endpoint.removeprefix('api.')}_{method.lower()}",
        "summary": doc[0] if doc else endpoint,
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": LIST}}}, **COMMON},
    }
    if method == "POST":
        operation["responses"]["400"] = _error("Not JSON, not the documented shape, or a missing CSRF token.")
        operation["responses"]["413"] = _error("The body is over 1 MB.")
        operation["parameters"] = [
            {"name": "X-CSRFToken", "in": "header", "required": True, "schema": {"type": "string"},
             "description": "The token from the page's <meta name=\"csrf-token\">."}
        ]  # fmt: skip
    if endpoint == "api.get_safety":
        operation["responses"]["200"] = {
            "description": "The client's standing and answers.",
            "content": {"application/json": {"schema": SAFETY_STANDING}},
        }
    if endpoint in BATCHES:
        key, model = BATCHES[endpoint]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _batch_schema(key, model)}},
        }
        operation["responses"]["200"] = {
            "description": f"One result per item of {key}, in the order sent.",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"results": {"type": "array", "items": RESULT}}}
                }
            },
        }
    return operation


def build_document(url_prefix: str) -> dict:
    """The document for every route under url_prefix, read from the running app's URL map."""
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(url_prefix + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        view = current_app.view_functions[rule.endpoint]
        entry = paths.setdefault(path, {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = _operation(rule.endpoint, method, view)
            for name in rule.arguments:
                operation.setdefault("parameters", []).append(
                    {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                )
            if method == "GET" and "page" in (view.__doc__ or "") + rule.endpoint:
                operation.setdefault("parameters", []).append(
                    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}
                )
            entry[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CoreSteady API",
            "version": "1",
            "description": "Every route needs a signed-in session cookie; writes also need the X-CSRFToken header.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": {
                "Error": ERROR,
                **SessionIn.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}),
            },
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
        "security": [{"session": []}],
    }
