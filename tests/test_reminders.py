"""Reminders by e-mail, end to end: `tracker remind` queues, a real SMTP server (STARTTLS)
receives; repeated runs send nothing twice; outages are retried; refusals recorded."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from email.message import EmailMessage, Message
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from config import parse_smtp_url
from tests.smtp_server import SmtpServer, smtp_server  # noqa: F401 (a fixture)
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in, snapshot
from tracker import revision
from tracker.models import User, utcnow
from tracker.reminder_models import MailNotice, MailPreference, OutboxMessage, OutboxStatus
from tracker.services import outbox

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://nap.example.org"
TJK = "tjk@example.org"


def invoke(runner: FlaskCliRunner, *args: str) -> Result:
    return runner.invoke(args=list(args), env={"TRACKER_PASSWORD": "a long password"})


@pytest.fixture
def mail_app(app: Flask, smtp_server: SmtpServer) -> Flask:  # noqa: F811
    """The app configured to deliver to the test's SMTP server."""
    app.config.update(
        SMTP=parse_smtp_url(smtp_server.url),
        SMTP_CA_FILE=smtp_server.ca_file,
        BASE_URL=BASE,
        MAIL_FROM="NAP tracker <tracker@nap.example.org>",
    )
    return app


def body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def add_tjk_coordinator(runner: FlaskCliRunner) -> None:
    result = invoke(runner, "user", "add", TJK, "--role", "coordinator", "--state", "TJK")
    assert result.exit_code == 0, result.output


def test_the_issue_example_tjk_coordinator_gets_the_vienna_reminder_then_the_overdue_notice(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)

    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert result.exit_code == 0, result.output
    assert len(smtp_server.received) == 1
    got = smtp_server.received[0]
    assert got.recipients == [TJK] and got.over_tls
    assert got.mail_from == "tracker@nap.example.org"
    message = got.message
    assert message["From"] == "NAP tracker <tracker@nap.example.org>"
    assert message["To"] == TJK
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(
        "@nap.example.org>"
    )
    assert message["Date"]
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE}/unsubscribe/") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = body(message, "plain"), body(message, "html")
    for part in (text, html):
        assert "Next OSCE session with Tajikistan" in part
        assert "8-9 October 2015" in part and "Vienna" in part
        assert "starts in 30 days" in part
        assert f"{BASE}/milestones/" in part and f"{BASE}/states/TJK" in part
        assert f"{BASE}/account/mail" in part
    assert "<img" not in html  # no tracking pixels
    attachments = {a.get_filename(): a for a in message.iter_attachments()}
    assert "meetings.ics" in attachments
    ics = attachments["meetings.ics"].get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "DTSTART;VALUE=DATE:20151008" in ics

    again = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert again.exit_code == 0, again.output
    assert len(smtp_server.received) == 1, "a repeated run sent something again"

    later = invoke(runner, "remind", "--as-of", "2016-01-04")
    assert later.exit_code == 0, later.output
    new = [r.message for r in smtp_server.received[1:]]
    notices = [m for m in new if not m["Subject"].startswith("NAP tracker digest")]
    assert len(notices) == 1 and len(new) == 2  # and the weekly digest, its first
    notice = notices[0]
    text = body(notice, "plain")
    assert "OVERDUE: Government approval of the draft NAP" in text
    assert "31 December 2015" in text and "4 days overdue" in text


