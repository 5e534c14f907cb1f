"""A plan's measures: what the plan page, a body's page and the dashboard read, and progress
as of a date (the counting itself is `tracker.progress`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.enums import MilestoneKind
from tracker.inputs import InputError, parse_id
from tracker.models import (
    ActionPlan,
    Milestone,
    ResponsibleBody,
    StatusChange,
    measure_bodies,
)
from tracker.progress import MeasureFacts, Progress, QuarterPoint, progress, quarterly
from tracker.rules import is_overdue, status_as_of
from tracker.services.common import NotFound

# What a list of measures shows: their bodies and their history (status as of a date),
# loaded in three statements whatever the number of measures.
MEASURE_LIST = (
    selectinload(Milestone.bodies),
    selectinload(Milestone.history).load_only(
        StatusChange.new_status, StatusChange.effective_on, StatusChange.milestone_id
    ),
)


def get_plan_by_id(session: Session, plan_id: int | str) -> ActionPlan:
    """The plan with this id (pages and the API name plans by id)."""
    try:
        key = parse_id("plan", plan_id)
    except InputError:
        raise NotFound("plan", plan_id, "unknown_plan_id") from None
    plan = session.scalar(
        select(ActionPlan).where(ActionPlan.id == key).options(joinedload(ActionPlan.state))
    )
    if plan is None:
        raise NotFound("plan", plan_id, "unknown_plan_id")
    return plan


def number_key(number: str | None) -> tuple[tuple[int, str], ...]:
    """Measure numbers in the plan's order: "2" before "10", "I.3" before "I.12"."""
    parts = re.findall(r"\d+|\D+", number or "")
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def plan_measures(session: Session, plan: ActionPlan) -> list[Milestone]:
    """The plan's measures, in the plan's own numbering order."""
    stmt = select(Milestone).where(
        Milestone.plan_id == plan.id, Milestone.kind == MilestoneKind.MEASURE
    )
    measures = list(session.scalars(stmt.options(*MEASURE_LIST)))
    return sorted(measures, key=lambda m: number_key(m.measure_number))


def body_measures(session: Session, body: ResponsibleBody, as_of: date) -> list[Milestone]:
    """Everything a body must do: overdue first, then by due day, then by number."""
    stmt = (
        select(Milestone)
        .join(measure_bodies, measure_bodies.c.milestone_id == Milestone.id)
        .where(measure_bodies.c.body_id == body.id)
        .options(joinedload(Milestone.plan), *MEASURE_LIST)
    )
    measures = list(session.scalars(stmt))

    def order(m: Milestone) -> tuple[bool, date, tuple[tuple[int, str], ...]]:
        late = not m.permanent and is_overdue(m.due_window, status_as_of(m.history, as_of), as_of)
        return (not late, m.due_end, number_key(m.measure_number))

    return sorted(measures, key=order)


def facts(measure: Milestone) -> MeasureFacts:
    """What progress counts of a loaded measure."""
    return MeasureFacts(
        id=measure.id,
        window=measure.due_window,
        history=measure.history,
        area=measure.measure_area,
        body_ids=tuple(b.id for b in measure.bodies),
        permanent=measure.permanent,
    )


def plan_period(plan: ActionPlan) -> tuple[date, date] | None:
    """The plan's period as days (None when it gives no years)."""
    if plan.period_start is None:
        return None
    return date(plan.period_start, 1, 1), date(plan.period_end or plan.period_start, 12, 31)


@dataclass(frozen=True)
class PlanProgress:
    """A plan's progress on a date and its quarter-by-quarter series."""

    progress: Progress
    quarters: list[QuarterPoint]


def plan_progress(plan: ActionPlan, measures: Sequence[Milestone], as_of: date) -> PlanProgress:
    """How far the plan had got on a date, overall, by area, by body, and by quarter."""
    measure_facts = [facts(m) for m in measures]
    return PlanProgress(
        progress(measure_facts, as_of), quarterly(measure_facts, plan_period(plan), as_of)
    )


@dataclass
class PlanCard:
    """A State's current plan (the latest with measures) and its counts on a date."""

    plan_id: int
    title: str
    period: str | None
    total: int = 0  # not cancelled
    done: int = 0
    overdue: int = 0

    @property
    def percent_done(self) -> int:
        """Done as a whole percentage of the measures not cancelled."""
        return round(100 * self.done / self.total) if self.total else 0


def plan_cards(
    measured: dict[int, tuple[int, int, int]], plans: Iterable[ActionPlan]
) -> dict[str, PlanCard]:
    """Per State, its current plan's progress card from the per-plan measure counts
    (`DashboardFigures.measured`). `plans` are the plans already loaded; the current plan is
    the one with measures whose period starts last (then the newest)."""
    current: dict[str, ActionPlan] = {}
    for plan in plans:
        if plan.id not in measured:
            continue
        best = current.get(plan.state_code)
        if best is None or (plan.period_start or 0, plan.id) > (best.period_start or 0, best.id):
            current[plan.state_code] = plan
    return {
        code: PlanCard(plan.id, plan.title, plan.period, *measured[plan.id])
        for code, plan in current.items()
    }
