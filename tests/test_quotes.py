"""Highlighting cited quotes in a note's text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.quotes import Segment, segments


def test_quotes_are_cut_out_and_overlaps_share_a_segment() -> None:
    text = "The meeting was held in Dushanbe on 2 to 4 August 2017. It was good."
    parts = segments(text, [(1, "held in Dushanbe"), (2, "Dushanbe on 2 to 4 August 2017")])
    assert "".join(p.text for p in parts) == text
    assert Segment("Dushanbe", (1, 2)) in parts
    assert Segment("held in ", (1,)) in parts
    assert Segment(" on 2 to 4 August 2017", (2,)) in parts


def test_a_quote_not_in_the_text_highlights_nothing() -> None:
    assert segments("abc", [(1, "xyz"), (2, "")]) == [Segment("abc", ())]


@given(st.text(max_size=200), st.lists(st.tuples(st.integers(0, 9), st.text(max_size=20))))
def test_segments_always_rebuild_the_text(text: str, quotes: list[tuple[int, str]]) -> None:
    parts = segments(text, quotes)
    assert "".join(p.text for p in parts) == text
    for part in parts:
        for citation_id in part.citations:
            assert any(cid == citation_id and part.text in q for cid, q in quotes)
