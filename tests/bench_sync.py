"""`make bench`, sync under load: sessions per second sent one per POST, fifty per POST, and sent again (duplicates).

gunicorn with two sync workers on 127.0.0.1 serves the demo data from SQLite (or `BENCH_DATABASE_URL`, emptied
first); `wrk` (Debian's) posts to /api/v1/sessions for a few seconds as the demo client, with a Lua script that
gives every session a fresh UUID, so each one is really stored. The figures that matter are ratios in the same run:
a single POST against /healthz, sessions/s in batches of 50 against single POSTs, a duplicate against a new session,
and a batch of 50 sent again (a phone that never heard the answer) against 50 new ones.
Also prints the SQL statements each kind of request runs. Asserts nothing beyond every answer being what was meant.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import sys
import tempfile
import urllib.request
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import event

from tests.servers import (
    BENCH_AGENT,
    BENCH_ROUNDS,
    bench_client,
    medians_of_rounds,
    serve_on_free_port,
    wrk_rate,
)
from webapp import create_app
from webapp.auth.models import User
from webapp.bundle import load_content
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db
from webapp.programs.services import active_assignment
from webapp.timeutil import utcnow

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "alex@example.com"
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))
BATCH = 50

SCRIPT = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "session=COOKIE"
wrk.headers["X-CSRFToken"] = "TOKEN"
wrk.headers["User-Agent"] = "AGENT"
local template = [[TEMPLATE]]
local head, tail = string.match(template, "^(.-)SESSION_ID(.*)$")
local count = COUNT
local fixed = FIXED
local body = [[BODY]]
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

local prefix
local sent = 0

function init(args)
  math.randomseed(os.time() * 1000 + number * 7919)
  -- A random prefix per thread and a counter: ids unique in the run and across runs, made with one format each,
  -- so that wrk spends its share of the two cores on sending rather than on making ids.
  prefix = string.format("%04x%04x-%04x-4%03x-", math.random(0, 65535), math.random(0, 65535),
    math.random(0, 65535), math.random(0, 4095))
end

local function uuid()
  sent = sent + 1
  return string.format("%s%x%03x-%012x", prefix, 8 + number % 4, number, sent)
end

function request()
  if body ~= "" then
    return wrk.format(nil, "/api/v1/sessions", nil, body)
  end
  local items = {}
  for i = 1, count do
    items[i] = fixed and template or head .. uuid() .. tail
  end
  return wrk.format(nil, "/api/v1/sessions", nil, '{"sessions": [' .. table.concat(items, ",") .. ']}')
end
"""


def wrk(port: int, path: str, cookie: str, script: str = "") -> float:
    """Requests per second: /healthz with the login's cookie, a sync POST as the Lua script makes it."""
    headers = None if script else {"Cookie": f"session={cookie}", "User-Agent": BENCH_AGENT}
    return wrk_rate(port, path, SECONDS, headers, script)


