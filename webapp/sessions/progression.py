"""Small steps, per exercise: what the last sessions suggest for each exercise of the client's week.

After two green, easy sessions in a row that did an exercise's whole dose and kept pain within 5/10 or no higher
than before (rules.Outcome.steady), the next step is a dose step (content/ladder.py); only at the top of its
dose does it move to its harder version, one level up. After a red session (or one where it hurt) its dose steps
back first, then to its easier version (CONTENT.md, "Progress load in small steps"; the lights are rules.py's).
A week whose pain rose holds every step up back, and so does a newest session that went red, during it or by the
next morning, whichever exercises it did: the step up waits for pain that stayed green two sessions in a row, and
the 24-hour response matters most (the pain-monitoring model, Silbernagel 2007, CONTENT.md "Pain monitoring").
The safer reading of a rule that speaks of the person's sessions, where the steps are worked out per exercise.

Suggestions are worked out afresh from the sessions each time; accepting one writes the client's dose
(programs/personal.py), declining or turning one off only records when, so the sessions before no longer count.
A client with a trainer may take a step back themselves (easing off never waits for anyone); a step up is
the trainer's to accept, change or turn off. Without a trainer the client accepts or declines each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Literal

from ..content.ladder import Amount, start_of, step_down, step_up, volume
from ..content.models import Exercise
from ..extensions import db
from ..programs import personal
from ..programs.models import Assignment, PersonalDose, Routine
from ..timeutil import utcnow, weekday_date
from . import outcomes, rules, safety, screens
from .models import CompletedSession

Change = Literal["dose", "easier", "harder"]
Direction = Literal["up", "down"]
# Enough sessions to find the last two that did each exercise of a week, however the routines alternate.
SESSIONS_LOOKED_AT = 30


@dataclass(frozen=True)
class Done:
    """One exercise as a session did it, with that session's outcome."""

    outcome: rules.Outcome
    position: int
    exercise_id: int
    sets_done: int
    reps_done: int
    hold_seconds: int
    painful: bool
    completed_at: datetime
    day: date

    @property
    def own_light(self) -> rules.Light | None:
        return self.outcome.exercise_light(self.position)

    def did_all_of(self, exercise: Exercise, amount: Amount) -> bool:
        """The whole dose: every set, every repetition on each side, every hold as long as planned."""
        sides = 2 if exercise.per_side else 1
        return (
            self.exercise_id == exercise.id
            and self.sets_done >= amount.sets
            and self.reps_done >= amount.sets * amount.reps * sides
            and (exercise.kind != "hold" or self.hold_seconds >= amount.hold_seconds)
        )


@dataclass(frozen=True)
class Suggestion:
    item: personal.Item
    change: Change
    direction: Direction
    to_exercise: Exercise
    to: Amount
    reason: str

    @property
    def slot(self) -> Exercise:
        return self.item.slot

    @property
    def exercise(self) -> Exercise:
        return self.item.exercise

    @property
    def current(self) -> Amount:
        return self.item.amount

    @property
    def to_words(self) -> str:
        return personal.dose_words(self.to_exercise, self.to, self.item.rest_seconds)

    def payload(self) -> dict:
        """As GET /api/v1/plan lists it."""
        return {
            "exercise": self.exercise.slug,
            "program_exercise": self.slot.slug,
            "change": self.change,
            "from": self.current.as_dict(),
            "to": self.to.as_dict(),
            "to_exercise": self.to_exercise.slug if self.change != "dose" else None,
            "reason": self.reason,
        }


def _the_red_one(done: Done, siblings: Sequence[Done]) -> bool:
    """Did this exercise make its session red? Its own rating was red or it was ticked as hurting; or the
    session went red and no exercise of it was singled out, so each steps back."""
    if done.painful or done.own_light == "red":
        return True
    if done.outcome.light != "red":
        return False
    return not any(other.painful or other.own_light == "red" for other in siblings)


def step_back(item: personal.Item, why: str, library: dict[str, Exercise]) -> Suggestion | None:
    smaller = step_down(item.amount, item.exercise)
    if smaller is not None:
        return Suggestion(item, "dose", "down", item.exercise, smaller, f"{why} Ease off a step.")
    easier = library.get(item.exercise.easier_slug)
    if easier is None or easier.level < item.exercise.level - 1:
        return None
    return Suggestion(
        item, "easier", "down", easier, start_of(easier),
        f"{why} It is already at its smallest dose, so try the easier version for now.",
    )  # fmt: skip


def step_forward(item: personal.Item, library: dict[str, Exercise]) -> Suggestion | None:
    bigger = step_up(item.amount, item.exercise)
    if bigger is not None:
        return Suggestion(
            item, "dose", "up", item.exercise, bigger,
            "Your last two sessions with it were green and felt easy: a small step up.",
        )  # fmt: skip
    harder = library.get(item.exercise.harder_slug)
    if harder is None or harder.level > item.exercise.level + 1:
        return None
    return Suggestion(
        item, "harder", "up", harder, start_of(harder),
        "It is at the top of its dose and your last two sessions with it were green and felt easy: "
        "try the next version, one level up.",
    )  # fmt: skip


