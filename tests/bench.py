"""`make bench`: how long the trainer's dashboard takes for 1,000 clients with 200 sessions each (200,000 in all)
and with 20 each, on SQLite and, with BENCH_DATABASE_URL, on PostgreSQL too.

Prints figures and asserts nothing: the constant query count is asserted in tests/test_trainer.py; this shows the
time a trainer would wait. The page is timed once the job worker's refresh has kept every client's row
(trainer/summaries.py), as it has in a running deployment; "every row worked out" is the page without kept rows.
Run with `python -m tests.bench [clients] [sessions per client]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert
from werkzeug.security import generate_password_hash

from webapp import create_app
from webapp.auth.models import User
from webapp.bundle import load_content
from webapp.extensions import db
from webapp.programs.models import Assignment
from webapp.programs.services import starter_program
from webapp.sessions.models import CheckIn, CompletedSession, RedFlagScreen, SessionExercise
from webapp.sessions.schedule import Plan
from webapp.timeutil import utcnow
from webapp.trainer import dashboard

PASSWORD = "bench-password-123"
RUNS = 5
SESSIONS = 200  # per client: 1,000 clients with 200,000 sessions between them


def build(clients: int, per_client: int) -> tuple[int, int]:
    """One trainer and their clients, written in bulk: returns (trainer id, sessions written)."""
    password_hash = generate_password_hash(PASSWORD)
    trainer = User(email="coach@bench.example", name="Bench Coach", role="trainer", password_hash=password_hash)
    db.session.add(trainer)
    db.session.commit()
    db.session.execute(
        insert(User),
        [
            {"email": f"client{n}@bench.example", "name": f"Client {n:04}", "role": "client",
             "password_hash": password_hash, "trainer_id": trainer.id, "timezone": "UTC"}
            for n in range(clients)
        ],
    )  # fmt: skip
    client_ids = list(db.session.execute(db.select(User.id).where(User.trainer_id == trainer.id)).scalars())
    program = starter_program("core-foundations")
    now = utcnow()
    today = now.date()
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=program_weeks(program) - 1)
    plan = Plan(program, start)
    db.session.execute(
        insert(Assignment),
        [{"client_id": cid, "family": program.family, "program_id": program.id, "start_date": start,
          "assigned_by_id": trainer.id} for cid in client_ids],
    )  # fmt: skip
    # Every other day, planned or not (a session on a rest day still counts), back from yesterday.
    days = sorted(today - timedelta(days=2 * n + 1) for n in range(per_client))
    sessions, exercises, checks, screens = [], [], [], []
    session_id = 0
    for index, cid in enumerate(client_ids):
        # Every fifth client went quiet a while ago; the others vary a little so the flags vary too.
        own_days = days[: max(1, len(days) - 6)] if index % 5 == 0 else days
        for number, day in enumerate(own_days):
            session_id += 1
            routine = plan.routine_on(day) or program.weeks[0].routines[0]
            # A minute after the hour the bench runs, so that yesterday's session's next morning is always still to
            # come: at a fixed 08:00, a run after 08:00 UTC saw one check-in more per client and no safety check due.
            end = datetime.combine(day, now.time(), UTC) + timedelta(minutes=1)
            pain = 3 + (index + number) % 4
            sessions.append({
                "id": session_id, "uuid": str(uuid.uuid4()), "user_id": cid, "routine_id": routine.id,
                "program_id": program.id, "started_at": end - timedelta(minutes=20), "completed_at": end,
                "local_date": day, "pain_before": pain, "pain_after": min(10, pain + index % 3 - 1),
                "effort": 3 + index % 5, "notes": "", "content_hash": "0" * 64, "received_at": end,
            })  # fmt: skip
            for position, item in enumerate(routine.items):
                exercises.append({
                    "session_id": session_id, "position": position, "exercise_id": item.exercise_id,
                    "sets_done": item.sets, "reps_done": item.reps, "hold_seconds": item.hold_seconds,
                    "painful": (index + number + position) % 97 == 0,
                })  # fmt: skip
            # The next morning is a little better than the session's start, as a rule; every 40th client had one
            # bad morning (6 or more: the safety check is due again) after the session before last.
            morning = end + timedelta(days=1)
            bad = index % 40 == 1 and number == len(own_days) - 2
            if morning <= now:  # every session's but yesterday's, whose morning is still to come
                checks.append({"user_id": cid, "kind": "next-day", "pain": 6 if bad else max(0, pain - 1),
                               "session_id": session_id, "created_at": morning})  # fmt: skip
        checks.append({"user_id": cid, "kind": "baseline", "pain": 4, "session_id": None,
                       "created_at": datetime.combine(start, clock(7, 0), UTC)})  # fmt: skip
        outcome = "same-day" if index % 50 == 0 else "clear"
        answered = datetime.combine(start, clock(7, 0), UTC)
        screens.append({"uuid": str(uuid.uuid4()), "user_id": cid, "signs": ["fever"] if outcome != "clear" else [],
                        "outcome": outcome, "answered_at": answered, "created_at": answered})  # fmt: skip
        # The player asks again every 6 weeks, so someone training every other day answered within the last 6.
        again = now - timedelta(days=index % 40 + 1)
        screens.append({"uuid": str(uuid.uuid4()), "user_id": cid, "signs": [], "outcome": "clear",
                        "answered_at": again, "created_at": again})  # fmt: skip
    for table, rows in ((CompletedSession, sessions), (SessionExercise, exercises), (CheckIn, checks),
                        (RedFlagScreen, screens)):  # fmt: skip
        db.session.execute(insert(table), rows)
    db.session.commit()
    return trainer.id, len(sessions)


def program_weeks(program) -> int:
    return len(program.weeks)


def timed(action, engine) -> tuple[float, int]:
    statements = []

    def remember(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", remember)
    started = time.perf_counter()
    try:
        action()
    finally:
        elapsed = time.perf_counter() - started
        event.remove(engine, "before_cursor_execute", remember)
    return elapsed * 1000, len(statements)


def report(label: str, runs: list[tuple[float, int]]) -> float:
    times = [ms for ms, _ in runs]
    print(f"  {label:<34} median {statistics.median(times):7.0f} ms   best {min(times):7.0f} ms   "
          f"queries {runs[-1][1]}")  # fmt: skip
    return statistics.median(times)


def measure(url: str, clients: int, per_client: int, pages: bool) -> float:
    """Builds the data afresh in `url` and prints the dashboard's figures; returns the whole page's median."""
    kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "CONTENT_AUTO_RELOAD": False})  # fmt: skip
    if kind == "SQLite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    with app.app_context():
        if kind == "PostgreSQL":
            db.drop_all()
            db.session.execute(db.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        upgrade()
        load_content()
        started = time.perf_counter()
        trainer_id, written = build(clients, per_client)
        print(f"Dashboard bench on {kind}: {clients} clients, {written} sessions "
              f"(written in {time.perf_counter() - started:.1f} s)")  # fmt: skip
        engine = db.engine
        if kind == "PostgreSQL":
            # What autovacuum does soon after a bulk load: statistics, and the visibility map index-only scans use.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(db.text("VACUUM ANALYZE"))
        trainer = db.session.get(User, trainer_id)
        rows = dashboard.client_rows(trainer)
        flagged = sum(1 for r in rows if r.concerns)
        print(f"  {len(rows)} rows, {flagged} flagged, {sum(1 for r in rows if r.ready)} ready to progress")
        kinds = Counter(flag.kind for row in rows for flag in {f.kind: f for f in row.flags}.values())
        print("  clients per flag: " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
        # The page as it was before rows were kept (and as it is for rows out of step): three runs, it takes seconds.
        report("every row worked out (kept=False)", [timed(lambda: dashboard.client_rows(trainer, kept=False), engine)
                                                     for _ in range(3)])  # fmt: skip
        # What the job worker does every few minutes: afterwards the page reads the kept rows.
        started = time.perf_counter()
        written = dashboard.refresh()
        print(f"  kept rows written by the worker's refresh: {written} in {time.perf_counter() - started:.1f} s")
        kept = dashboard.client_rows(trainer)
        same = [dashboard.row_payload(r) for r in kept] == [dashboard.row_payload(r) for r in rows]
        print(f"  kept rows used: {sum(r.kept for r in kept)}; the same as worked out: {'yes' if same else 'NO'}")
        report("kept rows (client_rows)", [timed(lambda: dashboard.client_rows(trainer), engine)
                                           for _ in range(RUNS)])  # fmt: skip
    http = app.test_client()
    http.post("/auth/login", data={"email": "coach@bench.example", "password": PASSWORD})
    measured = (("GET /trainer/ (whole page)", "/trainer/"),)
    if pages:
        measured += (("GET /trainer/?show=flagged", "/trainer/?show=flagged"),
                     ("GET /api/v1/trainer/clients", "/api/v1/trainer/clients"))  # fmt: skip
    page = 0.0
    for label, path in measured:
        runs = []
        for _ in range(RUNS):
            response = None

            def fetch(path=path):
                nonlocal response
                response = http.get(path)

            runs.append(timed(fetch, engine))
            assert response.status_code == 200, response.status_code
        median = report(label, runs)
        page = page or median
        print(f"  {'':34} {len(response.get_data()) / 1024:.0f} KB")
    with app.app_context():
        # A second after the day ends for every client (they all live in UTC): without the next rows the worker keeps
        # ahead, the first dashboard opened then would work every row out, as "every row worked out" above.
        midnight = dashboard.next_midnight(utcnow(), "UTC")
        dashboard.refresh(midnight - timedelta(minutes=5))
        trainer = db.session.get(User, trainer_id)
        after = midnight + timedelta(seconds=1)
        kept = dashboard.client_rows(trainer, now=after)
        fresh = dashboard.client_rows(trainer, now=after, kept=False)
        same = [dashboard.row_payload(r) for r in kept] == [dashboard.row_payload(r) for r in fresh]
        print(f"  a second past midnight: kept rows used {sum(r.kept for r in kept)}; "
              f"the same as worked out: {'yes' if same else 'NO'}")  # fmt: skip
        report("a second past midnight (kept)",
               [timed(lambda: dashboard.client_rows(trainer, now=after), engine) for _ in range(RUNS)])  # fmt: skip
        db.engine.dispose()
    return page


def main(clients: int = 1000, per_client: int = SESSIONS) -> None:
    """The given size, and a tenth of its sessions for comparison: the page should barely grow with history.
    On SQLite, and on PostgreSQL too with BENCH_DATABASE_URL=postgresql://... (that database is emptied first)."""
    with tempfile.TemporaryDirectory() as folder:
        urls = [f"sqlite:///{Path(folder) / 'bench.db'}"]
        if os.environ.get("BENCH_DATABASE_URL"):
            urls.append(os.environ["BENCH_DATABASE_URL"])
        for url in urls:
            small = measure(url, clients, max(1, per_client // 10), pages=False)
            large = measure(url, clients, per_client, pages=True)
            print(f"  whole page, {per_client} sessions per client ÷ {max(1, per_client // 10)}: {large / small:.2f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
