"""Absolute links the app sends out (mail, invites, calendar feeds): built from BASE_URL, never from the request.

A request's Host (or X-Forwarded-Host behind a proxy) is whatever the sender wrote: a password reset asked for
with a forged Host would otherwise mail the victim a link to the attacker's server. Production requires BASE_URL
(config.finish); a development app without it uses the request's host only when that host is trusted.
"""

from __future__ import annotations

from flask import current_app, has_request_context, request, url_for
from werkzeug.exceptions import BadRequest
from werkzeug.sansio.utils import host_is_trusted

# Trusted for links when neither BASE_URL nor TRUSTED_HOSTS is set (development on this machine).
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


class UntrustedHost(BadRequest):
    """No BASE_URL, and the request came in under a host that is not trusted: no link can be built safely (400)."""


UNTRUSTED = "This server does not answer to that address. Open it at its own address and try again."


def link_base() -> str:
    """Where links point: BASE_URL, else (development) the request's own address if its host is trusted."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base
    trusted = current_app.config.get("TRUSTED_HOSTS") or LOCAL_HOSTS
    if not has_request_context() or not host_is_trusted(request.host, trusted):
        host = request.host if has_request_context() else "(no request)"
        current_app.logger.warning("No link built: BASE_URL is not set and the host %r is not in TRUSTED_HOSTS", host)
        raise UntrustedHost(UNTRUSTED)
    return request.url_root.rstrip("/")


def link_from(base: str, endpoint: str, **values) -> str:
    """The absolute URL of a route on a base checked earlier, built without a request (a job's message): the base
    says where the app is mounted, so the path is the route's own."""
    return base + current_app.url_map.bind("").build(endpoint, values)


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of a route, for a message or a page that leaves the app."""
    base = link_base()
    path = url_for(endpoint, **values)
    if has_request_context() and request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]  # BASE_URL already says where the app is mounted
    return base + path
