"""Settings in the Flask tutorial's order: defaults, then the environment, then the caller's; checked last."""

from __future__ import annotations

import base64
import os
import re
import secrets
from collections.abc import Mapping, MutableMapping
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec

ONE_MB = 1024 * 1024
# 32 characters of a generated key carry far more than the 128 bits that signing cookies and links needs;
# anything shorter in production is more likely a placeholder than a secret.
MIN_PRODUCTION_SECRET = 32
PASSWORD_HASH = "scrypt"  # the method Werkzeug hashes with, not a password  # noqa: S105
# Derived from APP_ENV after every layer is in, unless a layer set them itself.
FOLLOWS_APP_ENV = object()


class ConfigError(RuntimeError):
    """The settings do not give what the app needs to start (production most of all)."""


def defaults() -> dict:
    """What a developer gets with nothing set."""
    return {
        "APP_ENV": "development",
        "SECRET_KEY": None,  # development: generated once into the instance folder
        "SQLALCHEMY_DATABASE_URI": None,  # SQLite in the instance folder
        "SQLALCHEMY_ENGINE_OPTIONS": {},  # finish() adds the ping a database server needs
        "MAX_CONTENT_LENGTH": ONE_MB,
        "MAX_FORM_MEMORY_SIZE": ONE_MB,
        # An installed app may stay offline for days: its form token must outlive that.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": FOLLOWS_APP_ENV,
        "REMEMBER_COOKIE_SECURE": FOLLOWS_APP_ENV,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 60,
        "PREFERRED_URL_SCHEME": FOLLOWS_APP_ENV,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Said outright: Flask-Limiter keeps the last app's choice for the next app that says nothing.
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_LIMIT_PER_ACCOUNT": "5 per 15 minutes",
        # Every account from one address: high enough for a clinic or an office behind one address.
        "LOGIN_LIMIT_PER_ADDRESS": "100 per 15 minutes",
        # Sign-ups mail whatever address is typed: a few an hour to one address, from anywhere, and a clinic's
        # worth from one client address.
        "SIGNUP_LIMIT_PER_EMAIL": "3 per hour",
        "SIGNUP_LIMIT_PER_ADDRESS": "30 per hour",
        # Werkzeug's own default. Only a test app may pick a cheaper one (finish() refuses it elsewhere):
        # a real hash takes about a tenth of a second, more than the rest of a typical test.
        "PASSWORD_HASH_METHOD": PASSWORD_HASH,
        "PASSWORD_RESET_MAX_AGE": 60 * 60,
        # How long the link that finishes a sign-up works.
        "SIGNUP_MAX_AGE": 24 * 60 * 60,
        "INVITE_MAX_AGE": 7 * 24 * 60 * 60,
        "MAIL_SERVER": "",
        "MAIL_PORT": 587,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_USE_TLS": True,
        "MAIL_FROM": "CoreSteady <no-reply@localhost>",
        # Behind nginx or a load balancer: how many proxies to trust for the client's address and scheme.
        "TRUST_PROXIES": 0,
        # The number the emergency page dials: 112 works across Europe and on most mobile phones.
        "EMERGENCY_NUMBER": "112",
        # Where the app is reached, e.g. https://coresteady.example.org: every link it sends starts with it.
        # Required in production; development without it trusts the request's host only if listed here below.
        "BASE_URL": "",
        # Flask's own: when set, a request for any other host is refused (400); see webapp/links.py.
        "TRUSTED_HOSTS": None,
        "CONTENT_AUTO_RELOAD": True,
        # Web Push: the server's VAPID key (base64url, the raw 32-byte P-256 private key). Unset: made once and
        # kept in the instance folder (a test app makes one of its own). See webapp/push/.
        "VAPID_PRIVATE_KEY": "",
        # Who push services may contact about our pushes: a mailto: or https: URL. Unset: BASE_URL if it is
        # https, else the address of MAIL_FROM.
        "VAPID_SUBJECT": "",
        # The push services the app sends to in production, by domain (a host under one counts): those of Chrome,
        # Samsung Internet and other Chromium browsers (Firebase Cloud Messaging), Firefox (Mozilla's autopush),
        # Safari (Apple) and Edge (Windows Push Notification Services). A subscription naming any other is refused:
        # the server makes no request to a host a browser's page could choose. Comma-separated in the environment.
        "PUSH_SERVICES": [
            "fcm.googleapis.com",
            "updates.push.services.mozilla.com",
            "push.apple.com",
            "notify.windows.com",
        ],
    }


