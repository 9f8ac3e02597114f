"""A person's answers that cost the most to make, kept per process while nothing they are made from has changed:
the plan (GET /api/v1/plan), the offline package's list (GET /api/v1/offline-manifest) and Today's page (whose
fingerprint adds what the page shows besides: home/today.py, shown_besides_the_plan).

All three are made from the person's own records (sessions with their exercises, check-ins, red-flag answers), their
plans and own doses, their profile, the exercise library (shipped and trainers' own), the content's version, their
zone and trainer, and the day in their zone. Each use reads a fingerprint of all of that in one statement, through
the per-person indexes, and the kept answer is served only while its fingerprint is the same. The fingerprint is
read before an answer is made: a record that arrives meanwhile leaves the new answer under the older fingerprint,
so it is made again next time rather than trusted.

- Records only ever added (sessions, check-ins, red-flag answers) are counted, and their highest id read: a count
  catches a row that a slow transaction committed after a later one, the highest id a row whose id was handed out
  again (SQLite, after the rows above it went with a deleted account).
- Rows changed in place are fingerprinted by what changes: a plan by its program version, start day and training
  days; doses and the library's exercises by their count, highest id and the sum of their revisions, which every
  change counts up (extensions.count_revisions: by the database, not the clock, so two changes in the same instant
  both show). Loading new content changes the content's version too.
- The clock: the day in the person's zone is in the fingerprint. Within a day, the rules turn stricter on their
  own at one moment only: six weeks after the last red-flag answer the screen is due again, and a step up waits
  for it (safety.asked_again_at). A kept answer is good until then, and never longer than KEEP_AT_MOST, in case a
  rule comes to read the clock another way.

Kept per app (so per process), at most CAPACITY answers, least recently used first out. Nothing is shared between
people: the key is the person's id and the kind of answer.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import String, bindparam, case, cast, func

from ..content.models import ContentMeta, Exercise
from ..extensions import db
from ..programs.models import Assignment, PersonalDose, Profile
from ..recent import recent
from ..timeutil import local_date, utcnow
from .models import CheckIn, CompletedSession, RedFlagScreen
from .safety import asked_again_at

EXTENSION = "coresteady.kept_answers"
# Answers kept per process. A plan is about 25 KB of JSON, a package's list about 6 KB and Today's page about 16 KB:
# 341 people's three, about 16 MB.
CAPACITY = 1024
KEEP_AT_MOST = timedelta(minutes=10)


@dataclass(frozen=True)
class _Kept:
    fingerprint: tuple
    made_at: datetime
    until: datetime
    value: object


def joined(*values):
    """The values as one text, comma-separated (SQL's ||, on either engine); NULL as nothing."""
    parts = [func.coalesce(cast(value, String), "") for value in values]
    text = parts[0]
    for part in parts[1:]:
        text = text + "," + part
    return text


def added(model, person):
    """A table only ever added to, for one person: how many rows, and the highest id."""
    return db.select(joined(func.count(), func.max(model.id))).where(model.user_id == person).scalar_subquery()


@cache
def _statement(more: Callable | None = None):
    """The fingerprint's statement, built once: one row of texts, one per table, each read through an index.

    more(person): the further columns an answer is made from (home/today.py's, for Today), person being the
    statement's parameter."""
    person = bindparam("user_id")

    A, D, P, E = Assignment, PersonalDose, Profile, Exercise
    active = A.is_active.is_(True)
    plans = db.select(
        joined(func.count(), func.max(A.id), func.max(A.ended_at), func.max(case((active, A.id))),
                func.max(case((active, A.program_id))), func.max(case((active, A.start_date))),
                func.max(case((active, A.days))))
    ).where(A.client_id == person)  # fmt: skip
    doses = (
        db.select(
            joined(func.count(), func.max(D.id), func.sum(D.revision))
        )
        .join(A, A.id == D.assignment_id)
        .where(A.client_id == person)
    )  # fmt: skip
    profile = db.select(joined(P.onboarded_at, P.preferred_days, P.birth_year)).where(P.user_id == person)
    library = db.select(joined(func.count(), func.max(E.id), func.sum(E.revision)))
    content = db.select(ContentMeta.value).where(ContentMeta.key == "version")
    last_answer = db.select(func.max(RedFlagScreen.answered_at)).where(RedFlagScreen.user_id == person)
    return db.select(
        added(CompletedSession, person),
        added(CheckIn, person),
        added(RedFlagScreen, person),
        plans.scalar_subquery(),
        doses.scalar_subquery(),
        profile.scalar_subquery(),
        library.scalar_subquery(),
        content.scalar_subquery(),
        last_answer.scalar_subquery().label("last_answer"),
        *(more(person) if more is not None else ()),
    )


def records_fingerprint(user, more: Callable | None = None):
    """Everything the kept answers are made from for this person, as it stands (one statement): a row whose
    `last_answer` is the moment of their last red-flag answer (an aware datetime, or None)."""
    return db.session.execute(_statement(more), {"user_id": user.id}).one()


def answer(kind: str, user, make: Callable[[date], object], extra: Hashable = None, more: Callable | None = None):
    """The answer of this kind for this person: the kept one while its fingerprint holds, else make(today)'s.

    extra: anything else the answer is made from that lives in the process (the static files' revisions, say).
    more: a function, always the same one for a kind, giving the further columns of the fingerprint (_statement)."""
    now = utcnow()
    today = local_date(now, user.timezone)
    records = records_fingerprint(user, more)
    fingerprint = (today, extra, user.role, user.timezone, user.trainer_id, *records)
    entries = recent(EXTENSION, CAPACITY)
    key = (kind, user.id)
    kept = entries.get(key)
    if kept is not None and kept.fingerprint == fingerprint and kept.made_at <= now < kept.until:
        return kept.value
    value = make(today)
    until = now + KEEP_AT_MOST
    if records.last_answer is not None and asked_again_at(records.last_answer) > now:
        until = min(until, asked_again_at(records.last_answer))
    entries.put(key, _Kept(fingerprint, now, until, value))
    return value
