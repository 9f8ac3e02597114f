"""Progress over time for the history page: the month calendar, the summary numbers and the series the charts draw.

Plain functions over dates and numbers, so each rule is tested without a database or HTTP. All dates are the
user's local dates; weeks run Monday to Sunday, as in schedule.py.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean
from typing import ClassVar, Literal

from ..content.services import dose_text, duration_words
from ..timeutil import DAY_NAMES, MONTH_NAMES, long_date, short_date
from . import rules
from .schedule import Adherence, Plan, adherence, made_up_days, week_start

DayStatus = Literal["done", "missed", "made_up", "planned", "held", "rest"]

# Words and marks, so a day reads without its colour: the symbol on screen, the words for screen readers.
STATUS_WORDS: dict[DayStatus, str] = {
    "done": "done",
    "missed": "missed",
    "made_up": "missed, made up by an extra session that week",
    "planned": "planned",
    "held": "on hold until a clinician's check",
    "rest": "rest day",
}
STATUS_MARKS: dict[DayStatus, str] = {
    "done": "✓", "missed": "✗", "made_up": "↷", "planned": "•", "held": "‖", "rest": "",
}  # fmt: skip

WEEKDAY_NAMES = tuple(DAY_NAMES.values())  # Monday first, as date.weekday() counts

RECENT_DAYS = 14  # "current" pain is the average of the last two weeks, as rules.pain_trend describes
WINDOW_WEEKS = 4  # adherence and effort are summed over the last four weeks
BASELINE_SESSIONS = 3  # without an onboarding rating, the first sessions stand in for the baseline
CHART_SESSIONS = 30  # more points than this no longer fit a phone's width legibly
CHART_WEEKS = 8
RERATE_DAYS = 14  # patient-specific function is re-rated every two weeks
# Patient-specific function (Stratford 1995, CONTENT.md "Outcome measures"): about 3 points for a single activity,
# about 2 for the average of the activities.
MEANINGFUL_FUNCTION_CHANGE = 3
MEANINGFUL_FUNCTION_AVERAGE = 2
MEANINGFUL_PAIN_SHARE = 0.3  # or 30% of the starting pain, whichever comes first


# ---- The month calendar ----


def parse_month(raw: str | None, today: date) -> date:
    """'2026-03' -> 1 March 2026. Anything else, or nothing, means the current month: a bad link still shows a page."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (raw or "").strip())
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return today.replace(day=1)


def month_param(first: date) -> str:
    return f"{first.year:04d}-{first.month:02d}"


def add_months(first: date, count: int) -> date:
    index = first.year * 12 + first.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def day_status(day: date, plan: Plan | None, done: set[date], today: date) -> DayStatus:
    # A session on an unplanned day still counts as done: moving a session is better than skipping it.
    if day in done:
        return "done"
    if plan is None or plan.routine_on(day) is None:
        return "rest"
    if day in plan.held:  # after a red-flag answer, until a clinician's check (safety.held_days)
        return "held"
    return "missed" if day < today else "planned"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    status: DayStatus
    is_today: bool

    @property
    def mark(self) -> str:
        return STATUS_MARKS[self.status]

    @property
    def label(self) -> str:
        text = f"{long_date(self.day)}: {STATUS_WORDS[self.status]}"
        return f"{text}, today" if self.is_today else text


@dataclass(frozen=True)
class Month:
    first: date
    # Monday-first rows; None for the days of the neighbouring months, which show in their own month.
    weeks: list[list[CalendarDay | None]]
    today: date | None = None

    day_names: ClassVar[tuple[str, ...]] = WEEKDAY_NAMES

    @property
    def is_current(self) -> bool:
        return self.today is not None and (self.today.year, self.today.month) == (self.first.year, self.first.month)

    @property
    def title(self) -> str:
        return f"{MONTH_NAMES[self.first.month - 1]} {self.first.year}"

    @property
    def last(self) -> date:
        return self.first.replace(day=calendar.monthrange(self.first.year, self.first.month)[1])

    @property
    def previous(self) -> date:
        return add_months(self.first, -1)

    @property
    def next(self) -> date:
        return add_months(self.first, 1)

    @property
    def previous_label(self) -> str:
        return MONTH_NAMES[self.previous.month - 1]

    @property
    def next_label(self) -> str:
        return MONTH_NAMES[self.next.month - 1]

    def days(self) -> list[CalendarDay]:
        return [day for week in self.weeks for day in week if day is not None]

    def count(self, status: DayStatus) -> int:
        return sum(1 for day in self.days() if day.status == status)


