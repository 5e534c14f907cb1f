"""The search page: one box on every page over titles, venues, organisers, comments, quotes
and note texts, with filters by State, kind, status and due date."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from flask import Blueprint, render_template, request

from tracker import inputs, services
from tracker.db import get_session
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.messages import describe
from tracker.searchtext import MAX_QUERY, parse_search
from tracker.services.search import SearchFilters, SearchHit, search

bp = Blueprint("search", __name__)
E = TypeVar("E", MilestoneKind, MilestoneStatus)


def _enums(name: str, enum: type[E]) -> list[E]:
    chosen = []
    for raw in request.args.getlist(name):
        try:
            chosen.append(enum(raw))
        except ValueError:
            raise inputs.InputError(name, raw, "not_a_choice") from None
    return chosen


def _date(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    return inputs.parse_iso_date(name, raw) if raw else None


def _filters() -> SearchFilters:
    codes = services.resolve_states(get_session(), request.args.getlist("state"))
    return SearchFilters(
        states=codes,
        kinds=_enums("kind", MilestoneKind),
        statuses=_enums("status", MilestoneStatus),
        due_from=_date("due_from"),
        due_to=_date("due_to"),
    )


@bp.get("/search")
def search_page() -> tuple[str, int]:
    """Results with snippets and links; a query that cannot be searched says why (400)."""
    text = request.args.get("q", "")
    hits: list[SearchHit] | None = None
    problem = ""
    try:
        filters = _filters()
        if text.strip():
            hits = search(get_session(), parse_search("q", text), filters)
    except services.ServiceError as error:  # an InputError: the query or a filter
        problem = describe(error)
    return render_template(
        "search/results.html",
        q=text,
        hits=hits,
        problem=problem,
        max_query=MAX_QUERY,
        all_states=services.list_states(get_session()),
        kinds=list(MilestoneKind),
        statuses=list(MilestoneStatus),
        chosen=request.args,
    ), (400 if problem else 200)
