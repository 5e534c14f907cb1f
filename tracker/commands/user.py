"""`tracker user ...`: manage accounts."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker import services
from tracker.commands.common import transaction
from tracker.enums import Role
from tracker.labels import label

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
    shown, codes = label(user.role), ", ".join(s.code for s in user.states)
    if codes:
        added = _(
            "Added %(role)s %(email)s for %(states)s.", role=shown, email=user.email, states=codes
        )
    else:
        added = _("Added %(role)s %(email)s.", role=shown, email=user.email)
    click.echo(added)
