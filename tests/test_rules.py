"""The deadline rules, tested directly: status as of a date, overdue, upcoming, warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import DueWindow, Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.rules import (
    DatedSource,
    Flag,
    TransitionError,
    check_transition,
    data_warnings,
    days_overdue,
    days_until,
    flag,
    is_deadline,
    is_overdue,
    is_upcoming,
    key_day,
    status_as_of,
)

PLANNED, IN_PROGRESS = MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS
DONE, CANCELLED = MilestoneStatus.DONE, MilestoneStatus.CANCELLED

DEADLINE = DueWindow(date(2015, 12, 31), date(2015, 12, 31), Precision.DAY, "31 December 2015")
YEAR_2018 = DueWindow(date(2018, 1, 1), date(2018, 12, 31), Precision.YEAR, "2018")
Q1_2027 = DueWindow(date(2027, 1, 1), date(2027, 3, 31), Precision.QUARTER, "first quarter of 2027")
APRIL_MEETING = DueWindow(date(2027, 4, 14), date(2027, 4, 15), Precision.DAY, "14-15 April 2027")
APPROVAL, REPORT = MilestoneKind.APPROVAL_DEADLINE, MilestoneKind.NATIONAL_REPORT
ROUND_TABLE, OTHER = MilestoneKind.ROUND_TABLE, MilestoneKind.OTHER


@dataclass
class Change:
    new_status: MilestoneStatus
    effective_on: date


def test_status_before_any_change_is_planned() -> None:
    assert status_as_of([], date(2016, 3, 1)) is PLANNED


def test_status_as_of_follows_the_history() -> None:
    history = [Change(IN_PROGRESS, date(2015, 7, 30)), Change(DONE, date(2016, 3, 1))]
    assert status_as_of(history, date(2015, 7, 29)) is PLANNED
    assert status_as_of(history, date(2015, 7, 30)) is IN_PROGRESS
    assert status_as_of(history, date(2016, 2, 29)) is IN_PROGRESS
    assert status_as_of(history, date(2016, 3, 1)) is DONE


def test_tajik_approval_deadline_is_overdue_on_1_march_2016() -> None:
    # Note 002: still "at the final stage of approval" on 1 March 2016.
    history = [Change(IN_PROGRESS, date(2016, 3, 1))]
    status = status_as_of(history, date(2016, 3, 1))
    assert is_overdue(DEADLINE, status, date(2016, 3, 1))
    assert days_overdue(DEADLINE, date(2016, 3, 1)) == 61


@pytest.mark.parametrize(
    ("window", "status", "as_of", "within", "expected"),
    [
        (DEADLINE, PLANNED, date(2015, 12, 31), 90, Flag.UPCOMING),  # due today: not yet overdue
        (DEADLINE, PLANNED, date(2016, 1, 1), 90, Flag.OVERDUE),
        (DEADLINE, DONE, date(2016, 1, 1), 90, None),
        (DEADLINE, CANCELLED, date(2016, 1, 1), 90, None),
        (DEADLINE, PLANNED, date(2015, 10, 2), 90, Flag.UPCOMING),  # 90 days ahead
        (DEADLINE, PLANNED, date(2015, 10, 1), 90, None),  # 91 days ahead
        (YEAR_2018, PLANNED, date(2018, 12, 31), 90, Flag.UPCOMING),  # last day of "2018"
        (YEAR_2018, PLANNED, date(2019, 1, 1), 90, Flag.OVERDUE),  # whole year has passed
        (YEAR_2018, IN_PROGRESS, date(2026, 11, 23), 90, Flag.OVERDUE),
    ],
)
@pytest.mark.parametrize("kind", [APPROVAL, ROUND_TABLE])
def test_flag_table(
    window: DueWindow,
    status: MilestoneStatus,
    as_of: date,
    within: int,
    expected: Flag | None,
    kind: MilestoneKind,
) -> None:
    # One-day windows, and the year's windows on these dates, flag alike for both kinds.
    assert flag(window, status, as_of, within, kind) == expected


def test_days_until_a_meeting_counts_to_its_first_day() -> None:
    assert days_until(YEAR_2018, date(2017, 12, 1), ROUND_TABLE) == 31
    assert days_until(YEAR_2018, date(2018, 5, 5), ROUND_TABLE) == 0
    assert days_until(APRIL_MEETING, date(2027, 4, 1), MilestoneKind.WORKSHOP) == 13


def test_a_deadline_counts_to_the_last_day_of_its_window() -> None:
    # Issue 14: a report due "first quarter of 2027" is due by 31 March, not on 1 January.
    assert days_until(Q1_2027, date(2026, 12, 2), REPORT) == 119
    assert days_until(YEAR_2018, date(2018, 5, 5), APPROVAL) == 240
    assert key_day(REPORT, Q1_2027) == date(2027, 3, 31)
    assert key_day(ROUND_TABLE, APRIL_MEETING) == date(2027, 4, 14)


def test_a_deadline_is_upcoming_when_its_due_day_is_within_the_horizon() -> None:
    as_of = date(2026, 12, 2)
    assert flag(Q1_2027, PLANNED, as_of, 90, REPORT) is None  # due in 119 days
    assert flag(Q1_2027, PLANNED, as_of, 119, REPORT) is Flag.UPCOMING
    # A meeting in the same window would start within 30 days.
    assert flag(Q1_2027, PLANNED, as_of, 30, ROUND_TABLE) is Flag.UPCOMING
    # A meeting running now is upcoming; a deadline running now is so once its day is near.
    assert flag(YEAR_2018, PLANNED, date(2018, 6, 1), 0, ROUND_TABLE) is Flag.UPCOMING
    assert flag(YEAR_2018, PLANNED, date(2018, 6, 1), 0, APPROVAL) is None
    assert flag(YEAR_2018, PLANNED, date(2018, 10, 2), 90, APPROVAL) is Flag.UPCOMING


def test_which_kinds_are_deadlines() -> None:
    # A plan's measure is due by the end of its time frame, like any deadline (DOMAIN.md).
    assert {k for k in MilestoneKind if is_deadline(k)} == {
        MilestoneKind.DRAFTING,
        APPROVAL,
        REPORT,
        MilestoneKind.MEASURE,
    }
    assert not is_deadline(OTHER)


windows = st.builds(
    lambda start, length: DueWindow(start, start + timedelta(days=length), Precision.PERIOD, "x"),
    st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    st.integers(0, 3000),
)
statuses = st.sampled_from(list(MilestoneStatus))
days = st.dates(date(1990, 1, 1), date(2110, 1, 1))


@given(windows, statuses, days, st.integers(0, 400), st.sampled_from(list(MilestoneKind)))
def test_overdue_and_upcoming_exclude_each_other(
    window: DueWindow, status: MilestoneStatus, as_of: date, within: int, kind: MilestoneKind
) -> None:
    overdue = is_overdue(window, status, as_of)
    upcoming = is_upcoming(window, status, as_of, within, kind)
    if upcoming:
        assert as_of <= window.end and key_day(kind, window) <= as_of + timedelta(days=within)
    assert not (overdue and upcoming)
    if overdue:
        assert status.is_open and window.end < as_of
    if not status.is_open:
        assert not overdue and not upcoming


@given(windows, days)
def test_an_open_milestone_is_overdue_exactly_after_its_last_day(
    window: DueWindow, as_of: date
) -> None:
    assert is_overdue(window, PLANNED, as_of) == (as_of > window.end)


@given(st.lists(st.tuples(statuses, days), max_size=8), days)
def test_status_as_of_is_the_latest_change_on_or_before_the_date(
    raw: list[tuple[MilestoneStatus, date]], as_of: date
) -> None:
    history = sorted((Change(s, d) for s, d in raw), key=lambda c: c.effective_on)
    earlier = [c for c in history if c.effective_on <= as_of]
    expected = earlier[-1].new_status if earlier else PLANNED
    assert status_as_of(history, as_of) is expected


def test_transitions() -> None:
    check_transition(PLANNED, DONE, date(2016, 1, 1), None)
    with pytest.raises(TransitionError, match="already done"):
        check_transition(DONE, DONE, date(2016, 1, 1), None)
    with pytest.raises(TransitionError, match="cannot go from done to cancelled"):
        check_transition(DONE, CANCELLED, date(2016, 1, 1), None)
    with pytest.raises(TransitionError, match="before the latest recorded change"):
        check_transition(PLANNED, DONE, date(2015, 1, 1), date(2016, 1, 1))


def test_warns_of_a_national_report_before_resolution_1540() -> None:
    january = DueWindow(date(2004, 1, 1), date(2004, 1, 31), Precision.MONTH, "January 2004")
    warnings = data_warnings(MilestoneKind.NATIONAL_REPORT, january)
    assert len(warnings) == 1 and "before resolution 1540 was adopted" in warnings[0]
    december = DueWindow(date(2004, 12, 1), date(2004, 12, 31), Precision.MONTH, "December 2004")
    assert data_warnings(MilestoneKind.NATIONAL_REPORT, december) == []
    assert data_warnings(MilestoneKind.WORKSHOP, january) == []


def test_warns_when_an_end_is_before_a_start() -> None:
    broken = DueWindow(date(2016, 3, 1), date(2016, 2, 29), Precision.DAY, "1 March - 29 Feb")
    assert any("before it starts" in w for w in data_warnings(MilestoneKind.OTHER, broken))


def test_warns_when_two_sources_disagree() -> None:
    other = DueWindow(date(2015, 10, 8), date(2015, 10, 10), Precision.DAY, "8-10 October 2015")
    same = DueWindow(date(2015, 12, 31), date(2015, 12, 31), Precision.DAY, "31.12.2015")
    warnings = data_warnings(
        MilestoneKind.OTHER, DEADLINE, [DatedSource("009_x", other), DatedSource("001_y", same)]
    )
    assert warnings == [
        "note 009_x gives '8-10 October 2015', which differs from '31 December 2015'"
    ]
