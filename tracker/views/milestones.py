"""A milestone's page, and the forms that change it: status, edits, citations."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from tracker import inputs, reports, services
from tracker.db import get_session
from tracker.labels import label
from tracker.messages import describe, reason
from tracker.models import Milestone
from tracker.policy import Action
from tracker.rules import next_statuses
from tracker.services import reminders as mail_services
from tracker.services.drafts import snapshot
from tracker.views.common import Page, allow, fail, may, requested_as_of, requires, write
from tracker.views.forms import (
    CitationForm,
    ConfirmForm,
    MilestoneForm,
    ReviewForm,
    StatusForm,
    options,
)

bp = Blueprint("milestones", __name__, url_prefix="/milestones")
SNOOZE_DAYS = timedelta(days=14)  # what the snooze form offers first


def _load(session: Session, milestone_id: int) -> Milestone:
    """The milestone and all its page shows."""
    try:
        return services.get_milestone(session, milestone_id)
    except services.ServiceError as error:
        fail(error)


def _load_to_change(
    session: Session, milestone_id: int, action: Action = Action.EDIT_MILESTONE
) -> Milestone:
    """The milestone and what a change reads; refused unless the user may take the action on
    it (edit it, by default; record its progress, for a status)."""
    try:
        milestone = services.milestone_to_change(session, milestone_id)
    except services.ServiceError as error:
        fail(error)
    allow(action, milestone)
    return milestone


def _status_form(
    milestone: Milestone, form: StatusForm | None = None, labels: bool = True
) -> StatusForm:
    if form is None:  # a fresh form offers the likely next step from the current status
        likely = next_statuses(milestone.status)
        form = StatusForm(version=milestone.version, effective_on=date.today(), status=likely[0])
    if labels:  # the steps the rules allow from now, the likely one first; the current last
        allowed = next_statuses(milestone.status)
        form.status.choices = options(
            [(s.value, label(s)) for s in allowed]
            + [
                (
                    milestone.status.value,
                    _("%(status)s (now: unchanged)", status=label(milestone.status)),
                )
            ]
        )
    # A POST is checked against the citations' ids; only a page shown again needs the labels.
    quotes = [
        (str(c.id), f"{c.note.name}: {c.quote[:80]}" if labels else "") for c in milestone.citations
    ]
    form.citation.choices = options([("", _("none")), *quotes])
    # Any note may be cited anew (a decree, a letter); a POST is checked by the service.
    notes = services.list_notes(get_session()) if labels else []
    form.note.choices = options(
        [("", _("none")), *((n.slug, f"{n.slug} — {n.title}") for n in notes)]
    )
    return form


def _citation_form(session: Session, form: CitationForm | None = None) -> CitationForm:
    form = form or CitationForm()
    notes = services.list_notes(session)
    form.note.choices = options((n.slug, n.name) for n in notes)
    return form


def _detail(milestone: Milestone, status: int = 200, **forms: Any) -> tuple[str, int]:
    as_of = requested_as_of()
    item = reports.milestone_item(milestone, as_of, reports.DEFAULT_WITHIN_DAYS)
    may_edit = may(Action.EDIT_MILESTONE, milestone)
    may_record = may_edit or may(Action.RECORD_PROGRESS, milestone)
    if may_record:  # only editors see the forms; the note list can run to thousands
        forms.setdefault("status_form", _status_form(milestone))
    if may_edit:
        forms.setdefault("citation_form", _citation_form(get_session()))
    mail = None
    if current_user.is_authenticated:
        mail = mail_services.milestone_mail(get_session(), current_user, milestone.id, date.today())
    page = render_template(
        "milestones/detail.html",
        mail=mail,
        mail_form=ConfirmForm() if mail is not None else None,
        snooze_default=date.today() + SNOOZE_DAYS,
        milestone=milestone,
        item=item,
        as_of=as_of,
        may_edit=may_edit,
        may_record=may_record,
        moved_from=services.moved_from(milestone.edits),
        status_form=forms.get("status_form"),
        citation_form=forms.get("citation_form"),
    )
    return page, status


@bp.get("/<int:milestone_id>")
def detail(milestone_id: int) -> Page:
    """Window as written and as parsed, status, sources, warnings and the full history."""
    return _detail(_load(get_session(), milestone_id))


@bp.post("/<int:milestone_id>/status")
@requires(Action.RECORD_PROGRESS)
def update_status(milestone_id: int) -> Page:
    """Record a status change; a form loaded before someone else's save gets 409."""
    session = get_session()
    milestone = _load_to_change(session, milestone_id, Action.RECORD_PROGRESS)
    form = _status_form(milestone, StatusForm(), labels=False)
    if not form.validate_on_submit():
        return _shown_again(session, milestone_id, form)
    citation = next((c for c in milestone.citations if str(c.id) == form.citation.data), None)
    if form.citation.data and citation is None:
        wrong = form.citation.data[:20]
        form.citation.errors = [
            _("citation %(wrong)s is not one of this milestone's sources", wrong=repr(wrong))
        ]
        return _shown_again(session, milestone_id, form)
    quote, slug = (form.quote.data or "").strip(), form.note.data or ""
    if bool(quote) != bool(slug) or (quote and citation is not None):
        if citation is not None:
            form.note.errors = [_("choose an existing source or a new quote, not both")]
        elif quote:
            form.note.errors = [_("choose the note the quote comes from")]
        else:
            form.quote.errors = [_("paste the words of the note that show this status")]
        return _shown_again(session, milestone_id, form)

    def refused(error: services.ServiceError) -> Page:
        if isinstance(error, services.Conflict):
            return _status_conflict(session, milestone_id, form)
        _field_error(form, error, {"on": "effective_on"})
        return _shown_again(session, milestone_id, form)

    def record(session: Session) -> None:
        source = citation
        if slug:  # a new source: cited first, so a refused quote changes nothing
            note = services.get_note(session, slug)
            source = services.cite(session, note, form.quote.data or "", milestone=milestone)
        services.change_status(
            session,
            milestone,
            form.status.data,
            form.effective_on.data,
            comment=form.comment.data or "",
            recorded_by=current_user,
            citation=source,
            expected_version=_version(form.version.data),
        )

    write(record, refused)
    flash(
        _(
            "Status recorded: %(status)s as of %(data)s.",
            status=label(milestone.status),
            data=form.effective_on.data,
        )
    )
    return redirect(url_for(".detail", milestone_id=milestone.id))


