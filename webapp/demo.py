"""The demo accounts of DESIGN.md, so a newcomer can try both sides of the app at once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .auth import services as accounts
from .auth.models import User
from .content.services import visible_exercises
from .extensions import db
from .messages import services as messages
from .messages.models import Message
from .programs.duration import routine_minutes
from .programs.personal import doses_of, items_for
from .programs.services import active_assignment, assign, starter_program
from .reminders import services as reminders
from .sessions import progression, screens
from .sessions import services as records
from .sessions.models import CheckIn, CompletedSession, FunctionActivity, FunctionRating, RedFlagScreen
from .sessions.schedule import plan_for, week_routines
from .sessions.sync import store_batch
from .timeutil import local_date, utcnow, zone
from .trainer.invites import create_invite, pending_for

DEMO_PASSWORD = "demo-pass-123"
NOTES = ("", "Felt looser afterwards.", "", "")
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
    # Which sessions (1 for the first) go red: the week they fall in is repeated.
    red_sessions: tuple[int, ...] = ()
    # The morning after a red session was bad (pain 6 or more): the safety check is due again.
    bad_turn: bool = False
    # After this many planned sessions, the trainer takes the first dose step the sessions suggest.
    steps_after: int = 0


STORIES = {
    "alex@example.com": Story(
        "core-foundations", 3, 5, 2,
        (("Sitting through a film", 4, 6), ("Putting on socks", 5, 7), ("Carrying the shopping", 3, 5)),
        skip_every=7, steps_after=5,
    ),
    # Sam's pain climbs from 2 to 9; his Wednesday in the first week went red and the morning after it was bad, so
    # this week is week 1 again, and Coach sees a red session, a bad morning and a safety check due again, besides
    # the rising pain and a painful exercise.
    "sam@example.com": Story(
        "gentle-start", 1, 2, 9, (("Getting out of bed", 5, 4),), hurts="knee-to-chest", red_sessions=(2,),
        bad_turn=True,
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
    converse(users["alex@example.com"], users["sam@example.com"], users["coach@example.com"])
    reminders_on(users["alex@example.com"])
    return created


def converse(alex: User, sam: User, coach: User) -> None:
    """A short conversation, once: Coach and Alex over the last week (Coach's newest, about Alex's last session,
    still unread, so Today shows it), and a question from Sam that Coach has not read yet."""
    if db.session.scalar(db.select(Message.id).where(Message.client_id.in_([alex.id, sam.id])).limit(1)):
        return
    now = utcnow()
    last = (
        db.session.execute(
            db.select(CompletedSession)
            .where(CompletedSession.user_id == alex.id)
            .order_by(CompletedSession.completed_at.desc())
        )
        .scalars()
        .first()
    )
    lines = [
        (
            alex,
            "trainer",
            6,
            "Hi Alex, you are halfway through Core foundations. Keep every movement slow and "
            "smooth, and tell me if anything feels sharp.",
            None,
        ),
        (
            alex,
            "client",
            5,
            "Thanks! Mornings are still stiff, but it eases once I have done the routine. Is it fine "
            "to do it before work?",
            None,
        ),
        (
            alex,
            "trainer",
            5,
            "Yes, before work is fine. Move around for a few minutes first, and if one exercise "
            "hurts more than usual, stop that one and let me know.",
            None,
        ),
        (alex, "client", 3, "Will do. Putting on socks was easier this morning.", None),
    ]
    if last is not None:
        felt = "your pain was lower afterwards than before" if last.pain_after < last.pain_before else "a steady one"
        day = f"{last.local_date:%A}"
        lines.append(
            (
                alex,
                "trainer",
                1,
                f"Great work on {day}: {felt}. Same doses this week, then we look at the next step.",
                last.uuid,
            )
        )
    lines.append((sam, "client", 0, "The knee to chest hurt again today. Should I skip it for now?", None))
    for client, author, days_ago, body, session in lines:
        thread = messages.Thread(client, coach)
        written = now - timedelta(days=days_ago, hours=2)
        raw = {"id": str(uuid.uuid4()), "body": body, "written_at": written.isoformat()}
        if session:
            raw["session"] = session
        writer = coach if author == "trainer" else client
        messages.store_batch(thread, author, writer, [raw], written)
        if days_ago >= 3:  # the older ones were read the same day
            db.session.execute(
                db.update(Message).where(Message.uuid == raw["id"]).values(read_at=written + timedelta(hours=1))
            )
    db.session.commit()


def reminders_on(client: User) -> None:
    """Alex has reminders on (at the preferred 07:30), so the settings and a phone's notifications can be tried."""
    if reminders.setting_of(client) is None:
        reminders.turn_on(client)
        db.session.commit()


