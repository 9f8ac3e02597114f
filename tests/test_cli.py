"""The command line a clinic's operator uses: init-db, seed-demo and create-user."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp.auth.models import User
from webapp.extensions import db

from .clock import FROZEN_AT


def all_users(app) -> list[tuple[str, str, str | None]]:
    with app.app_context():
        users = db.session.execute(db.select(User).order_by(User.email)).scalars().all()
        by_id = {u.id: u.email for u in users}
        return [(u.email, u.role, by_id.get(u.trainer_id)) for u in users]


def test_init_db_upgrades_and_loads_content_and_can_run_again(runner):
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert "13 lessons, 40 exercises, 6 programs" in result.output


def test_seed_demo_creates_the_demo_accounts_once(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "demo-pass-123" in result.output
    first = all_users(app)
    assert ("alex@example.com", "client", "coach@example.com") in first
    assert ("sam@example.com", "client", "coach@example.com") in first
    assert ("jo@example.com", "client", "coach2@example.com") in first
    assert ("coach@example.com", "trainer", None) in first
    assert ("coach2@example.com", "trainer", None) in first
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "0 new accounts" in again.output
    assert all_users(app) == first


def test_the_demo_client_has_reminders_on_at_the_preferred_time(runner, client, auth):
    runner.invoke(args=["seed-demo"])
    auth.login("alex@example.com", "demo-pass-123")
    assert client.get("/api/v1/reminders").get_json() == {
        "enabled": True,
        "time": "07:30",
        "timezone": "Europe/London",
        "email": False,
    }


def test_demo_logins_work(runner, auth):
    runner.invoke(args=["seed-demo"])
    for email in ("alex@example.com", "coach@example.com", "jo@example.com"):
        assert auth.login(email, "demo-pass-123").status_code == 302
        auth.logout()


def test_create_user_as_trainer(runner, app):
    result = runner.invoke(
        args=["create-user", "--email", "Physio@Clinic.example", "--name", "Pat Physio", "--role", "trainer"],
        input="a-good-long-password\na-good-long-password\n",
    )
    assert result.exit_code == 0, result.output
    assert ("physio@clinic.example", "trainer", None) in all_users(app)


def test_create_user_refuses_bad_input_with_a_message(runner, app):
    short = runner.invoke(args=["create-user", "--email", "a@example.com"], input="short\nshort\n")
    assert short.exit_code != 0
    assert "at least 10 characters" in short.output
    bad_email = runner.invoke(args=["create-user", "--email", "nope"], input="long-password-1\nlong-password-1\n")
    assert bad_email.exit_code != 0
    assert "valid email" in bad_email.output
    runner.invoke(args=["create-user", "--email", "a@example.com"], input="long-password-1\nlong-password-1\n")
    duplicate = runner.invoke(
        args=["create-user", "--email", "a@example.com"], input="long-password-1\nlong-password-1\n"
    )
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output
    assert [u[0] for u in all_users(app)] == ["a@example.com"]


@pytest.mark.parametrize("weekday", range(7))
def test_the_demo_tells_the_stories_the_readme_promises_whatever_the_weekday(app, clock, weekday):
    """Coach's morning: Sam's pain is rising, a session went red and a morning was bad, an exercise hurt, and the
    safety check is due again; Alex is on track; Jo, Coach 2's, went quiet."""
    from webapp.demo import seed
    from webapp.trainer import dashboard

    now = FROZEN_AT + timedelta(days=(weekday - FROZEN_AT.weekday()) % 7)
    clock.move_to(now)
    with app.app_context():
        seed()
        coach, coach2 = (db.session.execute(db.select(User).filter_by(email=e)).scalar_one()
                         for e in ("coach@example.com", "coach2@example.com"))  # fmt: skip
        flags = {r.client.name: {f.kind for f in r.flags} for r in dashboard.client_rows(coach, now)}
        flags |= {r.client.name: {f.kind for f in r.flags} for r in dashboard.client_rows(coach2, now)}
    assert {"pain_up", "painful", "red_session", "bad_morning", "safety_due"} <= flags["Sam Patel"], flags
    assert (
        not {"pain_up", "painful", "quiet", "red_flag", "red_session", "bad_morning", "safety_due"}
        & flags["Alex Morgan"]
    ), flags
    assert "quiet" in flags["Jo Lindqvist"], flags
