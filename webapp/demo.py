"""The demo accounts of DESIGN.md, so a newcomer can try both sides of the app at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .auth import services as accounts
from .auth.models import User
from .extensions import db
from .programs.services import active_assignment, assign, starter_program
from .sessions import screens
from .sessions import services as records
from .sessions.models import CheckIn, CompletedSession, FunctionActivity, FunctionRating, RedFlagScreen
from .sessions.schedule import plan_for
from .sessions.sync import store_batch
from .timeutil import local_date, utcnow, zone
from .trainer.invites import create_invite, pending_for

DEMO_PASSWORD = "demo-pass-123"
DEMO_ZONE = "Europe/London"
DEMO_USERS = [
    {"email": "coach@example.com", "name": "Casey Coach", "role": "trainer", "trainer": None},
    {"email": "coach2@example.com", "name": "Robin Physio", "role": "trainer", "trainer": None},
    {"email": "alex@example.com", "name": "Alex Morgan", "role": "client", "trainer": "coach@example.com"},
    {"email": "sam@example.com", "name": "Sam Patel", "role": "client", "trainer": "coach@example.com"},
    {"email": "jo@example.com", "name": "Jo Lindqvist", "role": "client", "trainer": "coach2@example.com"},
]


@dataclass(frozen=True)
class Story:
    """How a demo client's weeks went: their program, where pain started and ended, which days they skipped."""

    program: str
    weeks_ago: int
    pain_start: int
    pain_end: int
    activities: tuple[tuple[str, int, int], ...]
    skip_every: int = 0
    stop_days_ago: int = 0
    hurts: str = ""
    # The last session with a next-morning check went red and that morning was bad: the safety check is due.
    bad_turn: bool = False


STORIES = {
    "alex@example.com": Story(
        "core-foundations", 3, 5, 2,
        (("Sitting through a film", 4, 6), ("Putting on socks", 5, 7), ("Carrying the shopping", 3, 5)),
        skip_every=5,
    ),
    # Sam's pain climbs from 2 to 7, a recent session went red and the morning after it was bad: Coach sees a red
    # session, a bad morning and a safety check due again, besides the rising pain and a painful exercise.
    "sam@example.com": Story(
        "gentle-start", 1, 2, 7, (("Getting out of bed", 5, 4),), hurts="knee-to-chest", bad_turn=True
    ),
    "jo@example.com": Story(
        "desk-endurance", 2, 4, 3, (("Sitting at my desk all afternoon", 4, 5),), stop_days_ago=8
    ),
}  # fmt: skip


def seed() -> int:
    """Create whatever demo account is missing, and each client's story once. Returns how many were new."""
    created = 0
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        user = accounts.find_user(spec["email"])
        if user is None:
            user = accounts.create_user(spec["email"], DEMO_PASSWORD, spec["name"], spec["role"], DEMO_ZONE)
            created += 1
        users[spec["email"]] = user
    for spec in DEMO_USERS:
        if spec["trainer"]:
            users[spec["email"]].trainer_id = users[spec["trainer"]].id
    db.session.commit()
    for email, story in STORIES.items():
        client = users[email]
        if active_assignment(client) is None:
            trainer = users[next(s["trainer"] for s in DEMO_USERS if s["email"] == email)]
            tell(client, trainer, story)
    open_invite(users["coach@example.com"])
    return created


def open_invite(trainer: User) -> None:
    """One pending invite for Coach, so the invite page and its QR code can be tried straight away."""
    if pending_for(trainer) is None:
        create_invite(trainer, "Taylor Reed", "taylor@example.com")


