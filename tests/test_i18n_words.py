"""Issue 12, the Python side in Russian: refusals, labels, forms, error pages, the API's
messages, the CLI's --lang, downloads and e-mails in the reader's language."""

from __future__ import annotations

import csv
import html
import io
from email import message_from_string
from email.message import EmailMessage
from email.policy import default

from click.testing import CliRunner, Result
from flask import Flask, render_template_string
from flask.cli import ScriptInfo
from flask.testing import FlaskClient, FlaskCliRunner
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from config import TestConfig
from tests.api_helpers import make_token
from tests.test_pdf import pages
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, text
from tracker import create_app, inputs, messages
from tracker.commands import cli
from tracker.enums import MilestoneKind, PlanStatus, Role
from tracker.labels import label
from tracker.models import User
from tracker.reminder_models import OutboxMessage

RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}
EN = {"Accept-Language": "en"}
REPORT = "/report.{}?as_of=2016-03-01"


# --- refusals and labels: words at the edge, English outside the application ---------------


def test_a_refusal_is_english_outside_the_app_and_russian_when_the_reader_is(app: Flask) -> None:
    error = inputs.InputError("within", "abc", "not_whole_number", low=0, high=3660)
    english = "within 'abc': must be a whole number from 0 to 3660"
    assert messages.describe(error) == english == str(error)
    with app.test_request_context(headers=RU):
        assert messages.describe(error) == "within 'abc': должно быть целым числом от 0 до 3660"
        assert str(error) == english  # logs and tests keep the catalogue's English
    with app.app_context(), force_locale("ru"):
        assert messages.reason(error) == "должно быть целым числом от 0 до 3660"


def test_every_catalogue_template_has_russian_words(app: Flask) -> None:
    """No refusal falls back to English for a Russian reader (the "{reason}" ones are words
    made elsewhere, and "{name} <{email}>" has no words of its own)."""
    with app.app_context(), force_locale("ru"):
        for code, template in messages.MESSAGES.items():
            if not any(ch.isalpha() for ch in _without_placeholders(template)):
                continue
            params = {name: "x" for name in _placeholders(template)}
            worded = messages.word(code, params)
            assert worded != template.format(**params), f"{code} is not translated"
            assert any("а" <= ch <= "я" for ch in worded.lower()), code


def _without_placeholders(template: str) -> str:
    import string

    return "".join(text for text, _, _, _ in string.Formatter().parse(template))


def _placeholders(template: str) -> list[str]:
    import string

    return [name.split("!")[0] for _, name, _, _ in string.Formatter().parse(template) if name]


def test_labels_keep_english_in_the_enum_and_word_it_for_the_reader(app: Flask) -> None:
    assert MilestoneKind.WORKSHOP.label == "workshop / training"
    with app.test_request_context(headers=RU):
        assert label(MilestoneKind.WORKSHOP) == "семинар / тренинг"
        assert label("under_review", PlanStatus) == "на пересмотре"
        assert label(Role.COORDINATOR) == "координатор"
        page = render_template_string("{{ k | label }}; {{ s | label('plan') }}", k="round_table",
                                      s="drafting")  # fmt: skip
        assert page == "round table; разрабатывается"  # a plain string needs its vocabulary
        page = render_template_string("{{ k | label }}", k=MilestoneKind.ROUND_TABLE)
        assert page == "круглый стол"
    with app.test_request_context(headers=EN):
        assert label(MilestoneKind.WORKSHOP) == "workshop / training"


# --- pages, forms, error pages --------------------------------------------------------------


def shown(response: TestResponse) -> str:
    """The page's text as a reader sees it (entities decoded)."""
    return html.unescape(text(response))


def test_a_russian_reader_gets_the_policys_refusal_in_russian(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "viewer@example.org", "viewer")
    sign_in(client, "viewer@example.org")
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    form = {
        "csrf_token": csrf_token(client, f"/milestones/{deadline}"),
        "status": "done",
        "effective_on": "2016-01-20",
        "version": "2",
    }
    page = client.post(f"/milestones/{deadline}/status", data=form, headers=RU)
    assert page.status_code == 403
    assert "Ваша учётная запись может читать, но не редактировать (роль: читатель)." in shown(page)


