"""Milestones: create, edit, record status changes, and the queries pages and reports use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Row,
    ScalarSelect,
    Select,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from tracker import policy
from tracker.dates import DueWindow
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.inputs import InputError, parse_id
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
    note_name,
)
from tracker.rules import (
    DEADLINE_KINDS,
    INITIAL_STATUS,
    TransitionError,
    check_transition,
    key_day,
    status_as_of,
)
from tracker.services.catalogue import get_plan, get_state
from tracker.services.common import (
    Conflict,
    NotFound,
    ServiceError,
    bilingual,
    choice,
    clean_text,
    parse_due,
)
from tracker.services.drafts import DRAFT_FIELDS, EDITABLE, MilestoneDraft, snapshot

# --- milestones ---------------------------------------------------------------------------


def involved_states(draft: MilestoneDraft) -> list[str]:
    """The States a draft involves (the host takes part too), as the policy asks of them."""
    return sorted({c.strip().upper() for c in [*draft.states, draft.host or ""] if c.strip()})


# What a milestone's page shows, loaded in five statements whatever the history's length.
MILESTONE_PAGE = (
    joinedload(Milestone.plan),
    selectinload(Milestone.states),
    selectinload(Milestone.citations)
    .joinedload(Citation.note)
    .load_only(SourceNote.slug, SourceNote.title, SourceNote.created_at),
    selectinload(Milestone.history).joinedload(StatusChange.recorded_by),
    selectinload(Milestone.edits).joinedload(MilestoneEdit.recorded_by),
)


# What changing one milestone reads: its States (the policy), its history (the transition
# rule) and its citations (which one a status change may name); the rest loads if needed.
MILESTONE_CHANGE = (
    selectinload(Milestone.states),
    selectinload(Milestone.history),
    selectinload(Milestone.citations),
)


def get_milestone(session: Session, milestone_id: int | str) -> Milestone:
    """The milestone with this id and all its page shows (the API's JSON too)."""
    return _load(session, milestone_id, MILESTONE_PAGE)


def milestone_to_change(session: Session, milestone_id: int | str) -> Milestone:
    """The milestone with this id and what a change to it reads, not its whole page."""
    return _load(session, milestone_id, MILESTONE_CHANGE)


def milestone_version(session: Session, milestone_id: int) -> int | None:
    """The milestone's version as committed now (None if it is gone)."""
    return session.scalar(select(Milestone.version).where(Milestone.id == milestone_id))


def _load(session: Session, milestone_id: int | str, options: Sequence[Any]) -> Milestone:
    try:
        key = parse_id("milestone", milestone_id)
    except InputError:
        raise NotFound("milestone", milestone_id, "milestone_id_shape") from None
    stmt = select(Milestone).where(Milestone.id == key).options(*options)
    # populate_existing: a page read after a change loads what the change did not.
    milestone = session.scalar(stmt.execution_options(populate_existing=True))
    if milestone is None:
        raise NotFound("milestone", milestone_id, "unknown_milestone")
    return milestone


def _apply_draft(session: Session, milestone: Milestone, draft: MilestoneDraft) -> None:
    codes = sorted({c.strip().upper() for c in draft.states if c.strip()})
    host = draft.host.strip().upper() if draft.host else None
    if host and host not in codes:
        codes = sorted([*codes, host])
    if not codes:
        raise ServiceError("states", "", "no_state")
    milestone.states = [get_state(session, code) for code in codes]
    milestone.host_state = get_state(session, host) if host else None
    milestone.kind = choice("kind", MilestoneKind, draft.kind)
    for spec in DRAFT_FIELDS:
        if spec.column:
            value = getattr(draft, spec.attr)
            cleaned = clean_text(spec.name, value, spec.limit, spec.required, spec.multiline)
            setattr(milestone, spec.attr, cleaned)
        elif spec.attr == "due":
            milestone.due_window = parse_due(draft.due, draft.due_reference)
    for attr in ("title", "venue"):  # written in one language, maybe translated
        alt, lang = getattr(milestone, f"{attr}_alt"), getattr(draft, f"{attr}_lang")
        _text, _alt, found = bilingual(attr, getattr(milestone, attr), alt, lang, TITLE_MAX)
        setattr(milestone, f"{attr}_lang", found)
    milestone.plan = get_plan(session, draft.plan_ref) if draft.plan_ref else None


def _record_edit(
    session: Session,
    milestone: Milestone,
    before: dict[str, str | None],
    recorded_by: User | None,
    recorded_by_label: str,
    comment: str = "",
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
        comment=comment,
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
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, involved_states(draft))
    if draft.ref and session.scalar(select(exists().where(Milestone.ref == draft.ref))):
        raise Conflict("ref", draft.ref, "ref_taken")
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
    comment: str = "",
) -> MilestoneEdit | None:
    """Edit a milestone unless someone saved it since the editor loaded it; None if unchanged.
    The comment says why (a postponement's reason); it is kept with the edit."""
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, milestone)
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, involved_states(draft))
    _check_version(milestone, expected_version)
    before = snapshot(milestone)
    _apply_draft(session, milestone, draft)
    if snapshot(milestone) == before:
        return None
    _flush_versioned(session, milestone)
    why = clean_text("comment", comment, TEXT_MAX, multiline=True)
    return _record_edit(session, milestone, before, recorded_by, recorded_by_label, why)


