"""The thread between a client and their trainer: storing messages exactly once, reading a page, marking read.

Messages sync as sessions do (sessions/sync.py): keyed by the writer's UUID, one result per item (created,
duplicate, conflict, invalid), one bad item never sinking the batch. The thread is the client's: a message is
with the trainer the client had when it arrived, so a former trainer's messages stay readable to the client,
and a thread with no trainer at the other end takes no new message from either side.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Annotated, ClassVar, Literal
from uuid import UUID, uuid4

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr
from sqlalchemy import and_, bindparam, func, or_
from sqlalchemy.exc import OperationalError

from ..auth.models import User
from ..extensions import db
from ..inputs import JSONBody, read_item
from ..push import services as push
from ..sessions.models import CompletedSession
from ..sessions.sync import CLOCK_SKEW, Moment, Result, insert_or_ignore, raw_id
from ..timeutil import iso, utcnow
from .models import Message

log = logging.getLogger("coresteady.messages")

BODY_MAX = 2000
PAGE_SIZE = 50
# More ids than a page shows are ignored when marking read.
MAX_MARKED = 100

Side = Literal["client", "trainer"]

# Control characters other than the line break and the tab: invisible, and no person types them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class MessageError(ValueError):
    """A message that cannot be sent as written; the text says what to change."""


def clean_body(text: str) -> str:
    """The body as stored: line breaks made plain, trimmed; refused when empty, too long, or holding NUL or other
    control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise ValueError("must not contain a NUL character (\\u0000)")
    if _CONTROL.search(text):
        raise ValueError("must not contain control characters other than line breaks and tabs")
    if not text:
        raise ValueError("write something before sending; a message cannot be empty")
    if len(text) > BODY_MAX:
        raise ValueError(f"keep a message to {BODY_MAX:,} characters; this one has {len(text):,}")
    return text


Body = Annotated[StrictStr, AfterValidator(clean_body)]


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: UUID
    body: Body
    written_at: Moment
    # A trainer's reply about one of the client's sessions: that session's id.
    session: UUID | None = None
    # Stamped by the phone with the account that wrote it; never trusted, only compared.
    user_id: StrictInt | None = None


# The one model that checks the body of both sides' POST .../messages/read (inputs.read_body) and documents it.
class ReadIds(JSONBody):
    """The messages a page showed, to be marked read."""

    model_config = ConfigDict(extra="forbid")
    shape: ClassVar[str] = 'Send a JSON object of the form {"ids": ["<message id>", ...]}.'
    help: ClassVar[dict[str, str]] = {"ids": f"must be a list of at most {MAX_MARKED} message ids, as text"}
    ids: Annotated[list[StrictStr], Field(max_length=MAX_MARKED)] = Field(description="The ids of the messages shown.")


def content_hash(body: str, written_at: datetime) -> str:
    # The migration that moved the trainer's notes into messages computes the same.
    return hashlib.sha256(json.dumps({"body": body, "written_at": written_at.timestamp()}).encode()).hexdigest()


@dataclass(frozen=True)
class Thread:
    """Who writes to whom: the client, and the trainer at the other end (None: closed to new messages)."""

    client: User
    trainer: User | None


def thread_of_client(client: User) -> Thread:
    trainer = db.session.get(User, client.trainer_id) if client.trainer_id else None
    return Thread(client, trainer)


def _already(uuid: str, thread: Thread, author: Side, digest: str) -> Result | None:
    existing = db.session.execute(
        db.select(Message.author, Message.content_hash).where(
            Message.client_id == thread.client.id, Message.uuid == uuid
        )
    ).first()
    if existing is None:
        return None
    if (existing.author, existing.content_hash) == (author, digest):
        return Result(id=uuid, status="duplicate")
    return Result(id=uuid, status="conflict", errors=["id: a different message with this id is already stored"])


def _problems(item: MessageIn, thread: Thread, author: Side, writer: User, now: datetime) -> list[str]:
    errors = []
    if item.user_id is not None and item.user_id != writer.id:
        errors.append("user_id: this message was written by another account; log in as that account to send it")
    if item.written_at > now + CLOCK_SKEW:
        errors.append("written_at: lies in the future; check the phone's clock")
    if thread.trainer is None:
        errors.append(
            "trainer: you have no trainer now, so there is no one to send this to; your earlier messages stay readable"
        )
    if item.session is not None and (author != "trainer" or _session_of(thread.client, item.session) is None):
        errors.append(f"session: {item.session} is not one of this client's sessions")
    return errors


