"""Web pages: dashboard, State timelines, milestones, notes and the deadline report."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, abort, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import reports, services
from tracker.db import get_session
from tracker.models import ActionPlan, State

bp = Blueprint("pages", __name__)


def requested_as_of() -> date:
    """The ?as_of= date of the request (default: today); a bad one is a 400 with the reason."""
    value = request.args.get("as_of", "").strip()
    if not value:
        return date.today()
    try:
        return services.parse_iso_date("as_of", value)
    except services.ServiceError as error:
        abort(400, description=str(error))


def requested_within() -> int:
    """The ?within= horizon in days (default: the configured one)."""
    raw = request.args.get("within", "").strip()
    if not raw:
        return int(reports.DEFAULT_WITHIN_DAYS)
    if not raw.isdigit() or int(raw) > 3660:
        abort(400, description=f"within {raw!r}: must be a whole number of days up to 3660")
    return int(raw)


@bp.app_context_processor
def _as_of_context() -> dict[str, Any]:
    return {"today": date.today()}


@bp.get("/")
def dashboard() -> str:
    """One card per State with its overdue and upcoming items, and all overdue items."""
    session = get_session()
    as_of, within = requested_as_of(), requested_within()
    report = reports.build_report(session, as_of, within)
    states = session.scalars(
        select(State).options(selectinload(State.plans)).order_by(State.name)
    ).all()
    cards = []
    for state in states:
        overdue = [i for i in report.overdue if state.code in i["states"]]
        upcoming = [i for i in report.upcoming if state.code in i["states"]]
        cards.append({"state": state, "overdue": overdue, "upcoming": upcoming})
    return render_template(
        "pages/dashboard.html", cards=cards, report=report, as_of=as_of, within=within
    )


@bp.get("/states/<code>")
def state_timeline(code: str) -> str:
    """Every milestone of a State, in date order, flagged as of the date."""
    session = get_session()
    as_of, within = requested_as_of(), requested_within()
    try:
        data = reports.timeline(session, code, as_of, within)
    except services.NotFound as error:
        abort(404, description=str(error))
    plans = session.scalars(select(ActionPlan).where(ActionPlan.state_code == data["state"])).all()
    return render_template("pages/timeline.html", data=data, plans=plans, as_of=as_of)


@bp.get("/report")
def report_page() -> str:
    """The deadline report, as of a date, for some or all States."""
    session = get_session()
    as_of, within = requested_as_of(), requested_within()
    states = [s for s in request.args.getlist("state") if s]
    try:
        report = reports.build_report(session, as_of, within, states)
    except services.ServiceError as error:
        abort(error.status_code, description=str(error))
    return render_template("pages/report.html", report=report, as_of=as_of)


@bp.after_app_request
def _security_headers(response: Any) -> Any:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_app(app: Flask) -> None:
    """Register the pages."""
    app.register_blueprint(bp)
