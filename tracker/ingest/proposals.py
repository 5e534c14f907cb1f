"""What the importer proposes: the note's own fields and one proposal per dated fact (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from tracker.dates import DueWindow
from tracker.enums import MilestoneKind, MilestoneStatus, NoteKind
from tracker.ingest.files import OriginalFile


class FactRole(StrEnum):
    """What a dated fact is to the note that states it."""

    MAIN_EVENT = "main event"
    EARLIER_EVENT = "earlier event"
    FOLLOW_UP = "planned follow-up"
    DEADLINE = "deadline"
    REPORT = "report"
    PROCESS = "process"
    PLAN_ADOPTION = "plan adoption"
    PLAN_PERIOD = "plan period"
    OTHER = "other dated fact"


@dataclass(frozen=True)
class Proposal:
    """A milestone (or plan period) that a note supports, with the words it came from."""

    role: FactRole
    kind: MilestoneKind
    title: str
    due_text: str
    window: DueWindow | None
    quote: str
    confidence: float
    reported_status: MilestoneStatus
    states: tuple[str, ...] = ()
    host: str | None = None
    venue: str = ""
    organisers: str = ""
    participants: str = ""
    due_reference: date | None = None
    warnings: tuple[str, ...] = ()
    other_quotes: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        """Whether it can be saved as it is: it has a date window and a State."""
        return self.window is not None and bool(self.states)

    @property
    def is_plan(self) -> bool:
        """A plan period becomes (or cites) an action plan, not a milestone."""
        return self.role is FactRole.PLAN_PERIOD

    def milestone_json(self) -> dict[str, Any]:
        """The milestone (or plan) this proposal would create, as JSON."""
        window = self.window
        return {
            "kind": self.kind.value,
            "title": self.title,
            "due": self.due_text,
            "due_start": window.start.isoformat() if window else None,
            "due_end": window.end.isoformat() if window else None,
            "precision": window.precision.value if window else None,
            "due_reference": self.due_reference.isoformat() if self.due_reference else None,
            "states": list(self.states),
            "host": self.host,
            "venue": self.venue,
            "organisers": self.organisers,
            "status": self.reported_status.value,
        }

    def to_json(self) -> dict[str, Any]:
        """Everything a review page needs, as JSON."""
        return {
            "role": self.role.value,
            "subject": "plan" if self.is_plan else "milestone",
            "milestone": self.milestone_json(),
            "quote": self.quote,
            "other_quotes": list(self.other_quotes),
            "confidence": round(self.confidence, 2),
            "warnings": list(self.warnings),
            "participants": self.participants,
        }


@dataclass(frozen=True)
class NoteFields:
    """The note itself as it will be stored: title, kind, event, States, and its text."""

    title: str
    kind: NoteKind
    event: str
    states: tuple[str, ...]
    text: str = field(repr=False)
    sha256: str
    reference: date | None = None
    published: date | None = None
    slug: str = ""
    mentioned_states: tuple[str, ...] = ()
    language: str = ""
    warnings: tuple[str, ...] = ()
    original: OriginalFile | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The note's fields as JSON (without its text)."""
        return {
            "slug": self.slug,
            "title": self.title,
            "kind": self.kind.value,
            "event": self.event,
            "states": list(self.states),
            "mentioned_states": list(self.mentioned_states),
            "reference": self.reference.isoformat() if self.reference else None,
            "published": self.published.isoformat() if self.published else None,
            "sha256": self.sha256,
            "characters": len(self.text),
            "language": self.language,
            "warnings": list(self.warnings),
            "original": self.original.to_json() if self.original else None,
        }


@dataclass(frozen=True)
class Extraction:
    """A note's fields and the proposals drawn from it."""

    note: NoteFields
    proposals: tuple[Proposal, ...]

    def to_json(self) -> dict[str, Any]:
        """The extraction as JSON."""
        return {"note": self.note.to_json(), "proposals": [p.to_json() for p in self.proposals]}
