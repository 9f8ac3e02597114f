"""Onboarding and check-ins: the safety screen, pain and hard activities, days and time, a program."""

from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import client_required
from ..programs.services import DAY_NAMES, active_assignment, assign, starter_program, visible_programs
from ..security import log_event
from ..timeutil import utcnow
from . import red_flags, services
from .schedule import today_for
from .views import bp


def next_step() -> str:
    if services.latest_screen(current_user) is None:
        return url_for("sessions.welcome_safety")
    if not services.has_about(current_user):
        return url_for("sessions.welcome_about")
    if active_assignment(current_user) is None and current_user.trainer_id is None:
        return url_for("sessions.welcome_program")
    services.finish_onboarding(current_user)
    return url_for("home.index")


@bp.route("/welcome/")
@client_required
def welcome():
    return redirect(next_step())


def _safety(template_flag: bool):
    if request.method == "POST":
        ticked = request.form.getlist("signs")
        try:
            screen = services.record_screen(current_user, ticked, request.form.get("confirmed") == "yes")
        except services.InputError as exc:
            flash(str(exc), "error")
            return redirect(request.path)
        if screen.outcome != "clear":
            log_event("red_flag_answer", user_id=current_user.id, outcome=screen.outcome)
        if services.screen_allows_exercise(screen):
            flash("Thank you. You can carry on.", "success")
            return redirect(next_step() if template_flag else url_for("home.index"))
        return redirect(url_for("sessions.safety_result", screen_id=screen.id))
    return render_template(
        "sessions/safety.html",
        emergency=red_flags.EMERGENCY,
        same_day=red_flags.SAME_DAY,
        pregnant=red_flags.PREGNANT,
        confirmations=red_flags.CONFIRMATIONS,
        onboarding=template_flag,
        step=1,
    )


@bp.route("/welcome/safety", methods=["GET", "POST"])
@client_required
def welcome_safety():
    return _safety(True)


@bp.route("/safety/", methods=["GET", "POST"])
@client_required
def safety():
    return _safety(False)


@bp.route("/safety/result/<int:screen_id>")
@client_required
def safety_result(screen_id: int):
    screen = services.latest_screen(current_user)
    if screen is None or screen.id != screen_id:
        return redirect(url_for("sessions.safety"))
    return render_template("sessions/safety_result.html", screen=screen, confirmations=red_flags.CONFIRMATIONS)


@bp.route("/welcome/about", methods=["GET", "POST"])
@client_required
def welcome_about():
    form = request.form
    if request.method == "POST":
        activities = [(form.get(f"activity{i}", ""), form.get(f"score{i}", "")) for i in range(3)]
        try:
            services.record_about(
                current_user, form.get("pain"), activities, form.getlist("days"), form.get("time", "")
            )
        except services.InputError as exc:
            flash(str(exc), "error")
            return render_template(
                "sessions/about.html", form=form, days=DAY_NAMES, times=services.PREFERRED_TIMES, step=2
            ), 400
        return redirect(next_step())
    return render_template("sessions/about.html", form=form, days=DAY_NAMES, times=services.PREFERRED_TIMES, step=2)


@bp.route("/welcome/program", methods=["GET", "POST"])
@client_required
def welcome_program():
    programs = [p for p in visible_programs(current_user) if p.is_starter]
    today = today_for(current_user.timezone, utcnow())
    if request.method == "POST":
        program = starter_program(request.form.get("program", ""))
        start = _parse_start(request.form.get("start", ""), today)
        if program is None or start is None:
            flash("Choose one of the programs and a start date within the next two weeks.", "error")
            return render_template("sessions/choose_program.html", programs=programs, today=today, step=3), 400
        assign(current_user, program, start)
        services.finish_onboarding(current_user)
        flash(f"{program.name} starts {'today' if start == today else start.strftime('%A %d %B')}.", "success")
        return redirect(url_for("home.index"))
    return render_template("sessions/choose_program.html", programs=programs, today=today, step=3)


def _parse_start(raw: str, today: date) -> date | None:
    try:
        start = date.fromisoformat(raw) if raw else today
    except ValueError:
        return None
    return start if today <= start <= today + timedelta(days=14) else None


@bp.route("/check-in", methods=["POST"])
@client_required
def next_day_check():
    try:
        services.record_next_day(current_user, request.form.get("session", ""), request.form.get("pain"))
    except services.InputError as exc:
        flash(str(exc), "error")
    else:
        flash("Thanks. That tells us how your back handles this level.", "success")
    return redirect(url_for("home.index"))
