"""Reading pages: dashboard, State timelines, source notes and the deadline report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from tracker import collector, i18n, inputs, reports, services
from tracker.db import bookkeeping, get_session
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import utcnow
from tracker.note_markdown import render_note
from tracker.quotes import segments
from tracker.rules import plan_period_ended_unfinished
from tracker.services.activity import note_dashboard_visit
from tracker.timeline_svg import ZOOMS, PlanBand, render_timeline, zoom_span
from tracker.views.common import fail, may, milestone_link, requested_as_of, requested_within
from tracker.views.documents import report_workbook
from tracker.views.forms import ReviewForm
from tracker.views.localized import items_as_read, localized_text, state_name
from tracker.views.pagecache import Fragment, cached_fragment, cached_page

bp = Blueprint("pages", __name__)


# Up to this many States the dashboard shows a card each; beyond, one table row each.
CARD_LIMIT = 12
# Overdue and upcoming items listed on the dashboard; the deadline report lists them all.
LIST_LIMIT = 20


# Where a page's kept main part takes the part rendered for each reader (forms with tokens).
PER_READER = Markup("<!--per-reader-->")


def _page(
    name: str,
    build: Callable[[], Fragment],
    as_of: date,
    per_reader: Callable[[], Markup] | None = None,
) -> Response:
    """The page around its main part; both are kept until the data changes. `per_reader`
    renders, for every signed-in request, what differs by reader (action forms and their CSRF
    tokens); readers not signed in all see the same, so their whole page is still kept."""

    def render() -> str:
        fragment = cached_fragment(name, build)
        if per_reader is not None:
            html = Markup(fragment.html.replace(PER_READER, per_reader()))
            fragment = Fragment(fragment.title, html)
        return render_template("pages/cached.html", fragment=fragment, as_of=as_of)

    with collector.paused():  # thousands of small objects (rows, items, markup)
        return Response(cached_page(name, render), mimetype="text/html")


def _fragment(title: str, template: str, **context: Any) -> Fragment:
    return Fragment(title, Markup(render_template(template, **context)))


@bp.get("/")
def dashboard() -> Response:
    """Per-State counts (cards for a few States, a table for many) and the first overdue and
    upcoming items across States."""
    as_of, within = requested_as_of(), requested_within()

    def build() -> Fragment:
        summaries, report = reports.dashboard(
            get_session(), as_of, within, current_app.config["REVIEW_AFTER_DAYS"], LIST_LIMIT
        )
        if len(summaries) > CARD_LIMIT:  # most overdue first: where attention is needed
            summaries = sorted(summaries, key=lambda s: (-s.overdue, s.name))
        return _fragment(
            _("Dashboard"), "pages/_dashboard.html", summaries=summaries, report=report,
            as_of=as_of, within=within, card_limit=CARD_LIMIT, list_limit=LIST_LIMIT,
        )  # fmt: skip

    return _page("dashboard", build, as_of, _since_last_visit)


def _since_last_visit() -> Markup:
    """For a signed-in reader, how many changes were recorded since their last visit (the
    visit is noted apart from the request, which commits nothing; the page cache stays)."""
    if not current_user.is_authenticated:
        return Markup("")
    with bookkeeping() as books:
        visit = note_dashboard_visit(books, current_user, utcnow())
    return Markup(render_template("pages/_last_visit.html", visit=visit))


@bp.get("/states/<code>")
def state_timeline(code: str) -> Response:
    """Every milestone of a State in date order, drawn and listed, with filters and zoom."""
    as_of, within = requested_as_of(), requested_within()
    zoom = request.args.get("zoom", "").strip() or "all"
    if zoom not in ZOOMS:
        abort(
            400,
            description=_(
                "zoom: %(zoom)s is not one of %(zooms)s.", zoom=repr(zoom), zooms=", ".join(ZOOMS)
            ),
        )

    def build() -> Fragment:
        session = get_session()
        try:
            # The State with its plans in one statement, kept here so that the timeline's own
            # look-up finds it in the session rather than asking again.
            state = services.get_state(session, code, with_plans=True)
            data = reports.timeline(session, code, as_of, within)
        except services.ServiceError as error:
            fail(error)
        kinds, statuses = request.args.getlist("kind"), request.args.getlist("status")
        items = [
            i
            for i in data.milestones
            if (not kinds or i.kind in kinds) and (not statuses or i.status in statuses)
        ]
        reader = i18n.current()
        bands = [
            PlanBand.from_years(localized_text(p, reader=reader), p.period_start, p.period_end)
            for p in state.plans
            if p.period_start is not None
        ]
        # A bar opens its milestone as of the same date; the page's links keep the filters.
        kept = request.args.get("as_of")
        span = zoom_span(zoom, as_of, bands)
        # The drawing labels each bar with its title in the reader's language (marked if not);
        # compact: the page's CSS (static/tracker.css) carries the bars' paint.
        drawn = list(items_as_read(items, reader))
        svg = render_timeline(
            drawn, as_of, bands, link=milestone_link(kept), span=span, compact=True
        )
        filters: dict[str, Any] = {"as_of": kept, "kind": kinds, "status": statuses}

        def zoomed(key: str) -> str:
            chosen = None if key == "all" else key
            return url_for(".state_timeline", code=state.code, zoom=chosen, **filters)

        zooms = [(k, v, zoomed(k)) for k, v in ZOOMS.items() if k != "plan" or bands]
        return _fragment(
            state_name(state), "pages/_timeline.html", data=data, state=state, items=items, svg=svg,
            as_of=as_of, kinds=list(MilestoneKind), statuses=list(MilestoneStatus),
            chosen_kinds=kinds, chosen_statuses=statuses, zoom=zoom, zooms=zooms, span=span,
            plan_ended=plan_period_ended_unfinished,
            plan_reviews={r.title: r.reasons for r in services.review_plans(state.plans, as_of)},
        )  # fmt: skip

    def needs_review() -> Markup:
        session = get_session()
        codes = (code.upper(),)
        found = services.review_milestones(
            session, as_of, current_app.config["REVIEW_AFTER_DAYS"], codes
        )
        kinds = request.args.getlist("kind")  # the page's filters narrow this list too
        found = [r for r in found if not kinds or r.kind in kinds]
        return Markup(
            render_template(
                "pages/_needs_review.html", code=code.upper(), as_of=as_of, found=found,
                allowed_to=may,
                form=ReviewForm(), today=date.today(),
            )
        )  # fmt: skip

    return _page("timeline", build, as_of, needs_review)


def _report() -> reports.Report:
    states = [s for s in request.args.getlist("state") if s.strip()]
    try:
        return reports.build_report(get_session(), requested_as_of(), requested_within(), states)
    except services.ServiceError as error:
        fail(error)


# Items per page of each section of the report page; the downloads carry them all.
REPORT_PAGE_SIZE = 50


@bp.get("/report")
def report_page() -> Response:
    """The deadline report, printable, with downloads: the first page of each section and the
    counts per State (?section=overdue&page=2 for the next), or everything for a few States."""
    as_of, within = requested_as_of(), requested_within()
    section = request.args.get("section", "").strip() or None
    raw_page = request.args.get("page", "").strip() or "1"
    try:
        page = inputs.parse_whole("page", raw_page, 1, reports.MAX_PAGE)
    except inputs.InputError as error:
        fail(error)

    def build() -> Fragment:
        states = [s for s in request.args.getlist("state") if s.strip()]
        try:
            report = reports.report_page(
                get_session(), as_of, within, states, section, page, REPORT_PAGE_SIZE
            )
        except services.ServiceError as error:
            fail(error)
        all_states = services.list_states(get_session())
        return _fragment(
            _("Deadline report %(day)s", day=report.as_of.isoformat()), "pages/_report.html",
            report=report, as_of=report.as_of, all_states=all_states,
            states_by_code={s.code: s for s in all_states},
        )  # fmt: skip

    return _page("report", build, as_of)


def _csv_bytes(report: reports.Report) -> bytes:
    return reports.report_csv(report).encode("utf-8")


def _ics_bytes(report: reports.Report) -> bytes:
    return reports.report_ics(report)


DOWNLOADS: dict[str, tuple[str, Callable[[reports.Report], bytes]]] = {
    "csv": ("text/csv; charset=utf-8", _csv_bytes),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        report_workbook,
    ),
    "ics": ("text/calendar; charset=utf-8", _ics_bytes),
}


@bp.get("/report.<fmt>")
def report_download(fmt: str) -> Response:
    """The deadline report as CSV, XLSX or ICS."""
    if fmt not in DOWNLOADS:
        fail(services.NotFound("format", fmt, "unknown_format"))
    report = _report()
    mimetype, render = DOWNLOADS[fmt]
    name = f"nap-deadlines-{report.as_of.isoformat()}.{fmt}"
    return Response(
        render(report),
        content_type=mimetype,  # not mimetype=: Flask would add a second charset to text/
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/notes")
def notes() -> str:
    """Every source note with the milestones it supports."""
    listing = services.list_notes(get_session(), cited=True)
    return render_template("notes/list.html", notes=listing)


@bp.get("/notes/<slug>")
def note(slug: str) -> str:
    """A note's text with every cited quote highlighted and linked to its milestone."""
    try:
        source = services.get_note(get_session(), slug)
    except services.ServiceError as error:
        fail(error)
    by_id = {c.id: c for c in source.citations}
    parts = segments(source.text, [(c.id, c.quote) for c in source.citations])

    def links(citations: tuple[int, ...]) -> str:
        """A link to each milestone that quotes the run, named by its title."""
        cited = [by_id[cid].milestone for cid in citations]
        return "".join(
            Markup('<a class="cite-link" href="{}" title="{}">[{}]</a>').format(
                url_for("milestones.detail", milestone_id=m.id), m.title, m.id
            )
            for m in cited
            if m is not None
        )

    text = render_note(parts, links)
    return render_template("notes/detail.html", note=source, text=text)
