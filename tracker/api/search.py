"""GET /api/v1/search (full-text search, the filters of the search page) and GET
/api/v1/report.pdf (the deadline report as an A4 PDF)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from tracker import inputs, pdf, reports, revision, services
from tracker.api import bp
from tracker.api.errors import ApiError
from tracker.api.inputs import as_of_arg, check_query, date_arg, enum_args, int_arg, within_arg
from tracker.db import get_session
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.messages import describe
from tracker.searchtext import parse_search
from tracker.services.search import DEFAULT_LIMIT, SearchFilters, SearchHit, search

SEARCH_PARAMETERS = {"q", "state", "kind", "status", "due_from", "due_to", "limit"}
MAX_LIMIT = 200


@bp.get("/search")
def search_endpoint() -> Response:
    """Milestones and notes matching the words, best first, with a snippet of each match."""
    check_query(SEARCH_PARAMETERS)
    try:
        words = parse_search("q", request.args.get("q", ""))
    except inputs.InputError as error:
        raise ApiError(400, describe(error), "q") from None
    session = get_session()
    try:
        states = services.resolve_states(session, request.args.getlist("state"))
    except services.ServiceError as error:
        raise ApiError(400, describe(error), "state") from None
    filters = SearchFilters(
        states=states,
        kinds=enum_args("kind", MilestoneKind),
        statuses=enum_args("status", MilestoneStatus),
        due_from=date_arg("due_from"),
        due_to=date_arg("due_to"),
    )
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    try:
        hits = search(session, words, filters, limit)
    except inputs.InputError as error:  # words the index leaves out (only stop words)
        raise ApiError(400, describe(error), "q") from None
    return jsonify({"q": request.args["q"], "results": [hit_json(h) for h in hits]})


def hit_json(hit: SearchHit) -> dict[str, Any]:
    """One result: what matched, where, a snippet and the offsets of the matches in it."""
    body: dict[str, Any] = {
        "type": hit.target,
        "title": hit.title,
        "matched_in": hit.fields,
        "snippet": hit.snippet,
        "highlights": [list(mark) for mark in hit.marks],
    }
    if hit.target == "note":
        body |= {"slug": hit.slug, "url": url_for("pages.note", slug=hit.slug)}
    else:
        body |= {
            "id": hit.id,
            "url": url_for("milestones.detail", milestone_id=hit.id),
            "kind": hit.kind,
            "status": hit.status,
            "due_text": hit.due_text,
            "states": hit.states,
        }
    return body


@bp.get("/report.pdf")
def report_pdf() -> Response:
    """The deadline report as an A4 PDF (same parameters as /api/v1/report)."""
    check_query({"as_of", "within", "state"})
    session = get_session()
    try:
        report = reports.build_report(
            session, as_of_arg(), within_arg(), request.args.getlist("state")
        )
    except services.ServiceError as error:
        raise ApiError(400, describe(error), error.field) from None
    names = {s.code: s.name for s in services.list_states(session)}
    return Response(
        pdf.report_pdf(report, names, revision.current(session)), mimetype="application/pdf"
    )