def milestone_draft(milestone: Milestone) -> MilestoneDraft:
    """The milestone as it stands, as a draft to change some fields of (a partial edit)."""
    if milestone.plan is not None and not milestone.plan.ref:
        # Drafts name plans by reference; editing would silently detach the plan.
        raise ServiceError("plan", milestone.plan.id, "plan_without_ref")
    return MilestoneDraft.from_milestone(milestone)


def _check_version(milestone: Milestone, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != milestone.version:
        raise Conflict(
            "version", expected_version, "stale_version", id=milestone.id, now=milestone.version
        )


def _flush_versioned(session: Session, milestone: Milestone) -> None:
    milestone_id, version = milestone.id, milestone.version  # unreadable once the flush fails
    try:
        session.flush()
    except StaleDataError:
        raise Conflict("version", version, "changed_meanwhile", id=milestone_id) from None


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
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, milestone)
    status = choice("status", MilestoneStatus, new_status)
    _check_version(milestone, expected_version)
    if effective_on > (today or date.today()):
        raise ServiceError("on", effective_on.isoformat(), "future_date")
    old = status_as_of(milestone.history, date.max)
    last = milestone.history[-1].effective_on if milestone.history else None
    try:
        check_transition(old, status, effective_on, last)
    except TransitionError as error:
        code, params = error.code, error.params  # already_status, no_such_transition, out_of_order
        raise ServiceError("status", status.value, code, **params) from None
    if citation is not None and citation.milestone is not milestone:
        raise ServiceError("citation", citation.id, "cites_another_milestone")
    change = StatusChange(
        milestone=milestone,
        old_status=old if milestone.history else None,
        new_status=status,
        effective_on=effective_on,
        recorded_by=recorded_by,
        recorded_by_label=clean_text("recorded_by", recorded_by_label, 200),
        comment=clean_text("comment", comment, TEXT_MAX, multiline=True),
        citation=citation,
    )
    session.add(change)
    milestone.status = status
    milestone.status_since = effective_on
    _flush_versioned(session, milestone)
    return change


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Source:
    """A citation as reports show it: the note's slug (its identifier in URLs and the API), the
    quote, the date it gives, and the note's name (title and date) that people read."""

    note: str
    quote: str
    date_text: str
    name: str = ""

    @property
    def label(self) -> str:
        """How a page, a file or an e-mail names the note."""
        return self.name or self.note


@dataclass(frozen=True, slots=True)
class MilestoneFacts:
    """What a report or timeline shows of a milestone, its status taken as of a date."""

    id: int
    ref: str | None
    title: str
    kind: MilestoneKind
    states: list[str]
    host: str | None
    status: MilestoneStatus
    window: DueWindow
    venue: str
    sources: list[Source]
    title_lang: str = "en"
    title_alt: str = ""
    venue_lang: str = "en"
    venue_alt: str = ""


