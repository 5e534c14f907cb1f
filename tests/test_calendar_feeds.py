"""Calendar feeds and token pages: the token in the path, nothing cached, one charset."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, sign_in


def _new_calendar_token(client: FlaskClient) -> tuple[str, str, str]:
    """Create a calendar token on /account: (the page, its headers' Cache-Control, secret)."""
    token = csrf_token(client, "/account")
    response = client.post(
        "/account", data={"csrf_token": token, "purpose": "calendar", "name": "Outlook"}
    )
    page = response.get_data(as_text=True)
    secret = page.split('<code class="token">')[1].split("</code>")[0]
    return page, response.headers.get("Cache-Control", ""), secret


@pytest.fixture
def signed_in(app: Flask, seeded: Session) -> FlaskClient:
    app.config["ANONYMOUS_READ"] = False  # feeds answer to their token, not to a session
    client = app.test_client()
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    return client


def test_account_page_shows_path_feeds_and_is_never_cached(signed_in: FlaskClient) -> None:
    assert "no-store" in signed_in.get("/account").headers["Cache-Control"]
    page, cache_control, secret = _new_calendar_token(signed_in)
    assert "no-store" in cache_control  # no browser or proxy keeps the secret
    assert f"http://localhost/calendar/{secret}.ics" in page
    assert f"http://localhost/states/KGZ/calendar/{secret}.ics" in page
    assert "?token=" not in page  # the query form is no longer handed out
    links = re.findall(r'(?:href|src|action)="([^"]*)"', page)
    assert links and not any(secret in link for link in links)  # nothing a click would leak


def test_path_feeds_answer_to_a_live_token_only(app: Flask, signed_in: FlaskClient) -> None:
    _, _, secret = _new_calendar_token(signed_in)
    visitor = app.test_client()  # a calendar app: no session, anonymous reading off
    paths = [
        f"/calendar/{secret}.ics",
        f"/states/KGZ/calendar/{secret}.ics",
        f"/states/KGZ/calendar.ics?token={secret}",  # existing subscriptions keep working
    ]
    names = []
    for path in paths:
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        names.append(str(Calendar.from_ical(response.data)["x-wr-calname"]))
    assert names == ["NAP deadlines", "NAP milestones: Kyrgyzstan", "NAP milestones: Kyrgyzstan"]
    for path in paths:
        assert visitor.get(path.replace(secret, "nap_wrong")).status_code == 403
    assert visitor.get(f"/states/XYZ/calendar/{secret}.ics").status_code == 404
    page = signed_in.get("/account").get_data(as_text=True)
    token_id = page.split("/account/tokens/")[1].split("/revoke")[0]
    revoke = signed_in.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(signed_in, "/account")}
    )
    assert revoke.status_code == 302
    for path in paths:
        assert visitor.get(path).status_code == 403, path


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/report.csv?as_of=2016-03-01", "text/csv; charset=utf-8"),
        ("/report.ics?as_of=2016-03-01", "text/calendar; charset=utf-8"),
        (
            "/report.xlsx?as_of=2016-03-01",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_downloads_name_their_charset_once(
    client: FlaskClient, seeded: Session, path: str, content_type: str
) -> None:
    assert client.get(path).headers["Content-Type"] == content_type


def test_the_personal_feed_follows_the_persons_states_and_lead_times(
    app: Flask, signed_in: FlaskClient
) -> None:
    from datetime import timedelta

    _, _, secret = _new_calendar_token(signed_in)
    token = csrf_token(signed_in, "/account/mail")
    settings = {"csrf_token": token, "lead_days": "14, 2", "digest": "weekly", "states": ["TJK"]}
    assert signed_in.post("/account/mail", data=settings).status_code == 302
    visitor = app.test_client()
    calendar = Calendar.from_ical(visitor.get(f"/calendar/{secret}.ics").data)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT6H" in calendar.to_ical()
    assert "x-published-ttl" in calendar
    events = calendar.walk("VEVENT")
    assert events
    for event in events:
        assert "TJK" in str(event["description"]) or "Tajik" in str(event["summary"])
        triggers = sorted(a["trigger"].dt for a in event.walk("VALARM"))
        assert triggers == [timedelta(days=-14), timedelta(days=-2)]
    deadline = next(e for e in events if "Government approval" in str(e["summary"]))
    assert deadline["dtstart"].dt.isoformat() == "2015-12-31"  # its due day, one day long
    assert deadline["dtend"].dt.isoformat() == "2016-01-01"
    state_feed = Calendar.from_ical(visitor.get(f"/states/KGZ/calendar/{secret}.ics").data)
    assert "refresh-interval" in state_feed
    assert not any(e.walk("VALARM") for e in state_feed.walk("VEVENT"))
