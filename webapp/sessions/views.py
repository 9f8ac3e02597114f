"""The client's pages: onboarding and the safety screen, the guided player, history and the check-ins."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import client_required
from ..programs.duration import program_minutes_words
from ..programs.services import (
    active_assignment,
    assign,
    starter_program,
    visible_programs,
)
from ..programs.structure import routine_in_plan
from ..security import log_event
from ..templating import for_the_offline_package
from ..timeutil import DAY_NAMES, local_date, long_date, utcnow
from . import charts, history, onboarding, progress, recommend, red_flags, screens, services
from .forms import (
    STARTER_MESSAGE,
    AboutForm,
    ConfirmationForm,
    NextDayForm,
    SafetyForm,
    StarterForm,
    read_function_scores,
)
from .player import player_data
from .safety import Due, told
from .schedule import person_plan, training_days_words

bp = Blueprint("sessions", __name__)


@bp.route("/routines/<int:routine_id>/play")
@client_required
def play(routine_id: int):
    assignment, routine = routine_in_plan(current_user, routine_id)
    if routine is None:
        abort(404)
    now = utcnow()
    standing = screens.standing(current_user, now)
    # Every player must be on the phone, or an answer given offline could never unlock one: the service worker
    # fetching the package gets it whatever the standing, and its copy opens the screen first while an answer is due
    # (static/js/safety/gate.js). A person opening the page is redirected to the screen whatever headers it sends.
    if not for_the_offline_package():
        if standing.state == "new":
            return redirect(url_for("sessions.welcome"))
        if standing.must_answer:
            return redirect(url_for("sessions.safety", next=request.path))
    data = player_data(routine, current_user, assignment)
    # The copy kept on the phone locks itself with this (static/js/safety/gate.js) until the screen is answered.
    data["safety"] = screens.for_the_phone(current_user, now, standing)
    return render_template("sessions/play.html", routine=routine, data=data)


# ---- Onboarding, the safety screen and the next-morning check ----


def _next_step_url() -> str:
    """After a POST: where onboarding goes next, recording its end when no step is left."""
    step = onboarding.next_step(current_user)
    if step == "home.index":
        services.finish_onboarding(current_user)
    return url_for(step)


@bp.get("/welcome/")
@client_required
def welcome():
    # Only looks: a GET never writes, so the end of onboarding is recorded by the POST that finishes it.
    return redirect(url_for(onboarding.next_step(current_user)))


def _next_page(raw: str | None) -> str | None:
    """Where to go once the screen is answered: a path on this site, never another site."""
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return None


def _screen_page(first_time: bool, status: int = 200):
    now = utcnow()
    standing = screens.standing(current_user, now)
    return render_template(
        "sessions/safety.html",
        questions=red_flags.questions(services.birth_year_of(current_user), local_date(now, current_user.timezone)),
        headings=red_flags.HEADINGS,
        standing=standing,
        safety_data=screens.for_the_phone(current_user, now, standing),
        onboarding=first_time,
        next_page=_next_page(request.values.get("next")),
        short_date=progress.short_date,
        step=1,
    ), status


# Asked because the back said a session was too much (red, or a bad next morning), no warning sign does not mean
# carry on as before: next time a little less (the pain-monitoring model, Silbernagel 2007: the 24-hour response
# matters most; sessions/rules.py).
TOO_MUCH = {"red_session", "bad_morning"}
CLEAR_WORDS = "Thank you. You can carry on."
LESS_WORDS = (
    "Thank you: no warning signs. Your back said the last session was too much, so do a little less next time: "
    "Today shows how."
)
# Asked because of new numbness, tingling or weakness in the legs, no warning sign today is not the end of it: the
# same symptoms in both legs, or a weakness that gets worse, are emergency signs (CONTENT.md, "Red flags").
LEGS_WORDS = (
    "Keep an eye on the numbness, tingling or weakness in your legs: if it reaches both legs, or the weakness gets "
    "worse, get help straight away."
)


def clear_words(asked: Due | None) -> str:
    """What a person who ticked no warning sign is told, by why the check was asked."""
    kinds = asked.kinds if asked else frozenset()
    words = LESS_WORDS if kinds & TOO_MUCH else CLEAR_WORDS
    return f"{words} {LEGS_WORDS}" if "legs" in kinds else words


def _answer(first_time: bool):
    if request.method == "GET":
        return _screen_page(first_time)
    now = utcnow()
    form = SafetyForm(request.form)
    if not form.validate():
        flash(form.signs.errors[0], "error")
        return _screen_page(first_time, 400)
    asked = screens.standing(current_user, now).due  # why it was asked, for the words once it is answered
    try:
        screen = screens.record_screen(current_user, form.ticked(), now)
    except screens.InputError as exc:
        flash(str(exc), "error")
        return _screen_page(first_time, 400)
    if form.carries_a_confirmation():
        # A confirmation only ever comes as its own later step: this request's signs are kept, nothing else.
        flash(
            "Only the signs you ticked were saved. Saying that a clinician has seen you is a separate step "
            "that comes after your answer.",
            "info",
        )
    if screen.outcome != "clear":
        log_event("red_flag_answer", user_id=current_user.id, outcome=screen.outcome)
    standing = screens.standing(current_user, now)
    next_page = _next_page(form.next.data)
    if standing.blocked:
        return redirect(url_for("sessions.safety_result", level=standing.level, next=next_page))
    if screen.outcome == "soon":
        return redirect(url_for("sessions.safety_result", level="soon", next=next_page))
    flash(clear_words(asked), "success")
    if first_time:
        return redirect(_next_step_url())
    return redirect(next_page or url_for("home.index"))


@bp.route("/welcome/safety", methods=["GET", "POST"])
@client_required
def welcome_safety():
    return _answer(first_time=True)


@bp.route("/safety/", methods=["GET", "POST"])
@client_required
def safety():
    return _answer(first_time=False)


def _result_page(level: str, error: str | None = None, status: int = 200):
    now = utcnow()
    standing = screens.standing(current_user, now)
    return render_template(
        "sessions/safety_result.html",
        level=level,
        standing=standing,
        safety_data=screens.for_the_phone(current_user, now, standing),
        labels=red_flags.labels,
        what_to_do=red_flags.WHAT_TO_DO,
        told=told,
        short_date=progress.short_date,
        emergency_number=current_app.config["EMERGENCY_NUMBER"],
        today=local_date(now, current_user.timezone),
        next_page=_next_page(request.values.get("next")),
        error=error,
    ), status


@bp.get("/safety/result/<level>")
@client_required
def safety_result(level: str):
    # The same page whatever the person's answers, so the phone can keep each one for use offline.
    if level not in red_flags.LEVELS:
        abort(404)
    return _result_page(level)


@bp.post("/safety/confirm")
@client_required
def safety_confirm():
    level = screens.standing(current_user).level or "same-day"
    form = ConfirmationForm(request.form)
    if not form.validate():
        # Forged signs are named first: nothing of such a request is taken, whatever its day says.
        errors = form.signs.errors or form.assessed_on.errors
        return _result_page(level, errors[0], 400)
    try:
        screens.record_confirmation(current_user, form.day)
    except screens.InputError as exc:
        return _result_page(level, str(exc), 400)
    log_event("red_flag_cleared", user_id=current_user.id, outcome=level)
    flash("Thank you. You can exercise again: start gently, and stop if any warning sign comes back.", "success")
    return redirect(_next_page(form.next.data) or url_for("home.index"))


@bp.route("/welcome/about", methods=["GET", "POST"])
@client_required
def welcome_about():
    """About you, a part at a time (onboarding.ABOUT_PARTS): Continue checks the parts sent so far and
    shows the next, Back shows the one before with every answer kept, and the last part (or a post of
    the whole form without a part) records the answers. Each part carries the others' answers hidden."""
    today = local_date(utcnow(), current_user.timezone)
    if request.method == "GET":
        return _about_page(AboutForm(None, today=today), onboarding.about_part(request.args.get("part")) or 1)
    form = AboutForm(request.form, today=today)
    part = onboarding.about_part(request.form.get("part"))
    if part is not None and request.form.get("go") == "back":
        return _about_page(form, max(part - 1, 1))
    valid = form.validate()
    if part is not None and part < len(onboarding.ABOUT_PARTS):
        wrong = onboarding.first_part_with_errors(form.errors, up_to=part)
        if wrong is not None:
            return _about_page(form, wrong, 400)
        return _about_page(form, part + 1, checked=False)
    if valid:
        services.record_about(current_user, **form.answers())
        return redirect(_next_step_url())
    return _about_page(form, onboarding.first_part_with_errors(form.errors) or 1, 400)