def _session_of(client: User, uuid: UUID) -> CompletedSession | None:
    query = db.select(CompletedSession).where(CompletedSession.uuid == str(uuid), CompletedSession.user_id == client.id)
    return db.session.execute(query).scalar_one_or_none()


def store(thread: Thread, author: Side, writer: User, item: MessageIn, now: datetime) -> Result:
    """One message unless its id is taken (duplicate or conflict) or it breaks a rule (invalid)."""
    uuid = str(item.id)
    digest = content_hash(item.body, item.written_at)
    settled = _already(uuid, thread, author, digest)
    if settled is not None:
        # Checked before the rules: a message sent twice is a duplicate even after the trainer has gone.
        return settled
    errors = _problems(item, thread, author, writer, now)
    if errors:
        return Result(id=uuid, status="invalid", errors=errors)
    session = _session_of(thread.client, item.session) if item.session else None
    values = {
        "uuid": uuid,
        "client_id": thread.client.id,
        "trainer_id": thread.trainer.id,
        "author": author,
        "body": item.body,
        "content_hash": digest,
        "written_at": item.written_at,
        "received_at": now,
        "session_id": session.id if session else None,
    }
    try:
        new_id = insert_or_ignore(Message, values, unique=("client_id", "uuid"))
        if new_id is not None:
            # Queued in the message's own transaction: the push goes if and only if the message is stored.
            tell_the_reader(thread, author, uuid, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    if new_id is None:
        return _already(uuid, thread, author, digest)  # another request stored the same id a moment ago
    return Result(id=uuid, status="created")


def store_batch(thread: Thread, author: Side, writer: User, raw_items: list, now: datetime | None = None):
    now = now or utcnow()
    results = []
    for raw in raw_items:
        item, errors = read_item(MessageIn, raw, "message")
        if errors:
            results.append(Result(id=raw_id(raw), status="invalid", errors=errors))
            continue
        try:
            results.append(store(thread, author, writer, item, now))
        except OperationalError:
            raise  # the database is away: every item waits, and the phone tries again later
        except Exception:
            db.session.rollback()
            log.exception("Message %s from user %s could not be stored", item.id, writer.id)
            results.append(Result(id=str(item.id), status="invalid", errors=["message: could not be stored as sent"]))
    return results


def write(
    thread: Thread,
    author: Side,
    writer: User,
    body: str | None,
    session: str | None = None,
    now: datetime | None = None,
) -> Message:
    """A message from a form (no script): written now, with an id of the server's making."""
    now = now or utcnow()
    raw = {"id": str(uuid4()), "body": body or "", "written_at": now.isoformat()}
    if session:
        raw["session"] = session
    result = store_batch(thread, author, writer, [raw], now)[0]
    if result.status != "created":
        words = " ".join(e.split(": ", 1)[-1] for e in result.errors or ())
        raise MessageError(words[:1].upper() + words[1:] + ("" if words.endswith(".") else "."))
    query = db.select(Message).where(Message.client_id == thread.client.id, Message.uuid == result.id)
    return db.session.execute(query).scalar_one()


def tell_the_reader(thread: Thread, author: Side, uuid: str, now: datetime) -> int:
    """The other side of the thread hears of a new message as a push on each of their browsers (none when they
    have not turned pushes on). The words stay out of the notification, which shows on a locked screen: it says
    who wrote, and opens the thread."""
    if author == "trainer":
        reader, title = thread.client, f"{thread.trainer.name} wrote to you"
        body, url, tag = "Open CoreSteady to read it and reply.", "/messages/", "messages"
    else:
        reader, title = thread.trainer, f"A message from {thread.client.name}"
        body, url = "Open their page in CoreSteady to read it.", f"/trainer/clients/{thread.client.id}#messages"
        tag = f"messages-{thread.client.id}"
    return push.notify(reader, title, body, url, tag, key=f"message:{uuid}", now=now)


# ---- Reading ----


class CursorError(ValueError):
    """A `before` cursor that names no message of this thread."""


def _thread_query(client: User, trainer: User | None):
    """The whole thread for the client (every trainer's part); only their own part for a trainer."""
    query = db.select(Message).where(Message.client_id == client.id)
    if trainer is not None:
        query = query.where(Message.trainer_id == trainer.id)
    return query


def thread_page(client: User, trainer: User | None = None, before: str | None = None, size: int = PAGE_SIZE):
    """A page of the thread, newest first, and whether older messages remain. `before`: the id of the oldest
    message of the page before; raises CursorError when it names no message here."""
    query = _thread_query(client, trainer)
    if before:
        mark = db.session.execute(query.where(Message.uuid == before[:36])).scalar_one_or_none()
        if mark is None:
            raise CursorError("before: no message with that id in this thread")
        query = query.where(
            or_(Message.written_at < mark.written_at, and_(Message.written_at == mark.written_at, Message.id < mark.id))
        )
    rows = list(
        db.session.execute(query.order_by(Message.written_at.desc(), Message.id.desc()).limit(size + 1)).scalars()
    )
    return rows[:size], len(rows) > size


@dataclass(frozen=True)
class SessionRef:
    uuid: str
    day: date


def referenced_sessions(messages: list[Message]) -> dict[int, SessionRef]:
    """The sessions these messages are about, by row id: their public id and the client's day."""
    ids = {m.session_id for m in messages if m.session_id}
    if not ids:
        return {}
    query = db.select(CompletedSession.id, CompletedSession.uuid, CompletedSession.local_date).where(
        CompletedSession.id.in_(ids)
    )
    return {row.id: SessionRef(row.uuid, row.local_date) for row in db.session.execute(query)}


def message_payload(message: Message, sessions: dict[int, SessionRef]) -> dict:
    return {
        "id": message.uuid,
        "from": message.author,
        "body": message.body,
        "written_at": iso(message.written_at),
        "received_at": iso(message.received_at),
        "read_at": iso(message.read_at),
        "session": sessions[message.session_id].uuid if message.session_id in sessions else None,
    }


def unread_from_trainer(client: User, limit: int = 3) -> list[Message]:
    """The trainers' messages the client has not marked read, the newest `limit`, oldest of those first."""
    query = (
        db.select(Message)
        .where(Message.client_id == client.id, Message.author == "trainer", Message.read_at.is_(None))
        .order_by(Message.written_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(reversed(db.session.execute(query).scalars().all()))


@dataclass(frozen=True)
class Note:
    """A trainer's unread message as Today shows it."""

    id: str
    trainer_name: str
    text: str
    created_at: datetime


@cache
def _unread_notes():
    """unread_notes' statement, built once (Today runs it on every visit)."""
    return (
        db.select(Message.uuid, User.name, Message.body, Message.written_at)
        .outerjoin(User, User.id == Message.trainer_id)
        .where(Message.client_id == bindparam("client_id"), Message.author == "trainer", Message.read_at.is_(None))
        .order_by(Message.written_at.desc(), Message.id.desc())
        .limit(bindparam("limit"))
    )


def unread_notes(client: User, limit: int = 3) -> list[Note]:
    """Today's calm view of the thread: the newest unread messages from the trainer, oldest of them first (one
    query, the trainer's name with each)."""
    rows = reversed(db.session.execute(_unread_notes(), {"client_id": client.id, "limit": limit}).all())
    return [
        Note(uuid, "your former trainer" if name is None else name, body, written) for uuid, name, body, written in rows
    ]


def unread_count_for_client(client: User) -> int:
    query = db.select(func.count(Message.id)).where(
        Message.client_id == client.id, Message.author == "trainer", Message.read_at.is_(None)
    )
    return db.session.execute(query).scalar_one()


def unread_by_client(trainer: User) -> dict[int, int]:
    """For a trainer: how many unread messages each client has written to them."""
    query = (
        db.select(Message.client_id, func.count(Message.id))
        .where(Message.trainer_id == trainer.id, Message.author == "client", Message.read_at.is_(None))
        .group_by(Message.client_id)
    )
    return dict(db.session.execute(query).all())


def mark_read(
    client: User, reader: Side, ids: list[str], trainer: User | None = None, now: datetime | None = None
) -> int:
    """Mark these messages read, if they are the other side's in this thread and still unread; returns how many.

    Only the messages a page showed are named, so one that arrived while it was open still counts as unread.
    """
    ids = [str(i)[:36] for i in ids[:MAX_MARKED] if isinstance(i, str)]
    if not ids:
        return 0
    condition = [
        Message.uuid.in_(ids),
        Message.client_id == client.id,
        Message.author != reader,
        Message.read_at.is_(None),
    ]
    if trainer is not None:
        condition.append(Message.trainer_id == trainer.id)
    result = db.session.execute(db.update(Message).where(*condition).values(read_at=now or utcnow()))
    db.session.commit()
    return result.rowcount