OPEN_STATUSES = [s for s in MilestoneStatus if s.is_open]


def status_as_of_sql(as_of: date) -> ColumnElement[MilestoneStatus]:
    """A milestone's status on a date, in SQL: its last change effective by then, or planned.

    The fast path of `rules.status_as_of`, which stays the definition (tests/test_status_as_of.py
    keeps the two equal over random histories); use the rule only on a history already loaded.

    On or after its latest change's date that is the current status, read from the row itself;
    only earlier dates look the history up (a CASE evaluates that branch only when taken).
    """
    latest = (
        select(StatusChange.new_status)
        .where(StatusChange.milestone_id == Milestone.id, StatusChange.effective_on <= as_of)
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(Milestone)
        .scalar_subquery()
    )
    settled = or_(Milestone.status_since.is_(None), Milestone.status_since <= as_of)
    return case(
        (settled, Milestone.status), else_=func.coalesce(latest, literal(INITIAL_STATUS.value))
    )


def key_day_sql() -> ColumnElement[date]:
    """`rules.key_day` in SQL: a deadline's due day (its window's last), a meeting's first."""
    return case(
        (Milestone.kind.in_(sorted(DEADLINE_KINDS)), Milestone.due_end),
        else_=Milestone.due_start,
    )


def state_list() -> ScalarSelect[str]:
    """The codes of a milestone's States, space-separated, as a correlated subquery."""
    return _state_list()


def _state_list() -> ScalarSelect[str]:
    return (
        select(func.aggregate_strings(milestone_states.c.state_code, " "))
        .where(milestone_states.c.milestone_id == Milestone.id)
        .correlate(Milestone)
        .scalar_subquery()
    )


def _facts_query(as_of: date) -> Select[Any]:
    return select(
        Milestone.id, Milestone.ref, Milestone.title, Milestone.kind, _state_list(),
        Milestone.host_state_code, status_as_of_sql(as_of), Milestone.due_start,
        Milestone.due_end, Milestone.due_precision, Milestone.due_text, Milestone.venue,
        Milestone.title_lang, Milestone.title_alt, Milestone.venue_lang, Milestone.venue_alt,
    )  # fmt: skip


DATE_ORDER = (Milestone.due_start, Milestone.due_end, Milestone.id)


def _facts(
    session: Session,
    stmt: Select[Any],
    cited_for: ColumnElement[bool] | None,
    with_sources: bool = True,
) -> list[MilestoneFacts]:
    """Rows of _facts_query with their sources; cited_for picks the citations (default: by id)."""
    # Core rows on the session's connection: the ORM adds nothing to plain columns but time.
    connection = session.connection()
    rows = connection.execute(stmt).all()
    by_milestone = _sources_of(connection, rows, cited_for) if with_sources else {}
    return [
        MilestoneFacts(
            id=row[0],
            ref=row[1],
            title=row[2],
            kind=row[3],
            states=sorted((row[4] or "").split()),
            host=row[5],
            status=row[6],
            window=DueWindow(row[7], row[8], row[9], row[10]),
            venue=row[11],
            sources=by_milestone.get(row[0], []),
            title_lang=row[12],
            title_alt=row[13],
            venue_lang=row[14],
            venue_alt=row[15],
        )
        for row in rows
    ]


def _sources_of(
    connection: Connection, rows: Sequence[Row[Any]], cited_for: ColumnElement[bool] | None
) -> dict[int, list[Source]]:
    if cited_for is None:
        # Ids inlined: a report may hold more milestones than a database takes parameters.
        ids: list[int] = [row[0] for row in rows]
        inlined: BindParameter[list[int]] = bindparam(
            "ids", ids, expanding=True, literal_execute=True
        )
        cited_for = Citation.milestone_id.in_(inlined)
    cited = (
        select(
            Citation.milestone_id,
            SourceNote.slug,
            SourceNote.title,
            SourceNote.created_at,
            Citation.quote,
            Citation.date_text,
        )
        .join(SourceNote, SourceNote.id == Citation.note_id)
        .where(cited_for)
        .order_by(Citation.milestone_id, Citation.id)
    )
    by_milestone: dict[int, list[Source]] = {}
    for milestone_id, slug, title, added, quote, date_text in connection.execute(cited).all():
        source = Source(slug, quote, date_text, note_name(title, added))
        by_milestone.setdefault(milestone_id, []).append(source)
    return by_milestone


