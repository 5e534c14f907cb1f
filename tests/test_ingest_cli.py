"""`tracker import-note` and `python -m tracker.ingest.evaluate`, as a coordinator runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.ingest.evaluate import main as evaluate_main
from tracker.models import Citation, Milestone, SourceNote
from tracker.seeding import SEEDS_DIR
from tracker.services import imports
from tracker.services.common import ServiceError

EXTRA = Path(__file__).parent / "data" / "ingest" / "notes"
NOTE_007 = EXTRA / "007_cholpon_ata_peer_review.txt"


def invoke(runner: FlaskCliRunner, *args: str, **kwargs: object) -> Result:
    return runner.invoke(args=list(args), **kwargs)  # type: ignore[arg-type]


def counts(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(  # type: ignore[return-value]
        session.scalar(select(func.count()).select_from(m)) or 0
        for m in (SourceNote, Milestone, Citation)
    )


def test_dry_run_json_shows_proposals_and_writes_nothing(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    before = counts(seeded)
    result = invoke(runner, "import-note", str(NOTE_007), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["note"]["slug"] == "007_cholpon_ata_peer_review"
    first = shown["proposals"][0]
    assert first["action"] == "cite" and first["milestone"]["due"] == "10-11 September 2018"
    assert first["quote"] in NOTE_007.read_text(encoding="utf-8")
    assert 0 <= first["confidence"] <= 1 and first["matches"]
    assert counts(seeded) == before


def test_yes_saves_everything_in_one_go_and_twice_is_refused(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    notes, milestones, citations = counts(seeded)
    result = invoke(runner, "import-note", str(NOTE_007), "--yes")
    assert result.exit_code == 0, result.output
    assert "2 milestones created, 2 cited" in result.output
    assert counts(seeded) == (
        notes + 1,
        milestones + 2,
        citations + 5,
    )  # the main event cites two lines
    again = invoke(runner, "import-note", str(NOTE_007), "--yes")
    assert again.exit_code == 2
    assert "already stored as note '007_cholpon_ata_peer_review'" in again.output


def test_answers_choose_what_is_saved(runner: FlaskCliRunner, seeded: Session) -> None:
    _, milestones, _ = counts(seeded)
    result = invoke(runner, "import-note", str(NOTE_007), input="y\ny\nn\nn\n")
    assert result.exit_code == 0, result.output
    assert "Save proposal 3 (create New national report)?" in result.output
    assert counts(seeded)[1] == milestones


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00\x01\x02 Event: workshop", "is binary, not text"),
        (b"%PDF-1.4\x00\x01\x02", "is damaged or not a readable PDF"),
        (b"Event: r\xe9union\n", "is not UTF-8 text"),
        (b"x" * 1_000_001, "is larger than the 1000000-byte limit"),
        (b"x" * (2 * 1024 * 1024 + 1), "is 2097153 bytes; the limit is 2 MiB (2097152 bytes)"),
        (b"   \n", "the note is empty"),
    ],
)
def test_unreadable_files_are_refused_in_one_line(
    runner: FlaskCliRunner, session: Session, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(content)
    result = invoke(runner, "import-note", str(path), "--yes")
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert counts(session) == (0, 0, 0)


def test_missing_file_names_the_file(runner: FlaskCliRunner, session: Session) -> None:
    result = invoke(runner, "import-note", "/nonexistent/note.txt")
    assert result.exit_code == 2 and "'/nonexistent/note.txt'" in result.output


def test_error_while_saving_leaves_the_database_as_it_was(
    runner: FlaskCliRunner, seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts(seeded)
    real_cite = imports.cite

    def cite_then_fail(*args: Any, **kwargs: Any) -> Citation:
        if kwargs.get("milestone") is not None and kwargs["milestone"].ref is None:
            raise ServiceError("quote", "x", "refused for the test")
        return real_cite(*args, **kwargs)

    monkeypatch.setattr(imports, "cite", cite_then_fail)
    result = invoke(runner, "import-note", str(NOTE_007), "--yes")
    assert result.exit_code == 2 and "quote 'x': refused for the test" in result.output
    assert counts(seeded) == before
    assert seeded.scalar(select(SourceNote).where(SourceNote.slug.like("007%"))) is None


def test_evaluate_prints_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).parent / "data" / "ingest"
    assert (
        evaluate_main([str(SEEDS_DIR / "notes"), str(data / "notes"), str(data / "EXPECTED.json")])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    events = next(line for line in lines if line.startswith("events"))
    assert "precision 1.00" in events and "recall 1.00" in events
