"""Who may change what: the one question every write path asks (web, API, import, CLI).

The rule itself is `User.may_edit` (admins edit everything, coordinators the records that
involve one of their States, viewers nothing); this module words a refusal and raises it
as a service error, so that a path without Flask (the importer) asks the same rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.enums import Role
from tracker.models import User
from tracker.services.common import ServiceError


class Forbidden(ServiceError):
    """The user may not make this change; the reason says whose States it concerns."""

    status_code = 403


def edit_refusal(user: User | None, state_codes: Sequence[str]) -> str:
    """Why the user may not change a record of these States ('' when they may).

    None is the operator at the command line, who may change everything.
    """
    codes = sorted({code for code in state_codes if code})
    if user is None or user.may_edit(codes):
        return ""
    if not user.active:
        return "this account is deactivated"
    if user.role is Role.VIEWER:
        return "your account can read but not edit (role: viewer)"
    mine = ", ".join(s.code for s in user.states) or "no States"
    return f"you coordinate {mine}; this concerns {', '.join(codes) or 'no State'} only"


def require_edit(user: User | None, state_codes: Sequence[str], field: str = "states") -> None:
    """Raise Forbidden unless the user may change a record of these States."""
    reason = edit_refusal(user, state_codes)
    if reason:
        raise Forbidden(field, " ".join(sorted(set(state_codes))), reason)
