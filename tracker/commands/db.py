"""`tracker db ...`: create and migrate the database schema (Alembic)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from tracker.commands.common import fail, one_line


def _alembic(name: str, *args: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    from tracker.schema_changes import alembic_config  # alembic costs ~0.2 s to import

    try:
        getattr(command, name)(alembic_config(current_app.config["DATABASE_URL"]), *args)
    except CommandError as error:  # an unknown revision, a check that failed, broken keys
        fail(one_line(str(error)))


db_group = AppGroup("db", help="Create and migrate the database schema (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    _alembic("upgrade", revision)
    click.echo(_("Database at %(revision)s.", revision=revision))


@db_group.command("downgrade")
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Drop the data the downgrade removes without asking.")
def db_downgrade(revision: str, yes: bool) -> None:
    """Migrate the database down to REVISION ('base' empties it); asks before dropping data."""
    from alembic.util import CommandError

    from tracker.schema_changes import downgrade_losses

    try:
        losses = downgrade_losses(current_app.config["DATABASE_URL"], revision)
    except CommandError as error:
        fail(f"revision {revision!r}: {one_line(str(error))}")
    if any(loss.rows for loss in losses) or (revision == "base" and losses):
        click.echo(_("Downgrading to %(revision)s drops:", revision=revision))
        for loss in losses:
            click.echo(f"  {loss}")
        if not yes:
            click.confirm(_("Drop this data?"), abort=True)
    _alembic("downgrade", revision)
    click.echo(_("Database at %(revision)s.", revision=revision))


@db_group.command("current")
def db_current() -> None:
    """Show the database's current revision."""
    _alembic("current")


@db_group.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    _alembic("check")
