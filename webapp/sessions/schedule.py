"""What is planned when: the routine due on a day, the week's plan, streaks and adherence.

All dates here are the user's local dates; weeks run Monday to Sunday.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

from ..content.services import visible_exercises
from ..programs import personal
from ..programs.models import Assignment, Program, Routine
from ..programs.services import program_payload, routine_payload
from ..timeutil import DAY_NAMES, WEEKDAYS
from . import progression


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


@dataclass(frozen=True)
class Plan:
    """An assignment's program laid over the calendar from its start date, on the client's days."""

    program: Program
    start_date: date
    # Program weekday -> the client's weekday (see day_map); empty: the program's own days.
    days: dict[str, str] = field(default_factory=dict)

    def program_weekday(self, day: date) -> str | None:
        """The program's weekday whose session falls on this calendar day, if any moved there."""
        weekday = WEEKDAYS[day.weekday()]
        if not self.days:
            return weekday
        return next((planned for planned, moved in self.days.items() if moved == weekday), None)

    @property
    def weeks(self) -> int:
        return len(self.program.weeks)

    @property
    def end_date(self) -> date:
        return self.start_date + timedelta(days=7 * self.weeks - 1)

    def week_number(self, day: date) -> int | None:
        """1-based program week for a day, or None before the start and after the end."""
        if day < self.start_date or day > self.end_date:
            return None
        return (day - self.start_date).days // 7 + 1

    def routine_on(self, day: date) -> Routine | None:
        number = self.week_number(day)
        if number is None:
            return None
        week = self.program.weeks[number - 1]
        weekday = self.program_weekday(day)
        if weekday is None:
            return None
        return next((r for r in week.routines if weekday in r.day_list), None)

    def planned_days(self, first: date, last: date) -> list[date]:
        days, day = [], first
        while day <= last:
            if self.routine_on(day) is not None:
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


def training_days(plan: Plan) -> list[str]:
    """The weekdays this client's sessions fall on, in week order, after any move onto their days."""
    moved = {plan.days.get(day, day) for day in program_days(plan.program)}
    return [day for day in WEEKDAYS if day in moved]


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


def plan_for(assignment: Assignment | None) -> Plan | None:
    if assignment is None:
        return None
    program = assignment.program
    return Plan(program=program, start_date=assignment.start_date, days=day_map(program, assignment.day_list))


def streak(plan: Plan | None, done_days: Iterable[date], today: date) -> int:
    """Planned sessions done in a row, counting back from today; today still open does not break it."""
    if plan is None:
        return 0
    done = set(done_days)
    count = 0
    day = min(today, plan.end_date)
    while day >= plan.start_date:
        if plan.routine_on(day) is not None:
            if day in done:
                count += 1
            elif day != today:
                break
        day -= timedelta(days=1)
    return count


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
    """Sessions done against sessions planned between two dates (inclusive); extra sessions do not overfill."""
    planned = plan.planned_days(first, last) if plan else []
    done = sum(1 for day in set(done_days) if first <= day <= last)
    return Adherence(planned=len(planned), done=min(done, len(planned)) if planned else done)


def missed_days(plan: Plan | None, done_days: Iterable[date], first: date, last: date) -> list[date]:
    if plan is None:
        return []
    done = set(done_days)
    return [day for day in plan.planned_days(first, last) if day not in done]


def plan_payload(assignment: Assignment | None, user=None, today: date | None = None) -> dict:
    """The client's plan as GET /api/v1/plan gives it: the program, every planned day, every routine with the
    client's own doses, and the small steps their sessions suggest (sessions/progression.py)."""
    if assignment is None:
        return {"program": None, "schedule": [], "routines": [], "suggestions": []}
    plan = plan_for(assignment)
    program = assignment.program
    schedule = [
        {
            "date": day.isoformat(),
            "weekday": WEEKDAYS[day.weekday()],
            "week": plan.week_number(day),
            "routine_id": plan.routine_on(day).id,
        }
        for day in plan.planned_days(plan.start_date, plan.end_date)
    ]
    summary = program_payload(program)
    summary.pop("weeks")
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
    suggestions = []
    if user is not None and today is not None:
        library = {e.slug: e for e in visible_exercises(user)}
        week = progression.client_week(user, assignment, week_routines(plan, today), today, library)
        suggestions = [s.payload() for s in week.suggestions]
    return {"program": summary, "schedule": schedule, "routines": routines, "suggestions": suggestions}


def week_routines(plan: Plan | None, today: date) -> list[Routine]:
    """The routines of the program week the client is in today, or of the next planned one."""
    if plan is None:
        return []
    shown = plan.routine_on(today) or (plan.next_planned(today) or (None, None))[1]
    return list(shown.week.routines) if shown is not None else []
