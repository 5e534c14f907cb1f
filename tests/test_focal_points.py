"""A responsible body's focal points: they record progress on their body's measures and on
nothing else (web, API, bulk, CLI), administrators assign them (body page, CLI), they get
their body's reminders in their own language; and the plan's progress chart in the PDF."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import parse_smtp_url
from tests.factories import make_state
from tests.smtp_server import SmtpServer, smtp_server  # noqa: F401 (a fixture)
from tests.web_helpers import add_account, csrf_token, sign_in, snapshot, text
from tracker import services
from tracker.enums import MilestoneStatus
from tracker.models import Milestone, ResponsibleBody, User
from tracker.policy import Action, allows
from tracker.services.bodies import add_body, add_focal_point

FOCAL = "customs@example.org"
JSON = "application/json"


def uzbek_measures(session: Session) -> dict[str, int]:
    """Uzbekistan's 2015-2016 plan: measure 1 is the Customs Committee's, measure 2 the
    Ministry of Foreign Affairs', and a workshop that is no measure; a focal point of Customs."""
    make_state(session, "UZB")
    services.add_plan(session, "UZB", "NAP 2015-2016", "implementing", "2015-2016", ref="uzb")
    customs = add_body(
        session, "UZB", "State Customs Committee", "Государственный таможенный комитет"
    )
    add_body(session, "UZB", "Ministry of Foreign Affairs", "Министерство иностранных дел")
    ids = {"body": customs.id}
    for number, body, due in (("1", "State Customs Committee", "December 2016"),
                              ("2", "Ministry of Foreign Affairs", "December 2016")):  # fmt: skip
        draft = services.MilestoneDraft(
            kind="measure", title=f"Measure {number}", due=due, states=["UZB"], plan_ref="uzb",
            measure_number=number, measure_area="export_control", bodies=body,
        )  # fmt: skip
        ids[number] = services.create_milestone(session, draft).id
    workshop = services.MilestoneDraft(
        kind="workshop", title="Export control workshop", due="December 2016", states=["UZB"]
    )
    ids["workshop"] = services.create_milestone(session, workshop).id
    user = services.add_user(session, FOCAL, "a long password", "viewer", [])
    add_focal_point(session, customs, user)
    session.commit()
    return ids


def kept(session: Session) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows but the accounts' (whose last visit a page view may note)."""
    rows = snapshot(session)
    rows.pop("users"), rows.pop("api_tokens")  # (a token's last use is noted too)
    return rows


def status_of(session: Session, milestone_id: int) -> MilestoneStatus:
    session.expire_all()
    status = session.scalar(select(Milestone.status).where(Milestone.id == milestone_id))
    session.rollback()
    assert status is not None
    return status


# --- the policy -----------------------------------------------------------------------------


def test_a_focal_point_may_record_progress_on_its_body_s_measures_only(session: Session) -> None:
    ids = uzbek_measures(session)
    user = session.scalar(select(User).where(User.email == FOCAL))
    mine, theirs, workshop = (session.get(Milestone, ids[k]) for k in ("1", "2", "workshop"))
    assert allows(user, Action.RECORD_PROGRESS, mine)
    assert not allows(user, Action.RECORD_PROGRESS, theirs)
    assert not allows(user, Action.RECORD_PROGRESS, workshop)
    # Narrower than a coordinator: no edits, no new milestones, no accounts.
    assert not allows(user, Action.EDIT_MILESTONE, mine)
    assert not allows(user, Action.EDIT_MILESTONE, ["UZB"])
    assert not allows(user, Action.MANAGE_ACCOUNTS)


# --- the web form ---------------------------------------------------------------------------


def post_status(client: FlaskClient, milestone_id: int, session: Session) -> tuple[int, str]:
    page = f"/milestones/{milestone_id}"
    version = session.scalar(select(Milestone.version).where(Milestone.id == milestone_id))
    session.rollback()
    form = {
        "csrf_token": csrf_token(client, "/"),
        "version": str(version),
        "status": "in_progress",
        "effective_on": "2016-03-01",
        "comment": "Training started",
    }
    response = client.post(f"{page}/status", data=form)
    return response.status_code, text(response)


