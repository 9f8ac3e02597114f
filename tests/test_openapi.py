"""The OpenAPI document names every /api/v1 route, so tools outside the project can rely on it."""

from __future__ import annotations

import re


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


def test_openapi_describes_the_plan_the_lights_and_the_versions(client, auth, users):
    auth.login()
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def answer(path):
        return paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]

    plan = answer("/api/v1/plan")["properties"]
    assert set(plan["week"]["oneOf"][0]["required"]) == {"number", "of", "repeat", "reason"}
    suggestion = plan["suggestions"]["items"]
    assert {"exercise", "change", "from", "to", "to_exercise", "reason"} <= set(suggestion["required"])
    assert suggestion["properties"]["change"]["enum"] == ["dose", "easier", "harder"]
    light = answer("/api/v1/sessions")["properties"]["sessions"]["items"]["properties"]["light"]
    assert light["enum"] == ["green", "amber", "red"]
    versions = answer("/api/v1/exercises")["properties"]["exercises"]["items"]["properties"]
    assert {"easier", "harder"} <= set(versions)


def test_openapi_describes_push_and_reminders(client, auth, users):
    auth.login()
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    key = paths["/api/v1/push/key"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert key["required"] == ["public_key"]
    subscribe = paths["/api/v1/push/subscriptions"]["post"]
    body = subscribe["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["endpoint", "keys"] and body["additionalProperties"] is False
    assert set(body["properties"]["keys"]["required"]) == {"p256dh", "auth"}
    assert {"201", "400"} <= set(subscribe["responses"])
    assert "400" in paths["/api/v1/push/subscriptions"]["delete"]["responses"]
    settings = paths["/api/v1/reminders"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(settings["required"]) == {"enabled", "time", "timezone", "email"}
    change = paths["/api/v1/reminders"]["put"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(change["properties"]) == {"enabled", "time", "email"} and change["additionalProperties"] is False
