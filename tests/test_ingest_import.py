"""Importing notes into the tracker: matching the seed, saving, refusing duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_state
from tests.querycount import count_statements
from tracker import services
from tracker.enums import MilestoneStatus
from tracker.ingest import Action, extract, match_all
from tracker.models import ActionPlan, Citation, Milestone
from tracker.reports import milestone_warnings
from tracker.seeding import SEEDS_DIR
from tracker.services.imports import apply_import, known_milestones, known_plans, plan_import

NOTES = sorted((SEEDS_DIR / "notes").glob("*.txt"))
EXTRA = Path(__file__).parent / "data" / "ingest" / "notes"

SEEDED_FACTS = {
    "000": {"tjk-round-table-2012", "tjk-training-workshop-2012"},
    "001": {
        "tjk-wg-meeting-2015-07",
        "tjk-nap-drafting",
        "tjk-approval-deadline-2015",
        "tjk-wg-session-vienna-2015-10",
    },
    "002": {
        "tjk-report-writing-workshop-2016",
        "tjk-first-national-report-2004",
        "tjk-additional-information-2004",
    },
    "003": {
        "uzb-nap-review-2017",
        "uzb-nap-adoption-2014",
        "uzb-round-table-2016",
        "uzb-nap-2017-2021",
    },
    "004": {"peer-review-2017-dushanbe", "peer-review-2016-minsk", "peer-review-2018-kyrgyzstan"},
}


def count(session: Session, model: type[object]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def by_ref(session: Session, ref: str) -> Milestone:
    milestone = session.scalar(select(Milestone).where(Milestone.ref == ref))
    assert milestone is not None
    return milestone


@pytest.mark.parametrize("path", NOTES, ids=lambda p: p.name[:3])
def test_sample_notes_against_the_seed_cite_instead_of_duplicating(
    seeded: Session, path: Path
) -> None:
    extraction = extract(path.read_text(encoding="utf-8"))
    matched = match_all(extraction.proposals, known_milestones(seeded), known_plans(seeded))
    ready = [m for m in matched if m.proposal.ready]
    assert all(m.action is Action.CITE for m in ready), [m.reason for m in ready]
    assert {m.match_refs[0] for m in ready} == SEEDED_FACTS[path.name[:3]]


def test_the_same_text_twice_is_refused_naming_the_stored_note(seeded: Session) -> None:
    with pytest.raises(services.Conflict, match="already stored as note '004_c6f030fca42afd93'"):
        plan_import(seeded, NOTES[4].read_text(encoding="utf-8"), "copy.txt")


def test_importing_the_five_samples_into_an_empty_tracker(session: Session) -> None:
    for code in ("TJK", "UZB", "KGZ", "BLR"):
        make_state(session, code)
    skipped = []
    for path in NOTES:
        plan = plan_import(session, path.read_text(encoding="utf-8"), path.name)
        skipped += apply_import(session, plan.note, plan.proposals).skipped
    session.commit()
    assert count(session, Milestone) == 15 and count(session, ActionPlan) == 1
    assert skipped == ["Training session: no date; give the year or date before saving"]
    for citation in session.scalars(select(Citation)):
        assert citation.quote in citation.note.text
    round_table = session.scalar(
        select(Milestone).where(Milestone.due_text == "23-24 October 2012")
    )
    assert round_table is not None and round_table.status is MilestoneStatus.DONE
    assert round_table.history[0].effective_on == date(2012, 10, 24)
    deadline = session.scalar(select(Milestone).where(Milestone.due_text == "31 December 2015"))
    assert deadline is not None and deadline.status is MilestoneStatus.PLANNED
    report = session.scalar(select(Milestone).where(Milestone.due_text == "January 2004"))
    assert (
        report is not None and "before resolution 1540 was adopted" in milestone_warnings(report)[0]
    )


def test_new_note_reports_the_2018_peer_review_held_and_adds_the_new_facts(seeded: Session) -> None:
    before = count(seeded, Milestone)
    text = (EXTRA / "007_cholpon_ata_peer_review.txt").read_text(encoding="utf-8")
    plan = plan_import(seeded, text, "007_cholpon_ata_peer_review.txt")
    actions = [(m.action, m.match_refs[:1]) for m in plan.proposals]
    assert actions[:2] == [
        (Action.CITE, ("peer-review-2018-kyrgyzstan",)),
        (Action.CITE, ("peer-review-2017-dushanbe",)),
    ]
    assert any(
        "not in the tracker, left out: KAZ" in w for w in plan.proposals[0].proposal.warnings
    )
    result = apply_import(seeded, plan.note, plan.proposals)
    seeded.commit()
    assert count(seeded, Milestone) == before + 2 and len(result.created) == 2
    peer_review = by_ref(seeded, "peer-review-2018-kyrgyzstan")
    assert peer_review.status is MilestoneStatus.DONE
    assert peer_review.history[-1].effective_on == date(2018, 9, 11)
    assert peer_review.history[-1].citation.note.slug == "007_cholpon_ata_peer_review"  # type: ignore[union-attr]
    assert len(by_ref(seeded, "peer-review-2017-dushanbe").history) == 1  # already done


def test_a_conflicting_date_is_cited_with_its_date_and_shows_as_a_warning(seeded: Session) -> None:
    text = (
        "Information Note\n\nEvent: Working group meeting of Tajikistan\n"
        "Date and venue: 20 October 2015, Dushanbe, Tajikistan\n\n"
        "The OSCE plans to hold the next session with Tajikistan in Vienna on 12-13 October 2015.\n"
    )
    plan = plan_import(seeded, text, "late-note.txt", today=date(2015, 10, 20))
    warn = next(m for m in plan.proposals if m.action is Action.WARN)
    assert warn.match_refs[0] == "tjk-wg-session-vienna-2015-10"
    apply_import(seeded, plan.note, [warn], today=date(2015, 10, 20))
    seeded.commit()
    session_milestone = by_ref(seeded, "tjk-wg-session-vienna-2015-10")
    assert session_milestone.due_text == "8-9 October 2015"  # the record is not changed
    assert session_milestone.citations[-1].date_text == "12-13 October 2015"
    assert any("'12-13 October 2015'" in w for w in milestone_warnings(session_milestone))


def test_matching_reads_known_milestones_in_two_statements_whatever_their_number(
    app: Flask, seeded: Session
) -> None:
    def statements() -> int:
        seeded.expire_all()
        with count_statements(app.extensions["tracker.engine"]) as sent:
            known = known_milestones(seeded)
        assert all(m.states for m in known)
        return len(sent)

    few = statements()
    for n in range(30):
        make_milestone(seeded, title=f"Workshop {n}", due="2016", states=["TJK", "KGZ"])
    seeded.commit()
    assert statements() == few == 2
