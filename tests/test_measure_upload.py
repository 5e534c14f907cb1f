"""Uploading a plan's measures on the web (issue 15): the column mapping, the row checks in the
reader's language, unknown bodies resolved only as chosen, dropped rows, one save, and the
permission at the write."""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import TestResponse, encode_multipart

from tests.factories import make_state
from tests.web_helpers import add_account, csrf_token, sign_in, text
from tracker import services
from tracker.models import ActionPlan, Milestone, MilestoneEdit, ResponsibleBody, User
from tracker.policy import Forbidden
from tracker.services.bodies import add_body
from tracker.services.measure_upload import guess_mapping, mapped_rows, save_upload
from tracker.services.measures import plan_measures

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
EN = {"Accept-Language": "en"}

RUSSIAN_CSV = (
    "№,Мероприятие,Срок исполнения,Ответственные,Исполнители,Примечание\n"
    "1,Принять закон об экспортном контроле,III квартал 2015 г.,МИД,Государственный таможенный "
    "комитет,\n"
    "2,Обучить сотрудников таможни,в скором будущем,Государственный таможенный комитет,,x\n"
    "3,Обновить контрольный список,постоянно,Агентство по атомной энергии,,\n"
    "4,Провести круглый стол,2018,МИД,,\n"
)


def test_the_mapping_is_guessed_from_russian_and_english_headers() -> None:
    russian = ["№", "Мероприятие", "Срок исполнения", "Ответственные", "Исполнители", "Прим."]
    assert guess_mapping(russian) == ["number", "text", "time_frame", "bodies", "bodies", ""]
    english = ["No.", "Measure", "Time frame", "Competent bodies", "Area", "Operative paragraphs"]
    assert guess_mapping(english) == [
        "number", "text", "time_frame", "bodies", "area", "operative_paragraphs",
    ]  # fmt: skip
    assert guess_mapping(["Наименование мероприятия", "Срок", "Ответственные исполнители"]) == [
        "text", "time_frame", "bodies",
    ]  # fmt: skip
    assert guess_mapping(["Measure", "Text"]) == ["text", ""]  # a field takes one column


@pytest.fixture
def plan(session: Session) -> ActionPlan:
    """Uzbekistan's 2015-2016 plan with two bodies, and accounts of every kind."""
    make_state(session, "UZB"), make_state(session, "TJK")
    found = services.add_plan(
        session, "UZB", "NAP 2015-2016", "implementing", "2015-2016", ref="uzb"
    )
    add_body(session, "UZB", "Ministry of Foreign Affairs", "Министерство иностранных дел", ["МИД"])
    add_body(session, "UZB", "State Customs Committee", "Государственный таможенный комитет")
    session.commit()
    add_account(session, "uzb@example.org", "coordinator", ["UZB"])
    add_account(session, "tjk@example.org", "coordinator", ["TJK"])
    add_account(session, "viewer@example.org", "viewer")
    return found


def upload(
    client: FlaskClient, plan: ActionPlan, name: str, data: bytes, headers: dict[str, str] = RU
) -> TestResponse:
    path = f"/plans/{plan.id}/measures/upload"
    token = csrf_token(client, path)
    form = {"csrf_token": token, "file": (io.BytesIO(data), name)}
    return client.post(path, data=form, content_type="multipart/form-data", headers=headers)


def review_form(html: str) -> dict[str, str]:
    """The review form as the page fills it: token, pending id, mapping, kept rows, names."""
    form = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1],  # type: ignore[index]
        "pending": re.search(r'name="pending" value="([0-9a-f]{32})"', html)[1],  # type: ignore[index]
    }
    for i, options in re.findall(r'<select id="col-(\d+)" name="col-\d+">(.*?)</select>', html):
        chosen = re.search(r'<option value="([^"]*)" selected', options)
        form[f"col-{i}"] = chosen[1] if chosen else ""
    for name in re.findall(r'name="(keep-\d+)" checked', html):
        form[name] = "on"
    for key, value in re.findall(r'name="(name-\d+)" value="([^"]*)"', html):
        form[key] = value
    return form


def names(html: str) -> dict[str, str]:
    """The unknown names the page offers, by name: their form key's number."""
    return {
        v: k.removeprefix("name-")
        for k, v in re.findall(r'name="(name-\d+)" value="([^"]*)"', html)
    }


def measures_of(session: Session, plan: ActionPlan) -> list[str]:
    session.expire_all()
    return [m.measure_number or "" for m in plan_measures(session, plan)]


def body_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ResponsibleBody)) or 0


