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