def test_reminder_catch_up_sends_the_nearest_lead_time_once_and_weekly_overdue_at_most(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    # Cron skipped a month: on 4 October the Vienna session is 4 days away: the 7-day
    # reminder goes out, once, and not the 30-day one too.
    assert invoke(runner, "remind", "--as-of", "2015-10-04").exit_code == 0
    keys = {(n.reason.value, n.lead) for n in seeded.scalars(select(MailNotice))}
    assert ("reminder", 7) in keys and ("reminder", 30) not in keys
    for day in ("2015-10-05", "2015-10-06"):  # every day, or every minute: nothing more
        assert invoke(runner, "remind", "--as-of", day).exit_code == 0
    assert len(smtp_server.received) == 1
    # Overdue notices: one on becoming overdue, then at most one a week.
    sent_before = len(smtp_server.received)
    for offset in range(14):
        day = date(2016, 1, 1) + timedelta(days=offset)
        assert invoke(runner, "remind", "--as-of", day.isoformat()).exit_code == 0
    approval = [
        r
        for r in smtp_server.received[sent_before:]
        if "Government approval" in body(r.message, "plain")
        and not r.message["Subject"].startswith("NAP tracker digest")
    ]
    assert len(approval) == 2  # 1 January (first week) and 8 January (second week)


def test_server_down_keeps_the_message_and_a_later_run_delivers_it(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    smtp_server.stop()
    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert result.exit_code == 0, result.output
    assert "1 to retry later" in result.output
    row = seeded.scalars(select(OutboxMessage)).one()
    assert row.status is OutboxStatus.QUEUED and row.attempts == 1
    assert "Connection refused" in row.last_error and row.next_attempt_at > utcnow()

    smtp_server.start()
    assert invoke(runner, "send-mail").exit_code == 0
    assert smtp_server.received == []  # not before its retry time
    seeded.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    seeded.commit()
    assert invoke(runner, "send-mail").exit_code == 0
    assert len(smtp_server.received) == 1
    seeded.expire_all()
    assert seeded.scalars(select(OutboxMessage)).one().status is OutboxStatus.SENT


def test_a_refused_recipient_is_recorded_and_the_others_still_get_theirs(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    add_account(seeded, "gone@example.org", "coordinator", ["TJK"])
    smtp_server.handler.refuse.add("gone@example.org")
    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert result.exit_code == 0, result.output
    assert [r.recipients for r in smtp_server.received] == [[TJK]]
    seeded.expire_all()
    failed = seeded.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "gone@example.org")
    ).one()
    assert failed.status is OutboxStatus.FAILED
    assert failed.last_error.startswith("550") and "no such mailbox" in failed.last_error


def test_admins_see_refusals_in_the_outbox_and_others_may_not(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    smtp_server.handler.refuse.add(TJK)
    assert invoke(runner, "remind", "--as-of", "2015-09-08").exit_code == 0
    client = mail_app.test_client()
    sign_in(client, TJK)
    assert client.get("/admin/outbox").status_code == 403
    add_account(seeded, "admin@example.org", "admin")
    client = mail_app.test_client()
    sign_in(client, "admin@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "no such mailbox" in page and "failed" in page and TJK in page


def test_a_crash_after_claiming_resends_at_most_once_after_the_lease(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    mail_app.config["SMTP"] = None  # queue only
    assert invoke(runner, "remind", "--as-of", "2015-09-08").exit_code == 0
    claimed = outbox.claim(seeded, 10)  # a worker claims, commits ... and dies
    seeded.commit()
    assert len(claimed) == 1
    mail_app.config["SMTP"] = parse_smtp_url(smtp_server.url)
    assert invoke(runner, "send-mail").exit_code == 0
    assert smtp_server.received == []  # another worker leaves a live claim alone
    old = utcnow() - outbox.CLAIM_LEASE - timedelta(seconds=1)
    seeded.execute(update(OutboxMessage).values(claimed_at=old))
    seeded.commit()
    assert invoke(runner, "send-mail").exit_code == 0
    assert invoke(runner, "send-mail").exit_code == 0
    assert len(smtp_server.received) == 1


def test_without_smtp_mail_stays_in_the_outbox_for_admins(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    add_tjk_coordinator(runner)
    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert result.exit_code == 0 and "kept in the outbox" in result.output
    add_account(seeded, "admin@example.org", "admin")
    client = app.test_client()
    sign_in(client, "admin@example.org")
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "queued" in page and TJK in page
    row = seeded.scalars(select(OutboxMessage)).one()
    raw = client.get(f"/admin/outbox/{row.id}").get_data(as_text=True)
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_dry_run_shows_what_would_go_and_queues_nothing(
    seeded: Session, runner: FlaskCliRunner
) -> None:
    add_tjk_coordinator(runner)
    before = snapshot(seeded)
    result = invoke(runner, "remind", "--as-of", "2015-09-08", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would send to {TJK}" in result.output and "nothing queued" in result.output
    assert snapshot(seeded) == before


def test_queueing_mail_leaves_the_page_cache_valid(seeded: Session, runner: FlaskCliRunner) -> None:
    add_tjk_coordinator(runner)
    token = revision.current(seeded)
    seeded.rollback()
    assert invoke(runner, "remind", "--as-of", "2015-09-08").exit_code == 0
    assert seeded.scalar(select(OutboxMessage.id)) is not None
    assert revision.current(seeded) == token


def _unsubscribe_url(seeded: Session, app: Flask) -> str:
    from tracker.reminder_mail import unsubscribe_token

    user = seeded.scalars(select(User).where(User.email == TJK)).one()
    return f"/unsubscribe/{unsubscribe_token(app.config['SECRET_KEY'], user.id)}"


def test_one_click_unsubscribe_needs_no_sign_in_and_stops_all_mail(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    add_tjk_coordinator(runner)
    url = _unsubscribe_url(seeded, app)
    client = app.test_client()
    assert "Stop all e-mail" in client.get(url).get_data(as_text=True)
    response = client.post(url, data={"List-Unsubscribe": "One-Click"})  # RFC 8058, no CSRF
    assert response.status_code == 200 and "Unsubscribed" in response.get_data(as_text=True)
    assert seeded.scalars(select(MailPreference)).one().paused
    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert "Queued 0 e-mails" in result.output


@pytest.mark.parametrize("damage", ["forged", "truncated", "other-secret", "expired", "garbage"])
def test_a_bad_unsubscribe_link_gets_a_clear_page_and_changes_nothing(
    app: Flask,
    seeded: Session,
    runner: FlaskCliRunner,
    damage: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from itsdangerous import timed

    from tracker.reminder_mail import unsubscribe_token

    add_tjk_coordinator(runner)
    url = _unsubscribe_url(seeded, app)
    if damage == "forged":
        url = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    elif damage == "truncated":
        url = url[:-10]
    elif damage == "other-secret":
        url = f"/unsubscribe/{unsubscribe_token('another key', 1)}"
    elif damage == "expired":
        monkeypatch.setattr(timed.time, "time", lambda: 1_000_000_000.0)  # 2001
        url = _unsubscribe_url(seeded, app)
        monkeypatch.undo()
    else:
        url = "/unsubscribe/%E2%80%AEnot-a-token%00"[:-3]
    before = snapshot(seeded)
    client = app.test_client()
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        assert "does not work" in response.get_data(as_text=True)
    assert snapshot(seeded) == before


@pytest.mark.parametrize("lead_days", ["400", "-1", "1.5", "abc", "", "7,,x", "३०", "1e3"])
def test_lead_times_must_be_whole_days_0_to_365(
    client: object, seeded: Session, lead_days: str
) -> None:
    from flask.testing import FlaskClient

    assert isinstance(client, FlaskClient)
    add_account(seeded, TJK, "coordinator", ["TJK"])
    sign_in(client, TJK)
    before = snapshot(seeded)
    token = csrf_token(client, "/account/mail")
    form = {"csrf_token": token, "lead_days": lead_days, "digest": "weekly", "states": ["TJK"]}
    response = client.post("/account/mail", data=form)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "0" in page and ("365" in page or "required" in page.lower() or "lead" in page.lower())
    assert snapshot(seeded) == before


def test_preferences_choose_states_kinds_and_lead_times(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    from flask.testing import FlaskClient

    add_account(seeded, "viewer@example.org", "viewer")
    client: FlaskClient = app.test_client()
    sign_in(client, "viewer@example.org")
    # A viewer hears nothing until they choose States.
    assert "Queued 0 e-mails" in invoke(runner, "remind", "--as-of", "2015-09-08").output
    token = csrf_token(client, "/account/mail")
    form = {
        "csrf_token": token,
        "lead_days": "45, 30",
        "digest": "daily",
        "states": ["TJK"],
        "kinds": ["review_meeting", "other"],
    }
    response = client.post("/account/mail", data=form)
    assert response.status_code == 302
    page = client.get("/account/mail").get_data(as_text=True)
    assert 'value="45, 30"' in page
    result = invoke(runner, "remind", "--as-of", "2015-09-08")
    assert "Queued 1 e-mail as of" in result.output
    subject = seeded.scalars(select(OutboxMessage.subject)).one()
    assert subject.startswith("Reminder: Next OSCE session")  # no drafting item: kinds chosen


def test_an_invalid_smtp_url_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        "TRACKER_SMTP_URL": "smtp://user:secret@mail.example.org:99999",
    }
    tracker = str(Path(sys.executable).parent / "tracker")
    done = subprocess.run([tracker, "remind"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "TRACKER_SMTP_URL" in done.stderr and "secret" not in done.stderr


def test_the_weekly_digest_tells_what_changed_with_who_and_the_source_quote(
    mail_app: Flask,
    seeded: Session,
    smtp_server: SmtpServer,  # noqa: F811
) -> None:
    runner = mail_app.test_cli_runner()
    add_tjk_coordinator(runner)
    assert invoke(runner, "remind", "--as-of", "2015-09-08").exit_code == 0  # starts the count
    assert not any(
        r.message["Subject"].startswith("NAP tracker digest") for r in smtp_server.received
    )
    vienna = str(ref_id(seeded, "tjk-wg-session-vienna-2015-10"))
    done = invoke(runner, "status", vienna, "done", "--on", "2015-10-09", "--by", "Lola Karimova")
    assert done.exit_code == 0, done.output
    assert invoke(runner, "remind", "--as-of", "2015-09-14").exit_code == 0  # 6 days: not yet
    assert not any(
        r.message["Subject"].startswith("NAP tracker digest") for r in smtp_server.received
    )
    assert invoke(runner, "remind", "--as-of", "2015-09-15").exit_code == 0
    digests = [
        r for r in smtp_server.received if r.message["Subject"].startswith("NAP tracker digest")
    ]
    assert len(digests) == 1 and digests[0].recipients == [TJK]
    text = body(digests[0].message, "plain")
    assert "WHAT CHANGED SINCE" in text
    assert "Next OSCE session with Tajikistan" in text and "planned → done" in text
    assert "(by Lola Karimova)" in text
    assert "OVERDUE (1)" in text and "Drafting of Tajikistan" in text
    assert digests[0].message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert invoke(runner, "remind", "--as-of", "2015-09-15").exit_code == 0
    assert invoke(runner, "remind", "--as-of", "2015-09-21").exit_code == 0
    again = [
        r for r in smtp_server.received if r.message["Subject"].startswith("NAP tracker digest")
    ]
    assert len(again) == 1  # weekly: the next one is due on 22 September


def test_watching_a_milestone_of_another_state_brings_its_reminders_and_snooze_stops_them(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    from flask.testing import FlaskClient

    add_account(seeded, TJK, "coordinator", ["TJK"])
    client: FlaskClient = app.test_client()
    sign_in(client, TJK)
    round_table = ref_id(seeded, "uzb-round-table-2016")
    approval = ref_id(seeded, "tjk-approval-deadline-2015")
    token = csrf_token(client, "/account")
    response = client.post(f"/milestones/{round_table}/watch", data={"csrf_token": token})
    assert response.status_code == 302
    assert "Queued 1 e-mail as of" in invoke(runner, "remind", "--as-of", "2016-11-20").output
    reminders = {
        (n.milestone_id, n.reason.value, n.lead) for n in seeded.scalars(select(MailNotice))
    }
    assert (round_table, "reminder", 30) in reminders  # a UZB meeting, watched by TJK's coordinator

    form = {"csrf_token": token, "until": "2016-01-10"}
    assert client.post(f"/milestones/{approval}/snooze", data=form).status_code == 302
    invoke(runner, "remind", "--as-of", "2016-01-04")
    keys = {(n.milestone_id, n.reason.value) for n in seeded.scalars(select(MailNotice))}
    assert (approval, "overdue") not in keys  # snoozed
    invoke(runner, "remind", "--as-of", "2016-01-11")
    keys = {(n.milestone_id, n.reason.value) for n in seeded.scalars(select(MailNotice))}
    assert (approval, "overdue") in keys  # awake again


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("/milestones/999999/watch", {}, 404),
        ("/milestones/{id}/snooze", {"until": "2016-02-30"}, 400),
        ("/milestones/{id}/snooze", {"until": "soon"}, 400),
        ("/milestones/{id}/watch", {"csrf_token": ""}, 400),
    ],
)
def test_bad_watch_or_snooze_requests_change_nothing(
    app: Flask, seeded: Session, path: str, data: dict[str, str], status: int
) -> None:
    add_account(seeded, TJK, "coordinator", ["TJK"])
    client = app.test_client()
    sign_in(client, TJK)
    form = {"csrf_token": csrf_token(client, "/account"), **data}
    before = snapshot(seeded)
    url = path.format(id=ref_id(seeded, "tjk-approval-deadline-2015"))
    assert client.post(url, data=form).status_code == status
    assert app.test_client().post(url, data=form).status_code in (400, 403)  # signed out
    assert snapshot(seeded) == before


def test_workers_on_postgresql_claim_different_messages(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    if seeded.get_bind().dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED: several workers share the queue on PostgreSQL")
    add_tjk_coordinator(runner)
    add_account(seeded, "second@example.org", "coordinator", ["TJK"])
    assert "Queued 2 e-mails" in invoke(runner, "remind", "--as-of", "2015-09-08").output
    factory = app.extensions["tracker.sessionmaker"]
    first, second = factory(), factory()
    try:
        mine = outbox.claim(first, 1)  # not yet committed: its rows stay locked
        theirs = outbox.claim(second, 5)
        assert len(mine) == 1 and len(theirs) == 1
        assert mine[0].id != theirs[0].id
    finally:
        first.rollback()
        second.rollback()
        first.close()
        second.close()


def test_two_reminder_runs_at_once_queue_each_notice_once(
    app: Flask, seeded: Session, runner: FlaskCliRunner
) -> None:
    if seeded.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the unique key is the same either way")
    import threading

    from tracker.mail import Letter, compose
    from tracker.services.reminders import queue_reminders

    add_tjk_coordinator(runner)
    factory = app.extensions["tracker.sessionmaker"]

    def letter(to: User, notices: object, as_of: date) -> Message:
        return compose(Letter(to.email, "s", "t", "<p>t</p>", "https://x/u"), "n@x.org", BASE)

    first, second = factory(), factory()
    results: list[int] = []
    queued = queue_reminders(first, date(2015, 9, 8), letter)  # holds its key rows, uncommitted

    def other_run() -> None:
        results.append(len(queue_reminders(second, date(2015, 9, 8), letter)))
        second.commit()

    thread = threading.Thread(target=other_run)
    thread.start()
    thread.join(timeout=1)
    assert thread.is_alive()  # waiting on the first run's keys, not queueing them again
    first.commit()
    thread.join(timeout=30)
    first.close()
    second.close()
    assert len(queued) == 1 and results == [0]
    assert seeded.scalar(select(func.count()).select_from(OutboxMessage)) == 1
