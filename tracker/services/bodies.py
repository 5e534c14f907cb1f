"""Responsible bodies (ministries, agencies) and a measure's own fields: number, area, bodies,
and "permanently" (no deadline) read against the plan's period."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from tracker import policy
from tracker.dates import DueWindow, Precision
from tracker.enums import MeasureArea, MilestoneKind
from tracker.inputs import InputError, parse_id
from tracker.models import TITLE_MAX, ActionPlan, Milestone, ResponsibleBody, User
from tracker.services.catalogue import get_state
from tracker.services.common import Conflict, NotFound, ServiceError, choice, clean_text

# How plans write "no deadline": the measure runs for the plan's whole period.
PERMANENT_WORDS = frozenset(
    {
        "permanently",
        "permanent",
        "ongoing",
        "continuously",
        "on a permanent basis",
        "on an ongoing basis",
        "постоянно",
        "на постоянной основе",
    }
)
BODY_SEPARATOR = ";"


def is_permanent(due_text: str) -> bool:
    """The time frame says the measure has no deadline ("permanently", "постоянно")."""
    return " ".join(due_text.lower().split()).strip(" .") in PERMANENT_WORDS


def plan_window(plan: ActionPlan, text: str) -> DueWindow:
    """The plan's whole period as a window (a permanent measure's), or an error if it has none."""
    if plan.period_start is None:
        raise ServiceError("due", text, "permanent_without_period")
    end = plan.period_end or plan.period_start
    return DueWindow(date(plan.period_start, 1, 1), date(end, 12, 31), Precision.PERIOD, text)


def normalise_name(name: str) -> str:
    """A body's name as matching compares it: case, spacing and quotes set aside."""
    return " ".join(re.sub(r"[\"«»“”'’]", " ", name).casefold().split())


# --- bodies ---------------------------------------------------------------------------------


def get_body(session: Session, body_id: int | str) -> ResponsibleBody:
    """The responsible body with this id."""
    try:
        key = parse_id("body", body_id)
    except InputError:
        raise NotFound("body", body_id, "unknown_body_id") from None
    body = session.get(ResponsibleBody, key)
    if body is None:
        raise NotFound("body", body_id, "unknown_body_id")
    return body


def list_bodies(session: Session, state_codes: Sequence[str]) -> list[ResponsibleBody]:
    """The bodies of these States, by English name."""
    stmt = select(ResponsibleBody).where(ResponsibleBody.state_code.in_(list(state_codes)))
    return list(session.scalars(stmt.order_by(ResponsibleBody.name_en)))


def add_body(
    session: Session,
    state_code: str,
    name_en: str,
    name_ru: str = "",
    aliases: Sequence[str] = (),
    *,
    user: User | None = None,
) -> ResponsibleBody:
    """Register a State's ministry or agency, named in English and Russian, with aliases."""
    state = get_state(session, state_code)
    policy.check(user, policy.Action.EDIT_MILESTONE, [state.code])
    english = clean_text("name_en", name_en, TITLE_MAX, required=True)
    taken = exists().where(
        ResponsibleBody.state_code == state.code, ResponsibleBody.name_en == english
    )
    if session.scalar(select(taken)):
        raise Conflict("name_en", english, "body_exists", state=state.code)
    body = ResponsibleBody(
        state=state,
        name_en=english,
        name_ru=clean_text("name_ru", name_ru, TITLE_MAX),
        aliases="\n".join(clean_text("aliases", a, TITLE_MAX) for a in aliases if a.strip()),
    )
    session.add(body)
    session.flush()
    return body


def add_alias(
    session: Session, body: ResponsibleBody, alias: str, *, user: User | None = None
) -> ResponsibleBody:
    """Another name a body is known by (imports then match it); a name it has is kept once."""
    policy.check(user, policy.Action.EDIT_MILESTONE, [body.state_code])
    name = clean_text("alias", alias, TITLE_MAX, required=True)
    if normalise_name(name) not in {normalise_name(n) for n in body.names}:
        body.aliases = "\n".join([*body.alias_list, name])
        session.flush()
    return body


def add_focal_point(
    session: Session, body: ResponsibleBody, account: User, *, by: User | None = None
) -> None:
    """Make the account a focal point of the body: it may then record progress on the body's
    measures and gets their reminders (administrators assign focal points)."""
    policy.check(by, policy.Action.MANAGE_ACCOUNTS, field="email")
    if account in body.focal_points:
        raise Conflict("email", account.email, "already_focal_point", body=body.name_en)
    body.focal_points.append(account)
    session.flush()


