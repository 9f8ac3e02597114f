"""Content hashes of the static files: cache-busting URLs and the worker's precache revisions."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, url_for

_cache: dict[str, tuple[tuple, dict[str, str]]] = {}


def _stamp(root: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in root.rglob("*") if p.is_file()))


def static_revisions() -> dict[str, str]:
    """{'css/app.css': '3f2a9c1d0b7e', ...} for every file under static/, recomputed when one changes."""
    return revisions_of(Path(current_app.static_folder), recheck=current_app.debug)


def revisions_of(root: Path, *, recheck: bool = True) -> dict[str, str]:
    """The revisions of the files under root; with recheck, recomputed when a file's size or time moves."""
    cached = _cache.get(str(root))
    if cached and not recheck:
        return cached[1]
    stamp = _stamp(root)
    if cached and cached[0] == stamp:
        return cached[1]
    revisions = {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    _cache[str(root)] = (stamp, revisions)
    return revisions


def forget_revisions() -> None:
    """Drop the cached hashes, as a restart after a deploy would."""
    _cache.clear()


def asset_url(filename: str) -> str:
    """The URL of a static file with its revision, so a deploy never serves a stale copy."""
    revision = static_revisions().get(filename)
    return url_for("static", filename=filename, v=revision) if revision else url_for("static", filename=filename)
