"""Errors and input checks shared by the services."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TypeVar

from tracker import inputs
from tracker.bilingual import Language, detect, other, script
from tracker.dates import DateParseError, DueWindow, parse_window
from tracker.inputs import MAX_ID as MAX_ID
from tracker.inputs import InputError

# One error type for refused input, whether a pure check or a service finds it.
ServiceError = InputError


class NotFound(ServiceError):
    """A State, milestone, note or user that does not exist."""

    status_code = 404


class Conflict(ServiceError):
    """Someone else saved first, or the thing exists already."""

    status_code = 409


# --- input checks --------------------------------------------------------------------------


def clean_text(
    field_name: str, value: str, limit: int, required: bool = False, multiline: bool = False
) -> str:
    """The shared text rule (no control or invisible-only text), as the last line of defence."""
    return inputs.clean_text(field_name, value, multiline, limit, required)


E = TypeVar("E", bound=StrEnum)


def choice(field_name: str, enum: type[E], value: str | E) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ServiceError(field_name, value, "not_one_of", allowed=allowed) from None


def parse_due(text: str, reference: date | None = None) -> DueWindow:
    """Parse a due date as a coordinator writes it; errors name the field."""
    # Line breaks are spacing to the date reader (a date in a note may wrap); controls are not.
    text = inputs.clean_text("due", text, multiline=True, max_length=len(text))
    try:
        return parse_window(text, reference)
    except DateParseError as error:
        # The parser's own code (tracker.dates.REASONS, each in the catalogue: tests/test_dates),
        # so each edge words the reason in the reader's language.
        code = error.code
        raise ServiceError("due", text, code, **error.params) from None


def parse_iso_date(field_name: str, value: str) -> date:
    """A YYYY-MM-DD date in the tracker's range, or an error naming the field and the value."""
    return inputs.parse_iso_date(field_name, value)


def bilingual(
    field_name: str, text: str, alt: str, lang: str | None, limit: int
) -> tuple[str, str, str]:
    """A text, its translation and the text's language (found from its script when not
    given), checked: a translation needs the text, and is in the other language."""
    text = clean_text(field_name, text, limit)
    alt = clean_text(f"{field_name}_alt", alt, limit)
    if lang:
        lang = choice(f"{field_name}_lang", Language, lang.strip().lower()).value
    else:
        lang = detect(text) if text else (other(detect(alt)) if alt else "en")
    if alt and not text:
        raise ServiceError(
            f"{field_name}_alt", alt, "translation_without_text", original=field_name
        )
    if alt and script(alt) == lang:
        raise ServiceError(
            f"{field_name}_alt", alt, "translation_same_language", original=field_name, lang=lang
        )
    return text, alt, lang