def state_milestones(
    session: Session, code: str, as_of: date
) -> tuple[State, list[MilestoneFacts]]:
    """Every milestone a State hosts or takes part in, in date order, with its status then."""
    state = get_state(session, code)
    members = select(milestone_states.c.milestone_id).where(
        milestone_states.c.state_code == state.code
    )
    stmt = _facts_query(as_of).where(Milestone.id.in_(members)).order_by(*DATE_ORDER)
    return state, _facts(session, stmt, Citation.milestone_id.in_(members))


def _in_states(state_codes: Sequence[str]) -> ColumnElement[bool]:
    return exists().where(
        milestone_states.c.milestone_id == Milestone.id,
        milestone_states.c.state_code.in_(list(state_codes)),  # validated by resolve_states
    )


def report_candidates(
    session: Session, as_of: date, horizon_end: date, state_codes: Sequence[str] = ()
) -> list[MilestoneFacts]:
    """Milestones open as of the date whose window starts by the horizon: overdue or upcoming."""
    # In id order, SQLite walks the table and the history index side by side (about twice as
    # fast as in date order, whose random probes miss the cache); the few rows are sorted here.
    stmt = (
        _facts_query(as_of)
        .where(Milestone.due_start <= horizon_end, status_as_of_sql(as_of).in_(OPEN_STATUSES))
        .order_by(Milestone.id)
    )
    if state_codes:
        stmt = stmt.where(_in_states(state_codes))
    facts = _facts(session, stmt, None)
    facts.sort(key=lambda f: (f.window.start, f.window.end, f.id))
    return facts


def next_by_state(
    session: Session, as_of: date, per_state: int = 3
) -> dict[str, list[MilestoneFacts]]:
    """Per State, its next open milestones however far ahead, soonest key day first (a
    deadline's due day, a meeting's first day); one that is running now comes first. Without
    their sources: a dashboard card names them, it does not quote them."""
    key = key_day_sql()
    ranked = (
        select(
            Milestone.id,
            func.row_number()
            .over(partition_by=milestone_states.c.state_code, order_by=(key, Milestone.id))
            .label("rank"),
        )
        .join(milestone_states, milestone_states.c.milestone_id == Milestone.id)
        .where(Milestone.due_end >= as_of, status_as_of_sql(as_of).in_(OPEN_STATUSES))
        .subquery()
    )
    # The union of every State's first few; each State's own first few are among them.
    chosen = select(ranked.c.id).where(ranked.c.rank <= per_state)
    stmt = _facts_query(as_of).where(Milestone.id.in_(chosen))
    facts = _facts(session, stmt, None, with_sources=False)
    facts.sort(key=lambda f: (key_day(f.kind, f.window), f.id))
    by_state: dict[str, list[MilestoneFacts]] = {}
    for fact in facts:
        for code in fact.states:
            mine = by_state.setdefault(code, [])
            if len(mine) < per_state:
                mine.append(fact)
    return by_state


def done_by_state(session: Session, as_of: date, horizon_end: date) -> dict[str, int]:
    """Per State, milestones done as of the date among those starting by the horizon."""
    stmt = (
        select(milestone_states.c.state_code, func.count())
        .join(Milestone, Milestone.id == milestone_states.c.milestone_id)
        .where(
            Milestone.due_start <= horizon_end,
            status_as_of_sql(as_of) == MilestoneStatus.DONE,
        )
        .group_by(milestone_states.c.state_code)
    )
    return {code: count for code, count in session.execute(stmt).tuples()}
