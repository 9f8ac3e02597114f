"""`make bench`, Lighthouse: mobile scores of Today, the library, an exercise, the player and the trainer's dashboard.

Lighthouse (npm, pinned in tools/lighthouse/, installed by `make bench` only) drives Debian's Chromium against the
app served on 127.0.0.1 as `make run` serves it (Werkzeug, SQLite, the demo data), logged in through a cookie
header. Its default mobile preset: a mid-range phone, slow 4G and a CPU four times slower, simulated. Targets
(issue 12): performance 95 or more, accessibility, best practices and SEO 100. Prints the scores and, under any
page short of a target, the audits that cost it points. Asserts nothing.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import threading
from pathlib import Path

from flask_migrate import upgrade
from werkzeug.serving import make_server

from webapp import create_app
from webapp.bundle import load_content
from webapp.demo import DEMO_PASSWORD, seed

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def session_cookie(app, email: str) -> str:
    http = app.test_client()
    response = http.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (email, response.status_code)
    return http.get_cookie("session").value


def lighthouse(url: str, cookie: str) -> dict:
    """Lighthouse's report of one page, mobile, in a fresh headless Chromium."""
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run",
        f"--extra-headers={json.dumps({'Cookie': f'session={cookie}'})}",
    ]  # fmt: skip
    # Headless Chromium now and then fails to start or answer under Lighthouse just after the load benchmarks
    # (exit 1, seen once in a full `make bench`); a second try runs in a fresh browser, and its reason is shown.
    for attempt in (1, 2):
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=300, env={**os.environ, "CHROME_PATH": CHROMIUM}
        )
        if run.returncode == 0:
            return json.loads(run.stdout)
        reason = (run.stderr.strip().splitlines() or ["(nothing on stderr)"])[-1]
        print(f"  Lighthouse failed on {url}, attempt {attempt} of 2: {reason}", flush=True)
    raise RuntimeError(f"Lighthouse failed twice on {url}")


def shortfalls(report: dict) -> list[str]:
    """The audits that cost a category points, for a page short of a target."""
    lines = []
    for name in CATEGORIES:
        category = report["categories"][name]
        if round(category["score"] * 100) >= TARGETS[name]:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lines.append(f"{name}: {audit['title']}{value}")
    return lines


def main() -> None:
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: make bench installs it (tools/lighthouse/package-lock.json)")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'lighthouse.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-secret-" + "x" * 32,
                          "WTF_CSRF_ENABLED": False, "CONTENT_AUTO_RELOAD": False,
                          "RATELIMIT_ENABLED": False})  # fmt: skip
        with app.app_context():
            upgrade()
            load_content()
            seed()
        client, trainer = session_cookie(app, "alex@example.com"), session_cookie(app, "coach@example.com")
        http = app.test_client()
        http.set_cookie("session", client)
        routine = http.get("/api/v1/plan").get_json()["routines"][0]["id"]
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        pages = [("Today", "/", client), ("Exercise library", "/exercises/", client),
                 ("An exercise", "/exercises/bird-dog", client), ("The player", f"/routines/{routine}/play", client),
                 ("Trainer's dashboard", "/trainer/", trainer)]  # fmt: skip
        reports = {}
        try:
            for name, path, cookie in pages:
                reports[name] = lighthouse(base + path, cookie)
        finally:
            server.shutdown()
            server.server_close()
            with app.app_context():
                from webapp.extensions import db

                db.engine.dispose()
    print("Lighthouse, mobile (simulated slow 4G, 4x CPU), demo data; targets: performance 95, the others 100:")
    print(f"  {'page':<22} {'perf':>5} {'a11y':>5} {'best':>5} {'SEO':>5}   LCP      CLS     TBT")
    for name, report in reports.items():
        scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
        audits = report["audits"]
        lcp, cls, tbt = (audits[a]["displayValue"] for a in ("largest-contentful-paint", "cumulative-layout-shift",
                                                             "total-blocking-time"))  # fmt: skip
        print(f"  {name:<22} {scores[0]:5} {scores[1]:5} {scores[2]:5} {scores[3]:5}   {lcp:<8} {cls:<7} {tbt}")
        for line in shortfalls(report):
            print(f"      {line}")


if __name__ == "__main__":
    main()
