"""Reading what someone typed into the search box (pure; no Flask, no database).

Whatever is typed becomes words and "quoted phrases", each matched as such: the engines'
own operators (FTS5's AND/OR/NEAR/*/^/column filters, PostgreSQL's & | ! <->) are never
passed through, so an unbalanced quote or a stray operator finds what its words find
instead of failing. Too long a text, or one without a word, is refused with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.inputs import InputError

MAX_QUERY = 200  # characters: longer is not a search but a pasted document
MAX_TERMS = 12
PREFIX_FROM = 3  # a word this long also finds the longer words it begins (inflected forms)
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use: where a snippet's matches begin/end
_WORD = re.compile(r"\w+")
_PHRASE = re.compile(r'"([^"]*)"')
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchText:
    """The words and phrases of a search."""

    words: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...]

    def fts5(self) -> str:
        """An SQLite FTS5 MATCH expression: every word (prefix) and phrase, all required."""
        parts = [f'"{w}"*' if len(w) >= PREFIX_FROM else f'"{w}"' for w in self.words]
        parts += ['"' + " ".join(phrase) + '"' for phrase in self.phrases]
        return " AND ".join(parts)

    def tsquery(self) -> str:
        """A PostgreSQL to_tsquery text: every word (prefix) and phrase, all required."""
        parts = [f"'{w}':*" if len(w) >= PREFIX_FROM else f"'{w}'" for w in self.words]
        parts += ["(" + " <-> ".join(f"'{w}'" for w in phrase) + ")" for phrase in self.phrases]
        return " & ".join(parts)


def parse_search(field: str, text: str) -> SearchText:
    """The words and phrases of TEXT; InputError when it is too long or has no word."""
    if len(text) > MAX_QUERY:
        raise InputError(field, text, "search_too_long", length=len(text), most=MAX_QUERY)
    # \w+ holds letters, digits and _ only: no quote or operator reaches either engine.
    phrases = [tuple(_WORD.findall(p)) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text)
    words = [w for w in _WORD.findall(rest)]
    kept_phrases = tuple(p for p in phrases if len(p) > 1)
    words += [p[0] for p in phrases if len(p) == 1]
    if not words and not kept_phrases:
        raise InputError(field, text, "search_no_word")
    unique = tuple(dict.fromkeys(w.lower() for w in words))
    if len(unique) + len(kept_phrases) > MAX_TERMS:
        raise InputError(field, text, "search_too_many_words", most=MAX_TERMS)
    return SearchText(unique, kept_phrases)


def marked_spans(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A snippet with its match markers taken out: the plain text (whitespace made single
    spaces) and the (start, end) offsets of each match in it."""
    plain: list[str] = []
    marks: list[tuple[int, int]] = []
    start: int | None = None
    length = 0
    for part in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", _SPACE.sub(" ", snippet).strip()):
        if part == MARK_OPEN:
            start = length
        elif part == MARK_CLOSE:
            if start is not None and length > start:
                marks.append((start, length))
            start = None
        else:
            plain.append(part)
            length += len(part)
    return "".join(plain), tuple(marks)
