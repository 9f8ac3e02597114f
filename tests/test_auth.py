"""Accounts as a person meets them: signing up, logging in, passwords, and what bad input gets."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from webapp.auth.models import User
from webapp.extensions import db

from .conftest import csrf_from, queued_mail, shown_link, words_of
from .factories import DEFAULT_PASSWORD, make_user


def signup(client, **fields):
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    data = {
        "name": "Alex Morgan",
        "email": "alex@example.com",
        "role": "client",
        "timezone": "Europe/Berlin",
        "csrf_token": token,
    }
    data.update(fields)
    return client.post("/auth/signup", data=data)


NEW_PASSWORD = "a-long-enough-password"


def choose_password(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    page = client.get(link)
    assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    data = {"password": password, "confirm": password if confirm is None else confirm, "csrf_token": token}
    return client.post(link, data=data)


def sign_up_and_confirm(client, password: str = NEW_PASSWORD, **fields):
    """Sign up, then open the link the page shows (development, no mail server) and choose the password."""
    sent = signup(client, **fields)
    assert sent.status_code == 200, sent.get_data(as_text=True)
    return choose_password(client, shown_link(sent.get_data(as_text=True)), password)


def signed_in_as(client) -> str | None:
    """The first name in the header's account menu, or None when nobody is logged in."""
    match = re.search(r'<span class="menu__name">([^<]+)</span>', client.get("/lessons/").get_data(as_text=True))
    return match.group(1) if match else None


def count_users(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(User.id))).scalar()


def test_signup_makes_the_account_only_once_the_mailed_link_is_opened(client, app):
    sent = signup(client, email="  Alex@Example.COM ")
    assert sent.status_code == 200
    page = sent.get_data(as_text=True)
    assert "Check your email" in page and '<strong class="sent-to">alex@example.com</strong>' in page
    assert count_users(app) == 0 and signed_in_as(client) is None
    (mail,) = queued_mail(app)
    assert mail["to"] == "alex@example.com" and mail["subject"] == "Finish signing up to CoreSteady"
    link = shown_link(page)
    assert link.startswith("http://localhost/auth/confirm/") and link in mail["body"]
    assert "within 24 hours" in mail["body"]
    assert "Alex" not in mail["body"]  # what anyone typed as a name never goes to the address they typed
    assert client.get(link).status_code == 200 and count_users(app) == 0  # opening the link makes nothing yet
    response = choose_password(client, link)
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.email == "alex@example.com" and user.name == "Alex Morgan"
        assert user.role == "client"
        assert user.timezone == "Europe/Berlin"
        assert user.password_hash != "a-long-enough-password"
    assert signed_in_as(client) == "Alex"
    # A new client goes on to onboarding as before: the safety check first.
    assert client.get(response.headers["Location"], follow_redirects=True).request.path == "/welcome/safety"


def test_signup_as_trainer(client, app):
    sign_up_and_confirm(client, role="trainer", email="coach@example.com")
    with app.app_context():
        assert db.session.execute(db.select(User.role)).scalar_one() == "trainer"


def test_unknown_timezone_falls_back_to_utc(client, app):
    sign_up_and_confirm(client, timezone="Mars/Olympus")
    with app.app_context():
        assert db.session.execute(db.select(User.timezone)).scalar_one() == "UTC"


def test_signup_answers_an_existing_email_as_a_new_one_and_mails_its_owner_instead(app, users, caplog):
    app.config.update(MAIL_SERVER="mail.example.org")  # as in production: the page shows no message
    answers = []
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        for email in ("ALEX@example.com", "newcomer@example.com"):
            response = signup(app.test_client(), email=email)
            assert response.status_code == 200
            answers.append(words_of(response).replace(email.lower(), "<email>"))
    assert answers[0] == answers[1]
    assert "Check your email" in answers[0] and "Finish signing up" not in answers[0]
    owner, newcomer = queued_mail(app)
    assert owner["to"] == "alex@example.com" and owner["subject"] == "Someone tried to sign up with your email"
    assert "http://localhost/auth/login" in owner["body"] and "http://localhost/auth/forgot" in owner["body"]
    assert "/auth/confirm/" not in owner["body"]
    assert newcomer["to"] == "newcomer@example.com" and "/auth/confirm/" in newcomer["body"]
    assert count_users(app) == 3  # the three of `users`: nobody new until a link is opened
    assert "signup_existing_email" in caplog.text and "signup_mailed" in caplog.text
    assert "alex@example.com" not in caplog.text  # the log names the account by id, not by address


