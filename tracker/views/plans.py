"""/plans/<id> (a plan's measures by area, with progress) and /bodies/<id> (what a ministry
must do, overdue first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from tracker import i18n, services
from tracker.db import get_session
from tracker.enums import MeasureArea, MilestoneStatus
from tracker.models import Milestone
from tracker.policy import Action
from tracker.progress import MeasureOnDate, measure_on
from tracker.progress_svg import render_progress
from tracker.services.bodies import get_body, list_bodies
from tracker.services.measures import (
    body_measures,
    facts,
    get_plan_by_id,
    plan_measures,
    plan_progress,
)
from tracker.views.common import fail, may, requested_as_of
from tracker.views.forms import FocalPointForm
from tracker.views.localized import localized_text

bp = Blueprint("plans", __name__)

# The status filter: a status as of the date, or "overdue".
STATUS_FILTERS = ("overdue", *(s.value for s in MilestoneStatus))


@dataclass(frozen=True)
class MeasureRow:
    """A measure and where it stood on the page's date."""

    measure: Milestone
    on_date: MeasureOnDate


def _rows(measures: list[Milestone], as_of: date) -> list[MeasureRow]:
    return [MeasureRow(m, measure_on(facts(m), as_of)) for m in measures]


def _status_filter() -> str:
    status = request.args.get("status", "").strip()
    if status and status not in STATUS_FILTERS:
        abort(
            400,
            description=_(
                "status %(value)s: must be one of %(allowed)s",
                value=repr(status[:40]),
                allowed=", ".join(STATUS_FILTERS),
            ),
        )
    return status


def _keeps(row: MeasureRow, status: str) -> bool:
    if not status:
        return True
    if status == "overdue":
        return row.on_date.overdue
    return row.on_date.status.value == status


@bp.get("/plans/<int:plan_id>")
def plan(plan_id: int) -> str:
    """A plan's measures grouped by area, filtered by body and status, and its progress."""
    session = get_session()
    as_of, status = requested_as_of(), _status_filter()
    try:
        found = get_plan_by_id(session, plan_id)
        body_text = request.args.get("body", "").strip()
        body = get_body(session, body_text) if body_text else None
    except services.ServiceError as error:
        fail(error)
    measures = plan_measures(session, found)
    result = plan_progress(found, measures, as_of)
    rows = [
        r
        for r in _rows(measures, as_of)
        if _keeps(r, status) and (body is None or body in r.measure.bodies)
    ]
    groups: dict[MeasureArea | None, list[MeasureRow]] = {}
    for row in rows:
        groups.setdefault(row.measure.measure_area, []).append(row)
    areas = sorted(groups, key=lambda a: list(MeasureArea).index(a) if a else len(MeasureArea))
    bodies = list_bodies(session, [found.state_code])
    reader = i18n.current()
    title = _("Progress of %(plan)s, by quarter", plan=localized_text(found, "title", reader))
    chart = render_progress(result.quarters, title, locale=reader)
    return render_template(
        "plans/plan.html",
        plan=found, as_of=as_of, groups=groups, areas=areas, bodies=bodies, body=body,
        status=status, statuses=STATUS_FILTERS, progress=result.progress,
        quarters=result.quarters, chart=chart, count=len(measures),
        body_names={b.id: b.name_for(i18n.current()) for b in bodies},
    )  # fmt: skip


@bp.get("/bodies/<int:body_id>")
def body(body_id: int) -> str:
    """Everything a responsible body must do: overdue first, then by due date."""
    session = get_session()
    as_of = requested_as_of()
    try:
        found = get_body(session, body_id)
    except services.ServiceError as error:
        fail(error)
    rows = _rows(body_measures(session, found, as_of), as_of)
    focal_form = FocalPointForm() if may(Action.MANAGE_ACCOUNTS) else None  # admins assign
    return render_template(
        "bodies/body.html", body=found, as_of=as_of, rows=rows, focal_form=focal_form
    )
