"""Files handed to a person to keep (exports, spreadsheets): personal data that no cache may hold."""

from __future__ import annotations

from flask import Response


def attachment(body: str, mimetype: str, filename: str) -> Response:
    """A download saved under filename; never kept by a shared cache or the browser's disk cache."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
