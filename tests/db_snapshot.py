"""A snapshot of every table, to show that a refused request changed nothing.

Reusable by the API, web-form and CLI tests:

    with unchanged(app.extensions["tracker.engine"]):
        response = client.post(...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, select

from tracker.models import Base

# Touched by every authenticated API request, refused or not; not a change of data.
VOLATILE = {("api_tokens", "last_used_at")}
# A signed-in look at the dashboard notes the visit (for "N changes since your last visit").
VOLATILE |= {("users", "last_seen_at"), ("users", "previous_visit_at")}
# A refused sign-in is counted by the throttle: that is what refusing it means, not data.
VOLATILE_TABLES = {"login_failures"}

Snapshot = dict[str, list[tuple[Any, ...]]]


def database_snapshot(engine: Engine) -> Snapshot:
    """Every row of every table (committed data, read on a connection of its own)."""
    snapshot: Snapshot = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            stmt = select(*columns).order_by(*table.primary_key.columns)
            snapshot[table.name] = [tuple(row) for row in connection.execute(stmt)]
    return snapshot


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """Which tables changed and how many rows they gained or lost, for a failure message."""
    return [
        f"{name}: {len(before[name])} rows -> {len(after[name])} rows"
        + ("" if len(before[name]) != len(after[name]) else " (same count, changed values)")
        for name in before
        if before[name] != after[name]
    ]


@contextmanager
def unchanged(engine: Engine) -> Iterator[Snapshot]:
    """Fail unless the database holds exactly the same rows after the block as before it."""
    before = database_snapshot(engine)
    yield before
    after = database_snapshot(engine)
    assert after == before, "the database changed: " + "; ".join(differences(before, after))
