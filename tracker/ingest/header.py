"""The header fields of an information note ("Event:", "Date and venue:", ...) (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.ingest.text import PlainText, Span

HEADER_LINES = 60

# Field -> the labels notes use for it, bold or plain, British or American.
_LABELS = {
    "when_where": r"dates?\s*(?:and|&|/)\s*(?:location|venue|place)"
    r"|(?:location|venue|place)\s*(?:and|&|/)\s*dates?",
    "start_date": r"start(?:ing)?\s+date|date\s+of\s+start|дата\s+начала|начало",
    "end_date": r"end(?:ing)?\s+date|date\s+of\s+end|дата\s+окончания|окончание",
    "date": r"dates?|when|дат[аы]|сроки?\s+проведения",
    "venue": r"venue|location|place|where|место(?:\s+проведения)?",
    "event": r"event|title|meeting|activity|мероприятие|событие|тема",
    "organisers": r"organi[sz]ers?(?:\s+(?:or|and|/)\s+sponsors?)?|organi[sz]ed\s+by"
    r"|sponsors?|hosts?|организаторы?",
    "participants": r"participants?|attendees?|participation|участники",
}
_LABEL = re.compile(
    r"^[ \t>*-]*(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")"
    r"[ \t]*:[ \t]*(?P<value>.*)$",
    re.IGNORECASE,
)
# A value that does not end a sentence may carry on over the next lines (notes wrap them).
_CLOSED = re.compile(r"[.;!?]\s*$")
_OPEN_END = re.compile(r"(?:\b(?:the|of|for|and|in|with|to|a|an|on|at|by|or)|[,(&/-])\s*$", re.I)
# A short line without punctuation after a value is a section title ("1. Summary").
_SECTION = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*\.?\s+)?[A-Z][A-Za-z ]{2,40}$")
MAX_CONTINUATION = 200


@dataclass(frozen=True)
class HeaderField:
    """One header field: the whole value (lines joined) and the span of its first line."""

    name: str
    value: str
    first_line: Span


def read_header(plain: PlainText) -> dict[str, HeaderField]:
    """The header fields found near the top of the note; the first of each name wins."""
    lines = plain.lines()[:HEADER_LINES]
    fields: dict[str, HeaderField] = {}
    for index, line in enumerate(lines):
        match = _LABEL.match(plain.plain[line.start : line.end])
        if match is None or plain.is_heading(line):
            continue
        name = next(k for k in _LABELS if match.group(k))
        value_start = line.start + match.start("value")
        first = Span(value_start, line.end)
        parts = [match.group("value").strip()]
        if not parts[0]:
            first, parts = _value_on_next_line(plain, lines, index)
        parts += _continuation(plain, lines, index, parts[-1] if parts else "")
        value = " ".join(p for p in parts if p)
        if value and name not in fields:
            fields[name] = HeaderField(name, value, first)
    return fields


def _value_on_next_line(plain: PlainText, lines: list[Span], index: int) -> tuple[Span, list[str]]:
    for line in lines[index + 1 : index + 3]:
        text = plain.plain[line.start : line.end].strip()
        if text:
            return line, [] if _LABEL.match(text) else [text]
    return lines[index], []


def _continuation(plain: PlainText, lines: list[Span], index: int, last: str) -> list[str]:
    """Lines that carry on a value cut in the middle (notes wrap header values)."""
    parts: list[str] = []
    after_blank = False
    for line in lines[index + 1 : index + 8]:
        text = plain.plain[line.start : line.end].strip()
        if not text or text == last:
            after_blank = after_blank or not text
            continue
        if _LABEL.match(text) or plain.is_heading(line) or _CLOSED.search(last):
            break
        if after_blank and _SECTION.match(text) and not _OPEN_END.search(last):
            break
        if len(text) > MAX_CONTINUATION:
            break
        parts.append(text)
        last = text
    return parts


def field_text(fields: dict[str, HeaderField], *names: str) -> str:
    """The joined values of the named fields that are present."""
    return " ".join(fields[n].value for n in names if n in fields)
