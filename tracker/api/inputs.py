"""Reading query parameters and JSON bodies, with an error that names the field at fault."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from flask import request
from flask_babel import gettext as _

from tracker import inputs, reports
from tracker.api.errors import ApiError
from tracker.inputs import MAX_ID
from tracker.messages import describe

PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
MAX_STATES = 200
MULTILINE = {"description", "comment", "quote"}  # fields that may hold tabs and line breaks
E = TypeVar("E", bound=StrEnum)


def check_query(allowed: set[str]) -> None:
    for name, value in request.args.items(multi=True):
        if name not in allowed:
            known = ", ".join(sorted(allowed)) or "none"
            raise ApiError(400, _("unknown parameter; known: %(known)s", known=known), name[:80])
        if not value.strip():
            raise ApiError(
                400, _("%(name)s is empty; leave it out to get the default", name=name), name
            )


def date_arg(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    return parse_date(name, value, 400) if value else None


def parse_date(name: str, value: str, status: int) -> date:
    try:
        return inputs.parse_iso_date(name, value)
    except inputs.InputError as error:
        raise ApiError(status, describe(error), name) from None


def as_of_arg() -> date:
    return date_arg("as_of") or date.today()


def int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        return inputs.parse_whole(name, raw, low, high)
    except inputs.InputError as error:
        raise ApiError(400, describe(error), name) from None


def within_arg() -> int:
    return int_arg("within", reports.DEFAULT_WITHIN_DAYS, 0, reports.MAX_WITHIN_DAYS)


def enum_args(name: str, enum: type[E]) -> list[E]:
    values = []
    for raw in request.args.getlist(name):
        try:
            values.append(enum(raw.strip()))
        except ValueError:
            known = ", ".join(m.value for m in enum)
            raise ApiError(
                400,
                _(
                    "%(name)s %(raw)s: must be one of %(known)s",
                    name=name,
                    raw=repr(raw[:40]),
                    known=known,
                ),
                name,
            ) from None
    return values


def json_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise ApiError(415, _("send the body as JSON with Content-Type: application/json"))
    if request.mimetype_params.get("charset", "utf-8").lower() not in ("utf-8", "utf8"):
        raise ApiError(415, _("JSON bodies must be UTF-8"))
    try:
        text = request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as error:
        message = f"the body is not valid UTF-8 (byte {error.start})"
        raise ApiError(400, message, code="bad_json") from None
    try:
        body = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:
        raise ApiError(
            400, _("the body is not valid JSON: %(error)s", error=error), code="bad_json"
        ) from None
    if not isinstance(body, dict):
        raise ApiError(422, _("the body must be a JSON object"))
    return body


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")


class Body:
    """A JSON object from the client, read field by field with clear errors."""

    def __init__(self, data: dict[str, Any], fields: set[str]) -> None:
        for name in data:
            if name not in fields:
                known = ", ".join(sorted(fields))
                raise ApiError(
                    422,
                    _(
                        "unknown field %(name)s; known: %(known)s",
                        name=repr(name[:40]),
                        known=known,
                    ),
                    name[:80],
                )
        self.data = data

    def has(self, name: str) -> bool:
        """Whether the client sent the field."""
        return name in self.data

    def text(self, name: str, default: str | None = "", limit: int = 20_000) -> str:
        """A string field (required when there is no default)."""
        value = self.data.get(name)
        if value is None:
            if default is None:
                raise ApiError(422, _("%(name)s is required", name=name), name)
            return default
        return _text(name, value, limit)

    def optional(self, name: str, limit: int = 20_000) -> str | None:
        """A string field that may be null."""
        value = self.data.get(name)
        return None if value is None else _text(name, value, limit)

    def codes(self, name: str) -> list[str]:
        """A list of short strings (State codes)."""
        value = self.data.get(name)
        if not isinstance(value, list) or not value:
            raise ApiError(
                422, _("%(name)s must be a non-empty list of State codes", name=name), name
            )
        if len(value) > MAX_STATES:
            raise ApiError(
                422,
                _(
                    "%(name)s names more than %(most)s States",
                    name=name,
                    most=MAX_STATES,
                ),
                name,
            )
        return [_text(name, item, 3_000) for item in value]

    def day(self, name: str) -> date | None:
        """A YYYY-MM-DD date, or None."""
        value = self.data.get(name)
        return None if value is None else parse_date(name, _text(name, value, 40), 422)

    def required_day(self, name: str) -> date:
        """A YYYY-MM-DD date that must be there."""
        day = self.day(name)
        if day is None:
            raise ApiError(422, _("%(name)s is required (YYYY-MM-DD)", name=name), name)
        return day

    def ident(self, name: str) -> int | None:
        """A positive whole-number id, or None."""
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
            raise ApiError(
                422, _("%(name)s must be a positive whole number (an id)", name=name), name
            )
        return value


def _text(name: str, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise ApiError(
            422,
            _(
                "%(name)s must be a string, not %(json_type)s",
                name=name,
                json_type=_json_type(value),
            ),
            name,
        )
    try:
        # Checked here with the shared rule; the service strips and checks again.
        inputs.clean_text(name, value, name in MULTILINE, limit)
    except inputs.InputError as error:
        raise ApiError(422, describe(error), name) from None
    return value


def _json_type(value: object) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "an object",
    }
    return names.get(type(value), "null" if value is None else type(value).__name__)
