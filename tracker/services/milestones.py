"""Milestones: create, edit, record status changes, and the queries pages and reports use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import (
    TEXT_MAX,
    TITLE_MAX,
    Citation,
    Milestone,
    MilestoneEdit,
    SourceNote,
    State,
    StatusChange,
    User,
    milestone_states,
)
from tracker.rules import TransitionError, check_transition, status_as_of
from tracker.services.catalogue import get_plan, get_state
from tracker.services.common import Conflict, NotFound, ServiceError, choice, clean_text, parse_due

# --- milestones ---------------------------------------------------------------------------


@dataclass
class MilestoneDraft:
    """What a coordinator gives to create or edit a milestone."""

    kind: str
    title: str
    due: str
    states: Sequence[str]
    description: str = ""
    due_reference: date | None = None
    venue: str = ""
    organisers: str = ""
    responsible_agency: str = ""
    host: str | None = None
    plan_ref: str | None = None
    ref: str | None = None


def get_milestone(session: Session, milestone_id: int | str) -> Milestone:
    """The milestone with this id."""
    try:
        key = int(milestone_id)
    except (TypeError, ValueError):
        raise NotFound("milestone", milestone_id, "milestone ids are whole numbers") from None
    milestone = session.get(Milestone, key)
    if milestone is None:
        raise NotFound("milestone", milestone_id, "no such milestone")
    return milestone


def _apply_draft(session: Session, milestone: Milestone, draft: MilestoneDraft) -> None:
    codes = sorted({c.strip().upper() for c in draft.states if c.strip()})
    host = draft.host.strip().upper() if draft.host else None
    if host and host not in codes:
        codes = sorted([*codes, host])
    if not codes:
        raise ServiceError("states", "", "name at least one participating State")
    milestone.states = [get_state(session, code) for code in codes]
    milestone.host_state = get_state(session, host) if host else None
    milestone.kind = choice("kind", MilestoneKind, draft.kind)
    milestone.title = clean_text("title", draft.title, TITLE_MAX, required=True)
    milestone.description = clean_text("description", draft.description, TEXT_MAX)
    milestone.due_window = parse_due(draft.due, draft.due_reference)
    milestone.venue = clean_text("venue", draft.venue, TITLE_MAX)
    milestone.organisers = clean_text("organisers", draft.organisers, 1000)
    milestone.responsible_agency = clean_text(
        "responsible_agency", draft.responsible_agency, TITLE_MAX
    )
    milestone.plan = get_plan(session, draft.plan_ref) if draft.plan_ref else None


EDITABLE = (
    "kind",
    "title",
    "description",
    "due",
    "states",
    "host",
    "venue",
    "organisers",
    "responsible_agency",
    "plan",
)


def snapshot(milestone: Milestone) -> dict[str, str | None]:
    """The editable fields of a milestone as text, to compare versions."""
    return {
        "kind": milestone.kind.value if milestone.kind else None,
        "title": milestone.title,
        "description": milestone.description,
        "due": milestone.due_text,
        "states": " ".join(s.code for s in milestone.states),
        "host": milestone.host_state.code if milestone.host_state else None,
        "venue": milestone.venue,
        "organisers": milestone.organisers,
        "responsible_agency": milestone.responsible_agency,
        "plan": milestone.plan.ref or milestone.plan.title if milestone.plan else None,
    }


def _record_edit(
    session: Session,
    milestone: Milestone,
    before: dict[str, str | None],
    recorded_by: User | None,
    recorded_by_label: str,
) -> MilestoneEdit | None:
    after = snapshot(milestone)
    changes = {k: [before.get(k), after[k]] for k in EDITABLE if before.get(k) != after[k]}
    if not changes:
        return None
    edit = MilestoneEdit(
        milestone=milestone,
        version=milestone.version,
        changes=changes,
        recorded_by=recorded_by,
        recorded_by_label=clean_text("recorded_by", recorded_by_label, 200),
    )
    session.add(edit)
    session.flush()
    return edit


def create_milestone(
    session: Session,
    draft: MilestoneDraft,
    *,
    recorded_by: User | None = None,
    recorded_by_label: str = "",
) -> Milestone:
    """Create a planned milestone from a coordinator's draft (recorded in its edit history)."""
    if draft.ref and session.scalar(select(exists().where(Milestone.ref == draft.ref))):
        raise Conflict("ref", draft.ref, "another milestone already has this reference")
    milestone = Milestone(ref=draft.ref or None, status=MilestoneStatus.PLANNED)
    _apply_draft(session, milestone, draft)
    session.add(milestone)
    session.flush()
    _record_edit(session, milestone, {}, recorded_by, recorded_by_label)
    return milestone


