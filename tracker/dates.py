"""Date expressions of the source notes, parsed into due windows (pure; no Flask, no database)."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

MIN_YEAR = 1900
MAX_YEAR = 2200
MAX_LENGTH = 200
_ECHO_LENGTH = 60


class Precision(StrEnum):
    """How precisely a due window was given."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    PERIOD = "period"


@dataclass(frozen=True)
class DueWindow:
    """A date as written, and the inclusive range of days it stands for."""

    start: date
    end: date
    precision: Precision
    text: str


class DateParseError(ValueError):
    """A date expression that cannot be read; the message names the text."""

    def __init__(self, text: str, reason: str) -> None:
        self.text = text
        self.reason = reason
        # Long texts are cut in the message only, so that errors stay one readable line.
        shown = text if len(text) <= _ECHO_LENGTH else text[: _ECHO_LENGTH - 3] + "..."
        super().__init__(f"cannot read date {shown!r}: {reason}")


def parse_window(text: str, reference: date | None = None) -> DueWindow:
    """Parse a date expression such as '23-24 October 2012' or '2018' into a window."""
    stripped = text.strip()
    try:
        start, end, precision = _parse(_normalise(stripped), reference)
    except _Unreadable as error:
        raise DateParseError(stripped, error.reason) from None
    return DueWindow(start, end, precision, stripped)


_Span = tuple[date, date, Precision]
_Handler = Callable[[re.Match[str], date | None], _Span]


