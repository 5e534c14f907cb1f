"""`tracker import-measures`: load a plan's measures table (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.commands.common import fail, transaction
from tracker.commands.params import record_id
from tracker.services.measure_import import import_measures, read_table
from tracker.services.measures import get_plan_by_id


@click.command("import-measures")
@with_appcontext
@click.argument("plan_id", type=record_id("plan"))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and save nothing.")
def import_measures_command(plan_id: int, file: Path, dry_run: bool) -> None:
    """Import a plan's measures from a CSV or XLSX file whose header is
    number,text,time_frame,bodies,area (bodies separated by ';'); nothing is saved unless
    every row is good."""
    try:
        data = file.read_bytes()
    except OSError as error:
        fail(f"file {str(file)!r}: cannot be read ({error.strerror or error})")
    with transaction() as session:
        plan = get_plan_by_id(session, plan_id)
        result = import_measures(
            session, plan, read_table(file.name, data), dry_run=dry_run, label="cli import"
        )
        for warning in result.warnings:
            click.echo(f"Warning: {warning}", err=True)
        if result.problems:
            session.rollback()
            for problem in result.problems:
                click.echo(f"Error: {problem}", err=True)
            raise SystemExit(2)
    verb = "would import" if dry_run else "imported"
    count = len(result.drafts)
    click.echo(f"Plan {plan.id} ({plan.title}): {verb} {count} measure{'s' * (count != 1)}.")
