"""The report and the State timeline as PDF documents: the text a reader sees, page by page."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_note
from tracker import reports, revision, services

AS_OF = "2016-03-01"


def pages(body: bytes) -> list[str]:
    """The text of each page, whitespace made single spaces."""
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def a4(body: bytes) -> bool:
    box = PdfReader(io.BytesIO(body)).pages[0].mediabox
    return (round(float(box.width)), round(float(box.height))) == (595, 842)


def _page_of(texts: list[str], needle: str) -> list[int]:
    return [k for k, page in enumerate(texts) if needle in page]


def test_report_pdf_has_title_block_page_numbers_sections_and_sources(
    seeded: Session, client: FlaskClient
) -> None:
    response = client.get(f"/report.pdf?as_of={AS_OF}&within=3660")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert a4(body)
    texts = pages(body)
    first = texts[0]
    assert "Deadline report" in first and "1 March 2016" in first
    assert "all States" in first and "within 3660 days" in first
    assert f"Data revision {revision.current(seeded)}" in first
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert f"page {number} of {total}" in text  # every page, the last too
    report = client.get(f"/api/v1/report?as_of={AS_OF}&within=3660").get_json()
    items = report["overdue"] + report["upcoming"]
    assert items
    for item in items:
        for code in item["states"]:
            # each State has its section, and the item is listed in it with its source named
            section = _page_of(texts, f"({code}) Overdue (")
            assert section, code
        for source in item["sources"]:
            name = services.get_note(seeded, source["note"]).name  # named as people read it
            assert any(name in " ".join(text.split()) for text in texts), name
        assert any(f"#{item['id']} " in text for text in texts)


def test_report_pdf_keeps_filters_and_a_short_section_on_one_page(
    seeded: Session, client: FlaskClient
) -> None:
    texts = pages(client.get(f"/report.pdf?as_of={AS_OF}&within=3660&state=KGZ").get_data())
    assert "Kyrgyzstan (KGZ)" in texts[0]
    assert "(TJK) Overdue" not in " ".join(texts)  # a filter keeps the other sections out
    # Each section of the full report is short: its heading and all its rows share a page.
    full = pages(client.get(f"/report.pdf?as_of={AS_OF}&within=3660").get_data())
    report = client.get(f"/api/v1/report?as_of={AS_OF}&within=3660").get_json()
    for code in ("BLR", "KGZ", "TJK", "UZB"):
        heading = _page_of(full, f"({code}) Overdue (")
        assert len(heading) == 1
        mine = [i for i in report["overdue"] + report["upcoming"] if code in i["states"]]
        for item in mine:
            assert f"#{item['id']} " in full[heading[0]], (code, item["id"])


def test_long_report_repeats_table_headings_and_never_splits_a_row(
    session: Session, client: FlaskClient
) -> None:
    note = make_note(session)
    quote = "Date and venue: 8-9 October 2015, Vienna, Austria"
    for k in range(70):
        milestone = make_milestone(
            session,
            title=f"Session {k:02d} of the working group on export controls and border security",
            venue="Vienna, Austria",
            due="2016",
        )
        services.cite(session, note, quote, milestone=milestone)
    session.commit()
    texts = pages(client.get("/report.pdf?as_of=2016-03-01&within=3660").get_data())
    assert len(texts) >= 3
    for text in texts:
        assert "page " in text
        if "#" in text:  # every page with rows starts its table with the headings
            assert "Due (as written) Status When Milestone Source" in text
    for k in range(70):
        where = _page_of(texts, f"Session {k:02d} of the working group")
        assert len(where) == 1, k  # a row is on one page: title, venue and quote together
        row = texts[where[0]]
        after = row[row.index(f"Session {k:02d} of") :]
        assert "Vienna, Austria" in after and "Test note (added" in after


def test_timeline_pdf_draws_the_timeline_and_names_sources(
    seeded: Session, client: FlaskClient
) -> None:
    response = client.get(f"/states/TJK/timeline.pdf?as_of={AS_OF}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    body = response.get_data()
    assert a4(body)
    texts = pages(body)
    first = texts[0]
    assert "Timeline of Tajikistan (TJK)" in first and "1 March 2016" in first
    assert "as of 2016-03-01" in first  # the drawing's as-of line label
    assert "2004" in first and "2016" in first  # its year axis
    assert "Overdue · 31 December 2015" in first  # a row of the drawing
    timeline = reports.timeline(seeded, "TJK", date(2016, 3, 1))
    joined = " ".join(texts)
    for item in timeline.milestones:
        assert f"#{item.id} " in joined
        for source in item.sources:
            assert source.label in joined
    assert f"page {len(texts)} of {len(texts)}" in texts[-1]


def test_timeline_pdf_applies_filters_and_refuses_bad_ones(
    seeded: Session, client: FlaskClient
) -> None:
    texts = pages(client.get(f"/states/TJK/timeline.pdf?as_of={AS_OF}&status=done").get_data())
    assert "status: done" in texts[0]
    assert "planned" not in " ".join(texts).split("Milestones In date order")[-1]
    for query, status in [
        ("kind=party", 400),
        ("status=%27%3B--", 400),
        ("as_of=2016-02-30", 400),
        ("within=-1", 400),
    ]:
        response = client.get(f"/states/TJK/timeline.pdf?{query}")
        assert response.status_code == status, query
        assert b"Traceback" not in response.get_data()
    assert client.get("/states/XXX/timeline.pdf").status_code == 404
    assert client.get("/report.pdf?as_of=tomorrow").status_code == 400
    assert client.get("/report.pdf?state=ZZZ").status_code in (400, 404)


def test_pdf_prints_russian_text(session: Session, client: FlaskClient) -> None:
    make_milestone(session, title="Круглый стол по НПД в Душанбе", venue="Душанбе", due="2016")
    session.commit()
    texts = pages(client.get("/report.pdf?as_of=2016-03-01&within=3660").get_data())
    assert "Круглый стол по НПД в Душанбе" in " ".join(texts)


def test_cli_writes_the_report_pdf(seeded: Session, runner: FlaskCliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    result = runner.invoke(
        args=["report", "--as-of", AS_OF, "--state", "TJK", "--format", "pdf", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    texts = pages(target.read_bytes())
    assert "Tajikistan (TJK)" in texts[0] and "1 March 2016" in texts[0]
    assert re.search(r"page 1 of \d+", texts[0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "output '': a PDF is written to a file"),
        (["--format", "pdf", "-o", "/nonexistent-dir/r.pdf"], "output '/nonexistent-dir/r.pdf'"),
        (["--format", "csv", "-o", "r.pdf"], "-o is for --format pdf"),
    ],
)
def test_cli_pdf_errors_are_one_line(
    seeded: Session, runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=["report", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_russian_readers_pdfs_write_the_as_of_day_in_russian(
    seeded: Session, client: FlaskClient
) -> None:
    for path in ("/report.pdf", "/states/TJK/timeline.pdf"):
        first = pages(client.get(f"{path}?as_of={AS_OF}&lang=ru").get_data())[0]
        assert "1 марта 2016 г." in first, path  # the title block, as the pages write it
        assert "на 1 March" not in first, path  # (due texts stay as the notes wrote them)
