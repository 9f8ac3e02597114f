"""What is planned when: the routine due on a day, the week's plan, streaks and adherence.

All dates here are the user's local dates; weeks run Monday to Sunday.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations

from ..content.services import exercise_library
from ..programs import personal
from ..programs.models import Assignment, Program, ProgramWeek, Routine
from ..programs.services import program_summary, routine_payload
from ..timeutil import DAY_NAMES, WEEKDAYS
from . import outcomes, progression, rules, screens
from .weeks import BLOCK_DAYS, WeekRun, week_runs


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def program_days(program: Program) -> list[str]:
    """The weekdays a program trains on, in week order, over all its weeks."""
    used = {day for week in program.weeks for routine in week.routines for day in routine.day_list}
    return [day for day in WEEKDAYS if day in used]


def _gaps(days: Sequence[str]) -> list[int]:
    """Days between each training day and the next, round the week."""
    numbers = [WEEKDAYS.index(d) for d in days]
    return [(numbers[(i + 1) % len(numbers)] - n - 1) % 7 for i, n in enumerate(numbers)]


def day_map(program: Program, preferred: Sequence[str]) -> dict[str, str]:
    """Which of the client's days each of the program's days moves to; {} keeps the program's own days.

    The program's days move only when the client chose at least as many days as it needs: the
    sessions keep their order in the week and land on the chosen days spread most evenly, so that
    rest between sessions survives the move (Mon/Wed/Fri onto Mon-Fri stays Mon/Wed/Fri).
    """
    needed = program_days(program)
    chosen = [day for day in WEEKDAYS if day in set(preferred)]
    if not needed or len(chosen) < len(needed) or chosen == needed:
        return {}

    def evenness(days: tuple[str, ...]) -> tuple:
        moved = sum(abs(WEEKDAYS.index(a) - WEEKDAYS.index(b)) for a, b in zip(needed, days, strict=True))
        return (min(_gaps(days)), -max(_gaps(days)), -moved)

    best = max(combinations(chosen, len(needed)), key=evenness)
    return dict(zip(needed, best, strict=True))


def days_in_words(days: Sequence[str]) -> str:
    """Days as a person reads them: "Mon, Wed and Fri"."""
    names = [DAY_NAMES[day][:3] for day in days]
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def training_days_words(program: Program, chosen: Sequence[str]) -> str:
    """On which days a program would put this person's sessions, said before they start it, in a line or two (the
    Start button stays on the first screen); when they ticked too few days to move it onto, how to move it."""
    needed = len(program_days(program))
    if not needed:
        return ""
    days = days_in_words(_days_moved(program, day_map(program, chosen)))
    if not chosen:
        return f"On {days}."
    if len(chosen) < needed:
        return (
            f"On {days}: it needs {needed} days and you ticked {len(chosen)}. Tick {needed} in your account to move it."
        )
    return f"On {days}, days you chose."


@dataclass(frozen=True)
class Plan:
    """An assignment's program laid over the calendar from its start date, on the client's days, in weeks that
    follow the outcomes (weeks.py): each block of seven days runs the program week its WeekRun says."""

    program: Program
    start_date: date
    # Program weekday -> the client's weekday (see day_map); empty: the program's own days.
    days: dict[str, str] = field(default_factory=dict)
    # One per block of seven days from the start; empty: the program's weeks one after another.
    runs: tuple[WeekRun, ...] = ()
    # Days exercise was on hold after a red-flag answer (safety.held_days): a session planned then and not done is
    # neither missed nor counted as planned (planned_days, the streak); routine_on still says what the day held.
    held: frozenset[date] = frozenset()

    def program_weekday(self, day: date) -> str | None:
        """The program's weekday whose session falls on this calendar day, if any moved there."""
        weekday = WEEKDAYS[day.weekday()]
        if not self.days:
            return weekday
        return next((planned for planned, moved in self.days.items() if moved == weekday), None)

    @property
    def weeks(self) -> int:
        """How many weeks the program has (a week run again does not add to them)."""
        return len(self.program.weeks)

    @property
    def blocks(self) -> int:
        return len(self.runs) if self.runs else self.weeks

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=7 * self.blocks - 1)

    def run_on(self, day: date) -> WeekRun | None:
        """The block a day falls in: its program week, whether it repeats the one before, and why."""
        if day < self.start_date or day > self.end_date:
            return None
        block = (day - self.start_date).days // 7
        if self.runs:
            return self.runs[block]
        return WeekRun(block + 1, False, f"Week {block + 1}", False)

    def week_number(self, day: date) -> int | None:
        """1-based program week running on a day, or None before the start and after the end."""
        run = self.run_on(day)
        return run.number if run else None

    def same_block(self, one: date, other: date) -> bool:
        """Whether two days fall in the same block of seven days from the start: one week of the program, as the
        weeks' rule judges it (weeks.py), which need not be a Monday-to-Sunday week."""
        return (one - self.start_date).days // BLOCK_DAYS == (other - self.start_date).days // BLOCK_DAYS

    def week_on(self, day: date) -> ProgramWeek | None:
        """The program week running on a day (a rest day too), or None before the start and after the end."""
        number = self.week_number(day)
        return None if number is None else self.program.weeks[number - 1]

    def routine_on(self, day: date) -> Routine | None:
        week = self.week_on(day)
        weekday = self.program_weekday(day)
        if week is None or weekday is None:
            return None
        return next((r for r in week.routines if weekday in r.day_list), None)

    def laid_out(self) -> Plan:
        """The plan with no day on hold: what the milestones celebrate and the phone's schedule lists."""
        return replace(self, held=frozenset())

    def counts_on(self, day: date, done: Collection[date] = ()) -> bool:
        """A session is planned that day and counts: one left undone is missed, unless exercise was on hold then
        (done that day, before the answer that held it, it counts as done)."""
        return (day not in self.held or day in done) and self.routine_on(day) is not None

    def planned_days(self, first: date, last: date, done: Collection[date] = ()) -> list[date]:
        days, day = [], first
        while day <= last:
            if self.counts_on(day, done):
                days.append(day)
            day += timedelta(days=1)
        return days

    def next_planned(self, after: date) -> tuple[date, Routine] | None:
        day = after + timedelta(days=1)
        while day <= self.end_date:
            routine = self.routine_on(day)
            if routine is not None:
                return day, routine
            day += timedelta(days=1)
        return None

    def extra_on(self, day: date) -> Routine | None:
        """The routine a rest day offers as an extra session: the next planned one, as the week running on `day`
        has it. Next week's routine is only planned ahead ("if this week goes well", weeks.py): doing it before
        this week is judged would be a step the weeks' rule has not allowed yet (the safer reading). So a next
        session in a later week is taken from this week: its routine with the same day of the program, else its
        first one. static/js/today.js (extraRoutine) does the same from the plan."""
        found = self.next_planned(day)
        week = self.week_on(day)
        if found is None or week is None or self.week_on(found[0]) is week:
            return found[1] if found else None
        routines = week.routines
        slots = set(found[1].day_list)
        return next((r for r in routines if slots & set(r.day_list)), routines[0] if routines else None)


