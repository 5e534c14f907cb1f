"""Dates as people write them, per language: due windows, days, relative phrases, timestamps.

Pure (Babel; no Flask, no database), so that pages, mail and downloads word a date alike and
the tests read it directly. Babel gives month names, day patterns and plural rules (CLDR);
the few words around them ("г.", "квартал", "overdue by") are in `_WORDS`, one entry per
language. A window is written so that `tracker.dates.parse_window` reads it back as the same
window: "15 апреля 2027 г.", "IV квартал 2027 г.", "2017–2021 гг."; "15 April 2027", "Q4 2027".
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from babel.units import format_unit

from tracker.dates import DueWindow, Precision

EN_DASH = "\u2013"
NBSP = "\u00a0"  # between a year and "г.": never split over two lines
_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class _Words:
    """The words a language puts around Babel's dates and numbers."""

    babel: str  # the Babel locale whose patterns this language uses
    year: str  # "{year} г."
    years: str  # "{first}–{last} гг."
    day_suffix: str  # after a day's year in a range: " г."
    quarter: str  # "{roman} квартал {year} г." / "Q{number} {year}"
    quarter_short: str  # under a chart's column: "III кв." / "Q3"
    halves: tuple[str, str]  # "первое полугодие {year} г." / "first half of {year}"
    overdue: str  # "просрочено на {duration}"
    within: str  # "через {duration}"
    due_today: str
    starts_today: str
    under_way: str


_WORDS = {
    "en": _Words(
        babel="en_GB",  # "15 April 2027": the day before the month, as the UN notes write it
        year="{year}",
        years="{first}\u2013{last}",
        day_suffix="",
        quarter="Q{number} {year}",
        quarter_short="Q{number}",
        halves=("first half of {year}", "second half of {year}"),
        overdue="overdue by {duration}",
        within="in {duration}",
        due_today="due today",
        starts_today="starts today",
        under_way="under way",
    ),
    "ru": _Words(
        babel="ru",
        year="{year}\u00a0г.",
        years="{first}\u2013{last}\u00a0гг.",
        day_suffix="\u00a0г.",
        quarter="{roman} квартал {year}\u00a0г.",
        quarter_short="{roman}\u00a0кв.",
        halves=("первое полугодие {year}\u00a0г.", "второе полугодие {year}\u00a0г."),
        overdue="просрочено на {duration}",
        within="через {duration}",
        due_today="срок сегодня",
        starts_today="начинается сегодня",
        under_way="идёт сейчас",
    ),
}


def _words(locale: str) -> _Words:
    """A language's words; an unknown language gets English (never an error)."""
    return _WORDS.get(str(locale).replace("-", "_").split("_")[0].lower(), _WORDS["en"])


@cache
def _babel(locale: str) -> Locale:
    return Locale.parse(_words(locale).babel)


# --- days and windows -------------------------------------------------------------------------


def format_day(day: date, locale: str) -> str:
    """One day, long form: '15 апреля 2027 г.', '15 April 2027'."""
    return _date(day, "long", locale)


# Kept: a page writes hundreds of days and a worker writes the same ones again (pure).
@lru_cache(maxsize=8192)
def _date(day: date, pattern: str, locale: str) -> str:
    return _format(day, pattern, locale)


def _format(day: date, pattern: str, locale: str) -> str:
    # CLDR puts a narrow no-break space before "г."; a plain no-break space is in every font.
    return format_date(day, pattern, locale=_babel(locale)).replace("\u202f", NBSP)


