"""The failure classes of issue 18, each as a coordinator would notice it on the review page."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.ingest import extract

TODAY = date(2026, 6, 1)


def windows(text: str) -> list[tuple[str, date, date]]:
    return [
        (p.kind.value, p.window.start, p.window.end)
        for p in extract(text, today=TODAY).proposals
        if p.window is not None
    ]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("Start Date: Aug 2 2016", "End Date: Aug 5 2016"),
        ("Start date: 2 August 2016", "End date: 5 August 2016"),
        ("Дата начала: 2 августа 2016 г.", "Дата окончания: 5 августа 2016 г."),
    ],
)
def test_start_and_end_date_headers_are_one_event(start: str, end: str) -> None:
    text = (
        f"Event: Peer review of Belarus, Kyrgyzstan and Tajikistan\n{start}\n{end}\n"
        "Venue: Minsk, Belarus\n\nThe delegations reviewed their national action plans.\n"
    )
    assert windows(text) == [("peer_review", date(2016, 8, 2), date(2016, 8, 5))]


def test_a_dateline_is_not_an_event_and_the_events_range_is_found() -> None:
    text = (
        "Annual National Round Table on UNSCR 1540 to take place in Issyk-Kul\n\n"
        "Bishkek, 16 September 2025 – The OSCE Programme Office in Bishkek is convening the "
        "annual national round table with the Ministry of Economy of the Kyrgyz Republic. "
        "The event will take place from 16 to 19 September 2025 in the Issyk-Kul region.\n"
    )
    assert windows(text) == [("round_table", date(2025, 9, 16), date(2025, 9, 19))]


@pytest.mark.parametrize(
    ("row", "start", "end"),
    [
        (
            "1.2 Adopt the national control list Third quarter Ministry of Foreign Affairs, "
            "State Customs Committee of 2015.",
            date(2015, 7, 1),
            date(2015, 9, 30),
        ),
        (
            "1.3 Принять перечень IV квартал Министерство иностранных дел 2015 г.",
            date(2015, 10, 1),
            date(2015, 12, 31),
        ),
    ],
)
def test_a_flattened_table_keeps_a_quarter_with_its_year(row: str, start: date, end: date) -> None:
    text = f"National Action Plan: measures, time frames and responsible bodies\n\n{row}\n"
    found = windows(text)
    assert any(w[1:] == (start, end) for w in found)
    # The year alone, torn from its quarter, is not proposed.
    assert not any(w[1:] == (date(2015, 1, 1), date(2015, 12, 31)) for w in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Its export controls rest on the Law of 2004 on export control.",
        "The customs code, adopted by a decree of 1997, was discussed.",
        "Закон Республики Таджикистан об экспортном контроле принят в 2004 году.",
        "The Security Council adopted resolution 1540 (2004) unanimously on 28 April 2004.",
        "In July 2013 Belarus will mark the 20th anniversary of its accession to the NPT.",
        "Participants noted progress since the 2017 peer review in Dushanbe.",
        "Since 2010 the number of national reports has doubled.",
        "The Global Counter-Terrorism Strategy was adopted by the General Assembly in 2006.",
        "Инициативу единогласно поддержала Генеральная Ассамблея ООН в декабре 2022 года.",
    ],
)
def test_background_dates_are_not_proposed(sentence: str) -> None:
    text = f"Press release\n\nOfficials of Tajikistan met in Dushanbe. {sentence}\n"
    assert windows(text) == []


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("The Government approved the National Action Plan by decree on 5 May 2019.", 2019),
        (
            "План действий утвержден постановлением Кабинета Министров № 340 "
            "от 24 декабря 2021 года.",
            2021,
        ),
        (
            "Решение утверждено постановлением Президента Республики Узбекистан "
            "от 17 марта 2006 года № ПП-306.",
            2006,
        ),
    ],
)
def test_a_plan_adopted_by_a_decision_is_proposed(sentence: str, start: int) -> None:
    found = windows(f"Press release\n\nKyrgyzstan. {sentence}\n")
    assert [w[0] for w in found] == ["approval_deadline"] and found[0][1].year == start


def test_a_passing_mention_of_an_earlier_meeting_is_not_the_main_event() -> None:
    text = (
        "Press release\n\n"
        "A national round table of Kyrgyzstan will take place on 10-11 March 2027 in Bishkek, "
        "a year after the previous peer review held on 2-4 August 2026 in Dushanbe.\n"
    )
    main = extract(text, today=TODAY).proposals[0]
    assert main.role.value == "main event" and main.kind.value == "round_table"


def planned(text: str) -> list[tuple[str, date, date, str]]:
    return [
        (p.kind.value, p.window.start, p.window.end, p.reported_status.value)
        for p in extract(text, today=TODAY).proposals
        if p.window is not None
    ]


@pytest.mark.parametrize(
    ("sentence", "kind", "start", "end"),
    [
        (
            "The review must be completed no later than 30 November 2016.",
            "other",
            date(2016, 11, 30),
            date(2016, 11, 30),
        ),
        (
            "The updated plan is to be adopted by the end of 2027.",
            "approval_deadline",
            date(2027, 1, 1),
            date(2027, 12, 31),
        ),
        (
            "Проект плана должен быть утвержден до 31 декабря 2015 года.",
            "approval_deadline",
            date(2015, 12, 31),
            date(2015, 12, 31),
        ),
        (
            "Министерству поручено представить отчет не позднее IV квартала 2015 г.",
            "other",
            date(2015, 10, 1),
            date(2015, 12, 31),
        ),
        (
            "Доработать перечень до конца 2027 года.",
            "other",
            date(2027, 1, 1),
            date(2027, 12, 31),
        ),
    ],
)
def test_a_time_limit_is_a_planned_deadline_even_when_past(
    sentence: str, kind: str, start: date, end: date
) -> None:
    # A deadline says nothing of whether it was met: planned, never 'done' by the calendar.
    found = planned(f"Press release\n\nTajikistan. {sentence}\n")
    assert found == [(kind, start, end, "planned")]


def test_the_same_plan_period_in_title_and_body_is_one_proposal() -> None:
    text = (
        "Кабмин утвердил план действий Кыргызстана на 2025-2027 годы\n\n"
        "Кабинет министров утвердил план действий Кыргызской Республики на 2025-2027 годы.\n"
    )
    found = [p for p in extract(text, today=TODAY).proposals if p.role.value == "plan period"]
    assert len(found) == 1 and found[0].other_quotes


def test_the_states_taking_part_are_the_notes_and_experts_home_states_are_not() -> None:
    text = (
        "Dialogue on counter-terrorism to take place in Ashgabat\n\ndate 2017-06-12\n\n"
        "The dialogue takes place in Ashgabat, Turkmenistan, tomorrow, June 13.\n\n"
        "Ministers of Kazakhstan, Kyrgyzstan and Uzbekistan will take part in the meeting. "
        "Experts from Belarus and Switzerland will present their experience.\n"
    )
    assert set(extract(text, today=TODAY).note.states) == {"TKM", "KAZ", "KGZ", "UZB"}


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("A round table on stockpile security ended in Ashgabat today.", True),
        ("A round table on stockpile security was held in Ashgabat.", False),
        ("The Centre published its annual report today.", False),
    ],
)
def test_a_meeting_happening_today_takes_the_datelines_day(words: str, expected: bool) -> None:
    text = f"OSCE supports Turkmenistan\n\nASHGABAT, 24 July 2014 – {words}\n"
    found = [("round_table", date(2014, 7, 24), date(2014, 7, 24))] if expected else []
    assert windows(text) == found


@pytest.mark.parametrize(
    ("opening", "kind"),
    [
        ("Statement by the Deputy Minister of Foreign Affairs of Belarus", "information_note"),
        ("Решение о Межгосударственной программе на 2011-2013 годы", "information_note"),
        ("Программа работы Комитета на 2017 год", "report"),
        ("OSCE supports Turkmenistan in managing arms", "press_release"),
    ],
)
def test_an_official_text_is_not_taken_for_a_press_release(opening: str, kind: str) -> None:
    text = f"{opening}\n\nThe participants discussed export control in Dushanbe.\n"
    assert extract(text, today=TODAY).note.kind.value == kind


def test_a_yearless_day_repeated_is_one_flag_and_no_year_is_added() -> None:
    text = (
        "Training course for Points of Contact, 24-28 October\n\n"
        "Chile hosted a training course from 24 to 28 October in Santiago. "
        "The course opened on 24 October with an address by the Minister.\n"
    )
    flags = [p for p in extract(text, today=TODAY).proposals if p.window is None]
    assert [p.due_text for p in flags] == ["24-28 October"]
    assert len(flags[0].other_quotes) == 2 and not flags[0].ready


def test_a_future_word_in_a_relative_clause_does_not_make_a_past_meeting_planned() -> None:
    text = (
        "Working Group Meetings\n\n30 April 2024: The Working Group held a discussion on the "
        "aspects on which the Committee will focus, in Kyrgyzstan.\n"
    )
    found = planned(text)
    assert found == [("review_meeting", date(2024, 4, 30), date(2024, 4, 30), "done")]