def sessions_planned(program: Program, moved: dict[str, str], number: int) -> int:
    """How many sessions a program week plans on the client's days (as Plan.routine_on lays them out)."""
    week = program.weeks[number - 1]
    return len(
        {moved.get(day, day) for routine in week.routines for day in routine.day_list if not moved or day in moved}
    )


def training_days(plan: Plan) -> list[str]:
    """The weekdays this client's sessions fall on, in week order, after any move onto their days."""
    return _days_moved(plan.program, plan.days)


def _days_moved(program: Program, moved: dict[str, str]) -> list[str]:
    used = {moved.get(day, day) for day in program_days(program)}
    return [day for day in WEEKDAYS if day in used]


def days_summary(plan: Plan | None, chosen: Sequence[str]) -> dict | None:
    """For the settings page: the days sessions fall on, how many the program needs, whether they moved
    onto the client's chosen days, and whether too few were chosen for that."""
    if plan is None:
        return None
    needed = len(program_days(plan.program))
    return {
        "names": [DAY_NAMES[day] for day in training_days(plan)],
        "needed": needed,
        "moved": any(planned != moved for planned, moved in plan.days.items()),
        "too_few": len(chosen) < needed,
    }


def plan_for(
    assignment: Assignment | None, today: date, program=None, held: frozenset[date] = frozenset()
) -> Plan | None:
    """The client's plan with its weeks judged from their sessions up to `today` (their local date). program: the
    structure of the version the assignment follows (programs.structure), else its rows are read. held: the days
    exercise was on hold after a red-flag answer (safety.held_days; see Plan.held)."""
    if assignment is None:
        return None
    history = outcomes.outcomes_since(assignment.client_id, assignment.start_date, assignment.family)
    return plan_from(assignment, history, today, program, held)


