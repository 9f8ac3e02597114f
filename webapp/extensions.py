"""The Flask extensions, created once here and bound to an app in create_app."""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import DeclarativeBase

from .timeutil import UTCDateTime

# Named constraints, so that Alembic can alter and drop them the same way on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _render_type(type_, obj, _context):
    # Migrations name plain SQLAlchemy types, so they never import the app's code.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


class HeaderFirstCSRF(CSRFProtect):
    """Flask-WTF's CSRF check, looking for the token in its header before the form: the app's scripts and the API's
    callers send it there, and looking in the form first cost every JSON write a form parser for a body that is no
    form. A form's hidden field is still read when no header came."""

    def _get_csrf_token(self):
        for header in current_app.config["WTF_CSRF_HEADERS"]:
            if token := request.headers.get(header):
                return token
        return super()._get_csrf_token()


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True, render_item=_render_type)
login_manager = LoginManager()
csrf = HeaderFirstCSRF()
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # SQLite leaves foreign keys off and locks readers out of writers unless told otherwise.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # FULL: every commit reaches the disk before the answer. Once the server answers "created" the phone drops
        # its copy, and in WAL mode NORMAL lets a commit roll back after a power loss or an operating-system crash
        # (sqlite.org, PRAGMA synchronous): a session lost for good. About 0.3 ms a commit on this project's
        # machines; PostgreSQL's default (synchronous_commit on) is durable already.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
    elif type(dbapi_connection).__module__.startswith("psycopg"):
        # PostgreSQL compiles a query to machine code once its estimated cost is high: the dashboard's reads over
        # every client (a subquery per session) spent seconds compiling to save milliseconds running. Our queries
        # are short, as JIT's own documentation advises for turning it off; committed, so the pool keeps it.
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET jit = off")
        dbapi_connection.commit()


@contextmanager
def one_writer_at_a_time() -> Iterator[None]:
    """Around a write transaction, from its first write to its commit: on a SQLite file, the writers of every process
    take turns on a lock file, and each waits in the kernel, which wakes it the moment the one before has committed.
    SQLite lets one writer in at a time too, but one that finds the database locked sleeps, a whole millisecond at
    first and longer after (its default busy handler, behind PRAGMA busy_timeout), several times the length of a
    sync's write: under two processes' load a fifth of single-session syncs slept so, half a millisecond each on
    average. PostgreSQL locks rows, not the database: nothing to do there."""
    path = writer_lock_path(db.engine.url)
    if path is None:
        yield
        return
    with open(path, "a") as lock:  # closing it lets the next writer in, on error too
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@cache
def writer_lock_path(url: URL) -> str | None:
    """The lock file beside a SQLite database file (None for PostgreSQL, or a database in memory)."""
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return None
    return os.path.abspath(name) + "-writer"


def count_revisions(model) -> None:
    """Every ORM update of a row of this model adds one to its `revision` column, as SQL (revision + 1), whatever
    the clock says: two requests changing the same row at once both count."""

    @event.listens_for(model, "before_update")
    def _count(_mapper, _connection, target):
        target.revision = model.revision + 1