def suggestion_for(
    item: personal.Item,
    record: PersonalDose | None,
    history: Sequence[tuple[Done, Sequence[Done]]],
    worse: bool,
    library: dict[str, Exercise],
    ceiling: bool = True,
) -> Suggestion | None:
    """history: newest first, the sessions since the last decision about this exercise that did it (each with
    the rest of its session's exercises). ceiling=False counts a green session that took pain above 5 as well
    (only to tell the person why no step up came: plan_week)."""
    if not history:
        return None
    newest, siblings = history[0]
    if _the_red_one(newest, siblings):
        why = "It hurt" if newest.painful else "It went red"
        return step_back(item, f"{why} on {weekday_date(newest.day)}.", library)
    if worse or (record is not None and record.suggestions_off) or len(history) < 2:
        return None
    last_two = [done for done, _ in history[:2]]
    if all(
        (done.outcome.steady if ceiling else done.outcome.light == "green")
        and done.outcome.easy
        and done.own_light in (None, "green")
        and done.did_all_of(item.exercise, item.amount)
        for done in last_two
    ):
        return step_forward(item, library)
    return None


@dataclass
class Week:
    """The exercises of the client's current week with their doses, and what the sessions suggest for each."""

    items: list[personal.Item] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    held_back: bool = False  # a worsening week kept a step up from being suggested
    held_after_red: bool = False  # the newest session went red: no step up until one stays green
    # Two green, easy sessions, but one took pain above 5/10 and above where it began (rules.Outcome.steady).
    held_above_ceiling: bool = False
    # The safety check is due or waits for a clinician: no step up is suggested until it is answered (easing off
    # still is). The safer choice: a person who may need a doctor is not asked to do more meanwhile.
    held_for_safety: bool = False
    waiting_for_clinician: bool = False  # held for that reason: a red-flag answer waits for a clinician's check
    off: set[int] = field(default_factory=set)  # exercises (the program's) the trainer turned step-ups off for

    def suggestion_for(self, item: personal.Item) -> Suggestion | None:
        return next((s for s in self.suggestions if s.slot.id == item.slot.id), None)


def week_items(routines: Sequence[Routine], doses: dict[int, PersonalDose]) -> list[personal.Item]:
    """Each exercise the program names this week once, as the client does it (the first time it comes)."""
    seen: dict[int, personal.Item] = {}
    for routine in routines:
        for item in personal.items_for(routine, doses):
            seen.setdefault(item.slot.id, item)
    return list(seen.values())


Looked = CompletedSession | outcomes.SessionRecord  # a stored session, or its plain rows


def history_by_exercise(sessions: Sequence[Looked]) -> dict[int, list[tuple[Done, list[Done]]]]:
    """{exercise id: [(done, the session's other exercises), ...]}, newest first."""
    found: dict[int, list[tuple[Done, list[Done]]]] = {}
    for session, outcome in zip(sessions, outcomes.outcomes_of(sessions), strict=True):
        rows = [
            Done(outcome, i, e.exercise_id, e.sets_done, e.reps_done, e.hold_seconds, e.painful,
                 session.completed_at, session.local_date)
            for i, e in enumerate(session.exercises)
        ]  # fmt: skip
        for row in rows:
            found.setdefault(row.exercise_id, []).append((row, rows))
    return found


# Step-ups a client is offered at once, in the routine's order; the others wait for later sessions. The safer
# choice: the whole routine's load also rises in small steps, not by a step on every exercise in the same week.
# The trainer's page lists them all: the trainer decides.
MAX_STEPS_UP = 2


def plan_week(
    items: list[personal.Item],
    doses: dict[int, PersonalDose],
    sessions: Sequence[Looked],
    worse: bool,
    library: dict[str, Exercise],
) -> Week:
    """sessions: newest first. At most one move to a harder version at a time: never everything at once."""
    history = history_by_exercise(sessions)
    week = Week(items=items, off={slot for slot, record in doses.items() if record.suggestions_off})
    # The newest session went red, during it or by the next morning: no step up anywhere until one stays green.
    red_last = bool(sessions) and outcomes.outcomes_of(sessions[:1])[0].light == "red"
    for item in items:
        record = doses.get(item.slot.id)
        since = record.decided_at if record is not None else None
        mine = [h for h in history.get(item.exercise.id, []) if since is None or h[0].completed_at > since]
        suggestion = suggestion_for(item, record, mine, worse or red_last, library)
        if suggestion is None:
            if (worse or red_last) and suggestion_for(item, record, mine, False, library) is not None:
                week.held_back, week.held_after_red = worse, not worse
            elif suggestion_for(item, record, mine, worse or red_last, library, ceiling=False) is not None:
                week.held_above_ceiling = True
            continue
        if suggestion.change == "harder" and any(s.change == "harder" for s in week.suggestions):
            continue
        week.suggestions.append(suggestion)
    return week