def person_plan(assignment: Assignment | None, user, today: date, program=None) -> Plan | None:
    """plan_for with the days this person's exercise was on hold after a red-flag answer (screens.held_days): the
    plan as their history, their week's count, their reminders and their trainer's page count it."""
    if assignment is None:
        return None
    return plan_for(assignment, today, program, screens.held_days(user, today))


def plan_from(
    assignment: Assignment,
    history: Sequence[rules.Outcome],
    today: date,
    program: Program | None = None,
    held: frozenset[date] = frozenset(),
) -> Plan:
    """plan_for from outcomes already at hand (oldest first), as the dashboard gathers them for every client."""
    program = program or assignment.program
    moved = day_map(program, assignment.day_list)
    runs = week_runs(
        len(program.weeks),
        assignment.start_date,
        [o for o in history if o.day is not None and o.day >= assignment.start_date],
        today,
        lambda number: sessions_planned(program, moved, number),
        held,
    )
    return Plan(program=program, start_date=assignment.start_date, days=moved, runs=runs, held=held)


def streak(plan: Plan | None, done_days: Iterable[date], today: date) -> int:
    """Planned sessions done in a row, counting back from today; today still open does not break it, nor does a
    day on hold. A missed day that an extra session made up for in its week (made_up_days) counts as kept, as the
    week's count and the calendar take it: the person did the session, a day or two off its planned day."""
    if plan is None:
        return 0
    done = set(done_days)
    count = 0
    day = min(today, plan.end_date)
    while day >= plan.start_date:
        if plan.counts_on(day, done):
            if day in done or (day < today and day in made_up_days(plan, done, day, day, today)):
                count += 1
            elif day != today:
                break
        day -= timedelta(days=1)
    return count


def made_up_days(plan: Plan | None, done: set[date], first: date, last: date, today: date) -> set[date]:
    """The missed days (planned, past, not done, not on hold) that an extra session made up for: in each calendar
    week from `first` to `last` (whole weeks), as many of its missed days, earliest first, as it had sessions on
    days with none planned. adherence counts the same way (an extra session makes up for a missed one of its own
    week only), so the calendar (progress.month_calendar) and the streak say what the week's count says; the day
    moved, no session was lost. static/js/history.js (madeUpDays) does the same for a session saved on the phone."""
    if plan is None:
        return set()
    found: set[date] = set()
    monday = week_start(first)
    while monday <= last:
        week = [monday + timedelta(days=n) for n in range(7)]
        missed = missed_days(plan, done, monday, min(week[-1], today - timedelta(days=1)))
        extras = sum(1 for day in week if day in done and plan.routine_on(day) is None)
        found.update(missed[:extras])
        monday += timedelta(days=7)
    return found


@dataclass(frozen=True)
class Adherence:
    planned: int
    done: int

    @property
    def ratio(self) -> float | None:
        return None if self.planned == 0 else min(1.0, self.done / self.planned)

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)


