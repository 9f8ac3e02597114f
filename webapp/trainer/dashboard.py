"""The trainer's dashboard: each client's adherence, last session, pain trend, effort and flags with their reasons.

Every query covers all of the trainer's clients at once (a GROUP BY, a window function or a plain set of rows),
and the rules then run in Python per client: the page costs the same number of queries for 3 clients as for 1,000.
The rules take a few milliseconds per client, so the job worker keeps each client's row worked out (`refresh`,
summaries.py) and the page reads the kept rows that still hold, working out only the others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from statistics import fmean
from typing import Literal

from flask import Flask
from sqlalchemy import and_, func
from sqlalchemy.orm import contains_eager

from ..auth.models import User
from ..content.models import Exercise
from ..extensions import db
from ..jobs.registry import add_task
from ..messages.services import unread_by_client
from ..programs.models import Assignment, Program, ProgramWeek, Routine
from ..sessions import outcomes, progress, red_flags, rules, safety, screens
from ..sessions.models import CheckIn, CompletedSession, SessionExercise
from ..sessions.schedule import Adherence, Plan, day_map, sessions_planned
from ..sessions.weeks import week_runs
from ..timeutil import WEEKDAYS, local_date, utcnow, zone
from . import summaries

RECENT_DAYS = 14  # pain, effort and painful exercises: the last two weeks, as rules.pain_trend describes
WEEK_DAYS = 7
MONTH_DAYS = 30
QUIET_DAYS = 7
BASELINE_SESSIONS = progress.BASELINE_SESSIONS

FlagKind = Literal["red_flag", "red_session", "bad_morning", "safety_due", "pain_up", "painful", "quiet", "ready"]
OVERDUE = timedelta(days=7)  # a screen due this long without an answer reads "overdue"
# Flags that say pain is a worry now, whatever the two-week average: a red flag, a session or morning in the red
# of Silbernagel's pain-monitoring model (sessions/rules.py), a rise on the usual pain, an exercise marked painful.
# The dashboard's note names each of them in these words, so the note cannot leave one out.
PAIN_WORRY_WORDS = {
    "red_flag": "a red-flag answer",
    "red_session": "a red session",
    "bad_morning": "a bad morning",
    "pain_up": "a rise in pain",
    "painful": "a painful exercise",
}
PAIN_WORRIES = frozenset(PAIN_WORRY_WORDS)
# Pain and safety together: what the remove page shows before the link goes, since no one will see it afterwards.
SAFETY_WORRIES = PAIN_WORRIES | {"safety_due"}


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    reason: str

    @property
    def concern(self) -> bool:
        """Everything but "ready to progress" asks the trainer to look; that one is good news."""
        return self.kind != "ready"


@dataclass(frozen=True)
class PainTrend:
    baseline: float | None
    recent: float | None

    @property
    def change(self) -> float | None:
        return rules.pain_trend(self.baseline, self.recent)

    @property
    def direction(self) -> Literal["up", "down", "same"] | None:
        change = self.change
        if change is None:
            return None
        return "up" if change > 0 else "down" if change < 0 else "same"


@dataclass
class ClientRow:
    client: User
    today: date
    program: Program | None
    week: Adherence
    month: Adherence
    last_session: date | None
    pain: PainTrend
    effort: float | None
    flags: list[Flag] = field(default_factory=list)
    # Messages the client wrote to this trainer that the trainer has not marked read.
    unread: int = 0
    # Read from the client's kept row (summaries.py) rather than worked out for this request.
    kept: bool = False

    @property
    def days_since(self) -> int | None:
        return None if self.last_session is None else (self.today - self.last_session).days

    @property
    def last_session_words(self) -> str:
        return days_ago(self.days_since)

    @property
    def pain_tone(self) -> Literal["up", "down", "same", "muted"] | None:
        """How the pain trend is coloured: a lower average reads as good news (green) only when no flag of the
        same client says pain is a worry now. A flare is judged on its own session and the next morning (Silbernagel
        et al. 2007), and an average over two weeks can fall while one session went red; shown green beside a red
        flag, it read as "all is well" to a trainer scanning the colours. The arrow and the figure stay as they are."""
        direction = self.pain.direction
        if direction == "down" and any(f.kind in PAIN_WORRIES for f in self.flags):
            return "muted"
        return direction

    @property
    def concerns(self) -> list[Flag]:
        return [f for f in self.flags if f.concern]

    @property
    def ready(self) -> bool:
        return any(f.kind == "ready" for f in self.flags)

    @property
    def quiet(self) -> bool:
        return any(f.kind == "quiet" for f in self.flags)


def days_ago(days: int | None) -> str:
    if days is None:
        return "never"
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


# ---- The facts, gathered for every client in a constant number of queries ----


@dataclass
class Facts:
    """What the rules need about one client, filled from the set-based queries below."""

    assignment: Assignment | None = None
    last_day: date | None = None
    recent: list = field(default_factory=list)  # (id, local_date, pain_before, pain_after, effort), last ~month
    first: list = field(default_factory=list)  # (id, pain_before), the first few sessions
    # (id, pain_before, pain_after, effort, painful, next_day, worst pain during an exercise)
    last_two: list = field(default_factory=list)
    baseline_check_in: int | None = None
    safety: screens.Facts = field(default_factory=screens.Facts)  # red-flag answers and what asks for them again
    painful: list = field(default_factory=list)  # (local_date, exercise name, exercise id), the last few weeks
    # Every session of the current plan, oldest first, as the traffic light reads it: the weeks follow them.
    history: list = field(default_factory=list)


def nth_session(order, offset: int):
    """The id of a client's session at this place in the given order: one index seek per client."""
    S = CompletedSession
    query = db.select(S.id).where(S.user_id == User.id).order_by(*order).limit(1).offset(offset)
    return query.correlate(User).scalar_subquery()


