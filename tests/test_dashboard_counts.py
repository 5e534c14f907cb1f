"""The dashboard's SQL aggregates say what building every item would say (issue 17, item 1).

`reports.dashboard` counts per State in one statement and builds items only for what it lists;
here the same figures are worked out milestone by milestone with the rules
(`rules.status_as_of` on the loaded history, `rules.flag`, `rules.key_day`), on the seeded
notes and on generated data (regional milestones, histories in and out of order of the date).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bench.generate import Scale, load
from tracker import reports, services
from tracker.enums import MilestoneStatus
from tracker.models import Milestone
from tracker.rules import Flag, days_overdue, flag, key_day, status_as_of

DATES = [date(2004, 1, 1), date(2012, 6, 1), date(2016, 3, 1), date(2020, 1, 15), date(2025, 6, 30)]


def by_the_rules(
    session: Session, as_of: date, within: int, first: int
) -> tuple[dict[str, tuple[int, int, int, list[int]]], list[int], list[int], int, int]:
    """Per State (overdue, upcoming, done, next three ids); the first overdue and upcoming ids;
    the totals: every milestone loaded with its history and judged on its own."""
    milestones = session.scalars(
        select(Milestone).options(selectinload(Milestone.history), selectinload(Milestone.states))
    ).all()
    horizon = as_of + timedelta(days=within)
    counts: dict[str, Counter[str]] = {}
    following: dict[str, list[Milestone]] = {}
    overdue, upcoming = [], []
    for m in milestones:
        status = status_as_of(m.history, as_of)
        window = m.due_window
        mark = flag(window, status, as_of, within, m.kind)
        if mark is Flag.OVERDUE:
            overdue.append(m)
        elif mark is Flag.UPCOMING:
            upcoming.append(m)
        for code in m.state_codes:
            mine = counts.setdefault(code, Counter())
            if mark is not None:
                mine[mark.value] += 1
            if status is MilestoneStatus.DONE and window.start <= horizon:
                mine["done"] += 1
            if status.is_open and window.end >= as_of:
                following.setdefault(code, []).append(m)
    figures = {
        code: (
            c["overdue"],
            c["upcoming"],
            c["done"],
            [
                m.id
                for m in sorted(
                    following.get(code, []), key=lambda m: (key_day(m.kind, m.due_window), m.id)
                )
            ][:3],
        )
        for code, c in counts.items()
    }
    overdue.sort(key=lambda m: (-days_overdue(m.due_window, as_of), m.id))
    upcoming.sort(key=lambda m: (key_day(m.kind, m.due_window), m.id))
    return (
        figures,
        [m.id for m in overdue[:first]],
        [m.id for m in upcoming[:first]],
        len(overdue),
        len(upcoming),
    )


def assert_same(session: Session, as_of: date, within: int, first: int = 5) -> None:
    summaries, across = reports.dashboard(session, as_of, within, first=first)
    figures, overdue, upcoming, overdue_total, upcoming_total = by_the_rules(
        session, as_of, within, first
    )
    for s in summaries:
        expected = figures.get(s.code, (0, 0, 0, []))
        got = (s.overdue, s.upcoming, s.done, [i.id for i in s.next_deadlines])
        assert got == expected, (as_of, within, s.code)
    assert [i.id for i in across.overdue] == overdue, (as_of, within)
    assert [i.id for i in across.upcoming] == upcoming, (as_of, within)
    assert (across.overdue_total, across.upcoming_total) == (overdue_total, upcoming_total)
    # What needs review on each card: the plans, then the milestones the rules pick one by one.
    review: dict[str, list[str]] = {}
    states = services.list_states(session)
    for plan in services.review_plans((p for s in states for p in s.plans), as_of):
        review.setdefault(plan.state, []).append(f"plan: {plan.title}")
    for found in services.review_milestones(session, as_of):
        for code in found.states:
            review.setdefault(code, []).append(found.title)
    for s in summaries:
        mine = review.get(s.code, [])
        assert (s.needs_review, s.needs_review_count) == (tuple(mine[:3]), len(mine)), s.code
    # The listed items carry their sources' data warnings, as the deadline report's do.
    report = reports.build_report(session, as_of, within)
    full = {i.id: i for i in (*report.overdue, *report.upcoming)}
    for item in (*across.overdue, *across.upcoming):
        assert item == full[item.id]


@pytest.mark.parametrize("within", [0, 90, 800])
def test_dashboard_counts_match_the_rules_on_the_seeded_notes(seeded: Session, within: int) -> None:
    for as_of in DATES:
        assert_same(seeded, as_of, within)


def test_dashboard_counts_match_the_rules_on_generated_data(app: Flask, session: Session) -> None:
    """12 States, 40 milestones each: regional ones counted once across, once per State."""
    load(app.extensions["tracker.engine"], Scale(states=12, milestones_per_state=40, notes=30))
    for as_of in DATES:
        for within in (0, 90, 800):
            assert_same(session, as_of, within, first=7)
    summaries, across = reports.dashboard(session, date(2020, 1, 15), 800, first=5)
    assert across.overdue_total > 5 and across.upcoming_total > 5  # lists cut, totals whole
    assert sum(s.overdue for s in summaries) > across.overdue_total  # regional ones
    assert all(len(s.next_deadlines) == 3 for s in summaries)


def test_report_pages_together_are_the_whole_report(app: Flask, session: Session) -> None:
    """Page after page of each section, in order, is the deadline report's list; the counts
    per State are the report's per State (issue 17, item 4)."""
    load(app.extensions["tracker.engine"], Scale(states=12, milestones_per_state=40, notes=30))
    for as_of, within, states in ((date(2020, 1, 15), 800, ()), (date(2016, 3, 1), 90, ("AFG",))):
        whole = reports.build_report(session, as_of, within, states)
        for section, expected in (("overdue", whole.overdue), ("upcoming", whole.upcoming)):
            first = reports.report_page(session, as_of, within, states, section, 1, 7)
            shown: list[reports.ReportItem] = []
            for page in range(1, first.pages(section) + 1):
                part = reports.report_page(session, as_of, within, states, section, page, 7)
                shown.extend(getattr(part, section))
            assert shown == list(expected), (as_of, section)
        summary = reports.report_page(session, as_of, within, states, None, 1, 7)
        assert summary.overdue == whole.overdue[:7] and summary.upcoming == whole.upcoming[:7]
        per_state = {
            code: (
                sum(code in i.states for i in whole.overdue),
                sum(code in i.states for i in whole.upcoming),
            )
            for code, _o, _u in summary.by_state
        }
        assert {code: (o, u) for code, o, u in summary.by_state} == per_state
        assert len(summary.by_state) == len(
            {
                c
                for i in (*whole.overdue, *whole.upcoming)
                for c in i.states
                if not states or c in states
            }
        )


def test_the_report_page_refuses_a_bad_section_or_page(
    client: FlaskClient, seeded: Session
) -> None:
    for query, words in (
        ("section=late", "use overdue or upcoming"),
        ("page=0", "page"),
        ("page=x", "page"),
    ):
        response = client.get(f"/report?{query}")
        assert response.status_code == 400 and words in response.get_data(as_text=True), query
