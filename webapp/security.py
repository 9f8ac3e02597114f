"""Security headers on every response, and one log for the events an operator should see."""

from __future__ import annotations

import logging

from flask import Flask, request

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


def register(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        is_svg = response.mimetype == "image/svg+xml"
        response.headers.setdefault("Content-Security-Policy", SVG_POLICY if is_svg else PAGE_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("APP_ENV") == "production":
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