def chunks(values: list, size: int = 5000):
    """Long id lists a few thousand at a time, under SQLite's limit on bound parameters."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def gather(client_ids, since: date, painful_since: date) -> tuple[dict[int, Facts], dict[int, Program]]:
    """Facts per client, and the programs they follow with weeks and routines loaded.

    client_ids: a subquery of user ids. since / painful_since: the earliest local date any client may need.
    Every query is bounded per client, by date or by a few rows found through an index, never by the whole
    history: the page costs the same for a client with ten sessions as for one with a thousand.
    """
    facts: dict[int, Facts] = defaultdict(Facts)
    S = CompletedSession  # a short alias: these queries are long
    mine = S.user_id.in_(client_ids)

    assignments = db.session.execute(
        db.select(Assignment)
        .where(Assignment.client_id.in_(client_ids), Assignment.is_active.is_(True))
        .order_by(Assignment.created_at, Assignment.id)
    ).scalars()
    program_ids = set()
    for assignment in assignments:  # the newest active one wins, as programs.services.active_assignment does
        facts[assignment.client_id].assignment = assignment
        program_ids.add(assignment.program_id)
    programs: dict[int, Program] = {}
    if program_ids:
        # Weeks and routines in one joined query, so a Plan can be laid over the calendar without lazy loads.
        # Held in a dict: the session only keeps weak references, and a lost program would be loaded again.
        programs = {
            p.id: p
            for p in db.session.execute(
                db.select(Program)
                .outerjoin(Program.weeks)
                .outerjoin(ProgramWeek.routines)
                .where(Program.id.in_(program_ids))
                .order_by(Program.id, ProgramWeek.number, Routine.position, Routine.id)
                .options(contains_eager(Program.weeks).contains_eager(ProgramWeek.routines))
            )
            .unique()
            .scalars()
        }

    # Per client, through indexes: the last day, the first few and the last two sessions, the onboarding rating.
    oldest, newest = (S.completed_at, S.id), (S.completed_at.desc(), S.id.desc())
    last_day = db.select(func.max(S.local_date)).where(S.user_id == User.id).correlate(User).scalar_subquery()
    baseline = (
        db.select(CheckIn.pain)
        .where(CheckIn.user_id == User.id, CheckIn.kind == "baseline")
        .order_by(CheckIn.created_at, CheckIn.id)
        .limit(1)
        .correlate(User)
        .scalar_subquery()
    )
    firsts = [nth_session(oldest, n) for n in range(BASELINE_SESSIONS)]
    lasts = [nth_session(newest, n) for n in range(2)]
    wanted: dict[int, list[int]] = {}
    for user_id, day, pain, *ids in db.session.execute(
        db.select(User.id, last_day, baseline, *firsts, *lasts).where(User.id.in_(client_ids))
    ):
        facts[user_id].last_day = day
        facts[user_id].baseline_check_in = pain
        wanted[user_id] = ids
    found = {}
    painful = outcomes.any_painful(S.id)
    ids = list({i for row in wanted.values() for i in row if i is not None})
    for part in chunks(ids):
        for row in db.session.execute(
            db.select(S.id, S.pain_before, S.pain_after, S.effort, painful, next_day_pain(S.id),
                      outcomes.worst_during(S.id))
            .where(S.id.in_(part))
        ):  # fmt: skip
            found[row[0]] = (row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6])
    for user_id, row in wanted.items():
        first, last = row[:BASELINE_SESSIONS], row[BASELINE_SESSIONS:]
        facts[user_id].first = [(i, found[i][1]) for i in first if i is not None]
        facts[user_id].last_two = [found[i] for i in dict.fromkeys(last) if i is not None]

    for row in db.session.execute(
        db.select(S.user_id, S.id, S.local_date, S.pain_before, S.pain_after, S.effort)
        .where(mine, S.local_date >= since)
        .order_by(S.completed_at, S.id)
    ):
        facts[row.user_id].recent.append(tuple(row)[1:])

    for user_id, day, name, exercise_id in db.session.execute(
        db.select(S.user_id, S.local_date, Exercise.name, Exercise.id)
        .join(SessionExercise, SessionExercise.session_id == S.id)
        .join(Exercise, Exercise.id == SessionExercise.exercise_id)
        .where(mine, S.local_date >= painful_since, SessionExercise.painful.is_(True))
        # Newest first, ties in a fixed order: a kept row and a row worked out now name the same exercises.
        .order_by(S.local_date.desc(), S.completed_at.desc(), S.id.desc(), SessionExercise.position)
    ):
        facts[user_id].painful.append((day, name, exercise_id))
    gather_history(facts)
    return facts, programs


def next_day_pain(session_id):
    """The session's next-morning rating (the newest, should there be two), through the check-ins' session index."""
    query = (
        db.select(CheckIn.pain)
        .where(CheckIn.session_id == session_id, CheckIn.kind == "next-day")
        .order_by(CheckIn.created_at.desc(), CheckIn.id.desc())
        .limit(1)
    )
    return query.scalar_subquery()


def gather_history(facts: dict[int, Facts]) -> None:
    """Each client's sessions of their plan's program since it started, as outcomes: from each plan's start on,
    so a client's sessions before their current plan are never read."""
    chosen = [f.assignment.id for f in facts.values() if f.assignment is not None]
    S, A = CompletedSession, Assignment
    painful = outcomes.any_painful(S.id)
    for part in chunks(chosen):
        rows = db.session.execute(
            db.select(
                S.user_id, S.local_date, S.pain_before, S.pain_after, S.effort, painful, next_day_pain(S.id),
                outcomes.worst_during(S.id),
            )
            .select_from(A)
            .join(S, and_(S.user_id == A.client_id, S.local_date >= A.start_date))
            .join(Program, and_(Program.id == S.program_id, Program.family == A.family))
            .where(A.id.in_(part))
            .order_by(S.completed_at, S.id)
        )  # fmt: skip
        for user_id, day, before, after, effort, hurt, next_day, during in rows:
            facts[user_id].history.append(rules.Outcome(before, after, effort, bool(hurt), next_day, (during,), day))


