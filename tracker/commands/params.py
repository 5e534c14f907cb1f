"""Click parameter types that refuse out-of-range input with a one-line error (exit 2).

Whole numbers and dates are bounded here, before any arithmetic or query sees them: a date
past the tracker's years overflows `as_of + within`, and an id past 32 bits overflows the
database's integer column (SQLite raises on 64 bits, PostgreSQL on 32).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NoReturn

import click
from flask_babel import gettext as _

from tracker.dates import MAX_YEAR, MIN_YEAR
from tracker.messages import describe
from tracker.services.common import MAX_ID, ServiceError, parse_iso_date

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


class CLIError(click.ClickException):
    """A one-line error naming the field and the value; exit status 2, nothing written."""

    exit_code = 2


def refuse(field: str, value: object, reason: str) -> NoReturn:
    """Stop the command: FIELD 'VALUE': REASON (long values are shortened)."""
    raise CLIError(describe(ServiceError(field, value, reason)))


class WholeNumber(click.ParamType[int]):
    """A whole number from LOW to HIGH; OUT_OF_RANGE says why one outside is refused."""

    name = "integer"

    def __init__(self, field: str, low: int, high: int, record: bool = False) -> None:
        self.field, self.low, self.high, self.record = field, low, high, record

    def _range(self) -> str:
        return str(_("whole numbers from %(low)s to %(high)s", low=self.low, high=self.high))

    def _out_of_range(self) -> str:
        if self.record:
            words: str = _(
                "no such %(field)s (ids run from 1 to %(most)s)", field=self.field, most=self.high
            )
        else:
            words = _("must be one of the %(range)s", range=self._range())
        return words

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
            number = int(value.strip())
        else:
            reason = _(
                "not a valid integer; %(field)s takes %(range)s",
                field=self.field,
                range=self._range(),
            )
            refuse(self.field, value, reason)
        if not self.low <= number <= self.high:
            refuse(self.field, value, self._out_of_range())
        return number


def record_id(field: str) -> WholeNumber:
    """The id of a stored record: 1 to MAX_ID (what both databases' integer columns hold)."""
    return WholeNumber(field, 1, MAX_ID, record=True)


class IsoDate(click.ParamType[date]):
    """A real YYYY-MM-DD date within the years the tracker reads."""

    name = "date"

    def __init__(self, field: str) -> None:
        self.field = field

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            day = parse_iso_date(self.field, str(value))
        except ServiceError as error:
            raise CLIError(describe(error)) from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            refuse(
                self.field,
                value,
                _("must be between %(first)s and %(last)s", first=MIN_YEAR, last=MAX_YEAR),
            )
        return day
