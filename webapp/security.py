"""Security headers on every response, and one log for the events an operator should see."""

from __future__ import annotations

import logging

from flask import Flask, request, session

log = logging.getLogger("coresteady.security")

# No inline script or style anywhere: every script and stylesheet is a file the app serves.
PAGE_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "media-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# An SVG opened on its own is a document: let its own styles and animation run, nothing else.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), screen-wake-lock=(self)"


def log_event(event: str, **fields) -> None:
    details = " ".join(f"{key}={value!r}" for key, value in fields.items())
    log.info("%s ip=%s %s", event, request.remote_addr if request else "-", details)


def static_headers(mimetype: str, *, production: bool) -> dict[str, str]:
    """The headers every answer carries, pages and static files alike (WhiteNoise serves those outside Flask)."""
    is_svg = mimetype.split(";")[0].strip() == "image/svg+xml"
    headers = {
        "Content-Security-Policy": SVG_POLICY if is_svg else PAGE_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Permissions-Policy": PERMISSIONS,
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if production:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        production = app.config.get("APP_ENV") == "production"
        headers = static_headers(response.mimetype or "", production=production)
        # A signed-in answer may hold health data: no browser or proxy keeps a copy (the offline package is the
        # service worker's own cache, which this does not touch). "_user_id" is where Flask-Login keeps the login.
        if session.get("_user_id") is not None:
            headers["Cache-Control"] = "private, no-store"
        # Each header unless the view set its own (one pass: werkzeug's setdefault searches the list each time).
        present = {key.lower() for key, _ in response.headers.items()}
        for key, value in headers.items():
            if key.lower() not in present:
                response.headers.add(key, value)
        return response
