"""Accounts as a person meets them: signing up, logging in, passwords, and what bad input gets."""

from __future__ import annotations

import logging
import re

import pytest

from webapp.auth.models import User
from webapp.extensions import db

from .conftest import csrf_from
from .factories import DEFAULT_PASSWORD, make_user


def signup(client, **fields):
    token = csrf_from(client.get("/auth/signup").get_data(as_text=True))
    data = {
        "name": "Alex Morgan",
        "email": "alex@example.com",
        "password": "a-long-enough-password",
        "confirm": "a-long-enough-password",
        "role": "client",
        "timezone": "Europe/Berlin",
        "csrf_token": token,
    }
    data.update(fields)
    return client.post("/auth/signup", data=data)


def signed_in_as(client) -> str | None:
    """The first name in the header's account menu, or None when nobody is logged in."""
    match = re.search(r'<span class="menu__name">([^<]+)</span>', client.get("/lessons/").get_data(as_text=True))
    return match.group(1) if match else None


def count_users(app) -> int:
    with app.app_context():
        return db.session.execute(db.select(db.func.count(User.id))).scalar()


def test_signup_creates_a_logged_in_client_with_a_normalised_email(client, app):
    response = signup(client, email="  Alex@Example.COM ")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.execute(db.select(User)).scalar_one()
        assert user.email == "alex@example.com"
        assert user.role == "client"
        assert user.timezone == "Europe/Berlin"
        assert user.password_hash != "a-long-enough-password"
    assert signed_in_as(client) == "Alex"


def test_signup_as_trainer(client, app):
    signup(client, role="trainer", email="coach@example.com")
    with app.app_context():
        assert db.session.execute(db.select(User.role)).scalar_one() == "trainer"


def test_unknown_timezone_falls_back_to_utc(client, app):
    signup(client, timezone="Mars/Olympus")
    with app.app_context():
        assert db.session.execute(db.select(User.timezone)).scalar_one() == "UTC"


def test_duplicate_signup_is_refused_with_a_message_and_creates_nothing(client, app, caplog):
    with app.app_context():
        make_user("alex@example.com")
    with caplog.at_level(logging.INFO, logger="coresteady.security"):
        response = signup(client, email="ALEX@example.com")
    assert response.status_code == 200
    assert "already exists" in response.get_data(as_text=True)
    assert count_users(app) == 1
    assert "signup_refused" in caplog.text


def test_short_password_is_refused(client, app):
    response = signup(client, password="short", confirm="short")
    assert "Use between 10 and 200 characters" in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_malformed_email_is_refused(client, app):
    response = signup(client, email="not-an-email")
    assert "Enter a valid email address" in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_mismatched_confirmation_is_refused(client, app):
    response = signup(client, confirm="another-long-password")
    assert "The passwords do not match" in response.get_data(as_text=True)
    assert count_users(app) == 0


def test_unknown_role_is_refused(client, app):
    response = signup(client, role="admin")
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
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
    html = signup(client, name="Alex Morgan", password="short", confirm="other").get_data(as_text=True)
    summary = summary_of(html)
    assert "2 things to fix" in summary
    for field in ("password", "confirm"):
        assert f'href="#{field}"' in summary and marked(html, field)
    assert not marked(html, "name") and 'value="Alex Morgan"' in html  # the person's own text comes back
    html = signup(client, email="not-an-email").get_data(as_text=True)
    assert "1 thing to fix" in summary_of(html) and 'href="#email"' in summary_of(html) and marked(html, "email")
    assert count_users(app) == 0
