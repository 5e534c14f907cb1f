"""The `tracker` command line (also available as `flask --app tracker ...`).

One module per command group; `common` holds the one transaction and the one-line error
they share. Commands other than `run` start without the web application.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo
from flask_babel import force_locale

from config import Config, ConfigError
from tracker.commands import (
    backup,
    db,
    import_note,
    measures,
    remind,
    report,
    seed,
    status,
    token,
    user,
)
from tracker.i18n import LOCALES

COMMANDS = [
    db.db_group,
    seed.seed_command,
    user.user_group,
    report.timeline_command,
    report.report_command,
    status.status_command,
    import_note.import_note,
    measures.import_measures_command,
    measures.body_group,
    token.token_group,
    backup.backup_command,
    backup.restore_command,
    *remind.COMMANDS,
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


def _language(context: click.Context, /, **options: Any) -> None:
    """--lang / TRACKER_LANG: the human output (tables, refusals) in that language for the
    whole command, its options' refusals included; JSON output stays language-neutral."""
    if context.invoked_subcommand in WEB_COMMANDS:
        return  # the web commands answer each request in its reader's language
    app = context.ensure_object(ScriptInfo).load_app()
    context.with_resource(app.app_context())  # pushed before the subcommand reads its options
    lang = options.get("lang")
    if lang:  # else the site default (TRACKER_DEFAULT_LOCALE)
        context.with_resource(force_locale(lang))


cli = FlaskGroup(
    name="tracker",
    create_app=_cli_app,
    load_dotenv=False,
    help="The NAP tracker: UNSCR 1540 National Action Plans, milestones and deadlines.",
    params=[
        click.Option(
            ["--lang"],
            envvar="TRACKER_LANG",
            type=click.Choice(LOCALES, case_sensitive=False),
            help="Language of the human output and error lines (also TRACKER_LANG).",
            expose_value=True,
        )
    ],
)
cli.callback = click.pass_context(_language)
for _command in COMMANDS:  # found without building an app first
    cli.add_command(_command)


def main() -> None:
    """Entry point of the `tracker` console script."""
    for problem in _not_utf8(sys.argv[1:], os.environ):
        click.echo(f"Error: {problem}: is not UTF-8 text", err=True)
        sys.exit(2)
    try:
        cli.main(prog_name="tracker", standalone_mode=True)
    except ConfigError as error:  # a TRACKER_* setting is wrong: one line, no traceback
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)


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