def test_a_russian_table_is_checked_row_by_row_in_russian_and_the_rest_saved(
    client: FlaskClient, session: Session, plan: ActionPlan
) -> None:
    sign_in(client, "uzb@example.org")
    page = upload(client, plan, "меры.csv", RUSSIAN_CSV.encode())
    html = text(page)
    assert page.status_code == 200
    form = review_form(html)
    assert [form[f"col-{i}"] for i in range(6)] == [
        "number", "text", "time_frame", "bodies", "bodies", "",
    ]  # fmt: skip
    # Row 3's time frame cannot be read: its row, field, value and reason, in Russian.
    assert re.search(r"Строка 3</a>: Срок «в скором будущем»: [а-я]", html), html
    assert "Агентство по атомной энергии" in names(html)
    # Row 5 is outside the plan's period: a warning, not an error.
    assert "вне периода плана 2015-2016" in html
    # Saving with a bad row kept saves nothing.
    refused = client.post(
        f"/plans/{plan.id}/measures/review", data=form | {"action": "save"}, headers=RU
    )
    assert refused.status_code == 400 and "Ничего не сохранено" in text(refused)
    assert measures_of(session, plan) == [] and body_count(session) == 2
    # Row 3 dropped, the unknown body chosen as new: the rest is saved in one go.
    del form["keep-3"]
    form[f"body-{names(html)['Агентство по атомной энергии']}"] = "new"
    saved = client.post(
        f"/plans/{plan.id}/measures/review", data=form | {"action": "save"}, headers=RU
    )
    assert saved.status_code == 302, text(saved)
    assert measures_of(session, plan) == ["1", "3", "4"]
    agency = session.scalars(
        select(ResponsibleBody).where(ResponsibleBody.name_ru == "Агентство по атомной энергии")
    ).one()
    first = session.scalars(select(Milestone).where(Milestone.measure_number == "1")).one()
    assert [b.name_en for b in first.bodies] == [
        "Ministry of Foreign Affairs", "State Customs Committee",
    ]  # fmt: skip
    assert first.due_text == "III квартал 2015 г." and first.due_end.isoformat() == "2015-09-30"
    third = session.scalars(select(Milestone).where(Milestone.measure_number == "3")).one()
    assert third.bodies == [agency] and third.permanent
    edits = session.scalar(select(func.count()).select_from(MilestoneEdit))
    assert edits == 3  # each measure's creation in its history
    assert "3 мероприятия сохранены" in text(client.get(f"/plans/{plan.id}", headers=RU))


def test_an_unknown_body_is_never_created_unless_chosen_and_an_alias_is_kept(
    client: FlaskClient, session: Session, plan: ActionPlan
) -> None:
    sign_in(client, "uzb@example.org")
    table = (
        "number,text,time_frame,bodies\n1,Adopt the law,2015,Customs\n2,Train,2016,MFA;Customs\n"
    )
    html = text(upload(client, plan, "m.csv", table.encode(), EN))
    form = review_form(html)
    assert set(names(html)) == {"Customs", "MFA"}
    refused = client.post(
        f"/plans/{plan.id}/measures/review", data=form | {"action": "save"}, headers=EN
    )
    assert refused.status_code == 400
    assert "Row 2</a>: Responsible bodies “Customs”: a name no body has: choose above" in text(
        refused
    )
    assert measures_of(session, plan) == [] and body_count(session) == 2
    customs = session.scalars(
        select(ResponsibleBody).where(ResponsibleBody.name_en == "State Customs Committee")
    ).one()
    ministry = session.scalars(
        select(ResponsibleBody).where(ResponsibleBody.name_en == "Ministry of Foreign Affairs")
    ).one()
    form[f"body-{names(html)['Customs']}"] = str(customs.id)
    form[f"body-{names(html)['MFA']}"] = str(ministry.id)
    checked = client.post(
        f"/plans/{plan.id}/measures/review", data=form | {"action": "check"}, headers=EN
    )
    assert checked.status_code == 200 and "2 ready to save, 0 with problems" in text(checked)
    saved = client.post(
        f"/plans/{plan.id}/measures/review", data=form | {"action": "save"}, headers=EN
    )
    assert saved.status_code == 302
    session.expire_all()
    assert body_count(session) == 2 and customs.alias_list == ["Customs"]
    assert ministry.alias_list == ["МИД", "MFA"]
    assert measures_of(session, plan) == ["1", "2"]
    # The alias is matched by itself the next time.
    again = text(
        upload(client, plan, "m.csv", b"number,text,time_frame,bodies\n5,x,2016,Customs\n", EN)
    )
    assert "Customs" not in names(again) and "1 ready to save" in again


def test_duplicate_numbers_in_the_file_or_the_plan_are_refused(
    client: FlaskClient, session: Session, plan: ActionPlan
) -> None:
    sign_in(client, "uzb@example.org")
    first = "number,text,time_frame,bodies\n1,Adopt the law,2015,МИД\n"
    form = review_form(text(upload(client, plan, "a.csv", first.encode(), EN)))
    assert (
        client.post(f"/plans/{plan.id}/measures/review", data=form | {"action": "save"}).status_code
        == 302
    )
    table = "number,text,time_frame,bodies\n1,Again,2015,МИД\n2,Two,2015,\n2,Two again,2016,\n"
    html = text(upload(client, plan, "b.csv", table.encode(), EN))
    assert "Row 2</a>: Number “1”: plan uzb already has a measure with this number" in html
    assert "Row 4</a>: Number “2”: repeats row 3" in html
    # The number is as the plan writes it, a column the mapping may move: text in "number".
    form = review_form(html) | {"col-0": "text", "col-1": "number", "action": "check"}
    moved = text(client.post(f"/plans/{plan.id}/measures/review", data=form, headers=EN))
    assert "Number “Again”" not in moved and "3 ready to save" in moved


