"""The read models of timelines, deadline reports and the dashboard: typed items as of a date.

Every consumer (pages, the SVG timeline, the API's JSON, CSV, XLSX, ICS and text) reads the
same frozen `ReportItem`; none of them sees a dict or a date written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy.orm import Session

from tracker import collector, services
from tracker.bilingual import Bilingual, StateNames
from tracker.dates import DateParseError, DueWindow, parse_window
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.inputs import MAX_WITHIN_DAYS as MAX_WITHIN_DAYS
from tracker.messages import Worded
from tracker.models import Milestone
from tracker.rules import (
    DEFAULT_REVIEW_AFTER_DAYS,
    DatedSource,
    Flag,
    data_warnings,
    days_overdue,
    days_until,
    flag,
    is_deadline,
    key_day,
    measure_period_warnings,
    plan_period_ended_unfinished,
    status_as_of,
)
from tracker.services.measures import PlanCard, plan_cards
from tracker.services.milestones import (
    FlagCounts,
    MilestoneFacts,
    Source,
    dashboard_figures,
    facts_of,
)

DEFAULT_WITHIN_DAYS = 90


@dataclass(frozen=True, slots=True)
class ReportItem:
    """A milestone as reports, timelines and the dashboard show it, flagged as of a date."""

    id: int
    ref: str | None
    title: str
    kind: MilestoneKind
    states: tuple[str, ...]
    host: str | None
    status: MilestoneStatus  # as of the date
    due: DueWindow
    # A deadline is due by its window's last day; a meeting happens from its first.
    deadline: bool
    key_day: date
    venue: str
    flag: Flag | None
    sources: tuple[Source, ...]
    warnings: tuple[str, ...]
    days_overdue: int | None = None  # set when overdue
    days_until: int | None = None  # set when upcoming
    # The language title and venue are written in, and their translations ('' if none).
    title_lang: str = "en"
    title_alt: str = ""
    venue_lang: str = "en"
    venue_alt: str = ""

    @property
    def title_text(self) -> Bilingual:
        """The title as written, its language and its translation."""
        return Bilingual(self.title, self.title_lang, self.title_alt)

    @property
    def venue_text(self) -> Bilingual:
        """The venue as written, its language and its translation."""
        return Bilingual(self.venue, self.venue_lang, self.venue_alt)


def milestone_warnings(milestone: Milestone) -> list[str]:
    """Data-quality warnings for a milestone, including dates its sources disagree on, and a
    measure's time frame outside its plan's period."""
    return [
        *_warnings(milestone.kind, milestone.due_window, _sources(milestone)),
        *_plan_warnings(milestone),
    ]


def _plan_warnings(milestone: Milestone) -> list[str]:
    # Only a measure reads its plan (other milestones' lists do not load plans).
    if milestone.kind is not MilestoneKind.MEASURE or milestone.permanent:
        return []
    plan = milestone.plan
    if plan is None:
        return []
    return measure_period_warnings(milestone.due_window, plan.period_start, plan.period_end)


def _warnings(kind: MilestoneKind, window: DueWindow, sources: Sequence[Source]) -> list[str]:
    others = []
    for source in sources:
        if source.date_text:
            parsed = _source_window(source.date_text)
            if parsed is not None:  # an unreadable one was refused when it was stored
                others.append(DatedSource(source.label, parsed))
    return data_warnings(kind, window, others)


@lru_cache(maxsize=4096)
def _source_window(date_text: str) -> DueWindow | None:
    """A citation's date, parsed once per process (a report may hold thousands of them)."""
    try:
        return parse_window(date_text)
    except DateParseError:
        return None


def _sources(milestone: Milestone) -> list[Source]:
    return [Source(c.note.slug, c.quote, c.date_text, c.note.name) for c in milestone.citations]


def milestone_item(milestone: Milestone, as_of: date, within_days: int) -> ReportItem:
    """The item of one loaded milestone, its status as of the date read from its history."""
    facts = MilestoneFacts(
        id=milestone.id,
        ref=milestone.ref,
        title=milestone.title,
        kind=milestone.kind,
        states=milestone.state_codes,
        host=milestone.host_state_code,
        # The history is loaded already: the rule reads it without another query.
        status=status_as_of(milestone.history, as_of),
        window=milestone.due_window,
        venue=milestone.venue,
        sources=_sources(milestone),
        title_lang=milestone.title_lang,
        title_alt=milestone.title_alt,
        venue_lang=milestone.venue_lang,
        venue_alt=milestone.venue_alt,
    )
    item = facts_item(facts, as_of, within_days)
    extra = _plan_warnings(milestone)
    return replace(item, warnings=(*item.warnings, *extra)) if extra else item


