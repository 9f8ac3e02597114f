"""Mail leaves through the job runner: a request only queues it, the worker sends it and tries again on failure."""

from __future__ import annotations

import smtplib

import pytest

from webapp.extensions import db
from webapp.jobs.models import Job

from .conftest import csrf_from


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what is sent, or refuses while `down` is set."""

    sent: list = []
    opened = 0
    down = False

    def __init__(self, host, port, timeout):
        type(self).opened += 1
        if type(self).down:
            raise ConnectionRefusedError("mail server down")
        self.host, self.port, self.timeout = host, port, timeout

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        type(self).sent.append(message)


@pytest.fixture
def smtp(app, monkeypatch):
    monkeypatch.setattr(FakeSMTP, "sent", [])
    monkeypatch.setattr(FakeSMTP, "opened", 0)
    monkeypatch.setattr(FakeSMTP, "down", False)
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="mail.example.org", MAIL_FROM="CoreSteady <care@example.org>")
    return FakeSMTP


def ask_for_reset(client, email: str):
    token = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
    return client.post("/auth/forgot", data={"email": email, "csrf_token": token})


def test_a_reset_request_only_queues_the_mail_and_the_worker_sends_it(client, app, users, smtp, run_jobs):
    assert ask_for_reset(client, "alex@example.com").status_code == 302
    assert smtp.opened == 0, "the request never talks to the mail server"
    assert run_jobs().done == 1
    [message] = smtp.sent
    assert message["To"] == "alex@example.com"
    assert message["From"] == "CoreSteady <care@example.org>"
    assert "/auth/reset/" in message.get_content()


def test_mail_is_tried_again_while_the_mail_server_is_down(client, app, users, smtp, run_jobs, clock):
    ask_for_reset(client, "alex@example.com")
    smtp.down = True
    assert run_jobs().retried == 1
    with app.app_context():
        job = db.session.execute(db.select(Job)).scalar_one()
        assert (job.status, job.attempts) == ("queued", 1)
        assert "mail server down" in job.last_error
        retry_at = job.run_at
    smtp.down = False
    assert run_jobs(retry_at).done == 1
    assert len(smtp.sent) == 1