def test_form_labels_choices_and_wtforms_own_messages_are_russian(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    page = text(client.get("/milestones/new", headers=RU))
    assert "Участвующие государства" in page or "Государства-участники" in page
    assert ">семинар / тренинг</option>" in page and "Сохранить этап" in page
    data = {"csrf_token": csrf_token(client, "/milestones/new"), "kind": "workshop"}
    refused = text(client.post("/milestones/new", data=data, headers=RU))
    assert "Обязательное поле." in refused  # WTForms' own Russian message
    assert "This field is required." not in refused


def test_error_pages_give_the_reason_in_the_readers_language(
    client: FlaskClient, seeded: Session
) -> None:
    missing = client.get("/no/such/page", headers=RU)
    assert missing.status_code == 404
    assert "По этому адресу ничего не найдено." in text(missing)
    bad = client.get("/report?as_of=2016-02-30", headers=RU)
    assert bad.status_code == 400
    assert "as_of '2016-02-30': должно быть существующей датой в формате ГГГГ-ММ-ДД" in shown(bad)
    english = client.get("/report?as_of=2016-02-30", headers=EN)
    assert "must be a real date written YYYY-MM-DD" in text(english)


# --- the API: message in the reader's language, codes and fields unchanged -------------------


def test_the_api_words_its_message_by_accept_language_and_keeps_code_and_field(
    client: FlaskClient, seeded: Session
) -> None:
    headers = make_token(seeded, "viewer")
    url = "/api/v1/report?as_of=2016-13-01"
    english = client.get(url, headers={**headers, **EN}).get_json()
    russian = client.get(url, headers={**headers, **RU}).get_json()
    assert english["error"] == russian["error"] and english.get("field") == russian.get("field")
    assert "must be a real date" in english["message"]
    assert "должно быть существующей датой" in russian["message"]
    lost = client.get("/api/v1/nowhere", headers=RU).get_json()
    assert lost["error"] == "not_found" and lost["message"].startswith("такого пути API нет")


def test_an_api_refusal_of_the_policy_is_russian_for_a_russian_reader(
    client: FlaskClient, seeded: Session
) -> None:
    headers = make_token(seeded, "coordinator", ("UZB",), email="uzb@example.org")
    url = f"/api/v1/milestones/{ref_id(seeded, 'tjk-approval-deadline-2015')}"
    etag = client.get(url).headers["ETag"]
    refused = client.patch(url, json={"title": "x"}, headers={**headers, **RU, "If-Match": etag})
    body = refused.get_json()
    assert refused.status_code == 403 and body["error"] == "forbidden"
    assert body["message"] == "вы координируете UZB; это касается только TJK"


# --- the CLI: --lang and TRACKER_LANG for human output ---------------------------------------


def test_the_cli_refuses_in_russian_with_exit_2(database_url: str, seeded: Session) -> None:
    """The `tracker` group itself (its --lang option), on the test's database."""
    app = create_app(TestConfig(database_url), web=False)
    info = ScriptInfo(create_app=lambda: app)

    def run(*args: str, **env: str) -> Result:
        return CliRunner().invoke(cli, list(args), obj=info, env=env)

    try:
        result = run("--lang", "ru", "report", "--within", "abc")
        assert result.exit_code == 2
        assert (
            "within 'abc': не является целым числом; within принимает целые числа от 0 до 3660"
            in result.output
        )
        by_env = run("report", "--as-of", "2016-02-30", TRACKER_LANG="ru")
        assert by_env.exit_code == 2 and "такого дня нет" in by_env.output
        report = run("--lang", "ru", "report", "--as-of", "2016-03-01")
        assert report.exit_code == 0 and "ПРОСРОЧЕНО (3)" in report.output
        assert "просрочено на 61 день" in report.output
        neutral = run("--lang", "ru", "report", "--as-of", "2016-03-01", "--format", "json")
        assert '"status": "in_progress"' in neutral.output and "выполняется" not in neutral.output
    finally:
        app.extensions["tracker.engine"].dispose()


def test_the_cli_speaks_english_without_a_language(runner: FlaskCliRunner, seeded: Session) -> None:
    result = runner.invoke(args=["report", "--within", "abc"])
    assert result.exit_code == 2
    assert "within 'abc': not a valid integer; within takes whole numbers from 0 to 3660" in (
        result.output
    )


# --- downloads -------------------------------------------------------------------------------


def test_the_csv_has_russian_headings_and_labels_and_english_keeps_its_field_names(
    client: FlaskClient, seeded: Session
) -> None:
    russian = client.get(REPORT.format("csv"), headers=RU).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(russian.lstrip("\ufeff"))))
    assert rows[0][:6] == ["Отметка", "ID", "Название", "Вид", "Государства", "Статус"]
    approval = next(row for row in rows if row[2].startswith("Government approval"))
    assert approval[0] == "просрочено" and approval[3] == "срок утверждения"
    english = client.get(REPORT.format("csv"), headers=EN).get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith("flag,id,title,kind,states,status")


