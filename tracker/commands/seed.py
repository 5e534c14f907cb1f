"""`tracker seed`: load the States, notes, plans and milestones of seeds/nap.toml."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from tracker.commands.common import fail, one_line, transaction
from tracker.models import Milestone
from tracker.seeding import SEEDS_DIR, SeedError, SeedReport, load_seed_file, seed


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
        fail(
            _(
                "file %(name)s: not a readable TOML seed file (%(reason)s)",
                name=repr(str(path)),
                reason=one_line(str(error)),
            )
        )
    with transaction() as session:
        if if_empty and session.scalar(select(func.count(Milestone.id))):
            click.echo(_("The database already holds milestones; not seeding."))
            return
        try:
            result = seed(session, data, path.parent / "notes")
        except (KeyError, TypeError, AttributeError) as error:  # TOML, but not a seed file
            shape = _(
                "file %(name)s: not a seed file's shape (%(reason)s)",
                name=repr(str(path)),
                reason=repr(error),
            )
            raise SeedError(shape) from None
    click.echo(summary(result))


def summary(report: SeedReport) -> str:
    """What the run did, on one line in the CLI's language."""
    if not report.changed_anything:
        total = sum(report.unchanged.values())
        return str(
            ngettext(
                "Nothing to do: all %(num)d seed record is already loaded.",
                "Nothing to do: all %(num)d seed records are already loaded.",
                total,
            )
        )
    counted = {
        "states": lambda n: ngettext("%(num)d state", "%(num)d states", n),
        "notes": lambda n: ngettext("%(num)d note", "%(num)d notes", n),
        "plans": lambda n: ngettext("%(num)d plan", "%(num)d plans", n),
        "bodies": lambda n: ngettext("%(num)d body", "%(num)d bodies", n),
        "milestones": lambda n: ngettext("%(num)d milestone", "%(num)d milestones", n),
    }
    parts = [
        counted[what](n) if what in counted else f"{n} {what}" for what, n in report.added.items()
    ]
    return str(_("Seeded %(parts)s.", parts=", ".join(parts)))
