"""Red-flag answers: storing them (from the form and from a phone's sync alike) and reading a person's standing.

Answers sync exactly as sessions do: keyed by the phone's UUID, one result per item (created, duplicate,
conflict, invalid), nothing stored half-way. The server judges each answer's outcome itself; the phone's
judgement is only for showing the right page offline, and the server's wins where it is stricter.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Annotated
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, StrictInt
from sqlalchemy import and_, bindparam, exists, func, or_

from ..auth.models import User
from ..extensions import db
from ..inputs import Text, read_item
from ..push import services as push
from ..timeutil import local_date, utcnow
from . import outcomes, red_flags, safety
from .models import CheckIn, CompletedSession, RedFlagScreen
from .sync import CLOCK_SKEW, Result, insert_or_ignore, raw_id

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_day(value):
    """A day as the phone's date input writes it, "YYYY-MM-DD", and nothing looser (no numbers, no times)."""
    if value is None or isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DAY.match(value):
        raise ValueError("give the day as YYYY-MM-DD")
    return date.fromisoformat(value)


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: UUID
    answered_at: AwareDatetime
    signs: Annotated[list[Annotated[Text, Field(strict=True, min_length=1, max_length=40)]], Field(max_length=40)]
    assessed_on: Annotated[date | None, BeforeValidator(iso_day)] = None
    # Stamped by the phone with the account that answered; never trusted, only compared.
    user_id: StrictInt | None = None


class InputError(ValueError):
    """An answer from the form that cannot be stored; the message says what to change."""


