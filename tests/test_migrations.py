"""Alembic: empty database to head, no drift from the models, every revision down and up."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from tests.conftest import BACKENDS, PostgresDatabases, fresh_database_url
from tracker.models import Base
from tracker.schema_changes import alembic_config


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


@pytest.mark.parametrize("backend", BACKENDS)
def test_status_since_is_filled_from_the_history_of_existing_milestones(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    url = fresh_database_url(backend, tmp_path, postgres)
    config = alembic_config(url)
    command.upgrade(config, "8f298cc98116")  # the revision before status_since
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO milestones (id, kind, title, description, due_start, due_end, "
            "due_precision, due_text, venue, organisers, responsible_agency, status, version, "
            "created_at, updated_at) VALUES "
            "(1, 'approval_deadline', 'With history', '', '2015-01-01', '2015-12-31', 'year', "
            "'2015', '', '', '', 'done', 3, '2026-01-01', '2026-01-01'), "
            "(2, 'approval_deadline', 'Without', '', '2015-01-01', '2015-12-31', 'year', "
            "'2015', '', '', '', 'planned', 1, '2026-01-01', '2026-01-01')"
        ))  # fmt: skip
        connection.execute(text(
            "INSERT INTO status_changes (id, milestone_id, old_status, new_status, effective_on, "
            "recorded_at, recorded_by_label, comment) VALUES "
            "(1, 1, NULL, 'in_progress', '2015-02-01', '2026-01-01', '', ''), "
            "(2, 1, 'in_progress', 'done', '2015-11-30', '2026-01-01', '', '')"
        ))  # fmt: skip
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, status_since FROM milestones ORDER BY id"))
        assert [(i, str(d) if d else None) for i, d in rows] == [(1, "2015-11-30"), (2, None)]
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_half_year_windows_are_kept_and_a_downgrade_refuses_to_drop_them(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    url = fresh_database_url(backend, tmp_path, postgres)
    config = alembic_config(url)
    command.upgrade(config, "d5a9c3e1f7b2")  # the revision before the half-year precision
    engine = create_engine(url)
    insert = text(
        "INSERT INTO milestones (id, kind, title, description, due_start, due_end, "
        "due_precision, due_text, venue, organisers, responsible_agency, status, version, "
        "created_at, updated_at) VALUES (:id, 'other', :title, '', :start, :end, :precision, "
        ":text, '', '', '', 'planned', 1, '2026-01-01', '2026-01-01')"
    )
    with engine.begin() as connection:
        connection.execute(insert, {"id": 1, "title": "Quarter", "start": "2015-07-01",
                                    "end": "2015-09-30", "precision": "quarter",
                                    "text": "III квартал 2015 г."})  # fmt: skip
    command.upgrade(config, "head")
    with engine.begin() as connection:
        connection.execute(insert, {"id": 2, "title": "Half", "start": "2016-01-01",
                                    "end": "2016-06-30", "precision": "half_year",
                                    "text": "первое полугодие 2016 г."})  # fmt: skip
        rows = connection.execute(text("SELECT id, due_precision FROM milestones ORDER BY id"))
        assert list(rows) == [(1, "quarter"), (2, "half_year")]
        # The search index still follows the rebuilt table (its triggers were kept).
        connection.execute(text("UPDATE milestones SET title = 'Полугодие' WHERE id = 2"))
        found = "SELECT count(*) FROM search_documents WHERE body LIKE '%Полугодие%'"
        assert connection.execute(text(found)).scalar_one() == 1
    with pytest.raises(RuntimeError, match="1 milestone"):
        command.downgrade(config, "d5a9c3e1f7b2")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM milestones WHERE id = 2"))
    command.downgrade(config, "d5a9c3e1f7b2")
    with engine.begin() as connection, pytest.raises(Exception, match=r"(?i)check"):
        connection.execute(insert, {"id": 3, "title": "Half", "start": "2016-01-01",
                                    "end": "2016-06-30", "precision": "half_year",
                                    "text": "H1 2016"})  # fmt: skip
    engine.dispose()
