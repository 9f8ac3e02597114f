"""What the installed app keeps on the phone: the app shell (precache) and each user's offline package."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import render_template, request, url_for

from ..assets import asset_url, static_revisions
from ..content import services as content
from ..content.loader import stored_version
from ..programs.personal import doses_digest, doses_of
from ..programs.structure import active_plan
from ..sessions import red_flags
from ..sessions.onboarding import is_onboarded
from ..sessions.schedule import plan_for

# The app shell: what the pages kept offline need, precached by the worker with a revision per file: the core
# stylesheet (css/app.css) and each area's that such a page links (the player's, the muscles page's), every script.
SHELL_FILES = ("img/nav.svg",)
SHELL_FOLDERS = ("css/", "js/", "icons/")
NOT_SHELL = (
    # Install-sheet pictures and the install icons: the browser fetches them when the app is installed, online,
    # and never shows them inside the app (pages show icon.svg; a notification icon-192.png). Safari reads the
    # apple-touch-icon when a page is added to the Home Screen, online too.
    "icons/screenshot-",
    "icons/icon-512",
    "icons/icon-maskable",
    "icons/apple-touch-icon",
    # The trainer's and the builder's pages are never kept offline: their sheets and scripts come from the network
    # (and the browser's cache) like any versioned file, and a phone never downloads them for nothing.
    "css/trainer.css",
    "css/builder.css",
    "js/builder/",
    "js/print.js",
    "js/upload.js",
    "js/alerts.js",
)


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


def shell_files() -> list[str]:
    """The static files of the app shell, as paths under static/ ('css/app.css', 'js/app.js', ...)."""
    return [
        name
        for name in static_revisions()
        if (name in SHELL_FILES or name.startswith(SHELL_FOLDERS))
        and not name.startswith(NOT_SHELL)
        and name.endswith((".css", ".js", ".svg", ".png"))
    ]


def offline_page() -> str:
    return render_template("pwa/offline.html")


def precache_entries() -> list[dict[str, str]]:
    """[{url, revision}] for the worker; the offline page's revision is the hash of what it renders."""
    revisions = static_revisions()
    entries = [{"url": url_for("static", filename=name), "revision": revisions[name]} for name in shell_files()]
    page = hashlib.sha256(offline_page().encode()).hexdigest()[:12]
    entries.append({"url": url_for("pwa.offline"), "revision": page})
    return entries


# What the package's URLs are made of that depends only on the static files' revisions and the URL map, kept
# per process while the revisions are the same ones (a deploy, or a file changed in development, makes new ones).
_kept: dict[str, tuple[object, str, object]] = {}


def _per_revisions(name: str, build):
    revisions = static_revisions()
    root = request.script_root
    kept = _kept.get(name)
    if kept is None or kept[0] is not revisions or kept[1] != root:
        kept = _kept[name] = (revisions, root, build())
    return kept[2]


def _url(endpoint: str, **values) -> str:
    """url_for, kept: the package names the same pages for everyone."""
    urls = _per_revisions("urls", dict)
    key = (endpoint, *sorted(values.items()))
    found = urls.get(key)
    if found is None:
        found = urls[key] = url_for(endpoint, **values)
    return found


def _asset(filename: str) -> str:
    urls = _per_revisions("assets", dict)
    found = urls.get(filename)
    if found is None:
        found = urls[filename] = asset_url(filename)
    return found


def _illustrations(exercises) -> list[str]:
    # Only drawings that exist: every URL of the package must answer 200. A trainer's own picture is
    # served from /media/ under a hashed URL, so it is cached whole like the drawings.
    revisions = static_revisions()
    drawings = [_asset(e.illustration) for e in exercises if e.illustration in revisions]
    pictures = [e.illustration for e in exercises if e.illustration.startswith("/media/")]
    return drawings + pictures


def package_urls(user, program=None) -> list[str]:
    """Every URL the user needs offline (program: the structure of the client's current plan, programs.structure);
    each answers 200 for this user."""
    exercises = content.reachable_exercises(user, lean=True)  # archived ones still in routines too
    # Every page below is kept as its own parts; this puts each back together on the phone (templating.page_part).
    urls = [_url("pwa.page_shell")]
    # Pages that would redirect this user (onboarding not finished) stay out; the players are fetched as the
    # package (see below), which the server answers whatever the safety screen says.
    if user.role == "client":
        urls += [_url("home.index")] if is_onboarded(user) else []
        urls.append(_url("sessions.history"))
        # The thread: a message written offline is saved on the phone and shown there as waiting to send.
        urls.append(_url("messages.thread_page"))
        # The safety screen and every result page: an answer given offline shows its page at once.
        urls.append(_url("sessions.safety"))
        urls += [_url("sessions.safety_result", level=level) for level in red_flags.LEVELS]
    urls.append(_url("content.lesson_list"))
    urls += [_url("content.lesson_detail", slug=lesson.slug) for lesson in content.active_lessons(lean=True)]
    urls.append(_url("content.exercise_list"))
    urls += [_url("content.exercise_detail", slug=e.slug) for e in exercises]
    urls += _illustrations(exercises)
    urls.append(_url("content.muscles"))
    if program is not None:
        # Today's page redraws itself from this when its cached copy is opened on a later day.
        urls.append(_url("api.get_plan"))
    if program is not None:
        # Every player, whatever the person's standing: each copy opens the safety screen first while an answer
        # is due (static/js/safety/gate.js), and an answer given offline can unlock it without the network.
        urls += [_url("sessions.play", routine_id=routine.id) for week in program.weeks for routine in week.routines]
    urls += _per_revisions("shell", lambda: [asset_url(name) for name in shell_files()])
    return list(dict.fromkeys(urls))


def offline_package(user, today: date) -> dict:
    """{"version", "urls"}: the version moves with the content, the plan, the user or any static file.
    today: the day in the user's zone."""
    assignment, program = active_plan(user) if user.role == "client" else (None, None)
    urls = package_urls(user, program)
    # Everything /api/v1/plan is made from, so the copy on the phone is replaced whenever the plan moves
    # (a followed program is never edited in place: a new version has a new id).
    # The client's own doses too: the player pages kept on the phone carry them.
    plan = (
        [
            assignment.id,
            assignment.program_id,
            # A trainer edits their own exercises in place: the players and pages kept on the phone show them.
            program.exercises_digest,
            assignment.start_date.isoformat(),
            assignment.day_list,
            doses_digest(doses_of(assignment)),
            # Which program week each calendar week runs: a repeated week moves every later day's routine.
            [run.number for run in plan_for(assignment, today, program).runs],
        ]
        if assignment
        else None
    )
    version = _digest(
        {
            "user": user.id,
            "content": stored_version(),
            "plan": plan,
            "static": static_digest(),
            "urls": urls,
        }
    )
    return {"version": version, "urls": urls}


def static_digest() -> str:
    """A digest of every static file's revision, made once per set of revisions."""
    return _per_revisions("digest", lambda: _digest(static_revisions()))


def made_from_in_process() -> tuple[str, str]:
    """What a kept answer with URLs in it is made from that lives in the process rather than the database: the
    static files' revisions and the prefix the app is served under (sessions.kept: the package's list, Today)."""
    return static_digest(), request.script_root
