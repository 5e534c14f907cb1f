"""Bulk status updates: one status change recorded for several milestones, all or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.messages import word
from tracker.models import Milestone, StatusChange, User
from tracker.policy import Action, Forbidden, refusal
from tracker.services.catalogue import cite, get_note
from tracker.services.common import NotFound, ServiceError
from tracker.services.milestones import change_status

MAX_BULK = 500


@dataclass(frozen=True)
class BulkStatus:
    """The change: which milestones, the new status, when, a comment and a source."""

    milestone_ids: Sequence[int]
    status: str
    effective_on: date
    comment: str = ""
    note_slug: str = ""
    quote: str = ""


def bulk_change_status(
    session: Session, user: User | None, change: BulkStatus, *, recorded_by_label: str = ""
) -> list[StatusChange]:
    """Give each milestone its own history row, or raise before the caller commits anything.

    Every milestone is first checked against the same permission policy as one by one
    (`policy.refusal`); then each change is made with `change_status`, so its
    transition and date rules hold too. On any error the caller rolls the whole lot back.
    """
    ids = list(dict.fromkeys(change.milestone_ids))
    if not ids:
        raise ServiceError("milestones", "", "bulk_none_selected")
    if len(ids) > MAX_BULK:
        raise ServiceError("milestones", len(ids), "bulk_too_many", most=MAX_BULK)
    # Their bodies too: a focal point may change only their own bodies' measures.
    stmt = select(Milestone).where(Milestone.id.in_(ids)).options(selectinload(Milestone.bodies))
    found = session.scalars(stmt).all()
    milestones = {m.id: m for m in found}
    for milestone_id in ids:
        if milestone_id not in milestones:
            raise NotFound("milestones", milestone_id, "unknown_milestone")
    refusals = [
        f"#{m.id} ({word(refused.code, refused.params)})"
        for m in (milestones[i] for i in ids)
        if (refused := refusal(user, Action.RECORD_PROGRESS, m))
    ]
    if refusals:
        ids_text = " ".join(map(str, ids))
        raise Forbidden("milestones", ids_text, "bulk_refused", refusals="; ".join(refusals))
    if change.quote.strip() and not change.note_slug:
        raise ServiceError("note", "", "quote_without_note")
    note = get_note(session, change.note_slug) if change.note_slug else None
    changes = []
    for milestone_id in ids:
        milestone = milestones[milestone_id]
        try:
            citation = (
                cite(session, note, change.quote, milestone=milestone)
                if note is not None and change.quote.strip()
                else None
            )
            changes.append(
                change_status(
                    session,
                    milestone,
                    change.status,
                    change.effective_on,
                    comment=change.comment,
                    recorded_by=user,
                    recorded_by_label=recorded_by_label,
                    citation=citation,
                )
            )
        except ServiceError as error:
            code = "bulk_milestone_refused"
            raise type(error)(
                error.field,
                error.value,
                code,
                id=milestone.id,
                title=milestone.title,
                reason=word(error.code, error.params),
            ) from None
    return changes