def edit_milestone(
    session: Session,
    milestone: Milestone,
    draft: MilestoneDraft,
    expected_version: int,
    *,
    recorded_by: User | None = None,
    recorded_by_label: str = "",
) -> MilestoneEdit | None:
    """Edit a milestone unless someone saved it since the editor loaded it; None if unchanged."""
    _check_version(milestone, expected_version)
    before = snapshot(milestone)
    _apply_draft(session, milestone, draft)
    if snapshot(milestone) == before:
        return None
    _flush_versioned(session, milestone)
    return _record_edit(session, milestone, before, recorded_by, recorded_by_label)


def _check_version(milestone: Milestone, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != milestone.version:
        raise Conflict(
            "version",
            expected_version,
            f"milestone {milestone.id} was changed by someone else since you loaded it "
            f"(now at version {milestone.version})",
        )


def _flush_versioned(session: Session, milestone: Milestone) -> None:
    milestone_id, version = milestone.id, milestone.version  # unreadable once the flush fails
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            "version", version, f"milestone {milestone_id} was changed by someone else meanwhile"
        ) from None


def change_status(
    session: Session,
    milestone: Milestone,
    new_status: str,
    effective_on: date,
    *,
    comment: str = "",
    recorded_by: User | None = None,
    recorded_by_label: str = "",
    citation: Citation | None = None,
    expected_version: int | None = None,
    today: date | None = None,
) -> StatusChange:
    """Record a status change in the append-only history and update the current status."""
    status = choice("status", MilestoneStatus, new_status)
    _check_version(milestone, expected_version)
    if effective_on > (today or date.today()):
        raise ServiceError(
            "on", effective_on.isoformat(), "is in the future; record it when it happens"
        )
    old = status_as_of(milestone.history, date.max)
    last = milestone.history[-1].effective_on if milestone.history else None
    try:
        check_transition(old, status, effective_on, last)
    except TransitionError as error:
        raise ServiceError("status", status.value, str(error)) from None
    if citation is not None and citation.milestone is not milestone:
        raise ServiceError("citation", citation.id, "cites another milestone")
    change = StatusChange(
        milestone=milestone,
        old_status=old if milestone.history else None,
        new_status=status,
        effective_on=effective_on,
        recorded_by=recorded_by,
        recorded_by_label=clean_text("recorded_by", recorded_by_label, 200),
        comment=clean_text("comment", comment, TEXT_MAX),
        citation=citation,
    )
    session.add(change)
    milestone.status = status
    _flush_versioned(session, milestone)
    return change


# --- queries ------------------------------------------------------------------------------


def _with_related(stmt: Select[tuple[Milestone]]) -> Select[tuple[Milestone]]:
    return stmt.options(
        selectinload(Milestone.states),
        selectinload(Milestone.history),
        selectinload(Milestone.citations).joinedload(Citation.note).load_only(SourceNote.slug),
    )


def state_milestones(session: Session, code: str) -> tuple[State, list[Milestone]]:
    """Every milestone a State hosts or takes part in, in date order."""
    state = get_state(session, code)
    stmt = (
        select(Milestone)
        .join(milestone_states)
        .where(milestone_states.c.state_code == state.code)
        .order_by(Milestone.due_start, Milestone.due_end, Milestone.id)
    )
    return state, list(session.scalars(_with_related(stmt)))


def report_candidates(
    session: Session, horizon_end: date, state_codes: Sequence[str] = ()
) -> list[Milestone]:
    """Milestones whose window starts by the horizon (the only ones that can be flagged)."""
    stmt = select(Milestone).where(Milestone.due_start <= horizon_end)
    if state_codes:
        codes = list(state_codes)  # validated by the caller (resolve_states)
        stmt = stmt.where(
            exists().where(
                milestone_states.c.milestone_id == Milestone.id,
                milestone_states.c.state_code.in_(codes),
            )
        )
    stmt = stmt.order_by(Milestone.due_start, Milestone.due_end, Milestone.id)
    return list(session.scalars(_with_related(stmt)))
