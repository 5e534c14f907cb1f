"""`tracker import-note FILE`: propose a note's milestones, review them, save in one transaction."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker import datefmt, i18n
from tracker.commands.common import CLIError, transaction
from tracker.labels import label
from tracker.messages import words

if TYPE_CHECKING:
    from tracker.ingest.matching import MatchedProposal
    from tracker.services.imports import ImportPlan, ImportResult

FORMATS = click.Choice(["text", "json"])


@click.command("import-note")
@with_appcontext
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the proposals; write nothing.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--yes", is_flag=True, help="Save every proposal that has a date and a State.")
def import_note(path: Path, dry_run: bool, fmt: str, yes: bool) -> None:
    """Read a source note, propose its milestones with quotes, and save the accepted ones."""
    # The extractor loads for this command only: `tracker report` starts without it.
    from tracker.ingest.files import read_note_file
    from tracker.ingest.text import NoteInputError
    from tracker.services.imports import apply_import, plan_extraction, read_note

    try:
        text, original = read_note_file(_read(path), path.name)
    except NoteInputError as error:
        raise CLIError(str(error)) from None
    with transaction() as session:
        extraction = read_note(text)
        extraction = replace(extraction, note=replace(extraction.note, original=original))
        plan = plan_extraction(session, extraction, path.name)
        _show(plan, fmt)
        if dry_run:
            return
        accepted = list(plan.proposals) if yes else _ask(plan, fmt)
        result = apply_import(session, plan.note, accepted)
    for reason in result.skipped:
        click.echo(_("Skipped: %(reason)s", reason=words(reason)), err=fmt == "json")
    click.echo(import_summary(result), err=fmt == "json")


def import_summary(result: ImportResult) -> str:
    """What the import saved, on one line in the CLI's language."""
    return words(result.summary())


def _read(path: Path) -> bytes:
    from tracker.ingest.files import MAX_FILE_BYTES, upload_limit

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CLIError(
                f"FILE {str(path)!r}: is {size} bytes; the limit is {upload_limit()}, "
                "nothing was stored"
            )
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise CLIError(f"FILE {str(path)!r}: {error.strerror or 'cannot be read'}") from None


def _show(plan: ImportPlan, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(plan.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo(plan_text(plan))


def plan_text(plan: ImportPlan) -> str:
    """The proposals as a coordinator reads them in a terminal, in the CLI's language."""
    note = plan.note
    original = note.original
    lines = [
        _(
            "Note %(slug)s (%(kind)s): %(title)s",
            slug=note.slug,
            kind=label(note.kind),
            title=note.title,
        ),
        _("States: %(states)s", states=", ".join(note.states) or _("none found")),
        *(_("Warning: %(warning)s", warning=words(w)) for w in note.warnings),
        *(
            [_("File: %(name)s, sha256 %(digest)s", name=original.name, digest=original.sha256)]
            if original
            else []
        ),
        _("%(num)s proposals:", num=len(plan.proposals)),
    ]
    for number, matched in enumerate(plan.proposals, 1):
        lines += ["", *proposal_text(number, matched)]
    return "\n".join(lines)


def proposal_text(number: int, matched: MatchedProposal) -> list[str]:
    """One proposal: action, kind, date, States, quote, warnings."""
    p = matched.proposal
    due = _due(p.window, p.due_text) if p.due_text else _("no date")
    action = label(matched.action.value, type(matched.action))
    confidence = _("confidence %(value)s", value=f"{p.confidence:.2f}")
    lines = [
        f"{number:>2}. [{action}] {label(p.kind)}: {p.title}",
        f"    {p.role.value} | {due} | {', '.join(p.states) or _('no State')}"
        f" | {label(p.reported_status)} | {confidence}",
        f'    "{p.quote}"',
    ]
    if p.venue:
        lines.append("    " + _("venue: %(venue)s", venue=p.venue))
    if matched.reason:
        lines.append(f"    {words(matched.reason)}")
    lines += ["    " + _("warning: %(warning)s", warning=words(w)) for w in p.warnings]
    return lines


def _due(window: object, written: str) -> str:
    """The date as the note writes it; for another language, as that language writes it."""
    from tracker.dates import DueWindow

    locale = i18n.current()
    if locale == "en" or not isinstance(window, DueWindow):
        return written
    return f"{datefmt.format_window(window, locale)} ({written})"


def _ask(plan: ImportPlan, fmt: str) -> list[MatchedProposal]:
    """Ask about each proposal; the default follows its confidence."""
    accepted = []
    for number, matched in enumerate(plan.proposals, 1):
        if not matched.proposal.ready:
            refused = _("Proposal %(number)s needs a date and a State; not saved.", number=number)
            click.echo(refused, err=fmt == "json")
            continue
        action = label(matched.action.value, type(matched.action))
        question = _(
            "Save proposal %(number)s (%(action)s %(title)s)?",
            number=number,
            action=action,
            title=matched.proposal.title,
        )
        if click.confirm(question, default=matched.proposal.confidence >= 0.5, err=fmt == "json"):
            accepted.append(matched)
    return accepted