def content_hash(item: ScreenIn) -> str:
    data = {
        "answered_at": item.answered_at.timestamp(),
        "signs": sorted(set(item.signs)),
        "assessed_on": item.assessed_on.isoformat() if item.assessed_on else None,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def answer_of(row: RedFlagScreen, timezone: str | None) -> safety.Answer:
    return safety.Answer(
        id=row.id,
        uuid=row.uuid,
        answered_at=row.answered_at,
        day=local_date(row.answered_at, timezone),
        signs=frozenset(row.signs or ()),
        outcome=row.outcome,
        assessed_on=row.assessed_on,
    )


def answers_of(user: User) -> list[safety.Answer]:
    """Every answer the person has given, oldest first."""
    rows = db.session.execute(
        db.select(RedFlagScreen)
        .where(RedFlagScreen.user_id == user.id)
        .order_by(RedFlagScreen.answered_at, RedFlagScreen.id)
    ).scalars()
    return [answer_of(row, user.timezone) for row in rows]


def held_days(user: User, today: date) -> frozenset[date]:
    """The days this person's exercise was on hold after a red-flag answer (safety.held_days)."""
    return safety.held_days(answers_of(user), today)


# ---- Storing ----


def _problems(user: User, item: ScreenIn, now: datetime) -> list[str]:
    errors = []
    if item.user_id is not None and item.user_id != user.id:
        errors.append("user_id: this answer was given by another account; log in as that account to send it")
    if item.answered_at > now + CLOCK_SKEW:
        errors.append("answered_at: lies in the future; check the phone's clock")
    for index, key in enumerate(item.signs):
        if key not in red_flags.KNOWN:
            errors.append(f"signs.{index}: no sign '{key}'")
    if item.assessed_on is not None:
        day = local_date(item.answered_at, user.timezone)
        for name, problem in safety.confirmation_problems(
            frozenset(item.signs), item.assessed_on, item.answered_at, day, answers_of(user)
        ):
            errors.append(f"{name}: {problem}")
    return errors


def store(user: User, item: ScreenIn, now: datetime | None = None) -> Result:
    """Store one answer unless its id is taken (duplicate or conflict) or it breaks a rule (invalid)."""
    now = now or utcnow()
    uuid = str(item.id)
    digest = content_hash(item)
    settled = _already(uuid, user, digest)
    if settled is not None:
        # Checked before the rules: a confirmation sent twice no longer finds the answer it cleared.
        return settled
    errors = _problems(user, item, now)
    if errors:
        return Result(id=uuid, status="invalid", errors=errors)
    values = {
        "uuid": uuid,
        "user_id": user.id,
        "answered_at": item.answered_at,
        "signs": sorted(set(item.signs)),
        "outcome": red_flags.outcome_of(item.signs),
        "assessed_on": item.assessed_on,
        "content_hash": digest,
        "created_at": now,
    }
    try:
        new_id = insert_or_ignore(RedFlagScreen, values, unique=("user_id", "uuid"))
        if new_id is not None:
            tell_the_trainer(user, uuid, values["outcome"], item.assessed_on, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if new_id is not None:
        return Result(id=uuid, status="created")
    return _already(uuid, user, digest)  # another request stored the same id a moment ago


def tell_the_trainer(user: User, uuid: str, outcome: str, assessed_on: date | None, now: datetime) -> int:
    """An answer that needs a clinician before any exercise reaches the person's trainer at once, as a push on each
    of their browsers (their dashboard flags it too), queued with the answer: they may be the one to call. Sent
    however late the answer syncs, once per answer. The notification shows on a locked screen, so it says whose
    safety check it is and opens their page, never what was answered."""
    if assessed_on is not None or user.trainer_id is None or not red_flags.blocks(outcome):
        return 0
    title = f"{user.name}'s safety check needs your attention"
    body = "Open their page in CoreSteady to see their answer and what they were told to do."
    url, tag = f"/trainer/clients/{user.id}#safety", f"safety-{user.id}"
    return push.notify(user.trainer_id, title, body, url, tag, key=f"red-flag:{user.id}:{uuid}", now=now)


def _already(uuid: str, user: User, digest: str) -> Result | None:
    existing = db.session.execute(
        db.select(RedFlagScreen.content_hash).where(RedFlagScreen.user_id == user.id, RedFlagScreen.uuid == uuid)
    ).first()
    if existing is None:
        return None
    if existing.content_hash == digest:
        return Result(id=uuid, status="duplicate")
    return Result(id=uuid, status="conflict", errors=["id: a different answer with this id is already stored"])


def store_batch(user: User, raw_items: list, now: datetime | None = None) -> list[Result]:
    """In the order sent, so an answer and the confirmation that follows it can travel together."""
    now = now or utcnow()
    results = []
    for raw in raw_items:
        item, errors = read_item(ScreenIn, raw, "screen")
        results.append(
            store(user, item, now) if item is not None else Result(id=raw_id(raw), status="invalid", errors=errors)
        )
    return results


def _stored(user: User, uuid: str) -> RedFlagScreen:
    query = db.select(RedFlagScreen).where(RedFlagScreen.user_id == user.id, RedFlagScreen.uuid == uuid)
    return db.session.execute(query).scalar_one()


def record_screen(user: User, signs: list[str], now: datetime | None = None) -> RedFlagScreen:
    """The form's answer: the signs alone (as forms.SafetyForm read them), answered now."""
    now = now or utcnow()
    result = store(user, ScreenIn(id=uuid4(), answered_at=now, signs=list(signs)), now)
    if result.status != "created":
        raise InputError(" ".join(e.split(": ", 1)[-1] for e in result.errors or ()) or "Please answer again.")
    return _stored(user, result.id)


def record_confirmation(user: User, assessed_on: date, now: datetime | None = None) -> RedFlagScreen:
    """The form's later step: a clinician has assessed the signs still waiting, on the day given."""
    now = now or utcnow()
    waiting = standing(user, now).waiting_signs
    result = store(user, ScreenIn(id=uuid4(), answered_at=now, signs=sorted(waiting), assessed_on=assessed_on), now)
    if result.status != "created":
        raise InputError(" ".join(e.split(": ", 1)[-1] for e in result.errors or ()))
    return _stored(user, result.id)


# ---- Reading: a person's standing, for one person or every client of a trainer at once ----


@dataclass
class Facts:
    """What the safety rules need about one person."""

    answers: list[safety.Answer] = field(default_factory=list)
    sessions: list[safety.SessionFacts] = field(default_factory=list)
    baseline: int | None = None

    def status(self, now: datetime, look_back: datetime | None = None) -> safety.Status:
        return safety.status(self.answers, self.sessions, self.baseline, now, look_back)


def gather(user_ids, now: datetime, every_answer: bool = False) -> dict[int, Facts]:
    """Facts per person in four queries, whoever many people user_ids (a subquery or a list) names.

    every_answer=False keeps the answers the rules read for many people at once: every answer that is not
    clear or is a confirmation (what blocks and what clears), and each person's latest (when the screen is due).
    """
    return _facts_from(_gather_statements(user_ids, every_answer), {"since": now - safety.HISTORY})


@cache
def _one_person() -> tuple:
    """gather's statements for one person and every answer (a person's own standing), built once: building them
    costs more than running them."""
    return _gather_statements([bindparam("user_id")], every_answer=True)


def _gather_statements(user_ids, every_answer: bool) -> tuple:
    S = RedFlagScreen
    wanted = [S.user_id.in_(user_ids)]
    if not every_answer:
        latest = (
            db.select(S.user_id, func.max(S.answered_at).label("at"))
            .where(S.user_id.in_(user_ids))
            .group_by(S.user_id)
            .subquery()
        )
        newest = exists().where(latest.c.user_id == S.user_id, latest.c.at == S.answered_at)
        wanted.append(or_(S.outcome != "clear", S.assessed_on.is_not(None), newest))
    answers = db.select(S, User.timezone).join(User, User.id == S.user_id).where(*wanted).order_by(S.answered_at, S.id)

    C = CompletedSession
    painful, worst_during = outcomes.any_painful(C.id), outcomes.worst_during(C.id)
    morning = CheckIn.__table__.alias("morning")
    sessions = (
        db.select(C.user_id, C.completed_at, C.local_date, C.pain_before, C.pain_after, C.effort, painful,
                  morning.c.created_at, morning.c.pain, morning.c.legs, worst_during, C.received_at)
        # By the session alone (its own index), as outcomes.next_day_pains reads it: matching on the person too
        # would let the database walk every check-in of theirs for each session.
        .outerjoin(morning, and_(morning.c.session_id == C.id, morning.c.kind == "next-day"))
        .where(C.user_id.in_(user_ids), C.completed_at >= bindparam("since"))
        .order_by(C.completed_at, C.id)
    )  # fmt: skip
    baselines = (
        db.select(CheckIn.user_id, CheckIn.pain)
        .where(CheckIn.user_id.in_(user_ids), CheckIn.kind == "baseline")
        .order_by(CheckIn.created_at, CheckIn.id)
    )
    return answers, sessions, baselines


def _facts_from(statements: tuple, values: dict) -> dict[int, Facts]:
    answers, sessions, baselines = statements
    facts: dict[int, Facts] = defaultdict(Facts)
    for row, timezone in db.session.execute(answers, values):
        facts[row.user_id].answers.append(answer_of(row, timezone))
    for row in db.session.execute(sessions, values):
        check = safety.Morning(row[7], row[8], row[9]) if row[7] is not None else None
        # A session cannot have ended after the server received it: a phone clock running ahead (up to
        # sync.CLOCK_SKEW) would otherwise put a red session after the safety answer given straight after it.
        ended = min(row[1], row[11]) if row[11] is not None else row[1]
        facts[row.user_id].sessions.append(
            safety.SessionFacts(ended, row[2], row[3], row[4], row[5], bool(row[6]), check, row[10])
        )
    for user_id, pain in db.session.execute(baselines, values):
        facts[user_id].baseline = pain  # the newest onboarding rating wins
    return facts


def facts_of(user: User, now: datetime) -> Facts:
    """What the safety rules read about this person: every answer, and their sessions of the last weeks."""
    return _facts_from(_one_person(), {"user_id": user.id, "since": now - safety.HISTORY})[user.id]


def standing(user: User, now: datetime | None = None) -> safety.Status:
    """Where this person stands: free to exercise, due to answer again, or waiting for a clinician."""
    now = now or utcnow()
    return facts_of(user, now).status(now)


def has_answered(user: User) -> bool:
    query = db.select(RedFlagScreen.id).where(RedFlagScreen.user_id == user.id)
    return db.session.execute(query.limit(1)).first() is not None


def history(user: User) -> list[safety.Answer]:
    """Every answer, newest first: the screen history the trainer's page and the person's own page show."""
    return sorted(answers_of(user), key=lambda a: a.order, reverse=True)


def snapshot(status: safety.Status, now: datetime) -> dict:
    """The server's standing as the phone keeps it, so the offline player and screen judge with it."""
    last = status.last
    return {
        "as_of": now.isoformat(),
        # Every answer the server holds: the phone stops adding its own copy of these to what it judges.
        "known": [a.uuid for a in status.answers],
        "state": status.state,
        "level": status.level,
        "waiting": [
            {"id": a.uuid, "day": a.day.isoformat(), "outcome": a.outcome, "signs": sorted(a.signs)}
            for a in status.waiting
        ],
        "can_confirm": status.can_confirm,
        "last_answered_at": last.answered_at.isoformat() if last else None,
        "next_due_at": safety.asked_again_at(last.answered_at).isoformat() if last else None,
        "due": {
            "since": status.due.since.isoformat() if status.due.since else None,
            "reason": status.due.in_words,
            "kind": status.due.kind,
        }
        if status.due
        else None,
    }


def for_the_phone(user: User, now: datetime | None = None, status: safety.Status | None = None) -> dict:
    """What the pages that work offline embed: the server's standing and the rules the phone judges an answer by."""
    now = now or utcnow()
    return {"rules": red_flags.for_the_phone(), "standing": snapshot(status or standing(user, now), now)}


def standing_payload(user: User, now: datetime | None = None) -> dict:
    """GET /api/v1/safety: the snapshot, and every answer newest first."""
    now = now or utcnow()
    status = standing(user, now)
    return {
        **snapshot(status, now),
        "screens": [
            {
                "id": a.uuid,
                "answered_at": a.answered_at.isoformat(),
                "signs": sorted(a.signs),
                "outcome": a.outcome,
                "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
            }
            for a in sorted(status.answers, key=lambda a: a.order, reverse=True)
        ],
    }
