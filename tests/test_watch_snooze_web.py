"""The Watch and Snooze buttons on a milestone's page: the state shown, and undone (issue 13)."""

from __future__ import annotations

from datetime import date, timedelta
from html.parser import HTMLParser

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, ref_id, sign_in
from tracker.reminder_models import Snooze, Watch

EMAIL = "lola@mfa.tj"


class Forms(HTMLParser):
    """Each form of a page: its action, its fields' values and its button's text."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form":
            self.forms.append({"action": found.get("action"), "fields": {}, "button": ""})
        elif tag == "input" and self.forms and found.get("name"):
            fields = self.forms[-1]["fields"]
            assert isinstance(fields, dict)
            fields[found["name"]] = found.get("value") or ""
        self._button = tag == "button"

    def handle_data(self, data: str) -> None:
        if self._button and self.forms:
            self.forms[-1]["button"] = str(self.forms[-1]["button"]) + data.strip()


def press(client: FlaskClient, page_path: str, button: str, **typed: str) -> str:
    """Press a button of the page as a browser would; the page it leads to."""
    parser = Forms()
    parser.feed(client.get(page_path).get_data(as_text=True))
    form = next(f for f in parser.forms if f["button"] == button)
    fields = form["fields"]
    assert isinstance(fields, dict)
    response = client.post(str(form["action"]), data={**fields, **typed})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_watch_and_stop_watching(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, EMAIL, "viewer")
    sign_in(client, EMAIL)
    path = f"/milestones/{ref_id(seeded, 'uzb-round-table-2016')}"
    assert "Not watched by you" in client.get(path).get_data(as_text=True)
    page = press(client, path, "Watch")
    assert "You will get its reminders." in page
    assert "You watch this milestone" in page and "Stop watching" in page
    assert seeded.scalar(select(Watch.milestone_id)) is not None
    page = press(client, path, "Stop watching")
    assert "You no longer watch it." in page and "Not watched by you" in page
    seeded.expire_all()
    assert seeded.scalar(select(Watch.milestone_id)) is None


def test_snooze_shows_until_when_and_ends(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, EMAIL, "coordinator", ["TJK"])
    sign_in(client, EMAIL)
    path = f"/milestones/{ref_id(seeded, 'tjk-approval-deadline-2015')}"
    offered = (date.today() + timedelta(days=14)).isoformat()
    assert f'name="until" value="{offered}"' in client.get(path).get_data(as_text=True)
    until = date.today() + timedelta(days=40)
    page = press(client, path, "Snooze", until=until.isoformat())
    assert f"Snoozed until {until.day} {until:%B %Y}" in page and "End snooze" in page
    assert seeded.scalar(select(Snooze.until)) == until
    page = press(client, path, "End snooze")
    assert "Snooze ended." in page and "Snoozed until" not in page
    seeded.expire_all()
    assert seeded.scalar(select(Snooze.until)) is None


def test_a_snooze_that_ran_out_is_not_shown(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, EMAIL, "coordinator", ["TJK"])
    sign_in(client, EMAIL)
    path = f"/milestones/{ref_id(seeded, 'tjk-approval-deadline-2015')}"
    page = press(client, path, "Snooze", until="2016-01-10")
    assert "Snoozed until" not in page and ">Snooze</button>" in page


def test_readers_not_signed_in_see_no_mail_buttons(client: FlaskClient, seeded: Session) -> None:
    page = client.get(f"/milestones/{ref_id(seeded, 'tjk-approval-deadline-2015')}")
    assert "E-mail about this milestone" not in page.get_data(as_text=True)