def _about_page(form: AboutForm, part: int, status: int = 200, checked: bool = True):
    """One part of About you. checked False: the part is new to the person, so no error is shown on it yet."""
    title, names = onboarding.ABOUT_PARTS[part - 1]
    if not checked:
        for name in names:
            form[name].errors = []
    return render_template(
        "sessions/about.html",
        form=form,
        part=part,
        parts=len(onboarding.ABOUT_PARTS),
        title=title,
        fields=[form[name] for name in names],
        carried=[
            (name, value)
            for name in onboarding.ABOUT_FIELDS
            if name not in names and request.method == "POST"
            for value in request.form.getlist(name)
        ],
        days=DAY_NAMES,
        times=services.PREFERRED_TIMES,
        pain_since=recommend.PAIN_SINCE,
        floor=recommend.FLOOR,
        activity=recommend.ACTIVITY,
        step=2,
    ), status


@bp.route("/welcome/program", methods=["GET", "POST"])
@client_required
def welcome_program():
    programs = [p for p in visible_programs(current_user) if p.is_starter]
    today = local_date(utcnow(), current_user.timezone)
    pick = recommend.recommend(recommend.answers_of(current_user, today), {p.slug for p in programs})
    # The recommended program first, the others in their usual order.
    programs.sort(key=lambda p: pick is None or p.slug != pick.slug)
    chosen = onboarding.chosen_days(current_user)
    page = {
        "programs": programs,
        "pick": pick,
        "today": today,
        "step": 3,
        "minutes_of": program_minutes_words,
        "days_of": lambda program: training_days_words(program, chosen),
    }
    if request.method == "POST":
        form = StarterForm(request.form, today=today)
        program = starter_program(form.program.data) if form.validate() else None
        start = form.day
        if program is None or start is None:
            flash(STARTER_MESSAGE, "error")
            return render_template("sessions/choose_program.html", **page), 400
        assign(current_user, program, start)
        services.finish_onboarding(current_user)
        flash(f"{program.name} starts {'today' if start == today else long_date(start)}.", "success")
        return redirect(url_for("home.index"))
    return render_template("sessions/choose_program.html", **page)


