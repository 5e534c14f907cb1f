"""Saved views: a filtered report or State list kept on the account under a name."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, sign_in, snapshot, text


def _save(client: FlaskClient, name: str, **fields: object) -> object:
    data: dict[str, object] = {
        "csrf_token": csrf_token(client, "/saved-views/new?page=report"),
        "name": name,
        "page": "report",
    }
    data.update(fields)
    return client.post("/saved-views/new", data=data)


def test_save_a_filtered_report_and_open_it_again(seeded: Session, client: FlaskClient) -> None:
    add_account(seeded, "lola@example.org", "viewer")
    sign_in(client, "lola@example.org")
    report = text(client.get("/report?as_of=2016-03-01&state=TJK"))
    assert "/saved-views/new?page=report" in report  # the link from the report
    form = text(client.get("/saved-views/new?page=report&as_of=2016-03-01&state=TJK&x=1"))
    assert 'name="state" value="TJK"' in form and 'name="x"' not in form
    response = _save(client, "Tajik overdue, March 2016", as_of="2016-03-01", state="TJK")
    assert response.status_code == 302
    listing = text(client.get("/saved-views"))
    assert "Tajik overdue, March 2016" in listing
    assert 'href="/report?as_of=2016-03-01&amp;state=TJK"' in listing
    # a State's milestone list, with its filters
    response = _save(
        client, "Done in Tajikistan", page="timeline", code="TJK", status="done", kind="workshop"
    )
    assert response.status_code == 302
    assert 'href="/states/TJK?kind=workshop&amp;status=done"' in text(client.get("/saved-views"))
    # the same name again replaces the view
    _save(client, "Tajik overdue, March 2016", as_of="2017-01-01", state="TJK")
    listing = text(client.get("/saved-views"))
    assert listing.count(">Tajik overdue, March 2016</a>") == 1 and "as_of=2017-01-01" in listing


def test_views_are_per_account_and_can_be_forgotten(seeded: Session, client: FlaskClient) -> None:
    add_account(seeded, "a@example.org", "viewer")
    add_account(seeded, "b@example.org", "viewer")
    sign_in(client, "a@example.org")
    _save(client, "Mine", state="UZB")
    token = csrf_token(client, "/saved-views")
    other = client.application.test_client()
    sign_in(other, "b@example.org")
    assert "Mine" not in text(other.get("/saved-views"))
    foreign = other.post(
        "/saved-views/1/delete", data={"csrf_token": csrf_token(other, "/saved-views")}
    )
    assert foreign.status_code == 404  # not b's to forget
    assert client.post("/saved-views/1/delete", data={"csrf_token": token}).status_code == 302
    assert "Mine" not in text(client.get("/saved-views"))


def test_bad_views_are_refused_and_change_nothing(seeded: Session, client: FlaskClient) -> None:
    assert client.get("/saved-views").status_code == 403  # visitors keep nothing
    add_account(seeded, "a@example.org", "viewer")
    sign_in(client, "a@example.org")
    before = snapshot(seeded)
    for fields, reason in [
        ({"name": ""}, "This field is required"),
        ({"name": "x" * 101}, "100"),
        ({"name": "bell\x07"}, "control character"),
        ({"name": "ok", "page": "dashboard"}, "use one of report, timeline"),
        ({"name": "ok", "page": "timeline", "code": "ZZZ"}, "no such State"),
    ]:
        response = _save(client, **fields)  # type: ignore[arg-type]
        assert response.status_code in (400, 404), fields
        assert reason in text(response), (fields, text(response)[-800:])
    assert snapshot(seeded) == before


def test_forgetting_a_view_id_past_the_range_is_not_found(
    seeded: Session, client: FlaskClient
) -> None:
    add_account(seeded, "a@example.org", "viewer")
    sign_in(client, "a@example.org")
    token = csrf_token(client, "/saved-views")
    for view_id in ("99999", str(2**63)):
        response = client.post(f"/saved-views/{view_id}/delete", data={"csrf_token": token})
        assert response.status_code in (400, 404), view_id
