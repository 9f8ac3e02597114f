"""The long-running worker: runs what is due every few seconds, and stops cleanly on SIGTERM or SIGINT."""

from __future__ import annotations

import logging
import signal
import threading

from flask import Flask
from sqlalchemy.exc import OperationalError

from ..extensions import db
from ..timeutil import utcnow
from .services import run_due

log = logging.getLogger("coresteady.jobs")

POLL_SECONDS = 5.0


def run_forever(app: Flask, poll_seconds: float = POLL_SECONDS, stop: threading.Event | None = None) -> None:
    """Poll until `stop` is set (a signal sets it); a job under way is finished first, never cut off."""
    stop = stop or threading.Event()
    restore = _stop_on_signals(stop)
    log.info("Job worker started; polling every %s s", poll_seconds)
    try:
        while not stop.is_set():
            _one_pass(app, stop)
            stop.wait(poll_seconds)
    finally:
        for signum, handler in restore.items():
            signal.signal(signum, handler)
    log.info("Job worker stopped")


def _one_pass(app: Flask, stop: threading.Event) -> None:
    with app.app_context():
        try:
            report = run_due(utcnow(), stop=stop.is_set)
            if report.ran:
                log.info("%s", report)
        except OperationalError as exc:
            # The database is away (restarting, unreachable): nothing was claimed, so nothing is lost. Try again.
            db.session.rollback()
            log.warning("Job worker cannot reach the database; trying again shortly: %s", exc.orig)
        except Exception:
            db.session.rollback()
            log.exception("Job worker pass failed; trying again shortly")
        finally:
            db.session.remove()


def _stop_on_signals(stop: threading.Event) -> dict:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals reach the main thread only; a worker run in a thread is stopped through `stop`
    restore = {}
    for signum in (signal.SIGTERM, signal.SIGINT):
        restore[signum] = signal.signal(signum, lambda *_: _set_apart(stop))
    return restore


def _set_apart(stop: threading.Event) -> None:
    """Set `stop` from a thread of its own. A signal's handler runs in the main thread, wherever that thread is:
    landing while it held the event's lock (inside stop.wait), a handler calling stop.set() waited for that lock
    forever and the worker never stopped. The helper waits instead, until the main thread lets go."""
    threading.Thread(target=stop.set, name="stop-on-signal", daemon=True).start()
