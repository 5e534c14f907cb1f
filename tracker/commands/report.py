"""`tracker report` and `tracker timeline`: what is overdue and upcoming, as of a date."""

from __future__ import annotations

import json
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker import reports
from tracker.commands.common import (
    as_of_option,
    as_of_or_today,
    fail,
    transaction,
    within_option,
)

FORMATS = click.Choice(["text", "json"])


@click.command("timeline")
@with_appcontext
@click.argument("state")
@as_of_option
@within_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def timeline_command(state: str, as_of: date | None, within: int, fmt: str) -> None:
    """Every milestone a State hosts or takes part in, in date order, flagged as of a date."""
    with transaction() as session, neutral(fmt):
        data = reports.timeline(session, state, as_of_or_today(as_of), within)
    if fmt == "json":
        from tracker.api.serializers import timeline_json  # the API's shape; loaded on demand

        click.echo(_json(timeline_json(data)))
        return
    click.echo(reports.timeline_text(data))


def neutral(fmt: str) -> AbstractContextManager[None]:
    """JSON is language-neutral: its items (their data warnings) are made in English, whatever
    --lang says; a refusal is still worded in the reader's language (outside this block)."""
    return force_locale("en") if fmt == "json" else nullcontext()


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, indent=2, ensure_ascii=False)


@click.command("report")
@with_appcontext
@as_of_option
@within_option
@click.option("--state", "states", multiple=True, metavar="ISO3", help="Only these States.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "csv", "ics", "pdf"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="PDF file.")
def report_command(
    as_of: date | None, within: int, states: tuple[str, ...], fmt: str, output: Path | None
) -> None:
    """Overdue and upcoming milestones as of a date."""
    with transaction() as session, neutral(fmt):
        report = reports.build_report(session, as_of_or_today(as_of), within, states)
        if fmt == "pdf":
            from tracker.commands.documents import write_report_pdf  # fpdf2 only when asked

            write_report_pdf(session, report, output)
            return
    if output is not None:
        fail(_("output '%(path)s': -o is for --format pdf; the other formats print", path=output))
    if fmt == "ics":
        sys.stdout.buffer.write(reports.report_ics(report))
        return
    if fmt == "json":
        # The API's shape, loaded only for JSON: a cold `tracker report` stays off the web app.
        from tracker.api.serializers import report_json

        click.echo(_json(report_json(report)))
        return
    render = {"text": reports.report_text, "csv": reports.report_csv}
    click.echo(render[fmt](report))