def test_the_workbook_speaks_russian(client: FlaskClient, seeded: Session) -> None:
    body = client.get(REPORT.format("xlsx"), headers=RU).get_data()
    book = load_workbook(io.BytesIO(body))
    assert book.sheetnames[:3] == ["Просрочено", "Предстоящие", "Требует проверки"]
    header = [cell.value for cell in book["Просрочено"][1]]
    assert header[:4] == ["Отметка", "ID", "Этап", "Вид"]
    values = [cell.value for cell in book["Итоги TJK"]["A"]]
    assert "Просрочено сейчас" in values and "Доля выполненных в срок" in values


def test_ics_and_pdf_speak_russian(client: FlaskClient, seeded: Session) -> None:
    ics = client.get(REPORT.format("ics"), headers=RU).get_data(as_text=True)
    unfolded = ics.replace("\r\n ", "")
    assert "SUMMARY:[просрочено] срок до 2015-12-31: Government approval" in unfolded
    pdf = pages(client.get("/report.pdf?as_of=2016-03-01", headers=RU).get_data())
    assert "Отчёт о сроках: национальные планы действий" in pdf[0]
    assert "Просрочено" in pdf[0] and "стр. 1 из" in pdf[0]


# --- e-mail: the recipient's language, whoever sends it ---------------------------------------


def test_a_reminder_is_written_in_the_recipients_language(
    runner: FlaskCliRunner, seeded: Session
) -> None:
    env = {"TRACKER_PASSWORD": "a long password"}
    for email in ("ru@example.org", "en@example.org"):
        add = ["user", "add", email, "--role", "coordinator", "--state", "TJK"]
        assert runner.invoke(args=add, env=env).exit_code == 0
    seeded.execute(update(User).where(User.email == "ru@example.org").values(locale="ru"))
    seeded.commit()
    assert runner.invoke(args=["remind", "--as-of", "2015-09-08"]).exit_code == 0
    sent = {m.recipient: m for m in seeded.scalars(select(OutboxMessage))}
    russian = sent["ru@example.org"]
    assert russian.subject == "Трекер НПД: 1 напоминание, просрочено: 1"
    assert sent["en@example.org"].subject == "NAP tracker: 1 reminder, 1 overdue"
    message = message_from_string(russian.raw, policy=default)
    assert isinstance(message, EmailMessage)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None and "запланирован" in str(part.get_content())  # the status, worded


def test_a_data_warning_is_worded_for_the_reader_and_stays_english_in_json(
    client: FlaskClient, seeded: Session
) -> None:
    first_report = ref_id(seeded, "tjk-first-national-report-2004")
    page = shown(client.get(f"/milestones/{first_report}", headers=RU))
    assert "раньше принятия резолюции 1540 (28 апреля 2004 г.)" in page
    assert "before resolution 1540 was adopted" not in page
    headers = make_token(seeded, "viewer")
    body = client.get(f"/api/v1/milestones/{first_report}", headers={**headers, **RU}).get_json()
    assert any("before resolution 1540 was adopted" in w for w in body["warnings"])
