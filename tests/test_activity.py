"""/activity and its Atom feed: what changed, by whom, with the source quote; filters."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from tests.web_helpers import ref_id

ATOM = "{http://www.w3.org/2005/Atom}"


def record_done(runner: FlaskCliRunner, seeded: Session) -> int:
    milestone_id = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    result = runner.invoke(
        args=["status", str(milestone_id), "done", "--on", "2015-10-09", "--by", "Lola Karimova",
              "--comment", "Held in Vienna"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return milestone_id


def test_activity_shows_a_status_change_with_who_and_why(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner
) -> None:
    record_done(runner, seeded)
    page = client.get("/activity").get_data(as_text=True)
    assert "Next OSCE session with Tajikistan" in page
    assert "planned → done, effective 9 October 2015: Held in Vienna" in page
    assert "Lola Karimova" in page
    assert "cites" in page  # the seeded citations, with their quotes
    assert "the OSCE plans to hold the next session" in page


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("state=TJK", True),
        ("state=UZB", False),
        ("kind=review_meeting", True),
        ("kind=approval_deadline", False),
        ("who=karimova", True),
        ("who=nobody", False),
        ("since=2000-01-01", True),
        ("since=2999-01-01", False),
        ("since=2000-01-01T10:30:00Z", True),
        ("since=2999-01-01T10:30Z", False),
    ],
)
def test_activity_filters(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner, query: str, shown: bool
) -> None:
    record_done(runner, seeded)
    page = client.get(f"/activity?{query}").get_data(as_text=True)
    assert ("Held in Vienna" in page) is shown


@pytest.mark.parametrize(
    "query",
    [
        "state=XXX",
        "kind=party",
        "since=2016-02-30",
        "since=yesterday",
        "since=2016-01-01T24:00:00Z",
        "since=2016-01-01T10:00:00+05:00",
        "who=%00",
    ],
)
def test_bad_activity_filters_are_a_400_that_says_why(
    client: FlaskClient, seeded: Session, query: str
) -> None:
    for path in ("/activity", "/activity.atom"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)


def test_the_atom_feed_is_valid_xml_with_one_entry_per_change(
    client: FlaskClient, seeded: Session, runner: FlaskCliRunner
) -> None:
    milestone_id = record_done(runner, seeded)
    response = client.get("/activity.atom?state=TJK")
    assert response.status_code == 200
    assert response.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert entries and feed.find(f"{ATOM}updated") is not None
    first = entries[0]
    assert "Held in Vienna" in (first.findtext(f"{ATOM}title") or "")
    assert first.find(f"{ATOM}link").get("href").endswith(f"/milestones/{milestone_id}")  # type: ignore[union-attr]
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Lola Karimova"
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
