"""Bulk status updates: one change for several milestones, each with its own history row,
checked one by one by the same permission policy, and all or nothing."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_note, make_state
from tests.web_helpers import add_account, csrf_token, sign_in, snapshot, text
from tracker import services
from tracker.models import Milestone, StatusChange
from tracker.policy import Forbidden
from tracker.services.bulk import BulkStatus, bulk_change_status


def _post(client: FlaskClient, code: str, ids: list[int], **fields: str) -> object:
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, f"/states/{code}/bulk-status"),
        "milestones": [str(i) for i in ids],
        "status": "done",
        "effective_on": "2015-10-09",
        "comment": "Held, per the OSCE note",
        "note": "",
        "quote": "",
    }
    data.update(fields)
    return client.post(f"/states/{code}/bulk-status", data=data)


@pytest.fixture
def three(session: Session) -> list[int]:
    ids = [make_milestone(session, title=f"Session {k}").id for k in range(3)]
    ids.append(make_milestone(session, title="Uzbek session", states=["UZB"]).id)
    make_note(session)
    session.commit()
    return ids


def _history(session: Session, milestone_id: int) -> list[StatusChange]:
    session.expire_all()
    return list(
        session.scalars(select(StatusChange).where(StatusChange.milestone_id == milestone_id))
    )


def test_one_change_for_several_gives_each_its_own_history_row_and_source(
    session: Session, client: FlaskClient, three: list[int]
) -> None:
    add_account(session, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    quote = "Date and venue: 8-9 October 2015, Vienna, Austria"
    response = _post(client, "TJK", three[:3], note="900_test", quote=quote)
    assert response.status_code == 302, text(response)
    page = text(client.get(response.headers["Location"]))
    assert "Status recorded for 3 milestones: done." in page
    for milestone_id in three[:3]:
        (change,) = _history(session, milestone_id)
        assert change.new_status.value == "done" and change.effective_on == date(2015, 10, 9)
        assert change.comment == "Held, per the OSCE note"
        assert change.recorded_by is not None and change.recorded_by.email == "tjk@example.org"
        assert change.citation is not None and change.citation.quote == quote
        assert session.get(Milestone, milestone_id).status.value == "done"  # type: ignore[union-attr]


def test_a_milestone_the_coordinator_may_not_edit_refuses_the_whole_lot(
    session: Session, client: FlaskClient, three: list[int]
) -> None:
    add_account(session, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    before = snapshot(session)
    response = _post(client, "TJK", three)  # the fourth is Uzbekistan's
    assert response.status_code == 403
    assert f"#{three[3]} (you coordinate TJK; this concerns UZB only)" in text(response)
    assert "Nothing was changed" in text(response)
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"status": "in_progress"}, "milestone #"),  # the third fails after two succeeded
        ({"effective_on": "2199-01-01"}, "is in the future"),
        ({"effective_on": "2999-01-01"}, "must be between"),
        ({"note": "900_test", "quote": "not in the note"}, "is not verbatim"),
        ({"note": "nope", "quote": "x"}, "no such"),
        ({"milestones": ["99999"]}, "no such milestone"),
        ({"milestones": []}, "select at least one milestone"),
        ({"milestones": ["x1"]}, "milestones"),
    ],
)
def test_any_failure_changes_nothing(
    session: Session, client: FlaskClient, three: list[int], fields: dict[str, object], reason: str
) -> None:
    add_account(session, "admin@example.org", "admin")
    first = session.get(Milestone, three[2])
    assert first is not None
    services.change_status(session, first, "in_progress", date(2015, 10, 1))
    session.commit()
    sign_in(client, "admin@example.org")
    before = snapshot(session)
    response = _post(client, "TJK", three[:3], **fields)  # type: ignore[arg-type]
    assert response.status_code in (400, 404), text(response)
    assert reason in text(response)
    assert "Traceback" not in text(response)
    assert snapshot(session) == before


def test_viewers_and_visitors_are_refused(
    session: Session, client: FlaskClient, three: list[int]
) -> None:
    assert client.get("/states/TJK/bulk-status").status_code == 403
    add_account(session, "viewer@example.org", "viewer")
    sign_in(client, "viewer@example.org")
    before = snapshot(session)
    response = _post(client, "TJK", three[:1])
    assert response.status_code == 403 and "role: viewer" in text(response)
    assert snapshot(session) == before


def test_the_service_asks_the_same_policy_as_one_by_one(session: Session, three: list[int]) -> None:
    make_state(session, "KGZ")
    services.add_user(session, "kgz@example.org", "a long password", "coordinator", ["KGZ"])
    user = services.get_user(session, "kgz@example.org")
    with pytest.raises(Forbidden, match=re.escape(f"#{three[0]} (you coordinate KGZ")):
        bulk_change_status(session, user, BulkStatus(three[:1], "done", date(2015, 10, 9)))
    session.rollback()
    count = session.scalar(select(func.count()).select_from(StatusChange))
    changes = bulk_change_status(session, None, BulkStatus(three, "done", date(2015, 10, 9)))
    assert len(changes) == 4  # the operator at the command line may change everything
    assert session.scalar(select(func.count()).select_from(StatusChange)) == (count or 0) + 4
