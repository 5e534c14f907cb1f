"""Read-side queries of the JSON API: filtered, paginated milestones, plans, notes and tokens.

Each query sends a fixed number of SQL statements, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session, defer, selectinload

from tracker.dates import DueWindow, Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.inputs import InputError, parse_id
from tracker.models import (
    ActionPlan,
    ApiToken,
    Citation,
    Milestone,
    SourceNote,
    StatusChange,
    milestone_states,
)
from tracker.rules import Flag, flag, status_as_of
from tracker.services.catalogue import SLUG, get_state, resolve_states
from tracker.services.common import NotFound, ServiceError
from tracker.services.milestones import MilestoneDraft

# (due_start, due_end, id): the stable order of every milestone listing.
MilestoneKey = tuple[date, date, int]
# id, window (start, end, precision, text) and kind: what paging and flags need.
_Key = tuple[int, date, date, Precision, str, MilestoneKind]
_KeyRow = Row[_Key]


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

    @property
    def needs_history(self) -> bool:
        """Whether the filter depends on each milestone's status as of the date."""
        return bool(self.statuses) or self.flag is not None


@dataclass(frozen=True)
class MilestonePage:
    """One page of milestones, and the key to continue after (None on the last page)."""

    milestones: list[Milestone]
    next_key: MilestoneKey | None


@dataclass(frozen=True)
class _Event:
    new_status: MilestoneStatus
    effective_on: date


def with_related(stmt: Select[tuple[Milestone]]) -> Select[tuple[Milestone]]:
    """Load what the milestone JSON shows (States, history, citations) in a few statements."""
    return stmt.options(
        selectinload(Milestone.states),
        selectinload(Milestone.history),
        selectinload(Milestone.citations).selectinload(Citation.note).load_only(SourceNote.slug),
    )


def milestone_page(
    session: Session, query: MilestoneQuery, limit: int, after: MilestoneKey | None = None
) -> MilestonePage:
    """Milestones matching the query in (due_start, due_end, id) order, after a key."""
    keys = _keys(session, query, after)
    rows = _matching(session, query, keys, limit + 1)
    page = rows[:limit]
    stmt = with_related(select(Milestone).where(Milestone.id.in_([row[0] for row in page])))
    by_id = {m.id: m for m in session.scalars(stmt)}
    milestones = [by_id[row[0]] for row in page]
    last = page[-1] if page and len(rows) > limit else None
    return MilestonePage(milestones, (last[1], last[2], last[0]) if last else None)


def _keys(session: Session, query: MilestoneQuery, after: MilestoneKey | None) -> Select[_Key]:
    stmt = select(
        Milestone.id, Milestone.due_start, Milestone.due_end, Milestone.due_precision,
        Milestone.due_text, Milestone.kind,
    )  # fmt: skip
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
    if query.flag is Flag.OVERDUE:
        stmt = stmt.where(Milestone.due_end < query.as_of)
    elif query.flag is Flag.UPCOMING:
        horizon = query.as_of + timedelta(days=query.within_days)
        stmt = stmt.where(Milestone.due_end >= query.as_of, Milestone.due_start <= horizon)
    return _after(stmt, after).order_by(Milestone.due_start, Milestone.due_end, Milestone.id)


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


def _matching(
    session: Session,
    query: MilestoneQuery,
    keys: Select[_Key],
    wanted: int,
) -> list[_KeyRow]:
    if not query.needs_history:
        return list(session.execute(keys.limit(wanted)))
    histories = _histories(session, keys)
    matching: list[_KeyRow] = []
    for row in session.execute(keys):
        if _passes(query, row, histories.get(row[0], [])):
            matching.append(row)
            if len(matching) == wanted:
                break
    return matching


def _histories(session: Session, keys: Select[_Key]) -> dict[int, list[_Event]]:
    ids = keys.with_only_columns(Milestone.id).order_by(None)
    stmt = (
        select(StatusChange.milestone_id, StatusChange.new_status, StatusChange.effective_on)
        .where(StatusChange.milestone_id.in_(ids))
        .order_by(StatusChange.effective_on, StatusChange.id)
    )
    histories: dict[int, list[_Event]] = {}
    for milestone_id, new_status, effective_on in session.execute(stmt):
        histories.setdefault(milestone_id, []).append(_Event(new_status, effective_on))
    return histories


def _passes(query: MilestoneQuery, row: _KeyRow, history: list[_Event]) -> bool:
    status = status_as_of(history, query.as_of)
    if query.statuses and status not in query.statuses:
        return False
    if query.flag is None:
        return True
    window = DueWindow(row[1], row[2], row[3], row[4])
    return flag(window, status, query.as_of, query.within_days, row[5]) is query.flag


# --- States, plans, notes, tokens -----------------------------------------------------------


def list_plans(session: Session, state_code: str | None = None) -> list[ActionPlan]:
    """Every action plan (of one State when given), by State and id."""
    stmt = select(ActionPlan).order_by(ActionPlan.state_code, ActionPlan.id)
    if state_code:
        stmt = stmt.where(ActionPlan.state_code == get_state(session, state_code).code)
    return list(session.scalars(stmt.options(selectinload(ActionPlan.supersedes))))


def note_summaries(session: Session) -> list[SourceNote]:
    """Every source note by slug, without loading the texts."""
    stmt = select(SourceNote).options(defer(SourceNote.text)).order_by(SourceNote.slug)
    return list(session.scalars(stmt))


def note_with_citations(session: Session, slug: str) -> SourceNote:
    """A note with its text and the citations that quote it."""
    stmt = (
        select(SourceNote)
        .where(SourceNote.slug == slug)
        .options(selectinload(SourceNote.citations))
    )
    note = session.scalar(stmt) if SLUG.fullmatch(slug) else None
    if note is None:
        raise NotFound("note", slug, "unknown_note")
    return note


def get_token(session: Session, token_id: int | str) -> ApiToken:
    """The personal token with this id."""
    try:
        key = parse_id("token", token_id)
    except InputError:
        raise NotFound("token", token_id, "token_id_shape") from None
    token = session.get(ApiToken, key)
    if token is None:
        raise NotFound("token", token_id, "unknown_token")
    return token


def milestone_draft(milestone: Milestone) -> MilestoneDraft:
    """The milestone as it stands, as a draft to change some fields of (a partial edit)."""
    if milestone.plan is not None and not milestone.plan.ref:
        # Drafts name plans by reference; editing would silently detach the plan.
        raise ServiceError("plan", milestone.plan.id, "plan_without_ref")
    return MilestoneDraft(
        kind=milestone.kind.value,
        title=milestone.title,
        due=milestone.due_text,
        # A relative date ("over the past two years") ends on its reference date.
        due_reference=milestone.due_end,
        states=milestone.state_codes,
        description=milestone.description,
        venue=milestone.venue,
        organisers=milestone.organisers,
        responsible_agency=milestone.responsible_agency,
        host=milestone.host_state_code,
        plan_ref=milestone.plan.ref if milestone.plan else None,
        ref=milestone.ref,
    )
