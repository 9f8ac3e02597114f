"""The command line: `flask --app wsgi init-db | seed-demo | create-user | jobs`."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .auth import services as accounts
from .bundle import load_content
from .content.files import ContentError
from .demo import DEMO_PASSWORD, DEMO_USERS, seed
from .jobs.services import run_due
from .jobs.worker import POLL_SECONDS, run_forever
from .timeutil import utcnow
from .trainer.dashboard import refresh


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(jobs)
    app.cli.add_command(refresh_summaries)


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema, then load the shipped content."""
    upgrade()
    try:
        bundle = load_content()
    except ContentError as exc:
        raise click.ClickException(f"content not loaded, nothing changed: {exc}") from exc
    click.echo(
        f"Database ready. Content {bundle.version}: {len(bundle.lessons)} lessons, "
        f"{len(bundle.exercises)} exercises, {len(bundle.programs)} programs."
    )


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Add the demo accounts and their data; running it again changes nothing."""
    created = seed()
    click.echo(f"Demo data ready ({created} new accounts). Every demo password is {DEMO_PASSWORD}:")
    for user in DEMO_USERS:
        click.echo(f"  {user['role']:8} {user['email']}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True, help="The login email.")
@click.option("--name", default="", help="The name shown in the app.")
@click.option("--role", type=click.Choice(["client", "trainer"]), default="client", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters.")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create an account (for example the first trainer of a clinic)."""
    try:
        user = accounts.create_user(email, password, name, role)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Created {user.role} {user.email}.")


def _moment(_ctx, _param, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date and time, like 2026-07-01T08:00:00+02:00") from exc
    if moment.tzinfo is None:
        # A moment without an offset means a different instant on every server; refuse rather than guess.
        raise click.BadParameter(f"{value!r} has no offset; add one, like +00:00 or Z")
    return moment


@click.command("jobs")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every job due now (or at --at) and exit, for cron and checks.")
@click.option("--at", "at", callback=_moment, metavar="ISO-DATETIME", help="With --once: the moment to run at.")
@click.option("--poll", default=POLL_SECONDS, show_default=True, help="Seconds between passes of the worker.")
def jobs(once: bool, at: datetime | None, poll: float) -> None:
    """Run the background jobs (mail, reminders): as a worker until stopped, or once."""
    if at is not None and not once:
        raise click.UsageError("--at goes with --once: the worker always runs at the present moment.")
    if once:
        click.echo(str(run_due(at or utcnow())))
        return
    run_forever(current_app._get_current_object(), poll_seconds=poll)


@click.command("refresh-summaries")
@with_appcontext
@click.option("--at", "at", callback=_moment, metavar="ISO-DATETIME", help="The moment to work the rows out for.")
def refresh_summaries(at: datetime | None) -> None:
    """Keep every trainer's dashboard rows up to date now (the job worker also does it every minute)."""
    written = refresh(at or utcnow())
    click.echo(f"Dashboard rows worked out again: {written}.")
