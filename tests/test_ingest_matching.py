"""Matching proposals to known milestones: cite, warn on a conflicting date, or create."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tracker.dates import parse_window
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.ingest import Action, KnownMilestone, KnownPlan, Proposal
from tracker.ingest.matching import match_proposal
from tracker.ingest.proposals import FactRole

D = date.fromisoformat


def proposal(kind: MilestoneKind, due: str, states: tuple[str, ...] = ("TJK",)) -> Proposal:
    return Proposal(
        role=FactRole.EARLIER_EVENT,
        kind=kind,
        title="t",
        due_text=due,
        window=parse_window(due),
        quote="q",
        confidence=0.8,
        reported_status=MilestoneStatus.DONE,
        states=states,
    )


def known(
    kind: MilestoneKind, start: str, end: str, states: frozenset[str] = frozenset({"TJK"})
) -> KnownMilestone:
    return KnownMilestone(
        7, kind, "known", states, D(start), D(end), "as seeded", MilestoneStatus.PLANNED, "ref"
    )


def test_same_event_given_less_precisely_is_cited() -> None:
    seeded = [known(MilestoneKind.ROUND_TABLE, "2016-12-20", "2016-12-21")]
    matched = match_proposal(proposal(MilestoneKind.ROUND_TABLE, "December 2016"), seeded)
    assert matched.action is Action.CITE and matched.matches == (7,)


def test_a_round_table_may_cite_a_meeting_of_another_meeting_kind() -> None:
    seeded = [known(MilestoneKind.REVIEW_MEETING, "2016-12-20", "2016-12-21")]
    matched = match_proposal(proposal(MilestoneKind.ROUND_TABLE, "20-21 December 2016"), seeded)
    assert matched.action is Action.CITE


def test_conflicting_date_of_the_same_event_warns() -> None:
    seeded = [known(MilestoneKind.REVIEW_MEETING, "2015-10-08", "2015-10-09")]
    matched = match_proposal(proposal(MilestoneKind.REVIEW_MEETING, "12-13 October 2015"), seeded)
    assert matched.action is Action.WARN and "disagree" in matched.reason


def test_other_state_kind_or_distant_date_creates() -> None:
    seeded = [known(MilestoneKind.REVIEW_MEETING, "2015-10-08", "2015-10-09")]
    for other in (
        proposal(MilestoneKind.REVIEW_MEETING, "8-9 October 2015", ("UZB",)),
        proposal(MilestoneKind.NATIONAL_REPORT, "October 2015"),
        proposal(MilestoneKind.REVIEW_MEETING, "May 2017"),
    ):
        assert match_proposal(other, seeded).action is Action.CREATE


def test_plan_period_cites_the_plan_with_that_period() -> None:
    period = Proposal(
        role=FactRole.PLAN_PERIOD,
        kind=MilestoneKind.OTHER,
        title="National Action Plan period",
        due_text="2017-2021",
        window=parse_window("2017-2021"),
        quote="q",
        confidence=0.6,
        reported_status=MilestoneStatus.PLANNED,
        states=("UZB",),
    )
    plans = [KnownPlan(3, "UZB", "Updated NAP", 2017, 2021, "uzb-nap-2017-2021")]
    assert match_proposal(period, [], plans).matches == (3,)
    assert match_proposal(period, [], []).action is Action.CREATE


def many(index: int, kind: MilestoneKind, state: str) -> KnownMilestone:
    start = D("2016-01-01") + timedelta(days=index % 700)
    return KnownMilestone(
        index,
        kind,
        "known",
        frozenset({state}),
        start,
        start + timedelta(days=1),
        "as seeded",
        MilestoneStatus.PLANNED,
    )


def test_a_proposal_is_compared_only_with_milestones_sharing_a_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long note against a large tracker took 30 s: each fact was compared with everything."""
    from tracker.ingest import matching

    kinds = list(MilestoneKind)
    milestones = [
        many(i, kinds[i % len(kinds)], ("TJK", "UZB", "KGZ", "X01")[i % 4]) for i in range(2000)
    ]
    proposals = [
        proposal(kinds[i % len(kinds)], due, states)
        for i, (due, states) in enumerate(
            [("March 2016", ("TJK",)), ("2017", ("UZB", "KGZ")), ("5 May 2017", ("BLR",))] * 5
        )
    ]
    # The same decisions as comparing each proposal with every milestone ...
    expected = tuple(match_proposal(p, milestones) for p in proposals)
    compared = []
    real = matching._compatible

    def counting(p: Proposal, m: KnownMilestone) -> bool:
        compared.append(m.states)
        return real(p, m)

    monkeypatch.setattr(matching, "_compatible", counting)
    assert matching.match_all(proposals, milestones) == expected
    # ... having looked only at the milestones of the proposals' own States.
    assert len(compared) == 5 * (500 + 1000 + 0)
