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

from tracker.dates import MAX_YEAR, MIN_YEAR
from tracker.services.common import MAX_ID, ServiceError, parse_iso_date

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,30}")


class CLIError(click.ClickException):
    """A one-line error naming the field and the value; exit status 2, nothing written."""

    exit_code = 2


def refuse(field: str, value: object, reason: str) -> NoReturn:
    """Stop the command: FIELD 'VALUE': REASON (long values are shortened)."""
    raise CLIError(str(ServiceError(field, value, reason)))


class WholeNumber(click.ParamType[int]):
    """A whole number from LOW to HIGH; OUT_OF_RANGE says why one outside is refused."""

    name = "integer"

    def __init__(self, field: str, low: int, high: int, out_of_range: str = "") -> None:
        self.field, self.low, self.high = field, low, high
        self.range = f"whole numbers from {low} to {high}"
        self.out_of_range = out_of_range or f"must be one of the {self.range}"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
            number = int(value.strip())
        else:
            refuse(self.field, value, f"not a valid integer; {self.field} takes {self.range}")
        if not self.low <= number <= self.high:
            refuse(self.field, value, self.out_of_range)
        return number


def record_id(field: str) -> WholeNumber:
    """The id of a stored record: 1 to MAX_ID (what both databases' integer columns hold)."""
    return WholeNumber(field, 1, MAX_ID, f"no such {field} (ids run from 1 to {MAX_ID})")


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
            raise CLIError(str(error)) from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            refuse(self.field, value, f"must be between {MIN_YEAR} and {MAX_YEAR}")
        return day
