"""Alembic environment: the same database URL and metadata as the application."""

from __future__ import annotations

from alembic import context
from alembic.util import CommandError
from sqlalchemy import Connection

from config import database_url
from tracker.db import foreign_key_violations, make_migration_engine
from tracker.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    # Callers (the tracker CLI, the tests) may pass a URL; otherwise the app's own setting.
    url: str = config.attributes.get("url") or database_url()
    return url


def _include_name(name: str | None, type_: str, _parents: object) -> bool:
    # The search index belongs to the database (triggers; FTS5 on SQLite), not to the models.
    return not (type_ == "table" and (name or "").startswith("search_documents"))


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations in one transaction, checking foreign keys before it commits."""
    connection = config.attributes.get("connection")
    if connection is not None:  # the caller's; inside its transaction (a dry run rolls back)
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_migration_engine(_url())
    try:
        with engine.connect() as connection, connection.begin():
            _configure(connection)
            context.run_migrations()
            broken = foreign_key_violations(connection)
            if broken:  # raising rolls the whole migration back
                raise CommandError(f"foreign keys broken by the migration: {', '.join(broken)}")
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
