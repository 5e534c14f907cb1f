"""Saved views: a filtered deadline report or State milestone list kept under a name."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.inputs import clean_text, parse_id
from tracker.models import SavedView, User
from tracker.services.catalogue import get_state
from tracker.services.common import NotFound, ServiceError

# The filters each page takes; anything else is not kept.
PAGE_FILTERS = {
    "report": ("as_of", "within", "state"),
    "timeline": ("as_of", "within", "kind", "status"),
}
MAX_VIEWS = 100


def save_view(
    session: Session,
    user: User,
    name: str,
    page: str,
    filters: Sequence[tuple[str, str]],
    state_code: str | None = None,
) -> SavedView:
    """Keep the filters under the name (a view of the same name is replaced)."""
    name = clean_text("name", name, max_length=100)
    if not name:
        raise ServiceError("name", name, "view_name_missing")
    if page not in PAGE_FILTERS:
        raise ServiceError("page", page, "view_page_unknown", pages=", ".join(PAGE_FILTERS))
    code = get_state(session, state_code or "").code if page == "timeline" else None
    kept = [(k, v.strip()) for k, v in filters if k in PAGE_FILTERS[page] and v.strip()]
    query = urlencode(kept)
    if len(query) > 2000:
        raise ServiceError("filters", query[:40], "view_filters_too_long")
    view = session.scalar(
        select(SavedView).where(SavedView.user_id == user.id, SavedView.name == name)
    )
    if view is None:
        if len(list_views(session, user)) >= MAX_VIEWS:
            raise ServiceError("name", name, "views_too_many", most=MAX_VIEWS)
        view = SavedView(user_id=user.id, name=name)
        session.add(view)
    view.page, view.state_code, view.query = page, code, query
    session.flush()
    return view


def list_views(session: Session, user: User) -> list[SavedView]:
    """The account's views, by name."""
    stmt = select(SavedView).where(SavedView.user_id == user.id).order_by(SavedView.name)
    return list(session.scalars(stmt))


def delete_view(session: Session, user: User, view_id: int) -> None:
    """Forget one of the account's views (another account's is not found)."""
    view = session.get(SavedView, parse_id("view", view_id))
    if view is None or view.user_id != user.id:
        raise NotFound("view", view_id, "unknown_view")
    session.delete(view)
    session.flush()
