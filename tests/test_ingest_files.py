"""Notes as people receive them: PDF, Word and HTML files read into text (issue 18).

The text read becomes the note (so quotes are verbatim against what is stored) and the
file is kept beside it with its SHA-256; every file the importer cannot read is refused
with a message naming it, and nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import Result
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader, PdfWriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, sign_in
from tracker.ingest import NoteInputError, extract, read_note_file
from tracker.ingest.files import DOCX, HTML, MAX_FILE_BYTES, PDF
from tracker.models import Citation, Milestone, NoteFile, SourceNote

LINES = [
    "Press release",
    "National round table on the 1540 National Action Plan of Uzbekistan",
    "The national round table took place in Tashkent on 14-15 March 2019.",
    "Officials of Uzbekistan reviewed the plan for 2019-2021.",
]


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds the lines (Helvetica, no fonts embedded)."""
    stream = "BT /F1 11 Tf 50 780 Td 14 TL " + " ".join(
        f"({line.replace('(', '[').replace(')', ']')}) '" for line in lines
    )
    stream += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return out


def make_docx() -> bytes:
    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(
        table.rows[0].cells, ["Measure", "Time frame", "Responsible bodies"], strict=True
    ):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells,
        ["Adopt the export control list", "Third quarter of 2015", "Ministry of Foreign Affairs"],
        strict=True,
    ):
        cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>x</title><script>var d='1 May 2001';</script></head>"
    "<body><h1>Press release</h1>"
    + "".join(f"<p>{line.replace('&', '&amp;')}</p>" for line in LINES[1:])
    + "<table><tr><td>Measure</td><td>IV квартал 2015 г.</td></tr></table></body></html>"
).encode()


def test_a_pdf_is_read_into_text_and_kept() -> None:
    data = make_pdf(LINES)
    text, original = read_note_file(data, "uzb.pdf")
    assert "took place in Tashkent on 14-15 March 2019" in text
    assert original is not None and original.media_type == PDF and original.data == data
    assert original.sha256 == hashlib.sha256(data).hexdigest()
    extraction = extract(text)
    starts = [p.window.start.isoformat() for p in extraction.proposals if p.window]
    assert "2019-03-14" in starts
    assert all(p.quote in text for p in extraction.proposals)


def test_a_word_file_keeps_its_table_rows_together() -> None:
    text, original = read_note_file(make_docx(), "plan.docx")
    assert original is not None and original.media_type == DOCX
    assert LINES[2] in text
    # A row is one line with its cells apart: the time frame is not split by other columns.
    assert "Adopt the export control list | Third quarter of 2015 | Ministry of Foreign" in text


def test_an_html_page_is_read_without_its_scripts() -> None:
    text, original = read_note_file(HTML_PAGE, "page.html")
    assert original is not None and original.media_type == HTML
    assert LINES[2] in text and "1 May 2001" not in text
    assert "Measure | IV квартал 2015 г." in text


def test_plain_text_is_the_note_itself() -> None:
    assert read_note_file(b"Note\n", "note.txt") == ("Note\n", None)


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(LINES))))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_without_word() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("content.xml", "<x/>")
    return out.getvalue()


BAD_FILES = [
    ("protected.pdf", _encrypted_pdf, "protected by a password"),
    ("scan.pdf", _scanned_pdf, "no text layer"),
    ("broken.pdf", lambda: b"%PDF-1.4\n1 0 obj <<", "not a readable PDF"),
    ("fake.pdf", lambda: b"Event: workshop", "is not a PDF"),
    ("plan.docx", lambda: b"Event: workshop, not a zip", "not a zip package"),
    ("plan.docx", _zip_without_word, "not a Word .docx file"),
    ("old.doc", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Word .doc"),
    ("photo.png", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "a PNG image"),
    ("sheet.ods", lambda: b"some bytes", "not a type the importer reads"),
    ("big.pdf", lambda: b"%PDF-1.4\n" + b" " * MAX_FILE_BYTES, "limit"),
]


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_files_it_cannot_read_get_a_clear_reason(name: str, make: object, reason: str) -> None:
    with pytest.raises(NoteInputError) as error:
        read_note_file(make(), name)  # type: ignore[operator]
    assert error.value.field == name and reason in str(error.value)


@pytest.fixture(autouse=True)
def pending_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "pending-imports"
    monkeypatch.setattr("tracker.views.imports._pending_folder", lambda: folder)
    return folder


def signed_in(client: FlaskClient, session: Session) -> FlaskClient:
    add_account(session, "coordinator@example.org", "coordinator", ["UZB"])
    sign_in(client, "coordinator@example.org")
    return client


def _counts(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(m)) or 0
        for m in (SourceNote, Milestone, Citation, NoteFile)
    )


