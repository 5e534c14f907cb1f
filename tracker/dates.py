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
    HALF_YEAR = "half_year"
    YEAR = "year"
    PERIOD = "period"


@dataclass(frozen=True)
class DueWindow:
    """A date as written, and the inclusive range of days it stands for."""

    start: date
    end: date
    precision: Precision
    text: str


# Why a text cannot be read: a stable code and its English words, filled with parameters.
# The edges translate by code (tracker.messages has the same codes); the parser never words
# a reason in another language, so a Russian text and its English twin get the same code.
REASONS: dict[str, str] = {
    "date_empty": "the text is empty",
    "date_too_long": "the text is too long ({length} characters; at most {most})",
    "date_year_missing": "the year is missing",
    "date_unknown_form": "not a date form this tracker can read",
    "date_qualifier_alone": (
        "words like 'early' or 'late' only go with a month, quarter, half-year or year"
    ),
    "date_year_out_of_range": (
        "year {year} is outside the years this tracker reads ({first}-{last})"
    ),
    "date_no_such_month": "month {month} does not exist",
    "date_no_such_day": "{month_name} {year} has no day {day} (it has {last} days)",
    "date_no_such_quarter": "quarter {quarter} does not exist (quarters are 1-4)",
    "date_no_such_half_year": "half-year {half} does not exist (half-years are 1-2)",
    "date_range_backwards": "the range ends ({end}) before it starts ({start})",
    "date_needs_reference": "a relative date needs a reference date (the note's date)",
}


class DateParseError(ValueError):
    """A date expression that cannot be read; the message names the text.

    `code` and `params` say why (a key of REASONS); `reason` is that in English.
    """

    def __init__(self, text: str, code: str, params: dict[str, object] | None = None) -> None:
        self.text = text
        self.code = code
        self.params = dict(params or {})
        self.reason = REASONS[code].format(**self.params)
        # Long texts are cut in the message only, so that errors stay one readable line.
        shown = text if len(text) <= _ECHO_LENGTH else text[: _ECHO_LENGTH - 3] + "..."
        super().__init__(f"cannot read date {shown!r}: {self.reason}")


def parse_window(text: str, reference: date | None = None) -> DueWindow:
    """Parse a date expression such as '23-24 October 2012' or '2018' into a window."""
    stripped = text.strip()
    try:
        start, end, precision = _parse(_normalise(stripped), reference)
    except _Unreadable as error:
        raise DateParseError(stripped, error.code, error.params) from None
    return DueWindow(start, end, precision, stripped)


_Span = tuple[date, date, Precision]
_Handler = Callable[[re.Match[str], date | None], _Span]


