"""Migrations keep every row (each revision walked down and up on a filled database), and
`tracker db downgrade` says what it would drop and asks first."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from email.message import Message
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, inspect, make_url, select, text
from sqlalchemy.orm import Session

from tests.conftest import BACKENDS, PostgresDatabases, fresh_database_url
from tracker import services
from tracker.ingest.files import OriginalFile
from tracker.models import Base, Milestone, User
from tracker.schema_changes import alembic_config
from tracker.seeding import load_seed_file, seed
from tracker.services import throttle
from tracker.services.imports import keep_original
from tracker.services.saved_views import save_view

Counts = dict[str, int]
# The search index is rows too (rebuilt from the others when its migration runs), but SQLite
# FTS5 keeps it in shadow tables whose row counts depend on how it laid out its segments.
SEARCH_INDEX = "search_documents"


def row_counts(url: str) -> Counts:
    """Rows per table, for every table the database has now (Alembic's own left out)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            tables = [
                t
                for t in inspect(connection).get_table_names()
                if t != "alembic_version" and not t.startswith(SEARCH_INDEX + "_")
            ]
            return {
                t: connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in tables
            }
    finally:
        engine.dispose()


def fill(url: str) -> None:
    """The seed file plus rows in the tables it leaves empty: users, their States, tokens,
    a failed sign-in, a note's original file."""
    engine = create_engine(url)
    with Session(engine) as session:
        seed(session, load_seed_file())
        services.add_user(session, "admin@example.org", "a long password", "admin")
        coordinator = services.add_user(
            session, "tjk@example.org", "a long password", "coordinator", ["TJK", "KGZ"]
        )
        services.create_token(session, coordinator, "api", "dashboard")
        services.create_token(session, coordinator, "calendar", "phone")
        save_view(session, coordinator, "Tajik report", "report", [("state", "TJK")])
        window = timedelta(minutes=15)
        throttle.record_failure(session, [throttle.Limit("address:192.0.2.1", 5, window)])
        note = services.get_note(session, "001_4e211aa1da0f2196")
        html = OriginalFile("001.html", "text/html", b"<p>The note as a web page.</p>")
        keep_original(session, note, html)
        fill_mail(session, coordinator)
        fill_measures(session)
        session.commit()
    engine.dispose()


def fill_measures(session: Session) -> None:
    """A responsible body with a focal point, and a plan's measure that names it."""
    from tracker.services.bodies import add_body, add_focal_point

    customs = add_body(
        session, "UZB", "State Customs Committee", "Государственный таможенный комитет"
    )
    focal = services.add_user(session, "customs@example.org", "a long password", "viewer")
    add_focal_point(session, customs, focal)  # a row in body_focal_points
    draft = services.MilestoneDraft(
        kind="measure",
        title="Train customs officers in export control",
        due="third quarter of 2017",
        states=["UZB"],
        plan_ref="uzb-nap-2017-2021",
        measure_number="1",
        measure_area="export_control",
        bodies="State Customs Committee",
    )
    services.create_milestone(session, draft)


def fill_mail(session: Session, user: User) -> None:
    """Mail preferences, subscriptions, a watch, a snooze, a queued reminder and its notice."""
    from tracker.mail import Letter, compose
    from tracker.services import reminders

    choice = reminders.PreferenceChoice(["TJK", "UZB"], [], "30, 7", "daily", False)
    reminders.update_preferences(session, None, user, choice)
    first, second = session.scalars(select(Milestone.id).order_by(Milestone.id).limit(2))
    reminders.watch(session, user, first, True)
    reminders.snooze(session, user, second, date(2016, 1, 1))

    def letter(to: User, notices: object, as_of: date) -> Message:
        return compose(
            Letter(to.email, "s", "t", "<p>t</p>", "https://x/u"), "n@x.org", "https://x"
        )

    assert reminders.queue_reminders(session, date(2015, 9, 8), letter)