def adherence(plan: Plan | None, done_days: Iterable[date], first: date, last: date) -> Adherence:
    """Sessions done against sessions planned between two dates (inclusive). A session on a day with none planned
    (an extra one, offered "as well" on a rest day) makes up for a missed one of its own calendar week only, and
    extra sessions never overfill: so the four weeks' or 30 days' figure is the sum of its weeks' own counts, as
    History's weekly bars show them (a week of 2 of 3 stays 2 of 3 whatever a later week's extra session)."""
    done_days = {day for day in done_days if first <= day <= last}
    planned = plan.planned_days(first, last, done_days) if plan else []
    if not planned:
        return Adherence(planned=0, done=len(done_days))
    done_in, planned_in = Counter(map(week_start, done_days)), Counter(map(week_start, planned))
    done = sum(min(count, planned_in[monday]) for monday, count in done_in.items())
    return Adherence(planned=len(planned), done=done)


def missed_days(plan: Plan | None, done_days: Iterable[date], first: date, last: date) -> list[date]:
    if plan is None:
        return []
    done = set(done_days)
    return [day for day in plan.planned_days(first, last) if day not in done]


def week_payload(plan: Plan, run: WeekRun | None) -> dict | None:
    if run is None:
        return None
    return {"number": run.number, "of": plan.weeks, "repeat": run.repeat, "reason": run.reason}


def plan_payload(
    assignment: Assignment | None, user, today: date, program=None, held: frozenset[date] = frozenset()
) -> dict:
    """The client's plan as GET /api/v1/plan gives it: the program, the week running today and why, every
    planned day, every block's week (so a phone can redraw a later day), every routine with the client's own
    doses, and the small steps their sessions suggest (sessions/progression.py). program, held: as plan_for takes
    them; the schedule keeps the days on hold (the phone shows such a day on hold, not as a rest day)."""
    if assignment is None:
        empty = ("weeks", "schedule", "routines", "suggestions", "held")
        return {"program": None, "week": None} | {name: [] for name in empty}
    plan = plan_for(assignment, today, program, held).laid_out()
    program = plan.program
    schedule = [
        {
            "date": day.isoformat(),
            "weekday": WEEKDAYS[day.weekday()],
            "week": plan.week_number(day),
            "routine_id": plan.routine_on(day).id,
        }
        for day in plan.planned_days(plan.start_date, plan.end_date)
    ]
    summary = program_summary(program)
    summary.update(
        start_date=plan.start_date.isoformat(),
        end_date=plan.end_date.isoformat(),
        assignment_id=assignment.id,
        assigned_by=assignment.assigned_by_id,
    )
    doses = personal.doses_of(assignment)
    routines = [
        routine_payload(r, personal.items_for(r, doses)) | {"week": w.number} for w in program.weeks for r in w.routines
    ]
    steps = progression.client_week(
        user, assignment, week_routines(plan, today), today, exercise_library(user), doses=doses
    )
    blocks = [
        {"start": (plan.start_date + timedelta(days=7 * i)).isoformat()} | week_payload(plan, run)
        for i, run in enumerate(plan.runs)
    ]
    return {
        "program": summary,
        "week": week_payload(plan, plan.run_on(max(today, plan.start_date))),
        "weeks": blocks,
        "schedule": schedule,
        "routines": routines,
        "suggestions": [s.payload() for s in steps.suggestions],
        # The days on hold as of today: a phone redrawing a later day offline counts its week without them.
        "held": sorted(day.isoformat() for day in held if plan.start_date <= day <= plan.end_date),
    }


def week_routines(plan: Plan | None, today: date) -> list[Routine]:
    """The routines of the program week running today (a rest day too: next week's is only planned ahead, and the
    extra session a rest day offers is this week's, Plan.extra_on); before the plan starts, of its first session."""
    if plan is None:
        return []
    week = plan.week_on(today)
    if week is not None:
        return list(week.routines)
    found = plan.next_planned(today)
    return list(found[1].week.routines) if found is not None else []
