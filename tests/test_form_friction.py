"""Issue 14, item 6: the milestone and status forms without friction."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, post_status, ref_id, sign_in, snapshot, text
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
    [
        ("31 February 2027", "has no day 31"),
        ("sometime soonish", ""),
        ("2027-13-01", ""),
        # A Russian date gets the same reason as its English twin.
        ("31 февраля 2027 г.", "February 2027 has no day 31"),
        ("III полугодие 2027 г.", "half-year 3 does not exist"),
        ("когда-нибудь", "not a date form"),
    ],
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


# --- (c) the parsed date shown as you type ------------------------------------------------


@pytest.mark.parametrize(
    "written, start, end, precision",
    [
        ("Third quarter of 2027", "2027-07-01", "2027-09-30", "quarter"),
        ("8-9 October 2015", "2015-10-08", "2015-10-09", "day"),
        ("April 2012", "2012-04-01", "2012-04-30", "month"),
        ("2017-2021", "2017-01-01", "2021-12-31", "period"),
    ],
)
def test_the_date_endpoint_reads_a_date_as_written(
    client: FlaskClient, written: str, start: str, end: str, precision: str
) -> None:
    response = client.get("/api/v1/dates", query_string={"text": written})
    assert response.status_code == 200
    assert response.get_json() == {
        "text": written,
        "start": start,
        "end": end,
        "precision": precision,
    }


def test_the_date_endpoint_reads_a_relative_date_against_the_reference(
    client: FlaskClient,
) -> None:
    query = {"text": "over the past two years", "reference": "2015-07-30"}
    body = client.get("/api/v1/dates", query_string=query).get_json()
    assert (body["start"], body["end"]) == ("2013-01-01", "2015-07-30")


@pytest.mark.parametrize(
    "query, status, field, words",
    [
        ({"text": "31 February 2027"}, 422, "text", "has no day 31"),
        ({"text": "sometime soonish"}, 422, "text", ""),
        ({"text": "   "}, 400, "text", "empty"),
        ({}, 400, "text", "missing"),
        ({"text": "2027" * 60}, 400, "text", "200 characters"),
        ({"text": "2027", "reference": "2027-02-30"}, 400, "reference", ""),
        ({"text": "2027", "when": "now"}, 400, "when", "unknown parameter"),
    ],
)
def test_the_date_endpoint_says_why_it_cannot_read_a_date(
    client: FlaskClient, query: dict[str, str], status: int, field: str, words: str
) -> None:
    response = client.get("/api/v1/dates", query_string=query)
    body = response.get_json()
    assert response.status_code == status and body["field"] == field
    assert words in body["message"] and set(body) == {"error", "message", "field"}


def test_the_date_endpoint_answers_without_a_token_on_a_private_tracker(
    app: object, client: FlaskClient
) -> None:
    app.config["ANONYMOUS_READ"] = False  # type: ignore[attr-defined]
    assert client.get("/api/v1/states").status_code == 401
    assert client.get("/api/v1/dates", query_string={"text": "2027"}).status_code == 200


def test_the_milestone_form_loads_the_preview_script_from_the_app(
    coordinator: FlaskClient, seeded: Session
) -> None:
    page = text(coordinator.get("/milestones/new"))
    assert '<script src="/static/due-preview.js"' in page and "<script>" not in page
    assert 'data-endpoint="/api/v1/dates"' in page
    with coordinator.get("/static/due-preview.js") as script:
        assert script.status_code == 200 and "dataset.endpoint" in script.get_data(as_text=True)
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    edit = text(coordinator.get(f"/milestones/{vienna}/edit"))
    assert 'data-reference="2015-10-09"' in edit


# --- (d) quotes matched up to spacing and typographic marks -------------------------------

NOTE_SLUG = "002_cf2a24d9900e4df6"
EXACT = "Practical implementation of the NAP of Tajikistan"


def test_a_quote_with_a_double_space_is_cited_as_the_notes_exact_text(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    token = csrf_token(coordinator, f"/milestones/{deadline}")
    pasted = "Practical  implementation of\nthe NAP of Tajikistan "
    added = coordinator.post(
        f"/milestones/{deadline}/citations",
        data={"csrf_token": token, "note": NOTE_SLUG, "quote": pasted},
    )
    assert added.status_code == 302
    milestone = seeded.get(Milestone, deadline)
    assert milestone is not None
    seeded.refresh(milestone)
    assert EXACT in [c.quote for c in milestone.citations]


def test_a_refused_quote_shows_the_closest_passage_and_saves_nothing(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    token = csrf_token(coordinator, f"/milestones/{deadline}")
    before = snapshot(seeded)
    refused = coordinator.post(
        f"/milestones/{deadline}/citations",
        data={"csrf_token": token, "note": NOTE_SLUG, "quote": "Practical implementing of the NAP"},
    )
    page = text(refused)
    assert refused.status_code == 400 and "closest passage" in page
    assert "Practical implementation of the NAP" in page.split("closest passage")[1]
    assert snapshot(seeded) == before


# --- (e) the status form can cite any note ------------------------------------------------


def test_the_status_form_cites_a_new_note_with_the_status(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    page = text(coordinator.get(f"/milestones/{deadline}"))
    assert f'<option value="{NOTE_SLUG}">' in page.split('name="note"')[1].split("</select>")[0]
    response = post_status(
        coordinator, deadline, status="done", note=NOTE_SLUG, quote=f"  {EXACT.replace(' ', '  ')}"
    )
    assert response.status_code == 302  # type: ignore[attr-defined]
    seeded.expire_all()
    milestone = seeded.get(Milestone, deadline)
    assert milestone is not None and milestone.status.value == "done"
    latest = max(milestone.history, key=lambda c: c.id)
    assert latest.citation is not None and latest.citation.quote == EXACT
    assert EXACT in text(coordinator.get(f"/milestones/{deadline}"))


@pytest.mark.parametrize(
    "fields, field, words",
    [
        ({"note": NOTE_SLUG, "quote": "approved in 2016"}, "quote", "closest passage"),
        ({"note": NOTE_SLUG}, "quote", "paste the words"),
        ({"quote": EXACT}, "note", "choose the note"),
        ({"note": "999_no_such_note", "quote": EXACT}, "note", "no such"),
    ],
)
def test_a_bad_new_source_on_the_status_form_says_why_and_saves_nothing(
    coordinator: FlaskClient, seeded: Session, fields: dict[str, str], field: str, words: str
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    before = snapshot(seeded)
    response = post_status(coordinator, deadline, status="done", **fields)
    page = text(response)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert f'id="{field}-error"' in page and words in page.split(f'id="{field}-error"')[1][:400]
    assert snapshot(seeded) == before