def open_invite(trainer: User) -> None:
    """One pending invite for Coach, so the invite page and its QR code can be tried straight away."""
    if pending_for(trainer) is None:
        create_invite(trainer, "Taylor Reed", "taylor@example.com")


def tell(client: User, trainer: User, story: Story) -> None:
    """The client's weeks, day by day: each session is done as the plan stood that morning, so weeks repeat
    and doses step as they would have for a real person (sessions/weeks.py, sessions/progression.py)."""
    today = local_date(utcnow(), client.timezone)
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=story.weeks_ago)
    screens.record_screen(client, [])
    records.record_about(
        client, story.pain_start, [(name, first) for name, first, _ in story.activities],
        ["mon", "wed", "fri"], "07:30",
    )  # fmt: skip
    _backdate(client, start)
    assignment = assign(client, starter_program(story.program), start, by=trainer)
    records.finish_onboarding(client)
    library = {e.slug: e for e in visible_exercises(client)}
    planned, stepped, day = 0, False, start
    while day < today:
        plan = plan_for(assignment, day)
        routine = plan.routine_on(day)
        if routine is not None and (today - day).days >= story.stop_days_ago:
            planned += 1
            if not story.skip_every or planned % story.skip_every:
                _do_session(client, story, assignment, routine, day, (day - start).days / max(1, (today - start).days))
                stepped = stepped or (story.steps_after and planned >= story.steps_after and _take_a_step(
                    client, trainer, assignment, plan, day, library))  # fmt: skip
        day += timedelta(days=1)
    _rerate(client, story, start)
    db.session.commit()


def _do_session(client: User, story: Story, assignment, routine, day: date, share: float) -> None:
    """One session of the routine, every dose in full (as the player counts it), and its next-morning check."""
    number = db.session.scalar(
        db.select(db.func.count(CompletedSession.id)).where(CompletedSession.user_id == client.id)
    )
    pain_before = round(story.pain_start + (story.pain_end - story.pain_start) * share)
    red = number + 1 in story.red_sessions
    if red:
        pain_after = min(10, pain_before + 5)
    else:
        pain_after = max(0, min(10, pain_before - 1 if story.pain_end <= story.pain_start else pain_before + 1))
    end = datetime.combine(day, time(7, 55), zone(client.timezone)).astimezone(UTC)
    items = items_for(routine, doses_of(assignment))
    exercises = [
        {
            "exercise": item.exercise.slug,
            "sets_done": item.sets,
            "reps_done": item.sets * item.reps * (2 if item.exercise.per_side else 1),
            "hold_seconds": item.hold_seconds if item.exercise.kind == "hold" else 0,
            "painful": item.exercise.slug == story.hurts and share > 0.5,
        }
        for item in items
    ]
    payload = {
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"coresteady-demo/{client.email}/{day.isoformat()}")),
        "user_id": client.id,
        "routine_id": routine.id,
        "started_at": (end - timedelta(minutes=routine_minutes(items))).isoformat(),
        "completed_at": end.isoformat(),
        "pain_before": pain_before,
        "pain_after": pain_after,
        "effort": 6 if red else 3 if share > 0.4 else 5,
        "notes": "Sharp twinge halfway; stopped the last one."
        if red
        else "Felt looser afterwards."
        if number % 4 == 1
        else "",
        "exercises": exercises,
    }
    store_batch(client, [payload])
    session = db.session.execute(db.select(CompletedSession).filter_by(uuid=payload["id"])).scalar_one()
    if day < local_date(utcnow(), client.timezone) - timedelta(days=1):
        # The next morning: settled back to where it started, except after a red session (a bad morning, if so told).
        morning = datetime.combine(day + timedelta(days=1), time(8, 0), zone(client.timezone)).astimezone(UTC)
        pain = min(pain_after, pain_before)
        if red:
            pain = max(6, pain_before + 3) if story.bad_turn else pain_before + 1
        db.session.add(
            CheckIn(user_id=client.id, kind="next-day", pain=pain, session_id=session.id, created_at=morning)
        )
        db.session.commit()


def _take_a_step(client: User, trainer: User, assignment, plan, day: date, library) -> bool:
    """The trainer accepts the first dose step the client's sessions suggest, that evening."""
    week = progression.client_week(client, assignment, week_routines(plan, day), day, library)
    step = next((s for s in week.suggestions if s.change == "dose" and s.direction == "up"), None)
    if step is None:
        return False
    evening = datetime.combine(day, time(19, 0), zone(client.timezone)).astimezone(UTC)
    progression.take(assignment, step, step.to, trainer, evening)
    db.session.commit()
    return True


def _backdate(client: User, start: date) -> None:
    """The account was made, and onboarding done, the weekend before the program started."""
    when = datetime.combine(start - timedelta(days=2), time(19, 0), UTC)
    client.created_at = min(client.created_at, when)
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
