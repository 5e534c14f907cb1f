"""Importing a source note: propose its milestones, then save the accepted ones.

`plan_import` reads and matches without writing; `apply_import` stores the note and the
accepted proposals through the same services as the seed loader (add_note, cite,
create_milestone, change_status). Both flush only; the caller commits once. Every write
an import makes asks the permission policy about the States of the record it writes
(a matched milestone's own States, not only those the reviewer typed).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker import policy
from tracker.dates import DateParseError, parse_window
from tracker.enums import MilestoneStatus
from tracker.ingest.extract import extract
from tracker.ingest.files import OriginalFile
from tracker.ingest.matching import Action, KnownMilestone, KnownPlan, MatchedProposal, match_all
from tracker.ingest.proposals import Extraction, NoteFields, Proposal
from tracker.ingest.text import NoteInputError
from tracker.messages import Worded, word
from tracker.models import (
    ActionPlan,
    Citation,
    Milestone,
    NoteFile,
    SourceNote,
    State,
    StatusChange,
    User,
)
from tracker.services.catalogue import add_note, add_plan, cite
from tracker.services.common import Conflict, NotFound, ServiceError, clean_text
from tracker.services.drafts import DRAFT_FIELDS, MilestoneDraft
from tracker.services.milestones import change_status, create_milestone

IMPORTED_BY = "import-note"
# The draft fields a proposal gives under the same name (kind and date are converted).
DRAFT_ATTRS = tuple(f.attr for f in DRAFT_FIELDS if f.attr not in ("kind", "due"))


@dataclass(frozen=True)
class ImportPlan:
    """A note ready to import: its fields, the matched proposals, and which the user may not save.

    `refusals[i]` says why proposal i would be refused ('' when it may be saved).
    """

    note: NoteFields
    proposals: tuple[MatchedProposal, ...]
    refusals: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """{"note": {...}, "proposals": [...]}, as `tracker import-note --format json` prints."""
        return {"note": self.note.to_json(), "proposals": [p.to_json() for p in self.proposals]}


@dataclass
class ImportResult:
    """What an import saved, and what it left out and why."""

    note: SourceNote
    created: list[Milestone] = field(default_factory=list)
    cited: list[Milestone] = field(default_factory=list)
    warned: list[Milestone] = field(default_factory=list)
    plans: list[ActionPlan] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> Worded:
        """One line on what was saved (`messages.words` gives it in the reader's language)."""
        return Worded(
            "import_saved",
            {
                "slug": repr(self.note.slug),
                "created": len(self.created),
                "cited": len(self.cited),
                "warned": len(self.warned),
                "plans": len(self.plans),
                "changes": len(self.status_changes),
                "skipped": len(self.skipped),
            },
        )


def plan_import(
    session: Session,
    text: str,
    name: str = "note",
    today: date | None = None,
    user: User | None = None,
) -> ImportPlan:
    """Read a note and match its proposals against the tracker; refuses a note stored already."""
    return plan_extraction(session, read_note(text, today), name, user)


def read_note(text: str, today: date | None = None) -> Extraction:
    """The note's extraction (the slow part, done once per upload); errors name the field."""
    clean_text("text", text, len(text), multiline=True)  # checked before review, kept verbatim
    try:
        return extract(text, today)
    except NoteInputError as error:
        raise ServiceError(
            error.field, error.value, "unreadable_note", reason=error.reason
        ) from None


def plan_extraction(
    session: Session, extraction: Extraction, name: str = "note", user: User | None = None
) -> ImportPlan:
    """Match an extraction against the tracker as it is now, and say what the user may save."""
    same = session.scalar(select(SourceNote).where(SourceNote.sha256 == extraction.note.sha256))
    if same is not None:
        raise Conflict("text", name, "same_note_text", slug=same.slug)
    registered = set(session.scalars(select(State.code)))
    proposals = [_registered_only(p, registered) for p in extraction.proposals]
    note = replace(
        extraction.note,
        slug=note_slug(session, name, extraction.note.sha256),
        states=tuple(c for c in extraction.note.states if c in registered),
    )
    known = known_milestones(session, {code for p in proposals for code in p.states})
    matched = match_all(proposals, known, known_plans(session))
    return ImportPlan(note, matched, refusals(session, matched, user))


def refusals(
    session: Session, proposals: Sequence[MatchedProposal], user: User | None
) -> tuple[str, ...]:
    """Per proposal, why this user may not save it ('' when they may)."""
    return tuple(_refusal(user, touched_states(session, m)) for m in proposals)


def _refusal(user: User | None, state_codes: list[str]) -> str:
    refused = policy.refusal(user, policy.Action.EDIT_MILESTONE, state_codes)
    return "" if refused is None else word(refused.code, refused.params)


def touched_states(session: Session, matched: MatchedProposal) -> list[str]:
    """The States of the record that saving the proposal writes: created, cited or re-dated."""
    proposal = matched.proposal
    if matched.action is Action.CREATE or not matched.matches:
        return sorted({*proposal.states, *([proposal.host] if proposal.host else [])})
    if proposal.is_plan:
        plan = session.get(ActionPlan, matched.matches[0])
        return [plan.state_code] if plan is not None else []
    milestone = session.get(Milestone, matched.matches[0])
    return list(milestone.state_codes) if milestone is not None else []


def _registered_only(proposal: Proposal, registered: set[str]) -> Proposal:
    unknown = [code for code in proposal.states if code not in registered]
    if not unknown:
        return proposal
    warning = f"not in the tracker, left out: {', '.join(unknown)}"
    return replace(
        proposal,
        states=tuple(c for c in proposal.states if c in registered),
        host=proposal.host if proposal.host in registered else None,
        warnings=(*proposal.warnings, warning),
    )


def note_slug(session: Session, name: str, sha256: str) -> str:
    """A slug from the file name, made unique with the digest when it is taken."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.rsplit("/", 1)[-1].removesuffix(".txt"))
    stem = stem.strip("-._")[:100] or "note"
    taken = session.scalar(select(SourceNote.id).where(SourceNote.slug == stem))
    return f"{stem}-{sha256[:8]}" if taken is not None else stem


def known_milestones(
    session: Session, states: Collection[str] | None = None
) -> list[KnownMilestone]:
    """Every milestone (or those involving one of these States), as matching needs it."""
    query = select(Milestone).options(selectinload(Milestone.states)).order_by(Milestone.id)
    if states is not None:
        query = query.where(Milestone.states.any(State.code.in_(sorted(states))))
    return [
        KnownMilestone(
            id=m.id,
            kind=m.kind,
            title=m.title,
            states=frozenset(m.state_codes),
            start=m.due_start,
            end=m.due_end,
            due_text=m.due_text,
            status=m.status,
            ref=m.ref,
            venue=m.venue,
        )
        for m in session.scalars(query)
    ]


def known_plans(session: Session) -> list[KnownPlan]:
    """Every action plan, as matching needs it."""
    return [
        KnownPlan(p.id, p.state_code, p.title, p.period_start, p.period_end, p.ref)
        for p in session.scalars(select(ActionPlan).order_by(ActionPlan.id))
    ]


# --- saving -------------------------------------------------------------------------------


def apply_import(
    session: Session,
    note: NoteFields,
    accepted: Sequence[MatchedProposal],
    *,
    user: User | None = None,
    recorded_by_label: str = IMPORTED_BY,
    today: date | None = None,
) -> ImportResult:
    """Store the note, then each accepted proposal: create, cite, or cite with its date.

    Each write is refused (Forbidden) unless `user` may change the record it touches; None
    is the operator at the command line.
    """
    stored = add_note(session, note.slug, note.title, note.kind.value, note.text, note.event)
    if note.original is not None:
        keep_original(session, stored, note.original)
    result = ImportResult(stored)
    for matched in accepted:
        missing = _missing(matched.proposal)
        if missing:
            result.skipped.append(f"{matched.proposal.title}: {missing}")
            continue
        # Asked of the record written: a matched milestone's own States, not the proposal's.
        policy.check(
            user,
            policy.Action.EDIT_MILESTONE,
            touched_states(session, matched),
            matched.proposal.title,
        )
        if matched.proposal.is_plan:
            _save_plan(session, stored, matched, result)
            continue
        milestone = _save_milestone(session, stored, matched, result)
        _record_status(session, milestone, matched, note, result, user, recorded_by_label, today)
    return result


def keep_original(session: Session, note: SourceNote, original: OriginalFile) -> NoteFile:
    """Keep the file a note was read from (PDF, Word, HTML) beside it, with its SHA-256."""
    kept = NoteFile(
        note_id=note.id,
        name=original.name,
        media_type=original.media_type,
        size=len(original.data),
        sha256=original.sha256,
        data=original.data,
    )
    session.add(kept)
    session.flush()
    return kept


def _missing(proposal: Proposal) -> str:
    if proposal.window is None:
        return "no date; give the year or date before saving"
    return "" if proposal.states else "no State registered in the tracker"


def _draft(proposal: Proposal) -> MilestoneDraft:
    """The draft a proposal makes: every draft field the proposal has (its date as written)."""
    given = {name: getattr(proposal, name) for name in DRAFT_ATTRS if hasattr(proposal, name)}
    return MilestoneDraft(**given, kind=proposal.kind.value, due=proposal.due_text)


def _save_milestone(
    session: Session, note: SourceNote, matched: MatchedProposal, result: ImportResult
) -> Milestone:
    proposal = matched.proposal
    if matched.action is Action.CREATE:
        milestone = create_milestone(session, _draft(proposal))
        result.created.append(milestone)
    else:
        milestone = _target(session, Milestone, matched)
        (result.warned if matched.action is Action.WARN else result.cited).append(milestone)
    date_text = _absolute(proposal.due_text) if matched.action is Action.WARN else ""
    for quote in (proposal.quote, *proposal.other_quotes):
        cite(session, note, quote, milestone=milestone, date_text=date_text)
    return milestone


Target = TypeVar("Target", Milestone, ActionPlan)


def _target(session: Session, model: type[Target], matched: MatchedProposal) -> Target:
    if not matched.matches:
        raise ServiceError("matches", "", "needs_match", action=matched.action.value)
    found = session.get(model, matched.matches[0])
    if found is None:
        raise NotFound("milestone", matched.matches[0], "no_record_to_cite")
    return found


def _absolute(due_text: str) -> str:
    """The date to store beside a citation, if it reads without the note's own date."""
    try:
        parse_window(due_text)
    except DateParseError:
        return ""
    return due_text


def _record_status(
    session: Session,
    milestone: Milestone,
    matched: MatchedProposal,
    note: NoteFields,
    result: ImportResult,
    user: User | None,
    recorded_by_label: str,
    today: date | None,
) -> None:
    """Record what the note reports (held, under way), unless the history already says more."""
    proposal, window = matched.proposal, matched.proposal.window
    status = proposal.reported_status
    if matched.action is Action.WARN or status is MilestoneStatus.PLANNED or window is None:
        return
    on = window.end if status is MilestoneStatus.DONE else (note.reference or window.end)
    last = milestone.history[-1].effective_on if milestone.history else None
    if milestone.status == status or not milestone.status.is_open or (last and on < last):
        return
    policy.check(user, policy.Action.EDIT_MILESTONE, milestone, proposal.title)
    citation = _citation(milestone, proposal.quote)
    comment = f"Reported by note {note.slug} ({proposal.due_text})."
    result.status_changes.append(
        change_status(
            session,
            milestone,
            status.value,
            on,
            comment=comment,
            recorded_by=user,
            recorded_by_label=recorded_by_label,
            citation=citation,
            today=today,
        )
    )


def _citation(milestone: Milestone, quote: str) -> Citation | None:
    return next((c for c in reversed(milestone.citations) if c.quote == quote), None)


def _save_plan(
    session: Session, note: SourceNote, matched: MatchedProposal, result: ImportResult
) -> None:
    proposal, window = matched.proposal, matched.proposal.window
    assert window is not None
    if matched.action is Action.CREATE:
        if len(proposal.states) != 1:
            result.skipped.append(f"{proposal.title}: a plan belongs to exactly one State")
            return
        period = f"{window.start.year}-{window.end.year}"
        status = "drafting" if proposal.reported_status is MilestoneStatus.PLANNED else "approved"
        plan = add_plan(session, proposal.states[0], f"{proposal.title} {period}", status, period)
    else:
        plan = _target(session, ActionPlan, matched)
    cite(session, note, proposal.quote, plan=plan)
    result.plans.append(plan)
