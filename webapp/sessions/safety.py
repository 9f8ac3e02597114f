"""Which red-flag answers still stop exercise, and when the screen must be answered again: plain functions.

- A blocking answer (emergency, same day, pregnancy) stays until a later confirmation says a clinician has
  assessed the person and on which day. A clear answer after it changes nothing: a resubmitted empty form
  never unlocks exercise. After an emergency answer the person answers the screen again before confirming.
  The days between are on hold, not missed (held_days).
- The screen is asked again every 6 weeks, and sooner after a red session (the traffic light's own
  judgement, sessions.rules), next-morning pain of 6 or more (above 5 is "too much" in the pain-monitoring
  model, Silbernagel 2007), a rise of 3 or more over the person's usual pain (twice the 1.5 points that
  matter on a 0-10 scale, Ostelo 2008), or a yes to new numbness, tingling or weakness in the legs the next
  morning (a nerve sign the screen asks about, NICE CKS). Where a rule could be read two ways, the stricter
  reading is taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from statistics import median
from typing import Literal

from ..timeutil import short_date as short_day
from . import red_flags, rules

REASK_AFTER = timedelta(weeks=6)
RED_FLAG_SHOWN = timedelta(days=30)  # the trainer sees a red-flag answer this long, whatever follows it
BAD_MORNING_PAIN = 6
PAIN_RISE = 3
USUAL_PAIN_WINDOW = timedelta(days=28)  # "usual": the median pain before sessions over the 4 weeks before
# How far back a person's sessions matter: triggers since the last answer (at most 6 weeks, or the screen is
# due anyway), each compared with the 4 weeks before it.
HISTORY = REASK_AFTER + USUAL_PAIN_WINDOW

TriggerKind = Literal["red_session", "bad_morning", "legs", "pain_rise"]


@dataclass(frozen=True)
class Answer:
    """One stored answer, as the rules need it; day: the day it was answered in the person's zone."""

    id: int
    answered_at: datetime
    day: date
    signs: frozenset[str]
    outcome: str
    assessed_on: date | None = None
    uuid: str = ""

    @property
    def confirmation(self) -> bool:
        return self.assessed_on is not None

    @property
    def blocking(self) -> bool:
        return not self.confirmation and red_flags.blocks(self.outcome)

    @property
    def order(self) -> tuple[datetime, int]:
        return (self.answered_at, self.id)


def after(later: Answer, earlier: Answer) -> bool:
    """Later by the person's clock and in arrival (the same moment: arrival decides): an answer a phone syncs
    late, made before a confirmation from another device that never knew of it, is not cleared by it."""
    return later.answered_at >= earlier.answered_at and later.id > earlier.id


def clears(confirmation: Answer, answer: Answer) -> bool:
    return (
        confirmation.confirmation
        and answer.blocking
        and after(confirmation, answer)
        and confirmation.assessed_on >= answer.day
    )


def open_answers(answers: Iterable[Answer]) -> list[Answer]:
    """Blocking answers no later confirmation has cleared, oldest first."""
    answers = list(answers)
    confirmations = [a for a in answers if a.confirmation]
    waiting = [a for a in answers if a.blocking and not any(clears(c, a) for c in confirmations)]
    return sorted(waiting, key=lambda a: a.order)


def held_days(answers: Iterable[Answer], today: date) -> frozenset[date]:
    """The days exercise was on hold: from the day of each blocking answer until the day before a confirmation
    cleared it (the day it was given, when both fell on one day), or until today while it still waits.

    On those days the player was closed and the person was told to get checked before exercising (NHS back pain
    and cauda equina pages; IFOMPT red-flags framework, Finucane 2020), so a planned session left undone then was
    not missed: the history, the week's count, the streak, adherence and reminders leave those days out.
    """
    answers = list(answers)
    confirmations = sorted((a for a in answers if a.confirmation), key=lambda a: a.order)
    days: set[date] = set()
    for answer in answers:
        if not answer.blocking:
            continue
        cleared = next((c for c in confirmations if clears(c, answer)), None)
        last = today if cleared is None else max(answer.day, cleared.day - timedelta(days=1))
        day = answer.day
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def told(answers: Iterable[Answer]) -> list[Answer]:
    """The answers as a result page lists them ("What you told us"), in their order: one line per day and set of
    signs, since the same answer given twice in a day (sent again, or the screen taken again) tells nothing more.
    static/js/safety/screen.js lists an answer given offline the same way."""
    seen: set[tuple[date, frozenset[str]]] = set()
    lines = []
    for answer in answers:
        key = (answer.day, frozenset(answer.signs))
        if key not in seen:
            seen.add(key)
            lines.append(answer)
    return lines


