"""`make bench`, reads under load: requests per second of the plan, Today and the offline package against /healthz.

gunicorn with two sync workers on 127.0.0.1 serves the demo data from SQLite; `wrk` (Debian's) sends each URL for a
few seconds with a logged-in client's cookie. The figure that matters is the ratio to /healthz in the same run,
which cancels out how busy the machine is. Also prints the SQL statements each request runs once the program's
structure is kept. Asserts nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import urllib.request
from functools import partial
from pathlib import Path

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
from webapp.bundle import load_content
from webapp.demo import DEMO_PASSWORD, seed
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[1]
EMAIL = "alex@example.com"
URLS = ("/healthz", "/api/v1/plan", "/", "/api/v1/offline-manifest")
SECONDS = int(os.environ.get("BENCH_SECONDS", "4"))


def requests_per_second(port: int, path: str, cookie: str) -> float:
    # Asking for gzip as every browser does: the app compresses its answers, and that is part of what a read costs.
    headers = {"Cookie": f"session={cookie}", "User-Agent": BENCH_AGENT, "Accept-Encoding": "gzip, deflate"}
    return wrk_rate(port, path, SECONDS, headers)


def statements_per_request(app, cookie: str) -> dict[str, int]:
    http = bench_client(app)
    http.set_cookie("session", cookie)
    counts = {}
    with app.app_context():
        engine = db.engine
    for path in URLS:
        # The first request reads the program's structure, which every later one finds kept (programs/structure.py).
        assert http.get(path).status_code == 200, path
        seen = []

        def remember(*args, seen=seen):
            seen.append(args[2])

        event.listen(engine, "before_cursor_execute", remember)
        try:
            assert http.get(path).status_code == 200, path
        finally:
            event.remove(engine, "before_cursor_execute", remember)
        counts[path] = len(seen)
    return counts


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: ./.ci/install-packages wrk")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'reads.db'}"
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret-" + "x" * 32, "CONTENT_AUTO_RELOAD": "0"}
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["SECRET_KEY"], "WTF_CSRF_ENABLED": False,
                          "CONTENT_AUTO_RELOAD": False})  # fmt: skip
        with app.app_context():
            upgrade()
            load_content()
            seed()
        http = bench_client(app)
        response = http.post("/auth/login", data={"email": EMAIL, "password": DEMO_PASSWORD})
        assert response.status_code == 302, response.status_code
        cookie = http.get_cookie("session").value
        counts = statements_per_request(app, cookie)
        # Served once gunicorn's own log says it listens: another server on a port taken meanwhile cannot pass for it.
        port, server = serve_on_free_port(
            lambda port: [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
                          "info", "wsgi:app"],
            Path(folder) / "gunicorn.log", "Listening at: http://127.0.0.1:", cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        try:
            for path in URLS:  # each worker imports and warms up on its first requests, outside the timing
                for _ in range(4):
                    request = urllib.request.Request(
                        f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"session={cookie}"}
                    )
                    urllib.request.urlopen(request, timeout=30).read()
            rates, ranges = medians_of_rounds({path: partial(requests_per_second, port, path, cookie) for path in URLS})
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    base = rates["/healthz"]
    print(f"Reads under load (gunicorn 2 workers, wrk -t2 -c20 -d{SECONDS}s, median of {BENCH_ROUNDS}, gzip taken, "
          "SQLite, demo client):")  # fmt: skip
    for path in URLS:
        print(f"  GET {path:<28} {rates[path]:8.0f} req/s   ÷ /healthz {rates[path] / base:5.2f}   "
              f"{counts[path]:3d} SQL statements")  # fmt: skip
    print(f"  rounds ranged (req/s): {ranges}")


if __name__ == "__main__":
    main()
