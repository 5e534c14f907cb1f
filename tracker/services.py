"""Domain operations shared by the web views, the API, the CLI and the seed loader.

Every function works on a Session and flushes; the caller commits once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.security import generate_password_hash

from tracker.dates import DateParseError, DueWindow, parse_window
from tracker.enums import MilestoneKind, MilestoneStatus, NoteKind, PlanStatus, Role
from tracker.models import (
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    ActionPlan,
    Citation,
    Milestone,
    SourceNote,
    State,
    StatusChange,
    User,
    milestone_states,
)
from tracker.rules import TransitionError, check_transition, status_as_of


class ServiceError(ValueError):
    """Input the domain refuses; names the field and the value."""

    status_code = 400

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field, self.value, self.reason = field, value, reason
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        super().__init__(f"{field} {shown!r}: {reason}")


class NotFound(ServiceError):
    """A State, milestone, note or user that does not exist."""

    status_code = 404


class Conflict(ServiceError):
    """Someone else saved first, or the thing exists already."""

    status_code = 409


# --- input checks --------------------------------------------------------------------------


def _text(field_name: str, value: str, limit: int, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise ServiceError(field_name, value, "is required")
    if len(value) > limit:
        raise ServiceError(field_name, value, f"is {len(value)} characters; the limit is {limit}")
    return value


E = TypeVar("E", MilestoneKind, MilestoneStatus, NoteKind, PlanStatus, Role)


def _choice(field_name: str, enum: type[E], value: str | E) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ServiceError(field_name, value, f"must be one of: {allowed}") from None


def parse_due(text: str, reference: date | None = None) -> DueWindow:
    """Parse a due date as a coordinator writes it; errors name the field."""
    try:
        return parse_window(text, reference)
    except DateParseError as error:
        raise ServiceError("due", text, error.reason) from None


def parse_iso_date(field_name: str, value: str) -> date:
    """A YYYY-MM-DD date, or an error naming the field and the value."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceError(field_name, value, "must be a real date written YYYY-MM-DD") from None


# --- States, notes, plans -----------------------------------------------------------------

ISO3 = re.compile(r"^[A-Z]{3}$")


def get_state(session: Session, code: str) -> State:
    """The State with this ISO 3166-1 alpha-3 code."""
    state = session.get(State, code.strip().upper())
    if state is None:
        raise NotFound("state", code, "no such State (use an ISO 3166-1 alpha-3 code, e.g. TJK)")
    return state


def add_state(session: Session, code: str, name: str) -> State:
    """Register a State."""
    code = code.strip().upper()
    if not ISO3.match(code):
        raise ServiceError("state", code, "must be three letters (ISO 3166-1 alpha-3)")
    if session.get(State, code) is not None:
        raise Conflict("state", code, "is already registered")
    state = State(code=code, name=_text("name", name, 100, required=True))
    session.add(state)
    session.flush()
    return state


def get_note(session: Session, slug: str) -> SourceNote:
    """The source note with this slug."""
    note = session.scalar(select(SourceNote).where(SourceNote.slug == slug))
    if note is None:
        raise NotFound("note", slug, "no such source note")
    return note


SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")


def add_note(
    session: Session, slug: str, title: str, kind: str, text: str, event: str = ""
) -> SourceNote:
    """Store a source note; the same text twice is refused, naming the existing note."""
    if not SLUG.match(slug):
        raise ServiceError("slug", slug, "use letters, digits, '-', '_' or '.' (at most 120)")
    if not text.strip():
        raise ServiceError("text", text, "the note is empty")
    if len(text.encode("utf-8")) > NOTE_MAX:
        raise ServiceError("text", text[:40], f"the note is larger than {NOTE_MAX} bytes")
    digest = SourceNote.digest(text)
    same = session.scalar(select(SourceNote).where(SourceNote.sha256 == digest))
    if same is not None:
        raise Conflict("text", slug, f"the same text is already stored as note {same.slug!r}")
    if session.scalar(select(exists().where(SourceNote.slug == slug))):
        raise Conflict("slug", slug, "another note already has this slug")
    note = SourceNote(
        slug=slug,
        title=_text("title", title, TITLE_MAX, required=True),
        kind=_choice("kind", NoteKind, kind),
        event=_text("event", event, 1000),
        text=text,
        sha256=digest,
    )
    session.add(note)
    session.flush()
    return note


