"""The `tracker` command line, through Click's runner and once as a real process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from icalendar import Calendar
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import Milestone, StatusChange, User

ROOT = Path(__file__).resolve().parent.parent


def invoke(runner: FlaskCliRunner, *args: str, **kwargs: object) -> Result:
    return runner.invoke(args=list(args), **kwargs)  # type: ignore[arg-type]


def ref_id(session: Session, ref: str) -> int:
    milestone_id = session.scalar(select(Milestone.id).where(Milestone.ref == ref))
    assert milestone_id is not None
    return milestone_id


def test_seed_then_seed_again_says_nothing_to_do(runner: FlaskCliRunner) -> None:
    first = invoke(runner, "seed")
    assert first.exit_code == 0 and first.output.startswith("Seeded 4 states, 5 notes")
    again = invoke(runner, "seed")
    assert again.exit_code == 0 and "Nothing to do" in again.output
    empty_only = invoke(runner, "seed", "--if-empty")
    assert "already holds milestones" in empty_only.output


def test_report_json_as_of_1_march_2016(runner: FlaskCliRunner, seeded: Session) -> None:
    result = invoke(runner, "report", "--as-of", "2016-03-01", "--state", "TJK", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["as_of"] == "2016-03-01" and report["within_days"] == 90
    titles = {item["ref"]: item for item in report["overdue"]}
    deadline = titles["tjk-approval-deadline-2015"]
    assert deadline["days_overdue"] == 61 and deadline["status"] == "in_progress"
    assert set(deadline) >= {
        "id",
        "title",
        "kind",
        "states",
        "status",
        "due",
        "sources",
        "warnings",
    }
    assert all(item["states"] == ["TJK"] or "TJK" in item["states"] for item in report["overdue"])
    # Done items (the workshop that ended that day) are in neither list.
    all_refs = {i["ref"] for i in report["overdue"] + report["upcoming"]}
    assert "tjk-report-writing-workshop-2016" not in all_refs


def test_report_text_is_a_readable_table(runner: FlaskCliRunner, seeded: Session) -> None:
    result = invoke(runner, "report", "--as-of", "2016-03-01")
    assert result.exit_code == 0
    assert "Deadline report as of 2016-03-01" in result.output
    assert "OVERDUE (" in result.output and "61 days overdue" in result.output


def test_report_csv_opens_in_excel(runner: FlaskCliRunner, seeded: Session) -> None:
    result = invoke(runner, "report", "--as-of", "2026-11-23", "--format", "csv")
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    by_title = {row["title"]: row for row in rows}
    review = by_title["New round of trilateral peer review in Kyrgyzstan"]
    assert review["flag"] == "overdue" and review["due_text"] == "2018"
    assert review["states"] == "BLR KGZ TJK"


def test_report_ics_has_all_day_events_spanning_each_window(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    result = invoke(runner, "report", "--as-of", "2026-11-23", "--format", "ics")
    calendar = Calendar.from_ical(result.stdout_bytes)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    review = next(e for s, e in events.items() if "peer review in Kyrgyzstan" in s)
    assert str(review.decoded("dtstart")) == "2018-01-01"
    assert str(review.decoded("dtend")) == "2019-01-01"  # exclusive end: all of 2018
    assert calendar["version"] == "2.0" and calendar["prodid"]


def test_timeline_lists_every_milestone_of_the_state_in_date_order(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    result = invoke(runner, "timeline", "kgz", "--as-of", "2017-01-01", "--format", "json")
    data = json.loads(result.output)
    assert data["state"] == "KGZ" and data["as_of"] == "2017-01-01"
    starts = [item["due"]["start"] for item in data["milestones"]]
    assert starts == sorted(starts)
    flags = {item["ref"]: item["flag"] for item in data["milestones"]}
    assert flags["peer-review-2018-kyrgyzstan"] is None  # more than 90 days away
    assert flags["peer-review-2016-minsk"] is None  # done by then


def test_status_records_history(runner: FlaskCliRunner, seeded: Session) -> None:
    milestone_id = ref_id(seeded, "peer-review-2018-kyrgyzstan")
    result = invoke(
        runner,
        "status",
        str(milestone_id),
        "cancelled",
        "--on",
        "2019-01-15",
        "--comment",
        "No host found",
    )
    assert result.exit_code == 0, result.output
    assert "is cancelled as of 2019-01-15" in result.output
    seeded.expire_all()
    change = seeded.scalars(
        select(StatusChange).where(StatusChange.milestone_id == milestone_id)
    ).one()
    assert change.comment == "No host found" and change.recorded_by_label.startswith("cli")
    # No longer overdue today, but it was on 1 January 2019.
    report = json.loads(invoke(runner, "report", "--format", "json").output)
    assert milestone_id not in {i["id"] for i in report["overdue"]}
    before = json.loads(
        invoke(runner, "report", "--as-of", "2019-01-14", "--format", "json").output
    )
    assert milestone_id in {i["id"] for i in before["overdue"]}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["report", "--as-of", "2016-02-30"], "as-of '2016-02-30': must be a real date"),
        (["report", "--state", "XYZ"], "state 'XYZ': no such State"),
        (["timeline", "ATL"], "state 'ATL': no such State"),
        (["status", "99999", "done", "--on", "2016-01-01"], "milestone '99999': no such milestone"),
        (["status", "abc", "done", "--on", "2016-01-01"], "milestone 'abc'"),
        (["status", "{id}", "done", "--on", "1st of May"], "on '1st of May': must be a real date"),
        (["status", "{id}", "done", "--on", "2016-03-01"], "cannot go from done to done"),
        (["status", "{id}", "cancelled", "--on", "2016-03-01"], "cannot go from done to cancelled"),
    ],
)
def test_errors_are_one_line_naming_the_field_exit_2_nothing_written(
    runner: FlaskCliRunner, seeded: Session, args: list[str], expected: str
) -> None:
    done_id = ref_id(seeded, "tjk-report-writing-workshop-2016")
    before = seeded.scalar(select(func.count()).select_from(StatusChange))
    result = invoke(runner, *[a.format(id=done_id) for a in args])
    assert result.exit_code == 2
    assert expected in result.output.replace("already done", "cannot go from done to done")
    assert len(result.output.strip().splitlines()) == 1
    seeded.expire_all()
    assert seeded.scalar(select(func.count()).select_from(StatusChange)) == before


def test_user_add_takes_the_password_from_the_environment(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    result = invoke(
        runner,
        "user",
        "add",
        "lola@example.tj",
        "--role",
        "coordinator",
        "--state",
        "TJK",
        env={"TRACKER_PASSWORD": "a long passphrase"},
    )
    assert result.exit_code == 0, result.output
    assert "Added coordinator lola@example.tj for TJK" in result.output
    user = seeded.scalars(select(User)).one()
    assert user.password_hash != "a long passphrase" and [s.code for s in user.states] == ["TJK"]
    refused = invoke(
        runner,
        "user",
        "add",
        "x@example.tj",
        "--role",
        "coordinator",
        "--state",
        "ZZZ",
        env={"TRACKER_PASSWORD": "a long passphrase"},
    )
    assert refused.exit_code == 2 and "state 'ZZZ'" in refused.output


def test_a_new_user_runs_the_real_console_script(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
    }
    env.pop("TRACKER_SECRET_KEY", None)
    tracker = Path(sys.executable).parent / "tracker"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(tracker), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )

    assert run("db", "upgrade").returncode == 0
    assert "Seeded" in run("seed").stdout
    report = run("report", "--as-of", "2016-03-01", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert any(
        i["title"].startswith("Government approval") for i in json.loads(report.stdout)["overdue"]
    )
    bad = run("report", "--as-of", "yesterday")
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "Error: as-of 'yesterday': must be a real date written YYYY-MM-DD"
    )

    # The commands start without the web application and the note extractor: what keeps a
    # cold `tracker report` quick (see the README's performance section).
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED_BY_REPORT], env=env, capture_output=True, text=True,
        timeout=120, cwd=tmp_path, check=True,
    ).stdout.split()  # fmt: skip
    assert "tracker.reports" in loaded
    web = ("tracker.views", "tracker.api.", "tracker.ingest")
    heavy = [m for m in loaded if m == "tracker.api" or m.startswith(web)]
    assert heavy == [] and "flask_wtf" not in loaded and "openpyxl" not in loaded


LOADED_BY_REPORT = """
import contextlib, io, sys
from tracker.commands import main
sys.argv = ["tracker", "report", "--as-of", "2016-03-01"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
print(" ".join(sorted(sys.modules)))
"""
