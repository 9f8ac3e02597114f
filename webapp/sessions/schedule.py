"""What is planned when: the routine due on a day, the week's plan, streaks and adherence.

All dates here are the user's local dates; weeks run Monday to Sunday.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..programs.models import WEEKDAYS, Assignment, Program, Routine
from ..timeutil import zone


def today_for(user_timezone: str, now: datetime) -> date:
    return now.astimezone(zone(user_timezone)).date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Plan:
    """An assignment's program laid over the calendar from its start date."""

    program: Program
    start_date: date

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
        weekday = WEEKDAYS[day.weekday()]
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


def plan_for(assignment: Assignment | None) -> Plan | None:
    if assignment is None:
        return None
    return Plan(program=assignment.program, start_date=assignment.start_date)


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
