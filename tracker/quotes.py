"""Split a note's text into plain and quoted segments, to highlight citations (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise


@dataclass(frozen=True)
class Segment:
    """A run of the note's text and the citations (ids) that quote it."""

    text: str
    citations: tuple[int, ...]


def segments(text: str, quotes: Iterable[tuple[int, str]]) -> list[Segment]:
    """Cut the text at every quote's first occurrence; overlapping quotes share segments."""
    spans = []
    for citation_id, quote in quotes:
        start = text.find(quote) if quote else -1
        if start >= 0:
            spans.append((start, start + len(quote), citation_id))
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    result = []
    for begin, end in pairwise(cuts):
        covering = tuple(cid for s, e, cid in spans if s <= begin and end <= e)
        result.append(Segment(text[begin:end], covering))
    return result