class _Unreadable(Exception):
    """Why a normalised text cannot be read; parse_window adds the text as written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_MONTH_NAMES = (
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
_MONTH_NUMBERS = {name[:3].lower(): number for number, name in enumerate(_MONTH_NAMES, 1)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ORDINALS |= {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_COUNTS = {word: number for number, word in enumerate(_COUNT_WORDS, 1)}
_QUALIFIABLE = (Precision.MONTH, Precision.QUARTER, Precision.YEAR)

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
_LEADING = re.compile(r"(?:on|in|during) ")
# Qualifiers are read but never narrow the window: that would invent precision.
_QUALIFIER = re.compile(r"(?:early|mid|late|(?:the )?(?:beginning|start|middle|end) of)(?: ?- ?| )")

_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_SEP = r"(?: ?- ?| (?:to|and|until|till|through) )"
_FROM = r"(?:from |between )?"
_YEAR_SEP = r"(?: ?- ?| (?:to|until|till|through) )"
_ISO_YEAR = r"(?P<y1>[0-9]{4})"
_QUARTER_WORD = "|".join(_ORDINALS)
_COUNT = "|".join(_COUNTS)


def _d(n: int) -> str:
    return rf"(?P<d{n}>[0-9]{{1,2}})(?:st|nd|rd|th)?"


def _m(n: int) -> str:
    return rf"(?P<m{n}>{_MONTH})\.?"


def _y(n: int) -> str:
    return rf"(?P<y{n}>[0-9]{{3,}})"


def _normalise(text: str) -> str:
    if not text:
        raise _Unreadable("the text is empty")
    if len(text) > MAX_LENGTH:
        raise _Unreadable(f"the text is too long ({len(text)} characters; at most {MAX_LENGTH})")
    flat = " ".join(text.split()).lower().translate(_DASHES)
    flat = flat.replace(" ,", ",").strip(" .,;:")
    if _CYRILLIC.search(flat):
        flat = _from_russian(flat)
    leading = _LEADING.match(flat)
    return flat[leading.end() :] if leading else flat


# --- Russian forms, read by rewriting them into the English grammar below ----------------
# Months in every case ("сентября", "сентябре", "сентябрь"), years with "года"/"г.",
# quarters in Roman numerals or words, "с 2 по 4 августа", "до"/"в"/"на" before a date.
_CYRILLIC = re.compile("[а-яё]")
_RU_MONTHS = (
    ("январ", "january"),
    ("феврал", "february"),
    ("март", "march"),
    ("апрел", "april"),
    ("ма", "may"),
    ("июн", "june"),
    ("июл", "july"),
    ("август", "august"),
    ("сентябр", "september"),
    ("октябр", "october"),
    ("ноябр", "november"),
    ("декабр", "december"),
)
_RU_MONTH = re.compile(
    r"(?<![а-яё])(" + "|".join(stem for stem, _ in _RU_MONTHS) + r")(?:ь|я|е|ю|й|а|ом|ем|у)?"
    r"(?:\.)?(?![а-яё])"
)
_RU_MONTH_NAMES = dict(_RU_MONTHS)
_RU_YEAR_WORD = re.compile(
    r"([0-9]{3,4}) ?(?:года|году|годах|годов|годы|год|гг|г)(?:\.|(?![а-яё]))"
)
_RU_QUARTER = re.compile(
    r"(?<![а-яё])(iv|i{1,3}|[1-4](?:-?(?:й|го|м))?|перв\w*|втор\w*|трет\w*|четв[её]рт\w*)"
    r" ?(?:квартал\w*|кв\.?)(?![а-яё])"
)
_RU_QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_RU_QUARTER_NUMBERS |= {"перв": 1, "втор": 2, "трет": 3, "четв": 4}
_RU_WORDS = (
    (re.compile(r"^(?:с|со) (.+?) (?:по|до) (.+)$"), r"from \1 to \2"),
    (re.compile(r"^(?:в течение|в период|на период|до|к|во|в|на) "), ""),
    (re.compile(r"(?<![а-яё])(?:по|до)(?![а-яё])"), "to"),
    (re.compile(r"(?<![а-яё])и(?![а-яё])"), "and"),
)


def _from_russian(flat: str) -> str:
    """The Russian date forms rewritten as their English equivalents."""
    flat = _RU_YEAR_WORD.sub(r"\1", flat)
    flat = _RU_QUARTER.sub(_quarter_words, flat)
    flat = _RU_MONTH.sub(lambda m: _RU_MONTH_NAMES[m.group(1)], flat)
    for pattern, replacement in _RU_WORDS:
        flat = pattern.sub(replacement, flat)
    return " ".join(flat.split()).strip(" .,;:")


def _quarter_words(match: re.Match[str]) -> str:
    token = match.group(1)
    number = _RU_QUARTER_NUMBERS.get(token) or _RU_QUARTER_NUMBERS.get(token[:4])
    return f"q{number or token[0]}"


def _parse(norm: str, reference: date | None) -> _Span:
    qualifier = _QUALIFIER.match(norm)
    if qualifier is None:
        return _parse_plain(norm, reference)
    span = _parse_plain(norm[qualifier.end() :], reference)
    if span[2] not in _QUALIFIABLE:
        raise _Unreadable("words like 'early' or 'late' only go with a month, quarter or year")
    return span


def _parse_plain(norm: str, reference: date | None) -> _Span:
    for pattern, handler in _RULES:
        match = pattern.fullmatch(norm)
        if match:
            return handler(match, reference)
    # A text that would read with a year added is a day or month whose year was left out.
    if any(pattern.fullmatch(f"{norm} 2000") for pattern, _ in _RULES):
        raise _Unreadable("the year is missing")
    raise _Unreadable("not a date form this tracker can read")


def _pick(match: re.Match[str], first: str, fallback: str) -> str:
    groups = match.groupdict(default="")
    return groups.get(first) or groups[fallback]


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unreadable(
            f"year {year} is outside the years this tracker reads ({MIN_YEAR}-{MAX_YEAR})"
        )
    return year


def _year(token: str) -> int:
    return _check_year(int(token))


def _month(token: str) -> int:
    if not token.isdigit():
        return _MONTH_NUMBERS[token[:3]]
    if not 1 <= int(token) <= 12:
        raise _Unreadable(f"month {int(token)} does not exist")
    return int(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year_token: str, month_token: str, day_token: str) -> date:
    year, month, day = _year(year_token), _month(month_token), int(day_token)
    last = _month_end(year, month).day
    if not 1 <= day <= last:
        name = _MONTH_NAMES[month - 1]
        raise _Unreadable(f"{name} {year} has no day {day} (it has {last} days)")
    return date(year, month, day)


def _ordered(start: date, end: date, precision: Precision) -> _Span:
    if end < start:
        raise _Unreadable(f"the range ends ({end}) before it starts ({start})")
    return start, end, precision


def _need(reference: date | None) -> date:
    if reference is None:
        raise _Unreadable("a relative date needs a reference date (the note's date)")
    return date(reference.year, reference.month, reference.day)


def _day_window(match: re.Match[str], reference: date | None) -> _Span:
    start = _day(_pick(match, "y1", "y2"), _pick(match, "m1", "m2"), match["d1"])
    end = _day(_pick(match, "y2", "y1"), _pick(match, "m2", "m1"), _pick(match, "d2", "d1"))
    return _ordered(start, end, Precision.DAY)


def _month_window(match: re.Match[str], reference: date | None) -> _Span:
    first_year, first_month = _year(_pick(match, "y1", "y2")), _month(_pick(match, "m1", "m2"))
    last_year, last_month = _year(_pick(match, "y2", "y1")), _month(_pick(match, "m2", "m1"))
    start = date(first_year, first_month, 1)
    return _ordered(start, _month_end(last_year, last_month), Precision.MONTH)


def _quarter_window(match: re.Match[str], reference: date | None) -> _Span:
    token = match["q"]
    quarter = _ORDINALS.get(token) or int(token)
    if not 1 <= quarter <= 4:
        raise _Unreadable(f"quarter {quarter} does not exist (quarters are 1-4)")
    year = _year(match["y1"])
    start = date(year, 3 * quarter - 2, 1)
    return start, _month_end(year, 3 * quarter), Precision.QUARTER


def _year_window(match: re.Match[str], reference: date | None) -> _Span:
    year = _year(match["y1"])
    return date(year, 1, 1), date(year, 12, 31), Precision.YEAR


def _period_window(match: re.Match[str], reference: date | None) -> _Span:
    start = date(_year(match["y1"]), 1, 1)
    return _ordered(start, date(_year(match["y2"]), 12, 31), Precision.PERIOD)


def _past_window(match: re.Match[str], reference: date | None) -> _Span:
    today = _need(reference)
    token = match["n"]
    count = 1 if token is None else _COUNTS.get(token) or int(token)
    # The note cannot speak of days after it was written, so the window ends on its date.
    return _ordered(date(_check_year(today.year - count), 1, 1), today, Precision.PERIOD)


def _since_window(match: re.Match[str], reference: date | None) -> _Span:
    today = _need(reference)
    start = _parse(match["rest"], today)[0]
    return _ordered(start, today, Precision.PERIOD)


def _rules() -> list[tuple[str, _Handler]]:
    return [
        (rf"{_ISO_YEAR}-(?P<m1>[0-9]{{2}})-(?P<d1>[0-9]{{2}})", _day_window),
        (rf"{_ISO_YEAR}-(?P<m1>[0-9]{{2}})", _month_window),
        (rf"(?P<d1>[0-9]{{1,2}})\.(?P<m1>[0-9]{{1,2}})\.{_ISO_YEAR}", _day_window),
        (rf"{_d(1)} {_m(1)},? {_y(1)}", _day_window),
        (
            rf"{_FROM}{_d(1)}(?: {_m(1)}(?:,? {_y(1)})?)?{_SEP}{_d(2)} {_m(2)},? {_y(2)}",
            _day_window,
        ),
        (rf"{_m(1)} {_d(1)},? {_y(1)}", _day_window),
        (
            rf"{_FROM}{_m(1)} {_d(1)}(?:,? {_y(1)})?{_SEP}(?:{_m(2)} )?{_d(2)},? {_y(2)}",
            _day_window,
        ),
        (rf"{_m(1)},? {_y(1)}", _month_window),
        (rf"{_FROM}{_m(1)}(?:,? {_y(1)})?{_SEP}{_m(2)},? {_y(2)}", _month_window),
        (rf"(?:the )?(?P<q>{_QUARTER_WORD}) quarter(?: of)?,? {_y(1)}", _quarter_window),
        (rf"q(?P<q>[0-9]) ?(?:of )?{_y(1)}", _quarter_window),
        (rf"{_ISO_YEAR} ?-? ?q(?P<q>[0-9])", _quarter_window),
        (r"(?:the )?year (?P<y1>[0-9]+)", _year_window),
        (_y(1), _year_window),
        # "between 2015 and 2017" is a span; "in 2015 and 2017" two years, read one by one.
        (rf"(?:the )?(?:period |years )?between {_y(1)} and {_y(2)}", _period_window),
        (rf"(?:the )?(?:period |years )?{_FROM}{_y(1)}{_YEAR_SEP}{_y(2)}", _period_window),
        (
            rf"(?:(?:over|for|within) )?the (?:past|last|previous) "
            rf"(?:(?P<n>[0-9]{{1,3}}|{_COUNT}) )?years?",
            _past_window,
        ),
        (r"since (?P<rest>.+)", _since_window),
    ]


_RULES = [(re.compile(pattern), handler) for pattern, handler in _rules()]
