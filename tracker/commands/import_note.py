"""`tracker import-note FILE`: propose a note's milestones, review them, save in one transaction."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from tracker.commands.common import CLIError, transaction

if TYPE_CHECKING:
    from tracker.ingest.matching import MatchedProposal
    from tracker.services.imports import ImportPlan

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
        click.echo(f"Skipped: {reason}", err=fmt == "json")
    click.echo(result.summary(), err=fmt == "json")


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
    """The proposals as a coordinator reads them in a terminal."""
    note = plan.note
    lines = [
        f"Note {note.slug} ({note.kind.value.replace('_', ' ')}): {note.title}",
        f"States: {', '.join(note.states) or 'none found'}",
        *(f"Warning: {w}" for w in note.warnings),
        *([f"File: {note.original.name}, sha256 {note.original.sha256}"] if note.original else []),
        f"{len(plan.proposals)} proposals:",
    ]
    for number, matched in enumerate(plan.proposals, 1):
        lines += ["", *proposal_text(number, matched)]
    return "\n".join(lines)


def proposal_text(number: int, matched: MatchedProposal) -> list[str]:
    """One proposal: action, kind, date, States, quote, warnings."""
    p = matched.proposal
    due = p.due_text or "no date"
    lines = [
        f"{number:>2}. [{matched.action.value}] {p.kind.label}: {p.title}",
        f"    {p.role.value} | {due} | {', '.join(p.states) or 'no State'}"
        f" | {p.reported_status.label} | confidence {p.confidence:.2f}",
        f'    "{p.quote}"',
    ]
    if p.venue:
        lines.append(f"    venue: {p.venue}")
    if matched.reason:
        lines.append(f"    {matched.reason}")
    lines += [f"    warning: {w}" for w in p.warnings]
    return lines


def _ask(plan: ImportPlan, fmt: str) -> list[MatchedProposal]:
    """Ask about each proposal; the default follows its confidence."""
    accepted = []
    for number, matched in enumerate(plan.proposals, 1):
        if not matched.proposal.ready:
            click.echo(f"Proposal {number} needs a date and a State; not saved.", err=fmt == "json")
            continue
        question = f"Save proposal {number} ({matched.action.value} {matched.proposal.title})?"
        if click.confirm(question, default=matched.proposal.confidence >= 0.5, err=fmt == "json"):
            accepted.append(matched)
    return accepted
