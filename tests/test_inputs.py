"""The one set of input rules (tracker.inputs): text, dates, ids and day counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker import inputs
from tracker.inputs import InputError, clean_text, parse_days, parse_id, parse_iso_date

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
INVISIBLE = ["\u200b", "\u200b\u200c\u200d", "\ufeff", "\u2060", "\u00a0\u200b\u3000"]
INVISIBLE += ["\u3164", " \u200e "]


@pytest.mark.parametrize("char", C0 + C1)
def test_no_control_character_is_accepted_in_a_line_or_a_paragraph(char: str) -> None:
    for multiline in (False, True):
        with pytest.raises(InputError) as refused:
            clean_text("title", f"Round{char}table", multiline)
        assert refused.value.field == "title"
        assert f"U+{ord(char):04X}" in str(refused.value) or "NUL" in str(refused.value)


def test_tabs_and_line_breaks_only_in_multi_line_fields() -> None:
    text = "First line\tcolumn\r\nsecond line\n"
    assert clean_text("description", text, multiline=True) == text.strip()
    for char in "\t\n\r":
        with pytest.raises(InputError, match="only multi-line fields"):
            clean_text("title", f"a{char}b")


@pytest.mark.parametrize("text", INVISIBLE)
def test_text_of_only_invisible_characters_is_refused(text: str) -> None:
    with pytest.raises(InputError, match="invisible"):
        clean_text("title", text)


def test_ordinary_text_passes_stripped_and_within_the_limit() -> None:
    assert clean_text("title", "  Таджикистан: NAP review\u200b meeting ") == (
        "Таджикистан: NAP review\u200b meeting"
    )
    assert clean_text("venue", "") == ""
    with pytest.raises(InputError, match="is required"):
        clean_text("title", "   ", required=True)
    with pytest.raises(InputError, match="the limit is 5"):
        clean_text("title", "abcdef", max_length=5)
    with pytest.raises(InputError, match="surrogate"):
        clean_text("title", "a\ud800")


@pytest.mark.parametrize(
    "value",
    ["2020-W01-1", "20200101", "2020-1-1", "\uff12\uff10\uff12\uff10-01-01", "2020-01-01T00:00",
     "0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2016-02-30", "²020-01-01", "",
     "\x00"],
)  # fmt: skip
def test_dates_are_yyyy_mm_dd_in_one_range(value: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_iso_date("on", value)
    message = str(refused.value)
    assert refused.value.field == "on"
    assert "YYYY-MM-DD" in message or "between 1900-01-01 and 2200-12-31" in message


def test_the_latest_as_of_plus_the_longest_horizon_is_still_a_date() -> None:
    latest = parse_iso_date("as_of", "2200-12-31")
    assert parse_iso_date("as_of", " 1900-01-01 ") == date(1900, 1, 1)
    assert latest + timedelta(days=parse_days("within", str(inputs.MAX_WITHIN_DAYS))) > latest


@pytest.mark.parametrize(
    "value",
    ["²", "١٢", "0", "-1", "+1", "1.0", "1e3", " ", "", "2147483648", "9223372036854775808",
     "9" * 30, "0x10", True, -5, 2**31],
)  # fmt: skip
def test_ids_are_ascii_digits_that_fit_a_postgresql_integer(value: str | int) -> None:
    with pytest.raises(InputError, match="whole number from 1 to 2147483647"):
        parse_id("milestone", value)


def test_good_ids_and_day_counts() -> None:
    assert parse_id("milestone", "2147483647") == 2**31 - 1
    assert parse_id("citation", 7) == 7
    assert parse_days("within", "0") == 0
    for bad in ("²", "3661", "-1", "9" * 40):
        with pytest.raises(InputError, match="whole number of days from 0 to 3660"):
            parse_days("within", bad)
