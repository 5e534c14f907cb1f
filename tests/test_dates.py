"""Tests for tracker.dates: the date forms of the source notes and their due windows."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.dates import DateParseError, DueWindow, Precision, parse_window

DAY, MONTH, QUARTER, YEAR, PERIOD = (
    Precision.DAY,
    Precision.MONTH,
    Precision.QUARTER,
    Precision.YEAR,
    Precision.PERIOD,
)
NOTE_DATE = date(2016, 5, 10)
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
EN_DASH, EM_DASH, NBSP = "\u2013", "\u2014", "\u00a0"

# Kept small so the whole file runs in a few seconds; no database so runs leave no files.
quick = settings(max_examples=150, database=None, deadline=None)
years = st.integers(min_value=1900, max_value=2200)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))

EXAMPLES = [
    # Days.
    ("31 December 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("1 March 2016", date(2016, 3, 1), date(2016, 3, 1), DAY),
    ("December 31, 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("Dec. 31, 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("2015-12-31", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("1st March 2016", date(2016, 3, 1), date(2016, 3, 1), DAY),
    ("29 February 2016", date(2016, 2, 29), date(2016, 2, 29), DAY),
    # Day ranges.
    ("23-24 October 2012", date(2012, 10, 23), date(2012, 10, 24), DAY),
    ("8-9 October 2015", date(2015, 10, 8), date(2015, 10, 9), DAY),
    ("29 - 30 July 2015", date(2015, 7, 29), date(2015, 7, 30), DAY),
    (f"29 February {EN_DASH} 1 March 2016", date(2016, 2, 29), date(2016, 3, 1), DAY),
    (f"29 February{EM_DASH}1 March 2016", date(2016, 2, 29), date(2016, 3, 1), DAY),
    ("29 February-1 March 2016", date(2016, 2, 29), date(2016, 3, 1), DAY),
    (f"23{EN_DASH}24 October 2012", date(2012, 10, 23), date(2012, 10, 24), DAY),
    ("from 2 to 4 August 2017", date(2017, 8, 2), date(2017, 8, 4), DAY),
    ("2 to 4 August 2017", date(2017, 8, 2), date(2017, 8, 4), DAY),
    ("October 23-24, 2012", date(2012, 10, 23), date(2012, 10, 24), DAY),
    ("October 30 - November 2, 2012", date(2012, 10, 30), date(2012, 11, 2), DAY),
    ("30 December 2015 - 2 January 2016", date(2015, 12, 30), date(2016, 1, 2), DAY),
    ("29 February and 1 March 2016", date(2016, 2, 29), date(2016, 3, 1), DAY),
    # Months and month ranges.
    ("April 2012", date(2012, 4, 1), date(2012, 4, 30), MONTH),
    ("December 2004", date(2004, 12, 1), date(2004, 12, 31), MONTH),
    ("Aug 2016", date(2016, 8, 1), date(2016, 8, 31), MONTH),
    ("Sept. 2016", date(2016, 9, 1), date(2016, 9, 30), MONTH),
    ("Sept 2016", date(2016, 9, 1), date(2016, 9, 30), MONTH),
    ("February 2016", date(2016, 2, 1), date(2016, 2, 29), MONTH),
    ("2016-08", date(2016, 8, 1), date(2016, 8, 31), MONTH),
    ("May-June 2017", date(2017, 5, 1), date(2017, 6, 30), MONTH),
    ("November 2016 - January 2017", date(2016, 11, 1), date(2017, 1, 31), MONTH),
    # Quarters.
    ("Third quarter of 2015", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("third quarter 2015", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("Q3 2015", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("2015-Q3", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("first quarter of 2016", date(2016, 1, 1), date(2016, 3, 31), QUARTER),
    ("in the fourth quarter of 2016", date(2016, 10, 1), date(2016, 12, 31), QUARTER),
    # Years: qualifiers never narrow the window.
    ("2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("in 2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("early 2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("mid-2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("late 2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("the end of 2018", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("mid-April 2012", date(2012, 4, 1), date(2012, 4, 30), MONTH),
    # Periods.
    ("2017-2021", date(2017, 1, 1), date(2021, 12, 31), PERIOD),
    (f"2017{EN_DASH}2021", date(2017, 1, 1), date(2021, 12, 31), PERIOD),
    ("2017 to 2021", date(2017, 1, 1), date(2021, 12, 31), PERIOD),
    ("2013-2015", date(2013, 1, 1), date(2015, 12, 31), PERIOD),
    ("the period 2013-2015", date(2013, 1, 1), date(2015, 12, 31), PERIOD),
    ("from 2017 to 2021", date(2017, 1, 1), date(2021, 12, 31), PERIOD),
    # Tolerated noise: case, punctuation, spacing, a leading "on".
    ("on 31 December 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("31 DECEMBER 2015.", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("April 2012,", date(2012, 4, 1), date(2012, 4, 30), MONTH),
    (f"  31{NBSP}December   2015 ", date(2015, 12, 31), date(2015, 12, 31), DAY),
]

RELATIVE = [
    ("over the past two years", date(2014, 1, 1)),
    ("over the past 2 years", date(2014, 1, 1)),
    ("in the past three years", date(2013, 1, 1)),
    ("the last two years", date(2014, 1, 1)),
    ("over the past year", date(2015, 1, 1)),
    ("since 2011", date(2011, 1, 1)),
    ("since March 2011", date(2011, 3, 1)),
]

ERRORS = [
    ("", "empty"),
    ("   ", "empty"),
    ("31 February 2016", "no day 31"),
    ("30 February 2016", "no day 30"),
    ("29 February 2015", "no day 29"),
    ("0 March 2016", "no day 0"),
    ("2016-02-30", "no day 30"),
    ("2016-13", "month 13 does not exist"),
    ("2016-13-01", "month 13 does not exist"),
    ("year 0", "outside"),
    ("0000", "outside"),
    ("10000", "outside"),
    ("1899", "outside"),
    ("24-23 October 2012", "ends"),
    ("2021-2017", "ends"),
    ("November 2017 - January 2017", "ends"),
    ("29 February", "year is missing"),
    ("October 23", "year is missing"),
    ("May-June", "year is missing"),
    ("Q3", "year is missing"),
    ("Q5 2015", "quarter 5 does not exist"),
    ("early 31 December 2015", "only go with a month, quarter, half-year or year"),
    ("soon", "not a date form"),
    ("next Tuesday", "not a date form"),
    ("2018abc", "not a date form"),
    ("12/31/2015", "not a date form"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), EXAMPLES)
def test_examples(text: str, start: date, end: date, precision: Precision) -> None:
    assert parse_window(text) == DueWindow(start, end, precision, text.strip())


@pytest.mark.parametrize(("text", "start"), RELATIVE)
def test_relative_windows_end_on_the_note_date(text: str, start: date) -> None:
    assert parse_window(text, NOTE_DATE) == DueWindow(start, NOTE_DATE, PERIOD, text)


@pytest.mark.parametrize("text", [text for text, _ in RELATIVE])
def test_relative_without_reference_asks_for_the_note_date(text: str) -> None:
    with pytest.raises(DateParseError, match="reference date") as caught:
        parse_window(text)
    assert caught.value.text == text


def test_since_after_the_note_date_is_an_error() -> None:
    with pytest.raises(DateParseError, match="ends"):
        parse_window("since 2017", NOTE_DATE)


def test_reference_is_ignored_for_absolute_dates() -> None:
    assert parse_window("2018", NOTE_DATE) == parse_window("2018")


def test_text_keeps_its_inner_spelling() -> None:
    assert parse_window("  Sept.  2016 ").text == "Sept.  2016"


@pytest.mark.parametrize(("text", "reason"), ERRORS)
def test_errors_name_text_and_reason(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_window(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.text == text.strip()
    assert reason in error.reason
    assert str(error) == f"cannot read date {text.strip()!r}: {error.reason}"


def test_too_long_text_is_cut_in_the_message_only() -> None:
    text = "31 December 2015 " + "x" * 200
    with pytest.raises(DateParseError, match="too long") as caught:
        parse_window(text)
    error = caught.value
    assert error.text == text.strip()
    assert text[:40] in str(error)
    assert len(str(error).splitlines()) == 1
    assert len(str(error)) < 150


@quick
@given(st.text())
def test_any_text_gives_a_window_or_a_date_parse_error(text: str) -> None:
    try:
        window = parse_window(text)
    except DateParseError as error:
        assert error.text == text.strip()
    else:
        assert window.start <= window.end


@quick
@given(dates)
def test_every_day_reads_as_itself(day: date) -> None:
    for text in (f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}", day.isoformat()):
        assert parse_window(text) == DueWindow(day, day, DAY, text)


@quick
@given(years, st.integers(min_value=1, max_value=12))
def test_month_spans_the_whole_month(year: int, month: int) -> None:
    window = parse_window(f"{MONTH_NAMES[month - 1]} {year}")
    last = calendar.monthrange(year, month)[1]
    assert (window.start, window.end) == (date(year, month, 1), date(year, month, last))
    assert window.precision == MONTH


@quick
@given(years, years)
def test_period_spans_exactly_its_years(first: int, second: int) -> None:
    low, high = sorted((first, second))
    window = parse_window(f"{low}-{high}")
    assert (window.start, window.end) == (date(low, 1, 1), date(high, 12, 31))
    assert window.precision == PERIOD


def _expressions() -> st.SearchStrategy[str]:
    """Date-like texts, valid or not, built from the grammar's pieces."""
    month = st.sampled_from(MONTH_NAMES)
    day = st.integers(min_value=0, max_value=32)
    year = st.integers(min_value=1890, max_value=2210)
    sep = st.sampled_from(["-", " - ", EN_DASH, " to ", " and "])
    return st.one_of(
        st.builds("{} {} {}".format, day, month, year),
        st.builds("{}{}{} {} {}".format, day, sep, day, month, year),
        st.builds("{} {}{}{} {} {}".format, day, month, sep, day, month, year),
        st.builds("{} {}, {}".format, month, day, year),
        st.builds("{}{}{} {}".format, month, sep, month, year),
        st.builds("{} {}{}{} {}".format, month, year, sep, month, year),
        st.builds("Q{} {}".format, st.integers(min_value=0, max_value=9), year),
        st.builds("{}{}{}".format, year, sep, year),
        st.builds("since {} {}".format, month, year),
    )