def test_in_development_the_page_shows_the_message_and_in_production_never(app, client, users):
    page = signup(client, email="alex@example.com").get_data(as_text=True)
    assert "shown here in development" in page
    assert shown_link(page, "Log in") == "http://localhost/auth/login"
    assert shown_link(page, "Set a new password") == "http://localhost/auth/forgot"
    app.config.update(APP_ENV="production")  # still no mail server: the message waits for the worker's log
    for email in ("alex@example.com", "newcomer@example.com"):
        page = signup(client, email=email).get_data(as_text=True)
        assert (
            "Check your email" in page and "shown here in development" not in page and "/auth/" + "confirm" not in page
        )


def test_a_signup_link_works_once(client, app):
    sent = signup(client).get_data(as_text=True)
    link = shown_link(sent)
    assert choose_password(client, link).status_code == 302
    other = app.test_client()
    again = choose_password(other, link)
    assert again.status_code == 200 and "already exists" in again.get_data(as_text=True)
    assert count_users(app) == 1 and signed_in_as(other) is None


def test_a_forged_or_expired_signup_link_makes_nothing(client, app, clock):
    link = shown_link(signup(client).get_data(as_text=True))
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    response = client.get(forged)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/signup"
    assert "That link has expired or is not whole" in client.get("/auth/signup").get_data(as_text=True)
    clock.shift(timedelta(hours=24, minutes=1))
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    response = client.post(link, data={"password": "a-long-enough-password", "confirm": "a-long-enough-password",
                                       "csrf_token": token})  # fmt: skip
    assert response.status_code == 302 and response.headers["Location"] == "/auth/signup"
    assert count_users(app) == 0


def test_signup_is_throttled_per_email_from_anywhere_and_per_address(app, caplog):
    app.config["SIGNUP_LIMIT_PER_ADDRESS"] = "6 per hour"
    for n in range(3):
        visitor = app.test_client()
        visitor.environ_base["REMOTE_ADDR"] = f"203.0.113.{n + 1}"
        assert signup(visitor, email="victim@example.com").status_code == 200
    visitor = app.test_client()
    visitor.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        refused = signup(visitor, email="Victim@Example.com")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 3600
    assert "Too many sign-ups from here or for this email address" in refused.get_data(as_text=True)
    assert "throttled" in caplog.text
    assert len(queued_mail(app)) == 3
    # Someone else signs up from that address at once; a form with a mistake mails nobody and costs that email nothing.
    for _ in range(4):
        assert signup(visitor, email="someone@example.com", name="").status_code == 200
    assert signup(visitor, email="someone@example.com").status_code == 200
    assert len(queued_mail(app)) == 4
    # Every post from one address counts towards that address's limit, whatever the email.
    clinic = app.test_client()
    clinic.environ_base["REMOTE_ADDR"] = "198.51.100.4"
    for n in range(6):
        assert signup(clinic, email=f"client{n}@example.com").status_code == 200
    assert signup(clinic, email="client6@example.com").status_code == 429


def test_the_reset_form_and_account_deletion_take_ten_posts_an_hour_from_one_address(client, auth, users):
    # Each limit is checked by its view's decorator (the extension's check before every request is left out).
    def forgot():
        token = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
        return client.post("/auth/forgot", data={"email": "nobody@example.com", "csrf_token": token})

    for _ in range(10):
        assert forgot().status_code in (200, 302)
    assert forgot().status_code == 429
    auth.login()
    for _ in range(10):
        refused = client.post("/account/delete", data={"password": "wrong-password-1", "csrf_token": auth.csrf_token()})
        assert refused.status_code == 200
    assert client.post("/account/delete", data={"csrf_token": auth.csrf_token()}).status_code == 429


def test_a_refused_signup_says_what_to_fix_and_mails_nobody(client, app):
    response = signup(client, email="not-an-email")
    assert "Enter a valid email address" in response.get_data(as_text=True)
    response = signup(client, role="admin")
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert queued_mail(app) == [] and count_users(app) == 0


