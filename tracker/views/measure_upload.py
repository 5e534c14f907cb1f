"""Uploading a plan's measures table: the file, then a review page that maps its columns,
resolves unknown body names and shows each row's problems, then one save (issue 15)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from tracker import pending_imports, policy, services
from tracker.db import get_session
from tracker.ingest.files import MAX_FILE_BYTES, upload_limit
from tracker.messages import describe, word
from tracker.models import ActionPlan
from tracker.services.bodies import list_bodies, normalise_name
from tracker.services.measure_import import FIELDS, MeasureImport, Table, read_grid
from tracker.services.measure_upload import (
    IGNORE,
    NEW_BODY,
    BodyChoice,
    check_upload,
    guess_mapping,
    mapped_rows,
    read_choices,
    save_upload,
)
from tracker.services.measures import get_plan_by_id
from tracker.views.common import Page, allow, fail, may, write
from tracker.views.forms import ConfirmForm, MeasureUploadForm

bp = Blueprint("measure_upload", __name__)

FIELD_LABELS = {
    "number": _l("Number"),
    "text": _l("Measure"),
    "time_frame": _l("Time frame"),
    "bodies": _l("Responsible bodies"),
    "area": _l("Area"),
    "operative_paragraphs": _l("Operative paragraphs"),
}
REQUIRED = ("number", "text", "time_frame")
SHOWN_PROBLEMS = 50  # in the summary above the rows; each row shows its own


def _plan(plan_id: int) -> ActionPlan:
    """The plan, if the user may add measures to it (403 otherwise, 404 if there is none)."""
    try:
        plan = get_plan_by_id(get_session(), plan_id)
    except services.ServiceError as error:
        fail(error)
    allow(policy.Action.EDIT_MILESTONE, [plan.state_code])
    return plan


def _folder() -> Path:
    return Path(current_app.instance_path) / "pending-imports"


@bp.route("/plans/<int:plan_id>/measures/upload", methods=["GET", "POST"])
def upload(plan_id: int) -> Page:
    """Upload a plan's measures table (CSV or XLSX); it is read and shown for review."""
    plan = _plan(plan_id)
    form = MeasureUploadForm()
    if not form.validate_on_submit():
        return _upload_page(plan, form, 400 if form.is_submitted() else 200)
    data, name = form.file.data.read(), form.file.data.filename or "upload"
    try:
        table = read_grid(name, data)
    except services.ServiceError as error:
        form.form_errors.append(describe(error))
        return _upload_page(plan, form, 400)
    waiting = pending_imports.PendingTable(current_user.id, plan.id, name, data)
    pending_id = pending_imports.keep(_folder(), waiting)
    mapping = guess_mapping(table.header)
    numbered = list(enumerate(mapped_rows(table, mapping), start=2))
    result = check_upload(get_session(), plan, numbered)
    kept = {n for n, _row in numbered}
    return _review(plan, pending_id, table, mapping, numbered, kept, [], result, 200)


def too_large_page() -> tuple[str, int] | None:
    """A table over the server's limit: the upload form again, naming the limit (413); None
    (the generic page) when there is no such plan or the user may not upload to it."""
    plan_id = (request.view_args or {}).get("plan_id")
    try:
        plan = get_plan_by_id(get_session(), plan_id or 0)
    except services.ServiceError:
        return None
    if not may(policy.Action.EDIT_MILESTONE, [plan.state_code]):
        return None
    form = MeasureUploadForm(formdata=None)  # the body was not read: never bound to it
    limit = upload_limit(int(current_app.config.get("MAX_CONTENT_LENGTH") or MAX_FILE_BYTES))
    form.form_errors.append(
        _("The file is larger than the upload limit of %(limit)s; nothing was stored. Split the "
          "table, or save it as XLSX, which is smaller.", limit=limit)
    )  # fmt: skip
    return _upload_page(plan, form, 413)


def _upload_page(plan: ActionPlan, form: MeasureUploadForm, status: int) -> tuple[str, int]:
    return render_template("plans/upload.html", plan=plan, form=form), status


