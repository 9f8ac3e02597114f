"""Storing sessions sent by phones: validated per item, idempotent on the phone's UUID, in the order sent."""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt
from sqlalchemy import bindparam, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from ..auth.models import User
from ..content.models import Exercise
from ..content.schema import HOLD_SECONDS, REPS, SETS
from ..content.services import ExerciseLinks, reachable_links
from ..extensions import db, one_writer_at_a_time
from ..inputs import MAX_ID, Text, read_item
from ..programs.models import Assignment, Program, Routine
from ..programs.structure import program_structure
from ..timeutil import iso, iso_date, local_date, utcnow
from .models import CompletedSession, SessionExercise
from .rules import PAIN_MAX

log = logging.getLogger("coresteady.sync")

MAX_BATCH = 100
MAX_NOTES = 2000
# Phones' clocks drift; a session may end this far "in the future" and still be believed.
CLOCK_SKEW = timedelta(minutes=5)
# A phone records sessions only once logged in, so none can start before the account was made; a day of slack
# for a clock set wrong. Older than that (the year 1, say) is a clock or a forgery, refused with a clear reason.
BEFORE_ACCOUNT = timedelta(days=1)

# What a phone may report is bounded by what a plan may ask (content/schema.py): reps are counted over every set.
MAX_REPS_DONE = SETS[1] * REPS[1]

# Pain and effort share the 0-10 scale.
Score = Annotated[StrictInt, Field(ge=0, le=PAIN_MAX)]


def _in_utc(moment: datetime) -> datetime:
    # "0001-01-01T00:00+23:59" parses, but its instant lies before the year 1: no database or clock can hold it.
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("lies outside the years 1 to 9999 once converted to UTC") from None


Moment = Annotated[AwareDatetime, AfterValidator(_in_utc)]


class ExerciseDone(BaseModel):
    model_config = ConfigDict(extra="forbid")
    exercise: Annotated[Text, Field(min_length=1, max_length=80)]
    sets_done: Annotated[StrictInt, Field(ge=0, le=SETS[1])]
    reps_done: Annotated[StrictInt, Field(ge=0, le=MAX_REPS_DONE)]
    hold_seconds: Annotated[StrictInt, Field(ge=0, le=HOLD_SECONDS[1])] = 0
    painful: StrictBool = False
    # Pain rated just after this exercise (0-10). Optional: older phones never ask, and the question may be skipped.
    pain_during: Score | None = None


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: UUID
    routine_id: Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
    started_at: Moment
    completed_at: Moment
    pain_before: Score
    pain_after: Score
    effort: Score
    notes: Annotated[Text, Field(max_length=MAX_NOTES)] = ""
    exercises: Annotated[list[ExerciseDone], Field(max_length=50)] = []
    # Stamped by the phone with the account that recorded it; never trusted, only compared.
    user_id: StrictInt | None = None


class Result(BaseModel):
    id: str | None
    status: Literal["created", "duplicate", "conflict", "invalid"]
    errors: list[str] | None = None


class BatchError(ValueError):
    """The body as a whole is unusable: not JSON, not {"sessions": [...]} (or the key given), or too many items."""


def raw_id(raw) -> str | None:
    """The id an item sent to a sync endpoint gives itself, as its answer repeats it (None when it gives none)."""
    return str(raw.get("id"))[:100] if isinstance(raw, dict) and raw.get("id") is not None else None


def _content_hash(item: SessionIn) -> str:
    """What a session says, as a hash: the same session sent again hashes the same, whatever its JSON's spacing,
    key order or time zone, and whether a rating it never had is null or absent.

    Pydantic writes the JSON (its own fields in their order, the times in UTC), which costs
    a quarter of what building it in Python did (_content_hash_before_december, still read: see _same)."""
    if item.notes != item.notes.strip():
        item = item.model_copy(update={"notes": item.notes.strip()})
    return hashlib.sha256(item.model_dump_json(exclude={"user_id"}).encode()).hexdigest()


def _content_hash_before_december(item: SessionIn) -> str:
    """The hash stored with sessions synced before 3 December 2026: the same contents, written out by Python."""
    data = item.model_dump(mode="json", exclude={"user_id"})
    data["notes"] = data["notes"].strip()
    for done in data["exercises"]:
        if done["pain_during"] is None:
            del done["pain_during"]
    for key in ("started_at", "completed_at"):
        data[key] = getattr(item, key).timestamp()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _same(stored: str | None, item: SessionIn, digest: str) -> bool:
    """Whether a stored hash is this item's: as hashed now, or as a session stored before the hash changed was."""
    return stored == digest or (stored is not None and stored == _content_hash_before_december(item))


