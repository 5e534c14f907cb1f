"""`tracker user ...`: manage accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker import services
from tracker.commands.common import transaction
from tracker.enums import Role

user_group = AppGroup("user", help="Manage accounts.")


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--state", "states", multiple=True, metavar="ISO3", help="A State they coordinate.")
@click.option("--name", default="", help="Name shown to readers (default: the role).")
@click.password_option(envvar="TRACKER_PASSWORD", help="Password (or TRACKER_PASSWORD).")
def user_add(email: str, role: str, states: tuple[str, ...], name: str, password: str) -> None:
    """Create an account; the password comes from a prompt or TRACKER_PASSWORD."""
    with transaction() as session:
        user = services.add_user(session, email, password, role, states, name)
    scope = f" for {', '.join(s.code for s in user.states)}" if user.states else ""
    click.echo(f"Added {user.role.value} {user.email}{scope}.")
