"""Write endpoints: create and edit milestones, record status changes, add citations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker import reports, services
from tracker.api import bp
from tracker.api.access import allow, editor
from tracker.api.errors import ApiError, service_error
from tracker.api.inputs import Body, json_body
from tracker.api.reading import load_milestone
from tracker.api.serializers import citation_json, milestone_json, with_etag
from tracker.db import get_session
from tracker.models import Citation, Milestone
from tracker.policy import Action
from tracker.services.drafts import DRAFT_FIELDS, DraftField, Shape
from tracker.services.milestones import involved_states

FIELD_NAMES = {"state": "states", "version": None, "recorded_by": None, "due_reference": "due"}


@contextmanager
def _writing(milestone_id: int | None = None, version: int = 0) -> Iterator[Session]:
    """The request's one transaction: commit once at the end; a refused change rolls back and
    answers in the API's error shape."""
    session = get_session()
    try:
        yield session
        session.commit()
    except services.ServiceError as error:
        session.rollback()
        if milestone_id is not None and _moved(session, milestone_id, version):
            raise _meanwhile(milestone_id) from None
        raise service_error(error) from None
    except IntegrityError:
        session.rollback()
        raise ApiError(
            409, _("someone else saved a conflicting change; reload and retry")
        ) from None
    except BaseException:
        session.rollback()
        raise


def _moved(session: Session, milestone_id: int, version: int) -> bool:
    # The rules were checked against what this request read; if another writer committed
    # meanwhile (its history may be newer than the version read), the refusal may be stale.
    return services.milestone_version(session, milestone_id) != version


def _meanwhile(milestone_id: int) -> ApiError:
    return ApiError(
        409,
        _(
            "milestone %(milestone_id)s was changed by someone else meanwhile; retry",
            milestone_id=milestone_id,
        ),
    )


def _expected_version(milestone: Milestone) -> int:
    if not request.headers.get("If-Match", "").strip():
        raise ApiError(
            428,
            f'send If-Match with the ETag a GET of the milestone gave, e.g. "{milestone.version}"',
        )
    tags = request.if_match
    if tags.star_tag:
        raise ApiError(428, _("If-Match: * is not accepted; send the milestone's ETag"))
    if not tags.contains(str(milestone.version)):
        raise ApiError(
            412,
            f"milestone {milestone.id} has changed since you read it (or the ETag is not "
            f'a strong one of this milestone); it is now "{milestone.version}": read it again',
        )
    return milestone.version


def _saved(session: Session, milestone_id: int, status: int = 200) -> Response:
    """The milestone as saved, with its new ETag."""
    milestone = load_milestone(session, milestone_id)
    body = milestone_json(milestone, date.today(), reports.DEFAULT_WITHIN_DAYS)
    return with_etag(body, milestone, status)


# What a JSON body may name: the draft's fields by their outside names (a plan by "plan").
DRAFT_NAMES = {f.name for f in DRAFT_FIELDS if f.name != "ref"}


def _read(body: Body, spec: DraftField, required: bool) -> Any:
    """A draft field from the body, as its shape says (required ones have no default)."""
    if spec.shape is Shape.CODES:
        return body.codes(spec.name)
    if spec.shape is Shape.DATE:
        return body.day(spec.name)
    if spec.shape is Shape.OPTIONAL:
        return body.optional(spec.name, spec.api_limit)
    return body.text(spec.name, None if required else "", spec.api_limit)


@bp.post("/milestones")
def create_milestone() -> Response:
    """Create a planned milestone."""
    user = editor()
    body = Body(json_body(), DRAFT_NAMES | {"ref"})
    values = {f.attr: _read(body, f, f.required or f.shape is Shape.CODES) for f in DRAFT_FIELDS}
    draft = services.MilestoneDraft(**values)
    allow(user, Action.EDIT_MILESTONE, involved_states(draft))
    with _writing() as session:
        created = services.create_milestone(
            session, draft, recorded_by=user, recorded_by_label="api"
        )
    response = _saved(session, created.id, 201)
    response.headers["Location"] = url_for(".get_milestone", milestone_id=created.id)
    return response


