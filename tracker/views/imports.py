"""Importing a source note on the web: upload or paste, review the proposals, save."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import Session

from tracker import inputs, pending_imports, services
from tracker.db import get_session
from tracker.enums import MilestoneKind
from tracker.ingest.files import MAX_FILE_BYTES, read_note_file, upload_limit
from tracker.ingest.matching import MatchedProposal, match_all
from tracker.ingest.text import NoteInputError
from tracker.messages import describe, sentence, word, words
from tracker.note_markdown import render_note
from tracker.policy import Action
from tracker.quotes import segments
from tracker.services.imports import (
    ImportPlan,
    ImportResult,
    apply_import,
    known_milestones,
    known_plans,
    plan_extraction,
    read_note,
    refusals,
)
from tracker.views.common import Page, fail, requires, write
from tracker.views.forms import ConfirmForm, NoteUploadForm

bp = Blueprint("imports", __name__, url_prefix="/notes")


@bp.route("/new", methods=["GET", "POST"])
@requires(Action.IMPORT_NOTE)
def upload() -> Page:
    """Upload or paste a note; it is read once and its proposals shown for review."""
    form = NoteUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.is_submitted() else 200)
    try:
        data, name = _note_bytes(form)
        text, original = read_note_file(data, name)
        extraction = read_note(text)
        extraction = replace(extraction, note=replace(extraction.note, original=original))
        plan = plan_extraction(get_session(), extraction, name, current_user)
    except (services.ServiceError, NoteInputError) as error:
        form.form_errors.append(
            describe(error) if isinstance(error, services.ServiceError) else str(error)
        )
        return _upload_page(form, 409 if isinstance(error, services.Conflict) else 400)
    waiting = pending_imports.PendingImport(current_user.id, name, data, extraction)
    pending_id = pending_imports.keep(_pending_folder(), waiting)
    return _review(plan, pending_id, 200)


def too_large_page() -> tuple[str, int]:
    """An upload over the server's limit: the import form again, naming the limit (413).

    The body was not read, so the form starts empty; it is never bound to the request.
    """
    form = NoteUploadForm(formdata=None)
    limit = upload_limit(int(current_app.config.get("MAX_CONTENT_LENGTH") or MAX_FILE_BYTES))
    form.form_errors.append(sentence(f"the upload {word('upload_too_large', {'limit': limit})}"))
    return _upload_page(form, 413)


def _pending_folder() -> Path:
    return Path(current_app.instance_path) / "pending-imports"


def _upload_page(form: NoteUploadForm, status: int) -> tuple[str, int]:
    return render_template("notes/new.html", form=form), status


def _note_bytes(form: NoteUploadForm) -> tuple[bytes, str]:
    """The note exactly as uploaded (or pasted), and its name."""
    upload = form.file.data
    if upload and upload.filename:
        return upload.read(), form.name.data or upload.filename
    if not (form.text.data or "").strip():
        raise services.ServiceError("text", "", "note_missing")
    return form.text.data.encode("utf-8"), form.name.data or "note"


def _proposal_links(proposals: tuple[int, ...]) -> str:
    """After a highlighted quote in the note, a link to the proposal it comes from."""
    return "".join(
        str(Markup('<a class="cite-link" href="#proposal-{}">[{}]</a>').format(i, i + 1))
        for i in proposals[:1]
    )


def _review(
    plan: ImportPlan, pending_id: str, status: int, errors: list[str] | None = None
) -> tuple[str, int]:
    """The review page; after a refused save it shows what the reviewer sent, not the defaults."""
    quotes = [(i, m.proposal.quote) for i, m in enumerate(plan.proposals)]
    posted = request.method == "POST" and request.endpoint == "imports.save"
    page = render_template(
        "notes/review.html",
        plan=plan,
        pending_id=pending_id,
        rows=[_row(plan, i, posted) for i in range(len(plan.proposals))],
        text=render_note(segments(plan.note.text, quotes), _proposal_links),
        kinds=list(MilestoneKind),
        states=services.list_states(get_session()),
        confirm=ConfirmForm(),
        errors=errors or [],
    )
    return page, status


def _row(plan: ImportPlan, index: int, posted: bool) -> dict[str, Any]:
    """The values of one proposal's fields: as proposed, or as the reviewer sent them."""
    p, refusal = plan.proposals[index].proposal, plan.refusals[index]
    row = {
        "accept": bool(p.window and p.states and p.confidence >= 0.5) and not refusal,
        "kind": p.kind.value,
        "title": p.title,
        "due": p.due_text,
        "states": list(p.states),
        "refusal": refusal,
    }
    if posted:
        form, prefix = request.form, f"p{index}-"
        row["accept"] = form.get(f"{prefix}accept") == "on" and not refusal
        row["kind"] = form.get(f"{prefix}kind", row["kind"])
        row["title"] = form.get(f"{prefix}title", row["title"])
        row["due"] = form.get(f"{prefix}due", row["due"])
        row["states"] = form.getlist(f"{prefix}states")
    return row


