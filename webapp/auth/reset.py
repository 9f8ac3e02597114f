"""A forgotten password: the request only says "a reset was asked for this address"; the job runner does the rest.

Whatever the email, the request does the same work (one job queued, one commit) and gives the same answer, so
neither its page nor its timing tells who has an account. The job looks the address up when it runs: an account
gets its reset link by mail; an address without one gets nothing (mailing strangers would let anyone send our mail
to any inbox), and is only logged.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app

from ..jobs.registry import add_handler
from ..jobs.services import enqueue
from ..links import link_from
from ..mail import deliver
from ..security import log_event
from .services import AccountError, find_user, normalise_email, reset_token

KIND = "password-reset"


def ask_for_reset(email: str, base: str) -> None:
    """Queue the reset asked for `email` in the caller's transaction (the caller commits). `base` is where the
    link will point, checked by the request (links.link_base). A malformed address cannot have an account, and
    nothing is queued for it."""
    try:
        email = normalise_email(email)
    except AccountError:
        return
    enqueue(KIND, {"email": email, "base": base})


def reset_mail(first_name: str, link: str) -> tuple[str, str]:
    body = (
        f"Hello {first_name},\n\nTo choose a new password, open this link within the hour:\n\n"
        f"{link}\n\nIf you did not ask for this, you can ignore this message.\n"
    )
    return "Reset your CoreSteady password", body


def send_reset(payload: dict, now: datetime) -> None:
    """The `password-reset` job: the mail with a fresh link if the address has an account, else nothing. Run
    again (a worker stopped midway), it mails a second link that works as well as the first."""
    user = find_user(payload["email"])
    if user is None:
        log_event("password_reset_unknown_email", email=payload["email"])
        return
    base = current_app.config.get("BASE_URL") or payload["base"]
    subject, body = reset_mail(user.first_name, link_from(base, "auth.reset", token=reset_token(user)))
    deliver({"to": user.email, "subject": subject, "body": body}, now)
    log_event("password_reset_mailed", user_id=user.id)


def register_jobs(app: Flask) -> None:
    add_handler(app, KIND, send_reset)
