"""Simultaneous edits never lose or duplicate a change; a crash leaves nothing half-done.

Runs on PostgreSQL and on SQLite in WAL mode with a busy timeout (the two backends of `app`).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from tests.api_helpers import bearer, conforming_responses
from tests.db_snapshot import unchanged
from tracker import services
from tracker.models import Milestone, StatusChange

THREADS = 10
TOGGLES_EACH = 3
ON = "2015-10-01"
NEXT = {"planned": "in_progress", "in_progress": "planned"}


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    """The application, with every API response checked against the OpenAPI document."""
    with conforming_responses(app):
        yield app


@pytest.fixture
def writers(seeded: Session) -> list[dict[str, str]]:
    """One token per thread (one admin), so that requests do not queue on one token's row."""
    user = services.add_user(seeded, "osce@example.org", "a long password", "admin")
    headers = [bearer(services.create_token(seeded, user, "api")[1]) for _ in range(THREADS)]
    seeded.commit()
    return headers


@pytest.fixture
def meeting(seeded: Session) -> int:
    """A planned milestone with no history yet."""
    milestone_id = seeded.scalar(
        select(Milestone.id).where(Milestone.ref == "peer-review-2018-kyrgyzstan")
    )
    assert milestone_id is not None
    return milestone_id


def in_threads(work: Callable[[int], Any]) -> list[Any]:
    """Run work(0..THREADS-1) at once on THREADS threads."""
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(work, range(THREADS)))


def history(app: Flask, milestone_id: int) -> list[tuple[str | None, str]]:
    """The milestone's status history, read fresh from the database."""
    with Session(app.extensions["tracker.engine"]) as session:
        stmt = (
            select(StatusChange.old_status, StatusChange.new_status)
            .where(StatusChange.milestone_id == milestone_id)
            .order_by(StatusChange.effective_on, StatusChange.id)
        )
        return [(old.value if old else None, new.value) for old, new in session.execute(stmt)]


def version(app: Flask, milestone_id: int) -> int:
    """The milestone's stored version."""
    with Session(app.extensions["tracker.engine"]) as session:
        found = session.scalar(select(Milestone.version).where(Milestone.id == milestone_id))
        assert found is not None
        return found


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app: Flask) -> None:
    engine = app.extensions["tracker.engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_many_writers_with_the_same_etag_exactly_one_wins(
    app: Flask, meeting: int, writers: list[dict[str, str]]
) -> None:
    url = f"/api/v1/milestones/{meeting}"
    etag = app.test_client().get(url).headers["ETag"]
    start = threading.Barrier(THREADS)

    def attempt(n: int) -> int:
        client = app.test_client()
        start.wait()
        headers = writers[n] | {"If-Match": etag}
        change = {"status": "done", "on": ON, "comment": f"writer {n}"}
        return client.post(f"{url}/status-changes", json=change, headers=headers).status_code

    statuses = in_threads(attempt)
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 409, 412}, statuses
    assert history(app, meeting) == [(None, "done")]
    assert version(app, meeting) == int(etag.strip('"')) + 1


def test_writers_that_retry_all_succeed_and_every_change_is_in_the_history(
    app: Flask, meeting: int, writers: list[dict[str, str]]
) -> None:
    url = f"/api/v1/milestones/{meeting}"
    first_version = version(app, meeting)
    start = threading.Barrier(THREADS)

    def toggle(n: int) -> tuple[int, int]:
        client, done, refused = app.test_client(), 0, 0
        start.wait()
        while done < TOGGLES_EACH:
            current = client.get(url)
            wanted = NEXT[current.get_json()["current_status"]]
            headers = writers[n] | {"If-Match": current.headers["ETag"]}
            change = {"status": wanted, "on": ON}
            status = client.post(f"{url}/status-changes", json=change, headers=headers).status_code
            assert status in (201, 409, 412), status
            done, refused = done + (status == 201), refused + (status != 201)
        return done, refused

    results = in_threads(toggle)
    successes = sum(done for done, _ in results)
    assert successes == THREADS * TOGGLES_EACH
    changes = history(app, meeting)
    assert len(changes) == successes
    assert version(app, meeting) == first_version + successes
    # A chain with no gap: each change starts from the status the previous one left.
    assert changes[0] == (None, "in_progress")
    assert all(prev[1] == nxt[0] for prev, nxt in itertools.pairwise(changes))


# --- crashes ------------------------------------------------------------------------------


def crash_after_first_write(engine: Any) -> Callable[..., None]:
    """An engine hook that raises right after the first INSERT or UPDATE of the data."""

    def crash(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        words = statement.split(None, 3)
        if words[0] in ("INSERT", "UPDATE") and "api_tokens" not in statement[:40]:
            raise RuntimeError("injected crash after: " + statement[:60])

    event.listen(engine, "after_cursor_execute", crash)
    return crash


NEW = {"kind": "other", "title": "W", "due": "2018", "states": ["KGZ"]}
WRITES = {
    "create a milestone": ("POST", "", NEW),
    "record a status": ("POST", "/{id}/status-changes", {"status": "done", "on": ON}),
    "edit a milestone": ("PATCH", "/{id}", {"title": "Renamed", "states": ["KGZ", "TJK"]}),
}  # fmt: skip


@pytest.mark.parametrize("write", list(WRITES))
def test_a_crash_after_the_first_statement_leaves_no_partial_record(
    app: Flask, meeting: int, writers: list[dict[str, str]], write: str
) -> None:
    method, path, body = WRITES[write]
    url = "/api/v1/milestones" + path.replace("{id}", str(meeting))
    client = app.test_client()
    headers = writers[0] | {"If-Match": client.get(f"/api/v1/milestones/{meeting}").headers["ETag"]}
    engine = app.extensions["tracker.engine"]
    with unchanged(engine):
        crash = crash_after_first_write(engine)
        try:
            with pytest.raises(RuntimeError, match=r"injected crash after: (INSERT|UPDATE)"):
                client.open(url, method=method, json=body, headers=headers)
        finally:
            event.remove(engine, "after_cursor_execute", crash)
    retried = client.open(url, method=method, json=body, headers=headers)
    assert retried.status_code in (200, 201), retried.get_json()


def test_a_crash_in_a_service_write_leaves_no_partial_record(app: Flask, meeting: int) -> None:
    engine = app.extensions["tracker.engine"]
    with unchanged(engine), app.app_context(), Session(engine) as session:
        milestone = session.get(Milestone, meeting)
        assert milestone is not None
        crash = crash_after_first_write(engine)
        try:
            with pytest.raises(RuntimeError):
                services.change_status(
                    session, milestone, "done", services.parse_iso_date("on", ON)
                )
                session.commit()
        finally:
            event.remove(engine, "after_cursor_execute", crash)
            session.rollback()
    with Session(engine) as fresh:
        assert (
            fresh.scalar(select(func.count(StatusChange.id)).filter_by(milestone_id=meeting)) == 0
        )