def format_window(window: DueWindow, locale: str) -> str:
    """A due window as people write it at its precision; a window that is not whole months,
    quarters or years (e.g. 'over the past two years') is written as its first and last day."""
    start, end, words = window.start, window.end, _words(locale)
    precision = window.precision
    if precision is Precision.DAY or not _whole_months(start, end):
        return _days(start, end, locale)
    if precision is Precision.QUARTER and _is_part(start, end, 3):
        return format_quarter(start.year, (start.month + 2) // 3, locale)
    if precision is Precision.HALF_YEAR and _is_part(start, end, 6):
        return words.halves[start.month // 6].format(year=start.year)
    if precision in (Precision.YEAR, Precision.PERIOD) and _whole_years(start, end):
        if start.year == end.year:
            return words.year.format(year=start.year)
        return words.years.format(first=start.year, last=end.year)
    return _months(start, end, locale)


def format_quarter(year: int, number: int, locale: str, short: bool = False) -> str:
    """A quarter of a year: 'III квартал 2015 г.', 'Q3 2015'; short, without the year (a
    chart's axis): 'III кв.', 'Q3'."""
    words = _words(locale)
    pattern = words.quarter_short if short else words.quarter
    return pattern.format(roman=_ROMAN[number - 1], number=number, year=year)


def _whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def _whole_years(start: date, end: date) -> bool:
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)


def _is_part(start: date, end: date, months: int) -> bool:
    """One quarter (3) or half-year (6) of one year, from its first to its last day."""
    return (
        start.year == end.year
        and (start.month - 1) % months == 0
        and end.month == start.month + months - 1
        and _whole_months(start, end)
    )


def format_days(start: date, end: date, locale: str) -> str:
    """The days from one to another: '2–4 августа 2017 г.', '29 February – 1 March 2016'."""
    return _days(start, end, locale)


def _days(start: date, end: date, locale: str) -> str:
    suffix = _words(locale).day_suffix
    if start == end:
        return format_day(start, locale)
    last = _date(end, "d MMMM y", locale) + suffix
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{last}"
    if start.year == end.year:
        return f"{_date(start, 'd MMMM', locale)} {EN_DASH} {last}"
    return f"{format_day(start, locale)} {EN_DASH} {format_day(end, locale)}"


def _months(start: date, end: date, locale: str) -> str:
    """'июнь 2017 г.', 'May–June 2017', 'November 2016 – January 2017'."""
    words = _words(locale)

    def month_year(day: date) -> str:  # the standalone (nominative) month name, then the year
        return _date(day, "LLLL", locale) + " " + words.year.format(year=day.year)

    if (start.year, start.month) == (end.year, end.month):
        return month_year(start)
    if start.year == end.year:
        return f"{_date(start, 'LLLL', locale)}{EN_DASH}{month_year(end)}"
    return f"{month_year(start)} {EN_DASH} {month_year(end)}"


# --- relative phrases -------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def format_duration(earlier: date, later: date, locale: str) -> str:
    """The time between two days in its two largest calendar units, with the language's
    plurals: '10 лет 2 месяца', '1 month 12 days', '3 дня'."""
    years, months, days = _calendar_span(earlier, later)
    if years:
        parts = [(years, "year"), (months, "month")]
    elif months:
        parts = [(months, "month"), (days, "day")]
    else:
        parts = [(days, "day"), (0, "")]
    babel = _babel(locale)
    # The second unit is left out when it is zero: "10 лет", not "10 лет 0 месяцев".
    words = [format_unit(parts[0][0], f"duration-{parts[0][1]}", length="long", locale=babel)]
    if parts[1][0]:
        words.append(format_unit(parts[1][0], f"duration-{parts[1][1]}", locale=babel))
    return " ".join(words)


def _calendar_span(earlier: date, later: date) -> tuple[int, int, int]:
    """Whole years, then months, then days from one day to a later one (a month from
    31 January is the last day of February)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if _add_months(earlier, months) > later:
        months -= 1
    days = (later - _add_months(earlier, months)).days
    return months // 12, months % 12, days


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def overdue_phrase(due_day: date, as_of: date, locale: str) -> str:
    """'просрочено на 10 лет 2 месяца', 'overdue by 3 days': how long since the due day."""
    return _words(locale).overdue.format(duration=format_duration(due_day, as_of, locale))


def until_phrase(as_of: date, key_day: date, locale: str, deadline: bool = True) -> str:
    """'через 3 дня', 'in 1 month 2 days'; on the day itself 'due today' (a deadline) or
    'starts today' (a meeting); a meeting that has started is 'under way'."""
    words = _words(locale)
    if key_day > as_of:
        return words.within.format(duration=format_duration(as_of, key_day, locale))
    if key_day == as_of:
        return words.due_today if deadline else words.starts_today
    return words.under_way


def overdue_since(due_day: date, days_overdue: int, locale: str) -> str:
    """The overdue phrase of a report item, which keeps the due day and the day count."""
    return overdue_phrase(due_day, due_day + timedelta(days=days_overdue), locale)


def until_from(key_day: date, days_until: int, locale: str, deadline: bool = True) -> str:
    """The upcoming phrase of a report item, which keeps its key day and the day count (0 on
    a deadline's due day, and for a meeting from its first day: it is then under way)."""
    if days_until <= 0:
        return _words(locale).due_today if deadline else _words(locale).under_way
    return until_phrase(key_day - timedelta(days=days_until), key_day, locale, deadline)


# --- timestamps -------------------------------------------------------------------------------


def format_timestamp(moment: datetime, zone: ZoneInfo | None, locale: str) -> str:
    """A stored (UTC) moment in the reader's zone: '2 дек. 2026 г., 13:30', '2 Dec 2026, 13:30'."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(zone or UTC)
    babel = _babel(locale)
    return f"{_format(local, 'medium', locale)}, {format_time(local, 'HH:mm', locale=babel)}"