@bp.post("/<int:milestone_id>/review")
@requires(Action.RECORD_PROGRESS)
def review(milestone_id: int) -> Page:
    """One click from a needs-review list: record done on a date, cancel, or postpone to a new
    date with a reason (the old date stays in the edit history); back to where it was clicked."""
    session = get_session()
    milestone = _load_to_change(session, milestone_id, Action.RECORD_PROGRESS)
    form = ReviewForm()
    back = _review_return(milestone)
    if not form.validate_on_submit():
        return _review_refused(form, back)
    version = _version(form.version.data)
    if form.postpone.data:
        allow(Action.EDIT_MILESTONE, milestone)  # a new date is an edit, not progress
        if not (form.due.data or "").strip():
            form.due.errors = [_("give the new date it moves to")]
            return _review_refused(form, back)
        write(
            lambda session: services.postpone_milestone(
                session, milestone, form.due.data, form.reason.data or "", version,
                recorded_by=current_user,
            ),
            lambda error: _review_refused(form, back, error),
        )  # fmt: skip
        flash(
            _(
                "Postponed: %(title)s now %(due_text)s.",
                title=milestone.title,
                due_text=milestone.due_text,
            )
        )
        return redirect(back)
    status = "done" if form.done.data else "cancelled" if form.cancel.data else None
    if status is None:
        form.form_errors.append(_("choose: record done, cancel it, or postpone"))
        return _review_refused(form, back)
    on = form.on.data or date.today()
    write(
        lambda session: services.change_status(
            session, milestone, status, on, comment=form.reason.data or "",
            recorded_by=current_user, expected_version=version,
        ),
        lambda error: _review_refused(form, back, error),
    )  # fmt: skip
    flash(
        _(
            "Status recorded: %(title)s %(status)s as of %(day)s.",
            title=milestone.title,
            status=label(milestone.status),
            day=on.isoformat(),
        )
    )
    return redirect(back)


def _review_return(milestone: Milestone) -> str:
    """Back to the State page the click came from (a known path only), else the milestone."""
    codes = milestone.state_codes
    asked = (request.args.get("state") or "").upper()
    if asked in codes:
        return url_for("pages.state_timeline", code=asked, _anchor="needs-review")
    return url_for(".detail", milestone_id=milestone.id)


def _review_refused(
    form: ReviewForm, back: str, error: services.ServiceError | None = None
) -> tuple[str, int]:
    if error is not None:
        _field_error(form, error, {})
    problems = [*form.form_errors]
    for name in ("version", "on", "due", "reason"):
        problems += [f"{getattr(form, name).label.text}: {e}" for e in getattr(form, name).errors]
    status = 409 if isinstance(error, services.Conflict) else 400
    page = render_template("milestones/review_refused.html", problems=problems, back=back)
    return page, status


def _shown_again(session: Session, milestone_id: int, form: StatusForm) -> Page:
    milestone = _load(session, milestone_id)
    return _detail(milestone, 400, status_form=_status_form(milestone, form))


def _version(raw: str | None) -> int:
    try:
        return inputs.parse_id("version", raw or "")
    except inputs.InputError:
        abort(400, description=_("The form has no valid version; reload the page and try again."))


def _field_error(form: Any, error: services.ServiceError, aliases: dict[str, str]) -> None:
    name = aliases.get(error.field, error.field)
    field = getattr(form, name, None)
    target = field if field is not None and hasattr(field, "errors") else None
    if target is None:
        form.form_errors.append(describe(error))
    else:
        target.errors = [*target.errors, reason(error)]


