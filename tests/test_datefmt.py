"""Tests for tracker.datefmt and tracker.timezones: dates as people write them, per language."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import datefmt, timezones
from tracker.dates import DueWindow, Precision, parse_window

quick = settings(max_examples=200, database=None, deadline=None)
NBSP = "\u00a0"


def shown(text: str) -> str:
    """Output with its no-break spaces as plain ones, to compare with what is read."""
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("written", "russian", "english"),
    [
        ("15 April 2027", "15 апреля 2027 г.", "15 April 2027"),
        ("Q4 2027", "IV квартал 2027 г.", "Q4 2027"),
        ("first half of 2016", "первое полугодие 2016 г.", "first half of 2016"),
        ("H2 2016", "второе полугодие 2016 г.", "second half of 2016"),
        ("2018", "2018 г.", "2018"),
        ("2017-2021", "2017–2021 гг.", "2017–2021"),
        ("2-4 August 2017", "2–4 августа 2017 г.", "2–4 August 2017"),
        (
            "29 February - 1 March 2016",
            "29 февраля – 1 марта 2016 г.",
            "29 February – 1 March 2016",
        ),
        (
            "30 December 2015 - 2 January 2016",
            "30 декабря 2015 г. – 2 января 2016 г.",
            "30 December 2015 – 2 January 2016",
        ),
        ("June 2017", "июнь 2017 г.", "June 2017"),
        ("May-June 2017", "май–июнь 2017 г.", "May–June 2017"),
        (
            "November 2016 - January 2017",
            "ноябрь 2016 г. – январь 2017 г.",
            "November 2016 – January 2017",
        ),
        # Not whole years: written as its first and last day, never as "2014–2016".
        (
            "over the past two years",
            "1 января 2014 г. – 10 мая 2016 г.",
            "1 January 2014 – 10 May 2016",
        ),
    ],
)
def test_windows_are_written_as_people_write_them(written: str, russian: str, english: str) -> None:
    window = parse_window(written, date(2016, 5, 10))
    assert shown(datefmt.format_window(window, "ru")) == russian
    assert shown(datefmt.format_window(window, "en")) == english


def test_an_unknown_language_gets_english_not_an_error() -> None:
    assert datefmt.format_day(date(2027, 4, 15), "xx") == "15 April 2027"
    assert datefmt.format_day(date(2027, 4, 15), "ru-RU") == f"15 апреля 2027{NBSP}г."


def test_a_year_and_its_abbreviation_never_part_over_two_lines() -> None:
    day = DueWindow(date(2027, 4, 15), date(2027, 4, 15), Precision.DAY, "")
    period = parse_window("2017-2021")
    assert datefmt.format_window(day, "ru").endswith(f"2027{NBSP}г.")
    assert datefmt.format_window(period, "ru") == f"2017–2021{NBSP}гг."


@pytest.mark.parametrize(
    ("earlier", "later", "russian", "english"),
    [
        (date(2027, 1, 1), date(2027, 1, 2), "1 день", "1 day"),
        (date(2027, 1, 1), date(2027, 1, 4), "3 дня", "3 days"),
        (date(2027, 1, 1), date(2027, 1, 6), "5 дней", "5 days"),
        (date(2027, 1, 1), date(2027, 1, 22), "21 день", "21 days"),
        (date(2015, 12, 31), date(2016, 3, 1), "2 месяца 1 день", "2 months 1 day"),
        (date(2027, 1, 31), date(2027, 2, 28), "1 месяц", "1 month"),
        (date(2006, 1, 1), date(2016, 1, 1), "10 лет", "10 years"),
        (date(2005, 12, 31), date(2016, 3, 5), "10 лет 2 месяца", "10 years 2 months"),
        (date(2015, 3, 1), date(2016, 3, 1), "1 год", "1 year"),
        (date(2014, 3, 1), date(2016, 7, 1), "2 года 4 месяца", "2 years 4 months"),
    ],
)
def test_durations_use_calendar_units_and_each_languages_plurals(
    earlier: date, later: date, russian: str, english: str
) -> None:
    assert datefmt.format_duration(earlier, later, "ru") == russian
    assert datefmt.format_duration(earlier, later, "en") == english


def test_relative_phrases_in_both_languages() -> None:
    today = date(2027, 1, 1)
    assert datefmt.until_phrase(today, date(2027, 1, 2), "ru") == "через 1 день"
    assert datefmt.until_phrase(today, date(2027, 1, 4), "ru") == "через 3 дня"
    assert datefmt.until_phrase(today, date(2027, 1, 4), "en") == "in 3 days"
    assert datefmt.until_phrase(today, today, "en") == "due today"
    assert datefmt.until_phrase(today, today, "ru") == "срок сегодня"
    assert datefmt.until_phrase(today, today, "en", deadline=False) == "starts today"
    assert datefmt.until_phrase(today, date(2026, 12, 30), "ru", deadline=False) == "идёт сейчас"
    assert (
        datefmt.overdue_phrase(date(2006, 1, 1), date(2016, 1, 1), "ru") == "просрочено на 10 лет"
    )
    overdue = datefmt.overdue_phrase(date(2005, 12, 31), date(2016, 3, 5), "en")
    assert overdue == "overdue by 10 years 2 months"  # not "3717 days"


def test_report_item_phrases_from_the_day_counts() -> None:
    assert datefmt.overdue_since(date(2015, 12, 31), 61, "en") == "overdue by 2 months 1 day"
    assert datefmt.until_from(date(2027, 3, 31), 119, "ru") == "через 3 месяца 29 дней"
    assert datefmt.until_from(date(2027, 3, 31), 0, "en") == "due today"
    assert datefmt.until_from(date(2027, 3, 31), 0, "ru", deadline=False) == "идёт сейчас"


def test_timestamps_are_shown_in_the_readers_zone() -> None:
    moment = datetime(2026, 12, 2, 20, 30, tzinfo=UTC)
    dushanbe = timezones.zone("Asia/Dushanbe")  # UTC+5: already the next day there
    assert shown(datefmt.format_timestamp(moment, dushanbe, "ru")) == "3 дек. 2026 г., 01:30"
    assert datefmt.format_timestamp(moment, dushanbe, "en") == "3 Dec 2026, 01:30"
    assert datefmt.format_timestamp(moment, None, "en") == "2 Dec 2026, 20:30"


def test_the_readers_zone_comes_from_the_account_then_the_states_then_the_site() -> None:
    assert timezones.reader_zone("Europe/Minsk", ["TJK"], "UTC") == "Europe/Minsk"
    assert timezones.reader_zone(None, ["TJK"], "UTC") == "Asia/Dushanbe"
    assert timezones.reader_zone(None, ["UZB"], "UTC") == "Asia/Tashkent"
    assert timezones.reader_zone(None, ["KGZ", "TJK"], "UTC") == "Asia/Bishkek"
    assert timezones.reader_zone(None, ["XYZ"], "Asia/Bishkek") == "Asia/Bishkek"
    assert timezones.reader_zone(None, [], "UTC") == "UTC"
    assert timezones.reader_zone("Mars/Olympus", [], "UTC") == "UTC"  # a stale name: no error
    assert timezones.choices()[:3] == ["Asia/Dushanbe", "Asia/Tashkent", "Asia/Bishkek"]


# Every window the parser makes, written in either language, reads back as the same window.
forms = st.one_of(
    st.dates(date(1900, 1, 1), date(2200, 12, 31)).map(lambda d: d.isoformat()),
    st.builds("{}-{:02}".format, st.integers(1900, 2200), st.integers(1, 12)),
    st.builds("Q{} {}".format, st.integers(1, 4), st.integers(1900, 2200)),
    st.builds("H{} {}".format, st.integers(1, 2), st.integers(1900, 2200)),
    st.integers(1900, 2200).map(str),
    st.builds("{}-{}".format, st.integers(1900, 2100), st.integers(2100, 2200)),
    st.builds(
        "{} - {}".format,
        st.dates(date(1900, 1, 1), date(2099, 12, 31)).map(lambda d: d.isoformat()[:7]),
        st.dates(date(2100, 1, 1), date(2200, 12, 31)).map(lambda d: d.isoformat()[:7]),
    ),
)


@quick
@given(forms, st.sampled_from(["ru", "en"]), st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_every_written_window_reads_back_as_itself(text: str, locale: str, extra: date) -> None:
    try:
        window = parse_window(text)
    except ValueError:  # e.g. "2100-2100" or a month range that cannot be written ISO
        return
    written = datefmt.format_window(window, locale)
    again = parse_window(written)
    assert (again.start, again.end) == (window.start, window.end)
    # "2100-2100" is one year, and written as one.
    one_year = window.precision is Precision.PERIOD and window.start.year == window.end.year
    assert again.precision is (Precision.YEAR if one_year else window.precision)
    # A day range of any length too.
    start, end = sorted((window.start, extra))
    span = datefmt.format_window(DueWindow(start, end, Precision.DAY, ""), locale)
    assert (parse_window(span).start, parse_window(span).end) == (start, end)