@bp.post("/plans/<int:plan_id>/measures/review")
def review(plan_id: int) -> Page:
    """Check the table again with the reviewer's mapping, choices and kept rows; or save."""
    plan = _plan(plan_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, description=_("The review form expired or was not sent from this site."))
    session, form = get_session(), request.form
    pending_id = form.get("pending", "")
    try:
        waiting = pending_imports.load(
            _folder(), pending_id, current_user.id, pending_imports.PendingTable
        )
        if waiting.plan_id != plan.id:
            raise services.NotFound("pending", pending_id, "pending_table_gone")
        table = read_grid(waiting.name, waiting.data)
    except services.ServiceError as error:
        fail(error)
    mapping = [_field(form.get(f"col-{i}", IGNORE)) for i in range(len(table.header))]
    numbered = list(enumerate(mapped_rows(table, mapping), start=2))
    kept = {n for n, _row in numbered if form.get(f"keep-{n}") == "on"}
    rows = [(n, r) for n, r in numbered if n in kept]
    choices = _choices()
    errors = _mapping_errors(mapping)
    if form.get("action") != "save" or errors:
        result = _checked(plan, rows, choices)
        status = 400 if errors and form.get("action") == "save" else 200
        return _review(plan, pending_id, table, mapping, numbered, kept, choices, result, status)
    if not rows:
        result, errors = _checked(plan, rows, choices), [_("Keep at least one row to save.")]
        return _review(plan, pending_id, table, mapping, numbered, kept, choices, result, 400,
                       errors)  # fmt: skip
    result = write(
        lambda s: save_upload(s, plan, rows, choices, user=current_user._get_current_object())
    )
    if result.problems:
        session.rollback()
        errors = [_("Every kept row must be valid to save: correct or untick the rows below.")]
        return _review(plan, pending_id, table, mapping, numbered, kept, choices, result, 400,
                       errors)  # fmt: skip
    pending_imports.discard(_folder(), pending_id)
    count = len(result.created)
    flash(ngettext("%(num)d measure saved.", "%(num)d measures saved.", count))
    return redirect(url_for("plans.plan", plan_id=plan.id))


def _field(value: str) -> str:
    return value if value in FIELDS else IGNORE


def _choices() -> list[BodyChoice]:
    form = request.form
    names = {}
    for key in form:
        if key.startswith("name-") and key[5:].isdigit():
            names[form[key]] = form.get(f"body-{key[5:]}", "")
    return read_choices(names)


def _checked(
    plan: ActionPlan, rows: list[tuple[int, dict[str, str]]], choices: list[BodyChoice]
) -> MeasureImport:
    try:
        return check_upload(get_session(), plan, rows, choices)
    except services.ServiceError as error:
        fail(error)


def _mapping_errors(mapping: Sequence[str]) -> list[str]:
    missing = [str(FIELD_LABELS[f]) for f in REQUIRED if f not in mapping]
    if not missing:
        return []
    return [_("Map a column to each of: %(fields)s.", fields=", ".join(missing))]


def _problem(field: str, value: str, code: str, params: dict[str, object]) -> str:
    label = FIELD_LABELS.get(field, field)
    shown = value if len(value) <= 60 else value[:57] + "..."
    words: str = _("%(field)s “%(value)s”: %(reason)s", field=label, value=shown,
                   reason=word(code, params))  # fmt: skip
    return words


def _review(
    plan: ActionPlan,
    pending_id: str,
    table: Table,
    mapping: list[str],
    numbered: list[tuple[int, dict[str, str]]],
    kept: set[int],
    choices: list[BodyChoice],
    result: MeasureImport,
    status: int,
    errors: list[str] | None = None,
) -> tuple[str, int]:
    """The review page: the mapping, the unknown names, every row with its problems."""
    problems: dict[int, list[str]] = {}
    for p in result.problems:
        problems.setdefault(p.row, []).append(_problem(p.field, p.value, p.code, dict(p.params)))
    warnings: dict[int, list[str]] = {}
    for row, worded in result.warnings:
        warnings.setdefault(row, []).append(word(worded.code, worded.params))
    chosen = {normalise_name(c.name): c for c in choices}
    unknown = [(n, chosen.get(normalise_name(n))) for n in result.unknown_bodies]
    page = render_template(
        "plans/review.html",
        plan=plan, pending_id=pending_id, header=table.header, mapping=mapping,
        fields=FIELD_LABELS, rows=numbered, kept=kept, problems=problems, warnings=warnings,
        unknown=unknown, new_body=NEW_BODY, bodies=list_bodies(get_session(), [plan.state_code]),
        errors=[*(errors or []), *_mapping_errors(mapping)], confirm=ConfirmForm(),
        summary=_summary(result, kept), shown_problems=SHOWN_PROBLEMS,
    )  # fmt: skip
    return page, status


def _summary(result: MeasureImport, kept: set[int]) -> str:
    bad = len({p.row for p in result.problems})
    words: str = _(
        "%(kept)s rows kept: %(good)s ready to save, %(bad)s with problems, %(warned)s with a "
        "warning.",
        kept=len(kept), good=len(result.drafts), bad=bad, warned=len(result.warnings),
    )  # fmt: skip
    return words
