"""Importing a note on the web: upload, review the proposals, save in one transaction."""

from __future__ import annotations

import io
from pathlib import Path

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, sign_in, snapshot
from tracker.models import Milestone, SourceNote

NOTES = Path(__file__).parent / "data" / "ingest" / "notes"
BISHKEK = (NOTES / "005_bishkek_workshop.txt").read_text(encoding="utf-8")


def signed_in(client: FlaskClient, session: Session, role: str = "coordinator") -> FlaskClient:
    add_account(session, f"{role}@example.org", role, ["KGZ"] if role == "coordinator" else [])
    sign_in(client, f"{role}@example.org")
    return client


def review(client: FlaskClient, text: str, name: str = "005_bishkek_workshop") -> str:
    token = csrf_token(client, "/notes/new")
    response = client.post("/notes/new", data={"csrf_token": token, "name": name, "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response.get_data(as_text=True)


def review_form(page: str) -> dict[str, object]:
    """The review form as the browser would send it with its defaults."""
    import re

    data: dict[str, object] = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "name": "005_bishkek_workshop",
        "text": BISHKEK,
    }
    for index in sorted(set(re.findall(r'name="p(\d+)-kind"', page))):
        prefix = f"p{index}-"
        if re.search(rf'name="{prefix}accept" checked', page):
            data[f"{prefix}accept"] = "on"
        data[f"{prefix}kind"] = re.search(
            rf'name="{prefix}kind">.*?<option value="([^"]+)" selected', page, re.S
        ).group(1)  # type: ignore[union-attr]
        data[f"{prefix}title"] = re.search(rf'name="{prefix}title" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
        data[f"{prefix}due"] = re.search(rf'name="{prefix}due" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
        block = page.split(f'name="{prefix}states"')[1].split("</select>")[0]
        data[f"{prefix}states"] = re.findall(r'value="([A-Z]{3})" selected', block)
    return data


def test_a_coordinator_reviews_and_saves_a_note(client: FlaskClient, seeded: Session) -> None:
    signed_in(client, seeded)
    page = review(client, BISHKEK)
    assert "Review the proposals" in page and "12–13 March 2019" in page
    assert "<mark" in page  # the quotes are highlighted in the note
    saved = client.post("/notes/import", data=review_form(page))
    assert saved.status_code == 302 and saved.headers["Location"].startswith("/notes/005_bishkek")
    note = seeded.scalar(select(SourceNote).where(SourceNote.slug == "005_bishkek_workshop"))
    assert note is not None and note.text == BISHKEK
    workshop = seeded.scalar(select(Milestone).where(Milestone.due_text == "12–13 March 2019"))
    assert workshop is not None and workshop.state_codes == ["KGZ"]
    assert all(c.quote in BISHKEK for c in workshop.citations)


def test_a_corrected_date_that_cannot_be_read_saves_nothing(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)
    form = review_form(review(client, BISHKEK))
    first = next(k for k in form if k.endswith("-accept"))
    form[first.replace("accept", "due")] = "31 February 2019"
    before = snapshot(seeded)
    response = client.post("/notes/import", data=form)
    assert response.status_code == 400 and "has no day 31" in response.get_data(as_text=True)
    assert snapshot(seeded) == before


def test_the_same_text_twice_is_refused_naming_the_note(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)
    token = csrf_token(client, "/notes/new")
    text = (Path(__file__).parents[1] / "seeds" / "notes" / "001_4e211aa1da0f2196.txt").read_text()
    response = client.post("/notes/new", data={"csrf_token": token, "text": text})
    assert response.status_code == 409
    assert "already stored as note &#39;001_4e211aa1da0f2196&#39;" in response.get_data(
        as_text=True
    )


def test_binary_and_oversize_uploads_are_refused(client: FlaskClient, seeded: Session) -> None:
    signed_in(client, seeded)
    token = csrf_token(client, "/notes/new")
    binary = client.post(
        "/notes/new",
        data={"csrf_token": token, "file": (io.BytesIO(b"PK\x03\x04\x00\x00\xff"), "note.docx")},
    )
    assert binary.status_code == 400 and "note.docx" in binary.get_data(as_text=True)
    huge = client.post("/notes/new", data={"csrf_token": token, "text": "a" * (3 * 1024 * 1024)})
    assert huge.status_code == 413


def test_viewers_cannot_import(client: FlaskClient, seeded: Session) -> None:
    signed_in(client, seeded, "viewer")
    assert client.get("/notes/new").status_code == 403
