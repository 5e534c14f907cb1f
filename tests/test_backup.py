"""`tracker backup` and `tracker restore`: a restored database answers the same report."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import make_url, select
from sqlalchemy.orm import Session

import config
from tracker import create_app, reports
from tracker.api.serializers import report_json
from tracker.db import get_session
from tracker.models import Milestone

AS_OF = date(2016, 3, 1)


def report(app: Flask) -> dict[str, Any]:
    """The deadline report as of 1 March 2016, read on a fresh session."""
    with app.app_context():
        answer = report_json(reports.build_report(get_session(), AS_OF, 365))
    return answer


@pytest.fixture
def on_sqlite(app: Flask) -> Path:
    """The SQLite file of the app's database (SQLite-only tests skip on PostgreSQL)."""
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() != "sqlite":
        pytest.skip("backup and restore copy SQLite files; PostgreSQL uses pg_dump")
    return Path(url.database or "")


def test_a_backup_opens_on_its_own_and_answers_the_same_report(
    app: Flask, runner: FlaskCliRunner, seeded: Session, on_sqlite: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "nap-backup.sqlite3"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    copy = create_app(config.TestConfig(f"sqlite:///{backup}"))
    assert report(copy) == report(app) and report(copy)["overdue"]
    copy.extensions["tracker.engine"].dispose()


def test_restore_brings_back_the_report_of_the_backup(
    app: Flask, runner: FlaskCliRunner, seeded: Session, on_sqlite: Path, tmp_path: Path
) -> None:
    before = report(app)
    backup = tmp_path / "nap-backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    vienna = seeded.scalar(select(Milestone.id).where(Milestone.ref.like("tjk-wg-session%")))
    changed = runner.invoke(args=["status", str(vienna), "done", "--on", "2015-10-09"])
    assert changed.exit_code == 0, changed.output
    assert report(app) != before
    seeded.close()
    restored = runner.invoke(args=["restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output
    assert report(app) == before


def test_a_backup_taken_during_a_write_holds_only_committed_data(
    app: Flask, runner: FlaskCliRunner, seeded: Session, on_sqlite: Path, tmp_path: Path
) -> None:
    writer = sqlite3.connect(on_sqlite, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE milestones SET title = 'half-written'")
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "during.sqlite3")])
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "during.sqlite3")
    titles = {title for (title,) in copy.execute("SELECT title FROM milestones")}
    copy.close()
    assert "half-written" not in titles and len(titles) == 16


def test_restore_refuses_a_database_that_is_not_the_trackers(
    app: Flask, runner: FlaskCliRunner, seeded: Session, on_sqlite: Path, tmp_path: Path
) -> None:
    stranger = tmp_path / "other.sqlite3"
    sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.close()
    result = runner.invoke(args=["restore", str(stranger), "--yes"])
    assert result.exit_code == 2 and "not a tracker database" in result.output
    assert report(app)["overdue"]


def test_restore_asks_before_replacing(
    app: Flask, runner: FlaskCliRunner, seeded: Session, on_sqlite: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "nap-backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1 and "Replace" in result.output


def test_on_postgresql_backup_prints_the_pg_dump_command_without_the_password(
    app: Flask, runner: FlaskCliRunner
) -> None:
    url = make_url(app.config["DATABASE_URL"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    result = runner.invoke(args=["backup", "/backups/nap.dump"])
    assert result.exit_code == 0
    command = result.stdout.strip()
    assert command.startswith("pg_dump --format=custom --file='/backups/nap.dump' 'postgresql://")
    assert f"/{url.database}'" in command and "+psycopg" not in command
    assert url.password is None or str(url.password) not in command
