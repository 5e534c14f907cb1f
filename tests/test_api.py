"""The JSON API: reading, paging, conditional writes, tokens and roles, one error shape.

Every /api/v1 response in this module is checked against the OpenAPI document.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask, Response
from flask.testing import FlaskClient, FlaskCliRunner
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import config
from tests.api_helpers import bearer, conforming_responses, make_token, response_problems
from tests.factories import make_milestone, make_note
from tests.querycount import count_statements
from tracker import create_app, services
from tracker.api import openapi
from tracker.models import ApiToken, Milestone, StatusChange

AS_OF = "2016-03-01"
JSON = "application/json"


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    """The application, with every API response checked against the OpenAPI document."""
    with conforming_responses(app):
        yield app


@pytest.fixture
def admin(seeded: Session) -> dict[str, str]:
    """An administrator's token header, on the seeded database."""
    return make_token(seeded, "admin")


def ref_id(session: Session, ref: str) -> int:
    """The id of a seeded milestone."""
    milestone_id = session.scalar(select(Milestone.id).where(Milestone.ref == ref))
    assert milestone_id is not None
    return milestone_id


def get_json(client: FlaskClient, url: str, **kwargs: Any) -> Any:
    """GET a URL that must answer 200, and its JSON."""
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- the document -------------------------------------------------------------------------


def test_the_openapi_document_is_served_and_every_schema_in_it_is_valid(
    client: FlaskClient,
) -> None:
    document = get_json(client, "/api/v1/openapi.json")
    assert document["openapi"] == "3.1.0" and document == openapi.document()
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert "/api/v1/milestones/{milestone_id}/status-changes" in document["paths"]


def test_the_conformance_check_notices_a_response_that_strays() -> None:
    stray = Response(json.dumps({"states": [{"code": "TJK"}]}), mimetype=JSON)
    problems = response_problems("/api/v1/states", "GET", stray)
    assert problems and "'name' is a required property" in " ".join(problems)
    stray.status_code = 418
    assert "not in the OpenAPI document" in response_problems("/api/v1/states", "GET", stray)[0]
    html = Response("<p>Not found</p>", status=404, mimetype="text/html")
    assert response_problems(None, "GET", html) == [
        "content type 'text/html', not application/json"
    ]


# --- reading ------------------------------------------------------------------------------


def test_states_plans_and_notes_with_its_text(client: FlaskClient, seeded: Session) -> None:
    states = get_json(client, "/api/v1/states")["states"]
    assert {s["code"] for s in states} == {"BLR", "KGZ", "TJK", "UZB"}
    uzbekistan = get_json(client, "/api/v1/states/uzb")
    assert {p["ref"] for p in uzbekistan["plans"]} == {"uzb-nap-2014", "uzb-nap-2017-2021"}
    plans = get_json(client, "/api/v1/plans?state=UZB")["plans"]
    assert [p["period"] for p in plans if p["ref"] == "uzb-nap-2017-2021"] == ["2017-2021"]
    notes = get_json(client, "/api/v1/notes")["notes"]
    assert len(notes) == 5 and all("text" not in n for n in notes)
    note = get_json(client, notes[2]["url"])
    citation = note["citations"][0]
    assert note["text"][citation["start"] : citation["end"]] == citation["quote"]


def test_the_report_is_the_same_json_as_the_command_line(
    client: FlaskClient, runner: FlaskCliRunner, seeded: Session
) -> None:
    cli = runner.invoke(args=["report", "--as-of", AS_OF, "--state", "TJK", "--format", "json"])
    api = get_json(client, f"/api/v1/report?as_of={AS_OF}&state=TJK")
    assert api == json.loads(cli.output)
    assert "tjk-approval-deadline-2015" in {i["ref"] for i in api["overdue"]}


def test_anonymous_reading_follows_the_setting(database_url: str) -> None:
    for allowed, status in ((True, 200), (False, 401)):
        app = create_app(config.TestConfig(database_url), ANONYMOUS_READ=allowed)
        with conforming_responses(app):
            response = app.test_client().get("/api/v1/states")
            assert response.status_code == status
            assert app.test_client().get("/api/v1/openapi.json").status_code == 200
        app.extensions["tracker.engine"].dispose()
    assert response.get_json()["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_milestones_filter_by_state_kind_status_and_due_window(
    client: FlaskClient, seeded: Session
) -> None:
    def refs(query: str) -> set[str]:
        return {i["ref"] for i in get_json(client, f"/api/v1/milestones?{query}")["items"]}

    assert refs("state=UZB") == {
        "uzb-nap-adoption-2014",
        "uzb-round-table-2016",
        "uzb-nap-review-2017",
    }
    assert refs("state=BLR&kind=peer_review&due_to=2017-12-31") == {
        "peer-review-2016-minsk",
        "peer-review-2017-dushanbe",
    }
    assert refs("kind=approval_deadline&status=in_progress") == {"tjk-approval-deadline-2015"}
    # Status is judged as of the date: the deadline was still planned at the end of 2014.
    assert refs("kind=approval_deadline&status=planned&as_of=2014-12-31") == {
        "tjk-approval-deadline-2015"
    }
    assert refs("due_from=2017-01-01&due_to=2017-12-31&state=TJK") == {"peer-review-2017-dushanbe"}


