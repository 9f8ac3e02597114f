"""The app's frame: configuration, databases, error pages, security headers and the health check."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from flask import abort
from sqlalchemy import text

from webapp import create_app
from webapp.config import ConfigError, database_url, development_secret
from webapp.extensions import db

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_database_url_defaults_to_sqlite_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url(str(tmp_path)) == f"sqlite:///{tmp_path / 'coresteady.db'}"


@pytest.mark.parametrize("given", ["postgres://u:p@h/db", "postgresql://u:p@h/db"])
def test_postgres_urls_use_the_shipped_driver(monkeypatch, given):
    monkeypatch.setenv("DATABASE_URL", given)
    assert database_url("/x") == "postgresql+psycopg://u:p@h/db"


def test_production_requires_a_secret_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


LONG_SECRET = "a-real-secret-for-this-test-and-long-enough"


def test_production_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://coresteady.example.org")
    monkeypatch.setenv("SECRET_KEY", LONG_SECRET)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    response = app.test_client().get("/auth/login")
    assert "Strict-Transport-Security" in response.headers


@pytest.mark.parametrize("key", ["change-me", "x" * 31, " " * 40])
def test_production_refuses_a_short_secret_key_and_says_how_to_make_one(monkeypatch, key):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("BASE_URL", "https://coresteady.example.org")
    monkeypatch.setenv("SECRET_KEY", key)
    with (
        pytest.raises(ConfigError, match="at least 32")
        if key.strip()
        else pytest.raises(ConfigError, match="must be set")
    ):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["APP_ENV"] == "production"


def test_a_development_secret_key_of_any_length_is_accepted(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "dev")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"] == "dev"


def test_development_secret_is_generated_once_and_kept(tmp_path):
    first = development_secret(str(tmp_path / "instance"))
    assert len(first) > 40
    assert development_secret(str(tmp_path / "instance")) == first
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_come_from_defaults_then_the_environment_then_the_test(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "2525")
    monkeypatch.setenv("MAIL_SERVER", "mail.example.com")
    monkeypatch.setenv("CONTENT_AUTO_RELOAD", "no")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_SERVER": "localhost"})
    assert app.config["MAIL_PORT"] == 2525  # the environment over the default (587)
    assert app.config["MAIL_SERVER"] == "localhost"  # the test over the environment
    assert app.config["CONTENT_AUTO_RELOAD"] is False
    assert app.config["MAIL_USE_TLS"] is True  # a default nobody changed


def test_a_production_shell_does_not_turn_a_test_app_into_production(monkeypatch):
    """APP_ENV=production left in the shell: the test's own settings come last and win, checks run after."""
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"TESTING": True, "APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["APP_ENV"] == "development" and app.config["SESSION_COOKIE_SECURE"] is False
    assert app.test_client().get("/healthz").status_code == 200
    # A key the test passes is what production's check sees.
    monkeypatch.setenv("BASE_URL", "https://coresteady.example.org")
    assert create_app({"SECRET_KEY": LONG_SECRET, "SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["APP_ENV"] == (
        "production"
    )
    with pytest.raises(ConfigError, match="at least 32"):
        create_app({"SECRET_KEY": "short", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_passwords_are_hashed_with_scrypt_and_only_a_test_app_may_choose_cheaper():
    from webapp.auth.models import User

    real = create_app({"SECRET_KEY": "dev", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with real.app_context():
        user = User(email="a@example.com", name="A")
        user.set_password("a-long-enough-password")
        assert user.password_hash.startswith("scrypt:") and user.check_password("a-long-enough-password")
    cheap = {"SECRET_KEY": "dev", "SQLALCHEMY_DATABASE_URI": "sqlite://", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}
    with pytest.raises(ConfigError, match="test apps only"):
        create_app(cheap)
    assert create_app({**cheap, "TESTING": True}).config["PASSWORD_HASH_METHOD"] == "pbkdf2:sha256:1"


def test_a_bad_number_in_the_environment_is_named(monkeypatch):
    monkeypatch.setenv("MAIL_PORT", "twenty-five")
    with pytest.raises(ConfigError, match="MAIL_PORT must be a whole number"):
        create_app({"TESTING": True})


def instance_files() -> dict[str, float]:
    folder = ROOT / "instance"
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} if folder.exists() else {}


def test_a_test_app_writes_nothing_to_the_instance_folder(monkeypatch, app, client):
    """Neither the suite's app nor one made with nothing but TESTING: no secret_key, no database file there."""
    before = instance_files()
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    bare = create_app({"TESTING": True})
    assert bare.config["SECRET_KEY"] and bare.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert bare.test_client().get("/healthz").status_code == 200
    assert client.get("/auth/login").status_code == 200
    assert instance_files() == before


def test_sqlite_runs_with_wal_foreign_keys_a_busy_timeout_and_durable_commits(app, is_postgres):
    if is_postgres:
        pytest.skip("SQLite pragmas")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        # 2 is FULL: a session answered "created" survives a power loss (the phone has dropped its copy by then).
        assert db.session.execute(text("PRAGMA synchronous")).scalar() == 2


def test_connections_to_a_database_server_are_tried_before_use_and_sqlite_files_are_not():
    # PostgreSQL may restart between two requests (the pool's connections then fail once); a SQLite file may not.
    server = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:p@127.0.0.1/x", "TESTING": True})
    assert server.config["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}
    chosen = {"SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False}, "TESTING": True}
    assert create_app({**chosen, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u:p@127.0.0.1/x"}).config[
        "SQLALCHEMY_ENGINE_OPTIONS"
    ] == {"pool_pre_ping": False}, "an option set on purpose is kept"
    assert create_app({"TESTING": True}).config["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def test_an_app_with_rate_limits_off_starts_and_the_next_app_has_them_again(client, auth, users):
    # The benches turn limits off; the rate limiter is shared by every app made in one process.
    unlimited = create_app({"TESTING": True, "RATELIMIT_ENABLED": False})
    assert unlimited.test_client().get("/healthz").status_code in (200, 503)
    assert create_app({"TESTING": True}).config["RATELIMIT_ENABLED"] is True
    for _ in range(5):
        auth.login("alex@example.com", "wrong-password-1")
    assert auth.login("alex@example.com").status_code == 429


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_when_the_database_is_gone():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:////nonexistent-dir/x.db", "TESTING": True})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"


def test_404_page_for_people(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def test_api_answers_401_json_without_login_whatever_the_method_or_route(client):
    for method, path in [
        ("get", "/api/v1/lessons"),
        ("post", "/api/v1/sessions"),
        ("delete", "/api/v1/lessons"),
        ("get", "/api/v1/no-such-thing"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 401, (method, path)
        assert response.mimetype == "application/json"
        assert response.get_json()["error"] == "not_signed_in"


def test_api_errors_are_json_once_signed_in(client, auth, users):
    auth.login()
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
    response = client.post("/api/v1/lessons", data="{}", content_type="application/json")
    assert response.status_code == 400  # no CSRF token: refused before anything else
    assert "X-CSRFToken" in response.get_json()["message"]


def test_api_oversized_body_answers_413_json(client, auth, users):
    auth.login()
    response = client.post(
        "/api/v1/sessions",
        data=json.dumps({"x": "y" * (1024 * 1024)}),
        content_type="application/json",
        headers=auth.api_headers(),
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


@pytest.fixture
def failing_app(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    @app.get("/api/v1/boom")
    def api_boom():
        raise RuntimeError("kaboom")

    @app.get("/forbidden")
    def forbidden():
        abort(403)

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_500_page_and_json(failing_app, auth, users):
    client = failing_app.test_client()
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    type(auth)(client, failing_app).login()
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.get_json()["error"] == "server_error"


def test_403_page(failing_app):
    response = failing_app.test_client().get("/forbidden")
    assert response.status_code == 403
    assert "Not for this account" in response.get_data(as_text=True)


def test_strict_content_security_policy_on_pages(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_signed_in_pages_and_answers_are_never_kept_by_a_browser_or_proxy(client, auth, users):
    # A visitor's lesson page may be cached like any public page.
    assert "no-store" not in client.get("/lessons/").headers.get("Cache-Control", "")
    auth.login("alex@example.com")
    for path in ("/welcome/safety", "/lessons/", "/account/", "/api/v1/plan", "/account/export.json"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers["Cache-Control"], path


def test_while_the_database_is_away_every_answer_is_503_with_retry_after(client, auth, users, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    auth.login("alex@example.com")
    token = auth.csrf_token()

    def away(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("the server is not answering"))

    monkeypatch.setattr(Session, "execute", away)
    batch = {"sessions": [{"id": "2b0f3c3e-1111-4222-8333-444455556666"}]}
    posted = client.post("/api/v1/sessions", json=batch, headers={"X-CSRFToken": token})
    for response in (client.get("/api/v1/plan"), posted):
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert response.get_json()["error"] == "unavailable"
        assert "stays there and is sent on its own" in response.get_json()["message"]
    page = client.get("/history/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Back in a moment" in page.get_data(as_text=True)
    visitor = client.application.test_client().get("/lessons/")
    assert visitor.status_code == 503 and visitor.headers["Retry-After"] == "30"


def test_svg_files_are_sandboxed(client):
    with client.get("/static/icons/icon.svg") as response:
        assert response.status_code == 200
        assert "sandbox" in response.headers["Content-Security-Policy"]
        assert "script" not in response.headers["Content-Security-Policy"]


def test_no_template_has_inline_script_or_handlers():
    # A JSON data block never runs (the CSP does not apply to it); every other script must be a file.
    inline_script = re.compile(r"<script\b(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", re.I)
    handler = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
    style_attr = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
    for path in (ROOT / "templates").rglob("*.html"):
        source = path.read_text()
        assert not inline_script.search(source), path
        assert not handler.search(source), path
        assert not style_attr.search(source), path


def test_static_urls_carry_a_content_revision(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'/static/css/app\.css\?v=[0-9a-f]{12}"', html)


def test_production_requires_base_url_and_checks_it(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", LONG_SECRET)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigError, match="BASE_URL must be set"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("BASE_URL", "coresteady.example.org/?x=1")
    with pytest.raises(ConfigError, match="BASE_URL must be the app's address"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("BASE_URL", "https://coresteady.example.org/")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["BASE_URL"] == "https://coresteady.example.org"