def grid_range(first: date) -> tuple[date, date]:
    """The first Monday and last Sunday of the weeks that show a month."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return week_start(first), week_start(last) + timedelta(days=6)


def month_calendar(first: date, plan: Plan | None, done_days: Iterable[date], today: date) -> Month:
    done = set(done_days)
    start, end = grid_range(first)
    made_up = made_up_days(plan, done, start, end, today)
    weeks: list[list[CalendarDay | None]] = []
    day = start
    while day <= end:
        week: list[CalendarDay | None] = []
        for _ in range(7):
            in_month = day.year == first.year and day.month == first.month
            status = "made_up" if day in made_up else day_status(day, plan, done, today)
            week.append(CalendarDay(day, status, day == today) if in_month else None)
            day += timedelta(days=1)
        weeks.append(week)
    return Month(first=first, weeks=weeks, today=today)


# ---- Summary numbers ----


@dataclass(frozen=True)
class SessionPoint:
    """What the summaries and the pain chart need from one completed session."""

    day: date
    pain_before: int
    pain_after: int
    effort: int


def meaningful_pain_change(baseline: float, change: float) -> bool:
    """About 1.5 points or 30% (Ostelo 2008, CONTENT.md).

    The 30% is a share of the starting pain, defined for improvement: it is not applied to a rise (from 1 to 2
    is 100% but not alarming), and a floor of one point keeps a drop from 2 to 1.4 from counting.
    """
    size = abs(change)
    if size >= rules.MEANINGFUL_PAIN_CHANGE:
        return True
    return change < 0 and size >= 1 and size >= MEANINGFUL_PAIN_SHARE * baseline


@dataclass(frozen=True)
class PainSummary:
    baseline: float
    current: float | None  # None until there are sessions after the ones the baseline came from
    baseline_source: Literal["check-in", "sessions"]

    @property
    def change(self) -> float | None:
        return rules.pain_trend(self.baseline, self.current)

    @property
    def meaningful(self) -> bool:
        return self.change is not None and meaningful_pain_change(self.baseline, self.change)

    @property
    def verdict(self) -> str:
        change = self.change
        if change is None:
            return "A few more sessions, and we can compare."
        points = f"{abs(change):g} point{'' if abs(change) == 1 else 's'}"
        if change == 0:
            return "The same as at the start."
        if change < 0:
            return f"Down {points}: a change that matters." if self.meaningful else f"Down {points}."
        if self.meaningful:
            return f"Up {points}. If it stays up, tell your trainer or a doctor."
        return f"Up {points}."


def pain_summary(points: list[SessionPoint], check_in: int | None, today: date) -> PainSummary | None:
    """Pain now against the start. points: oldest first. The onboarding rating is the baseline when there is one."""
    if check_in is not None:
        baseline, source, later = float(check_in), "check-in", points
    elif points:
        first = points[:BASELINE_SESSIONS]
        baseline, source, later = fmean(p.pain_before for p in first), "sessions", points[BASELINE_SESSIONS:]
    else:
        return None
    recent = [p.pain_before for p in later if p.day > today - timedelta(days=RECENT_DAYS)]
    if not recent and later:
        # Nothing in the last two weeks: the latest session is still a better "now" than none at all.
        recent = [later[-1].pain_before]
    current = round(fmean(recent), 1) if recent else None
    return PainSummary(baseline=round(baseline, 1), current=current, baseline_source=source)


def window_first(today: date) -> date:
    return today - timedelta(days=7 * WINDOW_WEEKS - 1)


def adherence_so_far(plan: Plan | None, done_days: Iterable[date], first: date, today: date) -> Adherence:
    """Adherence up to today; today's session counts once it is done, and not against the user before then."""
    done = set(done_days)
    last = today if today in done else today - timedelta(days=1)
    if last < first:
        return Adherence(planned=0, done=0)
    return adherence(plan, done, first, last)


@dataclass(frozen=True)
class Summary:
    this_week: Adherence
    recent: Adherence
    pain: PainSummary | None
    effort: float | None

    @property
    def effort_words(self) -> str:
        return "" if self.effort is None else rules.EFFORT_WORDS[round(self.effort)]


