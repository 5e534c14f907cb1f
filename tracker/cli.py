"""The `tracker` command line (also available as `flask --app tracker ...`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config import Config
from tracker import api_cli, reports, services
from tracker.cli_params import CLIError as CLIError  # raised by other command modules too
from tracker.cli_params import IsoDate, WholeNumber, record_id
from tracker.db import get_session
from tracker.enums import MilestoneStatus, Role
from tracker.models import Milestone
from tracker.seeding import SEEDS_DIR, SeedError, load_seed_file, seed

if TYPE_CHECKING:  # alembic costs ~0.2 s to import; only the db commands need it
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line error."""
    raise CLIError(message)


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction for the command: commit at the end, roll back on any error."""
    session = get_session()
    try:
        yield session
        session.commit()
    except (services.ServiceError, SeedError) as error:
        session.rollback()
        fail(str(error))
    except BaseException:
        session.rollback()
        raise


def as_of_option(func_: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of YYYY-MM-DD (default: today)."""
    return click.option(
        "--as-of",
        "as_of",
        type=IsoDate("as-of"),
        metavar="YYYY-MM-DD",
        help="Report as of this date (default: today).",
    )(func_)


def within_option(func_: Callable[..., Any]) -> Callable[..., Any]:
    """--within DAYS (default: reports.DEFAULT_WITHIN_DAYS)."""
    return click.option(
        "--within",
        default=reports.DEFAULT_WITHIN_DAYS,
        show_default=True,
        type=WholeNumber("within", 0, reports.MAX_WITHIN_DAYS),
        help="Days ahead that count as upcoming.",
    )(func_)


def _as_of(value: date | None) -> date:
    return value or date.today()


def alembic_config(url: str) -> AlembicConfig:
    """Alembic settings for the app's database."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def _alembic(name: str, *args: str) -> None:
    from alembic import command
    from alembic.util import CommandError

    try:
        getattr(command, name)(alembic_config(current_app.config["DATABASE_URL"]), *args)
    except CommandError as error:  # an unknown revision, a check that failed, broken keys
        fail(_one_line(str(error)))


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- database -----------------------------------------------------------------------------

db_group = AppGroup("db", help="Create and migrate the database schema (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    _alembic("upgrade", revision)
    click.echo(f"Database at {revision}.")


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
        fail(f"revision {revision!r}: {_one_line(str(error))}")
    if any(loss.rows for loss in losses) or (revision == "base" and losses):
        click.echo(f"Downgrading to {revision} drops:")
        for loss in losses:
            click.echo(f"  {loss}")
        if not yes:
            click.confirm("Drop this data?", abort=True)
    _alembic("downgrade", revision)
    click.echo(f"Database at {revision}.")


@db_group.command("current")
def db_current() -> None:
    """Show the database's current revision."""
    _alembic("current")


@db_group.command("check")
def db_check() -> None:
    """Fail if the models and the migrations disagree."""
    _alembic("check")


# --- seed and users -----------------------------------------------------------------------


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
        fail(f"file {str(path)!r}: not a readable TOML seed file ({_one_line(str(error))})")
    with transaction() as session:
        if if_empty and session.scalar(select(func.count(Milestone.id))):
            click.echo("The database already holds milestones; not seeding.")
            return
        try:
            result = seed(session, data, path.parent / "notes")
        except (KeyError, TypeError, AttributeError) as error:  # TOML, but not a seed file
            raise SeedError(f"file {str(path)!r}: not a seed file's shape ({error!r})") from None
    click.echo(result.summary())


user_group = AppGroup("user", help="Manage accounts.")


@user_group.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--state", "states", multiple=True, metavar="ISO3", help="A State they coordinate.")
@click.option("--name", default="", help="Name shown to readers (default: the role).")
@click.password_option(envvar="TRACKER_PASSWORD", help="Password (or TRACKER_PASSWORD).")
def user_add(email: str, role: str, states: tuple[str, ...], name: str, password: str) -> None:
    """Create an account; the password comes from a prompt or TRACKER_PASSWORD."""
    with transaction() as session:
        user = services.add_user(session, email, password, role, states, name)
    scope = f" for {', '.join(s.code for s in user.states)}" if user.states else ""
    click.echo(f"Added {user.role.value} {user.email}{scope}.")


