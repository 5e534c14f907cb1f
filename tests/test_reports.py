"""The deadline report: its content, and a fixed number of SQL statements at any size."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_note
from tests.querycount import count_statements
from tracker import reports, services
from tracker.dates import DueWindow
from tracker.enums import MilestoneStatus
from tracker.rules import status_as_of


def add_milestones(session: Session, how_many: int) -> None:
    note = make_note(session, slug="950_bulk", text="Bulk note: the workshop was held. " * 3)
    for n in range(how_many):
        milestone = make_milestone(
            session,
            title=f"Bulk workshop {n}",
            due=f"{n % 28 + 1} March 2016",
            states=["TJK", "KGZ"],
        )
        services.cite(session, note, "the workshop was held", milestone=milestone)
        if n % 2:
            services.change_status(session, milestone, "in_progress", date(2016, 1, 1))
    session.commit()


def report_statements(app: Flask, session: Session) -> tuple[int, reports.Report]:
    session.expire_all()
    with count_statements(app.extensions["tracker.engine"]) as statements:
        report = reports.build_report(session, date(2016, 4, 1), 90, ["TJK"])
    return len(statements), report


def test_report_sends_the_same_few_statements_whatever_the_size(
    app: Flask, seeded: Session
) -> None:
    small, small_report = report_statements(app, seeded)
    add_milestones(seeded, 60)
    large, large_report = report_statements(app, seeded)
    assert len(large_report.overdue) == len(small_report.overdue) + 60
    assert small == large <= 4, f"{small} statements for the seed, {large} with 60 more"


def test_report_orders_overdue_longest_first_and_upcoming_soonest_first(seeded: Session) -> None:
    report = reports.build_report(seeded, date(2016, 3, 1), 365)
    overdue = [item.days_overdue for item in report.overdue]
    assert overdue == sorted(overdue, reverse=True)
    upcoming = [item.due.start for item in report.upcoming]
    assert upcoming == sorted(upcoming)


def test_done_items_are_not_flagged_but_were_upcoming_before(seeded: Session) -> None:
    before = reports.build_report(seeded, date(2016, 2, 1), 90, ["TJK"])
    assert "tjk-report-writing-workshop-2016" in {i.ref for i in before.upcoming}
    after = reports.build_report(seeded, date(2016, 3, 2), 90, ["TJK"])
    refs = {i.ref for i in after.overdue + after.upcoming}
    assert "tjk-report-writing-workshop-2016" not in refs


def test_status_as_of_in_sql_agrees_with_the_rule_on_every_day_around_each_change(
    session: Session,
) -> None:
    """The query reads the row's own status from its latest change's date on, and the history
    before it; both must give what `rules.status_as_of` gives, reopenings included."""
    steps = [
        ("in_progress", date(2015, 3, 1)),
        ("done", date(2015, 6, 30)),
        ("in_progress", date(2015, 6, 30)),  # reopened the same day: the later entry wins
        ("done", date(2016, 1, 15)),
        ("in_progress", date(2016, 2, 1)),
    ]
    milestone = make_milestone(session, due="March 2015")
    for status, effective_on in steps:
        services.change_status(session, milestone, status, effective_on, today=date(2026, 1, 1))
    untouched = make_milestone(session, title="Never updated", due="April 2015")
    session.commit()
    assert milestone.status_since == date(2016, 2, 1) and untouched.status_since is None

    days = sorted({d + timedelta(days=k) for _, d in steps for k in (-1, 0, 1)})
    for day in days:
        _state, facts = services.state_milestones(session, "TJK", day)
        by_id = {f.id: f.status for f in facts}
        assert by_id[milestone.id] == status_as_of(milestone.history, day), day
        assert by_id[untouched.id] is MilestoneStatus.PLANNED


def test_report_timeline_and_dashboard_hand_every_reader_one_typed_frozen_item(
    seeded: Session,
) -> None:
    """Pages, the drawing, the API and every file format read the same item: its dates are
    dates (nothing to parse back from text), and no reader can change what the next one sees."""
    as_of = date(2016, 3, 1)
    report = reports.build_report(seeded, as_of, 3660)
    timeline = reports.timeline(seeded, "TJK", as_of)
    summaries, across = reports.dashboard(seeded, as_of)
    items = [
        *report.overdue,
        *report.upcoming,
        *timeline.milestones,
        *across.overdue,
        *across.upcoming,
        *(item for summary in summaries for item in summary.next_deadlines),
    ]
    assert report.overdue and report.upcoming and timeline.milestones
    for item in items:
        assert isinstance(item, reports.ReportItem) and isinstance(item.due, DueWindow)
        assert type(item.due.start) is date and type(item.key_day) is date
        assert item.key_day == (item.due.end if item.deadline else item.due.start)
        assert (item.days_overdue is not None) == (item.flag == "overdue")
        assert (item.days_until is not None) == (item.flag == "upcoming")
        with pytest.raises(dataclasses.FrozenInstanceError):
            item.title = "changed by one reader"  # type: ignore[misc]