def copy_database(url: str, tmp_path: Path, postgres: PostgresDatabases | None, name: str) -> str:
    """A copy of a database that nobody is connected to."""
    if make_url(url).get_backend_name() == "sqlite":
        target = tmp_path / f"{name}.sqlite3"
        shutil.copy(make_url(url).database or "", target)
        return f"sqlite:///{target}"
    assert postgres is not None
    source = make_url(url).database
    copy = f"{source}_{name}"
    with postgres.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"'))
    postgres.created.append(copy)
    return make_url(url).set(database=copy).render_as_string(hide_password=False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_revision_walks_down_and_up_without_losing_a_row(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    template = fresh_database_url(backend, tmp_path, postgres)
    command.upgrade(alembic_config(template), "head")
    fill(template)
    original = row_counts(template)
    assert set(original) == {*Base.metadata.tables, SEARCH_INDEX}
    empty = sorted(t for t, n in original.items() if not n)
    assert not empty, f"the test data leaves {empty} empty"

    revisions = list(ScriptDirectory.from_config(alembic_config(template)).walk_revisions())
    for depth in range(len(revisions)):  # each time one revision further down (newest first)
        url = copy_database(template, tmp_path, postgres, f"walk{depth}")
        config = alembic_config(url)
        path = revisions[: depth + 1]
        for step in path:  # down, one revision at a time
            command.downgrade(config, step.down_revision or "base")
            counts = row_counts(url)
            assert counts == {t: original[t] for t in counts}, f"down to {step.down_revision}"
        kept = set(row_counts(url))
        for step in reversed(path):  # and up again, one at a time, to head
            command.upgrade(config, step.revision)
            counts = row_counts(url)
            lost = {t: (original[t], counts[t]) for t in kept if counts[t] != original[t]}
            assert not lost, f"up to {step.revision}: table (rows before, rows now) {lost}"
        assert set(row_counts(url)) == set(original)


def test_a_migration_that_breaks_foreign_keys_is_rolled_back_whole(tmp_path: Path) -> None:
    url = fresh_database_url("sqlite", tmp_path, None)
    config = alembic_config(url)
    command.upgrade(config, "head")
    fill(url)
    engine = create_engine(url)
    with engine.begin() as connection:  # a token whose user is gone (foreign keys are off)
        connection.execute(text("UPDATE api_tokens SET user_id = 999 WHERE id = 1"))
    engine.dispose()
    before = row_counts(url)
    with pytest.raises(CommandError, match="api_tokens row 1"):
        command.downgrade(config, "-1")
    assert row_counts(url) == before  # data_revision is still there: nothing was dropped
    engine = create_engine(url)
    with engine.connect() as connection:
        head = ScriptDirectory.from_config(config).get_current_head()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            (head,)
        ]
    engine.dispose()


# --- `tracker db downgrade` ------------------------------------------------------------------


@pytest.fixture
def db_runner(app: Flask, runner: FlaskCliRunner) -> Iterator[FlaskCliRunner]:
    """The CLI runner; the database goes back to head afterwards (PostgreSQL reuses it)."""
    yield runner
    command.upgrade(alembic_config(app.config["DATABASE_URL"]), "head")


def test_downgrade_to_base_says_what_it_drops_and_waits_for_a_yes(
    app: Flask, db_runner: FlaskCliRunner, seeded: Session
) -> None:
    url = app.config["DATABASE_URL"]
    seeded.close()
    before = row_counts(url)
    refused = db_runner.invoke(args=["db", "downgrade", "base"], input="n\n")
    assert refused.exit_code != 0
    assert f"table milestones ({before['milestones']} rows)" in refused.output
    assert f"table citations ({before['citations']} rows)" in refused.output
    assert row_counts(url) == before
    done = db_runner.invoke(args=["db", "downgrade", "base", "--yes"])
    assert done.exit_code == 0, done.output
    assert "table status_changes" in done.output and row_counts(url) == {}


def test_a_downgrade_step_that_drops_a_column_asks_and_keeps_every_row(
    app: Flask, db_runner: FlaskCliRunner, seeded: Session
) -> None:
    url = app.config["DATABASE_URL"]
    seeded.close()
    before = row_counts(url)
    first = db_runner.invoke(args=["db", "downgrade", "3c5e1a7b9d20", "--yes"])
    assert first.exit_code == 0, first.output
    refused = db_runner.invoke(args=["db", "downgrade", "8f298cc98116"], input="n\n")
    assert refused.exit_code != 0 and "column milestones.status_since" in refused.output
    second = db_runner.invoke(args=["db", "downgrade", "8f298cc98116"], input="y\n")
    assert second.exit_code == 0, second.output
    counts = row_counts(url)
    # Tables newer than 8f298cc98116 (data_revision, login_failures) are gone; no other row.
    assert {"milestones", "status_changes", "citations"} <= set(counts) < set(before)
    assert counts == {t: before[t] for t in counts}
    assert db_runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert row_counts(url) == before


@pytest.mark.parametrize("command_line", [["downgrade", "nonsense"], ["upgrade", "zzz"]])
def test_an_unknown_revision_is_a_one_line_error(
    runner: FlaskCliRunner, command_line: list[str]
) -> None:
    result = runner.invoke(args=["db", *command_line])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and command_line[1] in result.output
