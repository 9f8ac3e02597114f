"""The dashboard's kept rows: what each was worked out from (its fingerprint), reading them, and writing them.

A client's dashboard row (trainer/dashboard.row_for) is a function of the client's records and of the clock.
The records it reads are only ever added to (sessions with their exercises, check-ins, red-flag answers: none is
changed, and only the account's deletion removes them, with the account), so a count says whether any was added
since a row was worked out. Counting a client's whole history would cost more as it grows, so each kept row
counts from a point: per table, the newest row that had arrived SETTLED or more before the row was worked out
(`starts`). Ids are handed out in order of arrival and no write takes minutes, so every row that was still being
committed then, and every row added since, lies after that point: the count of a client's rows after it changes
with any new one, even a session that a slow transaction committed after a later one (which the highest id
alone would miss). Through the (client, id) indexes that is a seek and a few rows per client, whatever the history.
The client's highest id is read too, for the one way an id can be handed out again (SQLite, after the rows above
it were deleted with an account).

The rest of what the row reads is the client's zone and their plan (the newest active assignment: its program
version, which never changes once assigned, start day and training days), written into the fingerprint as they
are. The names of exercises marked painful are checked apart, against the names the row shows
(dashboard.usable_names). The code itself is in it too (a digest of the app's Python files), so a release that
changes a rule or its words never serves a row the previous release worked out. What the clock alone changes is
bounded by the row's `valid_until`. Shortly before that moment the worker also keeps the row as it will read from
then on (`next_shown`, until `next_until`), worked out from the same records under the same fingerprint: when a
zone's day ends, the rows of everyone living there move on to the kept next ones instead of all being worked out
by the first dashboard opened.

The fingerprint is always read before the records a row is worked out from: a record added in between leaves
the kept row with an older fingerprint than its contents, so it is worked out again rather than trusted.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..auth.models import User
from ..extensions import db
from ..programs.models import Assignment
from ..sessions.models import CheckIn, CompletedSession, RedFlagScreen
from .models import DashboardSummary


@cache
def code_digest() -> str:
    """A digest of every Python file of the app, read once per process: the release the rows were worked out by."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


# Longer than any write transaction can last (a request is cut off after a minute at most): a row that arrived this
# long ago was committed, or never will be, before anything that arrives now.
SETTLED = timedelta(minutes=15)
Starts = tuple[int, int, int]  # per table: sessions, check-ins, red-flag answers


def _tables():
    K = DashboardSummary
    return (
        (CompletedSession, CompletedSession.received_at, K.sessions_from),
        (CheckIn, CheckIn.created_at, K.check_ins_from),
        (RedFlagScreen, RedFlagScreen.created_at, K.answers_from),
    )


def starts(now: datetime) -> Starts:
    """Per table, the id of the newest row that arrived SETTLED before now (0 when none): read from the newest row
    down, so only the rows of the last minutes are looked at."""
    found = []
    for model, arrived, _ in _tables():
        query = db.select(model.id).where(arrived < now - SETTLED).order_by(model.id.desc()).limit(1)
        found.append(db.session.execute(query).scalar() or 0)
    return found[0], found[1], found[2]


@dataclass(frozen=True)
class Kept:
    """One client's fingerprint now, the program their plan follows, and their kept rows if there are any: the row
    until `valid_until`, and the one worked out ahead for the time after it (until `next_until`)."""

    fingerprint: str
    program_id: int | None
    kept_fingerprint: str | None = None
    valid_until: datetime | None = None
    row: dict | None = None
    next_row: dict | None = None
    next_until: datetime | None = None

    def at(self, now: datetime) -> Kept | None:
        """The kept row that is what the rules would say now (same inputs, and the clock within its time), as a Kept
        whose `row` is that one; None when neither holds."""
        if self.row is None or self.kept_fingerprint != self.fingerprint or self.valid_until is None:
            return None
        if now < self.valid_until:
            return self
        if self.next_row is not None and self.next_until is not None and now < self.next_until:
            return replace(self, row=self.next_row, valid_until=self.next_until, next_row=None, next_until=None)
        return None