def settle(url: str) -> None:
    """Fold SQLite's write-ahead log back into the database between measures: each measure starts from the same
    kind of file, rather than reading through the log the one before left (thousands of pages after the batches).
    On PostgreSQL, vacuum and analyse the tables the measures write, so that autovacuum does not wake in the middle
    of one (the batches' rounds went from 2,245 to 5,194 sessions/s in one run without it)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elif url.startswith("postgresql"):
        with psycopg.connect(re.sub(r"^postgresql\+\w+://", "postgresql://", url), autocommit=True) as connection:
            connection.execute("VACUUM (ANALYZE) completed_sessions, session_exercises")


def script(cookie: str, token: str, template: dict, count: int, fixed: bool = False, body: dict | None = None) -> str:
    return (
        SCRIPT.replace("COOKIE", cookie)
        .replace("AGENT", BENCH_AGENT)
        .replace("TOKEN", token)
        .replace("COUNT", str(count))
        .replace("FIXED", "true" if fixed else "false")
        .replace("[[TEMPLATE]]", "[[" + json.dumps(template) + "]]")
        .replace("[[BODY]]", "[[" + (json.dumps(body) if body else "") + "]]")
    )


def post(port: int, cookie: str, token: str, body: dict) -> list[str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/sessions",
        data=json.dumps(body).encode(),
        headers={
            "Cookie": f"session={cookie}",
            "X-CSRFToken": token,
            "Content-Type": "application/json",
            "User-Agent": BENCH_AGENT,
        },
    )
    return [r["status"] for r in json.loads(urllib.request.urlopen(request, timeout=120).read())["results"]]


def statements(app, cookie: str, token: str, body: dict) -> int:
    http = bench_client(app)
    http.set_cookie("session", cookie)
    with app.app_context():
        engine = db.engine
    seen = []

    def remember(*args):
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", remember)
    try:
        response = http.post("/api/v1/sessions", json=body, headers={"X-CSRFToken": token})
        assert response.status_code == 200, response.status_code
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    return len(seen)


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: ./.ci/install-packages wrk")
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'sync.db'}"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret-" + "x" * 32, "CONTENT_AUTO_RELOAD": "0"}
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["SECRET_KEY"],
                          "CONTENT_AUTO_RELOAD": False})  # fmt: skip
        with app.app_context():
            if url.startswith("postgresql"):
                db.drop_all()
                db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
                db.session.commit()
            upgrade()
            load_content()
            seed()
            alex = db.session.execute(db.select(User).where(User.email == EMAIL)).scalar_one()
            routine = active_assignment(alex).program.weeks[0].routines[0]
            exercises = [item.exercise.slug for item in routine.items]
            routine_id = routine.id
        http = bench_client(app)
        page = http.get("/auth/login").get_data(as_text=True)
        login_token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        response = http.post("/auth/login", data={"email": EMAIL, "password": DEMO_PASSWORD, "csrf_token": login_token})
        assert response.status_code == 302, response.status_code
        token = re.search(r'name="csrf-token" content="([^"]+)"', http.get("/").get_data(as_text=True)).group(1)
        cookie = http.get_cookie("session").value
        ended = utcnow() - timedelta(hours=1)
        template = {
            "id": "SESSION_ID", "routine_id": routine_id, "started_at": (ended - timedelta(minutes=15)).isoformat(),
            "completed_at": ended.isoformat(), "pain_before": 3, "pain_after": 3, "effort": 4, "notes": "",
            "exercises": [{"exercise": slug, "sets_done": 1, "reps_done": 8} for slug in exercises],
        }  # fmt: skip
        known = dict(template, id="5f0e6a52-8a51-4c1e-9a7b-1f6c2d3e4a5b")

        def fresh(n: int) -> dict:
            return {"sessions": [dict(template, id=str(uuid.uuid4())) for _ in range(n)]}

        resent = fresh(BATCH)
        counts = {
            "one new session": statements(app, cookie, token, fresh(1)),
            "batch": statements(app, cookie, token, fresh(BATCH)),
            "one duplicate": statements(app, cookie, token, {"sessions": [known]})
            and statements(app, cookie, token, {"sessions": [known]}),
            # A phone that never heard the answer sends its whole outbox again: 50 sessions already stored.
            "resent": statements(app, cookie, token, resent) and statements(app, cookie, token, resent),
        }
        # Served once gunicorn's own log says it listens: another server on a port taken meanwhile cannot pass for it.
        port, server = serve_on_free_port(
            lambda port: [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
                          "info", "wsgi:app"],
            Path(folder) / "gunicorn.log", "Listening at: http://127.0.0.1:", cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            for _ in range(4):  # each worker imports and warms up on its first requests, outside the timing
                assert post(port, cookie, token, fresh(1)) == ["created"]
                assert post(port, cookie, token, fresh(BATCH)) == ["created"] * BATCH
                assert post(port, cookie, token, {"sessions": [known]})[0] in ("created", "duplicate")
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30).read()
            measures = (
                ("healthz", "/healthz", None, 1),
                ("single", "/api/v1/sessions", script(cookie, token, template, 1), 1),
                ("batch", "/api/v1/sessions", script(cookie, token, template, BATCH), BATCH),
                ("duplicate", "/api/v1/sessions", script(cookie, token, known, 1, fixed=True), 1),
                ("resent", "/api/v1/sessions", script(cookie, token, known, 1, body=resent), BATCH),
            )

            def take(path, lua, per_request):
                settle(url)
                return wrk(port, path, cookie, lua) * per_request

            rates, ranges = medians_of_rounds(
                {name: partial(take, path, lua, per_request) for name, path, lua, per_request in measures}
            )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"Sync under load (gunicorn 2 workers, wrk -t2 -c20 -d{SECONDS}s, median of {BENCH_ROUNDS}, {kind}, "
        "demo client):"
    )
    print(f"  GET /healthz                      {rates['healthz']:8.0f} req/s")
    print(f"  one session per POST              {rates['single']:8.0f} sessions/s   ÷ /healthz "
          f"{rates['single'] / rates['healthz']:5.2f}   {counts['one new session']:3d} SQL statements")  # fmt: skip
    print(f"  {BATCH} sessions per POST             {rates['batch']:8.0f} sessions/s   ÷ single "
          f"{rates['batch'] / rates['single']:5.1f}×   {counts['batch']:3d} SQL statements")  # fmt: skip
    print(f"  one duplicate per POST            {rates['duplicate']:8.0f} sessions/s   ÷ new "
          f"{rates['duplicate'] / rates['single']:5.2f}×   {counts['one duplicate']:3d} SQL statements")  # fmt: skip
    # The two targets pull against each other: the cheaper a new session, the harder a duplicate is to make twice as
    # cheap. A duplicate against /healthz is what both rest on: it must reach 0.3 times 2, 0.6, for both to hold.
    print(f"  one duplicate per POST ÷ /healthz {rates['duplicate'] / rates['healthz']:5.2f}   (both targets above "
          "need 0.60)")  # fmt: skip
    print(f"  {BATCH} duplicates per POST           {rates['resent']:8.0f} sessions/s   ÷ {BATCH} new "
          f"{rates['resent'] / rates['batch']:5.2f}×   {counts['resent']:3d} SQL statements")  # fmt: skip
    # How far the rounds strayed: a ratio whose two medians each moved by a tenth can move by a fifth.
    print(f"  rounds ranged (per second): {ranges}")


if __name__ == "__main__":
    main()
