"""What runs each kind of job, the producers that queue work as it falls due, and the periodic tasks that keep
derived data up to date: one registry per app.

Features add theirs while the app is created (create_app calls each feature's `register_jobs`), never on import,
so two apps in one process (the tests make many) never share or double a handler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import Flask, current_app

# A handler gets the job's payload and the moment the runner runs at. It must be idempotent: a worker that dies
# after the work but before recording it leaves the job to be run again once its lease ends.
Handler = Callable[[dict, datetime], None]
# A producer gets the moment and queues (with `enqueue`, keyed so that nothing is queued twice) what is due by then.
Producer = Callable[[datetime], None]
# A task gets the moment and brings derived data up to date itself (it must be idempotent and cheap when there is
# nothing to do); it is not a job: nothing is queued, counted or retried, and a failure waits for the next turn.
Task = Callable[[datetime], None]

EXTENSION = "coresteady.jobs"


@dataclass
class Registry:
    handlers: dict[str, Handler] = field(default_factory=dict)
    producers: dict[str, Producer] = field(default_factory=dict)
    tasks: dict[str, Periodic] = field(default_factory=dict)


@dataclass
class Periodic:
    """A task and how often it runs; `last` is this process's last turn (each worker process keeps its own)."""

    task: Task
    every: timedelta
    last: datetime | None = None

    def due(self, now: datetime) -> bool:
        # A moment before the last turn (a clock set back, a test's moment) counts as due.
        return self.last is None or not self.last <= now < self.last + self.every


def registry(app: Flask | None = None) -> Registry:
    app = app or current_app
    return app.extensions.setdefault(EXTENSION, Registry())


def add_handler(app: Flask, kind: str, handler: Handler) -> None:
    handlers = registry(app).handlers
    if kind in handlers:
        raise ValueError(f"a handler for jobs of kind {kind!r} is already registered")
    handlers[kind] = handler


def add_producer(app: Flask, name: str, producer: Producer) -> None:
    producers = registry(app).producers
    if name in producers:
        raise ValueError(f"a producer named {name!r} is already registered")
    producers[name] = producer


def add_task(app: Flask, name: str, task: Task, every: timedelta) -> None:
    tasks = registry(app).tasks
    if name in tasks:
        raise ValueError(f"a task named {name!r} is already registered")
    tasks[name] = Periodic(task, every)
