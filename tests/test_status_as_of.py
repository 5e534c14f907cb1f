"""Status as of a date: `rules.status_as_of` is the definition, `status_as_of_sql` the fast path.

The property test keeps the two equal over random histories, for the statuses the queries
read and for the API's filters (`status=`, `flag=`) that judge them in SQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from tests.factories import make_milestone
from tests.querycount import count_statements
from tracker import services
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.models import Milestone
from tracker.rules import ALLOWED_TRANSITIONS, Flag, flag, status_as_of

FIRST = date(2014, 1, 1)
TODAY = date(2030, 1, 1)

# A window as the notes write it: a day, a month, a year or a period of years.
WINDOWS = st.one_of(
    st.dates(FIRST, date(2019, 12, 31)).map(lambda d: f"{d.day} {d:%B %Y}"),
    st.dates(FIRST, date(2019, 12, 31)).map(lambda d: f"{d:%B %Y}"),
    st.integers(2014, 2019).map(str),
    st.tuples(st.integers(2014, 2018), st.integers(1, 3)).map(lambda p: f"{p[0]}-{p[0] + p[1]}"),
)
# Each step: a status to try and the days since the previous step (0: the same day).
HISTORY = st.lists(
    st.tuples(st.sampled_from(list(MilestoneStatus)), st.integers(0, 400)), max_size=6
)
MILESTONES = st.lists(
    st.tuples(st.sampled_from(list(MilestoneKind)), WINDOWS, HISTORY), min_size=1, max_size=8
)
WITHIN = st.sampled_from([0, 30, 90, 365])


def _record(
    session: Session, milestone: Milestone, steps: list[tuple[MilestoneStatus, int]]
) -> list[date]:
    """Record the steps the rules allow, in date order; the days that changed something."""
    day, current, days = FIRST, MilestoneStatus.PLANNED, []
    for status, gap in steps:
        day += timedelta(days=gap)
        if status in ALLOWED_TRANSITIONS[current]:
            services.change_status(session, milestone, status.value, day, today=TODAY)
            current = status
            days.append(day)
    return days


def _expected(
    milestones: list[Milestone], as_of: date, within: int, wanted: Flag | None,
    statuses: list[MilestoneStatus],
) -> list[int]:  # fmt: skip
    """The ids the pure rules pick, in the listing's order."""
    picked = []
    for m in sorted(milestones, key=lambda m: (m.due_start, m.due_end, m.id)):
        status = status_as_of(m.history, as_of)
        if statuses and status not in statuses:
            continue
        if wanted is not None and flag(m.due_window, status, as_of, within, m.kind) is not wanted:
            continue
        picked.append(m.id)
    return picked


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=MILESTONES,
    extra_days=st.lists(st.dates(date(2013, 6, 1), date(2022, 12, 31)), max_size=3),
    within=WITHIN,
    statuses=st.lists(st.sampled_from(list(MilestoneStatus)), max_size=2, unique=True),
)
def test_the_sql_status_and_filters_agree_with_the_rules_on_random_histories(
    session: Session,
    specs: list[tuple[MilestoneKind, str, list[tuple[MilestoneStatus, int]]]],
    extra_days: list[date],
    within: int,
    statuses: list[MilestoneStatus],
) -> None:
    try:
        milestones, days = [], set(extra_days)
        for n, (kind, due, steps) in enumerate(specs):
            milestone = make_milestone(session, kind=kind.value, title=f"Step {n}", due=due)
            milestones.append(milestone)
            for day in _record(session, milestone, steps):
                days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
            days |= {milestone.due_start, milestone.due_end + timedelta(days=1)}
        ids = {m.id for m in milestones}
        for as_of in sorted(days):
            _state, facts = services.state_milestones(session, "TJK", as_of)
            in_sql = {f.id: f.status for f in facts if f.id in ids}
            assert in_sql == {m.id: status_as_of(m.history, as_of) for m in milestones}, as_of
            for wanted in (None, Flag.OVERDUE, Flag.UPCOMING):
                query = services.MilestoneQuery(as_of, within, statuses=statuses, flag=wanted)
                page = services.milestone_page(session, query, limit=100)
                listed = [m.id for m in page.milestones if m.id in ids]
                assert listed == _expected(milestones, as_of, within, wanted, statuses), (
                    as_of,
                    wanted,
                )
    finally:
        session.rollback()


def test_filtering_by_flag_or_status_reads_no_history_in_python(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    """The API's `flag=` and `status=` filters cost what an unfiltered page costs: they are
    judged in the query, not by loading every milestone's history first."""
    engine = app.extensions["tracker.engine"]
    sent: dict[str, int] = {}
    for name, query in {
        "plain": "",
        "overdue": "&flag=overdue",
        "upcoming": "&flag=upcoming&within=365",
        "status": "&status=planned&status=in_progress",
    }.items():
        with count_statements(engine) as statements:
            response = client.get(f"/api/v1/milestones?as_of=2016-03-01&limit=5{query}")
        assert response.status_code == 200 and response.get_json()["items"], name
        sent[name] = len(statements)
    assert set(sent.values()) == {sent["plain"]}, sent