@quick
@given(_expressions())
def test_every_window_starts_before_it_ends(text: str) -> None:
    try:
        window = parse_window(text, NOTE_DATE)
    except DateParseError:
        return
    assert window.start <= window.end
    assert window.text == text


# Russian forms, as the national documents write them (issue 18); read by the same grammar.
RU_MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
RUSSIAN_EXAMPLES = [
    (f"16{EN_DASH}19 сентября 2025 года", date(2025, 9, 16), date(2025, 9, 19), DAY),
    ("с 2 по 4 августа 2017 г.", date(2017, 8, 2), date(2017, 8, 4), DAY),
    ("IV квартал 2015 г.", date(2015, 10, 1), date(2015, 12, 31), QUARTER),
    ("в III квартале 2015 года", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("третий квартал 2015 года", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("I кв. 2027 г.", date(2027, 1, 1), date(2027, 3, 31), QUARTER),
    ("до 31 декабря 2015 года", date(2015, 12, 31), date(2015, 12, 31), DAY),
    (f"на 2022{EN_DASH}2025 годы", date(2022, 1, 1), date(2025, 12, 31), PERIOD),
    ("2017-2022 гг.", date(2017, 1, 1), date(2022, 12, 31), PERIOD),
    ("20.12.2016", date(2016, 12, 20), date(2016, 12, 20), DAY),
    ("1.3.2016", date(2016, 3, 1), date(2016, 3, 1), DAY),
    ("24 декабря 2021 года", date(2021, 12, 24), date(2021, 12, 24), DAY),
    (f"29 февраля {EN_DASH} 1 марта 2016 г.", date(2016, 2, 29), date(2016, 3, 1), DAY),
    ("2 и 3 мая 2019 г.", date(2019, 5, 2), date(2019, 5, 3), DAY),
    (
        "с 1 февраля 2017 года по 31 января 2018 года",
        date(2017, 2, 1),
        date(2018, 1, 31),
        DAY,
    ),
    ("сентябрь 2025 г.", date(2025, 9, 1), date(2025, 9, 30), MONTH),
    ("в мае 2019 года", date(2019, 5, 1), date(2019, 5, 31), MONTH),
    (f"мае{EN_DASH}июне 2021 года", date(2021, 5, 1), date(2021, 6, 30), MONTH),
    ("в 2018 году", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    ("в течение 2016 года", date(2016, 1, 1), date(2016, 12, 31), YEAR),
    ("Март 2016", date(2016, 3, 1), date(2016, 3, 31), MONTH),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), RUSSIAN_EXAMPLES)
def test_russian_forms(text: str, start: date, end: date, precision: Precision) -> None:
    window = parse_window(text)
    assert (window.start, window.end, window.precision, window.text) == (
        start,
        end,
        precision,
        text,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("22 мая", "the year is missing"),
        ("с 13 по 24 марта", "the year is missing"),
        ("31 февраля 2016 г.", "February 2016 has no day 31"),
        ("32.12.2016", "December 2016 has no day 32"),
        ("20.13.2016", "month 13 does not exist"),
        ("V квартал 2015 г.", "not a date form"),
        ("постановление № 340", "not a date form"),
    ],
)
def test_russian_errors_name_the_reason(text: str, reason: str) -> None:
    with pytest.raises(DateParseError) as error:
        parse_window(text)
    assert reason in str(error.value) and text in str(error.value)


@quick
@given(dates)
def test_every_day_in_russian_reads_as_itself(day: date) -> None:
    month = RU_MONTHS_GENITIVE[day.month - 1]
    for text in (f"{day.day} {month} {day.year} года", f"{day.day:02}.{day.month:02}.{day.year}"):
        window = parse_window(text)
        assert (window.start, window.end, window.precision) == (day, day, DAY)


@quick
@given(years, st.integers(min_value=1, max_value=4))
def test_every_roman_quarter_reads_as_its_three_months(year: int, quarter: int) -> None:
    roman = ("I", "II", "III", "IV")[quarter - 1]
    window = parse_window(f"{roman} квартал {year} г.")
    assert window.start == date(year, 3 * quarter - 2, 1)
    assert window.end.month == 3 * quarter and window.precision is QUARTER


# Issue 12: every form the issue lists, Russian and English, and the half-year precision.
HALF_YEAR = Precision.HALF_YEAR
ISSUE_FORMS = [
    ("15 апреля 2027 г.", date(2027, 4, 15), date(2027, 4, 15), DAY),
    ("15.04.2027", date(2027, 4, 15), date(2027, 4, 15), DAY),
    ("с 2 по 4 августа 2017 г.", date(2017, 8, 2), date(2017, 8, 4), DAY),
    ("22-24 мая 2017 года", date(2017, 5, 22), date(2017, 5, 24), DAY),
    ("в июне 2017 г.", date(2017, 6, 1), date(2017, 6, 30), MONTH),
    ("IV квартал 2015 г.", date(2015, 10, 1), date(2015, 12, 31), QUARTER),
    ("в третьем квартале 2015 года", date(2015, 7, 1), date(2015, 9, 30), QUARTER),
    ("первое полугодие 2016 г.", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    ("в 2018 году", date(2018, 1, 1), date(2018, 12, 31), YEAR),
    (f"2017{EN_DASH}2021 годы", date(2017, 1, 1), date(2021, 12, 31), PERIOD),
    ("до 31 декабря 2015 года", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("до конца 2027 года", date(2027, 1, 1), date(2027, 12, 31), YEAR),
    ("by the end of 2027", date(2027, 1, 1), date(2027, 12, 31), YEAR),
    ("first half of 2016", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    # More half-years, as plans write them.
    ("во втором полугодии 2016 года", date(2016, 7, 1), date(2016, 12, 31), HALF_YEAR),
    ("II полугодие 2016 г.", date(2016, 7, 1), date(2016, 12, 31), HALF_YEAR),
    ("1-е полугодие 2016 г.", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    ("в первой половине 2016 года", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    ("в течение первого полугодия 2016 года", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    ("the second half of 2016", date(2016, 7, 1), date(2016, 12, 31), HALF_YEAR),
    ("H1 2016", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    ("2016-H2", date(2016, 7, 1), date(2016, 12, 31), HALF_YEAR),
    ("by the end of the first half of 2016", date(2016, 1, 1), date(2016, 6, 30), HALF_YEAR),
    # Deadlines: "by", "no later than", "не позднее" name the window's last day.
    ("by 31 December 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("no later than 31 December 2015", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("не позднее 31 декабря 2015 г.", date(2015, 12, 31), date(2015, 12, 31), DAY),
    ("к концу 2027 года", date(2027, 1, 1), date(2027, 12, 31), YEAR),
    ("в начале 2016 года", date(2016, 1, 1), date(2016, 12, 31), YEAR),
]


@pytest.mark.parametrize(("text", "start", "end", "precision"), ISSUE_FORMS)
def test_issue_forms(text: str, start: date, end: date, precision: Precision) -> None:
    window = parse_window(text)
    assert (window.start, window.end, window.precision, window.text) == (
        start,
        end,
        precision,
        text,
    )


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("III полугодие 2016 г.", "H3 2016"),
        ("31 февраля 2016 г.", "31 February 2016"),
        ("20.13.2016", "2016-13"),
        ("22 мая", "22 May"),
        ("в 1800 году", "in 1800"),
        ("с 4 по 2 августа 2017 г.", "from 4 to 2 August 2017"),
        ("завтра", "tomorrow"),
    ],
)
def test_a_russian_error_has_the_english_twins_code(russian: str, english: str) -> None:
    with pytest.raises(DateParseError) as ru:
        parse_window(russian)
    with pytest.raises(DateParseError) as en:
        parse_window(english)
    # Same code and parameters: the edge words both alike, in the reader's language.
    assert (ru.value.code, ru.value.params) == (en.value.code, en.value.params)
    assert ru.value.text == russian and russian in str(ru.value)


def test_every_reason_code_has_words_in_the_catalogue() -> None:
    from tracker import messages
    from tracker.dates import REASONS

    assert {code: messages.MESSAGES.get(code) for code in REASONS} == REASONS


RU_MONTHS_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
RU_QUARTER_ORDINALS = ("первом", "втором", "третьем", "четвёртом")
EN_ORDINALS = ("first", "second", "third", "fourth")
ROMAN = ("I", "II", "III", "IV")


def _day_forms(day: date) -> tuple[list[str], list[str]]:
    genitive, name = RU_MONTHS_GENITIVE[day.month - 1], MONTH_NAMES[day.month - 1]
    russian = [f"{day.day} {genitive} {day.year} г.", f"{day.day:02}.{day.month:02}.{day.year}"]
    russian += [f"до {day.day} {genitive} {day.year} года"]
    return russian, [f"{day.day} {name} {day.year}", f"by {name} {day.day}, {day.year}"]


@st.composite
def bilingual(draw: st.DrawFn) -> tuple[str, str]:
    """One date written the Russian way and the English way (some form of each)."""
    year = draw(years)
    kind = draw(st.sampled_from(["day", "days", "month", "quarter", "half", "year", "period"]))
    if kind == "day":
        russian, english = _day_forms(draw(dates))
    elif kind == "days":
        month = draw(st.integers(1, 12))
        last = calendar.monthrange(year, month)[1]
        first = draw(st.integers(1, last - 1))
        end = draw(st.integers(first + 1, last))
        genitive, name = RU_MONTHS_GENITIVE[month - 1], MONTH_NAMES[month - 1]
        russian = [
            f"с {first} по {end} {genitive} {year} г.",
            f"{first}–{end} {genitive} {year} года",
        ]
        english = [f"{first}-{end} {name} {year}", f"from {first} to {end} {name} {year}"]
    elif kind == "month":
        month = draw(st.integers(1, 12))
        russian = [f"в {RU_MONTHS_PREPOSITIONAL[month - 1]} {year} г."]
        english = [f"{MONTH_NAMES[month - 1]} {year}", f"in {MONTH_NAMES[month - 1]} {year}"]
    elif kind == "quarter":
        q = draw(st.integers(1, 4))
        russian = [
            f"{ROMAN[q - 1]} квартал {year} г.",
            f"в {RU_QUARTER_ORDINALS[q - 1]} квартале {year} года",
        ]
        english = [f"Q{q} {year}", f"{EN_ORDINALS[q - 1]} quarter of {year}"]
    elif kind == "half":
        h = draw(st.integers(1, 2))
        russian = [
            f"{('первое', 'второе')[h - 1]} полугодие {year} г.",
            f"{ROMAN[h - 1]} полугодие {year} г.",
            f"{('в первом', 'во втором')[h - 1]} полугодии {year} года",
        ]
        english = [f"{EN_ORDINALS[h - 1]} half of {year}", f"H{h} {year}"]
    elif kind == "year":
        russian = [f"в {year} году", f"{year} г.", f"до конца {year} года"]
        english = [f"in {year}", f"by the end of {year}", str(year)]
    else:
        last = draw(st.integers(year + 1, 2200)) if year < 2200 else year
        russian = [f"{year}–{last} годы", f"на {year}-{last} гг."]
        english = [f"{year}-{last}", f"from {year} to {last}"]
    return draw(st.sampled_from(russian)), draw(st.sampled_from(english))


@quick
@given(bilingual())
def test_every_russian_window_equals_the_english_one(forms: tuple[str, str]) -> None:
    russian, english = (parse_window(text) for text in forms)
    assert (russian.start, russian.end, russian.precision) == (
        english.start,
        english.end,
        english.precision,
    )


@quick
@given(years, st.integers(min_value=1, max_value=2))
def test_every_half_year_spans_its_six_months(year: int, half: int) -> None:
    window = parse_window(f"{('первое', 'второе')[half - 1]} полугодие {year} г.")
    assert window.start == date(year, 6 * half - 5, 1)
    assert window.end == date(year, 6 * half, 30 if half == 1 else 31)
    assert window.precision is HALF_YEAR
