"""Static files through WhiteNoise: brotli and gzip copies made once, module imports versioned, stylesheets without
their comments, versioned URLs kept a year, the rest revalidated."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qs

import brotli
from whitenoise import WhiteNoise

from . import assets
from .assets import css_without_comments, revisions_of, versioned_imports
from .security import static_headers

# A `?v=` URL names one revision of a file's bytes, so a browser may keep it for a year without asking again.
IMMUTABLE = "public, max-age=31536000, immutable"
# Anything else (the worker's precache fetches unversioned URLs) is checked on each use, cheaply, by its ETag.
REVALIDATE = "no-cache"
# Text compresses; images and fonts are compressed already.
COMPRESSIBLE = {".css", ".js", ".mjs", ".json", ".svg", ".html", ".txt", ".webmanifest", ".xml", ".map", ".ico"}
OLD_BUILD_SECONDS = 24 * 60 * 60
# Below this a gzip member's own header outweighs what it saves.
SMALLEST = 256
# The code that makes the copy (this file and assets.py, which rewrites what it copies), as part of the copy's name:
# a deploy that changes how the copy is made makes a new one, rather than serving one made the old way.
BUILD_CODE = hashlib.sha256(b"".join(Path(module).read_bytes() for module in (__file__, assets.__file__))).hexdigest()


class StaticFiles:
    """WSGI middleware in front of the app: serves /static/ from a compressed copy and sets how long it keeps."""

    def __init__(self, app, static_root: Path, build_root: Path, *, production: bool, live: bool):
        self.prefix = "/static/"
        self.static_root = static_root
        self.live = live
        # Read once per process unless live: a file changed under a running server is a development matter (and a
        # test that deploys one says so with assets.forget_revisions()). Looking at every file's time again for
        # each app made cost the test suite, which makes an app per test, about a third of each app's making.
        self.revisions = revisions_of(static_root, recheck=live)
        # In development the files change under us: serve them as they are, uncompressed, re-read each request.
        root = static_root if live else build(static_root, build_root, self.revisions)
        self.whitenoise = WhiteNoise(
            app,
            autorefresh=live,
            max_age=None,
            allow_all_origins=False,
            add_headers_function=lambda headers, path, url: _security(headers, path, production),
        )
        if live:
            self.whitenoise.add_files(str(root), prefix="static/")
        else:
            self.whitenoise.files = file_table(self.whitenoise, root, production)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix):
            return self.whitenoise.application(environ, start_response)
        name = path.removeprefix(self.prefix)
        revisions = revisions_of(self.static_root) if self.live else self.revisions
        asked = parse_qs(environ.get("QUERY_STRING", "")).get("v", [None])[0]
        # Only the current revision is immutable: an old page asking for an old `?v=` gets today's bytes, so
        # they must not be kept under that name.
        policy = IMMUTABLE if asked and asked == revisions.get(name) else REVALIDATE

        def start(status, headers, exc_info=None):
            headers = [(key, value) for key, value in headers if key.lower() != "cache-control"]
            headers.append(("Cache-Control", policy))
            return start_response(status, headers, exc_info)

        return self.whitenoise(environ, start)


# WhiteNoise's table of a build (each URL's file, size, encodings and headers), per build folder and production flag.
# A build folder never changes once made, so the table of one app serves the next app of the process that serves
# the same folder the same way: making it reads every file's metadata (about 30 ms), once per app otherwise.
_TABLES: dict[tuple[str, bool], dict] = {}


def file_table(whitenoise: WhiteNoise, root: Path, production: bool) -> dict:
    """The table of `root` for `whitenoise` (a fresh instance, no files yet), made by it the first time."""
    key = (str(root), production)
    if key not in _TABLES:
        whitenoise.add_files(str(root), prefix="static/")
        _TABLES[key] = whitenoise.files
    return _TABLES[key]


def _security(headers, path: str, production: bool) -> None:
    for key, value in static_headers(headers.get("Content-Type", ""), production=production).items():
        headers[key] = value


def compressed(data: bytes) -> list[tuple[str, bytes]]:
    """[(".br", ...), (".gz", ...)]: the encodings worth keeping beside a file (WhiteNoise serves the best one the
    browser takes). Brotli is about a fifth smaller than gzip on our CSS and JS; browsers send it over HTTPS."""
    packed = [(".br", brotli.compress(data, quality=11)), (".gz", gzip.compress(data, compresslevel=9, mtime=0))]
    return [(suffix, body) for suffix, body in packed if len(body) < len(data) * 0.95]


def build(static_root: Path, build_root: Path, revisions: dict[str, str]) -> Path:
    """A copy of static/ with `.br` and `.gz` beside each text file and each module's imports versioned, made
    once per set of revisions and shared by processes.

    The copy's folder is named after the revisions and the code that makes it (BUILD_CODE), written aside and
    renamed into place, so two processes starting together never see half a copy, and a deploy gets a fresh one.
    """
    digest = hashlib.sha256(repr((BUILD_CODE, sorted(revisions.items()))).encode()).hexdigest()[:16]
    target = build_root / digest
    if target.is_dir():
        return target
    build_root.mkdir(parents=True, exist_ok=True)
    draft = Path(tempfile.mkdtemp(prefix=".draft-", dir=build_root))
    try:
        for name in revisions:
            source = static_root / name
            copy = draft / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy)
            if source.suffix == ".js":
                copy.write_text(versioned_imports(name, source.read_text(encoding="utf-8"), revisions), "utf-8")
            if source.suffix == ".css":
                copy.write_text(css_without_comments(source.read_text(encoding="utf-8")), "utf-8")
            if source.suffix.lower() in COMPRESSIBLE and source.stat().st_size >= SMALLEST:
                data = copy.read_bytes()
                for suffix, packed in compressed(data):
                    copy.with_name(copy.name + suffix).write_bytes(packed)
        try:
            os.rename(draft, target)
        except OSError:
            if not target.is_dir():
                raise
    finally:
        if draft.exists():
            shutil.rmtree(draft, ignore_errors=True)
    forget_old_builds(build_root, target)
    return target


def forget_old_builds(build_root: Path, kept: Path) -> None:
    """Copies of earlier revisions go a day after they were made: time enough for a rolling deploy's old
    processes to stop, and the folder does not grow by a copy with every deploy."""
    made_before = time.time() - OLD_BUILD_SECONDS
    for folder in build_root.iterdir():
        if folder != kept and folder.is_dir() and folder.stat().st_mtime < made_before:
            shutil.rmtree(folder, ignore_errors=True)
