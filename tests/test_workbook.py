"""The report's workbook, opened as Excel would: sheets per section and per State, a bold
frozen header with a filter, widths, words instead of codes, real dates, the sources."""

from __future__ import annotations

import io
from datetime import date, datetime

from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy.orm import Session

from tests.factories import make_milestone
from tracker import services

QUERY = "as_of=2016-03-01&within=3660"
CODES = {
    "review_meeting",
    "in_progress",
    "approval_deadline",
    "national_report",
    "peer_review",
    "round_table",
}


def workbook(client: FlaskClient, query: str = QUERY) -> Workbook:
    response = client.get(f"/report.xlsx?{query}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def test_a_sheet_per_section_then_a_summary_per_state(seeded: Session, client: FlaskClient) -> None:
    book = workbook(client)
    assert book.sheetnames == [
        "Overdue",
        "Upcoming",
        "Needs review",
        "Summary BLR",
        "Summary KGZ",
        "Summary TJK",
        "Summary UZB",
    ]
    assert workbook(client, QUERY + "&state=TJK").sheetnames[3:] == ["Summary TJK"]


def test_table_sheets_have_a_bold_frozen_filtered_header_and_widths(
    seeded: Session, client: FlaskClient
) -> None:
    book = workbook(client)
    for name in ("Overdue", "Upcoming", "Needs review"):
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header[:3] == ["Flag", "ID", "Milestone"] and "Source quotes" in header
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:O{max(1, sheet.max_row)}"
        widths = {c: sheet.column_dimensions[c].width for c in "CGN"}
        assert widths["C"] >= 40 and widths["N"] >= 60 and 15 <= widths["G"] <= 30


def test_rows_show_words_real_dates_precision_and_sources(
    seeded: Session, client: FlaskClient
) -> None:
    book = workbook(client)
    report = client.get(f"/api/v1/report?{QUERY}").get_json()
    rows = {
        row[1]: dict(zip([c.value for c in book["Overdue"][1]], row, strict=True))
        for row in book["Overdue"].iter_rows(min_row=2, values_only=True)
    }
    assert set(rows) == {i["id"] for i in report["overdue"]}
    for item in report["overdue"]:
        row = rows[item["id"]]
        assert row["Flag"] == "Overdue" and row["Milestone"] == item["title"]
        assert row["From"] == datetime.fromisoformat(item["due"]["start"])  # a real date
        assert row["To"] == datetime.fromisoformat(item["due"]["end"])
        assert row["Due (as written)"] == item["due"]["text"]
        assert row["Precision"].startswith(("to the ", "a period"))
        assert row["Days overdue"] == item["days_overdue"]
        for source in item["sources"]:
            name = services.get_note(seeded, source["note"]).name  # the API names it by slug
            assert f"{name}: \u201c{source['quote']}\u201d" in row["Source quotes"]
    approval = next(r for r in rows.values() if r["Due (as written)"] == "31 December 2015")
    assert approval["Kind"] == "Approval deadline" and approval["Status"] == "In progress"
    assert approval["Precision"] == "to the day"
    assert "Tajikistan" in approval["States"]
    date_cells = [c for c in book["Overdue"]["I"][1:]]
    assert date_cells and all(c.is_date and c.number_format == "d mmm yyyy" for c in date_cells)
    # no internal code anywhere in the table sheets
    for name in ("Overdue", "Upcoming", "Needs review"):
        for row in book[name].iter_rows(min_row=2, values_only=True):
            shown = {str(v) for v in row[:8]}
            assert not shown & CODES, row
            assert "BLR KGZ TJK" not in shown


def test_needs_review_lists_the_items_with_data_warnings(
    seeded: Session, client: FlaskClient
) -> None:
    book = workbook(client, "as_of=2003-06-01&within=3660")
    report = client.get("/api/v1/report?as_of=2003-06-01&within=3660").get_json()
    warned = {i["id"] for i in report["overdue"] + report["upcoming"] if i["warnings"]}
    assert warned  # the first Tajik report, "January 2004", before resolution 1540
    listed = {row[1] for row in book["Needs review"].iter_rows(min_row=2, values_only=True)}
    assert listed == warned
    for row in book["Needs review"].iter_rows(min_row=2, values_only=True):
        assert row[14]  # the warning itself


def test_state_summary_counts_statuses_and_kinds_and_the_on_time_rate(
    session: Session, client: FlaskClient
) -> None:
    from tracker import services

    on_time = make_milestone(session, title="On time", due="2015", kind="national_report")
    late = make_milestone(session, title="Late", due="2014", kind="national_report")
    make_milestone(session, title="Overdue", due="2013", kind="workshop")
    make_milestone(session, title="Later", due="2030", kind="workshop")
    services.change_status(session, on_time, "done", date(2015, 6, 1))
    services.change_status(session, late, "done", date(2015, 6, 1))
    session.commit()
    book = workbook(client, "as_of=2016-01-01&state=TJK")
    sheet = book["Summary TJK"]
    values = {
        row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]
    }
    assert sheet["A1"].value == "Tajikistan (TJK)" and sheet["A1"].font.bold
    assert values["Done"] == 2 and values["Planned"] == 2 and values["In progress"] == 0
    assert values["National report"] == 2 and values["Workshop / training"] == 2
    assert values["Overdue now"] == 1
    assert values["Done by the last day of their window"] == 1
    assert values["Done later than that"] == 1
    assert values["On-time rate"] == 1 / 3  # one on time, of two done and one overdue
    rate = next(c for c in sheet["B"] if c.value == 1 / 3)
    assert rate.number_format == "0%"