def summarise(plan: Plan | None, points: list[SessionPoint], check_in: int | None, today: date) -> Summary:
    done = {p.day for p in points}
    monday = week_start(today)
    first = window_first(today)
    efforts = [p.effort for p in points if first <= p.day <= today]
    return Summary(
        # This week is planned in full, so the number says what is still to do.
        this_week=adherence(plan, done, monday, monday + timedelta(days=6)),
        recent=adherence_so_far(plan, done, first, today),
        pain=pain_summary(points, check_in, today),
        effort=round(fmean(efforts), 1) if efforts else None,
    )


def days_for_the_phone(plan: Plan | None, done_days: Iterable[date], today: date) -> str:
    """What static/js/history.js needs to add a session saved on the phone to the summary as summarise counts it,
    and to the calendar's made-up days: every day from the Monday of the four weeks' first to this week's Sunday as
    "YYYY-MM-DD:" and its flags, s (a session is planned), h (on hold after a red-flag answer) and d (done, as the
    server knows), separated by spaces."""
    done = set(done_days)
    monday = week_start(today)
    # Whole weeks, so the phone sees every day of a week in which an extra session may make up for one (madeUpDays).
    day, last = week_start(min(window_first(today), monday)), monday + timedelta(days=6)
    written = []
    while day <= last:
        planned = plan is not None and plan.routine_on(day) is not None
        held = plan is not None and day in plan.held
        written.append(f"{day.isoformat()}:{'s' if planned else ''}{'h' if held else ''}{'d' if day in done else ''}")
        day += timedelta(days=1)
    return " ".join(written)


# ---- Series for the charts ----


@dataclass(frozen=True)
class WeekBar:
    start: date
    planned: int
    done: int
    is_current: bool

    @property
    def label(self) -> str:
        return short_date(self.start)


def weekly_bars(
    plan: Plan | None, done_days: Iterable[date], today: date, weeks: int = CHART_WEEKS, keep_this_week: bool = False
) -> list[WeekBar]:
    """Done against planned for the last few weeks; weeks before anything happened are left out, not drawn empty.
    keep_this_week: this week stays even when nothing is planned or done yet (History's chart for the phone to
    count a first session saved there into)."""
    done = set(done_days)
    current = week_start(today)
    bars = []
    for back in range(weeks - 1, -1, -1):
        monday = current - timedelta(days=7 * back)
        result = adherence(plan, done, monday, monday + timedelta(days=6))
        bars.append(WeekBar(monday, result.planned, result.done, monday == current))
    while len(bars) > (1 if keep_this_week else 0) and bars[0].planned == 0 and bars[0].done == 0:
        bars.pop(0)
    return bars


def pain_points(points: list[SessionPoint], limit: int = CHART_SESSIONS) -> list[SessionPoint]:
    return points[-limit:]


# ---- Patient-specific function ----


@dataclass(frozen=True)
class ActivityTrend:
    name: str
    scores: list[tuple[date, int]]  # oldest first

    @property
    def first(self) -> int | None:
        return self.scores[0][1] if self.scores else None

    @property
    def latest(self) -> int | None:
        return self.scores[-1][1] if self.scores else None

    @property
    def latest_day(self) -> date | None:
        return self.scores[-1][0] if self.scores else None

    @property
    def change(self) -> int | None:
        return None if len(self.scores) < 2 else self.scores[-1][1] - self.scores[0][1]

    @property
    def meaningful(self) -> bool:
        return self.change is not None and abs(self.change) >= MEANINGFUL_FUNCTION_CHANGE


def average_change(trends: list[ActivityTrend]) -> float | None:
    """The change of the activities' average, when two or more have been rated twice (Stratford: about 2 matters)."""
    changes = [t.change for t in trends if t.change is not None]
    return round(fmean(changes), 1) if len(changes) >= 2 else None


def function_due(trends: list[ActivityTrend], today: date) -> bool:
    """Due when the newest rating of any activity is two weeks old, or nothing has been rated yet."""
    if not trends:
        return False
    rated = [t.latest_day for t in trends if t.latest_day is not None]
    return not rated or (today - max(rated)).days >= RERATE_DAYS


# ---- The session list ----


def done_text(kind: str, sets: int, reps: int, hold_seconds: int, per_side: bool) -> str:
    """What was done, in the words the plan uses for what is planned."""
    if sets == 0:
        return "skipped"
    if kind == "hold" and hold_seconds >= 60:
        # Bouts of walking: minutes, without the plan's words about the rest between them.
        bouts = f"{reps} × {duration_words(hold_seconds)}" if reps > 1 else duration_words(hold_seconds)
        return f"{sets} sets of {bouts}" if sets > 1 else bouts
    return dose_text(sets, reps, hold_seconds, kind if hold_seconds else "reps", per_side)