@bp.route("/check-in", methods=["POST"])
@client_required
def next_day_check():
    form = NextDayForm(request.form)
    if not form.validate():
        flash(form.first_error(), "error")
        return redirect(url_for("home.index"))
    try:
        services.record_next_day(current_user, form.session.data[0], form.pain.number, form.legs.data == "yes")
    except services.InputError as exc:
        flash(str(exc), "error")
        return redirect(url_for("home.index"))
    if screens.standing(current_user).must_answer:
        # A bad morning or new leg symptoms ask for the warning signs again, before anything else.
        flash("Thanks for telling us. Please take the safety check now, before you exercise again.", "info")
        return redirect(url_for("sessions.safety"))
    flash("Thanks. That tells us how your back handles this level.", "success")
    return redirect(url_for("home.index"))


# ---- History ----


def _render_history(errors: Mapping[int, str] | None = None, values: Mapping[str, str] | None = None, status=200):
    user = current_user
    today = local_date(utcnow(), user.timezone)
    plan = person_plan(active_assignment(user), user, today)
    points = history.session_points(user.id)
    done_days = {p.day for p in points}
    month = progress.month_calendar(progress.parse_month(request.args.get("month"), today), plan, done_days, today)
    activities = history.function_activities(user.id)
    trends = [history.activity_trend(a, user.timezone) for a in activities]
    # A page number that makes no sense shows the first page rather than an error: it only ever comes from a link.
    page = services.page_number(request.args.get("page")) or 1
    rows, more = history.session_page(user.id, page)
    pain_points = progress.pain_points(points)
    bars = progress.weekly_bars(plan, done_days, today, keep_this_week=True)
    # A trend needs two ratings; one rating alone is shown in words, not as a chart of a single dot.
    has_trend = any(t.change is not None for t in trends)
    return render_template(
        "sessions/history.html",
        plan=plan,
        month=month,
        month_param=progress.month_param,
        summary=progress.summarise(plan, points, history.baseline_check_in(user.id), today),
        today=today,
        phone_days=progress.days_for_the_phone(plan, done_days, today),
        pain_points=pain_points,
        pain_chart=charts.pain_chart(pain_points, for_the_phone=True),
        pain_table=charts.pain_table(pain_points),
        has_weeks=any(bar.planned or bar.done for bar in bars),
        adherence_chart=charts.adherence_chart(bars),
        adherence_table=charts.adherence_table(bars),
        function_chart=charts.function_chart(trends) if has_trend else "",
        function_table=charts.function_table(trends),
        function_average=progress.average_change(trends),
        average_meaningful=progress.MEANINGFUL_FUNCTION_AVERAGE,
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


@bp.get("/history/", endpoint="history")
@client_required
def history_page():
    return _render_history()


@bp.post("/history/function")
@client_required
def rate_function():
    activities = history.function_activities(current_user.id)
    if not activities:
        flash("There are no activities to rate yet.", "info")
        return redirect(url_for("sessions.history"))
    scores, errors = read_function_scores([a.id for a in activities], request.form)
    if errors:
        # Every score or none: a rating with one activity missing would draw a misleading trend.
        return _render_history(errors=errors, values=request.form, status=400)
    history.rate_functions(activities, scores, utcnow())
    flash(f"Thank you: your ratings are saved. We will ask again in {progress.RERATE_DAYS} days.", "success")
    return redirect(url_for("sessions.history", _anchor="function"))