class _Unreadable(Exception):
    """Why a normalised text cannot be read; parse_window adds the text as written."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code, self.params = code, params


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
_QUALIFIABLE = (Precision.MONTH, Precision.QUARTER, Precision.HALF_YEAR, Precision.YEAR)
_HALVES = {"first": 1, "second": 2, "1st": 1, "2nd": 2}

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# "by 31 December 2015", "no later than 2016": a deadline's window is the date it names.
_LEADING = re.compile(r"(?:on|in|during|by|(?:no|not) later than) ")
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
_HALF_WORD = "|".join(_HALVES)
_COUNT = "|".join(_COUNTS)


def _d(n: int) -> str:
    return rf"(?P<d{n}>[0-9]{{1,2}})(?:st|nd|rd|th)?"


def _m(n: int) -> str:
    return rf"(?P<m{n}>{_MONTH})\.?"


def _y(n: int) -> str:
    return rf"(?P<y{n}>[0-9]{{3,}})"


def _normalise(text: str) -> str:
    if not text:
        raise _Unreadable("date_empty")
    if len(text) > MAX_LENGTH:
        raise _Unreadable("date_too_long", length=len(text), most=MAX_LENGTH)
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
# "первое полугодие", "в первом полугодии", "II полугодие", "1-е полугодие", "во второй половине".
_RU_HALF = re.compile(
    r"(?<![а-яё])(iv|i{1,3}|[0-9](?:-?(?:е|й|ое|го|м))?|перв\w*|втор\w*|трет\w*)"
    r" ?(?:полугоди\w*|половин\w*)(?![а-яё])"
)
# "до конца 2027 года", "в начале 2016 года", "в середине 2016 г.": read, never narrowing.
_RU_QUALIFIER = re.compile(
    r"(?<![а-яё])(?:(конц[аеу]|конец)|(начал[оае])|(середин[аеуы]))(?![а-яё])"
)
_RU_WORDS = (
    (re.compile(r"^(?:с|со) (.+?) (?:по|до) (.+)$"), r"from \1 to \2"),
    (re.compile(r"^(?:в течение|в период|на период|не позднее|не позже|до|к|во|в|на) "), ""),
    (re.compile(r"(?<![а-яё])(?:по|до)(?![а-яё])"), "to"),
    (re.compile(r"(?<![а-яё])и(?![а-яё])"), "and"),
)


def _from_russian(flat: str) -> str:
    """The Russian date forms rewritten as their English equivalents."""
    flat = _RU_YEAR_WORD.sub(r"\1", flat)
    flat = _RU_QUARTER.sub(_quarter_words, flat)
    flat = _RU_HALF.sub(_half_words, flat)
    flat = _RU_QUALIFIER.sub(_qualifier_words, flat)
    flat = _RU_MONTH.sub(lambda m: _RU_MONTH_NAMES[m.group(1)], flat)
    for pattern, replacement in _RU_WORDS:
        flat = pattern.sub(replacement, flat)
    return " ".join(flat.split()).strip(" .,;:")


def _quarter_words(match: re.Match[str]) -> str:
    token = match.group(1)
    number = _RU_QUARTER_NUMBERS.get(token) or _RU_QUARTER_NUMBERS.get(token[:4])
    return f"q{number or token[0]}"


def _half_words(match: re.Match[str]) -> str:
    token = match.group(1)
    # A third half-year is read as one, so that it is refused as "H3" is, not as gibberish.
    number = _RU_QUARTER_NUMBERS.get(token) or _RU_QUARTER_NUMBERS.get(token[:4])
    return f"h{number or token[0]}"


def _qualifier_words(match: re.Match[str]) -> str:
    end, beginning, _middle = match.groups()
    return "end of" if end else "beginning of" if beginning else "middle of"


def _parse(norm: str, reference: date | None) -> _Span:
    qualifier = _QUALIFIER.match(norm)
    if qualifier is None:
        return _parse_plain(norm, reference)
    span = _parse_plain(norm[qualifier.end() :], reference)
    if span[2] not in _QUALIFIABLE:
        raise _Unreadable("date_qualifier_alone")
    return span


def _parse_plain(norm: str, reference: date | None) -> _Span:
    for pattern, handler in _RULES:
        match = pattern.fullmatch(norm)
        if match:
            return handler(match, reference)
    # A text that would read with a year added is a day or month whose year was left out.
    if any(pattern.fullmatch(f"{norm} 2000") for pattern, _ in _RULES):
        raise _Unreadable("date_year_missing")
    raise _Unreadable("date_unknown_form")


def _pick(match: re.Match[str], first: str, fallback: str) -> str:
    groups = match.groupdict(default="")
    return groups.get(first) or groups[fallback]


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unreadable("date_year_out_of_range", year=year, first=MIN_YEAR, last=MAX_YEAR)
    return year


def _year(token: str) -> int:
    return _check_year(int(token))


def _month(token: str) -> int:
    if not token.isdigit():
        return _MONTH_NUMBERS[token[:3]]
    if not 1 <= int(token) <= 12:
        raise _Unreadable("date_no_such_month", month=int(token))
    return int(token)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year_token: str, month_token: str, day_token: str) -> date:
    year, month, day = _year(year_token), _month(month_token), int(day_token)
    last = _month_end(year, month).day
    if not 1 <= day <= last:
        name = _MONTH_NAMES[month - 1]
        raise _Unreadable(
            "date_no_such_day", month_name=name, month=month, year=year, day=day, last=last
        )
    return date(year, month, day)


def _ordered(start: date, end: date, precision: Precision) -> _Span:
    if end < start:
        raise _Unreadable("date_range_backwards", start=start.isoformat(), end=end.isoformat())
    return start, end, precision


def _need(reference: date | None) -> date:
    if reference is None:
        raise _Unreadable("date_needs_reference")
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
        raise _Unreadable("date_no_such_quarter", quarter=quarter)
    year = _year(match["y1"])
    start = date(year, 3 * quarter - 2, 1)
    return start, _month_end(year, 3 * quarter), Precision.QUARTER


def _half_year_window(match: re.Match[str], reference: date | None) -> _Span:
    token = match["h"]
    half = _HALVES.get(token) or int(token)
    if not 1 <= half <= 2:
        raise _Unreadable("date_no_such_half_year", half=half)
    year = _year(match["y1"])
    start = date(year, 6 * half - 5, 1)
    return start, _month_end(year, 6 * half), Precision.HALF_YEAR


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
        (rf"(?:the )?(?P<h>{_HALF_WORD}) half(?:[- ]year)?(?: of)?,? {_y(1)}", _half_year_window),
        (rf"h(?P<h>[0-9]) ?(?:of )?{_y(1)}", _half_year_window),
        (rf"{_ISO_YEAR} ?-? ?h(?P<h>[0-9])", _half_year_window),
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
