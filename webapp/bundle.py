"""Loads the content shipped with the app (lessons, exercises, starter programs) all or nothing, and again on change."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from .content.files import DATA_DIR, Bundle, ContentError, fingerprint, read_bundle
from .content.loader import set_version, stored_version, write_library
from .extensions import db
from .programs.starters import write_starter_programs

log = logging.getLogger("coresteady.content")


def load_content(bundle: Bundle | None = None) -> Bundle:
    """Validate everything first, then write it all or nothing."""
    bundle = bundle or read_bundle()
    try:
        exercises = write_library(bundle)
        write_starter_programs(bundle, exercises)
        set_version(bundle.version)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    log.info("Loaded content version %s", bundle.version)
    return bundle


class AutoReloader:
    """Checks the files at most every few seconds and reloads the content when they changed."""

    def __init__(self, interval: float = 2.0, root: Path = DATA_DIR):
        self.interval = interval
        self.root = root
        self.checked_at = 0.0
        self.seen: tuple | None = None

    def __call__(self) -> None:
        if not current_app.config.get("CONTENT_AUTO_RELOAD"):
            return
        now = time.monotonic()
        if now - self.checked_at < self.interval:
            return
        self.checked_at = now
        stamp = fingerprint(self.root)
        if stamp == self.seen:
            return
        try:
            bundle = read_bundle(self.root)
            if stored_version() != bundle.version:
                load_content(bundle)
            self.seen = stamp
        except ContentError as exc:
            self.seen = stamp  # do not retry a broken file on every request; wait for the next edit
            log.error("Content not reloaded, the files have a problem: %s", exc)
        except SQLAlchemyError:
            db.session.rollback()  # schema not there yet (before init-db): try again later