def facts_item(facts: MilestoneFacts, as_of: date, within_days: int) -> ReportItem:
    """The item of a milestone whose status as of the date the query worked out."""
    window = facts.window
    item_flag = flag(window, facts.status, as_of, within_days, facts.kind)
    return ReportItem(
        id=facts.id,
        ref=facts.ref,
        title=facts.title,
        kind=facts.kind,
        states=tuple(facts.states),
        host=facts.host,
        status=facts.status,
        due=window,
        deadline=is_deadline(facts.kind),
        key_day=key_day(facts.kind, window),
        venue=facts.venue,
        flag=item_flag,
        sources=tuple(facts.sources),
        warnings=tuple(_warnings(facts.kind, window, facts.sources)),
        days_overdue=days_overdue(window, as_of) if item_flag is Flag.OVERDUE else None,
        days_until=days_until(window, as_of, facts.kind) if item_flag is Flag.UPCOMING else None,
        title_lang=facts.title_lang,
        title_alt=facts.title_alt,
        venue_lang=facts.venue_lang,
        venue_alt=facts.venue_alt,
    )


@dataclass(frozen=True, slots=True)
class Report:
    """Overdue and upcoming milestones as of a date."""

    as_of: date
    within_days: int
    states: tuple[str, ...]
    overdue: tuple[ReportItem, ...]  # longest overdue first
    upcoming: tuple[ReportItem, ...]  # soonest key day first


@dataclass(frozen=True, slots=True)
class Timeline:
    """Every milestone of a State in date order, flagged as of a date."""

    state: str
    name: str
    as_of: date
    within_days: int
    milestones: tuple[ReportItem, ...]
    names: StateNames | None = None  # the State's names in both languages


def build_report(
    session: Session,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    states: Sequence[str] = (),
) -> Report:
    """Overdue (longest overdue first) and upcoming (soonest first) milestones as of a date."""
    codes = services.resolve_states(session, states)
    return _report(flagged_items(session, as_of, within_days, codes), as_of, within_days, codes)


def _horizon(as_of: date, within_days: int) -> date:
    if within_days < 0 or within_days > MAX_WITHIN_DAYS:
        raise services.ServiceError("within", within_days, "within_range", most=MAX_WITHIN_DAYS)
    return as_of + timedelta(days=within_days)


def flagged_items(
    session: Session, as_of: date, within_days: int, codes: Sequence[str] = ()
) -> list[ReportItem]:
    """Items for every milestone overdue or upcoming as of the date, in date order."""
    horizon = _horizon(as_of, within_days)
    with collector.paused():
        candidates = services.report_candidates(session, as_of, horizon, codes)
        return [facts_item(facts, as_of, within_days) for facts in candidates]


def _overdue_order(item: ReportItem) -> tuple[int, int]:
    return (-(item.days_overdue or 0), item.id)


def _upcoming_order(item: ReportItem) -> tuple[date, int]:
    return (item.key_day, item.id)  # soonest due day or first day first


def _report(
    items: list[ReportItem], as_of: date, within_days: int, codes: tuple[str, ...]
) -> Report:
    overdue = sorted((i for i in items if i.flag is Flag.OVERDUE), key=_overdue_order)
    upcoming = sorted((i for i in items if i.flag is Flag.UPCOMING), key=_upcoming_order)
    return Report(as_of, within_days, codes, tuple(overdue), tuple(upcoming))


def timeline(
    session: Session, code: str, as_of: date, within_days: int = DEFAULT_WITHIN_DAYS
) -> Timeline:
    """Every milestone of a State in date order, flagged as of the date."""
    with collector.paused():
        state, milestones = services.state_milestones(session, code, as_of)
        items = tuple(facts_item(m, as_of, within_days) for m in milestones)
        return Timeline(state.code, state.name, as_of, within_days, items, state.names)


@dataclass(frozen=True, slots=True)
class StateSummary:
    """One State's card on the dashboard."""

    code: str
    name: str
    # Each plan's title (in both languages), status and period.
    plans: list[tuple[Bilingual, str, str | None]]
    overdue: int
    upcoming: int
    done: int
    next_deadlines: tuple[ReportItem, ...]
    # Plans whose period ended while still drafting or implementing, flagged on the card.
    ended_plans: tuple[str, ...] = ()
    # Milestones and plans that need a decision (tracker.rules: needs review), first few.
    needs_review: tuple[str, ...] = ()
    needs_review_count: int = 0
    # The current plan's measures: how far it has got (None: no plan has measures).
    measures: PlanCard | None = None
    names: StateNames | None = None  # the State's names in both languages


@dataclass(frozen=True, slots=True)
class Across:
    """The dashboard's lists across States: the first few overdue (longest first) and upcoming
    (soonest first), and how many there are in all (the deadline report lists them all)."""

    as_of: date
    within_days: int
    overdue: tuple[ReportItem, ...]
    upcoming: tuple[ReportItem, ...]
    overdue_total: int
    upcoming_total: int


# The first few that need review on a State's card (its next deadlines: as many).
REVIEW_SHOWN = 3


def dashboard(
    session: Session,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    review_after_days: int = DEFAULT_REVIEW_AFTER_DAYS,
    first: int = 20,
) -> tuple[list[StateSummary], Across]:
    """Per-State counts and next deadlines, and the first `first` overdue and upcoming items
    across States. Counts are SQL aggregates: no item is built for a milestone not shown."""
    with collector.paused():  # thousands of small objects (review candidates, rows, items)
        return _dashboard(session, as_of, within_days, review_after_days, first)


