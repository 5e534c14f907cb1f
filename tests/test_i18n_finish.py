"""Issue 12, the last English a Russian reader met: the activity stream and its feed, who
recorded a change, the import's matching reasons, a plan needing review, the field names of
the edit history and of the 409 page, the progress chart, and the CLI's human output."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import make_url
from sqlalchemy.orm import Session

from config import TestConfig
from tests.test_measures import loaded as loaded  # the Uzbek plan with four measures
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, text
from tracker import create_app, services
from tracker.commands import cli
from tracker.models import ActionPlan, ResponsibleBody
from tracker.services.drafts import FORM_FIELDS, MilestoneDraft

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}


def _coordinator(client: FlaskClient, seeded: Session) -> FlaskClient:
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    return client


def _edit_organisers(seeded: Session, ref: str, organisers: str) -> int:
    """Edit a milestone's organisers as an account without a display name; its id."""
    milestone = services.get_milestone(seeded, ref_id(seeded, ref))
    draft = MilestoneDraft.from_milestone(milestone)
    author = services.users.get_user(seeded, "tjk@example.org")
    services.edit_milestone(
        seeded,
        milestone,
        _with(draft, organisers=organisers),
        milestone.version,
        recorded_by=author,
    )
    seeded.commit()
    return milestone.id


def _with(draft: MilestoneDraft, **changes: object) -> MilestoneDraft:
    from dataclasses import replace

    return replace(draft, **changes)  # type: ignore[arg-type]


def test_activity_and_its_feed_word_changes_in_russian(
    client: FlaskClient, seeded: Session
) -> None:
    _coordinator(client, seeded)
    _edit_organisers(seeded, "tjk-wg-session-vienna-2015-10", "ОБСЕ")
    page = text(client.get("/activity", headers=RU))
    assert "запланирован → выполнен, с 24 мая 2017\u00a0г.: Held;" in page
    assert ", effective " not in page and "new milestone" not in page
    assert "новый этап" in page and "ссылается на «" in page
    assert "изменено: организаторы" in page
    assert "Координатор (TJK)" in page and "Coordinator" not in page
    feed = client.get("/activity.atom", headers=RU).get_data(as_text=True)
    assert "новый этап" in feed and ", effective " not in feed and "cites " not in feed
    english = text(client.get("/activity", headers={"Accept-Language": "en"}))
    assert ", effective 1 March 2016" in english and "changed organisers" in english


def test_history_and_conflict_name_fields_in_russian(client: FlaskClient, seeded: Session) -> None:
    _coordinator(client, seeded)
    milestone_id = _edit_organisers(seeded, "tjk-wg-session-vienna-2015-10", "ОБСЕ")
    page = text(client.get(f"/milestones/{milestone_id}", headers=RU))
    assert "организаторы “" in page and "organisers “" not in page
    assert "Координатор (TJK)" in page
    milestone = services.get_milestone(seeded, milestone_id)
    stale = milestone.version
    _edit_organisers(seeded, "tjk-wg-session-vienna-2015-10", "ОБСЕ, УНП ООН")
    form = {spec.name: spec.read(milestone) for spec in FORM_FIELDS}
    data = {k: ("" if v is None else v) for k, v in form.items()}
    token = csrf_token(client, f"/milestones/{milestone_id}/edit")
    data |= {"csrf_token": token, "version": str(stale), "title": "Другое название"}
    data |= {"submit": "1"}
    response = client.post(f"/milestones/{milestone_id}/edit", data=data, headers=RU)
    assert response.status_code == 409
    conflict = text(response)
    assert "<td>название</td>" in conflict and "<td>title</td>" not in conflict
    assert "организаторы" in conflict  # the latest edit's fields, named in Russian
    assert "Coordinator" not in conflict