def test_an_xlsx_table_with_english_headers_is_read(
    client: FlaskClient, session: Session, plan: ActionPlan
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["No.", "Measure", "Time frame", "Competent bodies", "Area", "OP"])
    sheet.append(
        [17, "Adopt the law", "IV квартал 2015 г.", "State Customs Committee", "legal basis", "OP2"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    sign_in(client, "uzb@example.org")
    html = text(upload(client, plan, "plan.xlsx", buffer.getvalue(), EN))
    form = review_form(html)
    assert form["col-5"] == "operative_paragraphs" and "1 ready to save" in html
    saved = client.post(f"/plans/{plan.id}/measures/review", data=form | {"action": "save"})
    assert saved.status_code == 302
    measure = session.scalars(select(Milestone).where(Milestone.measure_number == "17")).one()
    assert measure.operative_paragraphs == "OP2" and measure.measure_area is not None


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("plan.pdf", b"%PDF-1.4", "is neither a CSV nor an XLSX file"),
        ("plan.xlsx", b"PK\x03\x04 not really a workbook", "cannot be read as an XLSX workbook"),
        ("plan.csv", "№;Мероприятие\n".encode("cp1251"), "is not UTF-8 text"),
        ("plan.csv", b"number,text\n1,a\x00b\n", "cannot be read as CSV"),
        ("plan.csv", b"", "has no header row"),
        ("plan.csv", ("n" + ",n" * 80 + "\n1\n").encode(), "has more than 60 columns"),
        ("plan.csv", ("number\n" + "1\n" * 5001).encode(), "has more than 5000 rows"),
    ],
)
def test_a_broken_or_foreign_file_gets_a_clear_400(
    client: FlaskClient, plan: ActionPlan, name: str, data: bytes, reason: str
) -> None:
    sign_in(client, "uzb@example.org")
    response = upload(client, plan, name, data, EN)
    assert response.status_code == 400 and reason in text(response)


def test_a_file_over_the_upload_limit_is_refused_not_a_500(
    client: FlaskClient, plan: ActionPlan
) -> None:
    sign_in(client, "uzb@example.org")
    token = csrf_token(client, f"/plans/{plan.id}/measures/upload")
    big = FileStorage(io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.csv")
    # Encoded in memory: the test client would spool it to a temporary file left open.
    boundary, body = encode_multipart({"csrf_token": token, "file": big})
    response = client.post(
        f"/plans/{plan.id}/measures/upload",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=EN,
    )
    assert response.status_code == 413
    assert "larger than the upload limit of 2 MiB" in text(response)
    assert 'enctype="multipart/form-data"' in text(response)


def test_readers_and_other_states_coordinators_are_refused_at_the_post(
    app: object, client: FlaskClient, session: Session, plan: ActionPlan
) -> None:
    sign_in(client, "uzb@example.org")
    form = review_form(
        text(upload(client, plan, "m.csv", b"number,text,time_frame\n1,x,2015\n", EN))
    )
    for email in ("viewer@example.org", "tjk@example.org"):
        other = client.application.test_client()
        sign_in(other, email)
        assert other.get(f"/plans/{plan.id}/measures/upload").status_code == 403
        forged = form | {"csrf_token": csrf_token(other, "/account"), "action": "save"}
        response = other.post(f"/plans/{plan.id}/measures/review", data=forged)
        assert response.status_code == 403
        direct = other.post(
            f"/plans/{plan.id}/measures/upload",
            data={
                "csrf_token": forged["csrf_token"],
                "file": (io.BytesIO(b"number\n1\n"), "m.csv"),
            },
            content_type="multipart/form-data",
        )
        assert direct.status_code == 403
    assert measures_of(session, plan) == []
    # The service asks the policy at the write, whoever calls it.
    reader = session.scalars(select(User).where(User.email == "tjk@example.org")).one()
    with pytest.raises(Forbidden):
        save_upload(
            session,
            plan,
            [(2, {"number": "1", "text": "x", "time_frame": "2015"})],
            [],
            user=reader,
        )
    session.rollback()
    assert measures_of(session, plan) == []


def test_several_columns_of_bodies_are_joined(session: Session) -> None:
    from tracker.services.measure_import import Table

    table = Table(
        "t.csv", ["№", "Ответственные", "Исполнители"], [["1", "МИД", "ГТК"], ["2", "", "ГТК"]]
    )
    rows = mapped_rows(table, guess_mapping(table.header))
    assert rows == [{"number": "1", "bodies": "МИД; ГТК"}, {"number": "2", "bodies": "ГТК"}]
