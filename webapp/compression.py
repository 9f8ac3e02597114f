"""Gzip for the app's own answers (pages, JSON, the worker script); static files are compressed ahead by WhiteNoise."""

from __future__ import annotations

import gzip

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


def accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def compress(response: Response) -> Response:
    """The response gzipped when the browser takes gzip and it is worth it, unchanged otherwise."""
    if response.mimetype not in MIMETYPES:
        return response
    # Whether gzipped or not, a cache must keep the two forms apart.
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code != 200
        or "Content-Encoding" in response.headers
        or not accepts_gzip()
    ):
        return response
    data = response.get_data()
    if len(data) < SMALLEST:
        return response
    response.set_data(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    # The same ETag for both forms would let a cache mix them up; a weak one still answers If-None-Match.
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response
