"""Documents to hand over: the deadline report and a State's timeline as A4 PDF files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from tracker import i18n, pdf, reports, revision, services, workbook
from tracker.db import get_session
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.labels import label
from tracker.models import State
from tracker.progress_svg import render_progress
from tracker.services.measures import plan_measures, plan_progress
from tracker.timeline_svg import PlanBand
from tracker.views.common import fail, requested_as_of, requested_within
from tracker.views.localized import items_as_read, localized_text, state_name, state_names

bp = Blueprint("documents", __name__)


def _attachment(body: bytes, name: str) -> Response:
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/report.pdf")
def report_pdf() -> Response:
    """The deadline report (same filters as /report) as an A4 PDF."""
    session = get_session()
    states = [s for s in request.args.getlist("state") if s.strip()]
    try:
        report = reports.build_report(session, requested_as_of(), requested_within(), states)
    except services.ServiceError as error:
        fail(error)
    # Sections by State, titles and venues in the reader's language (marked when not).
    reader = i18n.current()
    names = state_names(services.list_states(session), reader)
    report = replace(
        report,
        overdue=items_as_read(report.overdue, reader),
        upcoming=items_as_read(report.upcoming, reader),
    )
    body = pdf.report_pdf(report, names, revision.current(session))
    return _attachment(body, f"nap-deadlines-{report.as_of.isoformat()}.pdf")


def _chosen(name: str, allowed: set[str]) -> list[str]:
    """The ?kind= or ?status= filters; an unknown value is a 400 that names it."""
    chosen = request.args.getlist(name)
    for value in chosen:
        if value not in allowed:
            fail(
                services.ServiceError(name, value, "use_one_of", allowed=", ".join(sorted(allowed)))
            )
    return chosen


@bp.get("/states/<code>/timeline.pdf")
def timeline_pdf(code: str) -> Response:
    """A State's timeline (same filters as its page) as an A4 PDF with the drawing."""
    session = get_session()
    as_of, within = requested_as_of(), requested_within()
    kinds = _chosen("kind", {k.value for k in MilestoneKind})
    statuses = _chosen("status", {s.value for s in MilestoneStatus})
    try:
        data = reports.timeline(session, code, as_of, within)
        state = services.get_state(session, code)
    except services.ServiceError as error:
        fail(error)
    reader = i18n.current()
    items = [
        i
        for i in items_as_read(data.milestones, reader)
        if (not kinds or i.kind in kinds) and (not statuses or i.status in statuses)
    ]
    bands = [
        PlanBand.from_years(localized_text(p, reader=reader), p.period_start, p.period_end)
        for p in state.plans
        if p.period_start is not None
    ]
    data = replace(data, name=state_name(data, reader=reader))
    body = pdf.timeline_pdf(
        data, items, bands, revision.current(session), filters=_filters_text(kinds, statuses),
        charts=_plan_charts(session, state, as_of, reader),
    )  # fmt: skip
    return _attachment(body, f"nap-timeline-{state.code}-{as_of.isoformat()}.pdf")


def _plan_charts(session: Session, state: State, as_of: date, reader: str) -> list[pdf.PlanChart]:
    """Each of the State's plans that has measures: its progress as of the date, and the chart
    its page draws, from the same measures and history."""
    charts = []
    for plan in sorted(state.plans, key=lambda p: (p.period_start or 0, p.id)):
        measures = plan_measures(session, plan)
        if not measures:
            continue
        result = plan_progress(plan, measures, as_of)
        title = localized_text(plan, reader=reader)
        t = result.progress.overall
        figures = _(
            "%(percent)s%% done (%(counted)s); %(on_time)s on time, %(overdue)s overdue, "
            "%(not_started)s not started, %(in_progress)s in progress.",
            percent=t.percent(t.done),
            counted=ngettext(
                "%(done)s of %(num)s measure", "%(done)s of %(num)s measures", t.total,
                done=t.done,
            ),
            on_time=t.done_on_time, overdue=t.overdue, not_started=t.not_started,
            in_progress=t.in_progress,
        )  # fmt: skip
        svg = render_progress(result.quarters, f"Progress of {plan.title}, by quarter")
        heading = _("Progress of %(plan)s, by quarter", plan=title)
        charts.append(pdf.PlanChart(heading, figures, str(svg)))
    return charts


def _filters_text(kinds: list[str], statuses: list[str]) -> str:
    parts = []
    if kinds:
        parts.append(_("kind: %(kinds)s", kinds=", ".join(label(MilestoneKind(k)) for k in kinds)))
    if statuses:
        parts.append(
            _(
                "status: %(statuses)s",
                statuses=", ".join(label(MilestoneStatus(s)) for s in statuses),
            )
        )
    return "; ".join(parts)


def report_workbook(report: reports.Report) -> bytes:
    """The deadline report's workbook (sheets per section, a summary per State)."""
    return workbook.report_workbook(get_session(), report)
