"""The OpenAPI 3.1 document of every /api/v1 route (served at /api/v1/openapi.json), generated from the code.

Each view says what it takes and answers with `@documented(...)`, naming pydantic models: the synced items
(SessionIn, ScreenIn, MessageIn) that validate what phones send, and the answer models of answers.py. Paths and
their parameters' types come from the URL map; the error answers from what the route does (a signed-in check on
every route, a role check, a body, a query, an id in the path).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from pydantic import BaseModel

from ..inputs import MAX_ID, MAX_JSON_DEPTH
from ..messages.services import BODY_MAX, MessageIn
from ..sessions import red_flags
from ..sessions.screens import ScreenIn
from ..sessions.services import MAX_PAGE
from ..sessions.sync import MAX_BATCH
from .answers import Error

SCHEMAS = "#/components/schemas/{model}"
RETRY_AFTER = {"description": "Seconds to wait before trying again.", "schema": {"type": "integer"}}


@dataclass(frozen=True)
class Query:
    name: str
    schema: dict
    description: str = ""


PAGE = Query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "The page, from 1 (the newest).")
BEFORE = Query(
    "before", {"type": "string", "maxLength": 36}, "The id of the oldest message of the page before (from next)."
)


@dataclass(frozen=True)
class Spec:
    answer: type[BaseModel]
    body: type[BaseModel] | None = None
    batch: tuple[str, type[BaseModel]] | None = None
    query: tuple[Query, ...] = ()
    created: bool = False
    not_found: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def documented(answer: type[BaseModel], **spec: Any):
    """Mark a view with what it takes and answers (see Spec); build_document reads the mark."""

    def mark(view):
        view.openapi = Spec(answer, **spec)
        return view

    return mark


class Components:
    """The models' JSON schemas, each once under #/components/schemas."""

    def __init__(self):
        self.schemas: dict[str, dict] = {}
        self.schemas["Error"] = self._schema(Error)

    def _schema(self, model: type[BaseModel], mode: str = "serialization") -> dict:
        schema = model.model_json_schema(ref_template=SCHEMAS, mode=mode, by_alias=True)
        for name, definition in schema.pop("$defs", {}).items():
            if self.schemas.setdefault(name, definition) != definition:
                raise ValueError(f"Two models named {name} describe different things; rename one")
        return schema

    def ref(self, model: type[BaseModel], mode: str = "serialization") -> dict:
        name = model.__name__ if mode == "serialization" else f"{model.__name__}In"
        if name not in self.schemas:
            self.schemas[name] = self._schema(model, mode)
        return {"$ref": SCHEMAS.format(model=name)}

    def batch(self, key: str, model: type[BaseModel]) -> dict:
        item = self._schema(model, "validation")
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


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str, **headers: dict) -> dict:
    answer = _json({"$ref": SCHEMAS.format(model="Error")}, description)
    if headers:
        answer["headers"] = headers
    return answer


def _path_parameter(name: str, converter: str | None) -> dict:
    schema = {"type": "integer", "minimum": 0, "maximum": MAX_ID} if converter == "int" else {"type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _operation(endpoint: str, method: str, view, rule_text: str, components: Components) -> dict:
    spec: Spec | None = getattr(view, "openapi", None)
    if spec is None:
        raise LookupError(f"{endpoint} has no @documented: say what it takes and answers")
    doc = (view.__doc__ or "").strip()
    responses: dict[str, dict] = {}
    answer = components.ref(spec.answer)
    responses["201" if spec.created else "200"] = _json(answer, doc.splitlines()[0] if doc else "OK")
    if spec.created:
        responses["200"] = _json(answer, "Already stored for this person.")
    operation: dict[str, Any] = {
        "operationId": f"{endpoint.removeprefix('api.')}_{method.lower()}",
        "summary": doc.splitlines()[0] if doc else endpoint,
        "responses": responses,
    }
    if len(doc.splitlines()) > 1:
        operation["description"] = doc
    parameters = [_path_parameter(name, conv) for conv, name in re.findall(r"<(?:([a-z]+):)?([a-z_]+)>", rule_text)]
    parameters += [
        {"name": q.name, "in": "query", "required": False, "schema": q.schema, "description": q.description}
        for q in spec.query
    ]
    if method in ("POST", "PUT", "DELETE"):
        parameters.append(
            {"name": "X-CSRFToken", "in": "header", "required": True, "schema": {"type": "string"},
             "description": "The token from the page's <meta name=\"csrf-token\">."}
        )  # fmt: skip
        body = components.batch(*spec.batch) if spec.batch else components.ref(spec.body, "validation")
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        responses["400"] = _error(
            "Not JSON, not the documented shape, a NUL character in its text, nested more than "
            f"{MAX_JSON_DEPTH} levels deep, or a missing CSRF token."
        )
        responses["413"] = _error("The body is over 1 MB.")
    elif spec.query:
        responses["400"] = _error("A query parameter that is not as documented.")
    if parameters:
        operation["parameters"] = parameters
    responses["401"] = _error("Not signed in, or the login expired.")
    if getattr(view, "required_role", None):
        responses["403"] = _error(f"Signed in, but not as a {view.required_role}.")
    if "<" in rule_text or spec.not_found:
        responses["404"] = _error(spec.not_found or "No such thing here.")
    responses["503"] = _error("The database does not answer; try again later.", **{"Retry-After": RETRY_AFTER})
    for status, description in spec.extra.items():
        responses[status] = _error(description)
    return operation


def build_document(url_prefix: str) -> dict:
    """The document for every route under url_prefix, read from the running app's URL map."""
    components = Components()
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(url_prefix + "/"):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        view = current_app.view_functions[rule.endpoint]
        entry = paths.setdefault(path, {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            entry[method.lower()] = _operation(rule.endpoint, method, view, rule.rule, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "CoreSteady API",
            "version": "1",
            "description": "Every route needs a signed-in session cookie; writes also need the X-CSRFToken header. "
            "A method a path does not take answers 405 with Allow.",
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(components.schemas.items())),
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "session"}},
        },
        "security": [{"session": []}],
    }
