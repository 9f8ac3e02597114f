"""The trainer's pages under /trainer: the dashboard, invites, a client's page and its CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..account.export import sessions_csv
from ..auth.access import trainer_required
from ..security import log_event
from ..sessions.history import parse_page
from ..sessions.progress import short_date
from ..timeutil import utcnow
from . import dashboard, invites, services
from .forms import CommentForm, InviteForm

bp = Blueprint("trainer", __name__, url_prefix="/trainer")


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
        counts=dashboard.filter_counts(found),
        filters=dashboard.FILTERS,
        sorts=dashboard.SORTS,
        sort=sort,
        descending=descending,
        show=show,
        pending_invite=invites.pending_for(_trainer()),
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
    link = url_for("invites.join", token=invites.invite_token(invite), _external=True) if status == "pending" else None
    return render_template("trainer/invite.html", invite=invite, status=status, link=link)


@bp.get("/invites/<int:invite_id>/qr.svg")
def invite_qr(invite_id: int):
    invite = _own_invite(invite_id)
    if invites.status_of(invite) != "pending":
        abort(404, "This invite can no longer be used, so it has no QR code.")
    svg = invites.qr_svg(url_for("invites.join", token=invites.invite_token(invite), _external=True))
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


def render_client(client, form: CommentForm, status: int = 200):
    page = services.client_page(_trainer(), client, request.args.get("month"), parse_page(request.args.get("page")))
    return render_template("trainer/client.html", view=page, form=form, short_date=short_date), status


@bp.get("/clients/<int:client_id>")
def client_detail(client_id: int):
    return render_client(_own_client(client_id), CommentForm())


@bp.post("/clients/<int:client_id>/comments")
def client_comment(client_id: int):
    client = _own_client(client_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            services.add_comment(_trainer(), client, form.text.data)
        except services.CommentError as exc:
            form.text.errors = [str(exc)]
        else:
            flash(f"Your note is saved. {client.first_name} will see it on their Today page next time.", "success")
            return redirect(url_for("trainer.client_detail", client_id=client.id, _anchor="comments"))
    return render_client(client, form, 400)


@bp.get("/clients/<int:client_id>/sessions.csv")
def client_sessions_csv(client_id: int):
    client = _own_client(client_id)
    log_event("trainer_exported_client_sessions", trainer_id=current_user.id, client_id=client.id)
    response = Response(sessions_csv(client), mimetype="text/csv")
    filename = f"coresteady-client-{client.id}-sessions-{utcnow():%Y-%m-%d}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Health data: never kept by a shared cache or the browser's disk cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/clients/<int:client_id>/remove", methods=["GET", "POST"])
def client_remove(client_id: int):
    client = _own_client(client_id)
    if request.method == "POST":
        services.remove_client(client)
        log_event("client_removed", trainer_id=current_user.id, client_id=client.id)
        flash(f"{client.name} is no longer your client. Their account and history stay theirs.", "success")
        return redirect(url_for("trainer.dashboard"))
    return render_template("trainer/remove.html", client=client)
