"""Match proposals against the milestones and plans already known, given as plain data (pure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.ingest.extract import MEETING_KINDS
from tracker.ingest.proposals import Proposal
from tracker.messages import Worded

CONFLICT_GAP_DAYS = 31


class Action(StrEnum):
    """What saving a proposal does."""

    CREATE = "create"
    CITE = "cite"
    WARN = "warn"


@dataclass(frozen=True)
class KnownMilestone:
    """A milestone already in the tracker, as matching needs it."""

    id: int
    kind: MilestoneKind
    title: str
    states: frozenset[str]
    start: date
    end: date
    due_text: str
    status: MilestoneStatus
    ref: str | None = None
    venue: str = ""


@dataclass(frozen=True)
class KnownPlan:
    """An action plan already in the tracker, as matching needs it."""

    id: int
    state: str
    title: str
    period_start: int | None
    period_end: int | None
    ref: str | None = None


@dataclass(frozen=True)
class MatchedProposal:
    """A proposal with what saving it would do, and the records it would touch."""

    proposal: Proposal
    action: Action
    matches: tuple[int, ...] = ()
    match_refs: tuple[str, ...] = ()
    reason: str = ""  # a Worded (English as a str, for the JSON), worded by the edges

    def to_json(self) -> dict[str, Any]:
        """The proposal as the import-note JSON shows it."""
        return {
            "action": self.action.value,
            **self.proposal.to_json(),
            "matches": list(self.matches),
            "match_refs": list(self.match_refs),
            "reason": self.reason,
        }


def match_all(
    proposals: Sequence[Proposal],
    milestones: Sequence[KnownMilestone],
    plans: Sequence[KnownPlan] = (),
) -> tuple[MatchedProposal, ...]:
    """Decide create, cite or warn for every proposal."""
    # Only milestones sharing a State can match, so each proposal is compared with those
    # (in their given order), not with every milestone: a long note against a large
    # tracker took 30 s.
    by_state: dict[str, list[int]] = defaultdict(list)
    for index, milestone in enumerate(milestones):
        for code in milestone.states:
            by_state[code].append(index)

    def sharing(proposal: Proposal) -> list[KnownMilestone]:
        found = {i for code in proposal.states for i in by_state.get(code, ())}
        return [milestones[i] for i in sorted(found)]

    return tuple(match_proposal(p, sharing(p), plans) for p in proposals)


def match_proposal(
    proposal: Proposal, milestones: Sequence[KnownMilestone], plans: Sequence[KnownPlan] = ()
) -> MatchedProposal:
    """Cite a known milestone with a compatible window, warn on a conflicting one, else create."""
    if proposal.is_plan:
        return _match_plan(proposal, plans)
    window = proposal.window
    if window is None:
        return MatchedProposal(proposal, Action.CREATE, reason=Worded("match_no_date", {}))
    related = [m for m in milestones if _compatible(proposal, m)]
    agreeing = sorted(
        (m for m in related if _nested(window.start, window.end, m)),
        key=lambda m: _closeness(proposal, m),
    )
    if agreeing:
        return _found(proposal, Action.CITE, agreeing, "match_agrees")
    conflicting = [m for m in related if m.kind is proposal.kind and _near(proposal, m)]
    if conflicting:
        return _found(proposal, Action.WARN, conflicting, "match_disagrees")
    return MatchedProposal(proposal, Action.CREATE, reason=Worded("match_none", {}))


def _found(
    proposal: Proposal, action: Action, found: list[KnownMilestone], code: str
) -> MatchedProposal:
    first = found[0]
    reason = Worded(code, {"id": first.id, "title": first.title, "due": first.due_text})
    refs = tuple(m.ref or "" for m in found)
    return MatchedProposal(proposal, action, tuple(m.id for m in found), refs, reason)


def _compatible(proposal: Proposal, known: KnownMilestone) -> bool:
    """Shares a State, and the kinds agree (any two meetings are comparable)."""
    if not known.states.intersection(proposal.states):
        return False
    if not _same_place(proposal.venue, known.venue):
        return False
    kinds = {proposal.kind, known.kind}
    # OTHER is never matched: a fact of unknown kind is better created and reviewed.
    return len(kinds) == 1 or kinds <= MEETING_KINDS


def _same_place(first: str, second: str) -> bool:
    """Venues agree when either is unknown or they share a city or country."""
    if not first or not second:
        return True
    places = {part.strip().lower() for part in first.split(",")}
    return bool(places.intersection(part.strip().lower() for part in second.split(",")))


def _nested(start: date, end: date, known: KnownMilestone) -> bool:
    """One window lies within the other: the same date, given more or less precisely."""
    inside = known.start <= start and end <= known.end
    return inside or (start <= known.start and known.end <= end)


def _closeness(proposal: Proposal, known: KnownMilestone) -> tuple[int, int]:
    assert proposal.window is not None
    span = (proposal.window.end - proposal.window.start).days
    return (0 if known.kind is proposal.kind else 1, abs((known.end - known.start).days - span))


def _near(proposal: Proposal, known: KnownMilestone) -> bool:
    """Overlapping or within a month: the same event with another date."""
    assert proposal.window is not None
    gap = max((known.start - proposal.window.end).days, (proposal.window.start - known.end).days)
    return gap <= CONFLICT_GAP_DAYS


def _match_plan(proposal: Proposal, plans: Sequence[KnownPlan]) -> MatchedProposal:
    window = proposal.window
    if window is None:
        return MatchedProposal(proposal, Action.CREATE, reason=Worded("match_no_period", {}))
    period = (window.start.year, window.end.year)
    same = [
        p for p in plans if p.state in proposal.states and (p.period_start, p.period_end) == period
    ]
    if not same:
        return MatchedProposal(proposal, Action.CREATE, reason=Worded("match_no_plan", {}))
    reason = Worded("match_plan_period", {"id": same[0].id, "title": same[0].title})
    return MatchedProposal(
        proposal, Action.CITE, tuple(p.id for p in same), tuple(p.ref or "" for p in same), reason
    )