def test_flag_filters_agree_with_the_report(client: FlaskClient, seeded: Session) -> None:
    report = get_json(client, f"/api/v1/report?as_of={AS_OF}&within=365")
    for flag in ("overdue", "upcoming"):
        page = get_json(client, f"/api/v1/milestones?flag={flag}&as_of={AS_OF}&within=365")
        assert {i["id"] for i in page["items"]} == {i["id"] for i in report[flag]}
        assert all(i["flag"] == flag for i in page["items"])


def test_pages_follow_next_links_in_a_stable_order_without_gaps(
    client: FlaskClient, seeded: Session
) -> None:
    everything = get_json(client, "/api/v1/milestones?limit=200")["items"]
    url: str | None = "/api/v1/milestones?limit=3"
    walked: list[dict[str, Any]] = []
    while url:
        page = get_json(client, url)
        assert len(page["items"]) <= 3
        walked += page["items"]
        url = page["next"]
    assert [i["id"] for i in walked] == [i["id"] for i in everything]
    assert len(walked) == 16
    keys = [(i["due"]["start"], i["due"]["end"], i["id"]) for i in walked]
    assert keys == sorted(keys)


def test_a_filtered_page_keeps_its_filters_and_as_of_in_the_next_link(
    client: FlaskClient, seeded: Session
) -> None:
    first = get_json(client, "/api/v1/milestones?state=TJK&status=done&limit=2")
    assert f"as_of={date.today().isoformat()}" in first["next"] and "state=TJK" in first["next"]
    second = get_json(client, first["next"])
    assert all(i["status"] == "done" and "TJK" in i["states"] for i in second["items"])
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_listing_sends_the_same_few_statements_whatever_the_size(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    def statements(query: str) -> int:
        with count_statements(app.extensions["tracker.engine"]) as sent:
            get_json(client, f"/api/v1/milestones?{query}")
        return len(sent)

    queries = ["limit=200", "state=TJK&status=planned&flag=overdue&as_of=2016-03-01&limit=200"]
    small = [statements(q) for q in queries]
    note = make_note(seeded, slug="950_bulk", text="Bulk note: the workshop was held. " * 3)
    for n in range(40):
        milestone = make_milestone(seeded, title=f"Bulk {n}", due=f"{n % 28 + 1} May 2015")
        services.cite(seeded, note, "the workshop was held", milestone=milestone)
    seeded.commit()
    assert [statements(q) for q in queries] == small
    assert max(small) <= 8, small


def test_one_milestone_has_citations_history_and_its_version_as_etag(
    client: FlaskClient, seeded: Session
) -> None:
    milestone_id = ref_id(seeded, "tjk-approval-deadline-2015")
    response = client.get(f"/api/v1/milestones/{milestone_id}?as_of={AS_OF}")
    body = response.get_json()
    assert response.headers["ETag"] == f'"{body["version"]}"'
    assert body["flag"] == "overdue" and body["days_overdue"] == 61
    assert [h["new_status"] for h in body["history"]] == ["in_progress"]
    assert body["citations"] and body["citations"][0]["note"].startswith("00")


# --- writing ------------------------------------------------------------------------------


def post(client: FlaskClient, url: str, body: Any, headers: dict[str, str], **extra: str) -> Any:
    """POST JSON with the given headers."""
    return client.post(url, data=json.dumps(body), content_type=JSON, headers=headers | extra)


def patch(client: FlaskClient, url: str, body: Any, headers: dict[str, str], **extra: str) -> Any:
    """PATCH JSON with the given headers."""
    return client.patch(url, data=json.dumps(body), content_type=JSON, headers=headers | extra)


NEW_MEETING = {
    "kind": "review_meeting",
    "title": "NAP review meeting",
    "due": "May 2018",
    "states": ["UZB"],
    "venue": "Tashkent",
}


def test_create_then_edit_with_the_etag(client: FlaskClient, admin: dict[str, str]) -> None:
    created = post(client, "/api/v1/milestones", NEW_MEETING, admin)
    assert created.status_code == 201, created.get_json()
    url, etag = created.headers["Location"], created.headers["ETag"]
    assert created.get_json()["due"] == {
        "start": "2018-05-01",
        "end": "2018-05-31",
        "precision": "month",
        "text": "May 2018",
    }
    edited = patch(client, url, {"due": "22-24 May 2018"}, admin, **{"If-Match": etag})
    assert edited.status_code == 200 and edited.headers["ETag"] != etag
    body = get_json(client, url)
    assert body["due"]["precision"] == "day" and body["venue"] == "Tashkent"
    assert body["edits"][-1]["changes"]["due"] == ["May 2018", "22-24 May 2018"]


def test_a_relative_date_survives_an_edit_of_another_field(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-nap-drafting')}"
    before = get_json(client, url)
    etag = client.get(url).headers["ETag"]
    edited = patch(client, url, {"venue": "Dushanbe"}, admin, **{"If-Match": etag})
    assert edited.status_code == 200, edited.get_json()
    assert edited.get_json()["due"] == before["due"]


def test_a_stale_etag_is_412_and_changes_nothing(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-wg-session-vienna-2015-10')}"
    etag = client.get(url).headers["ETag"]
    first = patch(client, url, {"title": "First"}, admin, **{"If-Match": etag})
    assert first.status_code == 200
    late = patch(client, url, {"title": "Second"}, admin, **{"If-Match": etag})
    assert late.status_code == 412 and late.get_json()["error"] == "precondition_failed"
    status = post(
        client, f"{url}/status-changes", {"status": "done", "on": "2015-10-09"}, admin,
        **{"If-Match": etag},
    )  # fmt: skip
    assert status.status_code == 412
    after = get_json(client, url)
    assert after["title"] == "First" and after["history"] == []


@pytest.mark.parametrize("if_match", [None, "*"])
def test_an_edit_without_an_etag_is_428(
    client: FlaskClient, seeded: Session, admin: dict[str, str], if_match: str | None
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'peer-review-2018-kyrgyzstan')}"
    headers = admin | ({"If-Match": if_match} if if_match else {})
    response = patch(client, url, {"title": "Changed"}, headers)
    assert response.status_code == 428
    assert "ETag" in response.get_json()["message"]
    assert get_json(client, url)["title"] != "Changed"


def test_a_status_change_appends_history_and_returns_the_new_etag(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-wg-session-vienna-2015-10')}"
    etag = client.get(url).headers["ETag"]
    change = {"status": "done", "on": "2015-10-09", "comment": "Held in Vienna"}
    response = post(client, f"{url}/status-changes", change, admin, **{"If-Match": etag})
    assert response.status_code == 201, response.get_json()
    assert response.headers["ETag"] == f'"{int(etag.strip(chr(34))) + 1}"'
    history = response.get_json()["history"]
    assert [(h["new_status"], h["comment"]) for h in history] == [("done", "Held in Vienna")]
    assert history[0]["recorded_by"] == "Administrator <admin-all@example.org>"


def test_a_citation_is_added_once(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'peer-review-2018-kyrgyzstan')}/citations"
    note = get_json(client, "/api/v1/notes")["notes"][4]
    text = get_json(client, note["url"])["text"]
    quote = text.split(".")[0][-30:]
    first = post(client, url, {"note": note["slug"], "quote": quote}, admin)
    again = post(client, url, {"note": note["slug"], "quote": quote}, admin)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    missing = post(client, url, {"note": note["slug"], "quote": "not in the note"}, admin)
    assert missing.status_code == 422 and missing.get_json()["field"] == "quote"


# --- tokens and roles ---------------------------------------------------------------------


def test_roles_decide_who_may_change_what(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    viewer = make_token(seeded, "viewer")
    uzbek = make_token(seeded, "coordinator", ("UZB",))
    tajik_url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-wg-session-vienna-2015-10')}"
    uzbek_url = f"/api/v1/milestones/{ref_id(seeded, 'uzb-round-table-2016')}"
    for headers in (viewer, uzbek):
        etag = client.get(tajik_url).headers["ETag"]
        refused = patch(client, tajik_url, {"title": "X"}, headers, **{"If-Match": etag})
        assert refused.status_code == 403, refused.get_json()
    assert "UZB" in refused.get_json()["message"]
    etag = client.get(uzbek_url).headers["ETag"]
    away = {"states": ["TJK"], "host": None}
    moved = patch(client, uzbek_url, away, uzbek, **{"If-Match": etag})
    assert moved.status_code == 403
    own = patch(client, uzbek_url, {"venue": "Tashkent, Uzbekistan"}, uzbek, **{"If-Match": etag})
    assert own.status_code == 200
    assert (
        post(client, "/api/v1/milestones", NEW_MEETING | {"states": ["TJK"]}, uzbek).status_code
        == 403
    )
    assert post(client, "/api/v1/milestones", NEW_MEETING, viewer).status_code == 403
    assert post(client, "/api/v1/milestones", NEW_MEETING, {}).status_code == 401


def test_a_revoked_token_is_refused_and_use_is_recorded(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner
) -> None:
    services.add_user(seeded, "osce@example.org", "a long password", "admin")
    seeded.commit()
    created = runner.invoke(args=["token", "create", "osce@example.org", "--name", "dashboard"])
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("nap_")
    assert client.get("/api/v1/states", headers=bearer(secret)).status_code == 200
    token = seeded.scalars(select(ApiToken)).one()
    seeded.refresh(token)
    assert token.last_used_at is not None and token.name == "dashboard"
    revoked = runner.invoke(args=["token", "revoke", str(token.id)])
    assert revoked.exit_code == 0, revoked.output
    response = client.get("/api/v1/states", headers=bearer(secret))
    assert response.status_code == 401 and "revoked" in response.get_json()["message"]


def test_the_api_needs_a_token_not_a_cookie_and_no_csrf_token(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    assert client.application.config.get("WTF_CSRF_ENABLED", True)
    user = services.get_user(seeded, "admin-all@example.org")
    with client.session_transaction() as cookie:
        cookie["_user_id"] = user.get_id()  # signed in on the web
    assert post(client, "/api/v1/milestones", NEW_MEETING, {}).status_code == 401
    assert post(client, "/api/v1/milestones", NEW_MEETING, admin).status_code == 201


# --- one error shape ----------------------------------------------------------------------


def test_every_failure_has_the_same_shape(client: FlaskClient, admin: dict[str, str]) -> None:
    cases = [
        (client.get("/api/v1/no-such-thing"), 404, "not_found"),
        (client.delete("/api/v1/milestones/1", headers=admin), 405, "method_not_allowed"),
        (client.post("/api/v1/states", headers=admin), 405, "method_not_allowed"),
        (
            client.post("/api/v1/milestones", data="x" * 300_000, headers=admin),
            413,
            "payload_too_large",
        ),
        (
            client.post("/api/v1/milestones", data="kind=x", headers=admin),
            415,
            "unsupported_media_type",
        ),
        (client.get("/api/v1/milestones?as_of=yesterday"), 400, "bad_request"),
    ]
    for response, status, code in cases:
        body = response.get_json()
        assert (response.status_code, body["error"]) == (status, code), body
        assert set(body) <= {"error", "message", "field"} and body["message"]
    assert "GET" in cases[1][0].headers["Allow"]


def test_history_counts_stay_true_after_a_refused_transition(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    url = f"/api/v1/milestones/{ref_id(seeded, 'uzb-nap-review-2017')}"
    etag = client.get(url).headers["ETag"]
    before = seeded.scalar(select(func.count(StatusChange.id)))
    done_again = post(
        client, f"{url}/status-changes", {"status": "done", "on": "2017-05-24"}, admin,
        **{"If-Match": etag},
    )  # fmt: skip
    assert done_again.status_code == 422 and done_again.get_json()["field"] == "status"
    future = (date.today() + timedelta(days=3)).isoformat()
    later = post(
        client, f"{url}/status-changes", {"status": "in_progress", "on": future}, admin,
        **{"If-Match": etag},
    )  # fmt: skip
    assert later.status_code == 422 and later.get_json()["field"] == "on"
    assert seeded.scalar(select(func.count(StatusChange.id))) == before


def test_an_empty_host_clears_it_as_the_document_says(
    client: FlaskClient, seeded: Session, admin: dict[str, str]
) -> None:
    # The fuzzer found "" accepted while the document's pattern refused it: "" clears an
    # optional field as null does, and the document now says so.
    url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-nap-drafting')}"
    etag = client.get(url).headers["ETag"]
    edited = patch(client, url, {"host": ""}, admin, **{"If-Match": etag})
    assert edited.status_code == 200, edited.get_json()
    assert get_json(client, url)["host"] is None
    Draft202012Validator(openapi.DRAFT["host"]).validate("")
