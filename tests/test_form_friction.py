"""Issue 14, item 6: the milestone and status forms without friction."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, snapshot, text
from tracker.models import Milestone


@pytest.fixture
def coordinator(client: FlaskClient, seeded: Session) -> FlaskClient:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    return client


def _checkbox(page: str, code: str) -> str:
    found = re.search(rf'<input[^>]*type="checkbox"[^>]*value="{code}"[^>]*>', page)
    assert found, f"no checkbox for {code}"
    return found.group(0)


# --- (a) States are checkboxes, the coordinator's own ticked -------------------------------


def test_states_are_checkboxes_with_the_coordinators_own_state_ticked(
    coordinator: FlaskClient, seeded: Session
) -> None:
    page = text(coordinator.get("/milestones/new"))
    assert "<select multiple" not in page and 'name="states" multiple' not in page
    assert "checked" in _checkbox(page, "TJK")
    for other in ("KGZ", "UZB"):
        assert "checked" not in _checkbox(page, other)


def test_a_coordinator_of_two_states_has_both_ticked(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "both@mfa.tj", "coordinator", ["TJK", "KGZ"])
    sign_in(client, "both@mfa.tj")
    page = text(client.get("/milestones/new"))
    assert "checked" in _checkbox(page, "TJK") and "checked" in _checkbox(page, "KGZ")
    assert "checked" not in _checkbox(page, "UZB")


def test_editing_ticks_the_milestones_states_not_the_coordinators(
    coordinator: FlaskClient, seeded: Session
) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    page = text(coordinator.get(f"/milestones/{vienna}/edit"))
    assert "checked" in _checkbox(page, "TJK") and "checked" not in _checkbox(page, "KGZ")


def test_ticking_several_states_saves_them_all(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    token = csrf_token(client, "/milestones/new")
    form = {
        "csrf_token": token,
        "kind": "peer_review",
        "title": "Joint peer review",
        "due": "2027",
        "states": ["TJK", "KGZ"],
        "previewed_due": "2027",
        "submit": "1",
    }
    assert client.post("/milestones/new", data=form).status_code == 302
    created = seeded.scalar(select(Milestone).where(Milestone.title == "Joint peer review"))
    assert created is not None and sorted(created.state_codes) == ["KGZ", "TJK"]
    before = snapshot(seeded)
    none = client.post("/milestones/new", data={**form, "title": "No States", "states": []})
    assert none.status_code == 400 and 'id="states-error"' in text(none)
    assert snapshot(seeded) == before


# --- (b) saving is one click --------------------------------------------------------------

NEW = {
    "kind": "workshop",
    "title": "Export-control training",
    "due": "Third quarter of 2027",
    "states": ["TJK"],
    "host": "TJK",
    "plan": "tjk-nap",
    "submit": "1",
}


def test_the_first_click_on_save_creates_the_milestone(
    coordinator: FlaskClient, seeded: Session
) -> None:
    page = text(coordinator.get("/milestones/new"))
    assert "Check the date" not in page and 'name="preview"' not in page
    token = csrf_token(coordinator, "/milestones/new")
    saved = coordinator.post("/milestones/new", data={"csrf_token": token, **NEW})
    assert saved.status_code == 302
    created = seeded.scalar(select(Milestone).where(Milestone.title == NEW["title"]))
    assert created is not None and created.due_precision == "quarter"
    assert (created.due_start.isoformat(), created.due_end.isoformat()) == (
        "2027-07-01",
        "2027-09-30",
    )


def test_the_first_click_on_save_saves_an_edit(coordinator: FlaskClient, seeded: Session) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    token = csrf_token(coordinator, f"/milestones/{vienna}/edit")
    form = {
        "csrf_token": token,
        "version": "1",
        "kind": "review_meeting",
        "title": "Vienna session",
        "due": "8-10 October 2015",
        "states": ["TJK"],
        "submit": "1",
    }
    assert coordinator.post(f"/milestones/{vienna}/edit", data=form).status_code == 302
    seeded.expire_all()
    milestone = seeded.get(Milestone, vienna)
    assert milestone is not None and milestone.due_end.isoformat() == "2015-10-10"


@pytest.mark.parametrize(
    "due, message",
    [("31 February 2027", "has no day 31"), ("sometime soonish", ""), ("2027-13-01", "")],
)
def test_an_unreadable_date_is_shown_on_the_date_field_and_nothing_is_saved(
    coordinator: FlaskClient, seeded: Session, due: str, message: str
) -> None:
    token = csrf_token(coordinator, "/milestones/new")
    before = snapshot(seeded)
    bad = coordinator.post("/milestones/new", data={"csrf_token": token, **NEW, "due": due})
    page = text(bad)
    assert bad.status_code == 400 and 'id="due-error"' in page and message in page
    assert f'value="{due}"' in page  # what was typed is kept
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    token = csrf_token(coordinator, f"/milestones/{vienna}/edit")
    edit = {"csrf_token": token, "version": "1", **NEW, "due": due}
    bad_edit = coordinator.post(f"/milestones/{vienna}/edit", data=edit)
    assert bad_edit.status_code == 400 and 'id="due-error"' in text(bad_edit)
    assert snapshot(seeded) == before