# ---- The rules, per client, in plain functions ----


def pain_trend(facts: Facts, today: date) -> PainTrend:
    """Baseline: the onboarding rating, else the first sessions' pain. Recent: the last two weeks.

    Pain is the rating a client gives as a session starts, as on their own history page: the back's state
    that day, comparable with the onboarding rating; what a session itself stirs up is the traffic light's job.
    """
    if facts.baseline_check_in is not None:
        baseline, used = float(facts.baseline_check_in), set()
    elif facts.first:
        baseline, used = fmean(pain for _, pain in facts.first), {session_id for session_id, _ in facts.first}
    else:
        return PainTrend(None, None)
    # Sessions that made the baseline are not also "now": one session alone would otherwise compare with itself.
    recent = [s[2] for s in facts.recent if s[1] > today - timedelta(days=RECENT_DAYS) and s[0] not in used]
    return PainTrend(round(baseline, 1), round(fmean(recent), 1) if recent else None)


def average_effort(facts: Facts, today: date) -> float | None:
    efforts = [s[4] for s in facts.recent if s[1] > today - timedelta(days=RECENT_DAYS)]
    return round(fmean(efforts), 1) if efforts else None


def last_two_outcomes(facts: Facts) -> list[rules.Outcome]:
    return [
        rules.Outcome(pain_before=before, pain_after=after, effort=effort, painful_exercise=painful,
                      next_day_pain=next_day, pain_during=(during,))
        for _, before, after, effort, painful, next_day, during in facts.last_two
    ]  # fmt: skip


