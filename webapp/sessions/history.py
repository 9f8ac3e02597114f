"""The history page: the month calendar, summary numbers, progress charts, function re-rating and every session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ..auth.access import client_required
from ..extensions import db
from ..programs.services import active_assignment
from ..timeutil import local_date, utcnow
from . import charts, progress, rules
from .models import CheckIn, CompletedSession, FunctionActivity, FunctionRating, SessionExercise
from .schedule import plan_for, today_for
from .services import sessions_newest_first
from .views import bp

PAGE_SIZE = 20


def parse_page(raw: str | None) -> int:
    # A page number that makes no sense shows the first page rather than an error: it only ever comes from a link.
    return int(raw) if raw and raw.isdigit() and 1 <= int(raw) <= 100_000 else 1


def session_points(user_id: int) -> list[progress.SessionPoint]:
    query = (
        db.select(
            CompletedSession.local_date,
            CompletedSession.pain_before,
            CompletedSession.pain_after,
            CompletedSession.effort,
        )
        .where(CompletedSession.user_id == user_id)
        .order_by(CompletedSession.completed_at, CompletedSession.id)
    )
    return [progress.SessionPoint(*row) for row in db.session.execute(query)]


def baseline_check_in(user_id: int) -> int | None:
    query = (
        db.select(CheckIn.pain)
        .where(CheckIn.user_id == user_id, CheckIn.kind == "baseline")
        .order_by(CheckIn.created_at, CheckIn.id)
        .limit(1)
    )
    return db.session.execute(query).scalar()


def function_activities(user_id: int) -> list[FunctionActivity]:
    query = (
        db.select(FunctionActivity)
        .where(FunctionActivity.user_id == user_id)
        .order_by(FunctionActivity.position, FunctionActivity.id)
        .options(selectinload(FunctionActivity.ratings))
    )
    return list(db.session.execute(query).scalars())


def activity_trend(activity: FunctionActivity, timezone: str) -> progress.ActivityTrend:
    return progress.ActivityTrend(
        activity.name, [(local_date(r.rated_at, timezone), r.score) for r in activity.ratings]
    )


@dataclass(frozen=True)
class SessionRow:
    """One session as the list shows it, with the light the traffic-light rule gives it."""

    session: CompletedSession
    next_day_pain: int | None

    @property
    def light(self) -> rules.Light:
        outcome = rules.Outcome(
            pain_before=self.session.pain_before,
            pain_after=self.session.pain_after,
            effort=self.session.effort,
            painful_exercise=any(e.painful for e in self.session.exercises),
            next_day_pain=self.next_day_pain,
        )
        return outcome.light

    @property
    def exercises(self) -> list[tuple[SessionExercise, str]]:
        return [
            (e, progress.done_text(e.exercise.kind, e.sets_done, e.reps_done, e.hold_seconds, e.exercise.per_side))
            for e in self.session.exercises
        ]


def session_page(user_id: int, page: int) -> tuple[list[SessionRow], bool]:
    """A page of sessions, newest first, and whether there is a next one."""
    sessions, more = sessions_newest_first(user_id, page, PAGE_SIZE)
    ids = [s.id for s in sessions]
    next_day: dict[int, int] = {}
    if ids:
        checks = (
            db.select(CheckIn.session_id, CheckIn.pain)
            .where(CheckIn.session_id.in_(ids), CheckIn.kind == "next-day")
            .order_by(CheckIn.created_at)
        )
        next_day = dict(db.session.execute(checks).all())
    return [SessionRow(s, next_day.get(s.id)) for s in sessions], more


def render_history(errors: Mapping[int, str] | None = None, values: Mapping[str, str] | None = None, status=200):
    user = current_user
    today = today_for(user.timezone, utcnow())
    plan = plan_for(active_assignment(user))
    points = session_points(user.id)
    done_days = {p.day for p in points}
    month = progress.month_calendar(progress.parse_month(request.args.get("month"), today), plan, done_days, today)
    activities = function_activities(user.id)
    trends = [activity_trend(a, user.timezone) for a in activities]
    page = parse_page(request.args.get("page"))
    rows, more = session_page(user.id, page)
    pain_points = progress.pain_points(points)
    bars = progress.weekly_bars(plan, done_days, today)
    # A trend needs two ratings; one rating alone is shown in words, not as a chart of a single dot.
    has_trend = any(t.change is not None for t in trends)
    return render_template(
        "sessions/history.html",
        plan=plan,
        month=month,
        month_param=progress.month_param,
        summary=progress.summarise(plan, points, baseline_check_in(user.id), today),
        pain_points=pain_points,
        pain_chart=charts.pain_chart(pain_points),
        pain_table=charts.pain_table(pain_points),
        bars=bars,
        adherence_chart=charts.adherence_chart(bars),
        adherence_table=charts.adherence_table(bars),
        function_chart=charts.function_chart(trends) if has_trend else "",
        function_table=charts.function_table(trends),
        short_date=progress.short_date,
        activities=list(zip(activities, trends, strict=True)),
        last_rated=max((t.latest_day for t in trends if t.latest_day), default=None),
        function_due=progress.function_due(trends, today) or bool(errors),
        function_errors=errors or {},
        function_values=values or {},
        rerate_days=progress.RERATE_DAYS,
        rows=rows,
        page=page,
        more=more,
        has_sessions=bool(points),
    ), status


@bp.route("/history/")
@client_required
def history():
    return render_history()


@bp.post("/history/function")
@client_required
def rate_function():
    activities = function_activities(current_user.id)
    if not activities:
        flash("There are no activities to rate yet.", "info")
        return redirect(url_for("sessions.history"))
    scores, errors = progress.parse_function_scores([a.id for a in activities], request.form)
    if errors:
        # Every score or none: a rating with one activity missing would draw a misleading trend.
        return render_history(errors=errors, values=request.form, status=400)
    now = utcnow()
    db.session.add_all(FunctionRating(activity_id=a.id, score=scores[a.id], rated_at=now) for a in activities)
    db.session.commit()
    flash(f"Thank you: your ratings are saved. We will ask again in {progress.RERATE_DAYS} days.", "success")
    return redirect(url_for("sessions.history", _anchor="function"))
