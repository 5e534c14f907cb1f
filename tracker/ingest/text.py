"""A note's text without markup, mapped back to the text as written (pure).

Quotes must be verbatim substrings of the note, so extraction works on a plain view
of the text and maps every span back to the source. A markdown parser (markdown-it)
gives only line numbers for its tokens, not character offsets, which is why the few
markup forms of the notes are removed here by position instead.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_NOTE_BYTES = 1_000_000

# Markup that carries no words: footnote markers with their number, tags, emphasis
# markers, heading hashes, link targets and markdown escapes.
_MARKUP = re.compile(
    r"<sup>[^<\n]{0,20}</sup>"
    r"|</?[A-Za-z][A-Za-z0-9]{0,10}(?:\s[^<>\n]{0,200})?/?>"
    r"|\*{1,3}|(?<![A-Za-z0-9])_{2,3}|(?<=\w)_{2,3}(?!\w)"
    r"|^[ \t]{0,3}#{1,6}[ \t]+"
    r"|\]\([^)\s]{0,300}\)|\[(?=[^\]\n]{1,300}\]\()"
    r"|\\(?=[\\_*#\[\]()&<>-])",
    re.MULTILINE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)»]?\s+(?=[\"“«(A-ZА-ЯЁ0-9])")


class NoteInputError(ValueError):
    """Input that is not a readable note; names the field and the value."""

    def __init__(self, field: str, value: str, reason: str) -> None:
        self.field, self.value, self.reason = field, value, reason
        super().__init__(f"{field} {value!r}: {reason}")


def decode_note(data: bytes, name: str = "file") -> str:
    """The note's text from raw bytes; refuses huge, binary and non-UTF-8 input."""
    if len(data) > MAX_NOTE_BYTES:
        raise NoteInputError(
            name, f"{len(data)} bytes", f"is larger than the {MAX_NOTE_BYTES}-byte limit"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise NoteInputError(name, f"NUL at byte {nul}", "is binary, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NoteInputError(
            name, f"byte {error.start}", "is not UTF-8 text; save the note as UTF-8"
        ) from None


def check_note_text(text: str) -> None:
    """Refuse text the importer will not read: empty, huge or with NUL characters."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_NOTE_BYTES:
        raise NoteInputError("text", f"{size} bytes", f"is over the {MAX_NOTE_BYTES}-byte limit")
    if "\x00" in text:
        raise NoteInputError("text", "NUL", "is binary, not text")
    if not text.strip():
        raise NoteInputError("text", "", "the note is empty")


@dataclass(frozen=True)
class Span:
    """A stretch of the plain view: [start, end)."""

    start: int
    end: int


class PlainText:
    """The note without markup, with each plain character's offset in the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        kept: list[str] = []
        # Each kept piece as (its start in the plain view, its start in the source): one
        # pair per piece, not one offset per character (a 1 MB note made a million ints).
        self._plain_starts: list[int] = []
        self._source_starts: list[int] = []
        cursor, length = 0, 0
        for markup in _MARKUP.finditer(source):
            self._keep(kept, cursor, markup.start(), length)
            length += markup.start() - cursor
            cursor = markup.end()
        self._keep(kept, cursor, len(source), length)
        self.plain = "".join(kept)

    def _keep(self, kept: list[str], start: int, end: int, length: int) -> None:
        if end > start:
            kept.append(self.source[start:end])
            self._plain_starts.append(length)
            self._source_starts.append(start)

    def source_offset(self, index: int) -> int:
        """The offset in the source of the plain view's character at index."""
        piece = bisect.bisect_right(self._plain_starts, index) - 1
        return self._source_starts[piece] + index - self._plain_starts[piece]

    def quote(self, start: int, end: int) -> str:
        """The source text behind plain[start:end], trimmed; always verbatim in the source."""
        while start < end and self.plain[start] in " \t\r\n,;:-–—":
            start += 1
        while end > start and self.plain[end - 1] in " \t\r\n,;:-–—":
            end -= 1
        if start >= end:
            return ""
        # A slice of the source, so verbatim by construction (no search of the whole note).
        return self.source[self.source_offset(start) : self.source_offset(end - 1) + 1].strip()

    def lines(self) -> list[Span]:
        """Every line of the plain view."""
        spans, start = [], 0
        for line in self.plain.split("\n"):
            spans.append(Span(start, start + len(line)))
            start += len(line) + 1
        return spans

    def blocks(self) -> list[Span]:
        """The lines, with a line wrapped inside a sentence joined to the next one.

        Notes copied from PDFs and web pages break lines mid-sentence ("will take place
        on" / "16-19 September 2025"); the words that say what a date is may be on the
        line before it. A line is joined only when it does not end a sentence or a
        field and the next one goes on in lower case or with a number.
        """
        blocks: list[Span] = []
        for line in self.lines():
            previous = blocks[-1] if blocks else None
            if previous is not None and self._wraps(previous, line):
                blocks[-1] = Span(previous.start, line.end)
            else:
                blocks.append(line)
        return blocks

    def _wraps(self, previous: Span, line: Span) -> bool:
        before = self.plain[max(previous.start, previous.end - 2) : previous.end].rstrip()
        after = self.plain[line.start : line.start + 1]
        if not before or not after or before[-1] in ".!?:;|" or self.is_heading(line):
            return False
        return after.islower() or after.isdigit()

    def sentences(self, line: Span) -> list[Span]:
        """The sentences of one line (sentences do not run across lines here)."""
        text = self.plain[line.start : line.end]
        spans, start = [], 0
        for end_mark in _SENTENCE_END.finditer(text):
            spans.append(Span(line.start + start, line.start + end_mark.start()))
            start = end_mark.end()
        spans.append(Span(line.start + start, line.end))
        return [s for s in spans if self.plain[s.start : s.end].strip()]

    def is_heading(self, line: Span) -> bool:
        """Whether the source line behind this plain line is a markdown heading."""
        if line.start >= len(self.plain):
            return False
        source_start = self.source.rfind("\n", 0, self.source_offset(line.start)) + 1
        return self.source[source_start : source_start + 4].lstrip(" ").startswith("#")


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


class Caseless:
    """A pattern matched without regard to case, by lower-casing the text first.

    re.IGNORECASE on these long alternations of English and Russian words made each
    search three to four times slower, and the importer runs several per date; matched
    words come back in lower case.
    """

    def __init__(self, pattern: str, flags: int = 0) -> None:
        lowered = _ESCAPE_OR_TEXT.sub(
            lambda m: m.group() if m.group().startswith("\\") else m.group().lower(), pattern
        )
        self.fast = re.compile(lowered, flags & ~re.IGNORECASE)
        self.slow = re.compile(pattern, flags | re.IGNORECASE)
        self.pattern = pattern

    def _lowered(self, text: str) -> str | None:
        lowered = text.lower()
        # A few letters grow when lower-cased ('İ'): then positions would not match the text.
        return lowered if len(lowered) == len(text) else None

    def search(self, text: str) -> re.Match[str] | None:
        """The first match in the text, or None."""
        lowered = self._lowered(text)
        return self.slow.search(text) if lowered is None else self.fast.search(lowered)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match in the text."""
        lowered = self._lowered(text)
        return self.slow.finditer(text) if lowered is None else self.fast.finditer(lowered)