def _status_conflict(session: Session, milestone_id: int, form: StatusForm) -> tuple[str, int]:
    milestone = _load(session, milestone_id)
    form.version.data = str(milestone.version)
    page = render_template(
        "milestones/conflict.html",
        milestone=milestone,
        kind="status",
        form=_status_form(milestone, form),
        differences=[],
        as_of=date.today(),
    )
    return page, 409


# --- create and edit ---------------------------------------------------------------------


def _milestone_form(session: Session, form: MilestoneForm) -> MilestoneForm:
    states = services.list_states(session)
    form.states.choices = options((s.code, f"{s.name} ({s.code})") for s in states)
    form.host.choices = options([("", _("none")), *((s.code, s.name) for s in states)])
    plans = [p for s in states for p in s.plans]
    form.plan.choices = options([("", _("none")), *((p.ref, p.title) for p in plans if p.ref)])
    return form


def _editor(form: MilestoneForm, milestone: Milestone | None, status: int, **extra: Any) -> Page:
    page = render_template(
        "milestones/edit.html", form=form, milestone=milestone, as_of=date.today(), **extra
    )
    return page, status


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.EDIT_MILESTONE)
def create() -> Page:
    """A new milestone, saved in one click; an unreadable date is shown on the date field."""
    session = get_session()
    form = _milestone_form(session, MilestoneForm())
    if not form.is_submitted():  # a coordinator's own State(s) ticked to start with
        form.states.data = [s.code for s in getattr(current_user, "states", [])]
    if not form.validate_on_submit():
        return _editor(form, None, 400 if form.is_submitted() else 200)
    allow(Action.EDIT_MILESTONE, form.states.data or [])

    def refused(error: services.ServiceError) -> Page:
        _field_error(form, error, {"state": "states"})
        return _editor(form, None, 400)

    milestone = write(
        lambda session: services.create_milestone(
            session, form.to_draft(), recorded_by=current_user
        ),
        refused,
    )
    flash(_("Milestone created."))
    return redirect(url_for(".detail", milestone_id=milestone.id))


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@requires(Action.EDIT_MILESTONE)
def edit(milestone_id: int) -> Page:
    """Edit a milestone; a stale form is refused with 409 and what changed."""
    session = get_session()
    milestone = _load_to_change(session, milestone_id)
    if not _milestone_form(session, form := MilestoneForm()).is_submitted():
        form.fill(milestone)
        return _editor(form, milestone, 200)
    if not form.validate():
        return _editor(form, milestone, 400)
    allow(Action.EDIT_MILESTONE, form.states.data or [])
    return _save_edit(session, milestone, form)


def _save_edit(session: Session, milestone: Milestone, form: MilestoneForm) -> Page:
    mine, milestone_id = form.to_draft(milestone.due_end), milestone.id

    def refused(error: services.ServiceError) -> Page:
        if isinstance(error, services.Conflict):
            return _edit_conflict(session, milestone_id, form)
        _field_error(form, error, {"state": "states"})
        return _editor(form, _load(session, milestone_id), 400)

    write(
        lambda session: services.edit_milestone(
            session, milestone, mine, _version(form.version.data), recorded_by=current_user
        ),
        refused,
    )
    flash(_("Milestone saved."))
    return redirect(url_for(".detail", milestone_id=milestone.id))


def _edit_conflict(session: Session, milestone_id: int, form: MilestoneForm) -> tuple[str, int]:
    milestone = _load(session, milestone_id)
    current = snapshot(milestone)
    yours = form.to_draft().texts()
    differences = [
        (k, current.get(k), v) for k, v in yours.items() if (current.get(k) or "") != (v or "")
    ]
    form.version.data = str(milestone.version)
    page = render_template(
        "milestones/conflict.html",
        milestone=milestone,
        kind="edit",
        form=form,
        differences=differences,
        as_of=date.today(),
    )
    return page, 409


@bp.post("/<int:milestone_id>/citations")
@requires(Action.EDIT_MILESTONE)
def add_citation(milestone_id: int) -> Page:
    """Cite a verbatim quote of a note; refused unless it is verbatim."""
    session = get_session()
    milestone = _load_to_change(session, milestone_id)
    form = _citation_form(session, CitationForm())
    if not form.validate_on_submit():
        return _detail(_load(session, milestone_id), 400, citation_form=form)

    def refused(error: services.ServiceError) -> Page:
        _field_error(form, error, {"due": "date_text"})
        return _detail(_load(session, milestone_id), 400, citation_form=form)

    def cite(session: Session) -> None:
        note = services.get_note(session, form.note.data)
        services.cite(
            session, note, form.quote.data, milestone=milestone, date_text=form.date_text.data or ""
        )

    write(cite, refused)
    flash(_("Citation added."))
    return redirect(url_for(".detail", milestone_id=milestone.id))
