"""The side-by-side script's pure parts: reading wrk, and what Redmine is given of the data.

No test needs Redmine: the rows are checked as built, before any database sees them.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from bench import peer
from bench.peer import (
    INSERTS,
    PAIRS,
    BenchMilestone,
    RedmineIds,
    parse_wrk,
    peer_paths,
    redmine_rows,
)

IDS = RedmineIds(
    tracker_ids=[1, 2, 3],
    open_status_ids=[1, 2, 3, 4],
    closed_status_ids=[5, 6],
    priority_id=2,
    author_id=1,
)
STATES = [("TJK", "Tajikistan"), ("BLR", "Belarus"), ("KGZ", "Kyrgyzstan")]


def _milestone(id: int, status: str, states: tuple[str, ...], host: str | None = None,
               ) -> BenchMilestone:  # fmt: skip
    return BenchMilestone(
        id=id, title=f"Peer review {id}", due_start=date(2017, 8, 2), due_end=date(2017, 8, 4),
        status=status, status_since=date(2017, 8, 4), states=states, host=host,
    )  # fmt: skip


def _issue(rows: list[tuple[object, ...]], issue_id: int) -> dict[str, object]:
    columns = [c.strip() for c in INSERTS["issues"].split(",")]
    return next(dict(zip(columns, row, strict=True)) for row in rows if row[0] == issue_id)


def test_wrk_result_line_of_the_lua_script_is_read() -> None:
    output = (
        "Running 5s test @ http://127.0.0.1:8000/\n  2 threads and 16 connections\n"
        'RESULT {"requests": 41, "rps": 8.1, "p50_ms": 1890.50, "p95_ms": 2400.00, '
        '"p99_ms": 2500.00, "errors": 0}\n'
    )
    assert parse_wrk(output) == {
        "requests": 41, "rps": 8.1, "p50_ms": 1890.5, "p95_ms": 2400.0, "p99_ms": 2500.0,
        "errors": 0,
    }  # fmt: skip


def test_wrk_plain_summary_is_read_with_its_errors() -> None:
    output = """Running 5s test @ http://127.0.0.1:3000/issues
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.98s   201.41ms   2.40s    70.00%
    Req/Sec     5.00      3.16    10.00     60.00%
  38 requests in 5.03s, 2.10MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:      7.55
Transfer/sec:    427.10KB
"""
    assert parse_wrk(output) == {"requests": 38, "rps": 7.55, "errors": 5}


def test_wrk_output_without_figures_is_refused() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:3000 Connection refused\n")


def test_one_public_project_per_state_with_issue_tracking_and_gantt() -> None:
    rows = redmine_rows(STATES, [], IDS, datetime(2026, 12, 2, 12, 0))
    columns = [c.strip() for c in INSERTS["projects"].split(",")]
    projects = [dict(zip(columns, row, strict=True)) for row in rows.projects]
    assert [(p["identifier"], p["name"], p["is_public"]) for p in projects] == [
        ("blr", "Belarus", 1), ("kgz", "Kyrgyzstan", 1), ("tjk", "Tajikistan", 1),
    ]  # fmt: skip
    # A flat nested set: each project its own root, lft < rgt, no overlap.
    assert [(p["lft"], p["rgt"]) for p in projects] == [(1, 2), (3, 4), (5, 6)]
    assert {(1, "issue_tracking"), (1, "gantt")} <= set(rows.enabled_modules)
    assert len(rows.projects_trackers) == 3 * len(IDS.tracker_ids)


def test_one_issue_per_milestone_with_its_window_and_open_or_closed_status() -> None:
    milestones = [
        _milestone(1, "planned", ("TJK",)),
        _milestone(2, "in_progress", ("TJK",)),
        _milestone(3, "done", ("BLR", "KGZ", "TJK"), host="TJK"),
        _milestone(4, "cancelled", ("KGZ", "TJK")),
    ]
    rows = redmine_rows(STATES, milestones, IDS, datetime(2026, 12, 2, 12, 0))
    assert len(rows.issues) == 4
    first = _issue(rows.issues, 1)
    assert (first["start_date"], first["due_date"]) == ("2017-08-02", "2017-08-04")
    assert first["subject"] == "Peer review 1"
    assert (first["root_id"], first["lft"], first["rgt"]) == (1, 1, 2)
    assert [_issue(rows.issues, i)["status_id"] for i in (1, 2, 3, 4)] == [1, 2, 5, 6]
    assert _issue(rows.issues, 1)["closed_on"] is None
    assert _issue(rows.issues, 3)["closed_on"] == "2017-08-04 12:00:00"
    # A regional milestone goes to its host's project, else to its first State's.
    tjk, kgz = 3, 2  # projects in code order: BLR, KGZ, TJK
    assert _issue(rows.issues, 3)["project_id"] == tjk
    assert _issue(rows.issues, 4)["project_id"] == kgz


def test_redmine_queries_filter_open_issues_by_due_date() -> None:
    paths = peer_paths()
    assert {p.peer for p in PAIRS} <= set(paths)
    overdue = urlsplit(paths["overdue_100"])
    query = parse_qsl(overdue.query)
    assert overdue.path == "/issues"
    assert ("op[status_id]", "o") in query and ("op[due_date]", "<=") in query
    assert ("v[due_date][]", "2025-06-29") in query and ("per_page", "100") in query
    assert ("v[due_date][]", "2025-09-28") in parse_qsl(urlsplit(paths["csv"]).query)
    assert urlsplit(paths["csv"]).path == "/issues.csv"


def test_without_root_the_install_says_why_and_measures_nothing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(peer, "missing_packages", lambda: ["redmine", "puma"])
    monkeypatch.setattr(peer.os, "geteuid", lambda: 1000)
    monkeypatch.setattr(peer, "run", lambda args: pytest.fail("measured without Redmine"))
    out = tmp_path / "peer-results.json"
    monkeypatch.setattr(sys, "argv", ["bench.peer", "--install", "--out", str(out)])
    peer.main()  # returns normally: make bench-peer exits 0
    assert "no side-by-side figures: installing Redmine needs root" in capsys.readouterr().out
    assert not out.exists()


def test_without_install_it_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(peer, "missing_packages", lambda: ["wrk"])
    with pytest.raises(peer.Unavailable, match="not installed: wrk"):
        peer.ensure_redmine(install=False)


def test_slow_pages_are_loaded_long_enough_to_serve_every_connection() -> None:
    assert peer.wrk_seconds(20, 5, 120) == 5  # fast: the least duration
    assert peer.wrk_seconds(2000, 5, 120) == 24  # 16 connections x 2 s / 2 workers x 1.5
    assert peer.wrk_seconds(60_000, 5, 120) == 120  # capped
