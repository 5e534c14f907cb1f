"""`tracker seed`: load the States, notes, plans and milestones of seeds/nap.toml."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from tracker.commands.common import fail, one_line, transaction
from tracker.models import Milestone
from tracker.seeding import SEEDS_DIR, SeedError, load_seed_file, seed


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no milestones.")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=SEEDS_DIR / "nap.toml",
    show_default=True,
    help="The structured seed file.",
)
def seed_command(if_empty: bool, path: Path) -> None:
    """Load the States, source notes, plans and milestones (idempotent)."""
    try:
        data = load_seed_file(path)
    except (OSError, ValueError) as error:  # unreadable, not UTF-8, not TOML
        fail(f"file {str(path)!r}: not a readable TOML seed file ({one_line(str(error))})")
    with transaction() as session:
        if if_empty and session.scalar(select(func.count(Milestone.id))):
            click.echo("The database already holds milestones; not seeding.")
            return
        try:
            result = seed(session, data, path.parent / "notes")
        except (KeyError, TypeError, AttributeError) as error:  # TOML, but not a seed file
            raise SeedError(f"file {str(path)!r}: not a seed file's shape ({error!r})") from None
    click.echo(result.summary())
