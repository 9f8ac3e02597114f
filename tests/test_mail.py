"""Mail leaves through the job runner: a request only queues it, the worker sends it and tries again on failure."""

from __future__ import annotations

import re
import smtplib

import pytest

from webapp.extensions import db
from webapp.jobs.models import Job

from .conftest import csrf_from, queued_mail, words_of


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


def reset_mail_link(smtp) -> str:
    [message] = smtp.sent
    return re.search(r"\S+/auth/reset/\S+", message.get_content()).group()


def test_a_reset_link_starts_with_base_url_whatever_host_the_request_names(client, app, users, smtp, run_jobs):
    app.config["BASE_URL"] = "https://coresteady.example.org"
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    token = csrf_from(client.get("/auth/forgot", headers=forged).get_data(as_text=True))
    client.post("/auth/forgot", data={"email": "alex@example.com", "csrf_token": token}, headers=forged)
    run_jobs()
    assert reset_mail_link(smtp).startswith("https://coresteady.example.org/auth/reset/")


def test_behind_a_proxy_a_forwarded_host_never_makes_the_link(users, smtp, run_jobs, app):
    from werkzeug.middleware.proxy_fix import ProxyFix

    app.config["BASE_URL"] = "https://coresteady.example.org"
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # as TRUST_PROXIES=1 sets it up
    client = app.test_client()
    forged = {"X-Forwarded-Host": "attacker.example"}
    token = csrf_from(client.get("/auth/forgot", headers=forged).get_data(as_text=True))
    client.post("/auth/forgot", data={"email": "alex@example.com", "csrf_token": token}, headers=forged)
    run_jobs()
    assert reset_mail_link(smtp).startswith("https://coresteady.example.org/auth/reset/")


def test_without_base_url_an_untrusted_host_gets_no_link_and_the_same_answer_for_any_email(
    client, app, users, smtp, run_jobs
):
    forged = {"Host": "attacker.example"}
    token = csrf_from(client.get("/auth/forgot", headers=forged).get_data(as_text=True))
    answers = [
        client.post("/auth/forgot", data={"email": email, "csrf_token": token}, headers=forged)
        for email in ("alex@example.com", "nobody@example.com")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert "does not answer to that address" in answers[0].get_data(as_text=True)
    assert run_jobs().ran == 0 and smtp.sent == []


def test_without_base_url_a_trusted_host_is_used_in_development(client, app, users, smtp, run_jobs):
    app.config["TRUSTED_HOSTS"] = ["physio.local"]
    trusted = {"Host": "physio.local:5000"}
    token = csrf_from(client.get("/auth/forgot", headers=trusted).get_data(as_text=True))
    client.post("/auth/forgot", data={"email": "alex@example.com", "csrf_token": token}, headers=trusted)
    run_jobs()
    assert reset_mail_link(smtp).startswith("http://physio.local:5000/auth/reset/")


def _queued_jobs(app) -> list[tuple[str, dict]]:
    with app.app_context():
        jobs = db.session.execute(db.select(Job).filter_by(status="queued").order_by(Job.id)).scalars()
        return [(job.kind, dict(job.payload)) for job in jobs]


def test_forgot_password_answers_alike_and_does_the_same_work_for_an_account_and_an_unknown_email(
    app, users, smtp, run_jobs
):
    answers, work = [], []
    for email in ("alex@example.com", "nobody@example.com"):
        client = app.test_client()
        token = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
        before = len(_queued_jobs(app))
        response = client.post("/auth/forgot", data={"email": email, "csrf_token": token}, follow_redirects=True)
        answers.append((response.status_code, words_of(response)))
        work.append([(kind, sorted(payload)) for kind, payload in _queued_jobs(app)[before:]])
    assert answers[0] == answers[1]
    assert "If that email has an account, a reset link is on its way" in answers[0][1]
    # Each request queued one job of the same kind and shape, and looked nobody up: the worker does that.
    assert work[0] == work[1] == [("password-reset", ["base", "email"])]
    assert smtp.opened == 0 and queued_mail(app) == []
    assert run_jobs().done == 2
    [message] = smtp.sent  # the worker mails the account's owner; the unknown address gets nothing
    assert message["To"] == "alex@example.com"
    assert "/auth/reset/" in message.get_content()


def test_a_malformed_email_gets_the_same_answer_and_nothing_is_queued(client, app, users, smtp):
    token = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
    response = client.post("/auth/forgot", data={"email": "not an address", "csrf_token": token}, follow_redirects=True)
    assert "If that email has an account, a reset link is on its way" in words_of(response)
    assert _queued_jobs(app) == []


def test_sign_up_mail_leaves_with_the_worker_and_its_links_start_with_base_url(client, app, users, smtp, run_jobs):
    app.config["BASE_URL"] = "https://coresteady.example.org"
    forged = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}
    for email in ("alex@example.com", "newcomer@example.com"):
        token = csrf_from(client.get("/auth/signup", headers=forged).get_data(as_text=True))
        data = {"name": "Someone", "email": email, "role": "client", "csrf_token": token}
        assert client.post("/auth/signup", data=data, headers=forged).status_code == 200
    assert smtp.opened == 0  # the requests only queued the mail
    run_jobs()
    owner, newcomer = (message.get_content() for message in smtp.sent)
    assert (
        "https://coresteady.example.org/auth/login" in owner and "https://coresteady.example.org/auth/forgot" in owner
    )
    assert re.search(r"https://coresteady\.example\.org/auth/confirm/\S+", newcomer)
    assert "attacker" not in owner + newcomer


def test_without_base_url_an_untrusted_host_gets_the_same_refusal_from_sign_up_for_any_email(client, app, users):
    forged = {"Host": "attacker.example"}
    token = csrf_from(client.get("/auth/signup", headers=forged).get_data(as_text=True))
    answers = [
        client.post("/auth/signup", data={"name": "M", "email": email, "csrf_token": token}, headers=forged)
        for email in ("alex@example.com", "nobody@example.com")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert "does not answer to that address" in answers[1].get_data(as_text=True)
    assert queued_mail(app) == []
