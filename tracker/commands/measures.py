"""`tracker import-measures` (a plan's measures table, CSV or XLSX) and `tracker body`
(the responsible bodies its rows name)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from tracker.commands.common import fail, transaction
from tracker.commands.params import record_id
from tracker.messages import word, words
from tracker.services.bodies import (
    add_body,
    add_focal_point,
    get_body,
    list_bodies,
    remove_focal_point,
)
from tracker.services.catalogue import get_state
from tracker.services.measure_import import RowProblem, import_measures, read_table
from tracker.services.measures import get_plan_by_id
from tracker.services.users import get_user


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
        fail(
            _(
                "file %(name)s: cannot be read (%(reason)s)",
                name=repr(str(file)),
                reason=error.strerror or error,
            )
        )
    with transaction() as session:
        plan = get_plan_by_id(session, plan_id)
        result = import_measures(
            session, plan, read_table(file.name, data), dry_run=dry_run, label="cli import"
        )
        for row, warning in result.warnings:
            click.echo(
                _("Warning: row %(row)d: %(warning)s", row=row, warning=words(warning)), err=True
            )
        if result.problems:
            session.rollback()
            for problem in result.problems:
                click.echo(_("Error: %(problem)s", problem=row_problem(problem)), err=True)
            raise SystemExit(2)
    if dry_run:
        done = ngettext(
            "Plan %(id)s (%(title)s): would import %(num)d measure.",
            "Plan %(id)s (%(title)s): would import %(num)d measures.",
            len(result.drafts),
            id=plan.id,
            title=plan.title,
        )
    else:
        done = ngettext(
            "Plan %(id)s (%(title)s): imported %(num)d measure.",
            "Plan %(id)s (%(title)s): imported %(num)d measures.",
            len(result.drafts),
            id=plan.id,
            title=plan.title,
        )
    click.echo(done)


def row_problem(problem: RowProblem) -> str:
    """One row's problem in the CLI's language: row N: FIELD 'VALUE' REASON."""
    shown = problem.value if len(problem.value) <= 60 else problem.value[:57] + "..."
    return str(
        _(
            "row %(row)d: %(field)s %(value)s %(reason)s",
            row=problem.row,
            field=problem.field,
            value=repr(shown),
            reason=word(problem.code, problem.params),
        )
    )


@click.group("body")
def body_group() -> None:
    """Responsible bodies (ministries, agencies) that plans' measures name."""


@body_group.command("add")
@with_appcontext
@click.argument("state")
@click.argument("name_en")
@click.option("--ru", "name_ru", default="", help="The body's name in Russian.")
@click.option("--alias", "aliases", multiple=True, help="Another name imports may use (repeat).")
def add_body_command(state: str, name_en: str, name_ru: str, aliases: tuple[str, ...]) -> None:
    """Register a State's body by its English name (and Russian name, aliases)."""
    with transaction() as session:
        body = add_body(session, state, name_en, name_ru, aliases)
    click.echo(
        _(
            "Body %(id)s: %(name)s (%(state)s).",
            id=body.id,
            name=body.name_en,
            state=body.state_code,
        )
    )


@body_group.command("list")
@with_appcontext
@click.argument("state")
def list_bodies_command(state: str) -> None:
    """A State's bodies: id, English name, Russian name, aliases."""
    with transaction() as session:
        code = get_state(session, state).code
        for body in list_bodies(session, [code]):
            names = " | ".join(n for n in (body.name_ru, "; ".join(body.alias_list)) if n)
            click.echo(f"{body.id}\t{body.name_en}" + (f"\t{names}" if names else ""))


@body_group.group("focal-point")
def focal_point_group() -> None:
    """A body's focal points: accounts that record progress on its measures and get its
    reminders."""


@focal_point_group.command("add")
@with_appcontext
@click.argument("body_id", metavar="BODY", type=record_id("body"))
@click.argument("email")
def add_focal_point_command(body_id: int, email: str) -> None:
    """Make the account with this e-mail a focal point of body BODY (its id)."""
    with transaction() as session:
        body = get_body(session, body_id)
        account = get_user(session, email)
        add_focal_point(session, body, account)
    click.echo(
        _(
            "%(email)s is a focal point of %(body)s (%(state)s).",
            email=account.email,
            body=body.name_en,
            state=body.state_code,
        )
    )


@focal_point_group.command("remove")
@with_appcontext
@click.argument("body_id", metavar="BODY", type=record_id("body"))
@click.argument("email")
def remove_focal_point_command(body_id: int, email: str) -> None:
    """The account with this e-mail is no longer a focal point of body BODY."""
    with transaction() as session:
        body = get_body(session, body_id)
        account = get_user(session, email)
        remove_focal_point(session, body, account)
    click.echo(
        _(
            "%(email)s is no longer a focal point of %(body)s.",
            email=account.email,
            body=body.name_en,
        )
    )


@focal_point_group.command("list")
@with_appcontext
@click.argument("body_id", metavar="BODY", type=record_id("body"))
def list_focal_points_command(body_id: int) -> None:
    """The focal points of body BODY, one e-mail a line."""
    with transaction() as session:
        for account in get_body(session, body_id).focal_points:
            click.echo(account.email)
