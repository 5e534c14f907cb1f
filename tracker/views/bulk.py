"""Bulk status updates: select several of a State's milestones and record one change."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker import inputs, reports, services
from tracker.db import get_session
from tracker.enums import MilestoneStatus
from tracker.labels import label
from tracker.messages import describe
from tracker.models import StatusChange
from tracker.services.bulk import BulkStatus, bulk_change_status
from tracker.views.common import Page, fail, write
from tracker.views.forms import BulkStatusForm, options

bp = Blueprint("bulk", __name__)


def _page(code: str, form: BulkStatusForm, status: int = 200, problem: str = "") -> tuple[str, int]:
    session = get_session()
    try:
        data = reports.timeline(session, code, date.today())
    except services.ServiceError as error:
        fail(error)
    form.note.choices = options(
        [("", _("none")), *((n.slug, f"{n.slug}: {n.title}") for n in services.list_notes(session))]
    )
    chosen = set(form.milestones.data or [])
    return render_template(
        "milestones/bulk.html", data=data, form=form, chosen=chosen, problem=problem
    ), status


@bp.route("/states/<code>/bulk-status", methods=["GET", "POST"])
def bulk_status(code: str) -> tuple[str, int] | BaseResponse:
    """A form over the State's milestones; the change is made for all selected, or for none."""
    if not current_user.is_authenticated:
        abort(403, description=_("Sign in to make changes."))
    form = BulkStatusForm()
    if not form.is_submitted():
        return _page(code, form)
    if not form.validate():
        return _page(code, form, 400)

    def refused(error: services.ServiceError) -> Page:  # nothing changed: the form again
        return _page(code, form, error.status_code, describe(error))

    def change(session: Session) -> list[StatusChange]:
        ids = [inputs.parse_id("milestones", raw) for raw in form.milestones.data or []]
        return bulk_change_status(
            session,
            current_user,
            BulkStatus(
                ids,
                form.status.data,
                form.effective_on.data,
                comment=form.comment.data or "",
                note_slug=form.note.data or "",
                quote=form.quote.data or "",
            ),
        )

    changes = write(change, refused)
    flash(
        ngettext(
            "Status recorded for %(num)d milestone: %(status)s.",
            "Status recorded for %(num)d milestones: %(status)s.",
            len(changes),
            status=label(form.status.data, MilestoneStatus),
        )
    )
    return redirect(url_for("pages.state_timeline", code=code.upper()))
