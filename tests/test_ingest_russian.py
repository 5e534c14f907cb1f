"""Russian notes and States named once: what a coordinator sees proposed (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.ingest import extract
from tracker.ingest.places import states_named

TODAY = date(2026, 6, 1)

RU_NOTE = """Бишкек, 10 сентября 2025 г. – Министерство экономики и коммерции Кыргызской Республики
сообщает, что национальный круглый стол по выполнению резолюции 1540 (2004) пройдет
16–19 сентября 2025 года в Иссык-Кульской области.

Участники обсудят выполнение Плана действий на 2022–2025 годы, утвержденного
постановлением Кабинета Министров № 340 от 24 декабря 2021 года. Предыдущий
партнерский обзор прошел с 2 по 4 августа 2017 г. в Душанбе с участием таджикской
стороны и Республики Беларусь. Срок представления национального доклада: до 31 декабря 2025 года.
"""


def _windows(text: str) -> dict[tuple[str, date, date], MilestoneStatus]:
    extraction = extract(text, today=TODAY)
    return {
        (p.kind.value, p.window.start, p.window.end): p.reported_status
        for p in extraction.proposals
        if p.window is not None
    }


def test_a_russian_note_gets_its_events_deadlines_and_plan() -> None:
    found = _windows(RU_NOTE)
    # The note announces it: planned, as the note says, whatever the calendar says now.
    assert found[("round_table", date(2025, 9, 16), date(2025, 9, 19))] is MilestoneStatus.PLANNED
    assert ("peer_review", date(2017, 8, 2), date(2017, 8, 4)) in found
    assert ("other", date(2022, 1, 1), date(2025, 12, 31)) in found  # the plan's period
    assert ("approval_deadline", date(2021, 12, 24), date(2021, 12, 24)) in found
    assert ("national_report", date(2025, 12, 31), date(2025, 12, 31)) in found
    # The resolution's year is never an event, and the dateline is not either.
    assert not any(start.year == 2004 for _, start, _ in found)
    assert ("other", date(2025, 9, 10), date(2025, 9, 10)) not in found


def test_every_quote_of_a_russian_note_is_verbatim() -> None:
    extraction = extract(RU_NOTE, today=TODAY)
    assert extraction.proposals
    for proposal in extraction.proposals:
        assert proposal.quote and proposal.quote in RU_NOTE


def test_the_states_of_a_russian_note_are_found_in_every_case() -> None:
    extraction = extract(RU_NOTE, today=TODAY)
    assert extraction.note.states == ("KGZ",)  # the round table's; the others are cited
    review = next(p for p in extraction.proposals if p.kind is MilestoneKind.PEER_REVIEW)
    assert {"TJK", "BLR"} <= set(review.states)


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Республики Таджикистан", "TJK"),
        ("таджикской стороны", "TJK"),
        ("в Душанбе", "TJK"),
        ("Кыргызской Республики", "KGZ"),
        ("Киргизии", "KGZ"),
        ("Кыргызстана", "KGZ"),
        ("в Бишкеке", "KGZ"),
        ("Республики Узбекистан", "UZB"),
        ("узбекской делегации", "UZB"),
        ("Республики Беларусь", "BLR"),
        ("белорусской стороны", "BLR"),
        ("Республики Казахстан", "KAZ"),
        ("в Астане", "KAZ"),
        ("Туркменистана", "TKM"),
        ("Российской Федерации", "RUS"),
        ("Монголии", "MNG"),
    ],
)
def test_russian_state_names_in_any_case(words: str, code: str) -> None:
    assert states_named(words) == [code]


def test_a_yearless_russian_day_is_flagged_never_dated() -> None:
    extraction = extract("22 мая в Женеве возобновляется сессия Конференции по разоружению.")
    flagged = [p for p in extraction.proposals if p.window is None]
    assert [p.due_text for p in flagged] == ["22 мая"]
    assert "no year" in flagged[0].warnings[0]


def test_states_named_once_in_a_press_release_lead_are_the_notes_states() -> None:
    text = (
        "Regional peer review on resolution 1540\n\n"
        "Representatives of Kyrgyzstan, Tajikistan and Uzbekistan shared their experience of "
        "national action plans, with funding from the Governments of Australia and Austria.\n\n"
        "The peer review took place on 5-6 May 2019 in Vienna.\n"
    )
    assert set(extract(text, today=TODAY).note.states) == {"KGZ", "TJK", "UZB"}
    assert MilestoneKind.PEER_REVIEW.value in {
        p.kind.value for p in extract(text, today=TODAY).proposals
    }
