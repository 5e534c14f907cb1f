"""`tracker status`: record a milestone's new status in its history."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker import services
from tracker.commands.common import transaction
from tracker.commands.params import IsoDate, record_id
from tracker.enums import MilestoneStatus
from tracker.i18n import as_of_day
from tracker.labels import label


@click.command("status")
@with_appcontext
@click.argument("milestone_id", type=record_id("milestone"))
@click.argument("new_status", type=click.Choice([s.value for s in MilestoneStatus]))
@click.option(
    "--on", "on", type=IsoDate("on"), required=True, metavar="YYYY-MM-DD", help="When it happened."
)
@click.option("--comment", default="", help="Why, or where this is known from.")
@click.option("--by", "by", default="", help="Who records it (default: the system user).")
def status_command(milestone_id: int, new_status: str, on: date, comment: str, by: str) -> None:
    """Record a milestone's new status in its history."""
    with transaction() as session:
        milestone = services.get_milestone(session, milestone_id)
        change = services.change_status(
            session,
            milestone,
            new_status,
            on,
            comment=comment,
            recorded_by_label=by or _system_user(),
        )
    click.echo(
        _(
            "Milestone %(id)s (%(title)s) is %(status)s as of %(day)s.",
            id=milestone.id,
            title=milestone.title,
            status=label(change.new_status),
            day=as_of_day(change.effective_on),
        )
    )


def _system_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"
