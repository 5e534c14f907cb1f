"""Who may do what: the one permission policy that the web, the API, the CLI and the import ask.

A pure function of (user, action, target): no Flask, no queries. The user is an account, a
visitor who has not signed in (anything that is not a `User`), or None for the operator at
the command line, who may do everything. The target is what the action touches: a
milestone or the State codes a record involves; without one, the question is whether the
user may take this kind of action at all (e.g. to show a form or the link to it).
A refusal is a code and parameters (`tracker.messages` words it), raised as `Forbidden`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from tracker.enums import MilestoneKind, Role
from tracker.inputs import InputError
from tracker.models import Milestone, User


class Action(StrEnum):
    """What a user asks to do."""

    EDIT_MILESTONE = "edit_milestone"  # create, edit, record a status, cite
    # Record a status change (with its comment and source): what a body's focal point may do
    # on the measures their body is responsible for; coordinators as for EDIT_MILESTONE.
    RECORD_PROGRESS = "record_progress"
    IMPORT_NOTE = "import_note"
    MANAGE_ACCOUNTS = "manage_accounts"  # accounts and the list of States
    SEE_EMAILS = "see_emails"  # who recorded what, by e-mail address


class HasStates(Protocol):
    """A record that involves States, such as a milestone."""

    @property
    def state_codes(self) -> list[str]: ...


Target = HasStates | Sequence[str] | None


class Visitor:
    """Someone who has not signed in (e.g. an API request without a token)."""


VISITOR = Visitor()


class Forbidden(InputError):
    """The user may not make this change; the parameters say whose States it concerns."""

    status_code = 403


@dataclass(frozen=True)
class Refusal:
    """Why the policy says no: a code of `tracker.messages` and its parameters."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


def _codes(target: Target) -> list[str] | None:
    if target is None:
        return None
    codes = target if isinstance(target, Sequence) else target.state_codes
    return sorted({code.strip().upper() for code in codes if code and code.strip()})


def refusal(user: object, action: Action, target: Target = None) -> Refusal | None:
    """Why the user may not take this action on the target, or None when they may."""
    if user is None:
        return None  # the operator at the command line
    if not isinstance(user, User):
        return Refusal("sign_in")
    if not user.active:
        return Refusal("deactivated")
    if user.role is Role.ADMIN:
        return None
    if action in (Action.MANAGE_ACCOUNTS, Action.SEE_EMAILS):
        return Refusal("admins_only")
    refused = _as_coordinator(user, target)
    if refused is not None and action is Action.RECORD_PROGRESS and user.focal_bodies:
        return _as_focal_point(user, target)
    if refused is not None and user.focal_bodies and user.role is not Role.COORDINATOR:
        return Refusal("focal_point_progress_only", {"bodies": _bodies(user)})
    return refused


def _as_coordinator(user: User, target: Target) -> Refusal | None:
    if user.role is not Role.COORDINATOR:
        return Refusal("read_only", {"role": user.role})
    codes = _codes(target)
    mine = sorted(s.code for s in user.states)
    if codes is None or set(mine).intersection(codes):
        return None
    return Refusal(
        "not_your_state", {"yours": ", ".join(mine) or "no States", "theirs": _named(codes)}
    )


def _as_focal_point(user: User, target: Target) -> Refusal | None:
    """A focal point records progress on their bodies' measures, and on nothing else."""
    if target is None:
        return None  # the kind of action: they may, on some measures
    if not isinstance(target, Milestone) or target.kind is not MilestoneKind.MEASURE:
        return Refusal("focal_point_measures_only", {"bodies": _bodies(user)})
    if {b.id for b in target.bodies} & {b.id for b in user.focal_bodies}:
        return None
    return Refusal("not_your_body", {"bodies": _bodies(user)})


def _bodies(user: User) -> str:
    return "; ".join(f"{b.name_en} ({b.state_code})" for b in user.focal_bodies)


def _named(codes: list[str]) -> str:
    return ", ".join(codes) or "no State"


def coordinated_states(role: object, codes: Iterable[str]) -> set[str]:
    """The States a user coordinates (their own, for a coordinator; none for other roles):
    they are subscribed to these States' reminders unless they opt out."""
    return set(codes) if role is Role.COORDINATOR else set()


def is_focal_point(user: object) -> bool:
    """Whether the account is a focal point of some body (pages name the role so)."""
    return isinstance(user, User) and bool(user.focal_bodies)


def allows(user: object, action: Action, target: Target = None) -> bool:
    """Whether the user may take this action on the target."""
    return refusal(user, action, target) is None


def check_own_account(user: object, account: User, field: str = "user") -> None:
    """Raise Forbidden unless the user changes their own account's preferences: themselves, an
    administrator, or the operator at the command line."""
    if user is None or (isinstance(user, User) and user.id == account.id and user.active):
        return
    if allows(user, Action.MANAGE_ACCOUNTS):
        return
    raise Forbidden(field, account.id, "own_account_only")


def check(user: object, action: Action, target: Target = None, field: str = "states") -> None:
    """Raise Forbidden unless the user may take this action on the target."""
    refused = refusal(user, action, target)
    if refused is not None:
        raise Forbidden(field, " ".join(_codes(target) or []), refused.code, **refused.params)