def worsening(facts: Facts, today: date) -> bool:
    """Pain before sessions up week on week (rules.worsening), from the last month's sessions."""
    return rules.worsening(
        [rules.Outcome(before, after, effort, day=day) for _, day, before, after, effort in facts.recent], today
    )


def red_flag_flag(facts: screens.Facts, status: safety.Status, now: datetime) -> Flag | None:
    """The strictest red-flag answer of the last 30 days (whatever later answers say), or one still waiting."""
    recent = [a for a in facts.answers if not a.confirmation and a.outcome != "clear"
              and a.answered_at >= now - safety.RED_FLAG_SHOWN]  # fmt: skip
    shown = list(dict.fromkeys(recent + status.waiting))
    if not shown:
        return None
    worst = max(shown, key=lambda a: (red_flags.RANK[a.outcome], a.order))
    reason = (
        f"Red-flag answer on {progress.short_date(worst.day)} ({red_flags.ADVICE[worst.outcome]}: "
        f"{', '.join(red_flags.labels(worst.signs))})"
    )
    if not red_flags.blocks(worst.outcome):
        return Flag("red_flag", reason)
    cleared = [c for c in facts.answers if safety.clears(c, worst)]
    if cleared:
        return Flag("red_flag", f"{reason}; seen by a clinician on {progress.short_date(cleared[0].assessed_on)}")
    return Flag("red_flag", f"{reason}; waiting for a clinician's check")


# What a flag of a client's row names, by the kind of reason the safety check is asked for and the day of the
# session it is about: the check's flag names it by that alone.
Named = dict[tuple[str, date], str]


def session_flags(facts: screens.Facts, today: date, timezone: str) -> tuple[list[Flag], Named]:
    """The last two weeks' red sessions (the traffic light's judgement) and bad next mornings, newest named; and
    what they name, for the safety check's flag (safety_due_flag)."""
    recent = [s for s in facts.sessions if s.day > today - timedelta(days=RECENT_DAYS)]
    flags, named = [], {}
    red = [s for s in recent if s.light == "red"]
    if red:
        last = red[-1]
        day = progress.short_date(last.day)
        reason = f"Red session on {day}: {safety.pain_in_words(last)}"
        flags.append(Flag("red_session", reason + (f" ({len(red)} in two weeks)" if len(red) > 1 else "")))
        named[("red_session", last.day)] = f"the red session on {day}"
    bad = [s for s in recent if safety.bad_morning(s.morning)]
    if bad:
        morning = bad[-1].morning
        what = []
        if morning.pain >= safety.BAD_MORNING_PAIN:
            what.append(f"pain {morning.pain}")
        if morning.legs:
            what.append("new numbness, tingling or weakness in the legs")
        day = progress.short_date(local_date(morning.at, timezone))
        flags.append(Flag("bad_morning", f"Bad morning on {day}: {' and '.join(what)}"))
        for kind in ("bad_morning", "legs"):  # the morning's pain, its legs: both in the one flag
            named[(kind, bad[-1].day)] = f"the bad morning on {day}"
    return flags, named


def safety_due_flag(status: safety.Status, now: datetime, timezone: str, named: Named) -> Flag | None:
    """Whether the safety check waits, since when and why. named: what the row's other flags name (session_flags);
    a check asked for because of one of those names it by its day alone, so the row does not say the same pain
    twice."""
    due = status.due
    if due is None:
        return None
    if due.since is None:
        return Flag("safety_due", "Safety check not answered yet")
    since = named.get((due.kind, due.day))
    if since is None:
        since = f"{progress.short_date(local_date(due.since, timezone))}: {due.reason}"
    if now - due.since > OVERDUE:
        return Flag("safety_due", f"Safety check overdue, asked for since {since}")
    return Flag("safety_due", f"Safety check due since {since}")


def pain_up_flag(pain: PainTrend, status: safety.Status, today: date) -> Flag | None:
    if pain.change is not None and pain.change >= rules.MEANINGFUL_PAIN_CHANGE:
        words = f"Pain up by {pain.change:g} (from {pain.baseline:g} at the start to {pain.recent:g} lately)"
        return Flag("pain_up", words)
    rises = [t for t in status.triggers if t.kind == "pain_rise" and t.day > today - timedelta(days=RECENT_DAYS)]
    if rises:
        reason = rises[-1].reason
        return Flag("pain_up", reason[0].upper() + reason[1:])
    return None


