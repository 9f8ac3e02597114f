"""Settings read from the environment, with safe defaults for development."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ONE_MB = 1024 * 1024


class ConfigError(RuntimeError):
    """The environment does not give what production needs."""


def database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{Path(instance_path) / 'coresteady.db'}"
    # psycopg 3 is the driver that ships with the app; accept the usual spellings of the URL.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str, production: bool) -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
    # Development: generate once and keep it, so logins survive a restart.
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def from_environment(instance_path: str) -> dict:
    production = os.environ.get("APP_ENV", "development").strip().lower() == "production"
    return {
        "APP_ENV": "production" if production else "development",
        "SECRET_KEY": secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": ONE_MB,
        "MAX_FORM_MEMORY_SIZE": ONE_MB,
        # An installed app may stay offline for days: its form token must outlive that.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 60,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "20 per 15 minutes"),
        "PASSWORD_RESET_MAX_AGE": 60 * 60,
        "INVITE_MAX_AGE": 7 * 24 * 60 * 60,
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "1") not in ("0", "false", "no"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "CoreSteady <no-reply@localhost>"),
        # Behind nginx or a load balancer: how many proxies to trust for the client's address and scheme.
        "TRUST_PROXIES": int(os.environ.get("TRUST_PROXIES", "0") or 0),
        "CONTENT_AUTO_RELOAD": os.environ.get("CONTENT_AUTO_RELOAD", "1") not in ("0", "false", "no"),
    }
