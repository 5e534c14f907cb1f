"""What every page shares: the as-of date, permissions, one commit per request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NoReturn

from flask import abort, current_app, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from tracker import inputs, reports, services
from tracker.enums import Role


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: ASCII digits only ('١٢' is no id). The range is the loaders'
    (inputs.parse_id): a range check here would turn PATCH of a huge id into a 405."""

    regex = r"[0-9]+"


def refuse_nul() -> None:
    """Backstop for the pages: 400 for a NUL in the path, a query parameter or a form field
    (PostgreSQL cannot hold or compare one); the API has its own, in its error shape."""
    if request.path.startswith("/api/"):
        return
    fields = [("path", request.path), *request.args.items(multi=True)]
    if request.method == "POST":
        fields += request.form.items(multi=True)
    name = inputs.nul_field(fields)
    if name is not None:
        abort(400, description=f"{name[:40]!r}: NUL characters (U+0000) are not allowed")


def requested_as_of() -> date:
    """The ?as_of= date (default: today); a bad one is a 400 that says why."""
    value = request.args.get("as_of", "").strip()
    if not value:
        return date.today()
    try:
        return inputs.parse_iso_date("as_of", value)
    except inputs.InputError as error:
        abort(400, description=str(error))


def requested_within() -> int:
    """The ?within= horizon in days (default 90)."""
    raw = request.args.get("within", "").strip()
    if not raw:
        return reports.DEFAULT_WITHIN_DAYS
    try:
        return inputs.parse_days("within", raw, reports.MAX_WITHIN_DAYS)
    except inputs.InputError as error:
        abort(400, description=str(error))


def fail(error: services.ServiceError) -> NoReturn:
    """Turn a service error into its HTTP status with the reason."""
    abort(error.status_code, description=str(error))


def may_read() -> bool:
    """Signed-in users always; visitors when the setting allows."""
    return bool(current_user.is_authenticated or current_app.config.get("ANONYMOUS_READ", True))


def require_edit(state_codes: Sequence[str]) -> None:
    """403 with the reason unless the user may edit milestones of these States."""
    if not current_user.is_authenticated:
        abort(403, description="Sign in to make changes.")
    if not current_user.may_edit(list(state_codes)):
        if current_user.role is Role.VIEWER:
            abort(403, description="Your account can read but not edit (role: viewer).")
        mine = ", ".join(s.code for s in current_user.states) or "no States"
        abort(
            403,
            description=f"You coordinate {mine}; this concerns {', '.join(state_codes)} only.",
        )


def require_admin() -> None:
    """403 unless the user is an admin."""
    if not current_user.is_authenticated or current_user.role is not Role.ADMIN:
        abort(403, description="Only administrators may manage accounts.")
