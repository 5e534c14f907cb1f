"""Read endpoints: States, plans, milestones (filtered, paged), notes and the report."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Any

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker import inputs, reports, services
from tracker.api import bp, openapi
from tracker.api.errors import ApiError, service_error
from tracker.api.inputs import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    as_of_arg,
    check_query,
    date_arg,
    enum_args,
    int_arg,
    within_arg,
)
from tracker.api.serializers import (
    body_json,
    citation_json,
    milestone_json,
    milestone_summary,
    note_summary,
    plan_detail_json,
    plan_json,
    report_json,
    state_json,
    with_etag,
)
from tracker.db import get_session
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import Milestone
from tracker.rules import Flag
from tracker.services import bodies
from tracker.services.measures import body_measures, get_plan_by_id, plan_measures, plan_progress


def load_milestone(session: Session, milestone_id: int) -> Milestone:
    """A milestone with what its JSON shows (what its page shows), or a 404."""
    try:
        return services.get_milestone(session, milestone_id)
    except services.NotFound:
        raise ApiError(404, _("no milestone %(milestone_id)s", milestone_id=milestone_id)) from None


@bp.get("/openapi.json")
def openapi_document() -> Response:
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@bp.get("/states")
def list_states() -> Response:
    """Every State."""
    check_query(set())
    return jsonify({"states": [state_json(s) for s in services.list_states(get_session())]})


@bp.get("/states/<code>")
def get_state(code: str) -> Response:
    """A State with its action plans."""
    check_query(set())
    try:
        state = services.get_state(get_session(), code)
    except services.NotFound as error:
        raise service_error(error, 404, None) from None
    return jsonify(state_json(state) | {"plans": [plan_json(p) for p in state.plans]})


@bp.get("/plans")
def list_plans() -> Response:
    """Every action plan, or one State's."""
    check_query({"state"})
    try:
        plans = services.list_plans(get_session(), request.args.get("state", "").strip() or None)
    except services.NotFound as error:
        raise service_error(error, 400, "state") from None
    return jsonify({"plans": [plan_json(p) for p in plans]})


@bp.get("/plans/<int:plan_id>")
def get_plan(plan_id: int) -> Response:
    """A plan with its measures and its progress as of a date."""
    check_query({"as_of"})
    as_of, session = as_of_arg(), get_session()
    try:
        plan = get_plan_by_id(session, plan_id)
    except services.NotFound:
        raise ApiError(404, f"no plan {plan_id}") from None
    measures = plan_measures(session, plan)
    return jsonify(plan_detail_json(plan, measures, plan_progress(plan, measures, as_of), as_of))


@bp.get("/bodies/<int:body_id>")
def get_body(body_id: int) -> Response:
    """A responsible body and everything it must do, overdue first."""
    check_query({"as_of"})
    as_of, session = as_of_arg(), get_session()
    try:
        body = bodies.get_body(session, body_id)
    except services.NotFound:
        raise ApiError(404, f"no body {body_id}") from None
    return jsonify(body_json(body, body_measures(session, body, as_of), as_of))


MILESTONE_FILTERS = {"state", "kind", "status", "due_from", "due_to", "as_of", "within", "flag"}


@bp.get("/milestones")
def list_milestones() -> Response:
    """Milestones matching the filters, a page at a time in due order, with a `next` link."""
    check_query(MILESTONE_FILTERS | {"limit", "cursor"})
    query = _milestone_query()
    limit = int_arg("limit", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    try:
        page = services.milestone_page(get_session(), query, limit, _cursor())
    except services.NotFound as error:
        raise service_error(error, 400, "state") from None
    items = [milestone_summary(m, query.as_of, query.within_days) for m in page.milestones]
    return jsonify(
        {
            "as_of": query.as_of.isoformat(),
            "within_days": query.within_days,
            "limit": limit,
            "items": items,
            "next": _next_link(query, limit, page.next_key),
        }
    )


def _milestone_query() -> services.MilestoneQuery:
    flags = enum_args("flag", Flag)
    return services.MilestoneQuery(
        as_of=as_of_arg(),
        within_days=within_arg(),
        states=[s for s in request.args.getlist("state") if s.strip()],
        kinds=enum_args("kind", MilestoneKind),
        statuses=enum_args("status", MilestoneStatus),
        due_from=date_arg("due_from"),
        due_to=date_arg("due_to"),
        flag=flags[0] if flags else None,
    )


def _cursor() -> tuple[date, date, int] | None:
    raw = request.args.get("cursor", "").strip()
    if not raw:
        return None
    try:
        start, end, ident = (
            base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode().split(",")
        )
        key = (
            inputs.parse_iso_date("cursor", start),
            inputs.parse_iso_date("cursor", end),
            inputs.parse_id("cursor", ident),
        )
    except (ValueError, binascii.Error, UnicodeDecodeError):  # InputError is a ValueError
        raise ApiError(
            400, _("cursor: not a cursor this API gave out; follow the `next` link"), "cursor"
        ) from None
    return key


def _next_link(
    query: services.MilestoneQuery, limit: int, key: tuple[date, date, int] | None
) -> str | None:
    if key is None:
        return None
    token = ",".join([key[0].isoformat(), key[1].isoformat(), str(key[2])])
    params: dict[str, Any] = request.args.to_dict(flat=False)
    params |= {
        "as_of": [query.as_of.isoformat()],  # later pages judge flags on the same day
        "within": [str(query.within_days)],
        "limit": [str(limit)],
        "cursor": [base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")],
    }
    return url_for(".list_milestones", **params)


@bp.get("/milestones/<int:milestone_id>")
def get_milestone(milestone_id: int) -> Response:
    """One milestone with its citations and history; the ETag is its version."""
    check_query({"as_of", "within"})
    as_of, within = as_of_arg(), within_arg()
    milestone = load_milestone(get_session(), milestone_id)
    return with_etag(milestone_json(milestone, as_of, within), milestone)


@bp.get("/notes")
def list_notes() -> Response:
    """Every source note, without the texts."""
    check_query(set())
    return jsonify({"notes": [note_summary(n) for n in services.note_summaries(get_session())]})


@bp.get("/notes/<slug>")
def get_note(slug: str) -> Response:
    """A source note with its text and where its citations stand in it."""
    check_query(set())
    try:
        note = services.note_with_citations(get_session(), slug)
    except services.NotFound as error:
        raise service_error(error, 404, None) from None
    body = note_summary(note) | {"text": note.text}
    body["citations"] = [citation_json(c) for c in note.citations]
    return jsonify(body)


@bp.get("/report")
def get_report() -> Response:
    """The deadline report, the same JSON as `tracker report --format json`."""
    check_query({"as_of", "within", "state"})
    states = [s for s in request.args.getlist("state") if s.strip()]
    try:
        report = reports.build_report(get_session(), as_of_arg(), within_arg(), states)
    except services.NotFound as error:
        raise service_error(error, 400, "state") from None
    return jsonify(report_json(report))
