"""Content hashes of the static files: cache-busting URLs and the worker's precache revisions.

A JavaScript module's revision covers the modules it imports, all the way down, because the served copy names
each import by its revision (`import ... from "./log.js?v=…"`, see `versioned_imports`): change log.js and
every module that reaches it gets a new URL, so a browser may keep every versioned module for a year and a
second visit asks the server for none of them.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from flask import current_app, url_for

_cache: dict[str, tuple[tuple, dict[str, str]]] = {}

# `from "./x.js"`, `import "./x.js"` and `import("./x.js")`, with a relative or /static/ path (our own modules).
IMPORT = re.compile(r"""(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.{1,2}/[^"'\s]+|/static/[^"'\s]+)\2""")
STATIC_PREFIX = "/static/"


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
    files = {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
    own = {name: hashlib.sha256(data).hexdigest()[:12] for name, data in files.items()}
    imports = {name: imported_names(name, data.decode()) for name, data in files.items() if name.endswith(".js")}
    revisions = dict(own)
    for name in imports:
        reached = sorted(_reachable(name, imports) & own.keys())
        if reached != [name]:
            revisions[name] = hashlib.sha256(" ".join(own[each] for each in reached).encode()).hexdigest()[:12]
    _cache[str(root)] = (stamp, revisions)
    return revisions


def _reachable(start: str, imports: dict[str, list[str]]) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += imports.get(name, [])
    return seen


def imported_name(importer: str, specifier: str) -> str:
    """The file under static/ that `specifier`, written in the module `importer` ('js/app.js'), names."""
    if specifier.startswith(STATIC_PREFIX):
        return posixpath.normpath(specifier.removeprefix(STATIC_PREFIX).split("?")[0])
    return posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier.split("?")[0]))


def imported_names(importer: str, source: str) -> list[str]:
    return [imported_name(importer, match.group(3)) for match in IMPORT.finditer(source)]


def versioned_imports(importer: str, source: str, revisions: dict[str, str]) -> str:
    """The module's source with each import of our own files naming its revision (`./log.js?v=3f2a9c1d0b7e`)."""

    def versioned(match: re.Match) -> str:
        keyword, quote, specifier = match.groups()
        revision = revisions.get(imported_name(importer, specifier))
        if revision is None or "?" in specifier:
            return match.group(0)
        return f"{keyword}{quote}{specifier}?v={revision}{quote}"

    return IMPORT.sub(versioned, source)


# A comment, or a quoted string (which may hold "/*" and is kept as it is). An unclosed comment runs to the end.
CSS_COMMENT_OR_STRING = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|/\*.*?(?:\*/|\Z)""", re.S)


def css_without_comments(source: str) -> str:
    """A stylesheet as the browser needs it: without its comments, and the lines they stood on. They say why a rule
    is there, for whoever reads the source, and were a fifth of app.css on the wire, in the bytes a first visit
    waits for before it draws anything. Our sheets write comments between rules or after a declaration, never
    inside a selector or a value, so taking them out joins no two tokens."""
    kept = CSS_COMMENT_OR_STRING.sub(lambda match: match[0] if match[0][0] in "\"'" else "", source)
    return re.sub(r"(?m)^[ \t]*\n", "", kept)


def forget_revisions() -> None:
    """Drop the cached hashes, as a restart after a deploy would."""
    _cache.clear()


def asset_url(filename: str) -> str:
    """The URL of a static file with its revision, so a deploy never serves a stale copy."""
    revision = static_revisions().get(filename)
    return url_for("static", filename=filename, v=revision) if revision else url_for("static", filename=filename)
