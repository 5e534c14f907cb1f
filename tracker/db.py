"""Engine, session factory and one session per request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, g
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from tracker import revision


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for the URL; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def make_migration_engine(url: str) -> Engine:
    """An engine for schema changes: on SQLite, real transactions and foreign keys off.

    Alembic rebuilds a SQLite table to alter it (copy, drop, rename); with foreign keys on,
    dropping the old table fires ON DELETE CASCADE and empties every child table. The
    pysqlite driver also runs DDL outside any transaction, so a failed step would leave a
    half-migrated file; here BEGIN is explicit, and a migration commits whole or not at all.
    """
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_for_migrations)
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


def _sqlite_for_migrations(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver no longer begins or commits by itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
    cursor.close()


def foreign_key_violations(connection: Connection) -> list[str]:
    """Rows whose foreign key points nowhere (SQLite only; PostgreSQL never lets one in)."""
    if connection.dialect.name != "sqlite":
        return []
    rows = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [f"{table} row {rowid} -> {parent}" for table, rowid, parent, _fk in rows]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def init_app(app: Flask) -> None:
    """Attach an engine and a session factory to the app; close sessions after each request."""
    engine = make_engine(app.config["DATABASE_URL"], echo=app.config.get("SQL_ECHO", False))
    app.extensions["tracker.engine"] = engine
    factory = sessionmaker(engine, expire_on_commit=False)
    revision.track_writes(factory)
    app.extensions["tracker.sessionmaker"] = factory
    app.teardown_appcontext(_close_session)


def get_session() -> Session:
    """The session of the current request or CLI command."""
    if "db_session" not in g:
        from flask import current_app

        g.db_session = current_app.extensions["tracker.sessionmaker"]()
    session: Session = g.db_session
    return session


@contextmanager
def bookkeeping() -> Iterator[Session]:
    """A short transaction of its own, for what a read keeps (when a token was last used).

    It commits apart from the request's session, which only a change commits, once.
    """
    from flask import current_app

    factory = current_app.extensions["tracker.sessionmaker"]
    with factory(info={"bookkeeping": True}) as session, session.begin():
        yield session


def _close_session(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.close()
