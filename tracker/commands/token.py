"""`tracker token ...`: personal API tokens (shown once, stored hashed)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker import services
from tracker.commands.common import transaction
from tracker.commands.params import record_id

token_group = AppGroup("token", help="Personal API tokens (shown once, stored hashed).")


@token_group.command("create")
@click.argument("email")
@click.option("--name", default="", help="What the token is for, e.g. 'OSCE dashboard'.")
def token_create(email: str, name: str) -> None:
    """Create an API token for an account and print its secret once."""
    with transaction() as session:
        user = services.get_user(session, email)
        token, secret = services.create_token(session, user, "api", name)
    click.echo(
        _(
            "Token %(id)s for %(email)s; copy it now, it is not shown again:",
            id=token.id,
            email=user.email,
        )
    )
    click.echo(secret)


@token_group.command("revoke")
@click.argument("token_id", type=record_id("token"))
def token_revoke(token_id: int) -> None:
    """Revoke a token for good."""
    with transaction() as session:
        token = services.revoke_token(session, services.get_token(session, token_id))
    click.echo(_("Token %(id)s of %(email)s is revoked.", id=token.id, email=token.user.email))
