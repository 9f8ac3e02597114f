"""Milestones worth a calm word on Today, and the short summary of last week shown on Mondays.

The rules are plain functions of plain facts (`reached`, `to_show`, `weekly_summary`); the few functions at the
end read those facts from the database and record what Today has shown.

The milestones, from the least to the most notable:

- the first session done;
- the first full week: a block of seven days of the current plan (counted from its start, as the plan's weeks
  are) with every planned session done, by the plan's own count (`schedule.adherence`: a session done on another
  day of the same block counts, as it does everywhere else);
- 10 sessions done;
- pain down 2 points from the start. "The start" is the mean pain before the first three sessions ever done, and
  "now" the mean pain before the last three. Sessions rather than the onboarding rating, because both ends are
  then the same question asked at the same moment (just before exercising); three of them, so that one bad or
  good day moves neither end far; and six sessions at least, so the two ends never share a session. Two points
  is above the 1.5 that counts as a meaningful change on the 0-10 scale (Ostelo 2008, CONTENT.md);
- a finished program: the current plan's last day has passed and at least one of its sessions was done.

Each is shown once. Today shows one at a time, the most notable not yet shown; the POST that records it as shown
records every less notable one reached by then too, since after the bigger news they would be old news.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from sqlalchemy import bindparam

from ..extensions import db
from ..programs.services import active_assignment
from ..timeutil import DAY_NAMES, WEEKDAYS, local_date, short_date
from .models import CompletedSession, MilestoneShown
from .schedule import Adherence, Plan, adherence, plan_for, week_start
from .sync import insert_or_ignore

PAIN_SESSIONS = 3  # sessions averaged at each end of the pain comparison
PAIN_DROP = 2  # points the mean must fall by
MANY_SESSIONS = 10

FIRST_SESSION = "first-session"
FULL_WEEK = "first-full-week"
TEN_SESSIONS = "ten-sessions"
PAIN_DOWN = "pain-down-2"
FINISHED = "finished"  # "finished:<assignment id>": each program finished is its own milestone

RANKS = (FIRST_SESSION, FULL_WEEK, TEN_SESSIONS, PAIN_DOWN, FINISHED)


@dataclass(frozen=True)
class Facts:
    """What the milestones are judged from."""

    pains_before: Sequence[int] = ()  # the pain before every session ever done, oldest first
    weeks: Sequence[Adherence] = ()  # each block of seven days of the current plan, up to today
    program: str | None = None  # the current program's name
    assignment_id: int | None = None
    finished: Adherence | None = None  # the whole plan, once its last day has passed


@dataclass(frozen=True)
class Milestone:
    key: str
    title: str
    text: str

    @property
    def rank(self) -> int:
        return RANKS.index(self.key.split(":")[0])


def pain_ends(pains_before: Sequence[int]) -> tuple[float, float] | None:
    """(start, now): the mean pain before the first three sessions and before the last three, to one decimal;
    None until there are six sessions, so that the two ends never share one."""
    if len(pains_before) < 2 * PAIN_SESSIONS:
        return None
    start = round(fmean(pains_before[:PAIN_SESSIONS]), 1)
    now = round(fmean(pains_before[-PAIN_SESSIONS:]), 1)
    return start, now


def _points(value: float) -> str:
    return f"{value:g}"


def reached(facts: Facts) -> list[Milestone]:
    """Every milestone the facts show, the least notable first."""
    found = []
    sessions = len(facts.pains_before)
    if sessions >= 1:
        found.append(
            Milestone(
                FIRST_SESSION,
                "Your first session is done",
                "Starting is often the hardest part. Keep the next one just as easy to begin.",
            )
        )
    if any(week.planned > 0 and week.done >= week.planned for week in facts.weeks):
        found.append(
            Milestone(
                FULL_WEEK,
                "A full week",
                f"Every session planned for a week of {facts.program or 'your program'}, done.",
            )
        )
    if sessions >= MANY_SESSIONS:
        found.append(
            Milestone(
                TEN_SESSIONS,
                f"{MANY_SESSIONS} sessions done",
                f"That is {sessions} sessions so far: a routine is taking shape.",
            )
        )
    ends = pain_ends(facts.pains_before)
    if ends is not None and ends[0] - ends[1] >= PAIN_DROP:
        start, now = ends
        found.append(
            Milestone(
                PAIN_DOWN,
                f"Pain down {_points(round(start - now, 1))} points since you started",
                f"Before your first {PAIN_SESSIONS} sessions your pain was {_points(start)} out of 10 on average; "
                f"before your last {PAIN_SESSIONS}, {_points(now)}.",
            )
        )
    if facts.finished is not None and facts.finished.done >= 1 and facts.assignment_id is not None:
        found.append(
            Milestone(
                f"{FINISHED}:{facts.assignment_id}",
                f"You finished {facts.program or 'your program'}",
                f"{facts.finished.done} of {facts.finished.planned} planned sessions done, from the first week to the "
                "last.",
            )
        )
    return found


def to_show(found: Sequence[Milestone], shown: Iterable[str]) -> Milestone | None:
    """The one milestone Today shows: the most notable of those reached and not yet shown."""
    seen = set(shown)
    waiting = [m for m in found if m.key not in seen]
    return max(waiting, key=lambda m: m.rank) if waiting else None


def keys_to_record(found: Sequence[Milestone], key: str) -> list[str]:
    """What showing `key` settles: it and every less notable milestone reached; nothing for a key not reached."""
    chosen = next((m for m in found if m.key == key), None)
    if chosen is None:
        return []
    return [m.key for m in found if m.rank <= chosen.rank]


# ---- The weekly summary, on the person's Monday ----


@dataclass(frozen=True)
class WeeklySummary:
    week_of: date  # the Monday of the week summed up
    done: int
    planned: int
    pain: float | None  # mean pain before last week's sessions
    pain_before: float | None  # the same for the week before
    next_words: str

    @property
    def period(self) -> str:
        return f"{short_date(self.week_of)} to {short_date(self.week_of + timedelta(days=6))}"

    @property
    def sessions_words(self) -> str:
        if self.planned:
            return f"{self.done} of {self.planned} planned sessions done."
        return f"{self.done} {'session' if self.done == 1 else 'sessions'} done."

    @property
    def pain_words(self) -> str | None:
        if self.pain is None:
            return None
        words = f"Pain before your sessions: {_points(self.pain)} out of 10 on average"
        if self.pain_before is None:
            return words + "."
        if self.pain == self.pain_before:
            return words + ", the same as the week before."
        direction = "down" if self.pain < self.pain_before else "up"
        return words + f", {direction} from {_points(self.pain_before)} the week before."

    def lines(self) -> list[str]:
        return [line for line in (self.sessions_words, self.pain_words, self.next_words) if line]


def _mean(values: Sequence[int]) -> float | None:
    return round(fmean(values), 1) if values else None


def weekly_summary(
    today: date,
    plan: Plan | None,
    sessions: Sequence[tuple[date, int]],
    trainer: bool = False,
    on_hold: bool = False,
) -> WeeklySummary | None:
    """Last week (Monday to Sunday) in a few words, on a Monday only; None on other days, and when last week had
    nothing planned and nothing done. `sessions` are (day, pain before), any order. on_hold: the person waits for
    a clinician after a red-flag answer, so the week ahead holds no sessions (next_words)."""
    if today.weekday() != 0:
        return None
    monday = week_start(today) - timedelta(days=7)
    sunday = monday + timedelta(days=6)
    last_week = [pain for day, pain in sessions if monday <= day <= sunday]
    earlier = [pain for day, pain in sessions if monday - timedelta(days=7) <= day < monday]
    count = adherence(plan, [day for day, _ in sessions], monday, sunday)
    if count.planned == 0 and not last_week:
        return None
    return WeeklySummary(
        week_of=monday,
        done=count.done,
        planned=count.planned,
        pain=_mean(last_week),
        pain_before=_mean(earlier),
        next_words=next_words(today, plan, trainer, on_hold),
    )


# Waiting for a clinician after a red-flag answer, the player is closed: the week ahead is not sessions, nor a walk,
# but getting checked (NHS back pain pages; IFOMPT red-flags framework, Finucane 2020), as Today says above it.
ON_HOLD_WORDS = "This week: sessions wait until a clinician has seen you."


def next_words(today: date, plan: Plan | None, trainer: bool = False, on_hold: bool = False) -> str:
    """What this week holds, in one sentence."""
    if on_hold:
        return ON_HOLD_WORDS
    if plan is None or today > plan.end_date:
        if trainer:
            return "Next: your trainer will set what comes after your program."
        return "Next: choose your next program."
    planned = plan.planned_days(max(today, plan.start_date), today + timedelta(days=6))
    if not planned:
        return "This week: no sessions planned; a walk is always welcome."
    first = planned[0]
    routine = plan.routine_on(first)
    when = "today" if first == today else DAY_NAMES[WEEKDAYS[first.weekday()]]
    count = f"{len(planned)} {'session' if len(planned) == 1 else 'sessions'} planned"
    return f"This week: {count}, starting {when} with {routine.name}."


# ---- Reading the facts, and recording what Today showed ----


# Read on every visit of Today: built once.
_SESSIONS = (
    db.select(CompletedSession.local_date, CompletedSession.pain_before)
    .where(CompletedSession.user_id == bindparam("user_id"))
    .order_by(CompletedSession.completed_at, CompletedSession.id)
)
_SHOWN = db.select(MilestoneShown.key).where(MilestoneShown.user_id == bindparam("user_id"))


def sessions_of(user_id: int) -> list[tuple[date, int]]:
    """(day, pain before) of every session the person did, oldest first."""
    return [(day, pain) for day, pain in db.session.execute(_SESSIONS, {"user_id": user_id}).all()]


def facts_of(sessions: Sequence[tuple[date, int]], plan: Plan | None, assignment, today: date) -> Facts:
    if plan is None:
        return Facts(pains_before=[pain for _, pain in sessions])
    days = [day for day, _ in sessions]
    weeks = []
    block = plan.start_date
    while block <= min(today, plan.end_date):
        weeks.append(adherence(plan, days, block, block + timedelta(days=6)))
        block += timedelta(days=7)
    finished = adherence(plan, days, plan.start_date, plan.end_date) if today > plan.end_date else None
    return Facts(
        pains_before=[pain for _, pain in sessions],
        weeks=weeks,
        program=plan.program.name,
        assignment_id=assignment.id if assignment is not None else None,
        finished=finished,
    )


def shown_keys(user_id: int) -> set[str]:
    return set(db.session.execute(_SHOWN, {"user_id": user_id}).scalars())


def record_shown(user_id: int, keys: Iterable[str], now: datetime) -> int:
    """Remember keys as shown (those already remembered stay as they were, even when two requests race); how
    many were new."""
    new = 0
    for key in sorted(set(keys)):
        values = {"user_id": user_id, "key": key, "shown_at": now}
        new += insert_or_ignore(MilestoneShown, values, unique=("user_id", "key")) is not None
    db.session.commit()
    return new


def record(user, key: str, now: datetime) -> int | None:
    """Today showed the milestone `key`: remember it, and every less notable one reached, as shown. None when the
    person has not reached `key` (nothing is remembered then); else how many were new."""
    today = local_date(now, user.timezone)
    assignment = active_assignment(user)
    found = reached(facts_of(sessions_of(user.id), plan_for(assignment, today), assignment, today))
    keys = keys_to_record(found, key)
    if not keys:
        return None
    return record_shown(user.id, keys, now)
