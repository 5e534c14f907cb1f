"""Needs review (issue 14, item 3): the pure rules, the State page's list and its one-click
actions (record done, cancel, postpone with a reason), and the dashboard card."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import TestConfig
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, snapshot, text
from tracker.dates import parse_window
from tracker.enums import MilestoneStatus, PlanStatus
from tracker.models import Milestone, MilestoneEdit
from tracker.rules import (
    DEFAULT_REVIEW_AFTER_DAYS,
    milestone_review_reasons,
    plan_period_ended_unfinished,
    plan_review_reasons,
)

# --- the rules (pure) -----------------------------------------------------------------------

VIENNA = parse_window("8-9 October 2015")


def test_review_after_defaults_to_180_days() -> None:
    assert DEFAULT_REVIEW_AFTER_DAYS == 180


@pytest.mark.parametrize(
    ("as_of", "needs"),
    [
        (date(2016, 4, 6), False),  # 180 days after 9 October 2015: overdue, not yet stale
        (date(2016, 4, 7), True),  # 181 days
        (date(2026, 12, 2), True),
    ],
)
def test_overdue_for_longer_than_the_limit_needs_review(as_of: date, needs: bool) -> None:
    reasons = milestone_review_reasons(VIENNA, MilestoneStatus.PLANNED, None, as_of)
    assert bool(reasons) is needs
    if needs:
        assert reasons[0].startswith(f"overdue for {(as_of - date(2015, 10, 9)).days} days")


def test_the_limit_is_configurable() -> None:
    as_of = date(2015, 11, 9)  # 31 days overdue
    assert milestone_review_reasons(VIENNA, MilestoneStatus.PLANNED, None, as_of, 30)
    assert not milestone_review_reasons(VIENNA, MilestoneStatus.PLANNED, None, as_of, 31)


@pytest.mark.parametrize("status", [MilestoneStatus.DONE, MilestoneStatus.CANCELLED])
def test_closed_milestones_never_need_review(status: MilestoneStatus) -> None:
    assert milestone_review_reasons(VIENNA, status, date(2000, 1, 1), date(2026, 1, 1)) == []


def test_no_status_change_for_two_years_needs_review_even_when_not_overdue() -> None:
    future = parse_window("2030")
    as_of = date(2026, 12, 2)
    stale = milestone_review_reasons(future, MilestoneStatus.IN_PROGRESS, date(2024, 12, 1), as_of)
    assert stale == ["in progress since 1 December 2024, no change for two years"]
    recent = date(2024, 12, 3)
    assert milestone_review_reasons(future, MilestoneStatus.IN_PROGRESS, recent, as_of) == []


def test_plans_unchanged_since_their_period_ended_need_review() -> None:
    as_of = date(2026, 12, 2)
    assert plan_review_reasons(PlanStatus.DRAFTING, 2021, None, as_of) == [
        "still drafting though its period ended on 31 December 2021"
    ]
    assert plan_review_reasons(PlanStatus.DRAFTING, 2021, None, date(2021, 12, 31)) == []
    assert plan_review_reasons(PlanStatus.IMPLEMENTING, None, None, as_of) == []  # no period
    assert plan_review_reasons(PlanStatus.SUPERSEDED, 2014, None, as_of) == []
    # Changed after the period ended, and recently: settled.
    assert plan_review_reasons(PlanStatus.UNDER_REVIEW, 2014, date(2026, 1, 5), as_of) == []
    # Changed after the period ended, but more than two years ago.
    assert plan_review_reasons(PlanStatus.APPROVED, None, date(2020, 5, 1), as_of) == [
        "approved since 1 May 2020, no change for two years"
    ]


@pytest.mark.parametrize(
    ("status", "flagged"),
    [
        (PlanStatus.DRAFTING, True),
        (PlanStatus.IMPLEMENTING, True),
        (PlanStatus.APPROVED, False),
        (PlanStatus.UNDER_REVIEW, False),
        (PlanStatus.SUPERSEDED, False),
    ],
)
def test_a_plan_whose_period_ended_unfinished_is_flagged(status: PlanStatus, flagged: bool) -> None:
    assert plan_period_ended_unfinished(status, 2021, date(2022, 1, 1)) is flagged
    assert plan_period_ended_unfinished(status, 2021, date(2021, 12, 31)) is False
    assert plan_period_ended_unfinished(status, None, date(2030, 1, 1)) is False


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_REVIEW_AFTER_DAYS", "90")
    assert TestConfig("sqlite://").REVIEW_AFTER_DAYS == 90
    monkeypatch.delenv("TRACKER_REVIEW_AFTER_DAYS")
    assert TestConfig("sqlite://").REVIEW_AFTER_DAYS == 180


# --- the pages and the one-click actions ----------------------------------------------------


def _review_form(page: str, milestone_id: int) -> str:
    match = re.search(rf'<li class="review-item" id="review-{milestone_id}">.*?</li>', page, re.S)
    assert match, f"milestone {milestone_id} is not in the needs-review list"
    return match.group(0)


def _click(client: FlaskClient, milestone_id: int, **fields: str) -> tuple[int, str]:
    page = text(client.get("/states/TJK"))
    item = _review_form(page, milestone_id)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', item)
    version = re.search(r'name="version" value="(\d+)"', item)
    assert token and version
    data = {"csrf_token": token.group(1), "version": version.group(1), **fields}
    response = client.post(f"/milestones/{milestone_id}/review?state=TJK", data=data)
    return response.status_code, text(client.get(response.location)) if response.location else ""


@pytest.fixture
def coordinator(client: FlaskClient, seeded: Session) -> FlaskClient:
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    return client


def test_state_page_lists_what_needs_review_and_why(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/states/TJK?as_of=2026-12-02"))
    assert "Needs review" in page
    vienna = _review_form(page, ref_id(seeded, "tjk-wg-session-vienna-2015-10"))
    assert "Next OSCE session" in vienna and "overdue for 4072 days" in vienna
    assert "<form" not in vienna  # a visitor sees the list, not the actions
    # Done and cancelled items are settled; the 2016 workshop was held.
    assert f'id="review-{ref_id(seeded, "tjk-report-writing-workshop-2016")}"' not in page
    uzbek = text(client.get("/states/UZB?as_of=2026-12-02"))
    assert (
        '(proposed) (2017-2021): <strong>drafting</strong> <span class="badge overdue">period '
        'ended</span> — <span class="review-plan">needs review: still drafting though its '
        "period ended on 31 December 2021</span>"
    ) in uzbek
    assert "period ended</span>" in uzbek


def test_nothing_needs_review_before_the_limit(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/states/TJK?as_of=2016-01-01"))  # Vienna: 84 days overdue
    assert f'id="review-{ref_id(seeded, "tjk-wg-session-vienna-2015-10")}"' not in page


def test_dashboard_card_counts_what_needs_review_and_flags_ended_plans(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/?as_of=2026-12-02"))
    uzbek = page[page.index(">Uzbekistan<") :]
    uzbek = uzbek[: uzbek.index("</article>")]
    assert "(proposed) (2017-2021): <strong>drafting</strong>" in uzbek
    assert "period ended</span>" in uzbek
    assert "need review</a>" in uzbek or "needs review</a>" in uzbek
    assert "#needs-review" in uzbek
    old = text(client.get("/?as_of=2017-06-01"))
    assert "period ended</span>" not in old


def test_postpone_keeps_the_old_date_and_shows_moved_from(
    coordinator: FlaskClient, seeded: Session
) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    status, page = _click(coordinator, vienna, due="March 2027", reason="rescheduled by OSCE",
                          postpone="1")  # fmt: skip
    assert status == 302
    assert "Postponed" in page
    detail = text(coordinator.get(f"/milestones/{vienna}"))
    assert "March 2027" in detail and "(moved from 8-9 October 2015)" in detail
    assert "rescheduled by OSCE" in detail
    seeded.expire_all()
    edit = seeded.scalars(
        select(MilestoneEdit).where(MilestoneEdit.milestone_id == vienna).order_by(
            MilestoneEdit.id.desc())
    ).first()  # fmt: skip
    assert edit is not None and edit.changes["due"] == ["8-9 October 2015", "March 2027"]
    assert edit.comment == "rescheduled by OSCE"


@pytest.mark.parametrize(
    ("fields", "status"),
    [({"done": "1", "on": "2015-10-09"}, "done"), ({"cancel": "1"}, "cancelled")],
)
def test_record_done_or_cancel_in_one_click(
    coordinator: FlaskClient, seeded: Session, fields: dict[str, str], status: str
) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    code, page = _click(coordinator, vienna, **fields)
    assert code == 302 and "Status recorded" in page
    assert f'id="review-{vienna}"' not in page  # settled: off the list
    seeded.expire_all()
    milestone = seeded.get(Milestone, vienna)
    assert milestone is not None and milestone.status == status
    if "on" in fields:
        assert milestone.status_since == date(2015, 10, 9)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"postpone": "1", "due": "", "reason": "x"}, "give the new date"),
        ({"postpone": "1", "due": "sometime soonish", "reason": "x"}, "New date"),
        ({"postpone": "1", "due": "March 2027", "reason": ""}, "Reason: is required"),
        ({"postpone": "1", "due": "8-9 October 2015", "reason": "x"}, "the date it has already"),
        ({"done": "1", "on": (date.today() + timedelta(days=30)).isoformat()}, "in the future"),
        ({"done": "1", "on": "not a date"}, "Done on"),
        ({}, "choose: record done, cancel it, or postpone"),
    ],
)
def test_a_bad_click_says_why_and_changes_nothing(
    coordinator: FlaskClient, seeded: Session, fields: dict[str, str], words: str
) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    token = csrf_token(coordinator, "/states/TJK")
    before = snapshot(seeded)
    version = seeded.get(Milestone, vienna).version  # type: ignore[union-attr]
    response = coordinator.post(
        f"/milestones/{vienna}/review?state=TJK",
        data={"csrf_token": token, "version": str(version), **fields},
    )
    assert response.status_code == 400
    assert words in text(response)
    assert snapshot(seeded) == before


def test_another_states_coordinator_sees_no_actions_and_is_refused(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "uzb@example.org", "coordinator", ["UZB"])
    sign_in(client, "uzb@example.org")
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    assert "<form" not in _review_form(text(client.get("/states/TJK")), vienna)
    token = csrf_token(client, "/states/UZB")
    before = snapshot(seeded)
    response = client.post(
        f"/milestones/{vienna}/review",
        data={"csrf_token": token, "version": "1", "cancel": "1"},
    )
    assert response.status_code == 403
    assert snapshot(seeded) == before


def test_review_after_days_comes_from_the_setting(app: Flask, client: FlaskClient,
                                                  seeded: Session) -> None:  # fmt: skip
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    app.config["REVIEW_AFTER_DAYS"] = 30
    assert f'id="review-{vienna}"' in text(client.get("/states/TJK?as_of=2015-11-20"))
    app.config["REVIEW_AFTER_DAYS"] = 180
    assert f'id="review-{vienna}"' not in text(client.get("/states/TJK?as_of=2015-11-21"))


# --- the status form starts from the current status (issue 14, item 6) ----------------------


@pytest.mark.parametrize(
    ("current", "likely"),
    [
        (MilestoneStatus.PLANNED, MilestoneStatus.DONE),
        (MilestoneStatus.IN_PROGRESS, MilestoneStatus.DONE),
        (MilestoneStatus.DONE, MilestoneStatus.IN_PROGRESS),
        (MilestoneStatus.CANCELLED, MilestoneStatus.PLANNED),
    ],
)
def test_the_likely_next_status_comes_first_and_is_allowed(
    current: MilestoneStatus, likely: MilestoneStatus
) -> None:
    from tracker.rules import ALLOWED_TRANSITIONS, next_statuses

    offered = next_statuses(current)
    assert offered[0] is likely
    assert set(offered) == ALLOWED_TRANSITIONS[current] and current not in offered


def test_status_form_preselects_the_likely_next_and_shows_the_current(
    coordinator: FlaskClient, seeded: Session
) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")  # planned
    page = text(coordinator.get(f"/milestones/{vienna}"))
    select_ = page[
        page.index('<select id="status"') : page.index(
            "</select>", page.index('<select id="status"')
        )
    ]
    assert re.search(r'<option selected value="done">done</option>', select_)
    assert "planned (now: unchanged)" in select_
    assert select_.index('value="done"') < select_.index('value="planned"')