def strictest(answers: Iterable[Answer]) -> str:
    outcomes = [a.outcome for a in answers]
    return max(outcomes, key=lambda o: red_flags.RANK.get(o, 0), default="clear")


def signs_of(answers: Iterable[Answer]) -> frozenset[str]:
    return frozenset().union(*(a.signs for a in answers))


def must_answer_again_first(waiting: list[Answer], answers: Iterable[Answer]) -> bool:
    """After an emergency answer, the screen is answered again before a confirmation is accepted."""
    emergencies = [a for a in waiting if a.outcome == "emergency"]
    if not emergencies:
        return False
    first = emergencies[0]
    return not any(not a.confirmation and a.order > first.order for a in answers)


def confirmation_problems(
    signs: frozenset[str], assessed_on: date, answered_at: datetime, day: date, answers: Iterable[Answer]
) -> list[tuple[str, str]]:
    """What is wrong with a confirmation given at answered_at (day: that moment in the person's zone), as
    (field, plain words); an empty list when it may be stored. answers: the person's stored answers."""
    problems = []
    earlier = [a for a in answers if a.answered_at <= answered_at]  # stored ones came first at the same moment
    waiting = open_answers(earlier)
    if not signs:
        problems.append(("signs", "A confirmation names the signs a clinician assessed, and this one names none."))
    if assessed_on > day:
        problems.append(("assessed_on", "The day you were assessed cannot be in the future."))
    if not waiting:
        problems.append(
            (
                "assessed_on",
                "No answer is waiting for a clinician's check. Answer the safety check first: saying that a "
                "clinician has seen you is a separate step that comes after it.",
            )
        )
        return problems
    expected = signs_of(waiting)
    if signs and signs != expected:
        problems.append(
            (
                "signs",
                "This confirmation does not match the answer it would clear ("
                + ", ".join(red_flags.labels(expected))
                + "). Take the safety check again.",
            )
        )
    latest = max(a.day for a in waiting)
    if assessed_on < latest:
        problems.append(
            (
                "assessed_on",
                f"The day you were assessed ({short_day(assessed_on)}) is before your answer on "
                f"{short_day(latest)}: a clinician needs to have seen you since then.",
            )
        )
    if must_answer_again_first(waiting, earlier):
        problems.append(
            (
                "assessed_on",
                "After an answer that needed emergency care, take the safety check again before saying a "
                "clinician has seen you.",
            )
        )
    return problems


# ---- Triggers: what in a person's sessions asks for the screen again ----


@dataclass(frozen=True)
class Morning:
    """The next-morning check after a session."""

    at: datetime
    pain: int
    legs: bool | None = None


@dataclass(frozen=True)
class SessionFacts:
    completed_at: datetime
    day: date
    pain_before: int
    pain_after: int
    effort: int
    painful: bool = False
    morning: Morning | None = None
    worst_during: int | None = None  # the highest pain rated during one of its exercises

    @cached_property
    def light(self) -> rules.Light:
        """The server's judgement of the session: the traffic light's own rule, never restated here."""
        return rules.Outcome(
            pain_before=self.pain_before,
            pain_after=self.pain_after,
            effort=self.effort,
            painful_exercise=self.painful,
            next_day_pain=self.morning.pain if self.morning else None,
            pain_during=(self.worst_during,),
            day=self.day,
        ).light


@dataclass(frozen=True)
class Trigger:
    at: datetime
    day: date
    kind: TriggerKind
    reason: str


