"""Importing a source note on the web: upload or paste, review the proposals, save."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from tracker import inputs, services
from tracker.db import get_session
from tracker.enums import MilestoneKind
from tracker.forms import ConfirmForm, NoteUploadForm
from tracker.ingest.matching import MatchedProposal, match_all
from tracker.ingest.text import NoteInputError, decode_note
from tracker.quotes import segments
from tracker.services.imports import (
    ImportPlan,
    apply_import,
    known_milestones,
    known_plans,
    plan_import,
)
from tracker.views.common import require_edit

bp = Blueprint("imports", __name__, url_prefix="/notes")

Page = str | tuple[str, int] | BaseResponse


def _require_editor() -> None:
    if not current_user.is_authenticated or current_user.role.value == "viewer":
        abort(403, description="Only coordinators and administrators may import notes.")


@bp.route("/new", methods=["GET", "POST"])
def upload() -> Page:
    """Upload or paste a note; it is read and its proposals shown for review (nothing saved)."""
    _require_editor()
    form = NoteUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.is_submitted() else 200)
    try:
        text, name = _note_text(form)
        plan = plan_import(get_session(), text, name)
    except (services.ServiceError, NoteInputError) as error:
        form.form_errors.append(str(error))
        return _upload_page(form, 409 if isinstance(error, services.Conflict) else 400)
    return _review(plan, name, 200)


def _upload_page(form: NoteUploadForm, status: int) -> tuple[str, int]:
    return render_template("notes/new.html", form=form), status


def _note_text(form: NoteUploadForm) -> tuple[str, str]:
    upload = form.file.data
    if upload and upload.filename:
        name = form.name.data or upload.filename
        return decode_note(upload.read(), name), name
    if not (form.text.data or "").strip():
        raise services.ServiceError("text", "", "upload a file or paste the note's text")
    return decode_note(form.text.data.encode("utf-8"), "pasted text"), form.name.data or "note"


def _review(
    plan: ImportPlan, name: str, status: int, errors: list[str] | None = None
) -> tuple[str, int]:
    quotes = [(i, m.proposal.quote) for i, m in enumerate(plan.proposals)]
    page = render_template(
        "notes/review.html",
        plan=plan,
        name=name,
        parts=segments(plan.note.text, quotes),
        kinds=list(MilestoneKind),
        states=services.list_states(get_session()),
        confirm=ConfirmForm(),
        errors=errors or [],
    )
    return page, status


@bp.post("/import")
def save() -> Page:
    """Save the note and the accepted (possibly corrected) proposals in one transaction."""
    _require_editor()
    session = get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400, description="The review form expired or was not sent from this site.")
    name, text = request.form.get("name", "note"), request.form.get("text", "")
    try:
        plan = plan_import(session, decode_note(text.encode("utf-8"), name), name)
        accepted, errors = _accepted(session, plan)
    except (services.ServiceError, NoteInputError) as error:
        abort(getattr(error, "status_code", 400), description=str(error))
    if errors:
        return _review(plan, name, 400, errors)
    for matched in accepted:
        require_edit(list(matched.proposal.states))
    try:
        result = apply_import(session, plan.note, accepted, recorded_by_label=_who())
    except services.ServiceError as error:
        session.rollback()
        return _review(plan, name, error.status_code, [str(error)])
    session.commit()
    flash(result.summary())
    return redirect(url_for("pages.note", slug=result.note.slug))


def _who() -> str:
    return f"import by {current_user.email}"


def _accepted(session: Session, plan: ImportPlan) -> tuple[list[MatchedProposal], list[str]]:
    """The ticked proposals with the reviewer's corrections, re-matched; or the errors."""
    edited, errors = [], []
    for index, matched in enumerate(plan.proposals):
        if request.form.get(f"p{index}-accept") != "on":
            continue
        try:
            edited.append(_edit(index, matched))
        except services.ServiceError as error:
            errors.append(f"Proposal {index + 1}: {error}")
    if errors:
        return [], errors
    return list(match_all(edited, known_milestones(session), known_plans(session))), []


def _edit(index: int, matched: MatchedProposal) -> Any:
    proposal, form = matched.proposal, request.form
    kind = form.get(f"p{index}-kind", proposal.kind.value)
    if kind not in {k.value for k in MilestoneKind}:
        raise services.ServiceError("kind", kind, "is not a milestone kind")
    raw_title = form.get(f"p{index}-title", proposal.title)
    title = inputs.clean_text("title", raw_title, max_length=300, required=True)
    due_text = inputs.clean_text("due", form.get(f"p{index}-due", proposal.due_text))
    window = services.parse_due(due_text, proposal.due_reference) if due_text else None
    states = tuple(services.resolve_states(get_session(), form.getlist(f"p{index}-states")))
    return replace(
        proposal,
        kind=MilestoneKind(kind),
        title=title,
        due_text=due_text,
        window=window,
        states=states,
        host=proposal.host if proposal.host in states else None,
    )