def _dashboard(
    session: Session, as_of: date, within_days: int, review_after_days: int, first: int
) -> tuple[list[StateSummary], Across]:
    horizon = _horizon(as_of, within_days)
    states = services.list_states(session)
    figures = dashboard_figures(
        session, as_of, horizon, first, REVIEW_SHOWN, review_after_days=review_after_days
    )
    listed = [*figures.overdue, *figures.upcoming]
    # Only the listed ones are read with their sources (their data warnings need them); the
    # first that need review, for their titles.
    shown = [*listed, *(i for mine in figures.following.values() for i in mine)]
    reviewed = [i for mine in figures.review.values() for i in mine]
    facts = facts_of(session, as_of, [*shown, *reviewed], listed)
    items = {i: facts_item(facts[i], as_of, within_days) for i in shown}
    review: dict[str, list[str]] = {}
    review_counts = dict(figures.review_counts)
    for plan in services.review_plans((p for s in states for p in s.plans), as_of):
        review.setdefault(plan.state, []).append(Worded("review_plan_title", {"title": plan.title}))
        review_counts[plan.state] = review_counts.get(plan.state, 0) + 1
    for code, mine in figures.review.items():
        review.setdefault(code, []).extend(facts[i].title for i in mine)
    across = Across(
        as_of,
        within_days,
        tuple(items[i] for i in figures.overdue),
        tuple(items[i] for i in figures.upcoming),
        figures.total.overdue,
        figures.total.upcoming,
    )
    counts = figures.counts
    cards = plan_cards(figures.measured, (p for s in states for p in s.plans))
    summaries = [
        StateSummary(
            code=state.code,
            name=state.name,
            plans=[(p.title_text, p.status.value, p.period) for p in state.plans],
            overdue=counts.get(state.code, FlagCounts()).overdue,
            upcoming=counts.get(state.code, FlagCounts()).upcoming,
            done=counts.get(state.code, FlagCounts()).done,
            # The next three, however far: the horizon only decides what is called upcoming.
            next_deadlines=tuple(items[i] for i in figures.following.get(state.code, [])),
            ended_plans=tuple(
                p.title
                for p in state.plans
                if plan_period_ended_unfinished(p.status, p.period_end, as_of)
            ),
            needs_review=tuple(review.get(state.code, [])[:REVIEW_SHOWN]),
            needs_review_count=review_counts.get(state.code, 0),
            names=state.names,
            measures=cards.get(state.code),
        )
        for state in states
    ]
    return summaries, across


SECTIONS = ("overdue", "upcoming")
MAX_PAGE = 100_000


@dataclass(frozen=True, slots=True)
class ReportPage:
    """What the deadline report page shows: a page of each section (or of the one asked for),
    how many there are in all, and the counts per State. The downloads carry everything."""

    as_of: date
    within_days: int
    states: tuple[str, ...]
    section: str | None  # None: the first page of both
    page: int
    page_size: int
    overdue: tuple[ReportItem, ...]
    upcoming: tuple[ReportItem, ...]
    overdue_total: int
    upcoming_total: int
    by_state: tuple[tuple[str, int, int], ...]  # (code, overdue, upcoming), most overdue first

    def pages(self, section: str) -> int:
        """How many pages the section takes."""
        total = self.overdue_total if section == "overdue" else self.upcoming_total
        return max(1, -(-total // self.page_size))


def report_page(
    session: Session,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    states: Sequence[str] = (),
    section: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> ReportPage:
    """A page of the deadline report in the report's orders, from SQL aggregates: only the
    items shown are built (a report of 4 000 items took most of a second to render whole)."""
    if section is not None and section not in SECTIONS:
        raise services.ServiceError(
            "section", section, "report_section_unknown", sections=" or ".join(SECTIONS)
        )
    if page < 1:
        raise services.ServiceError("page", page, "not_whole_number", low=1, high=MAX_PAGE)
    codes = services.resolve_states(session, states)
    horizon = _horizon(as_of, within_days)
    offset = (page - 1) * page_size
    with collector.paused():
        figures = dashboard_figures(
            session, as_of, horizon, page_size, 0, offset=offset, state_codes=codes
        )
        overdue = figures.overdue if section in (None, "overdue") else []
        upcoming = figures.upcoming if section in (None, "upcoming") else []
        ids = [*overdue, *upcoming]
        items = {
            i: facts_item(f, as_of, within_days)
            for i, f in facts_of(session, as_of, ids, ids).items()
        }
    by_state = sorted(
        ((code, c.overdue, c.upcoming) for code, c in figures.counts.items()),
        key=lambda row: (-row[1], -row[2], row[0]),
    )
    return ReportPage(
        as_of=as_of,
        within_days=within_days,
        states=codes,
        section=section,
        page=page,
        page_size=page_size,
        overdue=tuple(items[i] for i in overdue),
        upcoming=tuple(items[i] for i in upcoming),
        overdue_total=figures.total.overdue,
        upcoming_total=figures.total.upcoming,
        by_state=tuple(row for row in by_state if row[1] or row[2]),
    )
