"""Schemathesis against the app in-process: every /api/v1 operation of the OpenAPI document, with data made from
its schemas (and data that breaks them), as a client and as a trainer. Each answer must be no 5xx, a status the
document lists, and the shape the document promises.

Bounded: a few examples per operation and mode (schemathesis's own tests do the thousands), about 20-40 s per
identity; on PostgreSQL too (the non-browser leg).
"""

from __future__ import annotations

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from .factories import first_routine_id, make_plan, session_payload

pytestmark = pytest.mark.usefixtures("clock")
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 5}


@pytest.fixture
def lived_in(app, client, auth, users, today, now):
    """Alex follows a program, has done a session, answered the safety check and written to the coach, who replied:
    every list the API answers has something in it."""
    with app.app_context():
        make_plan(users["alex"], start=today, by=users["coach"])
        routine = first_routine_id()
    auth.login("alex@example.com")
    headers = auth.api_headers()
    client.post("/api/v1/sessions", json={"sessions": [session_payload(routine, notes="Fine")]}, headers=headers)
    screen = {"id": str(uuid.uuid4()), "answered_at": now.isoformat(), "signs": []}
    client.post("/api/v1/safety", json={"screens": [screen]}, headers=headers)
    note = {"id": str(uuid.uuid4()), "body": "Sore after the bridges", "written_at": now.isoformat()}
    client.post("/api/v1/messages", json={"messages": [note]}, headers=headers)
    auth.logout()
    auth.login("coach@example.com")
    reply = {"id": str(uuid.uuid4()), "body": "Fewer, then", "written_at": now.isoformat()}
    path = f"/api/v1/trainer/clients/{users['alex'].id}/messages"
    client.post(path, json={"messages": [reply]}, headers=auth.api_headers())
    auth.logout()
    return users


def run_schemathesis(app, client, auth, email: str, known_ids: dict) -> int:
    auth.login(email)
    document = client.get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    credentials = {
        # identity: the WSGI transport hands schemathesis the body as sent, and a gzip body is no JSON to it.
        "headers": {"X-CSRFToken": auth.csrf_token(), "Accept-Encoding": "identity"},
        "cookies": {"session": client.get_cookie("session").value},
    }

    def check(case):
        # A failure stops the test with schemathesis's report: the check, the answer, and a curl line.
        case.call_and_validate(checks=CHECKS, **credentials)

    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, examples in EXAMPLES.items():

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def generated(case):
                check(case)

            generated()
        # The ids that exist: the random ones are nearly all 404.
        if "{client_id}" in operation.path:
            check(operation.Case(path_parameters=known_ids, query={"page": 1} if operation.method == "get" else None))
        operations += 1
    return operations


@pytest.mark.parametrize("email", ["alex@example.com", "coach@example.com"])
def test_the_api_keeps_its_document(app, client, auth, lived_in, email):
    operations = run_schemathesis(app, client, auth, email, {"client_id": lived_in["alex"].id})
    routes = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")]
    assert operations == sum(len(r.methods - {"HEAD", "OPTIONS"}) for r in routes)  # every one was tried
