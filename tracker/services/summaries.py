"""Figures for the per-State summaries of the workbook: when milestones were done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.enums import MilestoneStatus
from tracker.models import StatusChange


def done_dates(session: Session, milestone_ids: Sequence[int], as_of: date) -> dict[int, date]:
    """The day each of these milestones was first recorded done, up to the as-of date."""
    if not milestone_ids:
        return {}
    rows = session.execute(
        select(StatusChange.milestone_id, func.min(StatusChange.effective_on))
        .where(
            StatusChange.milestone_id.in_(list(milestone_ids)),
            StatusChange.new_status == MilestoneStatus.DONE,
            StatusChange.effective_on <= as_of,
        )
        .group_by(StatusChange.milestone_id)
    )
    return {milestone_id: day for milestone_id, day in rows}
