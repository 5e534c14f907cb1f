"""/activity: the stream of changes with filters, and the same as an Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request

from tracker import inputs, services
from tracker.db import get_session
from tracker.enums import MilestoneKind
from tracker.messages import describe
from tracker.services.activity import ActivityFilter, changes

bp = Blueprint("activity", __name__)


def _filter() -> ActivityFilter:
    """The filters from the query string; a bad one is a 400 that says why."""
    args = request.args
    try:
        raw_states = [c for c in args.getlist("state") if c.strip()]
        states = services.resolve_states(get_session(), raw_states) if raw_states else ()
        kind_text = args.get("kind", "").strip()
        kind = services.common.choice("kind", MilestoneKind, kind_text) if kind_text else None
        who = inputs.clean_text("who", args.get("who", ""), False, 200, False)
        since_text = args.get("since", "").strip()
        since = inputs.parse_iso_moment("since", since_text) if since_text else None
    except services.ServiceError as error:
        abort(400, description=describe(error))
    return ActivityFilter(tuple(states), kind, who, since)


@bp.get("/activity")
def activity() -> str:
    """What changed, newest first: status changes, new and edited milestones, citations."""
    f = _filter()
    return render_template(
        "activity/activity.html",
        changes=changes(get_session(), f),
        filter=f,
        states=services.list_states(get_session()),
        kinds=list(MilestoneKind),
    )


@bp.get("/activity.atom")
def activity_feed() -> Response:
    """The same stream as an Atom feed (RFC 4287), for feed readers."""
    found = changes(get_session(), _filter())
    body = render_template(
        "activity/feed.xml",
        changes=found,
        updated=found[0].at if found else datetime(2004, 4, 28, tzinfo=UTC),
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
