"""The JSON API at /api/v1: sign-in first, then CSRF on writes, then each route's own checks."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, request
from flask_login import current_user

from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # checked below, after sign-in, so an expired login is never mistaken for a bad token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@bp.before_app_request
def _guard():
    # Runs for every path under /api/v1, even one that matches no route, before routing errors.
    if not request.path.startswith(bp.url_prefix + "/") and request.path != bp.url_prefix:
        return None
    if not current_user.is_authenticated:
        from ..errors import error_response

        return error_response(401, "You are not logged in, or your login has expired. Log in and try again.")
    if request.method not in SAFE_METHODS:
        csrf.protect()
    return None


def role_required(role: str):
    """403 JSON for a signed-in user of the wrong role (sign-in itself is checked by the guard)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if current_user.role != role:
                from ..errors import error_response

                return error_response(403, f"Only a {role} account can do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


from . import content, offline, openapi, plan, sessions, trainer  # noqa: E402,F401  (routes register on bp)