def _invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(args=list(args))


def test_the_cli_imports_a_pdf_and_keeps_the_file(
    runner: FlaskCliRunner, seeded: Session, tmp_path: Path
) -> None:
    data = make_pdf(LINES)
    path = tmp_path / "uzb_round_table.pdf"
    path.write_bytes(data)
    result = _invoke(runner, "import-note", str(path), "--yes")
    assert result.exit_code == 0, result.output
    assert f"sha256 {hashlib.sha256(data).hexdigest()}" in result.output
    kept = seeded.scalars(select(NoteFile)).one()
    note = seeded.get(SourceNote, kept.note_id)
    assert note is not None and kept.data == data and kept.media_type == PDF
    assert kept.sha256 == hashlib.sha256(data).hexdigest() and kept.name == path.name
    assert "took place in Tashkent on 14-15 March 2019" in note.text
    quotes = seeded.scalars(select(Citation.quote).where(Citation.note_id == note.id)).all()
    assert quotes and all(q in note.text for q in quotes)


@pytest.mark.parametrize(("name", "make", "reason"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_the_cli_refuses_bad_files_in_one_line_and_stores_nothing(
    runner: FlaskCliRunner, seeded: Session, tmp_path: Path, name: str, make: object, reason: str
) -> None:
    before = _counts(seeded)
    path = tmp_path / name
    path.write_bytes(make())  # type: ignore[operator]
    result = _invoke(runner, "import-note", str(path), "--yes")
    assert result.exit_code == 2 and reason in result.output and name in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _counts(seeded) == before


def test_the_web_upload_reads_a_word_file_and_saves_it(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)
    token = csrf_token(client, "/notes/new")
    data = make_docx()
    page = client.post(
        "/notes/new", data={"csrf_token": token, "file": (io.BytesIO(data), "uzb_plan.docx")}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "uzb_plan.docx" in html and hashlib.sha256(data).hexdigest() in html
    pending = html.split('name="pending" value="')[1].split('"')[0]
    saved = client.post(
        "/notes/import", data={"csrf_token": csrf_token(client, "/notes/new"), "pending": pending}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    kept = seeded.scalars(select(NoteFile)).one()
    assert kept.data == data and kept.media_type == DOCX


WEB_BAD_FILES = BAD_FILES[:6]


@pytest.mark.parametrize(
    ("name", "make", "reason"), WEB_BAD_FILES, ids=[b[0] for b in WEB_BAD_FILES]
)
def test_the_web_upload_refuses_bad_files_and_stores_nothing(
    client: FlaskClient, seeded: Session, name: str, make: object, reason: str
) -> None:
    signed_in(client, seeded)
    before = _counts(seeded)
    token = csrf_token(client, "/notes/new")
    page = client.post(
        "/notes/new",
        data={"csrf_token": token, "file": (io.BytesIO(make()), name)},  # type: ignore[operator]
    )
    assert page.status_code == 400 and reason in page.get_data(as_text=True)
    assert _counts(seeded) == before


def test_a_note_in_a_language_it_does_not_read_says_so() -> None:
    tajik = (
        "Баргузории мизи мудаввари байналмилалӣ оид ба қатъномаи 1540 дар Душанбе, "
        "15 майи соли 2019. Ҷумҳурии Тоҷикистон ва ташкилотҳои байналмилалӣ ширкат доштанд.\n"
    )
    note = extract(tajik).note
    assert note.language == "" and "not recognised" in note.warnings[0]
    assert extract("Круглый стол прошел в Душанбе 15 мая 2019 года.\n").note.warnings == ()
    assert extract(LINES[2] + "\n").note.warnings == ()
