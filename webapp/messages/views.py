"""The client's thread with their trainer at /messages/: reading, writing (by script through the outbox, or the
plain form), and marking read."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import client_required
from ..sessions.progress import short_date
from ..timeutil import utcnow
from . import services
from .forms import ComposeForm, ReadForm

bp = Blueprint("messages", __name__, url_prefix="/messages")


def _client():
    return current_user._get_current_object()


def render_thread(form: ComposeForm, status: int = 200):
    client = _client()
    thread = services.thread_of_client(client)
    before = request.args.get("before") or None
    try:
        rows, more = services.thread_page(client, before=before)
    except services.CursorError:
        abort(400, "There is no message with that id in your thread. Open your newest messages instead.")
    rows = list(reversed(rows))
    unread = [m.uuid for m in rows if m.author == "trainer" and m.read_at is None]
    about = {key: ref.day for key, ref in services.referenced_sessions(rows).items()}
    return render_template(
        "messages/thread.html",
        thread=thread,
        messages=rows,
        more=more,
        before=before,
        unread=unread,
        about=about,
        form=form,
        short_date=short_date,
    ), status


@bp.get("/")
@client_required
def thread_page():
    return render_thread(ComposeForm())


@bp.post("/")
@client_required
def write():
    """The compose form without script: stored at once with an id of the server's making."""
    form = ComposeForm()
    if form.validate_on_submit():
        try:
            services.write(services.thread_of_client(_client()), "client", _client(), form.body.data)
        except services.MessageError as exc:
            form.body.errors = [str(exc)]
        else:
            flash("Sent to your trainer.", "success")
            return redirect(url_for("messages.thread_page"))
    return render_thread(form, 400)


@bp.post("/read")
@client_required
def read():
    """The trainer's messages the page showed, marked read (the page's script sends it; without script, the button)."""
    form = ReadForm(request.form)
    if not form.validate():
        abort(400, description=form.message.errors[0])
    marked = services.mark_read(_client(), "client", form.message.data, now=utcnow())
    if request.accept_mimetypes.best == "application/json":
        return {"marked": marked}
    return redirect(url_for("messages.thread_page"))
