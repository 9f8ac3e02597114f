"""The OpenAPI 3 description of every /api/v1 route, built from the URL map (served at /api/v1/openapi.json)."""

from __future__ import annotations

import re

from flask import current_app

from ..messages.services import BODY_MAX, PAGE_SIZE, MessageIn
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

# Answers whose shape outside tools rely on (DESIGN.md): described field by field.
_INT = {"type": "integer"}
_TEXT = {"type": "string"}
_LIGHT = {"enum": ["green", "amber", "red"]}
_AMOUNT = {
    "type": "object",
    "required": ["sets", "reps", "hold_seconds"],
    "properties": {"sets": _INT, "reps": _INT, "hold_seconds": _INT},
}
_WEEK = {
    "type": "object",
    "required": ["number", "of", "repeat", "reason"],
    "properties": {"number": _INT, "of": _INT, "repeat": {"type": "boolean"}, "reason": _TEXT},
    "description": "The program week running today: weeks follow the outcomes, and a red week repeats.",
}
_SUGGESTION = {
    "type": "object",
    "required": ["exercise", "change", "from", "to", "to_exercise", "reason"],
    "properties": {
        "exercise": {**_TEXT, "description": "The exercise the client does now (its slug)."},
        "program_exercise": {**_TEXT, "description": "The exercise the program names in its place."},
        "change": {"enum": ["dose", "easier", "harder"]},
        "from": _AMOUNT,
        "to": _AMOUNT,
        "to_exercise": {"type": ["string", "null"], "description": "The version to move to; null for a dose step."},
        "reason": _TEXT,
    },
}
_PLAN_ITEM = {
    "type": "object",
    "required": ["slug", "sets", "reps", "hold_seconds", "rest_seconds"],
    "properties": {
        "slug": _TEXT, "sets": _INT, "reps": _INT, "hold_seconds": _INT, "rest_seconds": _INT,
        "own": {"type": "boolean", "description": "The client's own dose or version, not the program's."},
    },
}  # fmt: skip
_PLAN_ROUTINE = {
    "type": "object",
    "properties": {"id": _INT, "name": _TEXT, "week": _INT, "exercises": {"type": "array", "items": _PLAN_ITEM}},
}
_BLOCK = {"type": "object", "properties": {"start": _TEXT, **_WEEK["properties"]}}
_DONE = {"type": "object", "properties": {"pain_during": {"type": ["integer", "null"], "minimum": 0, "maximum": 10}}}
_MESSAGE = {
    "type": "object",
    "required": ["id", "from", "body", "written_at", "read_at"],
    "properties": {
        "id": {**_TEXT, "description": "The writer's UUID."},
        "from": {"enum": ["client", "trainer"]},
        "body": _TEXT,
        "written_at": {"type": "string", "format": "date-time"},
        "received_at": {"type": "string", "format": "date-time"},
        "read_at": {"type": ["string", "null"], "format": "date-time", "description": "When the other side read it."},
        "session": {"type": ["string", "null"], "description": "The id of the client's session it is about."},
    },
}
_THREAD = {
    "type": "object",
    "required": ["messages", "next"],
    "properties": {
        "messages": {"type": "array", "items": _MESSAGE, "description": f"Newest first, {PAGE_SIZE} at most."},
        "next": {"type": ["string", "null"], "description": "The URL of the older messages, or null."},
    },
}
_CLIENT_THREAD = {
    **_THREAD,
    "properties": {
        **_THREAD["properties"],
        "open": {"type": "boolean", "description": "False when the client has no trainer: read-only."},
    },
}
ANSWERS = {
    "api.get_messages": _CLIENT_THREAD,
    "api.get_client_messages": _THREAD,
    "api.get_plan": {
        "type": "object",
        "required": ["program", "week", "schedule", "routines", "suggestions"],
        "properties": {
            "program": {"type": ["object", "null"]},
            "week": {"oneOf": [_WEEK, {"type": "null"}]},
            "weeks": {"type": "array", "items": _BLOCK},
            "schedule": {"type": "array", "items": {"type": "object"}},
            "routines": {"type": "array", "items": _PLAN_ROUTINE},
            "suggestions": {"type": "array", "items": _SUGGESTION},
        },
    },
    "api.get_sessions": {
        "type": "object",
        "required": ["sessions", "next"],
        "properties": {
            "sessions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "light"],
                    "properties": {
                        "id": _TEXT,
                        "light": {**_LIGHT, "description": "As the server judges it, against the pain before."},
                        "exercises": {"type": "array", "items": _DONE},
                    },
                },
            },
            "next": {"type": ["string", "null"]},
        },
    },
    "api.trainer_clients": {
        "type": "object",
        "required": ["clients", "total", "next"],
        "properties": {
            "clients": {"type": "array", "items": {"type": "object", "required": ["id", "name", "email", "flags"]}},
            "total": {"type": "integer", "minimum": 0, "description": "How many clients the trainer has."},
            "next": {"type": ["string", "null"], "description": "The URL of the next page (50 a page), or null."},
        },
    },
    "api.exercises": {
        "type": "object",
        "properties": {
            "exercises": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": _TEXT,
                        "easier": {"type": ["string", "null"], "description": "A version one level easier."},
                        "harder": {"type": ["string", "null"], "description": "A version one level harder."},
                    },
                },
            }
        },
    },
}