def flags_for(facts: Facts, pain: PainTrend, days_since: int | None, today: date, timezone: str,
              now: datetime) -> list[Flag]:  # fmt: skip
    status = facts.safety.status(now, look_back=now - timedelta(days=RECENT_DAYS + 1))
    first = red_flag_flag(facts.safety, status, now)
    flags = [first] if first else []
    sessions, named = session_flags(facts.safety, today, timezone)
    flags += sessions
    due = safety_due_flag(status, now, timezone, named)
    flags += [flag for flag in (due, pain_up_flag(pain, status, today)) if flag]
    seen = set()
    for day, name, _ in facts.painful:  # newest first: one flag per exercise, with the latest day it hurt
        if name not in seen and day > today - timedelta(days=RECENT_DAYS):
            seen.add(name)
            flags.append(Flag("painful", f"Marked {name} painful on {progress.short_date(day)}"))
    # A quiet spell while a red-flag answer waits for a clinician is the advice followed, not a lapse to chase.
    on_hold = "; exercise is on hold until a clinician's check" if status.blocked else ""
    if days_since is None:
        flags.append(Flag("quiet", f"No session yet{on_hold}"))
    elif days_since >= QUIET_DAYS:
        flags.append(Flag("quiet", f"No session for {days_since} days{on_hold}"))
    # Beside any concern (a week off, a red flag, a red session, rising pain, an exercise that hurt), stepping up
    # is not the next move, whatever the last two sessions said; nor while the week's pain is worsening.
    step = rules.next_step(last_two_outcomes(facts), worsening(facts, today))
    if step == "harder" and not any(flag.concern for flag in flags):
        flags.append(Flag("ready", "Ready to progress: two easy, green sessions in a row"))
    return flags


