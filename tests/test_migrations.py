"""Alembic: empty database to head, no drift from the models, every revision down and up."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from tests.conftest import BACKENDS, PostgresDatabases, fresh_database_url
from tracker.cli import alembic_config
from tracker.models import Base


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_build_the_models_schema_and_walk_down_and_up(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    url = fresh_database_url(backend, tmp_path, postgres)
    config = alembic_config(url)
    command.upgrade(config, "head")
    command.check(config)  # raises if the models and the migrations disagree
    engine = create_engine(url)
    assert set(inspect(engine).get_table_names()) >= set(Base.metadata.tables)

    revisions = list(ScriptDirectory.from_config(config).walk_revisions())
    for revision in revisions:  # newest first
        command.downgrade(config, revision.down_revision or "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    for revision in reversed(revisions):
        command.upgrade(config, revision.revision)
    command.check(config)
    engine.dispose()


def test_revision_files_are_date_prefixed() -> None:
    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    names = [p.name for p in versions.glob("*.py")]
    assert names and all(name[:8].isdigit() for name in names)
