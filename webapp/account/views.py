"""Account pages: settings, the private calendar feed, export and deletion of the user's data."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, logout_user

from ..auth.access import client_required
from ..builder import clinic as clinics
from ..config import ONE_MB
from ..content.images import MAX_IMAGE_BYTES
from ..downloads import attachment
from ..extensions import db, limiter
from ..links import external_url
from ..programs.personal import doses_of
from ..programs.services import active_assignment, profile_of
from ..reminders import services as reminders
from ..security import log_event
from ..sessions import screens
from ..sessions.schedule import days_summary, plan_for
from ..sessions.spreadsheet import sessions_csv
from ..timeutil import local_date, utcnow
from . import calendar, services
from .deletion import delete_account, what_goes
from .export import export_document, export_filename
from .forms import DeleteForm, SettingsForm

bp = Blueprint("account", __name__, url_prefix="/account")

PREVIEW_EVENTS = 3


def _user():
    return current_user._get_current_object()


def _feed_events(user, assignment, plan, on_hold: bool, at: str):
    """The calendar's events, at the reminder time `at` (one time for the notification, the email and the alarm)."""
    if on_hold:
        # Waiting for a clinician after a red-flag answer: no session in the calendar, nor its alarm, as no reminder
        # is sent (reminders/sending.due_now). A subscribed calendar drops them when it next looks (asked: hourly).
        return []
    return calendar.planned_events(
        plan,
        user.timezone,
        at,
        local_date(utcnow(), user.timezone),
        lambda routine: external_url("sessions.play", routine_id=routine.id),
        doses=doses_of(assignment),
    )


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    user = _user()
    # Read only: the profile is made by the first save, and the calendar link by its own button (GET never writes).
    profile = services.saved_profile(user) if user.is_client else None
    chosen = profile.day_list if profile is not None else []
    form = SettingsForm(
        data={
            "name": user.name,
            "timezone": user.timezone,
            "preferred_days": chosen,
        },
        zones=services.zone_choices(user.timezone),
        for_client=user.is_client,
    )
    if form.validate_on_submit():
        try:
            services.update_settings(user, form.name.data, form.timezone.data, form.preferred_days.data)
        except services.SettingsError as exc:
            form.name.errors = [*form.name.errors, str(exc)]
        else:
            log_event("account_settings_changed", user_id=user.id)
            flash("Your settings are saved.", "success")
            return redirect(url_for("account.index"))
    settings = reminders.payload(user) if user.is_client else None
    calendar_page = {}
    if user.is_client:
        token = profile.calendar_token if profile else ""
        feed_url = external_url("account.calendar_feed", token=token) if token else ""
        assignment = active_assignment(user)
        now = utcnow()
        plan = plan_for(assignment, local_date(now, user.timezone))
        on_hold = screens.standing(user, now).blocked
        calendar_page = {
            "feed_url": feed_url,
            # webcal:// opens the calendar app's own "subscribe" dialog on iPhone and Mac.
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
            "has_plan": plan is not None,
            "link_news": request.args.get("link", ""),
            "on_hold": on_hold,
            "preview": _feed_events(user, assignment, plan, on_hold, settings["time"])[:PREVIEW_EVENTS],
            "days": days_summary(plan, chosen),
        }
    # A trainer's clinic, as their printouts show it (the form posts to the builder's /trainer/clinic).
    clinic = clinics.clinic_of(user) if user.is_trainer else None
    return render_template(
        "account/index.html",
        form=form,
        calendar=calendar_page,
        reminders=settings,
        clinic=clinic,
        clinic_logo=clinics.logo_url(clinic),
        clinic_errors={},
        max_mb=MAX_IMAGE_BYTES // ONE_MB,
    )


# Where the reminders card's plain form goes back to: the card is on Today and on this page.
REMINDER_PAGES = {"today": "home.index", "account": "account.index"}


@bp.post("/reminders")
@client_required
def reminders_form():
    """The reminders card without JavaScript: the same settings as PUT /api/v1/reminders, from a plain form."""
    # Back to the top of the page, where the flash says what was saved.
    back = url_for(REMINDER_PAGES.get(request.form.get("back", ""), "home.index"))
    change = reminders.from_form(request.form)
    if change is None:
        flash("Not saved: choose a time of day, such as 07:30.", "error")
        return redirect(back)
    settings = reminders.update(_user(), change)
    db.session.commit()
    flash(reminders.saved_words(settings), "success")
    return redirect(back)


@bp.post("/calendar/link")
@client_required
def calendar_link():
    # The app-wide CSRF check has already vetted this POST; the action needs nothing else.
    user = _user()
    had_one = bool(profile_of(user).calendar_token)
    services.replace_calendar_token(user)
    log_event("calendar_link_replaced" if had_one else "calendar_link_created", user_id=user.id)
    # Said next to the link rather than in a flash at the top, which the jump to #calendar would scroll past.
    return redirect(url_for("account.index", link="replaced" if had_one else "new", _anchor="calendar"))


@bp.get("/calendar/<token>.ics")
def calendar_feed(token: str):
    # No login: calendar apps cannot log in. The long random token is the secret.
    user = services.user_for_calendar_token(token)
    if user is None:
        abort(404)
    now = utcnow()
    assignment = active_assignment(user)
    plan = plan_for(assignment, local_date(now, user.timezone))
    at = reminders.reminder_time(reminders.setting_of(user), user.id)
    events = _feed_events(user, assignment, plan, screens.standing(user, now).blocked, at)
    body = calendar.render_calendar(events, now, name=f"CoreSteady: {user.first_name}")
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="coresteady.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/export.json")
@login_required
def export_json():
    user = _user()
    log_event("account_exported", user_id=user.id, format="json")
    body = json.dumps(export_document(user), ensure_ascii=False, indent=2)
    return attachment(body, "application/json", export_filename("json"))


@bp.get("/export.csv")
@login_required
def export_csv():
    user = _user()
    log_event("account_exported", user_id=user.id, format="csv")
    return attachment(sessions_csv(user), "text/csv", export_filename("csv"))


@bp.route("/delete", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@login_required
def delete():
    user = _user()
    form = DeleteForm()
    if form.validate_on_submit():
        if not user.check_password(form.password.data):
            log_event("account_delete_refused", user_id=user.id)
            form.password.errors = ["That is not your password. Nothing was deleted."]
        else:
            # Read before the delete: afterwards the row, and so these attributes, are gone.
            user_id, role = user.id, user.role
            counts = delete_account(user)
            log_event("account_deleted", user_id=user_id, role=role, **counts)
            logout_user()
            flash("Your account and all its data are deleted. Thank you for using CoreSteady.", "success")
            return redirect(url_for("home.index"))
    return render_template("account/delete.html", form=form, lines=what_goes(user))