@bp.patch("/milestones/<int:milestone_id>")
def edit_milestone(milestone_id: int) -> Response:
    """Change some fields of a milestone; needs If-Match with its ETag."""
    user, session = editor(), get_session()
    milestone = _to_change(session, milestone_id)
    allow(user, Action.EDIT_MILESTONE, milestone)
    version = _expected_version(milestone)
    body = Body(json_body(), DRAFT_NAMES)
    if not body.data:
        raise ApiError(422, _("the body names no field to change"))
    with _writing(milestone_id, version):
        draft = _patched_draft(body, milestone)
        allow(user, Action.EDIT_MILESTONE, involved_states(draft))
        services.edit_milestone(
            session, milestone, draft, version, recorded_by=user, recorded_by_label="api"
        )
    return _saved(session, milestone_id)


def _patched_draft(body: Body, milestone: Milestone) -> services.MilestoneDraft:
    draft = services.milestone_draft(milestone)
    if body.has("due") or body.has("due_reference"):
        # A new date reads against the reference sent with it, or none.
        draft.due = body.text("due", draft.due)
        draft.due_reference = body.day("due_reference")
    for spec in DRAFT_FIELDS:
        if spec.attr not in ("due", "due_reference") and body.has(spec.name):
            setattr(draft, spec.attr, _read(body, spec, required=False))
    return draft


@bp.post("/milestones/<int:milestone_id>/status-changes")
def change_status(milestone_id: int) -> Response:
    """Record a new status in the milestone's history; needs If-Match with its ETag."""
    user, session = editor(Action.RECORD_PROGRESS), get_session()
    milestone = _to_change(session, milestone_id)
    allow(user, Action.RECORD_PROGRESS, milestone)
    version = _expected_version(milestone)
    body = Body(json_body(), {"status", "on", "comment", "citation"})
    status, on = body.text("status", None, 40), body.required_day("on")
    comment, citation_id = body.text("comment"), body.ident("citation")
    with _writing(milestone_id, version):
        citation = _citation(session, citation_id)
        services.change_status(
            session, milestone, status, on, comment=comment, recorded_by=user,
            recorded_by_label="api", citation=citation, expected_version=version,
        )  # fmt: skip
    response = _saved(session, milestone_id, 201)
    response.headers["Content-Location"] = url_for(".get_milestone", milestone_id=milestone_id)
    return response


def _citation(session: Session, citation_id: int | None) -> Citation | None:
    if citation_id is None:
        return None
    try:
        return services.get_citation(session, citation_id)
    except services.NotFound:
        raise ApiError(
            422,
            _("citation %(citation_id)s: no such citation", citation_id=citation_id),
            "citation",
        ) from None


def _to_change(session: Session, milestone_id: int) -> Milestone:
    """The milestone and what a change reads (not its whole JSON), or a 404."""
    try:
        return services.milestone_to_change(session, milestone_id)
    except services.NotFound:
        raise ApiError(404, _("no milestone %(milestone_id)s", milestone_id=milestone_id)) from None


@bp.post("/milestones/<int:milestone_id>/citations")
def add_citation(milestone_id: int) -> Response:
    """Cite a verbatim quote of a note for the milestone (the same quote twice is one citation)."""
    user, session = editor(), get_session()
    milestone = _to_change(session, milestone_id)
    allow(user, Action.EDIT_MILESTONE, milestone)
    body = Body(json_body(), {"note", "quote", "date_text"})
    slug, quote = body.text("note", None, 200), body.text("quote", None)
    date_text = body.text("date_text", "", 200)
    known = {c.id for c in milestone.citations}
    with _writing():
        note = services.get_note(session, slug)
        citation = services.cite(session, note, quote, milestone=milestone, date_text=date_text)
    response = jsonify(citation_json(citation))
    response.status_code = 200 if citation.id in known else 201
    return response
