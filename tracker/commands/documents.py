"""`tracker report --format pdf -o FILE`: the deadline report written as an A4 PDF file."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker import pdf, reports, revision, services
from tracker.commands.params import refuse


def write_report_pdf(session: Session, report: reports.Report, output: Path | None) -> None:
    """Write the report's PDF to OUTPUT (a PDF is never sent to the terminal)."""
    if output is None:
        refuse("output", "", _("a PDF is written to a file: add -o FILE"))
    names = {s.code: s.name for s in services.list_states(session)}
    body = pdf.report_pdf(report, names, revision.current(session))
    try:
        output.write_bytes(body)
    except OSError as error:
        refuse("output", str(output), error.strerror or _("cannot be written"))
    click.echo(
        _("Wrote %(path)s (%(size)d kB).", path=output, size=len(body) // 1024 + 1), err=True
    )
