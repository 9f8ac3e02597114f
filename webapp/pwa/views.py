"""The installable app: the web app manifest, the service worker at the root, and the offline page."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask_login import login_required

from ..assets import asset_url, static_revisions, versioned_imports
from .services import offline_page, precache_entries

bp = Blueprint("pwa", __name__)

# A manifest has one of each, for the splash screen and the bar while the app starts; once a page is up, its two
# theme-color metas (templates/base.html) follow the phone's light or dark setting.
THEME = "#0f5f5c"
BACKGROUND = "#f4f7f6"
# static/sw.js carries this where the server writes the precache list.
PRECACHE_MARKER = "/* precache */ []"


def _icon(name: str, size: int, purpose: str) -> dict:
    return {"src": asset_url(f"icons/{name}"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}


def _screenshot(name: str, label: str) -> dict:
    return {
        "src": asset_url(f"icons/{name}"),
        "sizes": "390x844",
        "type": "image/png",
        "form_factor": "narrow",
        "label": label,
    }


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "id": "/",
        "name": "CoreSteady",
        "short_name": "CoreSteady",
        "description": "Guided exercise for lower back pain that works offline, with your trainer in the loop.",
        "lang": "en",
        "dir": "ltr",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "categories": ["health", "fitness", "medical"],
        "icons": [
            _icon("icon-192.png", 192, "any"),
            _icon("icon-512.png", 512, "any"),
            _icon("icon-maskable-192.png", 192, "maskable"),
            _icon("icon-maskable-512.png", 512, "maskable"),
        ],
        "screenshots": [
            _screenshot("screenshot-welcome.png", "Short guided routines for lower back pain"),
            _screenshot("screenshot-lessons.png", "Lessons on why moving helps and how to do it safely"),
        ],
    }
    response = make_response(json.dumps(body, indent=2))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    source = Path(current_app.static_folder, "sw.js").read_text(encoding="utf-8")
    if PRECACHE_MARKER not in source:
        raise RuntimeError(f"static/sw.js has lost its precache marker {PRECACHE_MARKER!r}")
    # The worker imports the page's own modules, by revision like the pages do (webapp/assets.py).
    source = versioned_imports("sw.js", source, static_revisions())
    body = source.replace(PRECACHE_MARKER, json.dumps(precache_entries()), 1)
    response = make_response(body)
    response.mimetype = "application/javascript"
    # The browser must check for a new worker on every visit; a deploy changes this file's bytes.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/offline")
def offline():
    response = make_response(offline_page())
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline/shell")
@login_required
def page_shell():
    """The app's shell around every page, for this user, with a marked place for each part of a page: the phone
    keeps it once in the offline package and puts each page kept there back together with it
    (static/js/pageshell.js; the pages are fetched as their parts alone, webapp/templating.py). A person who opens
    it (a navigation) is taken to Today: on its own it is a page of empty places."""
    if request.headers.get("Sec-Fetch-Mode") == "navigate":
        return redirect(url_for("home.index"))
    return render_template("pwa/shell.html", page_part=False, page_shell=True)