@bp.post("/import")
@requires(Action.IMPORT_NOTE)
def save() -> Page:
    """Save the note and the accepted (possibly corrected) proposals in one transaction."""
    session = get_session()
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The review form expired or was not sent from this site."))
    pending_id = request.form.get("pending", "")
    try:
        waiting = pending_imports.load(
            _pending_folder(), pending_id, current_user.id, pending_imports.PendingImport
        )
        plan = plan_extraction(session, waiting.extraction, waiting.name, current_user)
    except services.ServiceError as error:
        fail(error)
    accepted, errors, status = _accepted(session, plan)
    if errors:
        return _review(plan, pending_id, status, errors)
    result = write(
        lambda session: apply_import(
            session, plan.note, accepted, user=current_user, recorded_by_label="import"
        ),
        lambda error: _review(plan, pending_id, error.status_code, [describe(error)]),
    )
    pending_imports.discard(_pending_folder(), pending_id)
    flash(_summary(result))
    return redirect(url_for("pages.note", slug=result.note.slug))


def _accepted(session: Session, plan: ImportPlan) -> tuple[list[MatchedProposal], list[str], int]:
    """The ticked proposals with the reviewer's corrections, re-matched; or the errors.

    A proposal the user may not save (as proposed or as corrected) is refused with 403,
    naming it, so that nothing is saved and the page says which ones to untick.
    """
    ticked = [i for i in range(len(plan.proposals)) if request.form.get(f"p{i}-accept") == "on"]
    refused = [
        _("Proposal %(number)s: %(reason)s", number=i + 1, reason=plan.refusals[i])
        for i in ticked
        if plan.refusals[i]
    ]
    if refused:
        return [], refused, 403
    edited, numbers, errors = [], [], []
    for index in ticked:
        matched = plan.proposals[index]
        try:
            edited.append(_edit(index, matched))
            numbers.append(index + 1)
        except services.ServiceError as error:
            errors.append(
                _("Proposal %(number)s: %(reason)s", number=index + 1, reason=describe(error))
            )
    if errors:
        return [], errors, 400
    known = known_milestones(session, {code for p in edited for code in p.states})
    matched_again = match_all(edited, known, known_plans(session))
    again = refusals(session, matched_again, current_user)
    refused = [
        _("Proposal %(number)s: %(reason)s", number=n, reason=why)
        for n, why in zip(numbers, again, strict=True)
        if why
    ]
    return ([], refused, 403) if refused else (list(matched_again), [], 200)


def _edit(index: int, matched: MatchedProposal) -> Any:
    proposal, form = matched.proposal, request.form
    kind = form.get(f"p{index}-kind", proposal.kind.value)
    if kind not in {k.value for k in MilestoneKind}:
        raise services.ServiceError("kind", kind, "not_a_kind")
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


def _summary(result: ImportResult) -> str:
    """What the import saved, in the reader's language (the console says the same)."""
    return words(result.summary())
