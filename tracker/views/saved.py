"""Saved views: keep a filtered report or State list under a name on your account."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from tracker import services
from tracker.db import get_session
from tracker.messages import describe
from tracker.models import SavedView
from tracker.services.saved_views import PAGE_FILTERS, delete_view, list_views, save_view
from tracker.views.common import Page, write
from tracker.views.forms import ConfirmViewForm, SavedViewForm

bp = Blueprint("saved", __name__, url_prefix="/saved-views")


def _signed_in() -> None:
    if not current_user.is_authenticated:
        abort(403, description=_("Sign in to keep views on your account."))


def view_url(view: SavedView) -> str:
    """Where a saved view opens: its page with its filters."""
    if view.page == "timeline":
        base = url_for("pages.state_timeline", code=view.state_code or "")
    else:
        base = url_for("pages.report_page")
    return f"{base}?{view.query}" if view.query else base


def _filters(source: dict[str, list[str]], page: str) -> list[tuple[str, str]]:
    names = PAGE_FILTERS.get(page, ())
    return [(k, v) for k in names for v in source.get(k, [])]


@bp.get("")
def index() -> str:
    """The account's saved views, with links and a button to forget each."""
    _signed_in()
    views = list_views(get_session(), current_user)
    return render_template(
        "saved/index.html", views=views, view_url=view_url, confirm=ConfirmViewForm()
    )


@bp.route("/new", methods=["GET", "POST"])
def new() -> tuple[str, int] | BaseResponse:
    """Name the filters of the list you came from, and keep them."""
    _signed_in()
    source = request.form if request.method == "POST" else request.args
    page = source.get("page", "report")
    filters = _filters(source.to_dict(flat=False), page)
    form = SavedViewForm(data={"page": page, "code": source.get("code", "")})
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("saved/new.html", form=form, filters=filters), status

    def refused(error: services.ServiceError) -> Page:
        form.name.errors = [describe(error)]
        return render_template("saved/new.html", form=form, filters=filters), error.status_code

    view = write(
        lambda session: save_view(
            session, current_user, form.name.data, form.page.data, filters, form.code.data or None
        ),
        refused,
    )
    flash(_("Saved view “%(name)s”.", name=view.name))
    return redirect(url_for(".index"))


@bp.post("/<int:view_id>/delete")
def forget(view_id: int) -> BaseResponse:
    """Forget one of your saved views."""
    _signed_in()
    if not ConfirmViewForm().validate_on_submit():
        abort(400, description=_("The form expired; reload the page and try again."))
    write(lambda session: delete_view(session, current_user, view_id))
    flash(_("Saved view forgotten."))
    return redirect(url_for(".index"))
