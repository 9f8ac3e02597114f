"""Fixtures: one schema per run (migrated from empty), and an emptied database for every test."""

from __future__ import annotations

import os
import re
from datetime import date, datetime

import pytest
import time_machine
from flask_migrate import upgrade
from sqlalchemy import MetaData, text

from webapp import create_app
from webapp.bundle import load_content
from webapp.config import ENVIRONMENT
from webapp.config import database_url as normalise_url
from webapp.content.files import read_bundle
from webapp.extensions import db

from .clock import FROZEN_AT, TODAY
from .factories import DEFAULT_PASSWORD, make_user


def _base_config(url: str) -> dict:
    return {
        "TESTING": True,
        # The suite describes development unless a test asks for production, whatever the shell says.
        "APP_ENV": "development",
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "CONTENT_AUTO_RELOAD": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        # One round of PBKDF2 instead of scrypt: every login and every user a test makes costs
        # microseconds rather than a tenth of a second. Test apps only (the config refuses it elsewhere).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    }


def pytest_configure(config):
    """Nothing the shell exports reaches the apps of this run (APP_ENV=production, a MAIL_SERVER, ...),
    not even those made while collecting; DATABASE_URL stays, as it chooses the suite's database. A
    test that needs a variable sets it with monkeypatch."""
    for name in ENVIRONMENT:
        if name != "DATABASE_URL":
            os.environ.pop(name, None)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if os.environ.get("DATABASE_URL"):
        return normalise_url("")
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


def drop_everything(app) -> None:
    """Whatever an earlier run left behind, the alembic_version table included."""
    with app.app_context():
        existing = MetaData()
        existing.reflect(bind=db.engine)
        existing.drop_all(bind=db.engine)


@pytest.fixture(scope="session")
def content_bundle():
    return read_bundle()


@pytest.fixture(scope="session")
def migrated(database_url, content_bundle):
    """The schema, built by running every migration from an empty database."""
    app = create_app(_base_config(database_url))
    drop_everything(app)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def empty_tables(app) -> None:
    with app.app_context(), db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def app(migrated, content_bundle):
    app = create_app(_base_config(migrated))
    empty_tables(app)
    with app.app_context():
        load_content(content_bundle)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clock():
    """The clock of this process, the app's included, set to FROZEN_AT and ticking on from there.

    A test that depends on the day asks for `clock` (or `now`, `today`); `clock.move_to(moment)` and
    `clock.shift(timedelta)` travel. Tests that do not ask run on the host's clock and must not care.
    """
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _clock_before_anything_else(request):
    """A test that needs the clock gets it first, before a fixture logs in or writes: going back in time
    after a login would make the session cookie younger than zero, and Flask refuses those."""
    if {"clock", "now", "today"} & set(request.fixturenames):
        request.getfixturevalue("clock")


@pytest.fixture
def now(clock) -> datetime:
    """The moment the test starts at: 23:30 UTC on Wednesday 1 July 2026."""
    return FROZEN_AT


@pytest.fixture
def today(clock) -> date:
    """The test user's day at `now`, in their zone (Europe/London): Thursday 2 July 2026."""
    return TODAY


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


class AuthActions:
    """Logs in through the real form, CSRF token included, like a browser would."""

    def __init__(self, client, app):
        self.client = client
        self.app = app

    def csrf_token(self, path: str = "/lessons/") -> str:
        return csrf_from(self.client.get(path).get_data(as_text=True))

    def login(self, email: str = "alex@example.com", password: str = DEFAULT_PASSWORD, **extra):
        token = self.csrf_token()
        return self.client.post(
            "/auth/login", data={"email": email, "password": password, "csrf_token": token, **extra}
        )

    def login_as(self, user, password: str = DEFAULT_PASSWORD):
        response = self.login(user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def logout(self):
        return self.client.post("/auth/logout", data={"csrf_token": self.csrf_token()})

    def api_headers(self) -> dict:
        return {"X-CSRFToken": self.csrf_token()}


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)


@pytest.fixture
def users(app):
    """A client with a trainer and an unrelated trainer, as most stories need."""
    with app.app_context():
        coach = make_user("coach@example.com", role="trainer", name="Casey Coach")
        other = make_user("other@example.com", role="trainer", name="Other Trainer")
        alex = make_user("alex@example.com", role="client", name="Alex Morgan", trainer=coach)
        return {"coach": coach, "other": other, "alex": alex}