@dataclass(frozen=True)
class QuickPlan(Plan):
    """The same calendar as Plan, with each week's weekdays looked up once per program rather than once per day:
    the dashboard asks about 30 days for every client."""

    table: tuple = ()  # per program week: {weekday index: the routine planned that day}

    def routine_on(self, day: date) -> Routine | None:
        offset = (day - self.start_date).days
        if offset < 0 or offset >= 7 * self.blocks:
            return None
        number = self.runs[offset // 7].number if self.runs else offset // 7 + 1
        return self.table[number - 1].get(day.weekday())


def week_table(program: Program, moved: dict[str, str]) -> tuple:
    """moved: the client's day_map, as Plan uses it."""
    table = []
    for week in program.weeks:
        days: dict[int, Routine] = {}
        for routine in week.routines:  # in order: the first routine on a day wins, as in Plan.routine_on
            for name in routine.day_list:
                if moved and name not in moved:
                    continue
                days.setdefault(WEEKDAYS.index(moved.get(name, name)), routine)
        table.append(days)
    return tuple(table)


def row_for(client: User, facts: Facts, now: datetime, programs: dict[int, Program], tables: dict) -> ClientRow:
    today = local_date(now, client.timezone)
    assignment = facts.assignment
    program = programs[assignment.program_id] if assignment else None
    plan = None
    if assignment is not None:
        key = (program.id, assignment.days)
        if key not in tables:
            moved = day_map(program, assignment.day_list)
            tables[key] = (moved, week_table(program, moved))
        moved, table = tables[key]
        # Days on hold after a red-flag answer are not counted against the client (safety.held_days).
        held = safety.held_days(facts.safety.answers, today)
        # The weeks follow the client's outcomes, exactly as schedule.plan_for judges them (weeks.py).
        runs = week_runs(
            len(program.weeks), assignment.start_date, facts.history, today,
            lambda number: sessions_planned(program, moved, number), held,
        )  # fmt: skip
        plan = QuickPlan(program, assignment.start_date, moved, runs, held, table=table)
    done = {s[1] for s in facts.recent}
    pain = pain_trend(facts, today)
    days_since = None if facts.last_day is None else (today - facts.last_day).days
    return ClientRow(
        client=client,
        today=today,
        program=program,
        week=progress.adherence_so_far(plan, done, today - timedelta(days=WEEK_DAYS - 1), today),
        month=progress.adherence_so_far(plan, done, today - timedelta(days=MONTH_DAYS - 1), today),
        last_session=facts.last_day,
        pain=pain,
        effort=average_effort(facts, today),
        flags=flags_for(facts, pain, days_since, today, client.timezone, now),
    )


def windows(now: datetime) -> tuple[date, date]:
    """The earliest local dates the facts read (the last month, the last two weeks): clients live in many zones,
    and a day of margin either side covers every one's "today"."""
    utc_today = now.date()
    return utc_today - timedelta(days=MONTH_DAYS + 1), utc_today - timedelta(days=RECENT_DAYS + 1)


def worked_out(clients: list[User], client_ids, now: datetime) -> tuple[dict[int, ClientRow], dict[int, Facts]]:
    """The rows of these clients from their records, and the facts they came from (client_ids: their ids, as a
    subquery or a list)."""
    since, painful_since = windows(now)
    facts, programs = gather(client_ids, since, painful_since)
    for user_id, found in screens.gather(client_ids, now).items():
        facts[user_id].safety = found
    tables: dict[int, tuple] = {}
    return {client.id: row_for(client, facts[client.id], now, programs, tables) for client in clients}, facts


def client_rows(
    trainer: User, now: datetime | None = None, client_id: int | None = None, kept: bool = True
) -> list[ClientRow]:
    """Every client of this trainer (or just one of them), in name order.

    A client's kept row (summaries.py) is used while it is still what the rules would say now; every other row
    is worked out from the records, and nothing is written (GET never writes: the job worker keeps the rows).
    kept=False works every row out.
    """
    now = now or utcnow()
    owned = [User.trainer_id == trainer.id, User.role == "client"]
    if client_id is not None:
        owned.append(User.id == client_id)
    client_ids = db.select(User.id).where(*owned)
    clients = list(db.session.execute(db.select(User).where(*owned).order_by(User.name, User.id)).scalars())
    if not clients:
        return []
    stored = summaries.read(client_ids) if kept else {}
    usable = {c.id: held for c in clients if c.id in stored and (held := stored[c.id].at(now)) is not None}
    usable = usable_names(usable)
    rows: dict[int, ClientRow] = {}
    if len(usable) < len(clients):
        others = [c for c in clients if c.id not in usable]
        rows = worked_out(others, client_ids if not usable else [c.id for c in others], now)[0]
    if usable:
        wanted = {k.program_id for k in usable.values() if k.program_id is not None}
        programs = {p.id: p for p in db.session.execute(db.select(Program).where(Program.id.in_(wanted))).scalars()}
        days: dict[str, date] = {}  # today in each zone, worked out once per zone
        for client in clients:
            if client.id in usable:
                timezone = client.timezone
                if timezone not in days:
                    days[timezone] = local_date(now, timezone)
                rows[client.id] = kept_row(client, usable[client.id], programs, days[timezone])
    unread = unread_by_client(trainer)
    ordered = [rows[client.id] for client in clients]
    for row in ordered:
        row.unread = unread.get(row.client.id, 0)
    return ordered


# ---- Kept rows: what the job worker writes and the dashboard reads back ----


def usable_names(usable: dict[int, summaries.Kept]) -> dict[int, summaries.Kept]:
    """Keep only the rows whose painful exercises still have the names the row shows (a trainer may rename their
    own exercise, and a content update a library one): one query for every row at once."""
    named = {int(i): name for k in usable.values() for i, name in k.row.get("names", {}).items()}
    if not named:
        return usable
    now_named = dict(
        db.session.execute(db.select(Exercise.id, Exercise.name).where(Exercise.id.in_(list(named)))).all()
    )
    return {
        client_id: k
        for client_id, k in usable.items()
        if all(now_named.get(int(i)) == name for i, name in k.row.get("names", {}).items())
    }


def kept_form(row: ClientRow, facts: Facts) -> dict:
    """A row as it is kept (JSON), with the names of the exercises it may call painful."""
    return {
        "week": [row.week.planned, row.week.done],
        "month": [row.month.planned, row.month.done],
        "last": row.last_session.isoformat() if row.last_session else None,
        "pain": [row.pain.baseline, row.pain.recent],
        "effort": row.effort,
        "flags": [[flag.kind, flag.reason] for flag in row.flags],
        "names": {str(exercise_id): name for _, name, exercise_id in facts.painful},
    }


def kept_row(client: User, kept: summaries.Kept, programs: dict[int, Program], today: date) -> ClientRow:
    data = kept.row
    return ClientRow(
        client=client,
        today=today,
        program=programs.get(kept.program_id) if kept.program_id is not None else None,
        week=Adherence(*data["week"]),
        month=Adherence(*data["month"]),
        last_session=date.fromisoformat(data["last"]) if data["last"] else None,
        pain=PainTrend(*data["pain"]),
        effort=data["effort"],
        flags=[Flag(kind, reason) for kind, reason in data["flags"]],
        kept=True,
    )


def next_midnight(now: datetime, timezone: str | None) -> datetime:
    """When the next day starts in a zone (a day that starts at 01:00, after a clock change, starts then)."""
    tz = zone(timezone)
    start = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC)


