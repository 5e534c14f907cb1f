"""One set of rules for text, dates, ids and day counts, shared by web, API, CLI and import.

Pure: no Flask, no database. Every check raises `InputError` naming the field, the value and
the reason, which each edge words as a 400/422, a form error or a CLI line with exit status 2.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from tracker import messages
from tracker.dates import MAX_YEAR, MIN_YEAR

# Ids are PostgreSQL `integer`s; a larger number is no id at all (404, never an overflow).
MAX_ID = 2**31 - 1
MAX_WITHIN_DAYS = 3660  # the longest horizon a view, report or command takes: about ten years
FIRST_DAY, LAST_DAY = date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)
TEXT_LIMIT = 20_000

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?Z")
_DIGITS = re.compile(r"[0-9]+")
# Characters that show nothing although they are not spaces or format characters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_MULTILINE_CONTROLS = frozenset("\t\n\r")
_ECHO = 60


class InputError(ValueError):
    """Input refused: names the field and the value, and gives a code and its parameters.

    The edges word it (`tracker.messages`); `str()` is the English line, for logs and tests.
    A code that is not in the catalogue is taken as a reason already worded.
    """

    status_code = 400

    def __init__(self, field: str, value: object, code: str, /, **params: object) -> None:
        if code not in messages.MESSAGES:
            code, params = messages.LITERAL, {"reason": code}
        self.field, self.value, self.code, self.params = field, value, code, params
        super().__init__(messages.describe(self, _ECHO, english=True))

    @property
    def reason(self) -> str:
        """Why the value was refused, in English."""
        return messages.reason(self)


def _is_control(char: str) -> bool:
    point = ord(char)
    return point < 0x20 or 0x7F <= point <= 0x9F


def _invisible(char: str) -> bool:
    return char in _BLANK_LETTERS or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def control_character(value: str, multiline: bool = False) -> str | None:
    """The first control character the rule refuses in this text, or None."""
    allowed = _MULTILINE_CONTROLS if multiline else frozenset()
    return next((c for c in value if _is_control(c) and c not in allowed), None)


def clean_text(
    field: str,
    value: str,
    multiline: bool = False,
    max_length: int = TEXT_LIMIT,
    required: bool = False,
) -> str:
    """The text stripped of surrounding spaces, or an error: controls, invisibles, length."""
    if not isinstance(value, str):
        raise InputError(field, value, "not_text")
    if "\x00" in value:
        raise InputError(field, value, "nul_character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(field, value, "lone_surrogate") from None
    bad = control_character(value, multiline)
    if bad is not None:
        code = "control_character" if multiline else "control_character_single_line"
        raise InputError(field, value, code, point=f"{ord(bad):04X}")
    value = value.strip()
    if value and all(_invisible(c) for c in value):
        raise InputError(field, value, "invisible_only")
    if required and not value:
        raise InputError(field, value, "required")
    if len(value) > max_length:
        raise InputError(field, value, "too_long", length=len(value), limit=max_length)
    return value


def parse_iso_date(field: str, value: str) -> date:
    """A YYYY-MM-DD date between 1900-01-01 and 2200-12-31 (no week dates, no 20200101)."""
    text = value.strip() if isinstance(value, str) else ""
    if not _ISO_DATE.fullmatch(text):
        raise InputError(field, value, "not_iso_date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(field, value, "no_such_day") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(field, value, "date_out_of_range", first=FIRST_DAY, last=LAST_DAY)
    return day


def parse_iso_moment(field: str, value: str) -> datetime:
    """A UTC moment: a day (YYYY-MM-DD, its midnight) or YYYY-MM-DDTHH:MM[:SS]Z."""
    text = value.strip() if isinstance(value, str) else ""
    found = _ISO_MOMENT.fullmatch(text)
    if found is None:
        day = parse_iso_date(field, value) if _ISO_DATE.fullmatch(text) else None
        if day is None:
            raise InputError(field, value, "not_iso_moment")
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    day = parse_iso_date(field, found[1])
    hour, minute, second = int(found[2]), int(found[3]), int(found[4] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise InputError(field, value, "not_iso_moment")
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=UTC)


def parse_whole(
    field: str, value: str | int, low: int, high: int, code: str = "not_whole_number"
) -> int:
    """A whole number from low to high, written in ASCII digits (no '²', no sign, no spaces)."""
    if isinstance(value, bool):
        raise InputError(field, value, code, low=low, high=high)
    text = str(value).strip() if isinstance(value, int | str) else ""
    # Long digit strings are refused before int() reads them: nothing is that large.
    if not _DIGITS.fullmatch(text) or len(text) > len(str(high)) or not low <= int(text) <= high:
        raise InputError(field, value, code, low=low, high=high)
    return int(text)


def parse_id(field: str, value: str | int) -> int:
    """An id: 1 to 2**31-1, so that it fits a PostgreSQL integer."""
    return parse_whole(field, value, 1, MAX_ID)


def parse_days(field: str, value: str | int, maximum: int = MAX_WITHIN_DAYS) -> int:
    """A number of days from 0 to the horizon's maximum."""
    return parse_whole(field, value, 0, maximum, "not_day_count")


def nul_field(pairs: list[tuple[str, str]]) -> str | None:
    """The first field whose name or value holds a NUL character, or None."""
    return next((name for name, value in pairs if "\x00" in name or "\x00" in value), None)
