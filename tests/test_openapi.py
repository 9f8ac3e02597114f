"""The OpenAPI document names every /api/v1 route, so tools outside the project can rely on it."""

from __future__ import annotations

import re

import pytest


def resolve(document: dict, schema: dict) -> dict:
    """The schema with its $ref (and those of its properties and items, one level) followed."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


@pytest.fixture
def document(client, auth, users):
    auth.login()
    return client.get("/api/v1/openapi.json").get_json()


def answer_of(document, path, method="get", status="200"):
    schema = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return resolve(document, schema)


def prop(document, schema, name):
    found = schema["properties"][name]
    if "anyOf" in found:  # nullable: the non-null choice
        found = next(choice for choice in found["anyOf"] if choice.get("type") != "null")
    if found.get("type") == "array":
        return {**found, "items": resolve(document, found["items"])}
    return resolve(document, found)


def test_openapi_lists_every_api_route(app, client, auth, users):
    assert client.get("/api/v1/openapi.json").status_code == 401
    auth.login()
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (path, method.lower()) in documented, (path, method)


def test_openapi_describes_the_sync_contract(client, auth, users):
    auth.login()
    document = client.get("/api/v1/openapi.json").get_json()
    post = document["paths"]["/api/v1/sessions"]["post"]
    batch = post["requestBody"]["content"]["application/json"]["schema"]
    assert batch["properties"]["sessions"]["maxItems"] == 100
    item = batch["properties"]["sessions"]["items"]
    assert {"id", "routine_id", "started_at", "completed_at", "pain_before", "pain_after", "effort"} <= set(
        item["required"]
    )
    assert {"400", "401", "413"} <= set(post["responses"])


def test_openapi_describes_the_plan_the_lights_and_the_versions(document):
    plan = answer_of(document, "/api/v1/plan")
    week = prop(document, plan, "week")
    assert set(week["required"]) == {"number", "of", "repeat", "reason"}
    suggestion = prop(document, plan, "suggestions")["items"]
    assert {"exercise", "change", "from", "to", "to_exercise", "reason"} <= set(suggestion["required"])
    assert suggestion["properties"]["change"]["enum"] == ["dose", "easier", "harder"]
    session = prop(document, answer_of(document, "/api/v1/sessions"), "sessions")["items"]
    assert session["properties"]["light"]["enum"] == ["green", "amber", "red"]
    versions = prop(document, answer_of(document, "/api/v1/exercises"), "exercises")["items"]["properties"]
    assert {"easier", "harder"} <= set(versions)


def test_openapi_describes_push_and_reminders(document):
    paths = document["paths"]
    assert answer_of(document, "/api/v1/push/key")["required"] == ["public_key"]
    subscribe = paths["/api/v1/push/subscriptions"]["post"]
    body = resolve(document, subscribe["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["required"]) == {"endpoint", "keys"} and body["additionalProperties"] is False
    assert set(resolve(document, body["properties"]["keys"])["required"]) == {"p256dh", "auth"}
    assert {"201", "200", "400"} <= set(subscribe["responses"])
    assert "400" in paths["/api/v1/push/subscriptions"]["delete"]["responses"]
    settings = answer_of(document, "/api/v1/reminders")
    assert set(settings["required"]) == {"enabled", "time", "timezone", "email"}
    change = paths["/api/v1/reminders"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    change = resolve(document, change)
    assert set(change["properties"]) == {"enabled", "time", "email"} and change["additionalProperties"] is False


def test_openapi_types_path_and_query_parameters_and_names_each_error(document):
    sessions = document["paths"]["/api/v1/trainer/clients/{client_id}/sessions"]["get"]
    parameters = {p["name"]: p for p in sessions["parameters"]}
    assert parameters["client_id"]["in"] == "path"
    assert parameters["client_id"]["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
    assert parameters["page"]["in"] == "query" and parameters["page"]["schema"]["minimum"] == 1
    assert {"200", "400", "401", "403", "404", "503"} <= set(sessions["responses"])
    assert "Retry-After" in sessions["responses"]["503"]["headers"]
    own = document["paths"]["/api/v1/sessions"]["get"]
    assert [p["name"] for p in own["parameters"]] == ["page"]
    assert "404" not in own["responses"]  # no id in its path
    before = {p["name"] for p in document["paths"]["/api/v1/messages"]["get"]["parameters"]}
    assert before == {"before"}


def test_a_result_has_an_id_that_may_be_null(document):
    results = prop(document, answer_of(document, "/api/v1/sessions", "post"), "results")["items"]
    assert {"id", "status"} <= set(results["required"])
    assert {"type": "null"} in results["properties"]["id"]["anyOf"]


def test_a_method_a_path_does_not_take_answers_405_with_allow(client, auth, users):
    auth.login()
    response = client.patch("/api/v1/reminders", headers=auth.api_headers())
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "PUT"}
    assert response.get_json()["error"]