def client_week(
    user,
    assignment: Assignment | None,
    routines: Sequence[Routine],
    today: date,
    library,
    every_step: bool = False,
    standing: safety.Status | None = None,
    doses: dict[int, PersonalDose] | None = None,
) -> Week:
    """The Week of this client: their doses over the routines given, and the suggestions of their sessions
    (at most MAX_STEPS_UP step-ups, unless every_step: the trainer's page). standing: the client's safety
    standing when the caller has just read it (Today), else it is read here when a step up needs it; doses: the
    assignment's (personal.doses_of) when the caller has them."""
    if assignment is None:
        return Week()
    doses = personal.doses_of(assignment) if doses is None else doses
    items = week_items(routines, doses)
    sessions = outcomes.records_since(user.id, assignment.start_date, SESSIONS_LOOKED_AT, assignment.family)
    week = plan_week(items, doses, sessions, outcomes.worsening(user.id, today), library)
    if any(s.direction == "up" for s in week.suggestions):
        standing = standing or screens.standing(user)
        if standing.must_answer:
            week.suggestions = [s for s in week.suggestions if s.direction != "up"]
            week.held_for_safety, week.waiting_for_clinician = True, standing.blocked
    if not every_step:
        ups = [s for s in week.suggestions if s.direction == "up"][MAX_STEPS_UP:]
        week.suggestions = [s for s in week.suggestions if s not in ups]
    return week


# ---- Acting on a suggestion ----


class StepRefused(ValueError):
    """A step that cannot be taken as asked; the message says why in plain words."""


@dataclass(frozen=True)
class Proposal:
    """A suggestion as a form or a phone sends it back: which exercise, from what, to what."""

    slot: str
    to_exercise: str
    to: Amount


def find(week: Week, proposal: Proposal) -> Suggestion | None:
    return next(
        (
            s
            for s in week.suggestions
            if s.slot.slug == proposal.slot and s.to_exercise.slug == proposal.to_exercise and s.to == proposal.to
        ),
        None,
    )


def already_taken(week: Week, proposal: Proposal) -> bool:
    """The client's dose is already what the proposal would make it: accepted before (another phone, a retry)."""
    return any(
        item.slot.slug == proposal.slot and item.exercise.slug == proposal.to_exercise and item.amount == proposal.to
        for item in week.items
    )


def take(
    assignment: Assignment,
    suggestion: Suggestion,
    to: Amount,
    by,
    now: datetime | None = None,
) -> None:
    """Write the step as the client's dose; back to the program's own when it lands there. Not committed."""
    item = suggestion.item
    exercise = suggestion.to_exercise
    if exercise.id == item.slot.id and to == item.planned_amount:
        personal.set_dose(assignment, item.slot, exercise, None, "", by, now)
        return
    if exercise.id == item.slot.id:
        direction = "up" if volume(to, exercise) > volume(item.planned_amount, exercise) else "down"
    else:
        direction = suggestion.direction
    personal.set_dose(assignment, item.slot, exercise, to, direction, by, now)


def accept(
    assignment: Assignment, week: Week, proposal: Proposal, by, may_step_up: bool, now: datetime | None = None
) -> str:
    """ "applied", or "already" when the dose is already there (accepting twice applies once)."""
    if already_taken(week, proposal):
        return "already"
    suggestion = find(week, proposal)
    if suggestion is None:
        raise StepRefused("That suggestion has changed since the page was shown. Here is what is suggested now.")
    if suggestion.direction == "up" and not may_step_up:
        raise StepRefused("Your trainer decides when you step up. Easing off is always yours to choose.")
    take(assignment, suggestion, proposal.to, by, now)
    db.session.commit()
    return "applied"


def change(assignment: Assignment, week: Week, proposal: Proposal, by, now: datetime | None = None) -> None:
    """The trainer's own version of a suggested step: another amount of the suggested exercise (or of the one
    the client does now), within the limits a plan may set."""
    suggestion = next((s for s in week.suggestions if s.slot.slug == proposal.slot), None)
    if suggestion is None:
        raise StepRefused("There is no suggestion for that exercise any more. Here are the steps as they are now.")
    if proposal.to_exercise not in (suggestion.to_exercise.slug, suggestion.exercise.slug):
        raise StepRefused("Choose the exercise suggested or the one the client does now.")
    exercise = suggestion.to_exercise if proposal.to_exercise == suggestion.to_exercise.slug else suggestion.exercise
    if exercise.kind == "hold" and proposal.to.hold_seconds < 1:
        raise StepRefused("A hold needs at least 1 second.")
    take(assignment, replace(suggestion, to_exercise=exercise), proposal.to, by, now)
    db.session.commit()


def decline(assignment: Assignment, slot: Exercise, by, now: datetime | None = None) -> None:
    """Not now: the sessions so far no longer count towards a suggestion for this exercise."""
    record = personal.dose_record(assignment, slot)
    record.decided_at = now or utcnow()
    record.decided_by_id = by.id if by is not None else None
    db.session.commit()


def switch_off(assignment: Assignment, slot: Exercise, off: bool, by, now: datetime | None = None) -> None:
    """The trainer's choice: no steps up suggested for this exercise (steps back still are), or again."""
    record = personal.dose_record(assignment, slot)
    record.suggestions_off = off
    record.decided_at = now or utcnow()
    record.decided_by_id = by.id if by is not None else None
    db.session.commit()