# Environment variables read as they are, as whole numbers, or as on/off switches ("0", "false", "no": off).
TEXT = ("SECRET_KEY", "RATELIMIT_STORAGE_URI", "LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS",
        "SIGNUP_LIMIT_PER_EMAIL", "SIGNUP_LIMIT_PER_ADDRESS",
        "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_FROM", "EMERGENCY_NUMBER", "BASE_URL",
        "VAPID_PRIVATE_KEY", "VAPID_SUBJECT")  # fmt: skip
WHOLE_NUMBERS = ("MAIL_PORT", "TRUST_PROXIES")
SWITCHES = ("MAIL_USE_TLS", "CONTENT_AUTO_RELOAD")
LISTS = ("TRUSTED_HOSTS", "PUSH_SERVICES")  # comma-separated
ENVIRONMENT = ("APP_ENV", "DATABASE_URL", *TEXT, *WHOLE_NUMBERS, *SWITCHES, *LISTS)  # every variable read here


def normalise_database_url(url: str) -> str:
    # psycopg 3 is the driver that ships with the app; accept the usual spellings of the URL.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_environment(environ: Mapping[str, str] | None = None) -> dict:
    """Only the settings the environment gives; an empty variable counts as not given."""
    environ = os.environ if environ is None else environ
    given = {name: environ[name].strip() for name in environ if environ[name].strip()}
    settings: dict = {}
    if "APP_ENV" in given:
        settings["APP_ENV"] = given["APP_ENV"]
    if "DATABASE_URL" in given:
        settings["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(given["DATABASE_URL"])
    for name in TEXT:
        if name in given:
            settings[name] = given[name]
    for name in WHOLE_NUMBERS:
        if name in given:
            try:
                settings[name] = int(given[name])
            except ValueError:
                raise ConfigError(f"{name} must be a whole number, not {given[name]!r}") from None
    for name in SWITCHES:
        if name in given:
            settings[name] = given[name].lower() not in ("0", "false", "no")
    for name in LISTS:
        if name in given:
            settings[name] = [part.strip() for part in given[name].split(",") if part.strip()]
    return settings


def base_url(value: str) -> str:
    """BASE_URL as links use it (no trailing slash), or a ConfigError saying what is wrong with it."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"BASE_URL must be the app's address, like https://coresteady.example.org, not {value!r}")
    return value.strip().rstrip("/")


def database_url(instance_path: str) -> str:
    """DATABASE_URL from the environment, or SQLite in the instance folder."""
    return from_environment().get("SQLALCHEMY_DATABASE_URI") or sqlite_in(instance_path)


def sqlite_in(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'coresteady.db'}"


def development_secret(instance_path: str) -> str:
    """Generated once and kept in the instance folder, so logins survive a restart."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    os.makedirs(instance_path, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


VAPID_KEY_FILE = "vapid_private_key"


def _encode_private_key(key: ec.EllipticCurvePrivateKey) -> str:
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def new_vapid_key() -> str:
    """A fresh VAPID private key as VAPID_PRIVATE_KEY takes it: base64url of the raw 32-byte P-256 scalar."""
    return _encode_private_key(ec.generate_private_key(ec.SECP256R1()))


def vapid_key(value: str) -> str:
    """VAPID_PRIVATE_KEY checked (a P-256 private key, raw and base64url), or a ConfigError saying how to make one."""
    text = value.strip()
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if len(raw) != 32 or not re.fullmatch(r"[A-Za-z0-9_-]+=*", text):
            raise ValueError("not 32 bytes of base64url")
        key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    except ValueError:
        raise ConfigError(
            "VAPID_PRIVATE_KEY must be a P-256 private key, 32 bytes in base64url. Make one with: "
            "python3 -c 'from webapp.config import new_vapid_key; print(new_vapid_key())'"
        ) from None
    return _encode_private_key(key)


def instance_vapid_key(instance_path: str) -> str:
    """Made once and kept in the instance folder. Two processes starting together keep the same one: the key is
    written to a file of its own and linked into place, which only the first of them can do."""
    path = Path(instance_path) / VAPID_KEY_FILE
    if not path.exists():
        os.makedirs(instance_path, exist_ok=True)
        draft = path.with_name(f"{VAPID_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(new_vapid_key())
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return vapid_key(path.read_text())


def vapid_subject(config: Mapping) -> str:
    """VAPID_SUBJECT checked, or one made from BASE_URL (https) or MAIL_FROM's address."""
    given = str(config.get("VAPID_SUBJECT") or "").strip()
    if given:
        if not re.fullmatch(r"mailto:[^@\s]+@[^@\s]+|https://[^\s/]+(/\S*)?", given):
            raise ConfigError(
                f"VAPID_SUBJECT must be a mailto: or https: URL, like mailto:admin@example.org, not {given!r}"
            )
        return given
    base = str(config.get("BASE_URL") or "")
    if base.startswith("https://"):
        return base
    address = parseaddr(str(config.get("MAIL_FROM") or ""))[1]
    return f"mailto:{address}" if "@" in address else "mailto:no-reply@localhost"


def finish_vapid(config: MutableMapping, instance_path: str) -> None:
    """The key a browser's push subscription is bound to. Losing it loses every subscription, so it is made once and
    kept (production may give it in the environment instead); a test app's lives as long as the app."""
    if config.get("VAPID_PRIVATE_KEY"):
        config["VAPID_PRIVATE_KEY"] = vapid_key(config["VAPID_PRIVATE_KEY"])
    elif config.get("TESTING"):
        config["VAPID_PRIVATE_KEY"] = new_vapid_key()
    else:
        config["VAPID_PRIVATE_KEY"] = instance_vapid_key(instance_path)
    config["VAPID_SUBJECT"] = vapid_subject(config)


def finish(config: MutableMapping, instance_path: str) -> None:
    """Fill in what depends on the other settings, then refuse what the app cannot safely run with.

    Runs once every layer is in. Only a development app with no SECRET_KEY or database of its own writes
    to the instance folder; a test app (TESTING) never does.
    """
    production = str(config.get("APP_ENV") or "").strip().lower() == "production"
    config["APP_ENV"] = "production" if production else "development"
    for name in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if config.get(name) is FOLLOWS_APP_ENV:
            config[name] = production
    if config.get("PREFERRED_URL_SCHEME") is FOLLOWS_APP_ENV:
        config["PREFERRED_URL_SCHEME"] = "https" if production else "http"

    number = str(config.get("EMERGENCY_NUMBER") or "").strip()
    if not re.fullmatch(r"\+?[0-9][0-9 -]{1,18}", number):
        raise ConfigError(f"EMERGENCY_NUMBER must be a phone number such as 112, 999 or 911, not {number!r}")
    config["EMERGENCY_NUMBER"] = number

    if config.get("PASSWORD_HASH_METHOD") != PASSWORD_HASH and not config.get("TESTING"):
        raise ConfigError(f"PASSWORD_HASH_METHOD is for test apps only; passwords are hashed with {PASSWORD_HASH}")

    key = config.get("SECRET_KEY")
    if isinstance(key, str | bytes):
        key = key.strip()
    if production:
        if not key:
            raise ConfigError("SECRET_KEY must be set when APP_ENV=production")
        if len(key) < MIN_PRODUCTION_SECRET:
            raise ConfigError(
                f"SECRET_KEY is {len(key)} characters long; production needs at least {MIN_PRODUCTION_SECRET}. "
                "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
    elif not key:
        # A test app gets a key of its own that lives as long as it does.
        key = secrets.token_urlsafe(48) if config.get("TESTING") else development_secret(instance_path)
    config["SECRET_KEY"] = key

    if config.get("BASE_URL"):
        config["BASE_URL"] = base_url(config["BASE_URL"])
    elif production:
        # Links in mail must never follow the request's Host, which whoever sends the request chooses.
        raise ConfigError("BASE_URL must be set when APP_ENV=production, like https://coresteady.example.org")

    finish_vapid(config, instance_path)
    finish_database(config, instance_path)


def finish_database(config: MutableMapping, instance_path: str) -> None:
    """The database to use (SQLite in the instance folder unless one is named) and how its connections are kept."""
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        if config.get("TESTING"):
            config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"  # a test that needs tables passes its database
        else:
            os.makedirs(instance_path, exist_ok=True)
            config["SQLALCHEMY_DATABASE_URI"] = sqlite_in(instance_path)
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # A database server may have restarted and closed the pool's connections: each is tried before a request
        # uses it. A SQLite file has no server to lose, and the try cost every request a statement.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})}
