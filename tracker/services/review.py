"""Needs review: open milestones overdue too long or unchanged for years, and stale plans.

The rules are `tracker.rules.milestone_review_reasons` and `plan_review_reasons`; this module
finds the candidates in SQL (a superset) and lets the rules decide. The one-click answers
(record done, cancel, postpone) are `change_status` and `postpone_milestone`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import policy
from tracker.dates import DueWindow
from tracker.enums import MilestoneStatus
from tracker.models import ActionPlan, Milestone, MilestoneEdit, User, milestone_states
from tracker.rules import (
    DEFAULT_REVIEW_AFTER_DAYS,
    milestone_review_reasons,
    plan_review_reasons,
)
from tracker.services.common import ServiceError, clean_text
from tracker.services.milestones import (
    edit_milestone,
    milestone_draft,
    review_candidate_sql,
    state_list,
)

REASON_MAX = 1000


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """A milestone that needs a decision, and why."""

    id: int
    title: str
    kind: str
    states: tuple[str, ...]
    due_text: str
    status: MilestoneStatus  # its label in the reader's language at the edge
    version: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlanReview:
    """A plan whose status needs a look, and why."""

    state: str
    title: str
    period: str | None
    status: str
    reasons: tuple[str, ...]


def moved_from(edits: Sequence[MilestoneEdit]) -> str | None:
    """The date as written before the latest change of date ("8-9 October 2015"), if any."""
    for edit in reversed(edits):
        change = edit.changes.get("due")
        if change and change[0]:
            return change[0]
    return None


def review_milestones(
    session: Session,
    as_of: date,
    review_after_days: int = DEFAULT_REVIEW_AFTER_DAYS,
    state_codes: Sequence[str] = (),
) -> list[ReviewItem]:
    """Open milestones that need review as of the date, oldest due first (one statement)."""
    stmt = select(
        Milestone.id,
        Milestone.title,
        Milestone.kind,
        state_list(),
        Milestone.status,
        Milestone.version,
        Milestone.due_start,
        Milestone.due_end,
        Milestone.due_precision,
        Milestone.due_text,
        Milestone.status_since,
        Milestone.created_at,
    ).where(
        review_candidate_sql(as_of, review_after_days)
    )  # sorted here, oldest due first: ordered by the index SQLite probes every row at random
    if state_codes:
        members = select(milestone_states.c.milestone_id).where(
            milestone_states.c.state_code.in_(list(state_codes))
        )
        stmt = stmt.where(Milestone.id.in_(members))
    found = []
    for row in sorted(session.execute(stmt), key=lambda row: (row.due_end, row.id)):
        window = DueWindow(row.due_start, row.due_end, row.due_precision, row.due_text)
        entered: datetime = row.created_at
        last_change = row.status_since or entered.date()
        reasons = milestone_review_reasons(
            window, row.status, last_change, as_of, review_after_days
        )
        if reasons:
            found.append(
                ReviewItem(
                    id=row.id,
                    title=row.title,
                    kind=row.kind.value,
                    states=tuple(sorted((row[3] or "").split())),
                    due_text=row.due_text,
                    status=row.status,
                    version=row.version,
                    reasons=tuple(reasons),
                )
            )
    return found


def review_plans(plans: Iterable[ActionPlan], as_of: date) -> list[PlanReview]:
    """Of plans already loaded, those whose status has not changed since their period ended
    or for two years. No plan status history is kept, so a plan still open after its period
    counts as unchanged since."""
    found = []
    for plan in plans:
        reasons = plan_review_reasons(plan.status, plan.period_end, None, as_of)
        if reasons:
            found.append(
                PlanReview(
                    plan.state_code, plan.title, plan.period, plan.status.value, tuple(reasons)
                )
            )
    return found


def postpone_milestone(
    session: Session,
    milestone: Milestone,
    due: str,
    reason: str,
    expected_version: int,
    *,
    recorded_by: User | None = None,
    recorded_by_label: str = "",
) -> MilestoneEdit:
    """Move a milestone to a new date, saying why; the old date stays in its edit history."""
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, milestone)
    why = clean_text("reason", reason, REASON_MAX, required=True, multiline=True)
    draft = milestone_draft(milestone)
    draft.due, draft.due_reference = due, milestone.due_end
    edit = edit_milestone(
        session,
        milestone,
        draft,
        expected_version,
        recorded_by=recorded_by,
        recorded_by_label=recorded_by_label,
        comment=why,
    )
    if edit is None:
        raise ServiceError("due", due, "same_date")
    return edit
