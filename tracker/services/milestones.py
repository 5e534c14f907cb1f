"""Milestones: create, edit, record status changes, and the queries pages and reports use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Row,
    ScalarSelect,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    insert,
    literal,
    not_,
    or_,
    select,
    true,
    union_all,
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
    ActionPlan,
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
    DEFAULT_REVIEW_AFTER_DAYS,
    INITIAL_STATUS,
    STALE_AFTER_DAYS,
    TransitionError,
    check_transition,
    status_as_of,
)
from tracker.services.bodies import MeasureLookups, apply_measure_fields, is_permanent
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


@dataclass
class Lookups:
    """What creating many milestones reads once rather than per milestone: the plans by
    reference, the references given so far, and the measures' bodies and numbers."""

    plans: dict[str, ActionPlan] = field(default_factory=dict)
    refs: set[str] = field(default_factory=set)
    measures: MeasureLookups = field(default_factory=MeasureLookups)

    def plan(self, session: Session, ref: str) -> ActionPlan:
        """The plan with this reference, read the first time it is asked for."""
        if ref not in self.plans:
            self.plans[ref] = get_plan(session, ref)
        return self.plans[ref]


def _apply_draft(
    session: Session, milestone: Milestone, draft: MilestoneDraft, known: Lookups | None = None
) -> None:
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
        elif spec.attr == "due" and not (
            milestone.kind is MilestoneKind.MEASURE and is_permanent(draft.due)
        ):
            milestone.due_window = parse_due(draft.due, draft.due_reference)
    for attr in ("title", "venue"):  # written in one language, maybe translated
        alt, lang = getattr(milestone, f"{attr}_alt"), getattr(draft, f"{attr}_lang")
        _text, _alt, found = bilingual(attr, getattr(milestone, attr), alt, lang, TITLE_MAX)
        setattr(milestone, f"{attr}_lang", found)
    plan = None
    if draft.plan_ref:
        plan = known.plan(session, draft.plan_ref) if known else get_plan(session, draft.plan_ref)
    milestone.plan = plan
    permanent = apply_measure_fields(
        session,
        milestone,
        number=draft.measure_number,
        area=draft.measure_area,
        bodies=draft.bodies,
        due_text=draft.due,
        known=known.measures if known else None,
    )
    if permanent is not None:
        milestone.due_window = permanent


def _record_edit(
    session: Session,
    milestone: Milestone,
    before: dict[str, str | None],
    recorded_by: User | None,
    recorded_by_label: str,
    comment: str = "",
) -> MilestoneEdit | None:
    values = _edit_values(milestone, before, recorded_by_label, comment)
    if values is None:
        return None
    edit = MilestoneEdit(milestone=milestone, recorded_by=recorded_by, **values)
    session.add(edit)
    session.flush()
    return edit


def _edit_values(
    milestone: Milestone,
    before: dict[str, str | None],
    recorded_by_label: str,
    comment: str = "",
) -> dict[str, Any] | None:
    """The edit history's row for what changed since `before` (None when nothing did), but
    the milestone and who recorded it."""
    after = snapshot(milestone)
    changes = {k: [before.get(k), after[k]] for k in EDITABLE if before.get(k) != after[k]}
    if not changes:
        return None
    return {
        "version": milestone.version,
        "changes": changes,
        "recorded_by_label": clean_text("recorded_by", recorded_by_label, 200),
        "comment": comment,
    }


def _new_milestone(
    session: Session,
    draft: MilestoneDraft,
    recorded_by: User | None,
    known: Lookups | None = None,
) -> Milestone:
    """A planned milestone from a draft, every rule checked, added to the session unflushed."""
    policy.check(recorded_by, policy.Action.EDIT_MILESTONE, involved_states(draft))
    if draft.ref and (
        (known is not None and draft.ref in known.refs)
        or session.scalar(select(exists().where(Milestone.ref == draft.ref)))
    ):
        raise Conflict("ref", draft.ref, "ref_taken")
    if draft.ref and known is not None:
        known.refs.add(draft.ref)
    milestone = Milestone(ref=draft.ref or None, status=MilestoneStatus.PLANNED)
    _apply_draft(session, milestone, draft, known)
    session.add(milestone)
    return milestone