def test_import_review_gives_its_matching_reason_in_russian(
    client: FlaskClient, seeded: Session
) -> None:
    _coordinator(client, seeded)
    note = (
        "Event: Workshop on the national report of Kyrgyzstan\n"
        "Date and venue: 14-15 April 2027, Bishkek\nOrganizers: OSCE\n\n"
        "The workshop will prepare the second national report of Kyrgyzstan.\n"
    )
    token = csrf_token(client, "/notes/new")
    data = {"csrf_token": token, "name": "005_bishkek", "text": note}
    page = text(client.post("/notes/new", data=data, headers=RU))
    assert "совпадающих известных этапов нет" in page
    assert "no known milestone matches" not in page


def test_a_plan_needing_review_is_named_in_russian(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/", headers=RU))
    assert "план: 2014 National Action Plan of Uzbekistan" in page
    assert "plan: 2014" not in page


def test_the_progress_chart_speaks_russian(
    client: FlaskClient, loaded: tuple[ActionPlan, ResponsibleBody]
) -> None:
    plan, _customs = loaded
    page = text(client.get(f"/plans/{plan.id}?as_of=2016-06-30", headers=RU))
    assert ">II\u00a0кв.</text>" in page and ">Q2</text>" not in page  # under each column
    assert "II квартал 2016\u00a0г. (на 30 июня 2016\u00a0г.): выполнено 1 из 4 (25%)" in page
    assert '<th scope="row">III квартал 2015\u00a0г.</th>' in page  # the table beside it
    assert "Ход выполнения: " in page and "Progress of" not in page
    assert "as of 2016" not in page and "Share of measures" not in page
    english = text(client.get(f"/plans/{plan.id}?as_of=2016-06-30&lang=en"))
    assert "Q2 2016 (as of 30 June 2016): 1 of 4 done (25%)" in english


# --- the CLI's human output with TRACKER_LANG=ru ---------------------------------------------

NOTE_FILE = (
    "Event: Workshop on the national report of Kyrgyzstan\n"
    "Date and venue: 14-15 April 2027, Bishkek\nOrganizers: OSCE\n\n"
    "The workshop will prepare the second national report of Kyrgyzstan, due in March.\n"
)


def test_the_cli_speaks_russian_with_tracker_lang(
    database_url: str, seeded: Session, tmp_path: Path
) -> None:
    app = create_app(TestConfig(database_url), web=False)
    info = ScriptInfo(create_app=lambda: app)

    def run(*args: str) -> Result:
        result = CliRunner().invoke(cli, list(args), obj=info, env={"TRACKER_LANG": "ru"})
        assert result.exit_code == 0, result.output
        return result

    try:
        assert "База данных на ревизии head." in run("db", "upgrade").output
        assert run("seed").output.startswith("Делать нечего: все ")
        report = run("report", "--as-of", "2016-03-01").output
        assert "на 1 марта 2016\u00a0г." in report and "2016-03-01" not in report
        timeline = run("timeline", "TJK", "--as-of", "2016-03-01").output
        assert "на 1 марта 2016\u00a0г." in timeline.splitlines()[0]
        note = tmp_path / "005_bishkek.txt"
        note.write_text(NOTE_FILE, encoding="utf-8")
        shown = run("import-note", str(note), "--dry-run").output
        assert "Записка 005_bishkek (информационная записка)" in shown
        assert "Предложений: " in shown and "совпадающих известных этапов нет" in shown
        assert "14–15 апреля 2027\u00a0г. (14-15 April 2027)" in shown
        assert "no known milestone" not in shown and "proposals:" not in shown
        neutral = run("import-note", str(note), "--dry-run", "--format", "json").output
        assert '"reason": "no known milestone matches"' in neutral  # JSON stays neutral
        if make_url(database_url).get_backend_name() == "sqlite":
            copy = run("backup", str(tmp_path / "copy.sqlite3")).output
            assert copy.startswith("Резервная копия ")
    finally:
        app.extensions["tracker.engine"].dispose()


def test_the_timeline_drawing_writes_its_as_of_day_in_russian(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/states/TJK?as_of=2016-03-01", headers=RU))
    assert "на 1 марта 2016\u00a0г." in page and "на 2016-03-01" not in page
