"""Fixtures: a database per test process, built once; each test runs in a transaction rolled back at its end."""

from __future__ import annotations

import contextlib
import os
import re
import weakref
from datetime import date, datetime

import pytest
import time_machine
from flask_sqlalchemy.session import Session as FlaskSession
from hypothesis import settings
from sqlalchemy import event

from webapp import create_app
from webapp.config import ENVIRONMENT
from webapp.config import database_url as normalise_url
from webapp.content.files import read_bundle
from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.jobs.services import run_due

from .clock import FROZEN_AT, TODAY
from .databases import PostgresDatabase, SQLiteDatabase
from .factories import DEFAULT_PASSWORD, make_user
from .speed import TemplatesInMemory, engines_shared, url_builders_shared

# The templates every app of this process compiled, shared by the next (see tests/speed.py).
# No test may depend on the machine's speed: Hypothesis fails an example that takes over 200 ms by default, and a
# pure function's test once took 316 ms for its first example beside two other test runs on two cores.
settings.register_profile("coresteady", deadline=None)
settings.load_profile("coresteady")

TEMPLATES = TemplatesInMemory()


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


# The fixtures that put a test on the frozen clock (tests/clock.py).
FROZEN_CLOCK = {"clock", "now", "today"}


def pytest_addoption(parser):
    parser.addoption(
        "--machine-clock-only",
        action="store_true",
        help="run only the tests that read the machine's own clock (not clock/now/today): what a faked time can change",
    )
    parser.addoption(
        "--database-only",
        action="store_true",
        help="run only the tests that reach the database: what another database engine can change",
    )


def pytest_collection_modifyitems(config, items):
    kept = items
    # Under libfaketime (.ci/run), a test on the frozen clock reads the same moment as on any other run; only the
    # tests that read the machine's clock can tell the faked moment from a normal one.
    if config.getoption("--machine-clock-only"):
        kept = [item for item in kept if not FROZEN_CLOCK & set(getattr(item, "fixturenames", ()))]
    # On PostgreSQL (.ci/run), a test that never reaches the database (rules, figures, the import contracts) runs the
    # same code as on SQLite. `fixturenames` holds every fixture a test depends on, however indirectly.
    if config.getoption("--database-only"):
        kept = [item for item in kept if "test_database" in getattr(item, "fixturenames", ())]
    if kept is not items:
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_configure(config):
    """Nothing the shell exports reaches the apps of this run (APP_ENV=production, a MAIL_SERVER, ...),
    not even those made while collecting; DATABASE_URL stays, as it chooses the suite's database. A
    test that needs a variable sets it with monkeypatch."""
    for name in ENVIRONMENT:
        if name != "DATABASE_URL":
            os.environ.pop(name, None)


@pytest.fixture(scope="session", autouse=True)
def _url_builders_shared():
    with url_builders_shared():
        yield


@pytest.fixture(scope="session")
def content_bundle():
    return read_bundle()


@pytest.fixture(scope="session")
def test_database(tmp_path_factory, content_bundle):
    """This process's database: every migration from empty, then the shipped content, built once.

    Being session-scoped, it is built before any test's own fixtures, so never under a test's frozen clock.
    """
    if os.environ.get("DATABASE_URL"):
        database = PostgresDatabase(normalise_url(""), os.environ.get("PYTEST_XDIST_WORKER", "main"))
    else:
        database = SQLiteDatabase(tmp_path_factory.mktemp("db"))
    database.create(_base_config(database.url), content_bundle)
    yield database
    database.drop()


@pytest.fixture(scope="session")
def database_url(test_database) -> str:
    return test_database.url


@pytest.fixture(scope="session")
def migrated(test_database) -> str:
    """The URL of a database with the schema every migration builds and the shipped content loaded."""
    return test_database.url


@pytest.fixture(scope="session")
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


def commits(item) -> bool:
    """Browser tests and tests marked `committed` write for real (other threads or connections read it)."""
    return item.get_closest_marker("browser") is not None or item.get_closest_marker("committed") is not None


class _JoinedSession(FlaskSession):
    """Flask-SQLAlchemy's session kept on the test's connection; its own get_bind would take the engine's."""

    def get_bind(self, *args, **kwargs):
        return self.bind


def _sqlite_savepoints(engine) -> None:
    """pysqlite opens transactions on its own and so mishandles SAVEPOINT: let SQLAlchemy say BEGIN itself.

    The recipe from SQLAlchemy's SQLite notes ("Serializable isolation / Savepoints / Transactional DDL").
    """

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")


# The engines whose connections already let SQLAlchemy begin transactions itself (an engine may serve many tests).
_SAVEPOINTS_SET: weakref.WeakSet = weakref.WeakSet()


@contextlib.contextmanager
def joined_session(app):
    """Every session of the app works in savepoints of one outer transaction, rolled back at the end.

    SQLAlchemy 2's "joining a session into an external transaction": the app's commits release savepoints
    and its rollbacks go back to the last one, so it behaves as it does for real, and nothing is kept.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite" and engine not in _SAVEPOINTS_SET:
        _sqlite_savepoints(engine)
        _SAVEPOINTS_SET.add(engine)
    connection = engine.connect()
    outer = connection.begin()
    shared = db.session
    # Flask-SQLAlchemy's own factory for db.session (an internal method; the version is pinned), so the
    # sessions are scoped to the app context exactly as the app's are.
    db.session = db._make_scoped_session(
        {"class_": _JoinedSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
    )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
        db.session = shared
        outer.rollback()
        connection.close()
        engine.dispose()


@pytest.fixture
def app(request, test_database):
    """A fresh app on this process's database; what the test writes is gone afterwards."""
    if not commits(request.node):
        # A test in one transaction rolled back shares its engine with the others like it (tests/speed.py).
        with engines_shared():
            app = create_app(_base_config(test_database.url))
        app.jinja_env.bytecode_cache = TEMPLATES
        with joined_session(app):
            yield app
        return
    app = create_app(_base_config(test_database.url))
    app.jinja_env.bytecode_cache = TEMPLATES
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    test_database.restore()


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


@pytest.fixture
def run_jobs(app):
    """Runs every job due now (or at the moment given), as `flask jobs --once` does; returns its report."""

    def run(at: datetime | None = None):
        with app.app_context():
            return run_due(at)

    return run


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def shown_link(html: str, label: str = "Finish signing up") -> str:
    """The link a sign-up's message holds, as the page shows it in development (no mail server set)."""
    match = re.search(rf'<a href="([^"]+)">{re.escape(label)}</a>', html)
    assert match, f"the page shows no link {label!r}"
    return match.group(1).replace("&amp;", "&")


def words_of(response) -> str:
    """The page as sent, without the form token that differs from one visitor to the next."""
    page = response.get_data(as_text=True)
    return re.sub(r'(name="csrf[_-]token"(?: type="hidden")? (?:content|value)=)"[^"]+"', r"\1", page)


def queued_mail(app) -> list[dict]:
    """Every message queued so far, oldest first, as the job worker would send it."""
    with app.app_context():
        jobs = db.session.execute(db.select(Job).filter_by(kind="mail").order_by(Job.id)).scalars()
        return [dict(job.payload) for job in jobs]


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
