"""The job runner: queue work in the caller's transaction, claim what is due under a lease, run it, retry with backoff.

The state lives in the app's own database, so nothing is sent twice or lost across restarts or several app
processes, and a job queued beside the row that caused it (a reset request, a message) is committed with it or not
at all. Work is claimed one job at a time and committed as claimed before it runs, so the sending itself (SMTP, a
push service) happens outside any transaction. See docs/architecture.md, "Job runner".
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..timeutil import utcnow
from .models import Job
from .registry import registry

log = logging.getLogger("coresteady.jobs")

# A worker that has not finished a job by then is taken for dead, and the job is run again.
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
# Retries wait 1, 2, 4, 8 minutes...: long enough for a mail server's restart, never longer than an hour.
RETRY_FIRST = timedelta(minutes=1)
RETRY_LONGEST = timedelta(hours=1)
# Finished jobs are kept this long (their keys with them, so a keyed job is not queued again meanwhile); a done
# job without what it carried, a failed one with it, for whoever looks into why it failed.
KEEP_FINISHED = timedelta(days=30)
MAX_ERROR = 2000


class GiveUp(Exception):
    """Raised by a handler when trying again cannot help (the job is marked failed at once)."""


@dataclass
class Report:
    done: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def ran(self) -> int:
        return self.done + self.retried + self.failed

    def __str__(self) -> str:
        return f"Ran {self.ran} jobs: {self.done} done, {self.retried} to try again later, {self.failed} failed."


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict
    attempts: int
    worker: str


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:100]


def enqueue(kind: str, payload: dict, run_at: datetime | None = None, key: str | None = None) -> None:
    """Queue a job in the caller's transaction (the caller commits). A key already queued or done: nothing happens."""
    values = {
        "kind": kind,
        "key": key,
        "payload": payload,
        "run_at": run_at or utcnow(),
        "status": "queued",
        "attempts": 0,
        "created_at": utcnow(),
    }
    builder = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = builder(Job).values(**values)
    if key is not None:
        statement = statement.on_conflict_do_nothing(index_elements=["key"])
    db.session.execute(statement)


def retry_delay(attempts: int) -> timedelta:
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_LONGEST)


def _claim(now: datetime, worker: str) -> Claimed | None:
    """Take the next due job: queued and due at `now`, or running under a lease that has ended.

    Only kinds this app has a handler for: during a deploy an older worker leaves a newer kind to a newer worker.
    """
    candidate = Job.__table__.alias("candidate")
    due = and_(
        candidate.c.kind.in_(sorted(registry().handlers)),
        or_(
            and_(candidate.c.status == "queued", candidate.c.run_at <= now),
            and_(candidate.c.status == "running", candidate.c.claimed_until < utcnow()),
        ),
    )
    # PostgreSQL: SKIP LOCKED lets several workers claim side by side. SQLite leaves out FOR UPDATE; there the
    # single UPDATE is atomic because SQLite lets one writer in at a time.
    first_due = (
        select(candidate.c.id)
        .where(due)
        .order_by(candidate.c.run_at, candidate.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(Job)
        .where(Job.id == first_due)
        .values(status="running", claimed_by=worker, claimed_until=utcnow() + LEASE, attempts=Job.attempts + 1)
        .returning(Job.id, Job.kind, Job.payload, Job.attempts)
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(statement).first()
    db.session.commit()
    return Claimed(row.id, row.kind, row.payload or {}, row.attempts, worker) if row else None


def _settle(job: Claimed, **values) -> None:
    # Only the claim that ran it may settle it: if its lease ran out and another worker took it, that one decides.
    statement = (
        update(Job)
        .where(Job.id == job.id, Job.claimed_by == job.worker, Job.attempts == job.attempts)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(statement)
    db.session.commit()


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR]


def run_one(now: datetime, worker: str, report: Report) -> bool:
    """Claim and run one due job; False when nothing is due."""
    job = _claim(now, worker)
    if job is None:
        return False
    handler = registry().handlers[job.kind]
    try:
        if job.attempts > MAX_ATTEMPTS:
            raise GiveUp("the worker stopped during the last attempt, and every attempt is used")
        handler(job.payload, now)
    except Exception as exc:
        db.session.rollback()
        if isinstance(exc, GiveUp) or job.attempts >= MAX_ATTEMPTS:
            log.error("Job %s (%s) failed for good after %s attempts: %s", job.id, job.kind, job.attempts, exc)
            _settle(job, status="failed", finished_at=utcnow(), last_error=_error_text(exc))
            report.failed += 1
        else:
            log.warning("Job %s (%s) failed, attempt %s; trying again later: %s", job.id, job.kind, job.attempts, exc)
            _settle(job, status="queued", run_at=now + retry_delay(job.attempts), last_error=_error_text(exc))
            report.retried += 1
    else:
        # What a done job carried is not needed again (its key is what keeps it from being queued twice): a mail's
        # address, words and links, a person's id, are not kept for KEEP_FINISHED beside it.
        _settle(job, status="done", finished_at=utcnow(), last_error=None, payload={})
        report.done += 1
    return True


def run_producers(now: datetime) -> None:
    for name, producer in registry().producers.items():
        try:
            producer(now)
            db.session.commit()
        except Exception:
            # One broken producer must not hold up the others, nor the jobs already queued.
            db.session.rollback()
            log.exception("Job producer %s failed at %s", name, now.isoformat())


def run_tasks(now: datetime) -> None:
    """Each periodic task whose turn has come (at most once per its period in this process)."""
    for name, periodic in registry().tasks.items():
        if not periodic.due(now):
            continue
        try:
            periodic.task(now)
            db.session.commit()
        except Exception:
            # Derived data only: the next turn tries again, and nothing waits on it meanwhile.
            db.session.rollback()
            log.exception("Periodic task %s failed at %s", name, now.isoformat())
        periodic.last = now


def forget_finished(now: datetime) -> int:
    statement = delete(Job).where(Job.status.in_(("done", "failed")), Job.finished_at < now - KEEP_FINISHED)
    removed = db.session.execute(statement.execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return removed or 0


def run_due(now: datetime | None = None, stop: Callable[[], bool] | None = None) -> Report:
    """Queue what the producers say is due at `now`, run every job due by then, then the periodic tasks whose turn
    has come (after the jobs: mail and reminders should not wait on derived data)."""
    now = now or utcnow()
    worker = worker_name()
    report = Report()
    run_producers(now)
    forget_finished(now)
    while not (stop and stop()) and run_one(now, worker, report):
        pass
    if not (stop and stop()):
        run_tasks(now)
    return report


def queued(kind: str | None = None) -> list[Job]:
    """Jobs not yet finished, oldest first (for the operator and the tests)."""
    query = select(Job).where(Job.status.in_(("queued", "running"))).order_by(Job.run_at, Job.id)
    if kind:
        query = query.where(Job.kind == kind)
    return list(db.session.execute(query).scalars())
