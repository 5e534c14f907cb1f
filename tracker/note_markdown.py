"""A note's Markdown rendered as safe HTML, with its quoted passages highlighted (pure).

The note's text is cut into segments by :func:`tracker.quotes.segments`. Each segment's
start is marked in the Markdown source with a few private-use characters, the whole text is
rendered at once (so that paragraphs, lists and emphasis spanning a quote survive) and
sanitised, and each marked run of text is then wrapped in ``<mark>`` -- text node by text
node, so that the HTML stays well nested even when a quote runs across paragraphs. The
highlights land on exactly the characters quoted; only Markdown syntax ("#", "**") is
not shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from tracker.quotes import Segment

__all__ = ["render_note"]

# A segment's start: OPEN, its index in the digits 0-9 as ZERO..ZERO+9, CLOSE.
_OPEN, _ZERO, _CLOSE = "\ue000", 0xE001, "\ue00b"
_MARKER = re.compile("\ue000([\ue001-\ue00a]+)\ue00b")
_ANY_MARKER_CHAR = re.compile("[\ue000-\ue00b]")
# Block syntax a marker must not stand in front of, or it would no longer be syntax:
# blank lines, indentation, headings, list items, block quotes, rules and fences.
_BLOCK_PREFIX = re.compile(
    r"(?:[ \t]*\n)*[ \t]*"
    r"(?:(?:#{1,6}[ \t]+|[-*+][ \t]+|\d{1,9}[.)][ \t]+|>[ \t]?)"
    r"|(?:[-=_*][ \t]*){3,}(?:\n|\Z)|`{3,}[^\n]*\n|~{3,}[^\n]*\n)*"
)
_TAG = re.compile(r"(<[^>]*>)")
# Debris of a PDF-to-Markdown conversion in the seed notes: "<sup>&</sup>lt;sup>1</sup>" was
# "<sup>1</sup>" with its "<" escaped and the "&" lifted into a superscript of its own.
_DEBRIS = re.compile(r"<(sup|sub)>&</\1>lt;(sup|sub)>")

_MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}  # no remote images in a note


def _marker(index: int) -> str:
    return _OPEN + "".join(chr(_ZERO + int(d)) for d in str(index)) + _CLOSE


def _index(marker_digits: str) -> int:
    return int("".join(str(ord(c) - _ZERO) for c in marker_digits))


def _marked_source(parts: Sequence[Segment]) -> str:
    out: list[str] = []
    at_line_start = True
    for index, part in enumerate(parts):
        text = _DEBRIS.sub(r"<\2>", _ANY_MARKER_CHAR.sub("", part.text))
        skip = 0
        if at_line_start:
            match = _BLOCK_PREFIX.match(text)
            skip = match.end() if match else 0
        out.append(text[:skip] + _marker(index) + text[skip:])
        if text:
            at_line_start = text.endswith("\n")
    return "".join(out)


def render_note(
    parts: Sequence[Segment],
    links: Callable[[tuple[int, ...]], str] = lambda citations: "",
) -> Markup:
    """The note as sanitised HTML; each cited run in ``<mark>``, ``id="q<citation>"``.

    ``links(citations)`` gives the HTML (trusted) put after the end of each cited run,
    e.g. links to the milestones that quote it.
    """
    html = nh3.clean(_MARKDOWN.render(_marked_source(parts)), tags=_TAGS)
    out: list[str] = []
    current = 0
    pending = ""  # the links of a cited run that ended inside a tag
    given: set[int] = set()  # citations whose id="q.." is placed

    def cited(segment: int) -> tuple[int, ...]:
        return parts[segment].citations if segment < len(parts) else ()

    def ending(before: int, after: int) -> str:
        """The links of the citations whose quote ends between two segments."""
        gone = tuple(c for c in cited(before) if c not in cited(after))
        return links(gone) if gone else ""

    for piece in _TAG.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            for match in _MARKER.finditer(piece):
                following = _index(match.group(1))
                pending += ending(current, following)
                current = following
            out.append(_ANY_MARKER_CHAR.sub("", piece))
            continue
        position = 0
        chunks: list[tuple[str, int]] = []
        for match in _MARKER.finditer(piece):
            chunks.append((piece[position : match.start()], current))
            current = _index(match.group(1))
            position = match.end()
        chunks.append((piece[position:], current))
        for number, (text, segment) in enumerate(chunks):
            out.append(pending)
            pending = ""
            citations = cited(segment)
            if not citations or (not text.strip() and "\n" in text):
                out.append(text)
            elif text:
                fresh = [c for c in citations if c not in given]
                ident = f' id="q{fresh[0]}"' if fresh else ""
                given.update(fresh[:1])
                out.append(f"<mark{ident}>{text}</mark>")
            if number < len(chunks) - 1:  # the segment ends here
                out.append(ending(segment, chunks[number + 1][1]))
    out.append(pending + ending(current, len(parts)))
    return Markup("".join(out))
