"""A plan's measures: what the plan page, a body's page and the dashboard read, and progress
as of a date (the counting itself is `tracker.progress`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.enums import MilestoneKind
from tracker.inputs import InputError, parse_id
from tracker.models import ActionPlan, Milestone, ResponsibleBody, StatusChange, measure_bodies
from tracker.progress import MeasureFacts, Progress, QuarterPoint, Tally, progress, quarterly, tally
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


@dataclass(frozen=True)
class PlanSummary:
    """A State's current plan (the latest one with measures) and its counts on a date."""

    plan_id: int
    title: str
    tally: Tally


def current_plans_progress(session: Session, as_of: date) -> dict[str, PlanSummary]:
    """Per State, its current plan's progress on a date, in three statements for all States.

    The current plan is the one with measures that started last (its period's first year,
    then the newest).
    """
    rows = session.execute(
        select(ActionPlan.id, ActionPlan.state_code, ActionPlan.title, ActionPlan.period_start)
        .where(
            ActionPlan.id.in_(
                select(Milestone.plan_id).where(Milestone.kind == MilestoneKind.MEASURE)
            )
        )
        .order_by(ActionPlan.state_code, ActionPlan.period_start, ActionPlan.id)
    ).all()
    current = {row.state_code: row for row in rows}  # the last per State wins
    if not current:
        return {}
    plan_ids = [row.id for row in current.values()]
    stmt = select(Milestone).where(
        Milestone.plan_id.in_(plan_ids), Milestone.kind == MilestoneKind.MEASURE
    )
    measures = session.scalars(
        stmt.options(
            selectinload(Milestone.history).load_only(
                StatusChange.new_status, StatusChange.effective_on, StatusChange.milestone_id
            )
        )
    )
    per_plan: dict[int, list[MeasureFacts]] = {}
    for m in measures:
        per_plan.setdefault(m.plan_id or 0, []).append(
            MeasureFacts(m.id, m.due_window, m.history, permanent=m.permanent)
        )
    return {
        code: PlanSummary(row.id, row.title, tally(per_plan.get(row.id, []), as_of))
        for code, row in current.items()
    }
