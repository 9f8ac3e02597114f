"""Weeks that follow the outcomes: which week of the program each calendar week of a plan runs, and why.

Every program says "move on after two green sessions; repeat the week after a red one". So a plan runs in
blocks of seven days from its start, and at the start of each block the one before is judged: its planned
sessions all done, the last two sessions green and steady (pain within 5/10 or no higher than before: rules.py,
after Silbernagel 2007), and pain not rising week on week, and the program moves to its next week; otherwise the
same week runs again, with the reason in words. Blocks after today are planned ahead a week at a time. Plain
functions, no database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..timeutil import weekday_date
from . import rules

BLOCK_DAYS = 7
# However long ago a plan started, the weeks judged stop somewhere (ten years of repeats).
MAX_BLOCKS = 520


@dataclass(frozen=True)
class WeekRun:
    """One calendar week of a plan: the program week it runs, whether that repeats the week before, and why."""

    number: int
    repeat: bool
    reason: str
    decided: bool  # judged from the sessions (False: planned ahead)


def judge(
    number: int,
    first: date,
    outcomes: Sequence[rules.Outcome],
    planned: int,
    held: frozenset[date] = frozenset(),
) -> tuple[bool, str]:
    """Does the block from `first` (program week `number`) let the program move on? (yes or no, and why).

    outcomes: every session of the plan so far, oldest first, each with its day. held: the days exercise was on
    hold after a red-flag answer (safety.held_days). A week with sessions left undone runs again, on hold or not:
    after time off the same week is the careful step back in; the reason then says it was on hold, not missed.
    """
    last = first + timedelta(days=BLOCK_DAYS - 1)
    week = [o for o in outcomes if first <= o.day <= last]
    red = [o for o in week if o.light == "red"]
    if red:
        return False, f"Week {number} again: the session on {weekday_date(red[-1].day)} was red"
    done = len({o.day for o in week})
    if done < planned and any(first <= day <= last for day in held):
        return False, f"Week {number} again: exercise was on hold for part of it, until a clinician's check"
    if done < planned:
        said = "none" if done == 0 else f"{done}"
        # "Last time": the page that says it shows the repeat beside this week's own count ("3 of 3 this week").
        return False, (
            f"Week {number} again: last time, {said} of its {planned} sessions were done; "
            "a week moves on once they all are"
        )
    so_far = [o for o in outcomes if o.day <= last]
    not_green = [o for o in so_far[-2:] if o.light != "green"]
    if not_green:
        return False, (
            f"Week {number} again: the session on {weekday_date(not_green[-1].day)} was {not_green[-1].light}; "
            "the program moves on after two green sessions in a row"
        )
    # Green, but pain went above 5/10 and above where it began (rules.Outcome.steady): no step up on its back.
    unsteady = [o for o in so_far[-2:] if not o.steady]
    if unsteady:
        high = unsteady[-1]
        return False, (
            f"Week {number} again: the session on {weekday_date(high.day)} took your pain from "
            f"{high.pain_before} to {high.worst}, above 5; the program moves on after two green sessions "
            "that keep it at 5 or below, or no higher than before"
        )
    if rules.worsening(so_far, last):
        return False, f"Week {number} again: your pain before sessions went up that week"
    return True, f"Week {number + 1}: week {number}'s sessions were all done and the last two were green"


def week_runs(
    total: int,
    start: date,
    outcomes: Sequence[rules.Outcome],
    today: date,
    planned_in: Callable[[int], int],
    held: frozenset[date] = frozenset(),
) -> tuple[WeekRun, ...]:
    """The program week each block of the plan runs, from `start` until the program's last week is done
    (judged up to today, planned ahead after it).

    total: how many weeks the program has; planned_in(number): how many sessions its week `number` plans.
    """
    if total < 1:
        return ()
    runs = [WeekRun(1, False, "Week 1: the start of the program", start <= today)]
    for block in range(1, MAX_BLOCKS):
        first = start + timedelta(days=BLOCK_DAYS * block)
        number = runs[-1].number
        if first > today:
            if number >= total:
                break
            runs.append(WeekRun(number + 1, False, f"Week {number + 1}, if this week goes well", False))
            continue
        previous = first - timedelta(days=BLOCK_DAYS)
        moves_on, reason = judge(number, previous, outcomes, planned_in(number), held)
        if moves_on and number >= total:
            break  # the last week went well: the program is done
        runs.append(WeekRun(number + 1, False, reason, True) if moves_on else WeekRun(number, True, reason, True))
    return tuple(runs)
