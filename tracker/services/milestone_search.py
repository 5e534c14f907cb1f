"""Finding milestones: by State, kind, status, due dates and flag, a page at a time (the API's
listing). Each query sends a fixed number of SQL statements, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import Citation, Milestone, SourceNote, milestone_states
from tracker.rules import Flag
from tracker.services.catalogue import resolve_states
from tracker.services.milestones import DATE_ORDER, OPEN_STATUSES, key_day_sql, status_as_of_sql

# (due_start, due_end, id): the stable order of every milestone listing.
MilestoneKey = tuple[date, date, int]
# id and window: what paging needs.
_Key = tuple[int, date, date]


@dataclass(frozen=True)
class MilestoneQuery:
    """Which milestones to list; status and flag are judged as of a date."""

    as_of: date
    within_days: int
    states: Sequence[str] = ()
    kinds: Sequence[MilestoneKind] = ()
    statuses: Sequence[MilestoneStatus] = ()
    due_from: date | None = None
    due_to: date | None = None
    flag: Flag | None = None


@dataclass(frozen=True)
class MilestonePage:
    """One page of milestones, and the key to continue after (None on the last page)."""

    milestones: list[Milestone]
    next_key: MilestoneKey | None


def with_related(stmt: Select[tuple[Milestone]]) -> Select[tuple[Milestone]]:
    """Load what the milestone JSON shows (States, history, citations) in a few statements."""
    return stmt.options(
        selectinload(Milestone.states),
        selectinload(Milestone.history),
        selectinload(Milestone.citations)
        .selectinload(Citation.note)
        .load_only(SourceNote.slug, SourceNote.title, SourceNote.created_at),
    )


def milestone_page(
    session: Session, query: MilestoneQuery, limit: int, after: MilestoneKey | None = None
) -> MilestonePage:
    """Milestones matching the query in (due_start, due_end, id) order, after a key."""
    keys = _keys(session, query, after)
    rows = list(session.execute(keys.limit(limit + 1)))
    page = rows[:limit]
    stmt = with_related(select(Milestone).where(Milestone.id.in_([row[0] for row in page])))
    by_id = {m.id: m for m in session.scalars(stmt)}
    milestones = [by_id[row[0]] for row in page]
    last = page[-1] if page and len(rows) > limit else None
    return MilestonePage(milestones, (last[1], last[2], last[0]) if last else None)


def _keys(session: Session, query: MilestoneQuery, after: MilestoneKey | None) -> Select[_Key]:
    stmt = select(Milestone.id, Milestone.due_start, Milestone.due_end)
    if query.states:
        codes = resolve_states(session, query.states)
        members = select(milestone_states.c.milestone_id).where(
            milestone_states.c.state_code.in_(codes)
        )
        stmt = stmt.where(Milestone.id.in_(members))
    if query.kinds:
        stmt = stmt.where(Milestone.kind.in_(query.kinds))
    if query.due_from is not None:
        stmt = stmt.where(Milestone.due_end >= query.due_from)
    if query.due_to is not None:
        stmt = stmt.where(Milestone.due_start <= query.due_to)
    return _after(_flagged(stmt, query), after).order_by(*DATE_ORDER)


def _flagged(stmt: Select[_Key], query: MilestoneQuery) -> Select[_Key]:
    """Status and flag as of the date, in SQL: `rules.flag` over `status_as_of_sql`."""
    status = status_as_of_sql(query.as_of)
    if query.statuses:
        stmt = stmt.where(status.in_(list(query.statuses)))
    if query.flag is Flag.OVERDUE:
        stmt = stmt.where(Milestone.due_end < query.as_of, status.in_(OPEN_STATUSES))
    elif query.flag is Flag.UPCOMING:
        horizon = query.as_of + timedelta(days=query.within_days)
        stmt = stmt.where(
            Milestone.due_end >= query.as_of,
            key_day_sql() <= horizon,
            status.in_(OPEN_STATUSES),
        )
    return stmt


def _after(stmt: Select[_Key], key: MilestoneKey | None) -> Select[_Key]:
    if key is None:
        return stmt
    start, end, ident = key
    same_start = Milestone.due_start == start
    return stmt.where(
        (Milestone.due_start > start)
        | (same_start & (Milestone.due_end > end))
        | (same_start & (Milestone.due_end == end) & (Milestone.id > ident))
    )