def remove_focal_point(
    session: Session, body: ResponsibleBody, account: User, *, by: User | None = None
) -> None:
    """The account is no longer a focal point of the body."""
    policy.check(by, policy.Action.MANAGE_ACCOUNTS, field="email")
    if account not in body.focal_points:
        raise ServiceError("email", account.email, "not_focal_point", body=body.name_en)
    body.focal_points.remove(account)
    session.flush()


class BodyIndex:
    """The bodies of some States by every name they are known by (English, Russian, aliases)."""

    def __init__(self, bodies: Sequence[ResponsibleBody]) -> None:
        self.by_name: dict[str, ResponsibleBody] = {}
        for body in bodies:
            for name in body.names:
                self.by_name.setdefault(normalise_name(name), body)

    def match(self, names: str) -> tuple[list[ResponsibleBody], list[str]]:
        """The bodies a ';'-separated list names, and the names that match none."""
        found: list[ResponsibleBody] = []
        unknown: list[str] = []
        for name in (n.strip() for n in names.split(BODY_SEPARATOR)):
            if not name:
                continue
            body = self.by_name.get(normalise_name(name))
            if body is None:
                unknown.append(name)
            elif body not in found:
                found.append(body)
        return found, unknown


class MeasureLookups:
    """What saving many new measures reads once, not per measure: the bodies of the States
    (by name) and the numbers each plan's measures have, the batch's own included."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[str, ...], BodyIndex] = {}
        self._numbers: dict[int, set[str]] = {}

    def index(self, session: Session, state_codes: Sequence[str]) -> BodyIndex:
        """The bodies of these States by name, read the first time they are asked for."""
        key = tuple(sorted(state_codes))
        if key not in self._indexes:
            self._indexes[key] = BodyIndex(list_bodies(session, key))
        return self._indexes[key]

    def take_number(self, session: Session, plan: ActionPlan, number: str) -> None:
        """Keep the number for a new measure of the plan, or refuse it if a measure has it."""
        if plan.id not in self._numbers:
            stmt = select(Milestone.measure_number).where(
                Milestone.plan_id == plan.id, Milestone.measure_number.is_not(None)
            )
            self._numbers[plan.id] = {n for n in session.scalars(stmt) if n is not None}
        taken = self._numbers[plan.id]
        if number in taken:
            raise Conflict(
                "measure_number", number, "measure_number_taken", plan=plan.ref or plan.id
            )
        taken.add(number)


# --- a measure's fields ---------------------------------------------------------------------


def apply_measure_fields(
    session: Session,
    milestone: Milestone,
    *,
    number: str | None,
    area: str | None,
    bodies: str,
    due_text: str,
    known: MeasureLookups | None = None,
) -> DueWindow | None:
    """Set a measure's number, area and bodies; the permanent window when it has no deadline.

    A milestone of another kind takes none of these. Unknown body names are refused, never
    created: the caller offers them as new bodies or aliases. `known` is what a bulk import
    read once for all its measures; without it, the bodies and the number are looked up.
    """
    number = clean_text("measure_number", number or "", 20) or None
    if milestone.kind is not MilestoneKind.MEASURE:
        if number or area or bodies.strip():
            raise ServiceError("kind", milestone.kind.value, "measure_fields_on_other_kind")
        milestone.measure_number, milestone.measure_area = None, None
        milestone.bodies, milestone.permanent = [], False
        return None
    plan = milestone.plan
    if plan is None:
        raise ServiceError("plan", "", "measure_without_plan")
    if number is None:
        raise ServiceError("measure_number", "", "required")
    if known is None:
        _check_number_free(session, plan, number, milestone.id)
        index = BodyIndex(list_bodies(session, milestone.state_codes))
    else:
        known.take_number(session, plan, number)
        index = known.index(session, milestone.state_codes)
    milestone.measure_number = number
    milestone.measure_area = choice("measure_area", MeasureArea, area) if area else None
    found, unknown = index.match(clean_text("bodies", bodies, 2000))
    if unknown:
        raise ServiceError(
            "bodies", unknown[0], "unknown_body", states=", ".join(milestone.state_codes)
        )
    milestone.bodies = found
    milestone.permanent = is_permanent(due_text)
    return plan_window(plan, due_text.strip()) if milestone.permanent else None


def _check_number_free(
    session: Session, plan: ActionPlan, number: str, measure_id: int | None
) -> None:
    taken = exists().where(
        Milestone.plan_id == plan.id,
        Milestone.measure_number == number,
        Milestone.id != (measure_id or 0),  # an edit keeps its own number
    )
    if session.scalar(select(taken)):
        raise Conflict("measure_number", number, "measure_number_taken", plan=plan.ref or plan.id)