def create_milestone(
    session: Session,
    draft: MilestoneDraft,
    *,
    recorded_by: User | None = None,
    recorded_by_label: str = "",
) -> Milestone:
    """Create a planned milestone from a coordinator's draft (recorded in its edit history)."""
    milestone = _new_milestone(session, draft, recorded_by)
    session.flush()
    _record_edit(session, milestone, {}, recorded_by, recorded_by_label)
    return milestone


def create_milestones(
    session: Session,
    drafts: Sequence[MilestoneDraft],
    *,
    recorded_by: User | None = None,
    recorded_by_label: str = "",
) -> list[Milestone]:
    """Create many planned milestones as `create_milestone` creates one, all or none: the
    plans, bodies and measure numbers read once, one flush for the milestones and one
    statement for their edit history, whatever their number."""
    known = Lookups()
    with session.no_autoflush:  # a lookup must not flush the milestones made so far
        milestones = [_new_milestone(session, d, recorded_by, known) for d in drafts]
    session.flush()
    recorder = {"recorded_by_id": recorded_by.id if recorded_by else None}
    edits = [
        {"milestone_id": m.id, **recorder, **values}
        for m in milestones
        if (values := _edit_values(m, {}, recorded_by_label)) is not None
    ]
    if edits:
        # One statement for every row: the edits' ids, unlike the milestones', are not needed.
        session.execute(insert(MilestoneEdit), edits)
    return milestones


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
    policy.check(recorded_by, policy.Action.RECORD_PROGRESS, milestone)
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