def allowed_routines(user: User, routine_ids: set[int]) -> dict[int, int]:
    """Those of these routines that belong to a program the user follows or followed, of the version they follow(ed)
    or an earlier one: {routine id: its program's id}. Never a later one: a former client keeps the version they had
    while their former trainer saves new ones (as programs.structure.routine_in_plan)."""
    values = {"user_id": user.id, "routine_ids": sorted(routine_ids)}
    # Plain rows, run on the session's connection: the ORM's part of running a statement cost more than SQLite's.
    return dict(db.session.connection().execute(_allowed_routines(), values).all())


@cache
def _allowed_routines():
    """allowed_routines' statement, built once: every sync runs it, and building it cost more than running it."""
    followed = aliased(Program)  # the version an assignment points at: the newest while it is a trainer's to change
    return (
        db.select(Routine.id, Routine.program_id)
        .join(Program, Routine.program_id == Program.id)
        .join(Assignment, (Assignment.family == Program.family) & (Assignment.client_id == bindparam("user_id")))
        .join(followed, followed.id == Assignment.program_id)
        .where(Routine.id.in_(bindparam("routine_ids", expanding=True)), Program.version <= followed.version)
    )  # a routine reached through two plans of one program comes twice; the dict keeps one


def parse_batch(body, key: str = "sessions") -> list:
    """The items of a sync body {key: [...]}: sessions, or any other kind synced the same way."""
    if not isinstance(body, dict) or set(body) != {key} or not isinstance(body[key], list):
        raise BatchError(f'Send a JSON object of the form {{"{key}": [ ... ]}}.')
    if len(body[key]) > MAX_BATCH:
        raise BatchError(f"Send at most {MAX_BATCH} {key} at a time; this had {len(body[key])}.")
    return body[key]


def store_batch(user: User, raw_items: list) -> list[Result]:
    """Every item of a batch in one transaction: each checked on its own, the ids already stored found with one
    lookup, the new sessions and their exercises written with one statement each. Answers are those of storing the
    items one by one in the order sent (an id repeated later in the batch is a duplicate or a conflict of the first)."""
    results: list[Result | None] = [None] * len(raw_items)
    parsed: dict[int, tuple[SessionIn, str]] = {}
    for index, raw in enumerate(raw_items):
        try:
            item, errors = _parse(user, raw)
        except Exception:  # validation should refuse anything; logged so it can be taught to
            log.exception("Session %s from user %s could not be read", raw_id(raw), user.id)
            item, errors = None, ["session: could not be stored as sent"]
        if errors:
            results[index] = Result(id=raw_id(raw), status="invalid", errors=errors)
        else:
            parsed[index] = (item, _content_hash(item))
    stored = _stored_hashes(user, {str(item.id) for item, _ in parsed.values()})
    new: dict[str, tuple[int, SessionIn, tuple[int, int], str]] = {}  # by uuid: the first valid item with it, to insert
    checker = None  # read only when an item is new: a batch of duplicates needs nothing more
    for index, (item, digest) in parsed.items():
        uuid = str(item.id)
        earlier = stored.get(uuid, new[uuid][3] if uuid in new else None)
        if earlier is not None:
            results[index] = _settled(uuid, _same(earlier, item, digest))
            continue
        checker = checker or _Checker(user, [item for item, _ in parsed.values()])
        routine, errors = checker.check(item)
        if errors:
            results[index] = Result(id=raw_id(raw_items[index]), status="invalid", errors=errors)
        else:
            new[uuid] = (index, item, routine, digest)
    if new:
        for uuid, result in _insert(user, list(new.values()), checker.exercises).items():
            results[new[uuid][0]] = result
    for index, result in enumerate(results):  # a repeat of an item that turned out invalid when stored shares its fate
        if result is not None and result.status == "duplicate" and result.id in new:
            first = results[new[result.id][0]]
            if first.status == "invalid":
                results[index] = first
    return results


def _settled(uuid: str, same: bool) -> Result:
    if same:
        return Result(id=uuid, status="duplicate")
    return Result(id=uuid, status="conflict", errors=["id: a different session with this id is already stored"])


def _stored_hashes(user: User, uuids: set[str]) -> dict[str, str]:
    """The content hash of each of these ids this user has stored: one query however many, run on the session's
    connection (a plain statement needs nothing of the ORM's session)."""
    if not uuids:
        return {}
    one = len(uuids) == 1
    values = {"user_id": user.id, "uuid": min(uuids)} if one else {"user_id": user.id, "uuids": sorted(uuids)}
    return dict(db.session.connection().execute(_stored_hashes_statement(one), values).all())