class Shown(NamedTuple):
    """A row as it is kept, and the earliest moment at which the clock alone could change it."""

    row: dict
    until: datetime


def read(client_ids, since: Starts | None = None) -> dict[int, Kept]:
    """Each client's fingerprint and kept row, in two queries (client_ids: a subquery of user ids, or a list).

    The records are counted from each kept row's own starting points, so that its fingerprint can be compared;
    since: count from these instead (the refresh, about to keep a new row).
    """
    plans: dict[int, tuple] = {}
    for row in db.session.execute(
        db.select(Assignment.client_id, Assignment.id, Assignment.program_id, Assignment.start_date,
                  Assignment.days, Assignment.family)
        .where(Assignment.client_id.in_(client_ids), Assignment.is_active.is_(True))
        .order_by(Assignment.created_at, Assignment.id)
    ):  # fmt: skip
        plans[row[0]] = tuple(row[1:])  # the newest active one wins, as the dashboard's facts take it
    K = DashboardSummary
    counts = []
    for index, (model, _, kept_from) in enumerate(_tables()):
        after = kept_from if since is None else since[index]
        counts.append(
            db.select(func.count())
            .select_from(model)
            .where(model.user_id == User.id, model.id > after)
            .correlate(User, K)
            .scalar_subquery()
        )
        # And the client's highest id: SQLite hands out the highest id again once the rows above it are deleted
        # (an account's deletion), and such a reused id may lie before the starting point.
        counts.append(db.select(func.max(model.id)).where(model.user_id == User.id).correlate(User).scalar_subquery())
    points = (
        (K.sessions_from, K.check_ins_from, K.answers_from) if since is None else tuple(db.literal(n) for n in since)
    )
    query = (
        db.select(
            User.id, User.timezone, *counts, *points, K.fingerprint, K.valid_until, K.shown, K.next_shown, K.next_until
        )
        .outerjoin(K, K.client_id == User.id)
        .where(User.id.in_(client_ids))
    )
    found = {}
    for user_id, timezone, *values in db.session.execute(query):
        numbers, points_from, kept_rows = values[:6], tuple(values[6:9]), values[9:]
        counted = "{} sessions up to id {}, {} check-ins up to {}, {} answers up to {}".format(*numbers)
        plan = plans.get(user_id)
        if plan is None:
            on = "no plan"
        else:
            assignment_id, program_id, start, days, family = plan
            on = f"plan {assignment_id} of {family} version {program_id} from {start.isoformat()} on {days}"
        fingerprint = f"{counted}, after {points_from}; {timezone}; {on}; {code_digest()}"
        found[user_id] = Kept(fingerprint, plan[1] if plan else None, *kept_rows)
    return found


def write(client_id: int, fingerprint: str, since: Starts, shown: Shown, ahead: Shown | None, now: datetime) -> None:
    """Keep one client's row (in the caller's transaction), and the row worked out ahead for the time after it if
    there is one, replacing those kept before."""
    values = {"client_id": client_id, "fingerprint": fingerprint, "sessions_from": since[0],
              "check_ins_from": since[1], "answers_from": since[2], "valid_until": shown.until, "shown": shown.row,
              "next_shown": ahead.row if ahead else None, "next_until": ahead.until if ahead else None,
              "computed_at": now}  # fmt: skip
    builder = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = builder(DashboardSummary).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["client_id"],
        set_={name: statement.excluded[name] for name in values if name != "client_id"},
    )
    db.session.execute(statement)


def forget_unlinked() -> int:
    """Drop the rows of people no trainer sees any more (they left their trainer, or are no longer clients)."""
    seen = db.select(User.id).where(User.trainer_id.is_not(None), User.role == "client")
    statement = db.delete(DashboardSummary).where(DashboardSummary.client_id.not_in(seen))
    return db.session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0
