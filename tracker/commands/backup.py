"""`tracker backup` and `tracker restore`: an online copy of the database, and putting one back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import make_url

from tracker.commands.common import fail

SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_path() -> Path | None:
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        fail(_("the database is in memory; there is nothing to back up"))
    return Path(url.database)


def _libpq_url() -> str:
    """The database URL as pg_dump reads it, without the password (use PGPASSWORD)."""
    url = make_url(current_app.config["DATABASE_URL"]).set(drivername="postgresql", password=None)
    return url.render_as_string(hide_password=False)


def _quoted(value: object) -> str:
    """VALUE as one shell word, so a printed command stays safe to paste ("it's" too)."""
    return "'" + str(value).replace("'", "'\"'\"'") + "'"


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def backup_command(path: Path, force: bool) -> None:
    """Copy the SQLite database to PATH while it runs (PostgreSQL: print the pg_dump command)."""
    source = _sqlite_path()
    if source is None:
        click.echo(_("PostgreSQL is backed up with pg_dump (password from PGPASSWORD):"), err=True)
        click.echo(f"pg_dump --format=custom --file={_quoted(path)} {_quoted(_libpq_url())}")
        return
    if path.exists() and not force:
        fail(_("%(path)s exists; choose a new file or pass --force", path=path))
    if path.exists() and not _is_sqlite(path):
        fail(
            _(
                "%(path)s exists and is not a SQLite database; --force only replaces an old backup",
                path=path,
            )
        )
    if not path.parent.is_dir():
        fail(_("%(path)s is not a directory", path=path.parent))
    _copy_sqlite(source, path)
    click.echo(_("Backed up %(source)s to %(path)s.", source=source, path=path))


def _is_sqlite(path: Path) -> bool:
    """A SQLite file, or an empty one (which SQLite opens as an empty database)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    return header in (b"", SQLITE_HEADER)


def _copy_sqlite(source: Path, target: Path) -> None:
    # The online backup API copies a consistent snapshot even while others write.
    try:
        with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
            live.backup(copy)
        live.close()
        copy.close()
    except (sqlite3.Error, OSError) as error:
        fail(
            _(
                "%(target)s: cannot copy %(source)s there (%(error)s)",
                target=target,
                source=source,
                error=error,
            )
        )


def _check_backup(path: Path) -> str:
    """The backup's schema revision, once it is known to be a sound tracker database."""
    if not path.is_file():
        fail(_("%(path)s: no such file", path=path))
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            fail(_("%(path)s: not a SQLite database", path=path))
    try:
        # As a URI, so that mode=ro holds: '#', '?' and '%' in the path are escaped.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        fail(_("%(path)s: cannot be opened (%(error)s)", path=path, error=error))
    try:
        if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            fail(_("%(path)s: the database is damaged (integrity check failed)", path=path))
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        fail(_("%(path)s: not a tracker database (%(error)s)", path=path, error=error))
    finally:
        connection.close()
    return str(revision[0]) if revision else "none"


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database with a backup made by `tracker backup`."""
    target = _sqlite_path()
    if target is None:
        click.echo(
            _("PostgreSQL is restored with pg_restore (password from PGPASSWORD):"), err=True
        )
        database = _quoted(_libpq_url())
        click.echo(f"pg_restore --clean --if-exists --dbname={database} {_quoted(path)}")
        return
    revision = _check_backup(path)
    if not yes:
        click.confirm(f"Replace {target} with {path}?", abort=True)
    current_app.extensions["tracker.engine"].dispose()
    _copy_sqlite(path, target)
    click.echo(
        _(
            "Restored %(target)s from %(path)s (schema revision %(revision)s).",
            target=target,
            path=path,
            revision=revision,
        )
    )
    click.echo(_("Run `tracker db upgrade` if the backup is older than this version."))