@cache
def _stored_hashes_statement(one: bool):
    """_stored_hashes' statement, built once (a duplicate sent again costs little more than this lookup). Written
    with the table's columns, not the model's attributes: a plain statement skips the ORM's part of running it.
    For one id, an equality: an expanding IN list is written out again on every run."""
    sessions = CompletedSession.__table__.c
    matches = sessions.uuid == bindparam("uuid") if one else sessions.uuid.in_(bindparam("uuids", expanding=True))
    return db.select(sessions.uuid, sessions.content_hash).where(sessions.user_id == bindparam("user_id"), matches)


def _insert(user: User, new: list[tuple[int, SessionIn, tuple[int, int], str]], exercises) -> dict[str, Result]:
    """Store the new sessions, all in one statement; if the database refuses that, each in its own transaction, so
    the one it refuses is answered invalid and the others are stored."""
    rows = [_row(user, item, routine, digest) for _, item, routine, digest in new]
    try:
        return _write(user, rows, [item for _, item, _, _ in new], exercises)
    except OperationalError:
        raise  # the database is away: every item waits, and the phone tries the batch again later
    except Exception:
        db.session.rollback()
        log.warning("A batch of %d sessions from user %s is stored one by one", len(rows), user.id, exc_info=True)
    results = {}
    for row, (_, item, _, _) in zip(rows, new, strict=True):
        try:
            results.update(_write(user, [row], [item], exercises))
        except OperationalError:
            raise
        except Exception:
            # Validation should have refused whatever reaches this; logged so it can be taught to.
            db.session.rollback()
            log.exception("Session %s from user %s could not be stored", row["uuid"], user.id)
            results[row["uuid"]] = Result(
                id=row["uuid"], status="invalid", errors=["session: could not be stored as sent"]
            )
    return results


def _row(user: User, item: SessionIn, routine: tuple[int, int], digest: str) -> dict:
    """routine: (its id, its program's id)."""
    return {
        "uuid": str(item.id),
        "user_id": user.id,
        "routine_id": routine[0],
        "program_id": routine[1],
        "started_at": item.started_at,
        "completed_at": item.completed_at,
        "local_date": local_date(item.completed_at, user.timezone),
        "pain_before": item.pain_before,
        "pain_after": item.pain_after,
        "effort": item.effort,
        "notes": item.notes.strip(),
        "content_hash": digest,
        "received_at": utcnow(),
    }


def _write(user: User, rows: list[dict], items: list[SessionIn], exercises) -> dict[str, Result]:
    """INSERT the sessions (skipping ids stored meanwhile by another request), then their exercises; commit."""
    with one_writer_at_a_time():  # from the first INSERT to the commit
        try:
            ids = insert_many(CompletedSession, rows, unique=("user_id", "uuid"))
            done = [
                {
                    "session_id": ids[str(item.id)],
                    "position": position,
                    "exercise_id": exercises[d.exercise].id,
                    "sets_done": d.sets_done,
                    "reps_done": d.reps_done,
                    "hold_seconds": d.hold_seconds,
                    "painful": d.painful,
                    "pain_during": d.pain_during,
                }
                for item in items
                if str(item.id) in ids
                for position, d in enumerate(item.exercises)
            ]
            if done:  # by the table, like the sessions: the ORM's bulk insert spent more on each row than SQLite did
                db.session.connection().execute(_insert_exercises(), done)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    results = {uuid: Result(id=uuid, status="created") for uuid in ids}
    raced = {
        row["uuid"]: (item, row["content_hash"])
        for row, item in zip(rows, items, strict=True)
        if row["uuid"] not in ids
    }
    if raced:  # another request stored the same id a moment ago
        stored = _stored_hashes(user, set(raced))
        results.update({uuid: _settled(uuid, _same(stored.get(uuid), *raced[uuid])) for uuid in raced})
    return results


@cache
def _insert_exercises():
    return insert(SessionExercise.__table__)


def _parse(user: User, raw) -> tuple[SessionIn | None, list[str]]:
    """What can be checked of one item without the database."""
    item, errors = read_item(SessionIn, raw, "session")
    if item is None:
        return None, errors
    if item.user_id is not None and item.user_id != user.id:
        errors.append("user_id: this session was recorded by another account; log in as that account to send it")
    if item.completed_at <= item.started_at:
        errors.append("completed_at: a session must end after it starts")
    if item.completed_at > utcnow() + CLOCK_SKEW:
        errors.append("completed_at: lies in the future; check the phone's clock")
    if user.created_at is not None and item.started_at < user.created_at - BEFORE_ACCOUNT:
        errors.append("started_at: is before your account was made; check the phone's clock")
    return item, errors