def test_a_focal_point_records_its_measure_s_progress_on_the_web(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    sign_in(client, FOCAL)
    page = client.get(f"/milestones/{ids['1']}").get_data(as_text=True)
    assert "Update status" in page and "Edit details" not in page and "Add a source" not in page
    status, _body = post_status(client, ids["1"], session)
    assert status == 302
    assert status_of(session, ids["1"]) is MilestoneStatus.IN_PROGRESS


@pytest.mark.parametrize(
    ("which", "reason"),
    [
        ("2", "this measure is not one of that body"),
        ("workshop", "not on other milestones"),
    ],
)
def test_a_forged_status_post_on_another_body_s_measure_or_a_milestone_is_403(
    client: FlaskClient, session: Session, which: str, reason: str
) -> None:
    ids = uzbek_measures(session)
    sign_in(client, FOCAL)
    assert "Update status" not in client.get(f"/milestones/{ids[which]}").get_data(as_text=True)
    before = kept(session)
    status, body = post_status(client, ids[which], session)
    assert status == 403 and reason in body.replace("’", "'")
    assert kept(session) == before


def test_a_focal_point_may_not_edit_a_measure_or_create_a_milestone(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    sign_in(client, FOCAL)
    refused = client.get(f"/milestones/{ids['1']}/edit")
    assert refused.status_code == 403
    assert "may only record progress" in text(refused)
    assert client.get("/milestones/new").status_code == 403


# --- the API --------------------------------------------------------------------------------


def token(session: Session) -> dict[str, str]:
    user = session.scalar(select(User).where(User.email == FOCAL))
    assert user is not None
    _token, secret = services.create_token(session, user, "api", "tests")
    session.commit()
    return {"Authorization": f"Bearer {secret}"}


def api_status(client: FlaskClient, milestone_id: int, headers: dict[str, str]) -> tuple[int, str]:
    url = f"/api/v1/milestones/{milestone_id}"
    etag = client.get(url).headers["ETag"]
    change = {"status": "in_progress", "on": "2016-03-01", "comment": "Training started"}
    response = client.post(
        f"{url}/status-changes",
        data=json.dumps(change),
        content_type=JSON,
        headers=headers | {"If-Match": etag},
    )
    failed = response.status_code >= 400
    return response.status_code, response.get_json()["message"] if failed else ""


def test_the_api_lets_a_focal_point_record_its_measure_and_refuses_the_rest(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    headers = token(session)
    assert api_status(client, ids["1"], headers) == (201, "")
    assert status_of(session, ids["1"]) is MilestoneStatus.IN_PROGRESS
    status, message = api_status(client, ids["2"], headers)
    assert status == 403 and "State Customs Committee (UZB)" in message
    status, message = api_status(client, ids["workshop"], headers)
    assert status == 403 and "not on other milestones" in message
    url = f"/api/v1/milestones/{ids['1']}"
    etag = client.get(url).headers["ETag"]
    edit = client.patch(
        url, data=json.dumps({"title": "Renamed"}), content_type=JSON,
        headers=headers | {"If-Match": etag},
    )  # fmt: skip
    assert edit.status_code == 403
    assert status_of(session, ids["2"]) is MilestoneStatus.PLANNED


def test_a_bulk_update_with_one_forbidden_measure_changes_nothing(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    headers = token(session)
    before = kept(session)
    change = {"milestones": [ids["1"], ids["2"]], "status": "done", "on": "2016-03-01"}
    response = client.post(
        "/api/v1/milestones/bulk-status", data=json.dumps(change), content_type=JSON,
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 403
    assert f"#{ids['2']}" in response.get_json()["message"]
    assert kept(session) == before
    alone = {"milestones": [ids["1"]], "status": "done", "on": "2016-03-01"}
    response = client.post(
        "/api/v1/milestones/bulk-status", data=json.dumps(alone), content_type=JSON,
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 200, response.get_json()
    assert status_of(session, ids["1"]) is MilestoneStatus.DONE


# --- assigning focal points ----------------------------------------------------------------


def test_the_cli_assigns_a_focal_point_and_names_an_unknown_body_or_e_mail(
    runner: FlaskCliRunner, session: Session
) -> None:
    ids = uzbek_measures(session)
    add_account(session, "mfa@example.org", "viewer")
    mfa = session.scalar(select(ResponsibleBody.id).where(ResponsibleBody.name_en.like("Min%")))
    session.rollback()
    added = runner.invoke(args=["body", "focal-point", "add", str(mfa), "mfa@example.org"])
    assert added.exit_code == 0, added.output
    assert "mfa@example.org is a focal point of Ministry of Foreign Affairs" in added.output
    listed = runner.invoke(args=["body", "focal-point", "list", str(mfa)])
    assert listed.output.split() == ["mfa@example.org"]
    again = runner.invoke(args=["body", "focal-point", "add", str(mfa), "mfa@example.org"])
    assert again.exit_code == 2 and "already a focal point" in again.output
    unknown_body = runner.invoke(args=["body", "focal-point", "add", "9999", "mfa@example.org"])
    assert unknown_body.exit_code == 2 and "9999" in unknown_body.output
    assert "no such responsible body" in unknown_body.output
    unknown_user = runner.invoke(
        args=["body", "focal-point", "add", str(ids["body"]), "nobody@example.org"]
    )
    assert unknown_user.exit_code == 2 and "nobody@example.org" in unknown_user.output
    assert "no such account" in unknown_user.output
    removed = runner.invoke(args=["body", "focal-point", "remove", str(mfa), "mfa@example.org"])
    assert removed.exit_code == 0, removed.output
    assert runner.invoke(args=["body", "focal-point", "list", str(mfa)]).output == ""


def test_an_admin_assigns_a_focal_point_on_the_body_s_page_and_users_pages_name_the_role(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    add_account(session, "admin@example.org", "admin")
    add_account(session, "new@example.org", "viewer")
    sign_in(client, "admin@example.org")
    page = f"/bodies/{ids['body']}"
    assert "customs@example.org" in client.get(page).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, page), "email": "ghost@example.org", "submit": "1"}
    refused = client.post(f"{page}/focal-points", data=form)
    assert refused.status_code == 404 and "no such account" in text(refused)
    form["email"] = "new@example.org"
    assert client.post(f"{page}/focal-points", data=form).status_code == 302
    users = client.get("/users").get_data(as_text=True)
    assert users.count("<small>focal point of") == 2
    russian = re.sub(r"<[^>]+>", "", client.get("/users?lang=ru").get_data(as_text=True))
    assert "контактное лицо: Государственный таможенный комитет (UZB)" in russian
    sign_in(client, "new@example.org")
    account = client.get("/account?lang=en").get_data(as_text=True)
    assert "focal point of" in account and "State Customs Committee (UZB)" in account
    assert "Update status" in client.get(f"/milestones/{ids['1']}").get_data(as_text=True)


def test_only_admins_assign_focal_points(client: FlaskClient, session: Session) -> None:
    ids = uzbek_measures(session)
    sign_in(client, FOCAL)
    page = f"/bodies/{ids['body']}"
    assert "Add focal point" not in client.get(page).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, "/"), "email": FOCAL, "remove": "1"}
    response = client.post(f"{page}/focal-points", data=form)
    assert response.status_code == 403


# --- reminders ------------------------------------------------------------------------------


def test_a_focal_point_gets_its_body_s_reminders_in_its_own_language(
    app: Flask,
    session: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    app.config.update(
        SMTP=parse_smtp_url(smtp_server.url),
        SMTP_CA_FILE=smtp_server.ca_file,
        BASE_URL="https://nap.example.org",
        MAIL_FROM="NAP tracker <tracker@nap.example.org>",
    )
    uzbek_measures(session)
    user = session.scalar(select(User).where(User.email == FOCAL))
    assert user is not None
    services.set_locale(session, None, user, "ru")
    session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["remind", "--as-of", "2016-12-01"])
    assert result.exit_code == 0, result.output
    assert [r.recipients for r in smtp_server.received] == [[FOCAL]]
    message = smtp_server.received[0].message
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    words = str(part.get_content())
    assert "Measure 1" in words and "Measure 2" not in words
    assert "Export control workshop" not in words
    assert "Напоминание" in str(message["Subject"]) or "напомин" in words.lower()
    later = runner.invoke(args=["remind", "--as-of", "2017-01-03"])
    assert later.exit_code == 0, later.output
    overdue = [r.message for r in smtp_server.received[1:] if "digest" not in r.message["Subject"]]
    assert len(overdue) == 1 and "Просрочено" in str(overdue[0]["Subject"])


# --- the progress chart in the PDF ----------------------------------------------------------


def test_the_state_timeline_pdf_carries_each_plan_s_progress_chart(
    client: FlaskClient, session: Session
) -> None:
    ids = uzbek_measures(session)
    measure = session.get(Milestone, ids["1"])
    assert measure is not None
    services.change_status(session, measure, "done", date(2016, 3, 1))
    session.commit()
    response = client.get("/states/UZB/timeline.pdf?as_of=2016-06-30")
    assert response.status_code == 200
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages]
    words = " ".join(" ".join(pages).split())
    assert "Progress of NAP 2015-2016, by quarter" in words
    assert "50% done (1 of 2 measures); 1 on time, 0 overdue, 1 not started" in words
    assert "2015" in words and "Q2" in words and "100%" in words  # the chart's axis and labels
    assert "Done (dark green), open (light blue) and overdue (red)" in words
    russian = client.get("/states/UZB/timeline.pdf?as_of=2016-06-30&lang=ru")
    text_ru = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(russian.data)).pages)
    assert "Ход выполнения" in " ".join(text_ru.split())
