"""Who may use each trainer page and trainer API route: every route of the URL map, for four kinds of visitor.

The routes come from the app itself, so a new one is tested the day it appears; a route with a URL parameter this
file does not know fails loudly until the parameter gets a value below.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import url_for

from webapp import create_app
from webapp.auth.models import User
from webapp.content.models import Exercise
from webapp.extensions import db
from webapp.programs.models import Program, ProgramWeek, Routine, RoutineExercise
from webapp.trainer import invites

from .conftest import csrf_from
from .factories import make_user

PREFIXES = ("/trainer", "/api/v1/trainer")
# A CSRF failure answers 400 too: a POST must not pass the check by failing that way.
CSRF_WORDS = "The form expired"


def trainer_routes(app) -> list[tuple[str, str, str]]:
    """(path pattern, endpoint, method) of every route under the trainer prefixes."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIXES):
            routes.extend((rule.rule, rule.endpoint, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return sorted(routes)


def _routes_at_collection() -> list[tuple[str, str, str]]:
    # Only the URL map is read from this app: it never opens its database.
    app = create_app({"TESTING": True, "SECRET_KEY": "url-map-only", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "CONTENT_AUTO_RELOAD": False})  # fmt: skip
    return trainer_routes(app)


ROUTES = _routes_at_collection()


@dataclass
class World:
    coach: User
    other: User
    client: User
    invite_id: int
    program_id: int
    exercise_id: int


# What each URL parameter names: always one of the first trainer's own objects.
PARAMS = {
    "client_id": lambda w: w.client.id,
    "invite_id": lambda w: w.invite_id,
    "program_id": lambda w: w.program_id,
    "exercise_id": lambda w: w.exercise_id,
}


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        other = make_user("other@example.com", role="trainer", name="Robin Physio")
        client = make_user("alex@example.com", name="Alex Morgan", trainer=coach)
        invite = invites.create_invite(db.session.get(User, coach.id), "Taylor")
        exercise = Exercise(
            slug="coach-wall-press", name="Wall press", summary="Press gently into a wall.", kind="reps",
            position="standing", level=1, cue="Slow and steady", illustration="", illustration_alt="",
            sets=1, reps=8, rest_seconds=30, owner_id=coach.id,
        )  # fmt: skip
        program = Program(family="coach-plan", name="Coach's plan", owner_id=coach.id)
        week = ProgramWeek(number=1, program=program)
        routine = Routine(name="Day A", days="mon", position=0, week=week, program=program)
        routine.items.append(RoutineExercise(position=0, exercise=exercise, sets=1, reps=8, rest_seconds=30))
        db.session.add_all([exercise, program])
        db.session.commit()
        return World(coach, other, client, invite.id, program.id, exercise.id)


def url_of(app, world: World, rule_path: str, endpoint: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_path and r.endpoint == endpoint)
    unknown = sorted(set(rule.arguments) - set(PARAMS))
    if unknown:
        pytest.fail(f"{rule_path} takes {unknown}: add a value for each to PARAMS in tests/test_trainer_access.py")
    with app.test_request_context():
        return url_for(endpoint, **{name: PARAMS[name](world) for name in rule.arguments})


def test_every_trainer_route_parameter_has_a_value():
    assert ROUTES, "no trainer routes found in the URL map"
    assert any(endpoint == "trainer.dashboard" for _, endpoint, _ in ROUTES)
    assert any(endpoint == "api.trainer_clients" for _, endpoint, _ in ROUTES)
    # Putting programs and exercises away (and deleting unused ones) answers like every other trainer route.
    verbs = ("archive", "restore", "delete")
    shelving = {f"builder.{what}_{verb}" for what in ("program", "exercise") for verb in verbs}
    assert shelving <= {endpoint for _, endpoint, _ in ROUTES}
    app = create_app({"TESTING": True, "SECRET_KEY": "url-map-only", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "CONTENT_AUTO_RELOAD": False})  # fmt: skip
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIXES):
            assert set(rule.arguments) <= set(PARAMS), f"{rule.rule}: add its parameters to PARAMS"


def sign_in(auth, world: World, role: str) -> None:
    if role == "client":
        auth.login_as(world.client)
    elif role == "own trainer":
        auth.login_as(world.coach)
    elif role == "other trainer":
        auth.login_as(world.other)


def call(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    # Every visitor sends a valid token, so what answers is the access rule and not the CSRF check.
    token = csrf_from(client.get("/lessons/").get_data(as_text=True))
    return client.open(url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})


def expectation_failed(response, role: str, method: str, rule_path: str) -> str | None:
    """What is wrong with this answer for this visitor, or None when it is the right one."""
    status, is_api = response.status_code, rule_path.startswith("/api/")
    if role == "anonymous":
        if is_api:
            return None if status == 401 and response.is_json else f"expected 401 JSON, got {status}"
        location = response.headers.get("Location", "")
        return None if status == 302 and "/auth/login" in location else f"expected a redirect to log in, got {status}"
    if role == "client":
        return None if status == 403 and response.is_json == is_api else f"expected 403, got {status}"
    if role == "other trainer" and "<" in rule_path:
        # Naming the first trainer's client, invite, program or exercise: exactly as if it did not exist.
        return None if status == 404 else f"expected 404, got {status}"
    if method == "GET":
        return None if status == 200 else f"expected 200, got {status}"
    if status not in (200, 302, 303, 400):
        return f"expected a redirect, 200 or a 400 with a message, got {status}"
    if status == 400 and CSRF_WORDS in response.get_data(as_text=True):
        return "refused by the CSRF check, not by the route"
    return None


# One test per route, the four visitors in turn; the own trainer goes last, since a POST may change what it names.
@pytest.mark.parametrize(("rule_path", "endpoint", "method"), ROUTES, ids=[f"{m} {r}" for r, _, m in ROUTES])
def test_access(app, client, auth, world, rule_path, endpoint, method):
    url = url_of(app, world, rule_path, endpoint)
    problems = []
    for role in ("anonymous", "client", "other trainer", "own trainer"):
        sign_in(auth, world, role)
        problem = expectation_failed(call(client, method, url), role, method, rule_path)
        if problem:
            problems.append(f"{role}: {problem}")
        auth.logout()
    assert not problems, f"{method} {url}: " + "; ".join(problems)
