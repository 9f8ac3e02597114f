"""The trainer's pages under /trainer (the dashboard, invites, a client's page and its CSV export), and joining.

Joining a trainer from an invite link and leaving one live outside /trainer, on their own blueprint: visitors
and clients use them.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..auth import services as accounts
from ..auth import signup as signups
from ..auth.access import client_required, trainer_required
from ..auth.forms import ConfirmForm
from ..auth.models import User
from ..downloads import attachment
from ..extensions import db
from ..links import external_url
from ..messages import services as messages
from ..messages.forms import ReadForm
from ..push import services as push
from ..security import log_event
from ..sessions import progression
from ..sessions.forms import BUTTON_UNKNOWN, StepForm
from ..sessions.progress import short_date
from ..sessions.red_flags import ADVICE, labels
from ..sessions.services import page_number
from ..sessions.spreadsheet import sessions_csv
from ..timeutil import utcnow
from . import dashboard, invites, services
from .forms import InviteForm, JoinForm, MessageForm, SwitchForm

bp = Blueprint("trainer", __name__, url_prefix="/trainer")
joining = Blueprint("invites", __name__)


@bp.before_request
@trainer_required
def _trainers_only():
    # Every page here, present and future, is for trainers: visitors log in first, clients get 403.
    return None


def _trainer():
    return current_user._get_current_object()


def _own_client(client_id: int):
    client = services.client_of(_trainer(), client_id)
    if client is None:
        abort(404)
    return client


def _own_invite(invite_id: int):
    invite = invites.invite_of(_trainer(), invite_id)
    if invite is None:
        abort(404)
    return invite


@bp.get("/", endpoint="dashboard")
def dashboard_page():
    rows = dashboard.client_rows(_trainer())
    sort, descending, show = dashboard.parse_view(request.args.get("sort"), request.args.get("dir"),
                                                  request.args.get("show"))  # fmt: skip
    query = request.args.get("q", "").strip()[:80]
    found = dashboard.matching(rows, query)
    page = dashboard.page_of(dashboard.arrange(found, sort, descending, show), request.args.get("page"))
    return render_template(
        "trainer/dashboard.html",
        rows=page.rows,
        page=page,
        q=query,
        total=len(rows),
        unread=sum(row.unread for row in rows),
        counts=dashboard.filter_counts(found),
        filters=dashboard.FILTERS,
        pain_worries=dashboard.PAIN_WORRY_WORDS.values(),
        sorts=dashboard.SORTS,
        sort=sort,
        descending=descending,
        show=show,
        pending_invite=invites.pending_for(_trainer()),
        alert_browsers=push.subscription_count(current_user.id),
        short_date=short_date,
    )


@bp.route("/invites", methods=["GET", "POST"])
def invite_list():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invite = invites.create_invite(_trainer(), form.name.data, form.email.data)
        except invites.InviteError as exc:
            form.email.errors = [str(exc)]
        else:
            log_event("invite_created", trainer_id=current_user.id, invite_id=invite.id)
            return redirect(url_for("trainer.invite_detail", invite_id=invite.id))
    status = 400 if form.errors else 200
    rows = [(invite, invites.status_of(invite)) for invite in invites.invites_of(_trainer())]
    return render_template("trainer/invites.html", form=form, rows=rows), status


@bp.get("/invites/<int:invite_id>")
def invite_detail(invite_id: int):
    invite = _own_invite(invite_id)
    status = invites.status_of(invite)
    link = external_url("invites.join", token=invites.invite_token(invite)) if status == "pending" else None
    return render_template("trainer/invite.html", invite=invite, status=status, link=link)


@bp.get("/invites/<int:invite_id>/qr.svg")
def invite_qr(invite_id: int):
    invite = _own_invite(invite_id)
    if invites.status_of(invite) != "pending":
        abort(404, "This invite can no longer be used, so it has no QR code.")
    svg = invites.qr_svg(external_url("invites.join", token=invites.invite_token(invite)))
    response = Response(svg, mimetype="image/svg+xml")
    # The code is a live key to the trainer: never kept by a shared cache.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/invites/<int:invite_id>/revoke")
def invite_revoke(invite_id: int):
    invite = _own_invite(invite_id)
    if invites.revoke(invite):
        log_event("invite_revoked", trainer_id=current_user.id, invite_id=invite.id)
        flash("The invite is withdrawn: its link and QR code no longer work.", "success")
    else:
        flash("That invite was already used, withdrawn or expired, so there was nothing to withdraw.", "info")
    return redirect(url_for("trainer.invite_list"))


def render_client(client, form: MessageForm, status: int = 200):
    try:
        page = services.client_page(
            _trainer(), client, request.args.get("month"), page_number(request.args.get("page")) or 1,
            before=request.args.get("before") or None,
        )  # fmt: skip
    except messages.CursorError:
        abort(400, "There is no message with that id in this thread. Open the newest messages instead.")
    return render_template(
        "trainer/client.html", view=page, form=form, short_date=short_date, labels=labels, advice=ADVICE
    ), status


@bp.get("/clients/<int:client_id>")
def client_detail(client_id: int):
    return render_client(_own_client(client_id), MessageForm(session=request.args.get("about", "")[:36]))


@bp.post("/clients/<int:client_id>/messages")
def client_message(client_id: int):
    """The trainer's reply in the client's thread, from the plain form (it works without script)."""
    client = _own_client(client_id)
    form = MessageForm()
    if form.validate_on_submit():
        thread = messages.Thread(client, _trainer())
        try:
            messages.write(thread, "trainer", _trainer(), form.body.data, form.session.data or None)
        except messages.MessageError as exc:
            form.body.errors = [str(exc)]
        else:
            flash(f"Sent. {client.first_name} sees it on their Today page and in their messages.", "success")
            return redirect(url_for("trainer.client_detail", client_id=client.id, _anchor="messages"))
    return render_client(client, form, 400)


@bp.post("/clients/<int:client_id>/messages/read")
def client_messages_read(client_id: int):
    """The client's messages the page showed, marked read (script sends it once shown; the button without)."""
    client = _own_client(client_id)
    form = ReadForm(request.form)
    if not form.validate():
        abort(400, description=form.message.errors[0])
    marked = messages.mark_read(client, "trainer", form.message.data, _trainer(), utcnow())
    if request.accept_mimetypes.best == "application/json":
        return {"marked": marked}
    return redirect(url_for("trainer.client_detail", client_id=client.id, _anchor="messages"))


