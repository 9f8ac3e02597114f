"""The test databases: one per test process, migrated and loaded with the shipped content once, then kept.

A test normally runs inside a transaction that is rolled back (see `joined_session` in conftest.py), so the
database it leaves behind is the one it found. A test whose writes must really be committed (the app
serving a browser from another thread, a migration run) gets the database copied back from a template
afterwards: a file copy on SQLite, `CREATE DATABASE ... TEMPLATE` on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlalchemy.pool import NullPool

from webapp import create_app
from webapp.bundle import load_content
from webapp.content.files import Bundle
from webapp.extensions import db


def build(config: dict, bundle: Bundle) -> None:
    """Every migration from an empty database, then the shipped content."""
    app = create_app(config)
    with app.app_context():
        upgrade()
        load_content(bundle)
        db.engine.dispose()


class SQLiteDatabase:
    def __init__(self, folder: Path):
        self.path = folder / "test.db"
        self.template = folder / "template.db"
        self.url = f"sqlite:///{self.path}"

    def create(self, config: dict, bundle: Bundle) -> None:
        build({**config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.template}"}, bundle)
        # Fold the write-ahead log into the file, so that the file alone is the whole database.
        with sqlite3.connect(self.template) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        self.restore()

    def restore(self) -> None:
        """Put the template back; a connection left open keeps the old file and never sees the new one."""
        copy = self.path.with_suffix(".copy")
        shutil.copyfile(self.template, copy)
        for leftover in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            leftover.unlink(missing_ok=True)
        os.replace(copy, self.path)

    def drop(self) -> None:
        """The files live in pytest's temporary folder, which pytest cleans up itself."""


# SQLSTATE 42501: DROP DATABASE ... WITH (FORCE) may not end a session the role could not end itself, and an
# autovacuum worker tidying the database is one (it runs as no role). It finishes within moments on a test
# database, so the drop is tried again for up to DROP_PATIENCE seconds.
INSUFFICIENT_PRIVILEGE = "42501"
DROP_PATIENCE = 10.0


class PostgresDatabase:
    """Databases named after the one in DATABASE_URL, one per xdist worker; the role needs CREATEDB."""

    def __init__(self, url: str, worker: str):
        given = make_url(url)
        self.admin = create_engine(given, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.name = f"{given.database}_{worker}"
        self.template = f"{self.name}_template"
        self.url = given.set(database=self.name).render_as_string(hide_password=False)

    def _run(self, *statements: str) -> None:
        with self.admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))

    def _drop(self, name: str) -> None:
        """DROP DATABASE IF EXISTS ... WITH (FORCE), waiting out an autovacuum worker that is in it."""
        deadline = time.monotonic() + DROP_PATIENCE
        while True:
            try:
                self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except ProgrammingError as exc:
                if getattr(exc.orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def create(self, config: dict, bundle: Bundle) -> None:
        try:
            self._drop(self.name)
            self._drop(self.template)
            self._run(f'CREATE DATABASE "{self.template}"')
        except ProgrammingError as exc:
            role = self.admin.url.username
            raise RuntimeError(
                f"The test suite makes a database for each worker, so the PostgreSQL role {role!r} in "
                f"DATABASE_URL needs CREATEDB (ALTER ROLE {role} CREATEDB): {exc.orig}"
            ) from exc
        template_url = make_url(self.url).set(database=self.template).render_as_string(hide_password=False)
        build({**config, "SQLALCHEMY_DATABASE_URI": template_url}, bundle)
        self._run(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')

    def restore(self) -> None:
        self._drop(self.name)
        self._run(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')

    def drop(self) -> None:
        self._drop(self.name)
        self._drop(self.template)
        self.admin.dispose()
