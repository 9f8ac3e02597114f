"""Outgoing mail: queued as a job in the caller's transaction, sent by the job runner over SMTP (or logged).

A request never talks to the mail server, so it takes the same time whoever the message is for, and a slow or
absent mail server never holds a page up.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import Flask, current_app

from .jobs.registry import add_handler
from .jobs.services import enqueue

log = logging.getLogger("coresteady.mail")

KIND = "mail"
SMTP_TIMEOUT = 10


def send_mail(to: str, subject: str, body: str, key: str | None = None) -> None:
    """Queue a message; the caller's commit makes it leave (the job runner sends it). With a key, only once."""
    enqueue(KIND, {"to": to, "subject": subject, "body": body}, key=key)


def deliver(payload: dict, now: datetime) -> None:
    """The `mail` job: one message over SMTP. A failure raises, so the runner tries again later."""
    config = current_app.config
    to, subject, body = payload["to"], payload["subject"], payload["body"]
    if not config.get("MAIL_SERVER"):
        log.info("No mail server configured; message to %s: %s\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    log.info("Mail sent to %s: %s", to, subject)


def register_jobs(app: Flask) -> None:
    add_handler(app, KIND, deliver)