def pain_in_words(session: SessionFacts) -> str:
    """A session's pain in the order it was rated: before, the worst during an exercise when that was above the pain
    after, after, and the next morning once told ("pain 2 before, 1 after, 8 the next morning"). Every reason that
    names a red session says it this way: named by its before and after alone, a session whose red came from the
    next morning or from one exercise read as one that went well (2 before, 1 after)."""
    words = f"pain {session.pain_before} before"
    if session.worst_during is not None and session.worst_during > session.pain_after:
        words += f", {session.worst_during} at worst"
    words += f", {session.pain_after} after"
    if session.morning is not None:
        words += f", {session.morning.pain} the next morning"
    return words


def usual_pain(earlier: list[int], baseline: int | None) -> float | None:
    """The median pain before sessions of the weeks before; the onboarding rating when there were none."""
    if earlier:
        return median(earlier)
    return None if baseline is None else float(baseline)


def rises(pain: int, usual: float | None) -> bool:
    return usual is not None and pain - usual >= PAIN_RISE


def bad_morning(morning: Morning | None) -> bool:
    return morning is not None and (morning.pain >= BAD_MORNING_PAIN or bool(morning.legs))


def unsettled(sessions: list[SessionFacts]) -> bool:
    """Whether the newest session left the back unsettled: it went red (during it or by the next morning), its
    next morning was bad (pain 6 or more, or new leg symptoms), or its pain is still above 5/10: the next
    morning's when told, else the worst during or just after it. Today then offers no extra session on
    a rest day: the pain-monitoring model judges a session by the back's next 24 hours and calls pain above 5/10
    too much (Silbernagel 2007; CONTENT.md, "Pain monitoring"), and an extra session loads a back that has not
    settled. Our own reading of the model, and the safer one, said in the traffic-light lesson: a session judged
    against a high pain before it can be green (8 before, 9 after) and still leave pain too high for more."""
    newest = max(sessions, key=lambda s: s.completed_at, default=None)
    if newest is None:
        return False
    return newest.light == "red" or bad_morning(newest.morning) or pain_now(newest) > rules.PAIN_CEILING


def pain_now(session: SessionFacts) -> int:
    """The latest pain a session is known to have left: the next morning's once told, else its worst."""
    if session.morning is not None:
        return session.morning.pain
    return max(session.pain_after, session.worst_during or 0)


def triggers(sessions: list[SessionFacts], baseline: int | None, since: datetime | None = None) -> list[Trigger]:
    """Every event in these sessions that asks for the screen again (those after `since`), oldest first."""
    found = []
    ordered = sorted(sessions, key=lambda s: s.completed_at)
    first = 0  # the oldest session still inside the usual-pain window of the one being looked at
    for index, session in enumerate(ordered):
        while ordered[first].completed_at < session.completed_at - USUAL_PAIN_WINDOW:
            first += 1
        latest = session.morning.at if session.morning else session.completed_at
        if since is not None and latest <= since:
            continue  # only the window before a later session needs it
        day = short_day(session.day)
        if session.light == "red":
            found.append(
                Trigger(
                    session.completed_at,
                    session.day,
                    "red_session",
                    f"a red session on {day} ({pain_in_words(session)})",
                )
            )
        window = [s.pain_before for s in ordered[first:index]]  # the sessions of the window before this one
        usual = usual_pain(window, baseline)
        if rises(session.pain_before, usual):
            found.append(
                Trigger(
                    session.completed_at,
                    session.day,
                    "pain_rise",
                    f"pain {session.pain_before} before the session on {day}, "
                    f"{session.pain_before - usual:g} above the usual {usual:g}",
                )
            )
        morning = session.morning
        if morning is not None and morning.pain >= BAD_MORNING_PAIN:
            found.append(
                Trigger(morning.at, session.day, "bad_morning", f"pain {morning.pain} the morning after {day}")
            )
        if morning is not None and morning.legs:
            found.append(
                Trigger(
                    morning.at,
                    session.day,
                    "legs",
                    f"new numbness, tingling or weakness in the legs the morning after {day}",
                )
            )
    return sorted(found, key=lambda t: t.at)


# ---- The person's standing: blocked, due, or free to exercise ----


