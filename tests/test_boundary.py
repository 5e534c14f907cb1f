"""Issue 11, items 4 and 5: one permission policy, one request boundary per channel, and
refusals that carry a code and parameters which the edges word."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from tests.api_helpers import make_token
from tests.querycount import count_statements
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, text
from tracker import messages, policy, services
from tracker.models import ApiToken

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def request_commits() -> Iterator[list[bool]]:
    """Record every commit, as True when it is a bookkeeping one (not the request's own)."""
    commits: list[bool] = []

    def record(session: Session) -> None:
        commits.append(bool(session.info.get("bookkeeping")))

    event.listen(Session, "after_commit", record)
    try:
        yield commits
    finally:
        event.remove(Session, "after_commit", record)


def test_reading_with_a_token_commits_nothing_of_the_request_yet_keeps_its_use(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    headers = make_token(seeded, "viewer")
    with request_commits() as commits:
        assert client.get("/api/v1/states", headers=headers).status_code == 200
        assert client.get("/api/v1/milestones", headers=headers).status_code == 200
    assert commits and all(commits), "a GET committed the request's own transaction"
    seeded.expire_all()
    used = seeded.scalars(select(ApiToken.last_used_at)).all()
    assert any(used), "the token's use was not recorded"


def test_a_calendar_feed_commits_nothing_of_the_request(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "feed@example.org", "viewer")
    user = services.get_user(seeded, "feed@example.org")
    _token, secret = services.create_token(seeded, user, "calendar")
    seeded.commit()
    with request_commits() as commits:
        assert client.get(f"/calendar/{secret}.ics").status_code == 200
        assert client.get(f"/states/TJK/calendar/{secret}.ics").status_code == 200
    assert commits and all(commits)
    seeded.expire_all()
    assert seeded.scalar(select(ApiToken.last_used_at)) is not None


def test_a_write_commits_once(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    data = _status_form(client, deadline)
    with request_commits() as commits:
        response = client.post(f"/milestones/{deadline}/status", data=data)
    assert response.status_code == 302
    assert commits.count(False) == 1


def _status_form(client: FlaskClient, milestone_id: int, version: str = "") -> dict[str, str]:
    if not version:
        page = text(client.get(f"/milestones/{milestone_id}"))
        version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    return {
        "csrf_token": csrf_token(client, f"/milestones/{milestone_id}"),
        "status": "done",
        "effective_on": "2026-11-20",
        "comment": "Approved by decree",
        "citation": "",
        "version": version,
    }


def test_a_status_change_loads_the_row_it_changes_not_the_whole_page(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    data = _status_form(client, deadline)
    with count_statements(app.extensions["tracker.engine"]) as sent:
        response = client.post(f"/milestones/{deadline}/status", data=data)
    assert response.status_code == 302
    reads = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    # The page's graph (edit history, the cited notes) is not read to record a status.
    assert not [s for s in reads if "milestone_edits" in s or "source_notes" in s], reads


@pytest.mark.parametrize("role, states", [("viewer", []), ("coordinator", ["UZB"])])
def test_web_and_api_refuse_with_the_policys_words(
    client: FlaskClient, seeded: Session, role: str, states: list[str]
) -> None:
    """The same refusal, from the same policy, on both channels."""
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    add_account(seeded, f"{role}@example.org", role, states)
    user = services.get_user(seeded, f"{role}@example.org")
    refused = policy.refusal(user, policy.Action.EDIT_MILESTONE, ["TJK"])
    assert refused is not None
    words = messages.word(refused.code, refused.params)
    sign_in(client, f"{role}@example.org")
    form = _status_form(client, deadline, version="2")
    page = client.post(f"/milestones/{deadline}/status", data=form)
    assert page.status_code == 403 and messages.sentence(words) in text(page)
    headers = make_token(seeded, role, tuple(states), email=f"api-{role}@example.org")
    url = f"/api/v1/milestones/{deadline}"
    etag = client.get(url).headers["ETag"]
    api = client.patch(url, json={"title": "x"}, headers={**headers, "If-Match": etag})
    assert api.status_code == 403 and api.get_json()["message"] == words


def test_a_refusal_names_its_code_and_parameters(seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    user = services.get_user(seeded, "lola@mfa.tj")
    milestone = services.get_milestone(seeded, ref_id(seeded, "uzb-nap-review-2017"))
    with pytest.raises(policy.Forbidden) as refused:
        services.change_status(seeded, milestone, "done", milestone.due_end, recorded_by=user)
    assert refused.value.code == "not_your_state"
    assert refused.value.params == {"yours": "TJK", "theirs": "UZB"}
    assert str(refused.value) == "states 'UZB': you coordinate TJK; this concerns UZB only"


def test_service_errors_carry_codes_the_catalogue_words(seeded: Session) -> None:
    with pytest.raises(services.NotFound) as missing:
        services.get_state(seeded, "XYZ")
    assert missing.value.code == "unknown_state" and missing.value.field == "state"
    assert messages.describe(missing.value) == str(missing.value)
    with pytest.raises(services.ServiceError) as long:
        services.add_state(seeded, "ABC", "x" * 500)
    assert long.value.code == "too_long" and long.value.params == {"length": 500, "limit": 100}


def _refusals(path: Path) -> Iterator[tuple[int, Any]]:
    """The third argument of every error raised in a file: the code."""
    errors = {"ServiceError", "NotFound", "Conflict", "Forbidden", "InputError"}
    for node in ast.walk(ast.parse(path.read_text())):
        called = isinstance(node, ast.Call) and getattr(node.func, "id", "") in errors
        if called and len(node.args) >= 3:
            yield node.lineno, node.args[2]


@pytest.mark.parametrize(
    "path",
    [*sorted((ROOT / "tracker" / "services").glob("*.py")), ROOT / "tracker" / "inputs.py"],
    ids=lambda p: p.name,
)
def test_every_service_refusal_is_a_code_in_the_catalogue(path: Path) -> None:
    """Services raise codes, never sentences: the sentence is the edge's (and a translator's)."""
    for line, code in _refusals(path):
        if isinstance(code, ast.Name) and code.id == "code":
            continue  # chosen among codes spelled out nearby (checked where they are written)
        literal = isinstance(code, ast.Constant) and isinstance(code.value, str)
        assert literal and code.value in messages.MESSAGES, f"{path.name}:{line}"


def test_roles_are_not_compared_outside_the_policy() -> None:
    """Views, API, templates and the import ask the policy; none compares roles itself."""
    places = [*(ROOT / "tracker").rglob("*.py"), *(ROOT / "templates").rglob("*.html")]
    allowed = {"policy.py", "models.py", "enums.py", "users.py"}
    for path in places:
        if path.name in allowed or "ingest" in path.parts:
            continue
        source = path.read_text()
        for pattern in ("Role.ADMIN", "Role.VIEWER", "role.value ==", "role.value !=", "may_edit("):
            assert pattern not in source, f"{path.relative_to(ROOT)} compares roles: {pattern}"
