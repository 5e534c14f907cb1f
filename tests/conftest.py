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
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from config import TestConfig, normalise_url
from tests.api_helpers import conforming_responses
from tracker import create_app
from tracker.schema_changes import alembic_config
from tracker.services import users as user_services

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


# Accounts made by the tests hash their passwords with scrypt at 1/32 of the production cost
# (N=2**10 instead of werkzeug's 2**15): the same kind of hash, checked the same way, but a
# sign-in costs milliseconds instead of most of a second on a busy 2-core machine. Production
# keeps werkzeug's default; test_accounts_security checks that it still does.
TEST_PASSWORD_HASH = "scrypt:1024:8:1"
PRODUCTION_HASH_FUNCTION = user_services.generate_password_hash


def _cheap_password_hash(password: str) -> str:
    return PRODUCTION_HASH_FUNCTION(password, method=TEST_PASSWORD_HASH)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes() -> Iterator[None]:
    """Test accounts' passwords hashed at a lower cost (see TEST_PASSWORD_HASH)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user_services, "generate_password_hash", _cheap_password_hash)
        user_services._dummy_hash.cache_clear()
        yield
    user_services._dummy_hash.cache_clear()


class PostgresDatabases:
    """Creates throwaway databases on the test server and drops them afterwards."""

    def __init__(self, url: str) -> None:
        self.server = make_url(normalise_url(url))
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def create(self, template: str | None = None) -> str:
        """A new database, empty or a copy of another one of this run's (by its URL)."""
        name = f"tracker_test_{uuid.uuid4().hex[:12]}"
        copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
        self.created.append(name)
        return self.server.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Drop one database of this run's as soon as its test is done."""
        name = make_url(url).database
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.remove(name or "")

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


@pytest.fixture(scope="session")
def seeded_templates(
    tmp_path_factory: pytest.TempPathFactory,
    migrated_templates: dict[str, str],
    postgres: PostgresDatabases | None,
) -> dict[str, str]:
    """One database per backend migrated and seeded once per run, copied for each test."""
    from tracker.seeding import load_seed_file, seed

    data = load_seed_file()
    templates = {}
    for backend, template in migrated_templates.items():
        if backend == "sqlite":
            target = tmp_path_factory.mktemp("seeded") / "seeded.sqlite3"
            shutil.copy(make_url(template).database or "", target)
            url = f"sqlite:///{target}"
        else:
            assert postgres is not None
            url = postgres.create(template=template)
        engine = create_engine(normalise_url(url))
        with Session(engine) as session:
            seed(session, data)
            session.commit()
        engine.dispose()
        templates[backend] = url
    return templates


def _database_name(url: str) -> str:
    return make_url(url).database or ""


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    migrated_templates: dict[str, str],
    postgres: PostgresDatabases | None,
) -> Iterator[str]:
    """A migrated database for one test: a copy of the empty template, or of the seeded one
    when the test asks for `seeded` (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on
    PostgreSQL), so no test pays for migrating or seeding."""
    backend: str = request.param
    templates = migrated_templates
    if "seeded" in request.fixturenames:
        templates = request.getfixturevalue("seeded_templates")
    template = templates[backend]
    if backend == "sqlite":
        target = tmp_path / "tracker.sqlite3"
        shutil.copy(_database_name(template), target)
        yield f"sqlite:///{target}"
        return
    assert postgres is not None
    url = postgres.create(template=template)
    yield url
    postgres.drop(url)


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
    """A session on a database loaded with the project's seed file (copied from a template
    seeded once per run: see `database_url`)."""
    return session