class _Checker:
    """What needs the database, read once for the whole batch: the routines named and the exercises the user may do."""

    def __init__(self, user: User, items: list[SessionIn]):
        # Archived custom exercises included: a routine that holds one is still done and synced. Only those the
        # batch names, unless a pain is rated during one: then its easier and harder versions are followed too.
        rated = any(done.pain_during is not None for item in items for done in item.exercises)
        named = None if rated else {done.exercise for item in items for done in item.exercises}
        self.exercises = reachable_links(user, named)
        self.routines = allowed_routines(user, {item.routine_id for item in items})
        self.versions: dict[int, set[str]] = {}

    def check(self, item: SessionIn) -> tuple[tuple[int, int] | None, list[str]]:
        """(the routine's id and its program's, errors)."""
        errors = []
        program_id = self.routines.get(item.routine_id)
        if program_id is None:
            errors.append(f"routine_id: {item.routine_id} is not a routine of your program")
        rated = program_id is not None and any(done.pain_during is not None for done in item.exercises)
        if rated and item.routine_id not in self.versions:
            routine = program_structure(program_id).routine(item.routine_id)
            self.versions[item.routine_id] = session_versions(routine, self.exercises)
        in_session = self.versions.get(item.routine_id, set()) if rated else set()
        for index, done in enumerate(item.exercises):
            if done.exercise not in self.exercises:
                errors.append(f"exercises.{index}.exercise: no exercise '{done.exercise}'")
            elif rated and done.pain_during is not None and done.exercise not in in_session:
                errors.append(
                    f"exercises.{index}.pain_during: '{done.exercise}' is not an exercise of this routine, "
                    "so its pain cannot be recorded with it"
                )
        return (item.routine_id, program_id) if program_id is not None else None, errors


def session_versions(routine: Routine, exercises: dict[str, Exercise | ExerciseLinks]) -> set[str]:
    """The slugs a session of this routine may rate: its exercises and their easier and harder versions,
    followed link by link (a client may have stepped to another version of an exercise)."""
    found: set[str] = set()
    waiting = [item.exercise.slug for item in routine.items]
    while waiting:
        slug = waiting.pop()
        exercise = exercises.get(slug)
        if slug in found or exercise is None:
            continue
        found.add(slug)
        waiting += [exercise.easier_slug, exercise.harder_slug]
    return found


def _insert_builder(dialect: str):
    """INSERT with ON CONFLICT, as the database at hand writes it."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


def insert_or_ignore(model, values: dict, unique: tuple[str, ...]) -> int | None:
    """INSERT ... ON CONFLICT (the `unique` columns) DO NOTHING; the new row's id, or None when a row with the same
    values there was already stored."""
    builder = _insert_builder(db.session.get_bind().dialect.name)
    statement = builder(model).values(**values).on_conflict_do_nothing(index_elements=list(unique))
    return db.session.execute(statement.returning(model.id)).scalar()


def insert_many(model, rows: list[dict], unique: tuple[str, ...]) -> dict[str, int]:
    """insert_or_ignore for many rows in one statement: the new rows' ids by uuid (rows already stored are absent)."""
    connection = db.session.connection()
    statement = _insert_many_statement(model.__table__, unique, connection.dialect.name)
    return dict(connection.execute(statement, rows).all())


@cache
def _insert_many_statement(table, unique: tuple[str, ...], dialect: str):
    """insert_many's statement, built once per table and database: the rows go as parameters, sent together by
    SQLAlchemy's "insertmanyvalues", rather than a VALUES list compiled afresh for every batch. Building it on every
    write cost as much as SQLite's INSERT, inside the time the database is locked for the write."""
    statement = _insert_builder(dialect)(table).on_conflict_do_nothing(index_elements=list(unique))
    return statement.returning(table.c.uuid, table.c.id)


def session_payload(session: CompletedSession, light: str | None = None) -> dict:
    """A stored session as the API lists it and the account export writes it; times in UTC.

    light: the traffic light the server judges it (rules.Outcome.light, read through sessions.outcomes).
    """
    return {
        "id": session.uuid,
        "routine": session.routine.name,
        "routine_id": session.routine_id,
        "program": session.program.name,
        "program_id": session.program_id,
        "started_at": iso(session.started_at),
        "completed_at": iso(session.completed_at),
        "local_date": iso_date(session.local_date),
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "effort": session.effort,
        "notes": session.notes,
        "received_at": iso(session.received_at),
        "light": light,
        "exercises": [
            {
                "exercise": done.exercise.slug,
                "name": done.exercise.name,
                "sets_done": done.sets_done,
                "reps_done": done.reps_done,
                "hold_seconds": done.hold_seconds,
                "painful": done.painful,
                "pain_during": done.pain_during,
            }
            for done in session.exercises
        ],
    }
