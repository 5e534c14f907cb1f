"""Notes as people receive them: PDF, Word (.docx), HTML or plain text, read into text (pure).

The text read from the file becomes the note, so quotes stay verbatim against what is
stored; the original file is kept beside it with its SHA-256. Every refusal names the
file and says what to do: a file of another type, a password-protected PDF, a scanned
PDF without a text layer, a .docx that is not a zip package, a file over the limit.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

from tracker.ingest.text import MAX_NOTE_BYTES, NoteInputError, check_note_text, decode_note

# The web server takes requests of at most 2 MiB (config.MAX_CONTENT_LENGTH): the same here.
MAX_FILE_BYTES = 2 * 1024 * 1024


def upload_limit(limit: int = MAX_FILE_BYTES) -> str:
    """The upload limit as people read it: '2 MiB (2097152 bytes)'."""
    mebibytes = limit / (1024 * 1024)
    shown = f"{mebibytes:.0f}" if mebibytes == int(mebibytes) else f"{mebibytes:.1f}"
    return f"{shown} MiB ({limit} bytes)"


# A .docx is a zip: its unpacked parts may not grow past this (a zip bomb would).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

PDF, DOCX, HTML, TEXT = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/html",
    "text/plain",
)
_TYPES_WANTED = "upload a PDF, a Word (.docx), an HTML page or a plain-text file"
# Files that are recognisably something else, by their first bytes.
_OTHER_MAGIC = (
    (b"\xd0\xcf\x11\xe0", "an old Word .doc (or other Office 97) file; save it as .docx or PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF file; save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_TEXT_SUFFIXES = frozenset({"", ".txt", ".md", ".markdown", ".text"})
_HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html)\b", re.IGNORECASE)


@dataclass(frozen=True)
class OriginalFile:
    """A note's file as it was received, kept beside the text read from it."""

    name: str
    media_type: str
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        """SHA-256 of the file's bytes, in hex."""
        return hashlib.sha256(self.data).hexdigest()

    def to_json(self) -> dict[str, str | int]:
        """Name, type, size and digest (not the bytes)."""
        return {
            "name": self.name,
            "media_type": self.media_type,
            "bytes": len(self.data),
            "sha256": self.sha256,
        }


def read_note_file(data: bytes, name: str) -> tuple[str, OriginalFile | None]:
    """The note's text, and the original file when it was not plain text already."""
    if len(data) > MAX_FILE_BYTES:
        raise NoteInputError(
            name, f"{len(data)} bytes", f"is larger than the upload limit of {upload_limit()}"
        )
    media_type = _media_type(data, name)
    if media_type == TEXT:
        return decode_note(data, name), None
    reader = {PDF: _pdf_text, DOCX: _docx_text, HTML: _html_text}[media_type]
    text = _tidy(reader(data, name))
    if not text.strip():
        raise NoteInputError(name, "no text", "the file has no text to read")
    try:
        check_note_text(text)
    except NoteInputError as error:
        raise NoteInputError(name, error.value, error.reason) from None
    return text, OriginalFile(PurePath(name).name[:255], media_type, data)


def _media_type(data: bytes, name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if data.startswith(b"%PDF-"):
        return PDF
    if suffix == ".pdf":
        raise NoteInputError(name, "first bytes", "is not a PDF (it does not start with %PDF-)")
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]):
        return DOCX
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise NoteInputError(name, "file type", f"is {what}: {_TYPES_WANTED}")
    if data.startswith(b"PK\x03\x04"):
        raise NoteInputError(name, "file type", f"is a zip archive, not a note: {_TYPES_WANTED}")
    if suffix in _HTML_SUFFIXES or _HTML_START.match(data[:2048]):
        return HTML
    if suffix in _TEXT_SUFFIXES:
        return TEXT
    raise NoteInputError(name, suffix, f"is not a type the importer reads: {_TYPES_WANTED}")


def _tidy(text: str) -> str:
    """No NULs, no trailing spaces, at most one blank line in a row, one final newline."""
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# --- PDF ----------------------------------------------------------------------------------


def _pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError

    locked = NoteInputError(
        name, "password", "the PDF is protected by a password; save a copy without one"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise locked
        pages = [page.extract_text() or "" for page in reader.pages]
    except NoteInputError:
        raise
    except FileNotDecryptedError:
        raise locked from None
    except Exception as error:  # a parser of untrusted bytes may raise any kind of error
        if "decrypt" in str(error).lower() or "crypt" in type(error).__name__.lower():
            raise locked from None
        raise NoteInputError(name, "PDF", "is damaged or not a readable PDF") from None
    if not "".join(pages).strip():
        raise NoteInputError(
            name,
            f"{len(pages)} pages",
            "the PDF has no text layer (a scan?): run text recognition (OCR) on it, "
            "or paste its text",
        )
    return "\n\n".join(pages)


# --- Word ---------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str) -> str:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise NoteInputError(name, "first bytes", "is not a Word .docx file (not a zip package)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            if "word/document.xml" not in package.namelist():
                raise NoteInputError(name, "zip", "is a zip archive but not a Word .docx file")
    except zipfile.BadZipFile:
        raise NoteInputError(name, "zip", "is a damaged .docx (zip) file") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise NoteInputError(
            name, f"{unpacked} bytes unpacked", f"unpacks to over {MAX_UNPACKED_BYTES} bytes"
        )
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        return "\n\n".join(_docx_blocks(document))
    except Exception:  # python-docx on untrusted XML raises many kinds of error
        raise NoteInputError(name, "docx", "is a damaged Word .docx file") from None


def _docx_blocks(document: object) -> Iterator[str]:
    """Paragraphs and tables in document order; a table row is one line, cells split by |."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for block in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Table):
            yield "\n".join(_row_text(row.cells) for row in block.rows)


def _row_text(cells: list[object]) -> str:
    texts: list[str] = []
    for cell in cells:
        text = " ".join(cell.text.split())  # type: ignore[attr-defined]
        if not texts or text != texts[-1]:  # a merged cell repeats in every column it spans
            texts.append(text)
    return " | ".join(texts)


# --- HTML ---------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table"}
    | {"section", "article", "header", "footer", "blockquote", "pre", "dt", "dd", "hr"}
    | {"address", "figcaption", "main", "nav", "aside"}
)
_SKIPPED_TAGS = frozenset({"script", "style", "head", "noscript", "template", "svg"})
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]{2,40})""", re.I)


class _HTMLText(HTMLParser):
    """The text of a page: blocks on their own lines, table cells split by ' | '."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")

    def text(self) -> str:
        lines = ("".join(self.parts)).split("\n")
        return "\n".join(re.sub(r"^\s*\|\s*", "", " ".join(line.split())) for line in lines)


def _html_text(data: bytes, name: str) -> str:
    parser = _HTMLText()
    parser.feed(_html_decoded(data, name))
    parser.close()
    return parser.text()


def _html_decoded(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    raise NoteInputError(name, "encoding", "is neither UTF-8 nor in the character set it declares")


__all__ = ["MAX_FILE_BYTES", "MAX_NOTE_BYTES", "OriginalFile", "read_note_file", "upload_limit"]
