"""The seed: every fact of DOMAIN.md, with provenance, loaded idempotently."""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import reports
from tracker.api.serializers import item_json
from tracker.models import ActionPlan, Citation, Milestone, SourceNote, State, StatusChange
from tracker.seeding import SEEDS_DIR, SeedError, load_seed_file, seed

SHARED_NOTES = Path(__file__).resolve().parents[2] / "shared" / "seed-notes"


def counts(session: Session) -> dict[str, int]:
    models = [State, SourceNote, ActionPlan, Milestone, Citation, StatusChange]
    return {m.__name__: session.scalar(select(func.count()).select_from(m)) or 0 for m in models}


def by_ref(session: Session, ref: str) -> Milestone:
    milestone = session.scalar(select(Milestone).where(Milestone.ref == ref))
    assert milestone is not None, ref
    return milestone


def test_seed_loads_the_three_states_history(seeded: Session) -> None:
    loaded = counts(seeded)
    assert loaded["State"] == 4 and loaded["SourceNote"] == 5 and loaded["ActionPlan"] == 4
    assert loaded["Milestone"] >= 16


def test_every_citation_is_verbatim_and_every_fact_is_cited(seeded: Session) -> None:
    for citation in seeded.scalars(select(Citation)):
        assert citation.quote in citation.note.text
    for milestone in seeded.scalars(select(Milestone)):
        assert milestone.citations, f"{milestone.ref} has no source"
        for change in milestone.history:
            assert change.citation is not None and change.citation.milestone is milestone
    for plan in seeded.scalars(select(ActionPlan)):
        assert plan.citations, f"{plan.ref} has no source"


def test_notes_are_stored_as_given_with_their_digest(seeded: Session) -> None:
    for note in seeded.scalars(select(SourceNote)):
        on_disk = (SEEDS_DIR / "notes" / f"{note.slug}.txt").read_bytes()
        assert note.text.encode("utf-8") == on_disk
        assert note.sha256 == hashlib.sha256(on_disk).hexdigest()


@pytest.mark.skipif(
    not SHARED_NOTES.is_dir(), reason="../shared/seed-notes is not beside this checkout"
)
def test_seed_notes_are_the_shared_source_documents() -> None:
    shared_notes = sorted(SHARED_NOTES.glob("*.txt"))
    assert len(shared_notes) == len(list((SEEDS_DIR / "notes").glob("*.txt"))) > 0
    for shared in shared_notes:
        assert (SEEDS_DIR / "notes" / shared.name).read_bytes() == shared.read_bytes()


def test_seeding_twice_changes_nothing_and_says_so(seeded: Session) -> None:
    before = counts(seeded)
    again = seed(seeded, load_seed_file())
    seeded.commit()
    assert not again.changed_anything
    assert again.summary().startswith("Nothing to do")
    assert counts(seeded) == before


def test_a_quote_that_is_not_verbatim_is_refused_naming_milestone_and_note(
    session: Session,
) -> None:
    data = copy.deepcopy(load_seed_file())
    target = next(m for m in data["milestones"] if m["ref"] == "tjk-approval-deadline-2015")
    target["citations"][0]["quote"] = "requested approval deadline of 31 December 2015"
    with pytest.raises(SeedError) as raised:
        seed(session, data)
    session.rollback()
    message = str(raised.value)
    assert "tjk-approval-deadline-2015" in message and "001_4e211aa1da0f2196" in message
    assert "not verbatim" in message
    assert counts(session)["Milestone"] == 0


def test_tajik_approval_deadline_is_overdue_as_of_1_march_2016(seeded: Session) -> None:
    report = reports.build_report(seeded, date(2016, 3, 1), 90, ["TJK"])
    overdue = {item.ref: item_json(item) for item in report.overdue}
    deadline = overdue["tjk-approval-deadline-2015"]
    assert deadline["status"] == "in_progress" and deadline["days_overdue"] == 61
    assert deadline["due"] == {
        "start": "2015-12-31",
        "end": "2015-12-31",
        "precision": "day",
        "text": "31 December 2015",
    }
    assert {s["note"] for s in deadline["sources"]} >= {"001_4e211aa1da0f2196"}
    # The Vienna session of 8-9 October 2015 was never reported as held.
    assert "tjk-wg-session-vienna-2015-10" in overdue


def test_as_of_the_vienna_session_the_deadline_was_upcoming(seeded: Session) -> None:
    report = reports.build_report(seeded, date(2015, 10, 8), 90, ["TJK"])
    upcoming = {item.ref: item_json(item) for item in report.upcoming}
    assert upcoming["tjk-approval-deadline-2015"]["days_until"] == 84
    assert upcoming["tjk-approval-deadline-2015"]["status"] == "planned"
    assert upcoming["tjk-wg-session-vienna-2015-10"]["days_until"] == 0


def test_the_impossible_first_report_is_flagged_not_fixed(seeded: Session) -> None:
    report = by_ref(seeded, "tjk-first-national-report-2004")
    assert (report.due_start, report.due_end, report.due_text) == (
        date(2004, 1, 1),
        date(2004, 1, 31),
        "January 2004",
    )
    assert any("before resolution 1540" in w for w in reports.milestone_warnings(report))


def test_peer_reviews_are_on_every_participants_timeline(seeded: Session) -> None:
    for code in ("BLR", "KGZ", "TJK"):
        refs = [m.ref for m in reports.timeline(seeded, code, date(2026, 11, 23)).milestones]
        assert {
            "peer-review-2016-minsk",
            "peer-review-2017-dushanbe",
            "peer-review-2018-kyrgyzstan",
        } <= set(refs)
    assert by_ref(seeded, "peer-review-2017-dushanbe").host_state_code == "TJK"


def test_imprecise_windows_are_kept_as_given(seeded: Session) -> None:
    review = by_ref(seeded, "peer-review-2018-kyrgyzstan")
    assert (review.due_start, review.due_end, review.due_precision) == (
        date(2018, 1, 1),
        date(2018, 12, 31),
        "year",
    )
    drafting = by_ref(seeded, "tjk-nap-drafting")
    assert drafting.due_start == date(2013, 1, 1) and drafting.due_precision == "period"
    assert drafting.due_text == "over the past two years"
    update = seeded.scalar(select(ActionPlan).where(ActionPlan.ref == "uzb-nap-2017-2021"))
    assert update is not None and update.period == "2017-2021"
    assert update.supersedes is not None and update.supersedes.ref == "uzb-nap-2014"
