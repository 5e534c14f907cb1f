"""Finding a pasted quote in a note's text: exact first, else ignoring differences of
whitespace and of typographic quotes and dashes; and, when it is not there, the closest passage.

Pure: no Flask, no database. Spans index the note's own text, so a citation stores the note's
exact characters (and its highlight lands on them) whatever the coordinator pasted.
"""

from __future__ import annotations

from difflib import SequenceMatcher

# Each of these reads as the plain character it looks like.
FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`\u00b4", "'"),  # single quotes, primes
        **dict.fromkeys(
            "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'
        ),  # double quotes, guillemets
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),  # hyphens, dashes
    }
)


def fold(text: str) -> tuple[str, list[int]]:
    """The text with every run of whitespace one space and typographic quotes and dashes plain,
    and for each folded character the offset in `text` where it starts."""
    chars: list[str] = []
    where: list[int] = []
    for offset, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            char = " "
        chars.append(char.translate(FOLD))
        where.append(offset)
    return "".join(chars), where


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The span [start, end) of `text` that `quote` cites, or None when it is not there."""
    start = text.find(quote)
    if start >= 0:
        return start, start + len(quote)
    folded_text, where = fold(text)
    folded_quote = fold(quote.strip())[0]
    if not folded_quote:
        return None
    found = folded_text.find(folded_quote)
    if found < 0:
        return None
    last = found + len(folded_quote) - 1
    end = where[last] + 1
    if folded_text[last] == " ":  # a run of spaces ends where the next character starts
        end = where[last + 1] if last + 1 < len(where) else len(text)
    return where[found], end


def closest_passage(text: str, quote: str, limit: int = 200) -> str:
    """The passage of `text` most like `quote` (as long as the quote, at most `limit`
    characters, widened to whole words), found from their longest common stretch; "" when
    they share nothing."""
    folded_text, where = fold(text)
    folded_quote = fold(quote.strip())[0]
    if not folded_text or not folded_quote:
        return ""
    matcher = SequenceMatcher(None, folded_text, folded_quote, autojunk=False)
    match = matcher.find_longest_match(0, len(folded_text), 0, len(folded_quote))
    if match.size == 0:
        return ""
    first = max(0, match.a - match.b)
    last = min(len(folded_text), first + min(len(folded_quote), limit)) - 1
    for _ in range(40):  # whole words at both ends
        if first > 0 and folded_text[first - 1] != " ":
            first -= 1
        if last + 1 < len(folded_text) and folded_text[last + 1] != " ":
            last += 1
    return text[where[first] : where[last] + 1].strip()
