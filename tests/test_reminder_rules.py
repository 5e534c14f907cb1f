"""The pure rules of reminders: which lead time is due, catch-up, weekly overdue notices."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import DueWindow, Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.reminders import (
    Candidate,
    LeadDaysError,
    due_notice,
    overdue_week,
    parse_lead_days,
    reminder_lead,
)

KEY = date(2015, 10, 8)
LEADS = (30, 7, 1)


@pytest.mark.parametrize(
    ("as_of", "lead"),
    [
        (KEY - timedelta(days=31), None),  # too early
        (KEY - timedelta(days=30), 30),
        (KEY - timedelta(days=8), 30),  # a late run still owes the 30-day one
        (KEY - timedelta(days=7), 7),
        (KEY - timedelta(days=5), 7),  # catch-up: the nearest lead whose moment has come
        (KEY - timedelta(days=1), 1),
        (KEY, 1),  # the day itself: the 1-day reminder, if it was missed
        (KEY + timedelta(days=1), None),  # passed: the overdue notice's business
    ],
)
def test_reminder_lead_is_the_nearest_lead_whose_moment_has_come(
    as_of: date, lead: int | None
) -> None:
    assert reminder_lead(KEY, as_of, LEADS) == lead


@given(
    st.lists(st.integers(0, 365), min_size=1, max_size=10),
    st.integers(-400, 400),
)
def test_each_lead_time_is_due_on_one_stretch_of_days_only(leads: list[int], offset: int) -> None:
    as_of = KEY - timedelta(days=offset)
    lead = reminder_lead(KEY, as_of, leads)
    if lead is not None:
        assert lead in leads and 0 <= offset <= lead
        # no smaller lead time's moment has come yet
        assert all(other >= lead or other < offset for other in leads)


def test_overdue_notices_come_weekly() -> None:
    end = date(2015, 12, 31)
    weeks = [overdue_week(end, end + timedelta(days=d)) for d in range(1, 22)]
    assert weeks == [0] * 7 + [1] * 7 + [2] * 7


def _candidate(status: MilestoneStatus, since: date | None = None) -> Candidate:
    window = DueWindow(date(2015, 12, 31), date(2015, 12, 31), Precision.DAY, "31 December 2015")
    return Candidate(1, MilestoneKind.APPROVAL_DEADLINE, window, status, since)


def test_overdue_notices_stop_once_someone_records_a_status_or_snoozes() -> None:
    as_of = date(2016, 1, 20)
    due = due_notice(_candidate(MilestoneStatus.PLANNED), as_of, LEADS, None)
    assert due is not None and due.reason == "overdue" and due.lead == 2
    acknowledged = _candidate(MilestoneStatus.IN_PROGRESS, since=date(2016, 1, 10))
    assert due_notice(acknowledged, as_of, LEADS, None) is None
    assert due_notice(_candidate(MilestoneStatus.DONE), as_of, LEADS, None) is None
    assert due_notice(_candidate(MilestoneStatus.PLANNED), as_of, LEADS, date(2016, 1, 20)) is None
    woke = due_notice(_candidate(MilestoneStatus.PLANNED), as_of, LEADS, date(2016, 1, 19))
    assert woke is not None


@pytest.mark.parametrize(
    ("text", "days"),
    [("30, 7, 1", (30, 7, 1)), ("1,7,30,7", (30, 7, 1)), ("0", (0,)), ("365", (365,))],
)
def test_lead_days_read(text: str, days: tuple[int, ...]) -> None:
    assert parse_lead_days(text) == days


@pytest.mark.parametrize(
    "text", ["", " , ", "366", "-1", "1.5", "7 days", "३०", "1e3", "0x10", ",".join(["1"] * 11)]
)
def test_lead_days_refused_with_a_reason(text: str) -> None:
    with pytest.raises(LeadDaysError, match=r"days|lead time"):
        parse_lead_days(text)
