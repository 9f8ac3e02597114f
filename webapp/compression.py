"""Brotli or gzip for the app's own answers (pages, JSON, the worker script); static files are compressed ahead
by WhiteNoise (webapp/static_files.py)."""

from __future__ import annotations

import gzip

import brotli
from flask import Response, request

# Text that compresses; images, PDFs and downloads are left alone.
MIMETYPES = {
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/calendar",
    "application/json",
    "application/javascript",
    "text/javascript",
    "application/manifest+json",
    "image/svg+xml",
}
# Below this the gzip header and the work outweigh what is saved.
SMALLEST = 500
# Level 6 is zlib's default: nearly all of level 9's saving for a page at a fraction of the time.
LEVEL = 6
# Brotli's quality 5 makes a player page (33 KB) about 9% smaller than gzip's level 6 in about 2 ms; from 9 up it
# takes ten times as long for little more (measured on this app's pages).
BROTLI_QUALITY = 5


def encoding_taken() -> str | None:
    """The best encoding the browser takes: brotli (browsers offer it over HTTPS), else gzip, else none."""
    if request.accept_encodings["br"] > 0:
        return "br"
    return "gzip" if request.accept_encodings["gzip"] > 0 else None


def encoded(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def compress(response: Response) -> Response:
    """The response compressed when the browser takes brotli or gzip and it is worth it, unchanged otherwise."""
    if response.mimetype not in MIMETYPES:
        return response
    size = response.calculate_content_length()  # None for a stream or a file passed through
    if size is not None and size < SMALLEST:
        return response  # never compressed, whatever the browser takes: it does not vary (most JSON answers)
    # Whether gzipped or not, a cache must keep the two forms apart.
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code != 200
        or "Content-Encoding" in response.headers
    ):
        return response
    encoding = encoding_taken()
    if encoding is None:
        return response
    response.set_data(encoded(response.get_data(), encoding))
    response.headers["Content-Encoding"] = encoding
    # The same ETag for both forms would let a cache mix them up; a weak one still answers If-None-Match.
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response
