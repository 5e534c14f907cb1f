"""A responsible body's focal points, assigned by administrators on the body's page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from tracker import services
from tracker.db import get_session
from tracker.messages import reason
from tracker.models import ResponsibleBody
from tracker.policy import Action
from tracker.progress import measure_on
from tracker.services.bodies import add_focal_point, get_body, remove_focal_point
from tracker.services.measures import body_measures, facts
from tracker.views.common import Page, fail, requested_as_of, requires, write
from tracker.views.forms import FocalPointForm
from tracker.views.plans import MeasureRow

bp = Blueprint("focal_points", __name__)


def _page(body: ResponsibleBody, form: FocalPointForm, status: int) -> Page:
    """The body's page again, the form's error beside the e-mail field."""
    as_of = requested_as_of()
    measures = body_measures(get_session(), body, as_of)
    rows = [MeasureRow(m, measure_on(facts(m), as_of)) for m in measures]
    page = render_template("bodies/body.html", body=body, as_of=as_of, rows=rows, focal_form=form)
    return page, status


@bp.post("/bodies/<int:body_id>/focal-points")
@requires(Action.MANAGE_ACCOUNTS)
def change(body_id: int) -> Page:
    """Add or remove a focal point of the body (by the account's e-mail)."""
    session = get_session()
    try:
        body = get_body(session, body_id)
    except services.ServiceError as error:
        fail(error)
    form = FocalPointForm()
    if not form.validate_on_submit():
        return _page(body, form, 400)
    removing = bool(form.remove.data)

    def refused(error: services.ServiceError) -> Page:
        form.email.errors = [*form.email.errors, reason(error)]
        return _page(get_body(get_session(), body_id), form, error.status_code)

    def save(session: Session) -> str:
        account = services.get_user(session, form.email.data or "")
        change_ = remove_focal_point if removing else add_focal_point
        change_(session, body, account, by=current_user)
        return account.email

    email = write(save, refused)
    if removing:
        flash(_("%(email)s is no longer a focal point of this body.", email=email))
    else:
        flash(_("%(email)s is now a focal point of this body.", email=email))
    return redirect(url_for("plans.body", body_id=body_id))