_B64URL = {"type": "string", "pattern": "^[A-Za-z0-9_-]+={0,2}$"}
ANSWERS["api.push_key"] = {
    "type": "object",
    "required": ["public_key"],
    "properties": {"public_key": {**_B64URL, "description": "The VAPID public key: an uncompressed P-256 point."}},
}
PUSH_SUBSCRIPTION = {
    "type": "object",
    "description": "PushSubscription.toJSON() as the browser gives it. In production the endpoint must be https.",
    "required": ["endpoint", "keys"],
    "additionalProperties": False,
    "properties": {
        "endpoint": {"type": "string", "format": "uri", "maxLength": 2000},
        "expirationTime": {"type": ["number", "null"]},
        "keys": {
            "type": "object",
            "required": ["p256dh", "auth"],
            "additionalProperties": False,
            "properties": {
                "p256dh": {**_B64URL, "description": "The browser's P-256 public key, 65 bytes."},
                "auth": {**_B64URL, "description": "The browser's auth secret, 16 bytes."},
            },
        },
    },
}
REMINDERS = {
    "type": "object",
    "required": ["enabled", "time", "timezone", "email"],
    "properties": {
        "enabled": {"type": "boolean"},
        "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "In the timezone."},
        "timezone": {"type": "string", "description": "The person's IANA zone, as the account settings have it."},
        "email": {"type": "boolean", "description": "Also by email."},
    },
}
ANSWERS["api.get_reminders"] = REMINDERS
# Other JSON bodies, by endpoint: (schema, the answer's schema).
BODIES = {
    "api.put_reminders": (
        {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": False,
            "properties": {k: REMINDERS["properties"][k] for k in ("enabled", "time", "email")},
        },
        REMINDERS,
    ),
    "api.push_subscribe": (
        PUSH_SUBSCRIPTION,
        {"type": "object", "required": ["subscribed"], "properties": {"subscribed": {"const": True}}},
    ),
    "api.push_unsubscribe": (
        {
            "type": "object",
            "required": ["endpoint"],
            "additionalProperties": False,
            "properties": {"endpoint": {"type": "string", "maxLength": 2000}},
        },
        {"type": "object", "required": ["removed"], "properties": {"removed": {"type": "boolean"}}},
    ),
}


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
BATCHES = {
    "api.post_sessions": ("sessions", SessionIn),
    "api.post_safety": ("screens", ScreenIn),
    "api.post_messages": ("messages", MessageIn),
    "api.post_client_messages": ("messages", MessageIn),
}
# Pages read by a cursor (?before=<id>) rather than by number.
CURSORED = {"api.get_messages", "api.get_client_messages"}
READ_BODY = {
    "type": "object",
    "required": ["ids"],
    "properties": {"ids": {"type": "array", "items": {"type": "string"}, "maxItems": 100}},
}

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
    if model is MessageIn:
        item["properties"]["body"].update(
            minLength=1,
            maxLength=BODY_MAX,
            description="Trimmed first; no NUL or other control characters but line breaks and tabs.",
        )
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
    if method in ("POST", "PUT", "DELETE"):
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
    if method == "GET" and endpoint in ANSWERS:
        operation["responses"]["200"] = {
            "description": "OK",
            "content": {"application/json": {"schema": ANSWERS[endpoint]}},
        }
    if endpoint in BODIES:
        schema, answer = BODIES[endpoint]
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
        operation["responses"]["200"] = {"description": "OK", "content": {"application/json": {"schema": answer}}}
    if endpoint == "api.push_subscribe":
        operation["responses"]["201"] = {**operation["responses"]["200"], "description": "A new subscription."}
    if endpoint in ("api.read_messages", "api.read_client_messages"):
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": READ_BODY}}}
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
            if method == "GET" and rule.endpoint in CURSORED:
                operation.setdefault("parameters", []).append(
                    {"name": "before", "in": "query", "required": False, "schema": {"type": "string"},
                     "description": "The id of the oldest message of the page before (from next)."}
                )  # fmt: skip
            elif method == "GET" and "page" in (view.__doc__ or "") + rule.endpoint:
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
