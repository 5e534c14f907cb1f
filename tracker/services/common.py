"""Errors and input checks shared by the services."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from tracker.dates import DateParseError, DueWindow, parse_window

# The largest id a record can have: PostgreSQL's integer columns stop at 2**31 - 1.
MAX_ID = 2**31 - 1


class ServiceError(ValueError):
    """Input the domain refuses; names the field and the value."""

    status_code = 400

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field, self.value, self.reason = field, value, reason
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{field} {shown!r}: {reason}")


class NotFound(ServiceError):
    """A State, milestone, note or user that does not exist."""

    status_code = 404


class Conflict(ServiceError):
    """Someone else saved first, or the thing exists already."""

    status_code = 409


# --- input checks --------------------------------------------------------------------------


def clean_text(field_name: str, value: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ServiceError(field_name, value, "is required")
    if len(value) > limit:
        raise ServiceError(field_name, value, f"is {len(value)} characters; the limit is {limit}")
    return value


E = TypeVar("E", bound=StrEnum)


def choice(field_name: str, enum: type[E], value: str | E) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ServiceError(field_name, value, f"must be one of: {allowed}") from None


def parse_due(text: str, reference: date | None = None) -> DueWindow:
    """Parse a due date as a coordinator writes it; errors name the field."""
    try:
        return parse_window(text, reference)
    except DateParseError as error:
        raise ServiceError("due", text, error.reason) from None


def parse_iso_date(field_name: str, value: str) -> date:
    """A YYYY-MM-DD date, or an error naming the field and the value."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceError(field_name, value, "must be a real date written YYYY-MM-DD") from None
