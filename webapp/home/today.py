"""Everything the client's day shows, gathered in one place: what is due, progress, nudges, suggestions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_

from ..auth.models import User
from ..content.models import Lesson, LessonRead
from ..content.services import exercise_library, unread_lessons
from ..extensions import db
from ..messages.models import Message
from ..messages.services import Note, unread_count_for_client, unread_notes
from ..programs.duration import routine_minutes
from ..programs.models import Assignment, Profile, Routine
from ..programs.personal import Item, doses_of, items_for
from ..programs.structure import active_plan
from ..reminders.models import ReminderSetting
from ..sessions import kept, milestones, outcomes, progression, safety, schedule, screens
from ..sessions.models import CompletedSession, MilestoneShown
from ..sessions.services import session_due_next_day_check
from ..sessions.weeks import WeekRun
from ..timeutil import local_date, zone


@dataclass
class TodayView:
    today: date
    assignment: Assignment | None
    plan: schedule.Plan | None
    routine: Routine | None = None
    minutes: int = 0
    done_today: bool = False
    week: schedule.Adherence | None = None
    streak: int = 0
    # The streak once a session is done today (a planned one, or an extra one that makes up for a missed day):
    # static/js/today.js shows it after a session saved on the phone.
    streak_if_done: int = 0
    next_session: tuple[date, Routine] | None = None
    # What a rest day offers "as well": the next session, as this week of the plan runs it (Plan.extra_on).
    extra: Routine | None = None
    missed: list[date] = field(default_factory=list)
    check_session: CompletedSession | None = None
    # The exercises of the routine shown, as this client does them (their own doses).
    items: list[Item] = field(default_factory=list)
    steps: progression.Week = field(default_factory=progression.Week)
    lesson: Lesson | None = None
    # The read suggested_lesson picks once the back is unsettled, when that is another one: static/js/today.js shows
    # it instead after a session saved on the phone goes red or leaves pain above 5 (the page was made before it).
    lesson_if_unsettled: Lesson | None = None
    # The red-flag screen: an answer waiting for a clinician blocks the player; a due screen is asked first.
    safety: safety.Status | None = None
    finished: bool = False
    not_started: bool = False
    last_light: str | None = None
    # The newest session left the back unsettled: no extra session offered on a rest day (safety.unsettled).
    unsettled: bool = False
    # No session done yet: a rest day has nothing to rest from, and invites the first session instead.
    first_ahead: bool = False
    # From noon on, the next-morning check asks how the back was this morning rather than now: what the
    # pain-monitoring model reads is the morning after a session (Silbernagel 2007, webapp/sessions/rules.py), and an
    # evening's pain filed as the morning's would judge the session by the wrong hour.
    morning_over: bool = False
    # A session done today went red: the done card says rest and ease off rather than well done.
    red_today: bool = False
    # A session done today was green but took pain above 5 and above where it began (rules.Outcome.high).
    high_today: bool = False
    # A program the trainer set in the last week: who set it, and from when (the client is told on Today).
    new_plan_by: str | None = None
    # The trainer's newest unread messages: shown until the page says they were read (a POST, by script or button).
    trainer_notes: list[Note] = field(default_factory=list)
    unread_messages: int = 0
    # The days of this week with a session on the server: static/js/today.js adds those only on the phone.
    done_this_week: list[date] = field(default_factory=list)
    # One milestone not yet shown (shown until the page says it was: a POST, by script or button).
    milestone: milestones.Milestone | None = None
    # On the person's Monday: last week in a few words.
    weekly: milestones.WeeklySummary | None = None

    @property
    def blocked(self) -> bool:
        return self.safety is not None and self.safety.blocked

    @property
    def extra_offered(self) -> bool:
        """Whether a rest day offers the next session today as well (an extra one: its own day still plans it): not
        while the back has not settled from the newest session (safety.unsettled, with its source), nor while
        waiting for a clinician."""
        return not self.blocked and not self.unsettled

    @property
    def make_up_today(self) -> bool:
        """A rest day that offers a session, after a missed one this week that nothing has made up for yet: doing it
        today makes up for it in the week's count and on the calendar (schedule.made_up_days), as the nudge says.
        Only within one week of the program too: a plan that began mid-week judges its weeks in blocks from its
        start (weeks.py), and a session in the next block would not move this one on; the nudge does not promise
        more than the count then (the safer words)."""
        if self.plan is None or self.routine is not None or self.extra is None or not self.extra_offered:
            return False
        monday = schedule.week_start(self.today)
        if self.done_today or not any(day >= monday for day in self.missed):
            return False
        done, yesterday = set(self.done_this_week), self.today - timedelta(days=1)
        made_up = schedule.made_up_days(self.plan, done, monday, yesterday, self.today)
        missed = schedule.missed_days(self.plan, done, monday, yesterday)
        return any(day not in made_up and self.plan.same_block(day, self.today) for day in missed)

    @property
    def week_number(self) -> int | None:
        return self.plan.week_number(self.today) if self.plan else None

    @property
    def week_run(self) -> WeekRun | None:
        """This week of the plan and why it runs: worth saying when it repeats or moved on after judging."""
        run = self.plan.run_on(self.today) if self.plan else None
        return run if run is not None and run.decided and (run.repeat or run.number > 1) else None


def suggested_lesson(view: TodayView, lessons: list[Lesson]) -> Lesson | None:
    """The lesson that fits the day best among those not yet read (lessons, in the course's order): after a red
    session or a bad next morning the traffic light (which says what both mean), after missed sessions the habit
    lesson, otherwise the next one of the course in order; none once all are read. Waiting for a clinician, the
    red-flags lesson first, which says what to do."""
    if not lessons:
        return None
    by_slug = {lesson.slug: lesson for lesson in lessons}
    if view.blocked and "red-flags" in by_slug:
        return by_slug["red-flags"]
    if view.unsettled and "pain-traffic-light" in by_slug:
        return by_slug["pain-traffic-light"]
    if view.missed and "building-the-habit" in by_slug:
        return by_slug["building-the-habit"]
    return lessons[0]


# The hour from which "this morning" is a morning gone by (the next-morning check asks in the past tense). The page
# tells Today's script (data-noon), which switches the words on a copy of the page kept from before noon.
NOON = 12

# The trainer's unread messages Today shows at most.
NOTES_SHOWN = 3

# How long Today mentions a program the trainer has just set.
NEW_PLAN_DAYS = 7


def new_plan_by(user, assignment: Assignment | None, today: date) -> str | None:
    """The name of the trainer who set this plan in the last NEW_PLAN_DAYS, or None (set by the person, or older)."""
    if assignment is None or assignment.assigned_by_id in (None, user.id):
        return None
    # Set lately, and starting lately or later: a plan entered today for weeks already done is not news.
    if (today - local_date(assignment.created_at, user.timezone)).days >= NEW_PLAN_DAYS:
        return None
    if (today - assignment.start_date).days >= NEW_PLAN_DAYS:
        return None
    trainer = db.session.get(User, assignment.assigned_by_id)
    return trainer.name if trainer is not None else None


def client_steps(user, now: datetime) -> tuple[Assignment | None, progression.Week]:
    """The client's plan and their week of doses and suggestions, as Today shows them."""
    today = local_date(now, user.timezone)
    assignment, program = active_plan(user)
    routines = schedule.week_routines(schedule.plan_for(assignment, today, program), today)
    library = exercise_library(user)
    return assignment, progression.client_week(user, assignment, routines, today, library)


def build(user, now: datetime) -> TodayView:
    today = local_date(now, user.timezone)
    assignment, program = active_plan(user)
    facts = screens.facts_of(user, now)
    standing = facts.status(now)
    # Days on hold after a red-flag answer are neither missed nor counted in the week, the streak or the nudge.
    plan = schedule.plan_for(assignment, today, program, safety.held_days(standing.answers, today))
    view = TodayView(today=today, assignment=assignment, plan=plan)
    view.safety = standing
    view.unsettled = safety.unsettled(facts.sessions)

    # Every session's day and pain before, oldest first: the milestones read them all, the days below the newest.
    sessions = milestones.sessions_of(user.id)
    view.first_ahead = not sessions
    done_days = {day for day, _ in sessions if day >= today - timedelta(days=120)}
    view.done_today = today in done_days
    monday = schedule.week_start(today)
    view.done_this_week = sorted(d for d in done_days if monday <= d <= monday + timedelta(days=6))
    recent = outcomes.newest_outcomes(user.id, limit=3)
    view.last_light = recent[0].light if recent else None
    # Any session today, not only the newest: a calm second session later the same day takes back neither the rest
    # after a red one nor keeping the dose after one that took pain above 5 (the safer reading of two in a day).
    view.red_today = any(o.day == today and o.light == "red" for o in recent)
    view.high_today = any(o.day == today and o.high for o in recent)
    view.check_session = session_due_next_day_check(user, today)
    view.morning_over = now.astimezone(zone(user.timezone)).hour >= NOON
    if plan is not None:
        view.routine = plan.routine_on(today)
        view.week = schedule.adherence(plan, done_days, monday, monday + timedelta(days=6))
        view.streak = schedule.streak(plan, done_days, today)
        view.streak_if_done = schedule.streak(plan, {*done_days, today}, today)
        view.next_session = plan.next_planned(today)
        view.extra = plan.extra_on(today)
        view.not_started = today < plan.start_date
        view.finished = today > plan.end_date
        last_done = max((d for d in done_days if d < today), default=None)
        since = max(filter(None, [last_done, today - timedelta(days=7), plan.start_date - timedelta(days=1)]))
        view.missed = schedule.missed_days(plan, done_days, since + timedelta(days=1), today - timedelta(days=1))
        routines = schedule.week_routines(plan, today)
        doses = doses_of(assignment)
        view.steps = progression.client_week(
            user, assignment, routines, today, exercise_library(user), standing=view.safety, doses=doses
        )
        if view.routine is not None:
            view.items = items_for(view.routine, doses)
            view.minutes = routine_minutes(view.items)
    view.new_plan_by = new_plan_by(user, assignment, today)
    unread = unread_lessons(user)
    view.lesson = suggested_lesson(view, unread)
    if not view.unsettled:
        swapped = suggested_lesson(replace(view, unsettled=True), unread)
        view.lesson_if_unsettled = swapped if swapped is not view.lesson else None
    view.trainer_notes = unread_notes(user, NOTES_SHOWN)
    # Fewer than Today shows are all there are.
    shown = len(view.trainer_notes)
    view.unread_messages = shown if shown < NOTES_SHOWN else unread_count_for_client(user)
    # Milestones celebrate the plan as it was laid out: a week mostly on hold is not a full week.
    found = milestones.reached(milestones.facts_of(sessions, plan and plan.laid_out(), assignment, today))
    view.milestone = milestones.to_show(found, milestones.shown_keys(user.id))
    view.weekly = milestones.weekly_summary(today, plan, sessions, trainer=bool(user.trainer_id), on_hold=view.blocked)
    return view


# ---- Today, kept ----
# Today is the page a person opens most. Made afresh it reads twenty statements; kept (sessions/kept.py) it costs
# the fingerprint's one, for as long as nothing it shows has changed.


def shown_besides_the_plan(person):
    """What Today shows besides what the plan is made from, for the fingerprint (sessions/kept.py): the trainer's
    messages and which are read (marked read in place, so the unread are counted), lessons read, milestones
    shown, the reminder setting and preferred time, and the names of the trainers Today names (in unread
    messages and on a plan set lately; a trainer's account deleted leaves their name out)."""
    M, A = Message, Assignment
    to_client = (M.client_id == person, M.author == "trainer")
    unread = case((M.read_at.is_(None), 1), else_=0)
    notes = db.select(kept.joined(func.count(), func.max(M.id), func.sum(unread))).where(*to_client)
    reads = db.select(kept.joined(func.count(), func.max(LessonRead.read_at))).where(LessonRead.user_id == person)
    setting = ReminderSetting
    reminders = db.select(kept.joined(setting.enabled, setting.time, setting.email)).where(setting.user_id == person)
    preferred = db.select(Profile.preferred_time).where(Profile.user_id == person)
    writers = db.select(M.trainer_id).where(*to_client, M.read_at.is_(None))
    setter = db.select(A.assigned_by_id).where(A.client_id == person, A.is_active.is_(True))
    names = db.select(kept.joined(func.count(), func.min(User.name), func.max(User.name), func.sum(User.id))).where(
        or_(User.id.in_(writers), User.id.in_(setter))
    )
    return (
        notes.scalar_subquery(),
        reads.scalar_subquery(),
        kept.added(MilestoneShown, person),
        reminders.scalar_subquery(),
        preferred.scalar_subquery(),
        names.scalar_subquery(),
    )


def kept_page(user, render: Callable[[date], str | None], extra) -> str | None:
    """Today's page for this person as render made it (None: not onboarded yet), kept while nothing it shows has
    changed. extra: what the page is made from that lives in the process or the request (kept.answer)."""
    return kept.answer("today", user, render, extra=extra, more=shown_besides_the_plan)
