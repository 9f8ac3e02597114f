"""The shapes of the API's answers, and of the bodies it takes beside the synced batches, as pydantic models.

The OpenAPI document is generated from these and from the models that validate what the API takes (openapi.py):
the synced items (SessionIn, ScreenIn, MessageIn) and the bodies taken whole (RemindersChange, Subscription,
Unsubscription, ReadIds), each defined by its feature and read through inputs.read_body, so the model that checks a
request is the one that documents it. The answers are built by the features as dicts; the models here describe
them, and tests/test_api_schema.py holds every answer to its model with schemathesis.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..messages.services import PAGE_SIZE
from ..reminders.services import TIME_PATTERN
from ..sessions.sync import Result

Light = Literal["green", "amber", "red"]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
B64URL = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+={0,2}$")]


class Answer(BaseModel):
    """Answers are described, not closed: a field added later breaks no phone."""

    model_config = ConfigDict(populate_by_name=True)


class Error(Answer):
    error: str = Field(description="A short code: bad_request, not_signed_in, forbidden, not_found, unavailable...")
    message: str = Field(description="What went wrong, in words a person can act on.")


class Results(Answer):
    results: list[Result] = Field(description="One result per item sent, in the order sent.")


# ---- Content ----


class Lesson(Answer):
    slug: str
    title: str
    order: int
    summary: str
    reading_minutes: int
    key_points: list[Any]
    related_exercises: list[str]
    url: str


class Lessons(Answer):
    lessons: list[Lesson]


class Exercise(Answer):
    slug: str
    name: str
    kind: str
    level: int | None = None
    easier: str | None = Field(description="A version one level easier.")
    harder: str | None = Field(description="A version one level harder.")
    dose: dict[str, int | None]
    illustration: str | None = None
    url: str
    custom: bool


class Exercises(Answer):
    exercises: list[Exercise]


class PlanItem(Answer):
    slug: str
    sets: int
    reps: int
    hold_seconds: int
    rest_seconds: int
    own: bool = Field(False, description="The client's own dose or version, not the program's.")


class Routine(Answer):
    id: int
    name: str
    exercises: list[PlanItem]


class PlanRoutine(Routine):
    week: int


class ProgramWeek(Answer):
    number: int
    focus: str | None = None
    routines: list[Routine]


class Program(Answer):
    id: int
    family: str
    version: int
    name: str
    starter: bool
    weeks: list[ProgramWeek]


class Programs(Answer):
    programs: list[Program]


class OfflinePackage(Answer):
    version: str = Field(description="Moves with the content, the plan, the user or any static file.")
    urls: list[str]


# ---- The client's plan ----


class Amount(Answer):
    sets: int
    reps: int
    hold_seconds: int


class Week(Answer):
    """The program week running today: weeks follow the outcomes, and a red week repeats."""

    number: int
    of: int
    repeat: bool
    reason: str


class Block(Week):
    start: Day


class Suggestion(Answer):
    exercise: str = Field(description="The exercise the client does now (its slug).")
    program_exercise: str = Field(description="The exercise the program names in its place.")
    change: Literal["dose", "easier", "harder"]
    from_: Amount = Field(alias="from")
    to: Amount
    to_exercise: str | None = Field(description="The version to move to; null for a dose step.")
    reason: str


class PlannedDay(Answer):
    date: Day
    weekday: str
    week: int
    routine_id: int


class PlanProgram(Answer):
    id: int
    name: str
    start_date: Day
    end_date: Day
    assignment_id: int
    assigned_by: int | None


class Plan(Answer):
    program: PlanProgram | None
    week: Week | None
    weeks: list[Block]
    schedule: list[PlannedDay]
    routines: list[PlanRoutine]
    suggestions: list[Suggestion]
    held: list[Day] = Field(
        description="Days of the program on hold after a red-flag answer, up to today: a planned day among them "
        "counts as neither planned nor missed unless a session was done on it. The schedule keeps them."
    )


# ---- Sessions ----


class DoneExercise(Answer):
    exercise: str
    sets_done: int
    reps_done: int
    hold_seconds: int
    painful: bool
    pain_during: Annotated[int, Field(ge=0, le=10)] | None


class StoredSession(Answer):
    id: str
    routine_id: int | None
    started_at: Moment
    completed_at: Moment
    pain_before: int
    pain_after: int
    effort: int
    notes: str
    light: Light = Field(description="As the server judges it, against the pain before.")
    exercises: list[DoneExercise]


class SessionsPage(Answer):
    sessions: list[StoredSession] = Field(description="Newest first.")
    next: str | None = Field(description="The URL of the next page, or null.")


# ---- Safety ----


class Waiting(Answer):
    id: str
    day: Day
    outcome: str
    signs: list[str]


class Due(Answer):
    since: Moment | None
    reason: str | None
    kind: str | None


class Screen(Answer):
    id: str
    answered_at: Moment
    signs: list[str]
    outcome: str
    assessed_on: Day | None


class Standing(Answer):
    as_of: Moment
    known: list[str] = Field(description="The ids of every answer stored.")
    state: Literal["new", "blocked", "due", "ok"]
    level: str | None
    waiting: list[Waiting] = Field(description="Answers waiting for a clinician's check, oldest first.")
    can_confirm: bool
    last_answered_at: Moment | None
    next_due_at: Moment | None
    due: Due | None
    screens: list[Screen] = Field(description="Every answer, newest first.")


# ---- A trainer's clients ----


class Flag(Answer):
    kind: str
    reason: str


class ClientRow(Answer):
    id: int
    name: str
    email: str
    program: str | None
    last_session: str | None
    days_since_last_session: int | None
    flags: list[Flag]
    unread_messages: int


class Clients(Answer):
    clients: list[ClientRow] = Field(description="By name, 50 a page.")
    total: Annotated[int, Field(ge=0, description="How many clients the trainer has.")]
    next: str | None = Field(description="The URL of the next page, or null.")


# ---- Messages ----


class Message(Answer):
    id: str = Field(description="The writer's UUID.")
    from_: Literal["client", "trainer"] = Field(alias="from")
    body: str
    written_at: Moment
    received_at: Moment
    read_at: Moment | None = Field(description="When the other side read it.")
    session: str | None = Field(description="The id of the client's session it is about.")


class Thread(Answer):
    messages: list[Message] = Field(description=f"Newest first, {PAGE_SIZE} at most.")
    next: str | None = Field(description="The URL of the older messages, or null.")


class ClientThread(Thread):
    open: bool = Field(description="False when the client has no trainer: read-only.")


class Marked(Answer):
    marked: int = Field(description="How many of them were unread.")


# ---- Reminders ----


class Reminders(Answer):
    enabled: bool
    time: Annotated[str, Field(pattern=TIME_PATTERN, description="In the timezone.")]
    timezone: str = Field(description="The person's IANA zone, as the account settings have it.")
    email: bool = Field(description="Also by email.")


# ---- Web Push ----


class PushKey(Answer):
    public_key: B64URL = Field(description="The VAPID public key: an uncompressed P-256 point.")


class Subscribed(Answer):
    subscribed: Literal[True]


class Removed(Answer):
    removed: bool


class Document(Answer):
    """This document: OpenAPI 3.1."""

    openapi: str
    paths: dict[str, Any]
