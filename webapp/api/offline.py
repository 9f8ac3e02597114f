"""GET /api/v1/offline-manifest: the URLs the signed-in user needs offline, and their version."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from ..pwa.services import offline_package
from . import bp


@bp.get("/offline-manifest")
def offline_manifest():
    response = jsonify(offline_package(current_user))
    # One user's list: never kept by a shared cache, always asked afresh.
    response.headers["Cache-Control"] = "no-store"
    return response
