"""Issue 12, the rest of the CLI: with TRACKER_LANG=ru, `user add`, `token`, `status`, `body`,
`import-measures` and `remind` answer in Russian (counts in Russian plurals), their row
problems and refusals included; without it they keep their English."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy.orm import Session

from tests.test_measures import GOOD_CSV, draft, uzbek_plan, write
from tracker import services
from tracker.commands import cli

Run = Callable[..., Result]


def _runner(app: Flask, lang: str = "ru") -> Run:
    info = ScriptInfo(create_app=lambda: app)

    def run(*args: str, code: int = 0) -> Result:
        env = {"TRACKER_LANG": lang, "TRACKER_PASSWORD": "correct horse battery staple 42"}
        result = CliRunner().invoke(cli, list(args), obj=info, env=env)
        assert result.exit_code == code, result.output
        return result

    return run


def test_accounts_tokens_and_statuses_answer_in_russian(app: Flask, session: Session) -> None:
    uzbek_plan(session)
    measure = services.create_milestone(session, draft("1"))
    session.commit()
    run = _runner(app)
    added = run("user", "add", "lola@example.tj", "--role", "coordinator", "--state", "TJK")
    assert added.output.strip() == "Добавлен координатор lola@example.tj (TJK)."
    created = run("token", "create", "lola@example.tj").output
    assert "Токен 1 для lola@example.tj; скопируйте его сейчас" in created
    assert "copy it now" not in created
    revoked = run("token", "revoke", "1").output
    assert revoked.strip() == "Токен 1 (lola@example.tj) отозван."
    shown = run("status", str(measure.id), "done", "--on", "2016-03-01").output
    assert shown.strip() == "Этап 1 (Measure 1): выполнен на 1 марта 2016\u00a0г."
    assert " is " not in shown and "as of" not in shown
    refused = run("status", str(measure.id), "cancelled", "--on", "2019-01-15", code=2).output
    assert refused.startswith("Error: status 'cancelled': ") and "cannot go" not in refused
    english = _runner(app, "en")("status", str(measure.id), "in_progress", "--on", "2019-01-15")
    assert "Milestone 1 (Measure 1) is in progress as of 2019-01-15." in english.output


def test_bodies_and_focal_points_answer_in_russian(app: Flask, session: Session) -> None:
    uzbek_plan(session)
    services.add_user(session, "mfa@example.org", "correct horse battery 42", "viewer", [], "")
    session.commit()
    run = _runner(app)
    body = run("body", "add", "UZB", "Ministry of Justice", "--ru", "Министерство юстиции")
    assert body.output.strip() == "Ведомство 3: Ministry of Justice (UZB)."
    added = run("body", "focal-point", "add", "1", "mfa@example.org").output
    assert (
        added.strip()
        == "mfa@example.org — контактное лицо органа Ministry of Foreign Affairs (UZB)."
    )
    removed = run("body", "focal-point", "remove", "1", "mfa@example.org").output
    assert "больше не контактное лицо" in removed and "no longer" not in removed
    unknown = run("body", "focal-point", "add", "99", "mfa@example.org", code=2).output
    assert "99" in unknown and "no such" not in unknown


def test_measures_import_answers_in_russian(app: Flask, session: Session, tmp_path: Path) -> None:
    plan = uzbek_plan(session)
    session.commit()
    run = _runner(app)
    good = write(tmp_path, "measures.csv", GOOD_CSV)
    dry = run("import-measures", str(plan.id), str(good), "--dry-run").output
    assert "План 1 (NAP 2015-2016): будет импортировано 4 меры." in dry
    assert "строка 5: " in dry and "would import" not in dry and "Warning: row" not in dry
    bad = write(tmp_path, "bad.csv", GOOD_CSV + "11,Again,2015,MFA,\n,No number,2015,MFA,\n")
    refused = run("import-measures", str(plan.id), str(bad), code=2).output
    assert "Ошибка: строка 6: number '11' " in refused
    assert "Ошибка: строка 7: number '' " in refused
    assert "Error: row" not in refused and "is required" not in refused
    done = run("import-measures", str(plan.id), str(good)).output
    assert "План 1 (NAP 2015-2016): импортировано 4 меры." in done
    missing = run("import-measures", str(plan.id), str(tmp_path / "none.csv"), code=2).output
    assert "не удаётся прочитать" in missing and "cannot be read" not in missing


def test_remind_counts_e_mails_in_russian(app: Flask, session: Session) -> None:
    uzbek_plan(session)
    session.commit()
    run = _runner(app)
    day = date(2015, 9, 8).isoformat()
    dry = run("remind", "--as-of", day, "--dry-run").output
    assert (
        "Пробный прогон на 8 сентября 2015\u00a0г.: 0 писем; ничего не поставлено в очередь." in dry
    )
    queued = run("remind", "--as-of", day).output
    assert "Поставлено в очередь 0 писем на 8 сентября 2015\u00a0г." in queued
    assert "Queued" not in queued and "e-mails" not in queued
    assert (
        "Queued 0 e-mails as of 2015-09-08." in _runner(app, "en")("remind", "--as-of", day).output
    )
