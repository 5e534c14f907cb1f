"""The API's saved views and bulk status updates: the web pages' services and policy, in the
OpenAPI document (every response here is checked against it by the app fixture)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.api_helpers import make_token
from tests.factories import make_milestone, make_note
from tests.web_helpers import snapshot
from tracker.api.openapi import document
from tracker.models import Milestone, StatusChange

QUOTE = "Date and venue: 8-9 October 2015, Vienna, Austria"


@pytest.fixture
def three(session: Session) -> list[int]:
    ids = [make_milestone(session, title=f"Session {k}").id for k in range(3)]
    ids.append(make_milestone(session, title="Uzbek session", states=["UZB"]).id)
    make_note(session)
    session.commit()
    return ids


def data(session: Session) -> dict[str, Any]:
    """Everything but the tokens (a token's use is noted even when its request is refused)."""
    session.expire_all()
    return {k: v for k, v in snapshot(session).items() if k != "api_tokens"}


def bulk(client: FlaskClient, headers: dict[str, str], ids: list[int], **fields: Any) -> Any:
    body = {"milestones": ids, "status": "done", "on": "2015-10-09", "comment": "Held"} | fields
    return client.post("/api/v1/milestones/bulk-status", json=body, headers=headers)


def test_the_document_names_the_new_paths() -> None:
    paths = document()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/saved-views"])
    assert "delete" in paths["/api/v1/saved-views/{view_id}"]
    assert "post" in paths["/api/v1/milestones/bulk-status"]


def test_bulk_status_gives_each_milestone_its_history_row_and_source(
    client: FlaskClient, session: Session, three: list[int]
) -> None:
    headers = make_token(session, "coordinator", ("TJK",))
    response = bulk(client, headers, three[:3], note="900_test", quote=QUOTE)
    assert response.status_code == 200, response.get_json()
    assert [c["id"] for c in response.get_json()["changed"]] == three[:3]
    session.expire_all()
    for milestone_id in three[:3]:
        (change,) = session.scalars(
            select(StatusChange).where(StatusChange.milestone_id == milestone_id)
        )
        assert change.new_status.value == "done" and change.effective_on == date(2015, 10, 9)
        assert change.comment == "Held" and change.recorded_by is not None
        assert change.citation is not None and change.citation.quote == QUOTE


@pytest.mark.parametrize(
    ("who", "fields", "status", "said"),
    [
        ("coordinator", {}, 403, "this concerns UZB only"),  # the fourth is Uzbekistan's
        ("viewer", {}, 403, "viewer"),
        ("admin", {"on": "2199-01-01"}, 422, "future"),
        ("admin", {"note": "900_test", "quote": "not in the note"}, 422, "verbatim"),
        ("admin", {"milestones": [99999]}, 422, "no such milestone"),
        ("admin", {"milestones": []}, 422, "at least one"),
        ("admin", {"milestones": ["1"]}, 422, "milestones"),
        ("admin", {"status": "party"}, 422, "status"),
        ("admin", {"colour": "red"}, 422, "unknown field"),
    ],
)
def test_bulk_status_is_all_or_nothing(
    client: FlaskClient,
    session: Session,
    three: list[int],
    who: str,
    fields: dict[str, Any],
    status: int,
    said: str,
) -> None:
    headers = make_token(session, who, ("TJK",) if who == "coordinator" else ())
    before = data(session)
    response = bulk(client, headers, three, **fields)
    assert response.status_code == status, response.get_json()
    assert said in response.get_json()["message"]
    assert data(session) == before


def test_bulk_status_needs_a_token(client: FlaskClient, session: Session, three: list[int]) -> None:
    assert bulk(client, {}, three[:1]).status_code == 401
    session.expire_all()
    assert all(m.status.value == "planned" for m in session.scalars(select(Milestone)))


def test_saved_views_are_kept_listed_and_forgotten(
    client: FlaskClient, session: Session, seeded: Session
) -> None:
    headers = make_token(session, "viewer")
    body = {"name": "Central Asia", "filters": {"state": ["TJK", "KGZ"], "as_of": "2016-03-01"}}
    response = client.post("/api/v1/saved-views", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    view = response.get_json()
    assert view["url"] == "/report?as_of=2016-03-01&state=TJK&state=KGZ"
    assert client.get(view["url"]).status_code == 200
    listed = client.get("/api/v1/saved-views", headers=headers).get_json()["saved_views"]
    assert [v["name"] for v in listed] == ["Central Asia"]
    other = make_token(session, "viewer", email="other@example.org")
    assert client.get("/api/v1/saved-views", headers=other).get_json()["saved_views"] == []
    assert client.delete(f"/api/v1/saved-views/{view['id']}", headers=other).status_code == 422
    assert client.delete(f"/api/v1/saved-views/{view['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/saved-views", headers=headers).get_json()["saved_views"] == []


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "page": "nowhere"}, "page"),
        ({"name": "x", "page": "timeline", "state": "XXX"}, "XXX"),
        ({"name": "x", "filters": ["state"]}, "filters"),
        ({"name": "x", "filters": {"state": 3}}, "filters"),
    ],
)
def test_bad_saved_views_are_refused(
    client: FlaskClient, session: Session, body: dict[str, Any], said: str
) -> None:
    headers = make_token(session, "viewer")
    response = client.post("/api/v1/saved-views", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert said in response.get_json()["message"] + response.get_json().get("field", "")
    assert client.get("/api/v1/saved-views", headers=headers).get_json()["saved_views"] == []


def test_saved_views_need_a_token(client: FlaskClient, session: Session) -> None:
    assert client.get("/api/v1/saved-views").status_code == 401
    assert client.post("/api/v1/saved-views", json={"name": "x"}).status_code == 401
