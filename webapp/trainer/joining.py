"""Joining a trainer from an invite link, and leaving one: outside /trainer, since visitors and clients use them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from ..auth import services as accounts
from ..auth.access import client_required
from ..auth.models import User
from ..extensions import db, limiter
from ..security import log_event
from . import invites, services
from .forms import JoinForm

bp = Blueprint("invites", __name__)


def _refused(exc: invites.InviteRefused):
    log_event("invite_refused", reason=exc.reason, user_id=current_user.id if current_user.is_authenticated else None)
    # A forged link names nothing; the others name an invite that existed but is over.
    status = 404 if exc.reason == "forged" else 410 if exc.reason in ("expired", "used", "revoked") else 403
    return render_template("trainer/join_refused.html", message=str(exc)), status


def _join_page(token: str, invite, form: JoinForm | None = None, status: int = 200):
    trainer = invites.trainer_of(invite)
    current_trainer = None
    if current_user.is_authenticated and current_user.is_client and current_user.trainer_id:
        current_trainer = db.session.get(User, current_user.trainer_id)
    if form is None and not current_user.is_authenticated:
        form = JoinForm(data={"email": invite.email})
    return render_template(
        "trainer/join.html", token=token, invite=invite, trainer=trainer, current_trainer=current_trainer, form=form
    ), status


def _welcome(outcome: str, trainer, previous=None) -> None:
    if outcome == "already":
        flash(f"{trainer.name} is already your trainer.", "info")
    elif outcome == "switched" and previous is not None:
        flash(f"You have joined {trainer.name}. {previous.name} no longer sees your sessions.", "success")
    else:
        flash(f"You have joined {trainer.name}. They will see your sessions and can set your program.", "success")


@bp.get("/join/<token>")
def join(token: str):
    try:
        invite = invites.invite_from_token(token)
    except invites.InviteRefused as exc:
        return _refused(exc)
    if current_user.is_authenticated and current_user.is_trainer:
        return _refused(invites.InviteRefused("trainer"))
    return _join_page(token, invite)


@bp.post("/join/<token>")
@login_required
def accept(token: str):
    try:
        invite = invites.invite_from_token(token)
        client = current_user._get_current_object()
        previous = db.session.get(User, client.trainer_id) if client.trainer_id else None
        outcome = invites.accept(invite, client, confirm_switch=request.form.get("confirm") == "switch")
    except invites.InviteRefused as exc:
        return _refused(exc)
    except invites.SwitchNeeded:
        # Asked before, but the confirmation did not come with this tap: ask again, nothing changed.
        return _join_page(token, invite, status=409)
    trainer = invites.trainer_of(invite)
    log_event("invite_accepted", invite_id=invite.id, trainer_id=trainer.id, client_id=client.id,
              previous_trainer_id=previous.id if previous else None)  # fmt: skip
    _welcome(outcome, trainer, previous)
    return redirect(url_for("home.index"))


@bp.post("/join/<token>/signup")
@limiter.limit("30 per hour")
def signup(token: str):
    if current_user.is_authenticated:
        return redirect(url_for("invites.join", token=token))
    try:
        invite = invites.invite_from_token(token)
    except invites.InviteRefused as exc:
        return _refused(exc)
    form = JoinForm()
    if not form.validate_on_submit():
        return _join_page(token, invite, form, 400)
    try:
        client = accounts.create_user(form.email.data, form.password.data, form.name.data, "client",
                                      form.timezone.data or "UTC")  # fmt: skip
    except accounts.AccountError as exc:
        log_event("signup_refused", email=form.email.data, reason=str(exc))
        form.email.errors = [str(exc)]
        return _join_page(token, invite, form, 400)
    log_event("signup", user_id=client.id, role=client.role, invite_id=invite.id)
    login_user(client, remember=True)
    try:
        # Signing up from the invite is the tap that accepts it.
        outcome = invites.accept(invite, client)
    except invites.InviteRefused as exc:
        # Used by someone else in the seconds since the page loaded: the account stands, the link does not.
        flash(f"Your account is ready, but the invite could not be used: {exc}", "error")
        return redirect(url_for("home.index"))
    trainer = invites.trainer_of(invite)
    log_event("invite_accepted", invite_id=invite.id, trainer_id=trainer.id, client_id=client.id)
    _welcome(outcome, trainer)
    return redirect(url_for("home.index"))


@bp.route("/my-trainer/leave", methods=["GET", "POST"])
@client_required
def leave():
    client = current_user._get_current_object()
    if client.trainer_id is None:
        flash("You do not have a trainer at the moment.", "info")
        return redirect(url_for("account.index"))
    if request.method == "POST":
        trainer = services.leave_trainer(client)
        log_event("trainer_left", client_id=client.id, trainer_id=trainer.id if trainer else None)
        flash(f"You have left {trainer.name}. They no longer see your sessions; your program and history stay.",
              "success")  # fmt: skip
        return redirect(url_for("account.index"))
    return render_template("trainer/leave.html", trainer=db.session.get(User, client.trainer_id))