def valid_until(client: User, facts: Facts, now: datetime) -> datetime:
    """The earliest moment at which the clock alone could change this client's row; earlier rather than later.

    Everything the row counts by day (the 7 and 30 days of adherence, the two weeks of pain, effort, red
    sessions, bad mornings and painful exercises, "quiet", the plan's weeks) changes at most at the client's
    midnight, and the windows the facts are read by at UTC midnight. The rest moves with the moment: a red-flag
    answer is shown for 30 days, the safety check falls due 6 weeks after the last answer and is overdue a week
    after it fell due, a session leaves the safety rules' ten weeks, and their two weeks of look-back.
    """
    moments = [next_midnight(now, client.timezone), next_midnight(now, "UTC")]
    for answer in facts.safety.answers:
        moments += [answer.answered_at + safety.RED_FLAG_SHOWN, safety.asked_again_at(answer.answered_at)]
    status = facts.safety.status(now, look_back=now - timedelta(days=RECENT_DAYS + 1))
    if status.due is not None and status.due.since is not None:
        moments.append(status.due.since + OVERDUE)
    look_back = timedelta(days=RECENT_DAYS + 1)
    for session in facts.safety.sessions:
        moments += [session.completed_at + safety.HISTORY, session.completed_at + look_back]
        if session.morning is not None:
            moments.append(session.morning.at + look_back)
    for trigger in status.triggers:
        moments.append(trigger.at + look_back)
    return min(moment for moment in moments if moment > now)


def refresh(now: datetime | None = None, chunk: int = 500) -> int:
    """Work out again and keep the row of every client with a trainer whose kept row is missing, out of step with
    their records or past its time; returns how many were written. The job worker runs it every minute.

    A row whose time ends within AHEAD is kept with the row as it will read from then on, worked out now from the
    same records: a zone's midnight ends the rows of every client living there at once, and without it the
    dashboards opened before the worker's next turn would work them all out (about 4 s for 1,000 clients)."""
    now = now or utcnow()
    since = summaries.starts(now)
    linked = db.select(User.id).where(User.trainer_id.is_not(None), User.role == "client").order_by(User.id)
    written = 0
    for part in chunks(list(db.session.execute(linked).scalars()), chunk):
        stored = summaries.read(part)
        held = usable_names({i: now_kept for i, kept in stored.items() if (now_kept := kept.at(now)) is not None})
        ending = {i for i, kept in held.items() if kept.next_row is None and kept.valid_until - now <= AHEAD}
        stale = [
            client_id for client_id in part if client_id in stored and (client_id not in held or client_id in ending)
        ]
        if stale:
            current = summaries.read(stale, since)  # before the records: see summaries.py
            clients = list(
                db.session.execute(
                    db.select(User).where(User.id.in_(stale)).execution_options(populate_existing=True)
                ).scalars()
            )
            shown = kept_rows(clients, now)
            later: dict[datetime, list[User]] = {}
            for client in clients:
                if shown[client.id].until - now <= AHEAD:
                    later.setdefault(shown[client.id].until, []).append(client)
            ahead = {}
            for moment, those in later.items():
                ahead.update(kept_rows(those, moment))
            for client in clients:
                fingerprint = current[client.id].fingerprint
                summaries.write(client.id, fingerprint, since, shown[client.id], ahead.get(client.id), now)
            written += len(clients)
        db.session.commit()
    summaries.forget_unlinked()
    db.session.commit()
    return written


def kept_rows(clients: list[User], now: datetime) -> dict[int, summaries.Shown]:
    """These clients' rows as the rules say them at `now`, in the form they are kept, with how long each holds."""
    rows, facts = worked_out(clients, [client.id for client in clients], now)
    return {
        client.id: summaries.Shown(
            kept_form(rows[client.id], facts[client.id]), valid_until(client, facts[client.id], now)
        )
        for client in clients
    }


