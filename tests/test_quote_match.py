"""Matching a pasted quote to a note: spacing and typographic quotes/dashes do not matter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.quote_match import closest_passage, find_quote

NOTE = "The Government approved the “National Action Plan” on 3 March 2016 —\nsee  decree No. 12–4."


@pytest.mark.parametrize(
    "pasted, exact",
    [
        ("approved the “National Action Plan”", "approved the “National Action Plan”"),
        ('approved the "National Action Plan"', "approved the “National Action Plan”"),
        ("approved  the \"National Action Plan'", None),
        ("3 March 2016 - see decree", "3 March 2016 —\nsee  decree"),
        ("see decree No. 12-4.", "see  decree No. 12–4."),
        ("  on 3 March\t2016 ", "on 3 March 2016"),
        ("3 March 2017", None),
    ],
)
def test_a_quote_is_found_up_to_spacing_and_typographic_marks(
    pasted: str, exact: str | None
) -> None:
    span = find_quote(NOTE, pasted)
    assert (NOTE[span[0] : span[1]] if span else None) == exact


def test_a_refused_quote_names_the_closest_passage() -> None:
    assert closest_passage(NOTE, "the Government adopted the National Action Plan") == (
        "The Government approved the “National Action Plan”"
    )
    assert "3 March 2016" in closest_passage(NOTE, "on 3 March 2017")
    assert closest_passage(NOTE, "ЖЖЖ") == ""


@given(st.text(max_size=80), st.integers(0, 80), st.integers(1, 30))
def test_any_stretch_of_a_note_is_found_again_with_its_spacing_changed(
    text: str, at: int, length: int
) -> None:
    quote = text[at : at + length]
    if not quote.strip():
        return
    respaced = " ".join(quote.split())
    span = find_quote(text, respaced)
    assert span is not None
    assert " ".join(text[span[0] : span[1]].split()) == respaced
