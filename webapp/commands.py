"""The command line: `flask --app wsgi init-db | seed-demo | create-user`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from flask_migrate import upgrade

from .auth import services as accounts
from .bundle import load_content
from .content.files import ContentError
from .demo import DEMO_PASSWORD, DEMO_USERS, seed


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)


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