def tell(client: User, trainer: User, story: Story) -> None:
    today = local_date(utcnow(), client.timezone)
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=story.weeks_ago)
    screens.record_screen(client, [])
    records.record_about(
        client, str(story.pain_start), [(name, str(first)) for name, first, _ in story.activities],
        ["mon", "wed", "fri"], "07:30",
    )  # fmt: skip
    _backdate(client, start)
    program = starter_program(story.program)
    assignment = assign(client, program, start, by=trainer)
    records.finish_onboarding(client)
    plan = plan_for(assignment)
    days = [d for d in plan.planned_days(start, today - timedelta(days=1)) if (today - d).days >= story.stop_days_ago]
    if story.skip_every:
        days = [d for n, d in enumerate(days) if (n + 1) % story.skip_every]
    # Only sessions before yesterday have had their next morning.
    checked = [d for d in days if d < today - timedelta(days=1)]
    bad_day = checked[-1] if story.bad_turn and checked else None
    payloads = []
    for n, day in enumerate(days):
        share = n / max(1, len(days) - 1)
        pain_before = round(story.pain_start + (story.pain_end - story.pain_start) * share)
        routine = plan.routine_on(day)
        end = datetime.combine(day, time(7, 55), zone(client.timezone)).astimezone(UTC)
        payloads.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"coresteady-demo/{client.email}/{day.isoformat()}")),
                "user_id": client.id,
                "routine_id": routine.id,
                "started_at": (end - timedelta(minutes=program.minutes_per_session)).isoformat(),
                "completed_at": end.isoformat(),
                "pain_before": pain_before,
                "pain_after": min(10, pain_before + 4)
                if day == bad_day
                else max(0, min(10, pain_before - 1 if story.pain_end <= story.pain_start else pain_before + 1)),
                "effort": 3 if share > 0.6 else 5,
                "notes": "Felt looser afterwards." if n % 4 == 1 else "",
                "exercises": [
                    {
                        "exercise": item.exercise.slug,
                        "sets_done": item.sets,
                        # As the player counts them: every repetition of every set, on each side.
                        "reps_done": item.sets * item.reps * (2 if item.exercise.per_side else 1),
                        "hold_seconds": item.hold_seconds if item.exercise.kind == "hold" else 0,
                        "painful": item.exercise.slug == story.hurts and share > 0.5,
                    }
                    for item in routine.items
                ],
            }
        )
    store_batch(client, payloads)
    sessions = db.session.execute(
        db.select(CompletedSession).where(CompletedSession.user_id == client.id).order_by(CompletedSession.completed_at)
    ).scalars()
    for session in sessions:
        if session.local_date < today - timedelta(days=1):
            morning = datetime.combine(session.local_date + timedelta(days=1), time(8, 0), zone(client.timezone))
            db.session.add(
                CheckIn(
                    user_id=client.id,
                    kind="next-day",
                    pain=max(6, session.pain_before + 3) if session.local_date == bad_day else session.pain_after,
                    session_id=session.id,
                    created_at=morning.astimezone(UTC),
                )
            )
    _rerate(client, story, start)
    db.session.commit()


def _backdate(client: User, start: date) -> None:
    """Onboarding happened the weekend before the program started."""
    when = datetime.combine(start - timedelta(days=2), time(19, 0), UTC)
    for check in db.session.execute(db.select(CheckIn).filter_by(user_id=client.id)).scalars():
        check.created_at = when
    for screen in db.session.execute(db.select(RedFlagScreen).filter_by(user_id=client.id)).scalars():
        screen.answered_at = screen.created_at = when
    for activity in db.session.execute(db.select(FunctionActivity).filter_by(user_id=client.id)).scalars():
        for rating in activity.ratings:
            rating.rated_at = when
    db.session.commit()


def _rerate(client: User, story: Story, start: date) -> None:
    """Two weeks in, the activities were rated again (the patient-specific function check)."""
    if story.weeks_ago < 2:
        return
    when = datetime.combine(start + timedelta(days=14), time(19, 0), UTC)
    by_name = {
        a.name: a for a in db.session.execute(db.select(FunctionActivity).filter_by(user_id=client.id)).scalars()
    }
    for name, _first, later in story.activities:
        by_name[name].ratings.append(FunctionRating(score=later, rated_at=when))
