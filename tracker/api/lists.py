"""Saved views (GET/POST /api/v1/saved-views, DELETE /api/v1/saved-views/<id>) and bulk status
updates (POST /api/v1/milestones/bulk-status), through the same services and policy as the
web pages."""

from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, url_for

from tracker.api import bp
from tracker.api.errors import ApiError
from tracker.api.inputs import Body, json_body
from tracker.api.writing import _writing
from tracker.db import get_session
from tracker.models import SavedView, User
from tracker.services.bulk import MAX_BULK, BulkStatus, bulk_change_status
from tracker.services.saved_views import delete_view, list_views, save_view

MAX_FILTER_VALUES = 200


def _account() -> User:
    """The token's account: saved views are personal, so reading them needs a token too."""
    user: User | None = g.api_user
    if user is None:
        raise ApiError(401, "send a personal API token: Authorization: Bearer <token>")
    return user


def _opens(view: SavedView) -> str:
    """Where the view opens on the site: its page with its filters (as the web page links)."""
    if view.page == "timeline":
        base = url_for("pages.state_timeline", code=view.state_code or "")
    else:
        base = url_for("pages.report_page")
    return f"{base}?{view.query}" if view.query else base


def saved_view_json(view: SavedView) -> dict[str, Any]:
    """One saved view, with the page it opens."""
    return {
        "id": view.id,
        "name": view.name,
        "page": view.page,
        "state": view.state_code,
        "query": view.query,
        "url": _opens(view),
    }


@bp.get("/saved-views")
def saved_views() -> Response:
    """The token's account's saved views, by name."""
    views = list_views(get_session(), _account())
    return jsonify({"saved_views": [saved_view_json(v) for v in views]})


@bp.post("/saved-views")
def create_saved_view() -> Response:
    """Keep filters under a name (a view of the same name is replaced)."""
    user = _account()
    body = Body(json_body(), {"name", "page", "state", "filters"})
    name, page = body.text("name", None, 200), body.text("page", "report", 20)
    state, filters = body.optional("state", 3_000), _filters(body)
    with _writing() as session:
        view = save_view(session, user, name, page, filters, state)
    response = jsonify(saved_view_json(view))
    response.status_code = 201
    response.headers["Location"] = url_for(".saved_views") + f"/{view.id}"
    return response


def _filters(body: Body) -> list[tuple[str, str]]:
    """{"state": ["TJK", "KGZ"], "as_of": "2016-03-01"} as (name, value) pairs."""
    raw = body.data.get("filters", {})
    if not isinstance(raw, dict):
        raise ApiError(422, "filters must be an object of names and values", "filters")
    pairs: list[tuple[str, str]] = []
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in values) or len(values) > MAX_FILTER_VALUES:
            raise ApiError(422, f"filters.{name[:40]} must be a string or strings", "filters")
        pairs += [(name, v) for v in values]
    return pairs


@bp.delete("/saved-views/<int:view_id>")
def delete_saved_view(view_id: int) -> Response:
    """Forget one of the account's saved views (another account's is not found)."""
    user = _account()
    with _writing() as session:
        delete_view(session, user, view_id)
    return Response(status=204)


@bp.post("/milestones/bulk-status")
def bulk_status() -> Response:
    """One status change for several milestones, each its own history row; all or none, with
    the same permission checks as one by one."""
    user = _account()
    body = Body(json_body(), {"milestones", "status", "on", "comment", "note", "quote"})
    ids = body.data.get("milestones")
    if not isinstance(ids, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in ids
    ):
        raise ApiError(422, "milestones must be a list of milestone ids", "milestones")
    if len(ids) > MAX_BULK:
        raise ApiError(422, f"milestones: at most {MAX_BULK} at once", "milestones")
    change = BulkStatus(
        ids,
        body.text("status", None, 40),
        body.required_day("on"),
        comment=body.text("comment"),
        note_slug=body.text("note", "", 200),
        quote=body.text("quote"),
    )
    with _writing() as session:
        changes = bulk_change_status(session, user, change, recorded_by_label="api")
    changed = [
        {"id": c.milestone_id, "status": c.new_status.value, "version": c.milestone.version}
        for c in changes
    ]
    return jsonify({"changed": changed})
