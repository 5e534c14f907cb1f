"""Alembic's settings, and what a schema downgrade would drop (found by running it in a
transaction that is rolled back)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from tracker.db import make_migration_engine

if TYPE_CHECKING:  # alembic costs ~0.2 s to import; only the db commands need it
    from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Per table: its row count and, per column, how many rows hold a value there.
Snapshot = dict[str, tuple[int, dict[str, int]]]


@dataclass(frozen=True, slots=True)
class Loss:
    """Data a downgrade removes: a whole table, one column's values, or rows of a table."""

    table: str
    rows: int
    column: str | None = None
    dropped: bool = True

    def __str__(self) -> str:
        if self.column:
            return f"column {self.table}.{self.column} ({self.rows} values)"
        if self.dropped:
            return f"table {self.table} ({_rows(self.rows)})"
        return f"{_rows(self.rows)} of {self.table}"


def alembic_config(url: str) -> AlembicConfig:
    """Alembic settings for the app's database."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def downgrade_losses(url: str, revision: str) -> list[Loss]:
    """Run the downgrade to REVISION, note what disappeared, and roll it all back."""
    from alembic import command

    engine = make_migration_engine(url)
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            before = _snapshot(connection)
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
            after = _snapshot(connection)
            transaction.rollback()
    finally:
        engine.dispose()
    return _compare(before, after)


def _snapshot(connection: Connection) -> Snapshot:
    inspector = inspect(connection)
    snapshot: Snapshot = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        columns = [c["name"] for c in inspector.get_columns(table)]
        counts = ", ".join(["count(*)", *(f'count("{c}")' for c in columns)])
        total, *filled = connection.execute(text(f'SELECT {counts} FROM "{table}"')).one()
        snapshot[table] = (total, dict(zip(columns, filled, strict=True)))
    return snapshot


def _compare(before: Snapshot, after: Snapshot) -> list[Loss]:
    losses: list[Loss] = []
    for table, (rows, columns) in before.items():
        if table not in after:
            losses.append(Loss(table, rows))
            continue
        rows_after, columns_after = after[table]
        if rows_after < rows:
            losses.append(Loss(table, rows - rows_after, dropped=False))
        losses += [
            Loss(table, filled, column)
            for column, filled in columns.items()
            if column not in columns_after and filled
        ]
    return losses


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
