"""The dashboard's "N changes since your last visit" for a signed-in reader (issue 13)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.querycount import count_statements
from tests.test_activity import record_done
from tests.web_helpers import add_account, sign_in
from tracker import revision
from tracker.models import Citation, MilestoneEdit, StatusChange, User, utcnow

EMAIL = "lola@mfa.tj"


def last_seen(session: Session, at: datetime, previous: datetime | None = None) -> None:
    """Pretend the reader last looked at the dashboard at `at`."""
    stmt = update(User).where(User.email == EMAIL)
    session.execute(stmt.values(last_seen_at=at, previous_visit_at=previous))
    session.commit()


def seed_recorded_days_ago(session: Session) -> None:
    """The seeded history dates from when the test database was made: move it a week back."""
    week_ago = utcnow() - timedelta(days=7)
    session.execute(update(StatusChange).values(recorded_at=week_ago))
    session.execute(update(MilestoneEdit).values(recorded_at=week_ago))
    session.execute(update(Citation).values(created_at=week_ago))
    session.commit()


def line(client: FlaskClient) -> str:
    page = client.get("/").get_data(as_text=True)
    start = page.find('id="last-visit"')
    return "" if start < 0 else page[start : page.find("</p>", start)]


def test_a_change_since_the_last_visit_is_counted_and_linked(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner
) -> None:
    seed_recorded_days_ago(seeded)
    add_account(seeded, EMAIL, "coordinator", ["TJK"])
    sign_in(client, EMAIL)
    assert line(client) == ""  # a first visit: nothing to compare with
    two_hours_ago = utcnow() - timedelta(hours=2)
    last_seen(seeded, two_hours_ago)
    record_done(runner, seeded)
    shown = line(client)
    assert "1 change since your last visit" in shown
    assert two_hours_ago.strftime("%-d %B %Y, %H:%M") in shown
    link = shown.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert link.startswith("/activity?since=")
    activity = client.get(link).get_data(as_text=True)
    assert "Held in Vienna" in activity
    assert activity.count("<tr><td>") == 1  # the seeded history is older than the visit
    assert 'name="since" type="text" value="' + link.split("=")[1] in activity
    # A reload is the same visit: still counted from the visit before.
    assert "1 change since your last visit" in line(client)


def test_a_visit_after_a_long_pause_starts_counting_again(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner
) -> None:
    add_account(seeded, EMAIL, "coordinator", ["TJK"])
    sign_in(client, EMAIL)
    record_done(runner, seeded)
    seed_recorded_days_ago(seeded)  # the change too: it was made a week ago
    last_seen(seeded, utcnow() - timedelta(hours=1), previous=utcnow() - timedelta(days=30))
    # The last visit ended an hour ago, after the change: nothing new since then.
    assert "No changes since your last visit" in line(client)
    # Within the same visit (a reload, a few minutes on) it still counts from there.
    month_ago = utcnow() - timedelta(days=30)
    last_seen(seeded, utcnow() - timedelta(minutes=10), previous=month_ago)
    shown = line(client)
    assert "changes since your last visit" in shown  # the week-old ones
    assert month_ago.strftime("(%-d %B %Y, %H:%M UTC)") in shown


def test_a_visit_leaves_the_data_revision_and_the_page_cache_alone(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, EMAIL, "coordinator", ["TJK"])
    sign_in(client, EMAIL)
    before = revision.current(seeded)
    seeded.rollback()
    client.get("/")
    last_seen(seeded, utcnow() - timedelta(hours=2))
    cache = app.extensions["tracker.page_cache"]
    hits = cache.hits
    assert "since your last visit" in line(client)
    assert cache.hits == hits + 1  # the dashboard's main part came from the cache
    assert revision.current(seeded) == before
    seeded.expire_all()
    seen = seeded.scalar(select(User.last_seen_at).where(User.email == EMAIL))
    assert seen is not None and seen > utcnow() - timedelta(minutes=1)


def test_the_line_costs_one_statement(app: Flask, client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, EMAIL, "viewer")
    engine = app.extensions["tracker.engine"]
    with count_statements(engine) as anonymous:
        client.get("/?within=91")
    sign_in(client, EMAIL)
    client.get("/?within=92")  # the first visit is noted
    last_seen(seeded, utcnow() - timedelta(hours=2))
    with count_statements(engine) as noted:  # a new visit: noted and counted in one
        assert "since your last visit" in line(client)
    with count_statements(engine) as counted:  # a reload: counted only
        assert "since your last visit" in line(client)
    # The signed-in reader's own row is one statement; the line at most one more.
    assert len(counted) <= len(noted) <= len(anonymous) + 2, (anonymous, noted, counted)