def test_the_password_chosen_from_the_link_is_checked(client, app):
    link = shown_link(signup(client).get_data(as_text=True))
    response = choose_password(client, link, "short")
    assert "Use between 10 and 200 characters" in response.get_data(as_text=True)
    response = choose_password(client, link, "a-long-enough-password", confirm="another-long-password")
    assert "The passwords do not match" in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_login_form_has_the_contract_fields(client):
    html = client.get("/auth/login").get_data(as_text=True)
    for name in ("email", "password", "csrf_token"):
        assert f'name="{name}"' in html


def test_login_and_logout(client, auth, users):
    response = auth.login("alex@example.com")
    assert response.status_code == 302
    assert signed_in_as(client) == "Alex"
    response = auth.logout()
    assert response.status_code == 302
    assert signed_in_as(client) is None


@pytest.mark.parametrize("kept", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_no_longer_signs_in(app, client, auth, users, kept):
    auth.login("alex@example.com", remember="y")
    assert client.get("/api/v1/plan").status_code == 200
    copied = client.get_cookie(kept).value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie(kept, copied)
    assert thief.get("/api/v1/plan").status_code == 401
    assert signed_in_as(thief) is None


def test_login_with_mixed_case_email(auth, users):
    assert auth.login("  ALEX@Example.com").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(auth, users, caplog):
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        wrong = auth.login("alex@example.com", "wrong-password-here").get_data(as_text=True)
        unknown = auth.login("nobody@example.com", "wrong-password-here").get_data(as_text=True)
    message = "That email and password do not match an account"
    assert message in wrong
    assert message in unknown
    assert caplog.text.count("login_failed") == 2


def test_login_redirects_only_to_local_pages(auth, users, client):
    token = auth.csrf_token()
    data = {"email": "alex@example.com", "password": DEFAULT_PASSWORD, "csrf_token": token}
    response = client.post("/auth/login?next=https://evil.example/steal", data=data)
    assert response.headers["Location"] == "/"
    auth.logout()
    token = auth.csrf_token()
    response = client.post("/auth/login?next=/lessons/", data={**data, "csrf_token": token})
    assert response.headers["Location"] == "/lessons/"


def test_post_without_csrf_token_answers_400_and_logs_it(client, users, caplog):
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        response = client.post("/auth/login", data={"email": "alex@example.com", "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    assert "The form expired" in response.get_data(as_text=True)
    assert "csrf_rejected" in caplog.text


def test_post_with_a_wrong_csrf_token_answers_400(client, users):
    client.get("/auth/login")
    response = client.post(
        "/auth/login", data={"email": "alex@example.com", "password": DEFAULT_PASSWORD, "csrf_token": "forged"}
    )
    assert response.status_code == 400


def test_oversized_form_answers_413_and_creates_nothing(client, app):
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    response = client.post(
        "/auth/signup",
        data={"name": "x" * (1024 * 1024 + 10), "email": "big@example.com", "csrf_token": token},
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_every_page_has_the_csrf_meta_tag(client):
    for path in ("/", "/auth/login", "/auth/signup", "/lessons/", "/exercises/", "/muscles/"):
        assert 'name="csrf-token"' in client.get(path).get_data(as_text=True), path


def test_change_password_logs_out_other_devices(app, auth, users):
    other_device = app.test_client()
    AuthOther = type(auth)
    AuthOther(other_device, app).login("alex@example.com")
    assert signed_in_as(other_device) == "Alex"

    auth.login("alex@example.com")
    token = auth.csrf_token("/auth/password")
    response = auth.client.post(
        "/auth/password",
        data={
            "current": DEFAULT_PASSWORD,
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert signed_in_as(auth.client) == "Alex"  # this device stays in
    assert signed_in_as(other_device) is None
    auth.logout()
    assert auth.login("alex@example.com", "a-brand-new-password").status_code == 302


def test_change_password_needs_the_current_one(auth, users):
    auth.login("alex@example.com")
    token = auth.csrf_token("/auth/password")
    response = auth.client.post(
        "/auth/password",
        data={
            "current": "not-my-password",
            "password": "a-brand-new-password",
            "confirm": "a-brand-new-password",
            "csrf_token": token,
        },
    )
    assert "That is not your current password" in response.get_data(as_text=True)


def test_change_password_requires_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def _reset_link(client, caplog, run_jobs, email="alex@example.com") -> str:
    token = csrf_from(client.get("/auth/forgot").get_data(as_text=True))
    with caplog.at_level(logging.INFO, logger="coresteady.mail"):
        response = client.post("/auth/forgot", data={"email": email, "csrf_token": token})
        run_jobs()
    assert response.status_code == 302
    match = re.search(r"http://localhost(/auth/reset/\S+)", caplog.text)
    return match.group(1) if match else ""


def test_password_reset_through_the_logged_link_works_once(client, auth, users, caplog, run_jobs):
    link = _reset_link(client, caplog, run_jobs)
    assert link, "the reset link is written to the log when no mail server is set"
    token = csrf_from(client.get(link).get_data(as_text=True))
    response = client.post(
        link, data={"password": "reset-new-password", "confirm": "reset-new-password", "csrf_token": token}
    )
    assert response.status_code == 302
    assert auth.login("alex@example.com", "reset-new-password").status_code == 302
    auth.logout()
    again = client.get(link)
    assert again.status_code == 302
    assert "/auth/forgot" in again.headers["Location"]


def test_forgot_password_does_not_reveal_whether_an_account_exists(client, users, caplog, run_jobs):
    assert _reset_link(client, caplog, run_jobs, "nobody@example.com") == ""
    page = client.get("/auth/login").get_data(as_text=True)
    assert "If that email has an account" in page


def test_expired_and_forged_reset_links_are_refused(client, app, users, caplog, run_jobs):
    link = _reset_link(client, caplog, run_jobs)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    assert client.get(link).status_code == 302
    app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    response = client.get("/auth/reset/forged.token.value")
    assert response.status_code == 302
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "expired or was already used" in follow


def test_login_is_throttled_per_account_and_address_and_says_when_to_try_again(app, client, auth, users, caplog):
    for _ in range(5):
        assert auth.login("alex@example.com", "wrong-password-1").status_code == 200
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        response = auth.login("alex@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    told = "Too many wrong passwords for this account from here. Try again in 15 minutes, or set a new password."
    assert told in page
    # The way to a new password stays open, and the form is still there for later.
    assert 'href="/auth/forgot"' in page and 'name="email"' in page
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert "throttled" in caplog.text
    # Another account from the same address is not locked out by Alex's failures.
    with app.app_context():
        make_user("sam@example.com")
    assert auth.login("sam@example.com").status_code == 302
    auth.logout()
    # Nor is Alex on their own phone, elsewhere: wrong passwords sent from one address lock only that address out.
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    assert auth.login("alex@example.com").status_code == 302


def test_login_is_throttled_per_address(app, client, auth, users):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    for n in range(3):
        assert auth.login(f"someone{n}@example.com", "wrong-password-1").status_code == 200
    assert auth.login("alex@example.com").status_code == 429


def test_successful_logins_do_not_count_towards_the_throttle(auth, users):
    for _ in range(7):
        assert auth.login("alex@example.com").status_code == 302
        auth.logout()


def summary_of(html: str) -> str:
    found = re.search(r'<section class="error-summary" role="alert"[\s\S]*?</section>', html)
    assert found, "no summary of what to fix"
    return found.group(0)


def marked(html: str, field: str) -> bool:
    tag = re.search(rf'<input[^>]*\bid="{field}"[^>]*>', html)
    return tag is not None and 'aria-invalid="true"' in tag.group(0)


def test_a_refused_signup_lists_what_to_fix_and_marks_each_field(client, app):
    html = signup(client, name="", email="").get_data(as_text=True)
    summary = summary_of(html)
    assert "2 things to fix" in summary
    for field in ("name", "email"):
        assert f'href="#{field}"' in summary and marked(html, field)
    html = signup(client, name="Alex Morgan", email="not-an-email").get_data(as_text=True)
    assert "1 thing to fix" in summary_of(html) and 'href="#email"' in summary_of(html) and marked(html, "email")
    assert not marked(html, "name") and 'value="Alex Morgan"' in html  # the person's own text comes back
    html = choose_password(client, shown_link(signup(client).get_data(as_text=True)), "short", "other")
    html = html.get_data(as_text=True)
    assert "2 things to fix" in summary_of(html)
    for field in ("password", "confirm"):
        assert f'href="#{field}"' in summary_of(html) and marked(html, field)
    assert count_users(app) == 0
