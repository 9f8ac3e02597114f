"""The job runner: queued with the row that caused it, run once when due, retried with backoff, never lost."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.jobs.registry import add_handler, add_producer
from webapp.jobs.services import LEASE, MAX_ATTEMPTS, GiveUp, enqueue, retry_delay, run_due
from webapp.jobs.worker import _stop_on_signals

ROOT = Path(__file__).resolve().parent.parent


class Recorder:
    """A handler that notes what it was given, and fails while told to."""

    def __init__(self, failures: int = 0, error: type[Exception] = RuntimeError):
        self.calls: list[dict] = []
        self.failures = failures
        self.error = error
        self.lock = threading.Lock()

    def __call__(self, payload: dict, now) -> None:
        with self.lock:
            self.calls.append(payload)
            if self.failures:
                self.failures -= 1
                raise self.error("the service is away")


def jobs_in(app) -> list[Job]:
    with app.app_context():
        return list(db.session.execute(db.select(Job).order_by(Job.id)).scalars())


def test_a_job_is_queued_with_the_transaction_that_caused_it(app):
    with app.app_context():
        enqueue("mail", {"to": "a@example.com"})
        db.session.rollback()
        assert jobs_in(app) == []
        enqueue("mail", {"to": "a@example.com"})
        db.session.commit()
    [job] = jobs_in(app)
    assert (job.kind, job.status, job.payload, job.attempts) == ("mail", "queued", {"to": "a@example.com"}, 0)


def test_a_key_queues_a_job_once_even_after_it_ran(app, now):
    recorder = Recorder()
    add_handler(app, "greeting", recorder)
    with app.app_context():
        enqueue("greeting", {"n": 1}, run_at=now, key="greeting:7:2026-07-02")
        enqueue("greeting", {"n": 2}, run_at=now, key="greeting:7:2026-07-02")
        db.session.commit()
        assert run_due(now).done == 1
        enqueue("greeting", {"n": 3}, run_at=now, key="greeting:7:2026-07-02")
        db.session.commit()
        assert run_due(now).ran == 0
    assert recorder.calls == [{"n": 1}]


def test_producers_run_first_and_a_job_waits_for_its_moment(app, now):
    recorder = Recorder()
    add_handler(app, "greeting", recorder)

    def remind_at_eight(moment):
        eight = moment.replace(hour=8, minute=0, second=0, microsecond=0)
        enqueue("greeting", {"day": eight.date().isoformat()}, run_at=eight, key=f"greeting:{eight.date()}")

    add_producer(app, "greetings", remind_at_eight)
    with app.app_context():
        early = now.replace(hour=7, minute=59)
        assert run_due(early).ran == 0
        assert recorder.calls == []
        assert run_due(early + timedelta(minutes=1)).done == 1
        assert run_due(early + timedelta(minutes=2)).ran == 0
    assert recorder.calls == [{"day": now.date().isoformat()}]


def test_a_failing_job_is_tried_again_later_with_backoff_then_given_up(app, now):
    recorder = Recorder(failures=99)
    add_handler(app, "chore", recorder)
    with app.app_context():
        enqueue("chore", {"to": "a@example.com"}, run_at=now)
        db.session.commit()
        moment = now
        for attempt in range(1, MAX_ATTEMPTS):
            report = run_due(moment)
            assert (report.retried, report.failed) == (1, 0)
            [job] = jobs_in(app)
            assert job.status == "queued"
            assert job.run_at == moment + retry_delay(attempt)
            assert job.last_error == "RuntimeError: the service is away"
            assert run_due(job.run_at - timedelta(seconds=1)).ran == 0, "not before its retry is due"
            moment = job.run_at
        assert run_due(moment).failed == 1
    [job] = jobs_in(app)
    assert (job.status, job.attempts) == ("failed", MAX_ATTEMPTS)
    assert job.finished_at is not None
    assert len(recorder.calls) == MAX_ATTEMPTS
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=4)
    assert retry_delay(30) == timedelta(hours=1)


def test_a_job_that_cannot_succeed_fails_at_once(app, now):
    add_handler(app, "chore", Recorder(failures=1, error=GiveUp))
    with app.app_context():
        enqueue("chore", {}, run_at=now)
        db.session.commit()
        assert run_due(now).failed == 1
    [job] = jobs_in(app)
    assert (job.status, job.attempts, job.last_error) == ("failed", 1, "GiveUp: the service is away")


def test_a_job_that_succeeds_after_a_failure_is_done(app, now):
    recorder = Recorder(failures=1)
    add_handler(app, "chore", recorder)
    with app.app_context():
        enqueue("chore", {}, run_at=now)
        db.session.commit()
        run_due(now)
        assert run_due(now + retry_delay(1)).done == 1
    [job] = jobs_in(app)
    assert (job.status, job.attempts, job.last_error, job.claimed_by) == ("done", 2, None, None)


def test_a_crashed_workers_job_is_run_again_once_its_lease_ends(app, clock, now):
    recorder = Recorder()
    add_handler(app, "chore", recorder)
    with app.app_context():
        enqueue("chore", {"to": "a@example.com"}, run_at=now)
        db.session.commit()
        # A worker claimed it and died: the row says running, held until the lease ends.
        job = db.session.execute(db.select(Job)).scalar_one()
        job.status, job.attempts, job.claimed_by = "running", 1, "dead-worker"
        job.claimed_until = now + LEASE
        db.session.commit()
        assert run_due(now).ran == 0, "a live lease is respected"
        clock.shift(LEASE + timedelta(seconds=1))
        assert run_due(now + LEASE + timedelta(seconds=1)).done == 1
    [job] = jobs_in(app)
    assert (job.status, job.attempts) == ("done", 2)
    assert recorder.calls == [{"to": "a@example.com"}]


def test_a_job_of_a_kind_this_worker_does_not_know_waits_for_one_that_does(app, now):
    with app.app_context():
        enqueue("from-a-newer-release", {}, run_at=now)
        db.session.commit()
        assert run_due(now).ran == 0
    [job] = jobs_in(app)
    assert job.status == "queued"


def test_a_broken_producer_holds_up_nothing_else(app, now, caplog):
    recorder = Recorder()
    add_handler(app, "chore", recorder)

    def broken(_moment):
        raise ZeroDivisionError

    add_producer(app, "broken", broken)
    with app.app_context():
        enqueue("chore", {}, run_at=now)
        db.session.commit()
        assert run_due(now).done == 1
    assert "Job producer broken failed" in caplog.text


def test_finished_jobs_are_forgotten_after_thirty_days(app, now):
    add_handler(app, "chore", Recorder())
    with app.app_context():
        enqueue("chore", {}, run_at=now)
        db.session.commit()
        run_due(now)
        run_due(now + timedelta(days=29))
        assert len(jobs_in(app)) == 1
        run_due(now + timedelta(days=31))
        assert jobs_in(app) == []


def test_a_handler_is_registered_once_per_kind(app):
    with pytest.raises(ValueError, match="already registered"):
        add_handler(app, "mail", Recorder())


@pytest.mark.committed
def test_workers_side_by_side_run_each_job_exactly_once(app, now):
    recorder = Recorder()
    add_handler(app, "chore", recorder)
    with app.app_context():
        for n in range(40):
            enqueue("chore", {"n": n}, run_at=now)
        db.session.commit()
    start = threading.Barrier(3)
    errors = []

    def worker():
        try:
            with app.app_context():
                start.wait()
                run_due(now)
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(call["n"] for call in recorder.calls) == list(range(40))
    assert {job.status for job in jobs_in(app)} == {"done"}


def test_jobs_once_runs_what_is_due_at_the_moment_given(app, runner, now):
    recorder = Recorder()
    add_handler(app, "greeting", recorder)
    with app.app_context():
        enqueue("greeting", {"n": 1}, run_at=now + timedelta(hours=1))
        db.session.commit()
    at = (now + timedelta(minutes=59)).isoformat()
    result = runner.invoke(args=["jobs", "--once", "--at", at])
    assert result.exit_code == 0, result.output
    assert "Ran 0 jobs" in result.output
    result = runner.invoke(args=["jobs", "--once", "--at", (now + timedelta(hours=1)).isoformat()])
    assert "Ran 1 jobs: 1 done, 0 to try again later, 0 failed." in result.output
    assert recorder.calls == [{"n": 1}]


def test_jobs_at_needs_an_offset_and_goes_with_once(runner):
    result = runner.invoke(args=["jobs", "--once", "--at", "2026-07-01T08:00"])
    assert result.exit_code == 2
    assert "has no offset" in result.output
    result = runner.invoke(args=["jobs", "--once", "--at", "tomorrow"])
    assert "is not an ISO 8601 date and time" in result.output
    result = runner.invoke(args=["jobs", "--at", "2026-07-01T08:00Z"])
    assert result.exit_code == 2
    assert "--at goes with --once" in result.output


@pytest.mark.committed
def test_the_worker_sends_queued_mail_and_stops_cleanly_on_sigterm(app, database_url):
    with app.app_context():
        enqueue("mail", {"to": "a@example.com", "subject": "Hello", "body": "From the worker"})
        db.session.commit()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x" * 40, "CONTENT_AUTO_RELOAD": "0"}
    env.pop("APP_ENV", None)
    env.pop("MAIL_SERVER", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "--poll", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    try:
        for line in worker.stdout:
            seen.append(line)
            if "Ran 1 jobs: 1 done" in line:
                break
        worker.send_signal(signal.SIGTERM)
        # Generous: in CI this runs niced beside the browser tests, and a starved process can take a minute.
        rest, _ = worker.communicate(timeout=180)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
        worker.stdout.close()  # else a later test reports the pipe left open
    output = "".join(seen) + rest
    assert "message to a@example.com: Hello" in output
    assert "Job worker stopped" in output
    assert worker.returncode == 0
    assert {job.status for job in jobs_in(app)} == {"done"}


class _SetFrom(threading.Event):
    """A stop event that remembers which thread set it."""

    def set(self):
        self.setter = threading.current_thread()
        super().set()


@pytest.mark.committed  # waits on a thread (sleeping fails under the faked clock)
def test_a_stop_signal_is_handled_without_taking_a_lock_the_worker_may_hold(app):
    """SIGTERM's handler runs in the worker's own thread, which may be inside stop.wait() holding the event's lock
    at that moment: the event is set from another thread, which waits for the lock, never the handler."""
    assert threading.current_thread() is threading.main_thread()  # else SIGTERM would end the test process
    stop = _SetFrom()
    restore = _stop_on_signals(stop)
    try:
        os.kill(os.getpid(), signal.SIGTERM)  # handled here, before os.kill returns
        assert stop.wait(30)
    finally:
        for signum, handler in restore.items():
            signal.signal(signum, handler)
    assert stop.setter is not threading.main_thread()