def cite(
    session: Session,
    note: SourceNote,
    quote: str,
    *,
    milestone: Milestone | None = None,
    plan: ActionPlan | None = None,
    date_text: str = "",
) -> Citation:
    """Cite a verbatim quote of a note for a milestone or a plan; refused unless verbatim."""
    subject = (
        f"milestone {milestone.title!r}" if milestone else f"plan {plan.title if plan else ''!r}"
    )
    if (milestone is None) == (plan is None):
        raise ValueError("a citation supports exactly one milestone or one plan")
    if not quote.strip():
        raise ServiceError("quote", quote, f"is empty (for {subject})")
    if quote not in note.text:
        raise ServiceError(
            "quote", quote, f"is not verbatim in note {note.slug!r} (cited for {subject})"
        )
    if date_text:
        parse_due(date_text)
    for existing in (milestone or plan).citations:  # type: ignore[union-attr]
        if existing.note_id == note.id and existing.quote == quote:
            return existing
    citation = Citation(note=note, quote=quote, milestone=milestone, plan=plan, date_text=date_text)
    session.add(citation)
    session.flush()
    return citation


def get_plan(session: Session, ref: str) -> ActionPlan:
    """The plan with this reference."""
    plan = session.scalar(select(ActionPlan).where(ActionPlan.ref == ref))
    if plan is None:
        raise NotFound("plan", ref, "no such action plan")
    return plan


def _period(text: str | None) -> tuple[int | None, int | None]:
    if not text:
        return None, None
    window = parse_due(text)
    return window.start.year, window.end.year


def add_plan(
    session: Session,
    state_code: str,
    title: str,
    status: str,
    period: str | None = None,
    supersedes: ActionPlan | None = None,
    ref: str | None = None,
) -> ActionPlan:
    """Register a State's action plan."""
    start, end = _period(period)
    plan = ActionPlan(
        ref=ref,
        state=get_state(session, state_code),
        title=_text("title", title, TITLE_MAX, required=True),
        status=_choice("status", PlanStatus, status),
        period_start=start,
        period_end=end,
        supersedes=supersedes,
    )
    session.add(plan)
    session.flush()
    return plan


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
    extra: dict[str, str] = field(default_factory=dict)


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
    milestone.kind = _choice("kind", MilestoneKind, draft.kind)
    milestone.title = _text("title", draft.title, TITLE_MAX, required=True)
    milestone.description = _text("description", draft.description, TEXT_MAX)
    milestone.due_window = parse_due(draft.due, draft.due_reference)
    milestone.venue = _text("venue", draft.venue, TITLE_MAX)
    milestone.organisers = _text("organisers", draft.organisers, 1000)
    milestone.responsible_agency = _text("responsible_agency", draft.responsible_agency, TITLE_MAX)
    milestone.plan = get_plan(session, draft.plan_ref) if draft.plan_ref else None


def create_milestone(session: Session, draft: MilestoneDraft) -> Milestone:
    """Create a planned milestone from a coordinator's draft."""
    if draft.ref and session.scalar(select(exists().where(Milestone.ref == draft.ref))):
        raise Conflict("ref", draft.ref, "another milestone already has this reference")
    milestone = Milestone(ref=draft.ref or None, status=MilestoneStatus.PLANNED)
    _apply_draft(session, milestone, draft)
    session.add(milestone)
    session.flush()
    return milestone


def edit_milestone(
    session: Session, milestone: Milestone, draft: MilestoneDraft, expected_version: int
) -> Milestone:
    """Edit a milestone unless someone saved it since the editor loaded it."""
    _check_version(milestone, expected_version)
    _apply_draft(session, milestone, draft)
    _flush_versioned(session, milestone)
    return milestone


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
    status = _choice("status", MilestoneStatus, new_status)
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
        recorded_by_label=_text("recorded_by", recorded_by_label, 200),
        comment=_text("comment", comment, TEXT_MAX),
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
        selectinload(Milestone.citations).selectinload(Citation.note).load_only(SourceNote.slug),
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
        codes = [get_state(session, c).code for c in state_codes]
        stmt = stmt.where(
            exists().where(
                milestone_states.c.milestone_id == Milestone.id,
                milestone_states.c.state_code.in_(codes),
            )
        )
    stmt = stmt.order_by(Milestone.due_start, Milestone.due_end, Milestone.id)
    return list(session.scalars(_with_related(stmt)))


# --- users --------------------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_user(
    session: Session,
    email: str,
    password: str,
    role: str,
    state_codes: Sequence[str] = (),
    display_name: str = "",
) -> User:
    """Create an account; coordinators name the States they may edit."""
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise ServiceError("email", email, "is not an e-mail address")
    if session.scalar(select(exists().where(User.email == email))):
        raise Conflict("email", email, "an account with this e-mail exists already")
    if len(password) < 10:
        raise ServiceError("password", "***", "must be at least 10 characters")
    chosen = _choice("role", Role, role)
    if chosen is Role.COORDINATOR and not state_codes:
        raise ServiceError("state", "", "a coordinator needs at least one State (--state ISO3)")
    user = User(
        email=email,
        display_name=_text("display_name", display_name or email.split("@")[0], 200),
        password_hash=generate_password_hash(password),
        role=chosen,
        states=[get_state(session, c) for c in state_codes],
    )
    session.add(user)
    session.flush()
    return user
