"""Stored text made safe for the files the tracker writes: spreadsheet cells and calendars.

Titles, venues and quotes are typed by people or imported from documents, and rows written
before input was validated may hold anything. A spreadsheet must never run such text as a
formula (OWASP, "CSV Injection"), a workbook must open, and a calendar line must stay one
line. Pure functions, no Flask and no database, so every writer can use them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# A spreadsheet reads a cell that starts with one of these as a formula (or, for TAB and CR,
# may drop them and read what follows as one): the OWASP list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Characters no XML 1.0 document (so no XLSX workbook) may hold, and that no calendar or
# spreadsheet shows: C0 controls other than TAB, LF and CR; DEL; lone surrogates; U+FFFE/F.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"

_LINE_BREAK = re.compile("\r\n?")


def printable(text: str) -> str:
    """The text with characters no file format may carry replaced by U+FFFD, visibly."""
    return _UNPRINTABLE.sub(REPLACEMENT, text)


def sheet_row(sheet: Any, values: Sequence[object]) -> None:
    """Append a spreadsheet row whose text is always text: never a formula, never a character
    the file format refuses (openpyxl raises IllegalCharacterError), line breaks as LF."""
    texts = [isinstance(v, str) for v in values]
    sheet.append([_LINE_BREAK.sub("\n", printable(v)) if isinstance(v, str) else v for v in values])
    for cell, value, is_text in zip(sheet[sheet.max_row], values, texts, strict=False):
        if is_text and looks_like_formula(str(value)):
            cell.data_type = "s"  # openpyxl may have made it a formula ("=..."): keep a string
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would read the text as a formula."""
    return text.startswith(FORMULA_STARTS)


def csv_cell(text: str) -> str:
    """A CSV cell's text: printable, and prefixed with ' if it would start a formula."""
    text = printable(text)
    return "'" + text if looks_like_formula(text) else text


def calendar_text(text: str) -> str:
    """Text for an iCalendar TEXT value: printable, line breaks as LF only.

    RFC 5545 allows no control character in a TEXT value but TAB; a line break is written
    escaped as \\n, which the calendar library does for LF (and CRLF) but not for a bare CR,
    which would end the content line early.
    """
    return printable(_LINE_BREAK.sub("\n", text))
