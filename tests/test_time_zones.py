"""Dates and times on the pages: windows and badges in the reader's language, timestamps in
the reader's time zone (account choice, else their State's, else the site default)."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

import config
from tests.web_helpers import add_account, csrf_token, post_status, ref_id, sign_in, text
from tracker import datefmt, timezones
from tracker.models import StatusChange, User

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
NBSP = "\u00a0"


def latest_change(session: Session, milestone_id: int) -> StatusChange:
    session.expire_all()
    query = select(StatusChange).where(StatusChange.milestone_id == milestone_id)
    return session.scalars(query.order_by(StatusChange.id.desc())).first()  # type: ignore[return-value]


def shown_in(change: StatusChange, zone: str, locale: str = "en") -> str:
    return datefmt.format_timestamp(change.recorded_at, timezones.zone(zone), locale)


def test_a_coordinator_sees_history_in_their_states_zone_and_a_visitor_in_utc(
    app: Flask, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    lola, visitor = app.test_client(), app.test_client()
    sign_in(lola, "lola@mfa.tj")
    milestone = ref_id(seeded, "tjk-approval-deadline-2015")
    assert post_status(lola, milestone).status_code == 302  # type: ignore[attr-defined]
    change = latest_change(seeded, milestone)

    mine = text(lola.get(f"/milestones/{milestone}"))
    assert shown_in(change, "Asia/Dushanbe") in mine and 'title="Dushanbe (UTC+5)"' in mine
    theirs = text(visitor.get(f"/milestones/{milestone}"))
    assert shown_in(change, "UTC") in theirs and "(UTC+5)" not in theirs
    stamp = change.recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'<time datetime="{stamp}"' in theirs  # machine-readable, always UTC


def test_the_account_chooses_a_zone_and_can_go_back_to_automatic(
    app: Flask, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    lola = app.test_client()
    sign_in(lola, "lola@mfa.tj")
    page = text(lola.get("/account"))
    assert "Automatic (Dushanbe (UTC+5))" in page

    def choose(zone: str) -> object:
        token = csrf_token(lola, "/account")
        return lola.post("/account/timezone", data={"zone": zone, "csrf_token": token})

    assert choose("Asia/Bishkek").status_code == 302  # type: ignore[attr-defined]
    page = text(lola.get("/account"))
    assert "Times are shown in Bishkek (UTC+6)." in page
    assert '<option selected value="Asia/Bishkek">' in page
    seeded.expire_all()
    account = seeded.scalars(select(User).where(User.email == "lola@mfa.tj")).one()
    assert account.timezone == "Asia/Bishkek"

    refused = choose("Mars/Olympus")
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert "timezone 'Mars/Olympus': is not a time zone" in html.unescape(text(refused))
    seeded.expire_all()
    assert seeded.get(User, account.id).timezone == "Asia/Bishkek"  # type: ignore[union-attr]

    assert choose("").status_code == 302  # type: ignore[attr-defined]
    seeded.expire_all()
    assert seeded.get(User, account.id).timezone is None  # type: ignore[union-attr]
    assert "Times are shown in Dushanbe (UTC+5)." in text(lola.get("/account"))


def test_the_site_default_zone_applies_to_readers_without_one(
    database_url: str, seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import create_app

    monkeypatch.setenv("TRACKER_DEFAULT_TIMEZONE", "Asia/Tashkent")
    app = create_app(config.TestConfig(database_url))
    add_account(seeded, "admin@un.org", "admin")
    client = app.test_client()
    sign_in(client, "admin@un.org")
    milestone = ref_id(seeded, "tjk-approval-deadline-2015")
    post_status(client, milestone)
    change = latest_change(seeded, milestone)
    assert shown_in(change, "Asia/Tashkent") in text(client.get(f"/milestones/{milestone}"))
    app.extensions["tracker.engine"].dispose()


def test_an_unknown_default_zone_is_a_one_line_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_SECRET_KEY", "x" * 64)
    monkeypatch.setenv("TRACKER_DEFAULT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(config.ConfigError) as error:
        config.Config()
    assert str(error.value).startswith("TRACKER_DEFAULT_TIMEZONE='Mars/Olympus': ")
    assert "\n" not in str(error.value)


def test_russian_pages_write_windows_and_badges_in_russian(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/?as_of=2016-03-01", headers=RU))
    # The approval deadline of 31 December 2015, 61 days before 1 March 2016.
    assert "Просрочено на 2 месяца 1 день" in page and "Overdue by" not in page
    assert f"31 декабря 2015{NBSP}г." in page
    english = text(client.get("/?as_of=2016-03-01"))
    assert "Overdue by 2 months 1 day" in english and "31 December 2015" in english
    timeline = text(client.get("/states/TJK?as_of=2016-03-01", headers=RU))
    assert f"8–9 октября 2015{NBSP}г." in timeline  # the Vienna session's two days
    milestone = ref_id(seeded, "tjk-first-national-report-2004")
    detail = text(client.get(f"/milestones/{milestone}", headers=RU))
    assert f"январь 2004{NBSP}г. (1–31 января 2004{NBSP}г.)" in detail
    assert "January 2004" in detail  # the date as written stays as the source wrote it