@dataclass(frozen=True)
class Due:
    since: datetime | None  # None: never answered
    reason: str  # the earliest reason: the one the check has been due since
    kind: str  # "first", "interval", or a trigger's kind
    day: date | None = None  # the day of the session the reason is about (a trigger's)
    # The newest reason, when another has come since the earliest: Sam, asked since a red session on 25 Nov, told
    # us of new numbness in his legs this morning and was sent to the check "because of a red session on 25 Nov".
    newest: str | None = None
    # Every kind of reason pending, the earliest's and those since: what the words after a clear answer follow.
    kinds: frozenset[str] = frozenset()

    @property
    def in_words(self) -> str:
        """Why the person is asked, as Today, the check and the phone say it: the newest reason first."""
        return self.reason if self.newest is None else f"{self.newest}, and {self.reason}"


def asked_again_at(answered_at: datetime) -> datetime:
    """When the screen falls due again by the clock alone, whatever happens meanwhile: six weeks after an answer."""
    return answered_at + REASK_AFTER


def due(answers: list[Answer], found: list[Trigger], now: datetime) -> Due | None:
    """Whether the screen must be answered again, since when and why (the earliest reason counts; the newest is
    named too when there is another that the earliest does not already say)."""
    if not answers:
        return Due(None, "the safety check has not been answered yet", "first")
    last = max(answers, key=lambda a: a.order)
    reasons = [Due(t.at, t.reason, t.kind, t.day) for t in found if t.at > last.answered_at]
    interval = asked_again_at(last.answered_at)
    if now >= interval:
        reasons.append(Due(interval, "6 weeks since the last safety check", "interval"))
    if not reasons:
        return None
    earliest = min(reasons, key=lambda d: d.since)
    # A red session's words already give its next morning's pain (pain_in_words): that morning is not named again.
    later = [
        reason
        for reason in reasons
        if reason is not earliest
        and not (earliest.kind == "red_session" and reason.kind == "bad_morning" and reason.day == earliest.day)
    ]
    kinds = frozenset(reason.kind for reason in reasons)
    if not later:
        return replace(earliest, kinds=kinds)
    moment = max(reason.since for reason in later)  # the newest: one morning can bring its pain and the legs
    newest = " and ".join(reason.reason for reason in later if reason.since == moment)
    return replace(earliest, newest=newest, kinds=kinds)


@dataclass(frozen=True)
class Status:
    answers: list[Answer] = field(default_factory=list)
    waiting: list[Answer] = field(default_factory=list)  # open blocking answers, oldest first
    due: Due | None = None
    triggers: list[Trigger] = field(default_factory=list)

    @property
    def last(self) -> Answer | None:
        return max(self.answers, key=lambda a: a.order, default=None)

    @property
    def blocked(self) -> bool:
        return bool(self.waiting)

    @property
    def must_answer(self) -> bool:
        """The player opens the screen first: an answer waits for a clinician, or the screen is due."""
        return self.blocked or self.due is not None

    @property
    def level(self) -> str | None:
        """The strictest waiting answer's outcome: the result page the person is shown."""
        return strictest(self.waiting) if self.waiting else None

    @property
    def waiting_signs(self) -> frozenset[str]:
        return signs_of(self.waiting)

    @property
    def answer_again_first(self) -> bool:
        return must_answer_again_first(self.waiting, self.answers)

    @property
    def can_confirm(self) -> bool:
        return self.blocked and not self.answer_again_first

    @property
    def state(self) -> Literal["new", "blocked", "due", "ok"]:
        if not self.answers:
            return "new"
        if self.blocked:
            return "blocked"
        return "due" if self.due is not None else "ok"


def status(
    answers: list[Answer],
    sessions: list[SessionFacts],
    baseline: int | None,
    now: datetime,
    look_back: datetime | None = None,
) -> Status:
    """look_back: keep triggers from then on too (the trainer's two weeks), not only those since the last answer."""
    last = max((a.answered_at for a in answers), default=None)
    since = look_back if last is None else min(last, look_back or last)
    found = triggers(sessions, baseline, since)
    return Status(answers=answers, waiting=open_answers(answers), due=due(answers, found, now), triggers=found)
