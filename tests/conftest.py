"""Fixtures: an app on a freshly migrated database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, insert, make_url, text
from sqlalchemy.orm import Session

from config import TestConfig, normalise_url
from tests.api_helpers import conforming_responses
from tracker import create_app
from tracker.cli import alembic_config
from tracker.models import Base, DataRevision, utcnow
from tracker.revision import new_token

POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not POSTGRES_URL,
            reason="TRACKER_TEST_POSTGRES_URL is not set: PostgreSQL tests skipped "
            "(.ci/run sets it when a server answers on 127.0.0.1:5432)",
        ),
    ),
]


def pytest_report_header() -> str:
    """Say once which databases the suite runs on, and why."""
    if POSTGRES_URL:
        return "databases: SQLite and PostgreSQL (TRACKER_TEST_POSTGRES_URL)"
    return "databases: SQLite only; PostgreSQL tests are skipped (TRACKER_TEST_POSTGRES_URL unset)"


class PostgresDatabases:
    """Creates throwaway databases on the test server and drops them afterwards."""

    def __init__(self, url: str) -> None:
        self.server = make_url(normalise_url(url))
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self) -> str:
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """A factory of fresh PostgreSQL databases, when a server is configured."""
    if not POSTGRES_URL:
        yield None
        return
    databases = PostgresDatabases(POSTGRES_URL)
    yield databases
    databases.drop_all()


def fresh_database_url(backend: str, tmp_path: Path, postgres: PostgresDatabases | None) -> str:
    """An empty database of the given kind."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert postgres is not None
    return postgres.create()


@pytest.fixture(scope="session")
def migrated_templates(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> dict[str, str]:
    """One database per backend migrated to head once per run."""
    templates = {}
    sqlite_file = tmp_path_factory.mktemp("template") / "template.sqlite3"
    templates["sqlite"] = f"sqlite:///{sqlite_file}"
    if postgres is not None:
        templates["postgresql"] = postgres.create()
    for url in templates.values():
        command.upgrade(alembic_config(url), "head")
    return templates


def _empty_tables(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # As a fresh migration leaves it: the one revision row, with a token of its own.
        connection.execute(
            insert(DataRevision).values(id=1, token=new_token(), changed_at=utcnow())
        )
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, migrated_templates: dict[str, str]
) -> str:
    """A migrated, empty database for one test (SQLite file copy, or emptied PostgreSQL)."""
    backend: str = request.param
    template = migrated_templates[backend]
    if backend == "sqlite":
        target = tmp_path / "tracker.sqlite3"
        shutil.copy(make_url(template).database or "", target)
        return f"sqlite:///{target}"
    _empty_tables(template)
    return template


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    """The application on a fresh database."""
    application = create_app(TestConfig(database_url))
    # Every /api/v1 response of the whole suite must match the OpenAPI document.
    with conforming_responses(application):
        yield application
    application.extensions["tracker.engine"].dispose()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session of the test's own on the app's database (requests get theirs)."""
    own = app.extensions["tracker.sessionmaker"]()
    yield own
    own.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture
def seeded(session: Session) -> Session:
    """A session on a database loaded with the project's seed file."""
    from tracker.seeding import load_seed_file, seed

    seed(session, load_seed_file())
    session.commit()
    return session