# --- reading and recording ----------------------------------------------------------------

FORMATS = click.Choice(["text", "json"])


@click.command("timeline")
@with_appcontext
@click.argument("state")
@as_of_option
@within_option
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def timeline_command(state: str, as_of: date | None, within: int, fmt: str) -> None:
    """Every milestone a State hosts or takes part in, in date order, flagged as of a date."""
    with transaction() as session:
        data = reports.timeline(session, state, _as_of(as_of), within)
    click.echo(
        json.dumps(data, indent=2, ensure_ascii=False)
        if fmt == "json"
        else reports.timeline_text(data)
    )


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
    with transaction() as session:
        report = reports.build_report(session, _as_of(as_of), within, states)
        if fmt == "pdf":
            from tracker.documents_cli import write_report_pdf  # fpdf2 only when asked for

            write_report_pdf(session, report, output)
            return
    if output is not None:
        fail(f"output '{output}': -o is for --format pdf; the other formats print")
    if fmt == "ics":
        sys.stdout.buffer.write(reports.report_ics(report))
        return
    render = {"text": reports.report_text, "json": reports.report_json, "csv": reports.report_csv}
    click.echo(render[fmt](report))


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
        f"Milestone {milestone.id} ({milestone.title}) is {change.new_status.label} "
        f"as of {change.effective_on.isoformat()}."
    )


def _system_user() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


@click.command("import-note")
@with_appcontext
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show the proposals; write nothing.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@click.option("--yes", is_flag=True, help="Save every proposal that has a date and a State.")
def import_note(path: Path, dry_run: bool, fmt: str, yes: bool) -> None:
    """Read a source note, propose its milestones with quotes, and save the accepted ones."""
    from tracker.ingest.cli import run_import  # the extractor loads for this command only

    run_import(path, dry_run, fmt, yes)


COMMANDS = [
    db_group,
    seed_command,
    user_group,
    timeline_command,
    report_command,
    status_command,
    import_note,
    *api_cli.COMMANDS,
]


def init_app(app: Flask) -> None:
    """Register the commands on the app (for `flask --app tracker`)."""
    for cmd in COMMANDS:
        app.cli.add_command(cmd)


# Commands that need the web application (pages, API, sign-in); the others get an app with
# only the database and the commands, which starts in a fraction of the time.
WEB_COMMANDS = frozenset({"run", "routes", "shell"})


def _cli_app() -> Flask:
    from tracker import create_app

    context = click.get_current_context(silent=True)
    web = context is None or context.info_name in WEB_COMMANDS
    return create_app(Config(require_secret=False), web=web)


cli = FlaskGroup(
    name="tracker",
    create_app=_cli_app,
    load_dotenv=False,
    help="The NAP tracker: UNSCR 1540 National Action Plans, milestones and deadlines.",
)
for _command in COMMANDS:  # found without building an app first
    cli.add_command(_command)


def main() -> None:
    """Entry point of the `tracker` console script."""
    for problem in _not_utf8(sys.argv[1:], os.environ):
        click.echo(f"Error: {problem}: is not UTF-8 text", err=True)
        sys.exit(2)
    cli.main(prog_name="tracker")


def _not_utf8(arguments: list[str], environ: Mapping[str, str]) -> Iterator[str]:
    """Arguments and TRACKER_* variables holding bytes that are not UTF-8 (as lone surrogates)."""
    for number, argument in enumerate(arguments, 1):
        if not _is_utf8(argument):
            previous = arguments[number - 2] if number > 1 else ""
            secret = argument.startswith("--password") or previous == "--password"
            shown = "***" if secret else os.fsencode(argument).decode("utf-8", "backslashreplace")
            yield f"argument {number} '{shown}'"
    for name, value in environ.items():
        if name.startswith("TRACKER_") and not _is_utf8(value):
            yield name  # never its value: it may be a password


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