@bp.post("/clients/<int:client_id>/steps")
def client_step(client_id: int):
    """Accept, change or turn off a suggested step for one of the trainer's clients."""
    client = _own_client(client_id)
    form = StepForm(request.form, actions=("accept", "change", "off", "on"))
    if form.unknown_button():
        abort(400, description=BUTTON_UNKNOWN)
    action = form.chosen()
    try:
        if not form.validate():
            raise progression.StepRefused(form.first_error())
        said = services.act_on_step(_trainer(), client, action, form.proposal())
    except progression.StepRefused as exc:
        flash(str(exc), "error")
    else:
        log_event("client_step", trainer_id=current_user.id, client_id=client.id, action=action)
        flash(said, "success")
    return redirect(url_for("trainer.client_detail", client_id=client.id, _anchor="steps"))


@bp.get("/clients/<int:client_id>/sessions.csv")
def client_sessions_csv(client_id: int):
    client = _own_client(client_id)
    log_event("trainer_exported_client_sessions", trainer_id=current_user.id, client_id=client.id)
    filename = f"coresteady-client-{client.id}-sessions-{utcnow():%Y-%m-%d}.csv"
    return attachment(sessions_csv(client), "text/csv", filename)


@bp.route("/clients/<int:client_id>/remove", methods=["GET", "POST"])
def client_remove(client_id: int):
    client = _own_client(client_id)
    if request.method == "POST":
        services.remove_client(client, _trainer())
        log_event("client_removed", trainer_id=current_user.id, client_id=client.id)
        flash(f"{client.name} is no longer your client. Their account and history stay theirs.", "success")
        return redirect(url_for("trainer.dashboard"))
    return render_template("trainer/remove.html", client=client, worries=services.open_worries(_trainer(), client))


# ---- Joining a trainer from an invite, and leaving one ----


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


@joining.errorhandler(429)
def too_many_signups(error):
    log_event("throttled", path=request.path, limit=str(error.description))
    return signups.throttled_signup(*signups.wait_in_words())


@joining.get("/join/<token>")
def join(token: str):
    try:
        invite = invites.invite_from_token(token)
    except invites.InviteRefused as exc:
        return _refused(exc)
    if current_user.is_authenticated and current_user.is_trainer:
        return _refused(invites.InviteRefused("trainer"))
    return _join_page(token, invite)


@joining.post("/join/<token>")
@login_required
def accept(token: str):
    try:
        invite = invites.invite_from_token(token)
        client = current_user._get_current_object()
        previous = db.session.get(User, client.trainer_id) if client.trainer_id else None
        choice = SwitchForm(request.form)
        if not choice.validate():
            abort(400, description=choice.confirm.errors[0])
        outcome = invites.accept(invite, client, confirm_switch=choice.confirm.data == "switch")
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


@joining.post("/join/<token>/signup")
@signups.signup_per_address
@signups.signup_per_email
def signup(token: str):
    """Sign up from an invite: like any sign-up, the account is made once the mailed link is opened (the invite
    link proves nothing about an address: a trainer may hand it over on paper or as a QR code)."""
    if current_user.is_authenticated:
        return redirect(url_for("invites.join", token=token))
    try:
        invite = invites.invite_from_token(token)
    except invites.InviteRefused as exc:
        return _refused(exc)
    form = JoinForm()
    if not form.validate_on_submit():
        return _join_page(token, invite, form, 400)
    sent = signups.ask(
        form,
        "client",
        lambda signup: external_url("invites.confirm", token=token, signup=signup),
        again=url_for("invites.join", token=token),
        invite=token,
    )
    return sent if sent is not None else _join_page(token, invite, form, 400)


@joining.route("/join/<token>/confirm/<signup>", methods=["GET", "POST"])
def confirm(token: str, signup: str):
    """The page the mailed link opens: choosing the password makes the account, which joins the trainer at once."""
    wanted = signups.signup_from_token(signup)
    if wanted is None or wanted.invite != token:
        signups.link_refused()
        return redirect(url_for("invites.join", token=token))
    if current_user.is_authenticated:
        return redirect(url_for("invites.join", token=token))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form, signup=wanted, action=request.path)
    try:
        client = signups.finish_signup(wanted, form.password.data)
    except accounts.AccountError as exc:
        form.password.errors = [str(exc)]
        return render_template("auth/confirm.html", form=form, signup=wanted, action=request.path), 400
    try:
        # Finishing the sign-up from the invite is the tap that accepts it.
        invite = invites.invite_from_token(token)
        outcome = invites.accept(invite, client)
    except invites.InviteRefused as exc:
        # Used, withdrawn or expired since the sign-up began: the account stands, the link does not.
        flash(f"Your account is ready, but the invite could not be used: {exc}", "error")
        return redirect(url_for("home.index"))
    trainer = invites.trainer_of(invite)
    log_event("invite_accepted", invite_id=invite.id, trainer_id=trainer.id, client_id=client.id)
    _welcome(outcome, trainer)
    return redirect(url_for("home.index"))


@joining.route("/my-trainer/leave", methods=["GET", "POST"])
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