# A client's row is worked out again this soon after their day ends or they sync; a turn with nothing stale
# only reads the fingerprints (tens of milliseconds for 1,000 clients).
REFRESH_EVERY = timedelta(minutes=1)
# How long before a kept row's time ends the worker works out the one that follows it: several of its turns, so that
# a turn that runs late or fails still leaves another before the moment.
AHEAD = timedelta(minutes=10)


def register_jobs(app: Flask) -> None:
    """The job worker keeps the rows up to date every minute (and `flask refresh-summaries` at once)."""
    add_task(app, "dashboard-summaries", refresh, REFRESH_EVERY)


# ---- Sorting and filtering, from the page's query arguments ----

SORTS = {
    # name: (key, descending by default); rows whose key is None always go last.
    "name": (lambda r: r.client.name.lower(), False),
    "adherence": (lambda r: r.month.ratio, False),
    "last": (lambda r: 10**6 if r.days_since is None else r.days_since, True),
    "pain": (lambda r: r.pain.change, True),
    "flags": (lambda r: (len(r.concerns), r.ready), True),
}
FILTERS = {
    "all": ("All", lambda r: True),
    "flagged": ("Flagged", lambda r: bool(r.concerns)),
    "quiet": ("Quiet", lambda r: r.quiet),
    "ready": ("Ready to progress", lambda r: r.ready),
    "no-program": ("No program", lambda r: r.program is None),
}
DEFAULT_SORT = "flags"


def parse_view(sort: str | None, direction: str | None, show: str | None) -> tuple[str, bool, str]:
    """Unknown values fall back to the defaults: these only ever come from the page's own links."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    descending = SORTS[sort][1] if direction not in ("asc", "desc") else direction == "desc"
    return sort, descending, show if show in FILTERS else "all"


def arrange(rows: list[ClientRow], sort: str, descending: bool, show: str) -> list[ClientRow]:
    key, _ = SORTS[sort]
    chosen = [r for r in rows if FILTERS[show][1](r)]
    by_name = sorted(chosen, key=lambda r: (r.client.name.lower(), r.client.id))
    present = [r for r in by_name if key(r) is not None]
    missing = [r for r in by_name if key(r) is None]
    return sorted(present, key=key, reverse=descending) + missing


def matching(rows: list[ClientRow], query: str) -> list[ClientRow]:
    """Clients whose name or email contains every word searched for, whatever the case."""
    words = query.lower().split()
    return [r for r in rows if all(w in f"{r.client.name} {r.client.email}".lower() for w in words)]


PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[ClientRow]
    number: int
    pages: int
    first: int  # 1-based position of the page's first row among all shown
    total: int


def page_of(rows: list[ClientRow], number: str | None, size: int | None = None) -> Page:
    """One page of rows; a page number out of range or not a number shows the nearest real page."""
    size = size or PAGE_SIZE
    pages = max(1, -(-len(rows) // size))
    try:
        wanted = int(number or 1)
    except ValueError:
        wanted = 1
    wanted = min(max(wanted, 1), pages)
    start = (wanted - 1) * size
    return Page(rows[start : start + size], wanted, pages, start + 1, len(rows))


def api_page(trainer, number: int) -> tuple[list[ClientRow], int]:
    """One page of the trainer's clients for the API, by name, and how many there are; past the last page, none."""
    rows = sorted(client_rows(trainer), key=lambda r: (r.client.name.lower(), r.client.id))
    start = (number - 1) * PAGE_SIZE
    return rows[start : start + PAGE_SIZE], len(rows)


def filter_counts(rows: list[ClientRow]) -> dict[str, int]:
    return {name: sum(1 for r in rows if test(r)) for name, (_, test) in FILTERS.items()}


# ---- The JSON shape the API serves ----


def adherence_payload(adherence: Adherence) -> dict:
    return {"planned": adherence.planned, "done": adherence.done}


def row_payload(row: ClientRow) -> dict:
    return {
        "id": row.client.id,
        "name": row.client.name,
        "email": row.client.email,
        "program": row.program.name if row.program else None,
        "adherence": {"7d": adherence_payload(row.week), "30d": adherence_payload(row.month)},
        "last_session": row.last_session.isoformat() if row.last_session else None,
        "days_since_last_session": row.days_since,
        "pain_trend": {"baseline": row.pain.baseline, "recent": row.pain.recent, "change": row.pain.change},
        "effort": row.effort,
        "flags": [{"kind": f.kind, "reason": f.reason} for f in row.flags],
        "unread_messages": row.unread,
    }