def review_candidate_sql(
    as_of: date, review_after_days: int = DEFAULT_REVIEW_AFTER_DAYS
) -> ColumnElement[bool]:
    """`rules.milestone_review_reasons` is not empty, in SQL: open (its current status), and
    overdue for longer than the limit or its status unchanged (or, never changed, entered)
    more than two years before the date (tests/test_dashboard_counts.py keeps the two equal)."""
    overdue_before = as_of - timedelta(days=review_after_days)
    stale_before = as_of - timedelta(days=STALE_AFTER_DAYS)
    entered_before = datetime.combine(stale_before, time.min, tzinfo=UTC)
    return and_(
        Milestone.status.in_(OPEN_STATUSES),
        or_(
            Milestone.due_end < overdue_before,
            Milestone.status_since < stale_before,
            and_(Milestone.status_since.is_(None), Milestone.created_at < entered_before),
        ),
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


@dataclass(frozen=True, slots=True)
class FlagCounts:
    """Milestones overdue, upcoming and done (among those starting by the horizon)."""

    overdue: int = 0
    upcoming: int = 0
    done: int = 0


@dataclass
class DashboardFigures:
    """What the dashboard shows, as counts and ids: per State and across States (a regional
    milestone once) the milestones overdue, upcoming and done; the first overdue (longest
    first) and upcoming (soonest first); and each State's next open milestones."""

    counts: dict[str, FlagCounts] = field(default_factory=dict)
    total: FlagCounts = FlagCounts()
    overdue: list[int] = field(default_factory=list)
    upcoming: list[int] = field(default_factory=list)
    following: dict[str, list[int]] = field(default_factory=dict)
    # Per plan with measures: (measures not cancelled, done, overdue) as of the date.
    measured: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # Per State: how many milestones need review, and the first (oldest due first).
    review_counts: dict[str, int] = field(default_factory=dict)
    review: dict[str, list[int]] = field(default_factory=dict)


_OVERDUE, _UPCOMING, _DONE = 1, 2, 3


def dashboard_figures(
    session: Session,
    as_of: date,
    horizon_end: date,
    first: int,
    per_state: int = 3,
    *,
    offset: int = 0,
    state_codes: Sequence[str] = (),
    review_after_days: int | None = None,
) -> DashboardFigures:
    """The dashboard's figures in one statement: `rules.flag` and `rules.key_day` in SQL over
    one pass of the milestones (their status as of the date worked out once, in a
    materialized CTE), grouped by State; no milestone is read into Python. `offset` skips the
    first of each list (a page of the deadline report); `state_codes` keeps those States'
    milestones only; `per_state` 0 leaves out each State's next ones; `review_after_days`
    also counts, per State, the milestones that need review and gives the first `per_state`
    (from the same pass: `review_candidate_sql`)."""
    base = (
        select(
            Milestone.id.label("id"),
            status_as_of_sql(as_of).label("status"),
            Milestone.due_start,
            Milestone.due_end,
            key_day_sql().label("key"),
            Milestone.plan_id,
            (Milestone.kind == MilestoneKind.MEASURE).label("is_measure"),
            Milestone.permanent,
            (
                review_candidate_sql(as_of, review_after_days)
                if review_after_days is not None
                else literal(False)
            ).label("review"),
        )
        .where(_in_states(state_codes) if state_codes else true())
        .cte("as_of")
        .prefix_with("MATERIALIZED")  # read once, used by every part below
    )
    is_open = base.c.status.in_(OPEN_STATUSES)
    what = case(
        (base.c.due_start > horizon_end, 0),  # starts after the horizon: not counted
        (and_(is_open, base.c.due_end < as_of), _OVERDUE),
        (and_(is_open, base.c.key <= horizon_end), _UPCOMING),
        (base.c.status == MilestoneStatus.DONE, _DONE),
        else_=0,
    )
    flagged = select(base.c.id, base.c.due_end, base.c.key, what.label("what")).cte("flagged")
    figures = [func.count(case((flagged.c.what == n, 1))) for n in (_OVERDUE, _UPCOMING, _DONE)]
    member = milestone_states.c
    by_state = (
        select(literal("count"), member.state_code, *figures)
        .join(flagged, flagged.c.id == member.milestone_id)
        .where(
            flagged.c.what > 0,
            member.state_code.in_(list(state_codes)) if state_codes else true(),
        )
        .group_by(member.state_code)
    )
    across = select(literal("count"), literal(""), *figures).select_from(flagged)
    # The first of each list, in the deadline report's orders (tracker.reports.items).
    order = case((flagged.c.what == _OVERDUE, flagged.c.due_end), else_=flagged.c.key)
    firsts = (
        select(
            flagged.c.id,
            flagged.c.what,
            func.row_number()
            .over(partition_by=flagged.c.what, order_by=(order, flagged.c.id))
            .label("rank"),
        )
        .where(flagged.c.what.in_((_OVERDUE, _UPCOMING)))
        .subquery()
    )
    # Each State's next open ones however far ahead, soonest key day first.
    following = (
        select(
            base.c.id,
            member.state_code,
            func.row_number()
            .over(partition_by=member.state_code, order_by=(base.c.key, base.c.id))
            .label("rank"),
        )
        .join(milestone_states, member.milestone_id == base.c.id)
        .where(is_open, base.c.due_end >= as_of)
        .subquery()
    )

    # Each plan's measures (tracker.progress): not cancelled, done, overdue (never a permanent one).
    def tally(condition: ColumnElement[bool]) -> Any:
        return func.count(case((condition, 1)))

    measured = (
        select(
            literal("plan"),
            cast(base.c.plan_id, String),
            tally(base.c.status != MilestoneStatus.CANCELLED),
            tally(base.c.status == MilestoneStatus.DONE),
            tally(and_(is_open, not_(base.c.permanent), base.c.due_end < as_of)),
        )
        .where(base.c.is_measure, base.c.plan_id.is_not(None))
        .group_by(base.c.plan_id)
    )
    listed = select(literal("first"), literal(""), firsts.c.id, firsts.c.what, firsts.c.rank)
    review_parts = []
    if review_after_days is not None:
        review_parts.append(_review_part(base, per_state, state_codes))
    nexts = select(
        literal("next"), following.c.state_code, following.c.id, following.c.rank, literal(0)
    )
    parts = union_all(
        by_state,
        across,
        listed.where(firsts.c.rank > offset, firsts.c.rank <= offset + first),
        *([nexts.where(following.c.rank <= per_state)] if per_state > 0 else []),
        measured,
        *review_parts,
    )
    out = DashboardFigures()
    firsts_found: list[tuple[int, int, int]] = []
    nexts_found: list[tuple[str, int, int]] = []
    review_found: list[tuple[str, int, int]] = []
    for part, code, a, b, c in session.execute(parts):
        if part == "count" and code:
            out.counts[code] = FlagCounts(a, b, c)
        elif part == "count":
            out.total = FlagCounts(a, b, c)
        elif part == "first":
            firsts_found.append((c, a, b))
        elif part == "plan":
            out.measured[int(code)] = (a, b, c)
        elif part == "review":
            out.review_counts[code] = c
            if b <= per_state:
                review_found.append((code, b, a))
        else:
            nexts_found.append((code, b, a))
    for _rank, milestone_id, flag_code in sorted(firsts_found):
        (out.overdue if flag_code == _OVERDUE else out.upcoming).append(milestone_id)
    for code, _rank, milestone_id in sorted(nexts_found):
        out.following.setdefault(code, []).append(milestone_id)
    for code, _rank, milestone_id in sorted(review_found):
        out.review.setdefault(code, []).append(milestone_id)
    return out


def _review_part(base: Any, first: int, state_codes: Sequence[str]) -> Select[Any]:
    """Per State, the milestones that need review as of the date, oldest due first, ranked
    and counted (one row each, only the first `first` kept past the window functions)."""
    member = milestone_states.c
    # SQLite: the few candidates (3 % of rows) first, each looking its States up by the
    # membership's primary key. Joined straight to the pass, it walked every membership in
    # State order and built an index on the pass to find each one's row (about a tenth of the
    # statement). PostgreSQL inlines the CTE (its hash join was already right).
    candidates = (
        select(base.c.id, base.c.due_end)
        .where(base.c.review)
        .cte("review_candidates")
        .prefix_with("MATERIALIZED", dialect="sqlite")
    )
    ranked = (
        select(
            member.state_code,
            candidates.c.id,
            func.row_number()
            .over(partition_by=member.state_code, order_by=(candidates.c.due_end, candidates.c.id))
            .label("rank"),
            func.count().over(partition_by=member.state_code).label("total"),
        )
        .join(milestone_states, member.milestone_id == candidates.c.id)
        .where(member.state_code.in_(list(state_codes)) if state_codes else true())
        .subquery()
    )
    return select(
        literal("review"), ranked.c.state_code, ranked.c.id, ranked.c.rank, ranked.c.total
    ).where(ranked.c.rank <= max(first, 1))


def facts_of(
    session: Session, as_of: date, ids: Sequence[int], sourced: Sequence[int] = ()
) -> dict[int, MilestoneFacts]:
    """The facts of these milestones by id, with sources for those in `sourced` only."""
    if not ids:
        return {}
    inlined: BindParameter[list[int]] = bindparam(
        "ids", sorted(set(ids)), expanding=True, literal_execute=True
    )
    stmt = _facts_query(as_of).where(Milestone.id.in_(inlined))
    facts = _facts(session, stmt, None, with_sources=False)
    if sourced:
        wanted: BindParameter[list[int]] = bindparam(
            "sourced", sorted(set(sourced)), expanding=True, literal_execute=True
        )
        by_milestone = _sources_of(session.connection(), [], Citation.milestone_id.in_(wanted))
        facts = [replace(f, sources=by_milestone.get(f.id, [])) for f in facts]
    return {f.id: f for f in facts}
