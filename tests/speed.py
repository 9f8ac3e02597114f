"""Work the test apps of one process share, so that a fresh app for every test costs milliseconds.

Every test gets an app of its own (`app` in conftest.py), and building one used to cost more than most
tests: Werkzeug compiles two URL builders per route as Python code (about 30 ms for the app's routes),
and each app's Jinja environment compiled every template it rendered again (about 10 ms a template).
Both results depend only on their input, so the apps of a process share them; nothing else of an app is
shared, and the app's own behaviour is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from sqlalchemy.engine import Engine
from werkzeug.routing.rules import Rule


class TemplatesInMemory(BytecodeCache):
    """Jinja's bytecode cache (its public hook for this), kept in a dict for the life of the process.

    Jinja checks each template's source against the checksum stored with its bytecode, so a template
    edited on disk is compiled afresh.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@contextmanager
def url_builders_shared() -> Iterator[None]:
    """Reuse the URL builder Werkzeug compiled for the same rule in an earlier app of this process.

    `Rule._compile_builder` (Werkzeug 3.1, pinned in requirements.txt) turns the rule's text, its parsed
    parts and its defaults into a function that reads everything else from the rule it is bound to; so
    the function made for one app's rule serves the same rule in the next app. Should a Werkzeug upgrade
    rename the method, nothing is patched and the suite is only slower.
    """
    compile_builder: Callable | None = getattr(Rule, "_compile_builder", None)
    if compile_builder is None:
        yield
        return
    builders: dict[tuple, Callable] = {}

    def shared(rule: Rule, append_unknown: bool = True) -> Callable:
        key = (rule.rule, tuple(rule._trace), repr(sorted((rule.defaults or {}).items())), append_unknown)
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    Rule._compile_builder = shared
    try:
        yield
    finally:
        Rule._compile_builder = compile_builder


@contextmanager
def engines_shared() -> Iterator[None]:
    """Give the apps made meanwhile the engine an earlier app of this process made for the same URL and options.

    SQLAlchemy keeps each statement's compiled form in its engine, so a fresh engine for every test compiled
    every query again (a tenth of a test's time). Flask-SQLAlchemy makes each app's engine in `_make_engine`
    (an internal method; the version is pinned in requirements.txt); the engine serves any app the same way.
    Only the pool is per test: the `app` fixture still disposes it at the end of each test.
    """
    make_engine: Callable = SQLAlchemy._make_engine

    def shared(extension, bind_key, options, app):
        key = (bind_key, repr(sorted((name, repr(value)) for name, value in options.items())))
        if key not in _ENGINES:
            _ENGINES[key] = make_engine(extension, bind_key, options, app)
        return _ENGINES[key]

    SQLAlchemy._make_engine = shared
    try:
        yield
    finally:
        SQLAlchemy._make_engine = make_engine


_ENGINES: dict[tuple, Engine] = {}
