"""Extraction from source notes: every DOMAIN.md fact, with its window and a verbatim quote."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.enums import MilestoneKind, MilestoneStatus, NoteKind
from tracker.ingest import Extraction, NoteInputError, Proposal, decode_note, extract
from tracker.ingest.datefind import find_dates
from tracker.ingest.proposals import FactRole
from tracker.seeding import SEEDS_DIR

NOTES = SEEDS_DIR / "notes"
EXTRA = Path(__file__).parent / "data" / "ingest" / "notes"
D = date.fromisoformat


def read(name: str, folder: Path = NOTES) -> Extraction:
    path = next(folder.glob(f"{name}*.txt"))
    return extract(path.read_text(encoding="utf-8"))


def fact(
    extraction: Extraction, kind: MilestoneKind, start: str, end: str | None = None
) -> Proposal:
    """The proposal of this kind and window; its quotes are verbatim, on one line."""
    window = (D(start), D(end or start))
    found = [
        p
        for p in extraction.proposals
        if p.kind is kind and p.window and (p.window.start, p.window.end) == window
    ]
    assert len(found) == 1, f"{kind} {window}: {[p.title for p in extraction.proposals]}"
    for quote in (found[0].quote, *found[0].other_quotes):
        assert quote and quote in extraction.note.text and "\n" not in quote
    return found[0]


def test_note_000_round_table_and_earlier_training_workshop() -> None:
    note = read("000")
    assert note.note.kind is NoteKind.INFORMATION_NOTE and note.note.states == ("TJK",)
    main = fact(note, MilestoneKind.ROUND_TABLE, "2012-10-23", "2012-10-24")
    assert main.role is FactRole.MAIN_EVENT and main.venue == "Dushanbe, Tajikistan"
    assert main.host == "TJK" and "OSCE" in main.organisers
    assert main.reported_status is MilestoneStatus.DONE
    assert main.quote == "23-24 October 2012, Dushanbe, Tajikistan"
    workshop = fact(note, MilestoneKind.WORKSHOP, "2012-04-01", "2012-04-30")
    assert "The first one took place in April 2012" in workshop.quote
    assert len(note.proposals) == 2  # resolution 1540 (2004) and 1977 (2011) are not events


def test_note_001_meeting_drafting_deadline_and_vienna_session() -> None:
    note = read("001")
    main = fact(note, MilestoneKind.REVIEW_MEETING, "2015-07-29", "2015-07-30")
    assert main.role is FactRole.MAIN_EVENT and main.states == ("TJK",)
    assert main.title.startswith("Meeting with an Inter-Ministerial Working Group of Tajikistan")
    assert main.title.endswith("National Implementation Action Plan")  # joined across lines
    drafting = fact(note, MilestoneKind.DRAFTING, "2013-01-01", "2015-07-30")
    assert drafting.due_text == "over the past two years"
    assert drafting.due_reference == D("2015-07-30")
    assert drafting.reported_status is MilestoneStatus.IN_PROGRESS
    deadline = fact(note, MilestoneKind.APPROVAL_DEADLINE, "2015-12-31")
    assert deadline.quote == "Given the requested approval deadline (31 December 2015)"
    assert deadline.reported_status is MilestoneStatus.PLANNED
    vienna = fact(note, MilestoneKind.REVIEW_MEETING, "2015-10-08", "2015-10-09")
    assert vienna.role is FactRole.FOLLOW_UP and vienna.venue == "Vienna, Austria"
    assert vienna.reported_status is MilestoneStatus.PLANNED and vienna.host is None


def test_note_002_workshop_reports_and_the_impossible_january_2004() -> None:
    note = read("002")
    main = fact(note, MilestoneKind.WORKSHOP, "2016-02-29", "2016-03-01")
    assert main.due_text == "29 February – 1 March 2016"
    first = fact(note, MilestoneKind.NATIONAL_REPORT, "2004-01-01", "2004-01-31")
    assert first.quote.endswith(
        "submitted its first national report to the 1540 Committee in January 2004"
    )
    assert any("before resolution 1540 was adopted" in w for w in first.warnings)
    extra = fact(note, MilestoneKind.NATIONAL_REPORT, "2004-12-01", "2004-12-31")
    assert extra.quote == "additional information to this national report in December 2004"


def test_note_002_day_without_a_year_is_flagged_not_guessed() -> None:
    yearless = [p for p in read("002").proposals if p.window is None]
    assert [p.due_text for p in yearless] == ["29 February and 1 March"]
    assert not yearless[0].ready and yearless[0].confidence < 0.5
    assert "no year" in yearless[0].warnings[0]


def test_note_003_review_roundtable_adoption_and_plan_period() -> None:
    note = read("003")
    assert note.note.states == ("UZB",)
    main = fact(note, MilestoneKind.REVIEW_MEETING, "2017-05-22", "2017-05-24")
    assert main.venue == "Vienna, Austria" and main.states == ("UZB",)  # Vienna is only a venue
    assert "UNODA/UNRCPD" in main.organisers
    roundtable = fact(note, MilestoneKind.ROUND_TABLE, "2016-12-20", "2016-12-21")
    assert roundtable.venue == "Tashkent, Uzbekistan"
    assert any("held in Tashkent in December 2016" in q for q in roundtable.other_quotes)
    adoption = fact(note, MilestoneKind.APPROVAL_DEADLINE, "2014-01-01", "2014-12-31")
    assert adoption.quote == "The meeting to review implementation of the 2014 National Action"
    period = fact(note, MilestoneKind.OTHER, "2017-01-01", "2021-12-31")
    assert period.is_plan and period.states == ("UZB",)


def test_note_004_press_release_without_header() -> None:
    note = read("004")
    assert note.note.kind is NoteKind.PRESS_RELEASE
    assert note.note.states == ("BLR", "KGZ", "TJK")
    main = fact(note, MilestoneKind.PEER_REVIEW, "2017-08-02", "2017-08-04")
    assert main.role is FactRole.MAIN_EVENT and main.host == "TJK"
    assert (
        main.quote == "held a peer review meeting in Dushanbe, Tajikistan, from 2 to 4 August 2017"
    )
    assert "OSCE" in main.organisers
    minsk = fact(note, MilestoneKind.PEER_REVIEW, "2016-08-01", "2016-08-31")
    assert minsk.venue == "Minsk, Belarus" and minsk.host == "BLR"
    assert set(minsk.states) == {"BLR", "KGZ", "TJK"}
    next_round = fact(note, MilestoneKind.PEER_REVIEW, "2018-01-01", "2018-12-31")
    assert next_round.reported_status is MilestoneStatus.PLANNED and next_round.host == "KGZ"
    assert "agreed to convene a new round of peer review in 2018, in Kyrgyzstan" in next_round.quote


def test_bishkek_note_with_date_and_location_header_and_trap_sentences() -> None:
    note = read("005", EXTRA)
    main = fact(note, MilestoneKind.WORKSHOP, "2019-03-12", "2019-03-13")
    assert main.title.endswith("National Implementation Action Plan of the Kyrgyz Republic")
    assert main.venue == "Bishkek, Kyrgyzstan" and main.host == "KGZ"
    assert all(p.window is None or p.window.start.year > 2004 for p in note.proposals)
    deadline = fact(note, MilestoneKind.APPROVAL_DEADLINE, "2019-06-30")
    assert deadline.reported_status is MilestoneStatus.PLANNED
    report = fact(note, MilestoneKind.NATIONAL_REPORT, "2019-12-01", "2019-12-31")
    assert report.reported_status is MilestoneStatus.PLANNED
    assert [p.due_text for p in note.proposals if p.window is None] == ["5 and 6 November"]


def test_press_release_dateline_is_the_publication_date_not_an_event() -> None:
    note = read("006", EXTRA)
    assert note.note.published == D("2017-06-26")
    windows = {(p.window.start, p.window.end) for p in note.proposals if p.window}
    assert (D("2017-06-26"), D("2017-06-26")) not in windows
    assert (D("2004-04-28"), D("2004-04-28")) not in windows  # resolution 1540 adopted
    main = fact(note, MilestoneKind.WORKSHOP, "2017-06-20", "2017-06-22")
    assert main.role is FactRole.MAIN_EVENT and main.venue == "Vienna, Austria"
    follow_up = fact(note, MilestoneKind.REVIEW_MEETING, "2018-01-01", "2018-12-31")
    assert follow_up.venue == "Tashkent, Uzbekistan" and follow_up.due_text == "2018"


def test_header_values_on_the_next_line_and_plain_section_titles() -> None:
    note = read("007", EXTRA)
    main = fact(note, MilestoneKind.PEER_REVIEW, "2018-09-10", "2018-09-11")
    assert main.title.startswith("Third round of the trilateral peer review")
    assert main.venue == "Cholpon-Ata, Kyrgyzstan" and main.host == "KGZ"
    assert note.note.published == D("2018-10-02")
    training = read("008", EXTRA)
    assert training.proposals[0].organisers == "OSCE Project Co-ordinator in Uzbekistan, with UNODA"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("UNSC resolution 1977 (2011) and resolution 1540(2004)", []),
        ("Contact 1540experts@un.org or call 2017 1540.", []),
        ("It met on 5 May 2016 and in June 2017.", ["5 May 2016", "June 2017"]),
        ("from 2 to 4 August 2017", ["from 2 to 4 August 2017"]),
        ("planned for 8–9 October", ["8–9 October"]),
    ],
)
def test_date_finder(text: str, found: list[str]) -> None:
    assert [m.text for m in find_dates(text)] == found


def test_binary_huge_and_non_utf8_input_is_refused_with_a_clear_error() -> None:
    with pytest.raises(NoteInputError, match="binary"):
        decode_note(b"Event: x\x00\x01", "note.pdf")
    with pytest.raises(NoteInputError, match="not UTF-8"):
        decode_note("Dushanbe".encode("cp1251") + b"\xff\xfe", "note.txt")
    with pytest.raises(NoteInputError, match="larger than the 1000000-byte limit"):
        decode_note(b"a" * 1_000_001, "note.txt")
    with pytest.raises(NoteInputError, match="over the 1000000-byte limit"):
        extract("é" * 600_000)
    with pytest.raises(NoteInputError, match="empty"):
        extract("  \n")


NOTE_PIECES = st.sampled_from(
    [
        "**Event:** ",
        "<b>Date and Location:</b>\t",
        "Organisers: ",
        "\n\n",
        "## ",
        "<sup>1</sup>",
        "23-24 October 2012",
        "29 February – 1 March",
        " in 2018, in Kyrgyzstan",
        "resolution 1540 (2004)",
        "Vienna, 26 June 2017 — ",
        " peer review ",
        "over the past two years",
        "Dushanbe, Tajikistan",
        "(31 December 2015)",
        ". ",
        "\\_",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NOTE_PIECES, st.text(max_size=40)), max_size=40))
def test_extractor_never_crashes_and_quotes_are_verbatim(pieces: list[str]) -> None:
    text = "".join(pieces)
    try:
        extraction = extract(text, today=D("2020-01-01"))
    except NoteInputError:
        assert not text.strip() or "\x00" in text
        return
    for proposal in extraction.proposals:
        assert proposal.quote in text and 0 <= proposal.confidence <= 1
        assert proposal.window is not None or proposal.warnings


@pytest.mark.parametrize("text", ["1" * 5000 + "x", "12 " * 3000 + "x", "- " * 3000 + "May x"])
def test_long_runs_of_date_like_tokens_are_read_in_linear_time(text: str) -> None:
    # These once backtracked exponentially (22 digits took over a second; 5000 would hang a
    # server). The bound is generous: the fixed pattern takes milliseconds.
    import time

    started = time.perf_counter()
    extract(text, today=D("2020-01-01"))
    assert time.perf_counter() - started < 5
