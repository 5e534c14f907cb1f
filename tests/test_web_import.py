"""Importing a note on the web: upload, review the proposals, save in one transaction."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import make_milestone
from tests.web_helpers import add_account, csrf_token, sign_in, snapshot
from tracker.enums import MilestoneStatus
from tracker.ingest.proposals import Extraction
from tracker.models import Milestone, SourceNote, User
from tracker.policy import Forbidden
from tracker.services import imports as imports_service
from tracker.services.imports import apply_import, plan_import

NOTES = Path(__file__).parent / "data" / "ingest" / "notes"
BISHKEK = (NOTES / "005_bishkek_workshop.txt").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def pending_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Notes awaiting review go to a folder of the test's own, not the instance folder."""
    folder = tmp_path / "pending-imports"
    monkeypatch.setattr("tracker.views.imports._pending_folder", lambda: folder)
    return folder


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
    """The review form as a browser sends it with its defaults.

    Like a browser: hidden inputs and textareas are sent too, and a textarea's value loses
    the newline that follows its opening tag and has its line ends turned into CRLF.
    """
    import html

    form = page.split('action="/notes/import"')[1].split("</form>")[0]
    data: dict[str, object] = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
    }
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data[name] = html.unescape(value)
    for name, value in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        value = html.unescape(value.removeprefix("\n"))
        data[name] = value.replace("\r\n", "\n").replace("\n", "\r\n")
    for index in sorted(set(re.findall(r'name="p(\d+)-kind"', page))):
        prefix = f"p{index}-"
        if re.search(rf'name="{prefix}accept" checked', page):
            data[f"{prefix}accept"] = "on"
        data[f"{prefix}kind"] = re.search(
            rf'name="{prefix}kind">.*?<option value="([^"]+)" selected', page, re.S
        ).group(1)  # type: ignore[union-attr]
        data[f"{prefix}title"] = html.unescape(
            re.search(rf'name="{prefix}title" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
        )
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


# --- issue 10: rights per State, the note byte for byte, read once ----------------------

UZB_NOTE = """Information Note

Event: National round table on the 1540 National Action Plan of Uzbekistan
Date and Location: 14-15 March 2019, Tashkent, Uzbekistan
Organizers: Government of Uzbekistan, OSCE

The national round table took place in Tashkent on 14-15 March 2019 and reviewed the plan.
"""


def tjk_coordinator(client: FlaskClient, session: Session) -> User:
    add_account(session, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    user = session.scalar(select(User).where(User.email == "tjk@example.org"))
    assert user is not None
    return user


def uzb_round_table(session: Session) -> int:
    """A planned UZB-only milestone that the note above reports as held."""
    milestone = make_milestone(
        session, kind="round_table", title="National round table", due="14-15 March 2019",
        states=["UZB"], venue="Tashkent",
    )  # fmt: skip
    session.commit()
    return milestone.id


@pytest.mark.parametrize("existing", [True, False], ids=["cite and re-date", "create"])
def test_a_coordinator_cannot_import_into_another_states_milestones(
    client: FlaskClient, seeded: Session, existing: bool
) -> None:
    tjk_coordinator(client, seeded)
    uzb_id = uzb_round_table(seeded) if existing else None
    page = review(client, UZB_NOTE, "uzb_round_table")
    # Before saving, the page says which proposal this user may not apply, and why.
    assert 'name="p0-accept" disabled' in page
    assert "You may not save this proposal: you coordinate TJK; this concerns UZB only" in page
    form = review_form(page)
    assert "p0-accept" not in form  # not ticked by default
    # The probe: tick it anyway and add one's own State to the proposal.
    form.update({"p0-accept": "on", "p0-states": ["UZB", "TJK"], "p0-title": "My own title"})
    before = snapshot(seeded)
    response = client.post("/notes/import", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 403, text[-2000:]
    assert "you coordinate TJK; this concerns UZB only" in text and "Nothing was saved" in text
    assert snapshot(seeded) == before
    if uzb_id is not None:
        assert seeded.get(Milestone, uzb_id).status is MilestoneStatus.PLANNED  # type: ignore[union-attr]
    # The reviewer's edits are still on screen.
    assert 'value="My own title"' in text
    assert re.search(
        r'value="TJK" selected', text.split('name="p0-states"')[1].split("</select>")[0]
    )


def test_the_import_service_asks_the_same_policy_for_every_write(seeded: Session) -> None:
    """The service refuses too (the CLI and any other caller go through it)."""
    uzb_id = uzb_round_table(seeded)
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    tjk = seeded.scalar(select(User).where(User.email == "tjk@example.org"))
    plan = plan_import(seeded, UZB_NOTE, "uzb", user=tjk)
    assert plan.refusals == ("you coordinate TJK; this concerns UZB only",)
    # Even with the reviewer's TJK added, the matched milestone is UZB's own.
    widened = [
        replace(m, proposal=replace(m.proposal, states=("UZB", "TJK"))) for m in plan.proposals
    ]
    before = snapshot(seeded)
    with pytest.raises(Forbidden, match="this concerns UZB only"):
        apply_import(seeded, plan.note, widened, user=tjk)
    seeded.rollback()
    assert snapshot(seeded) == before
    # An administrator (and the operator at the command line) may.
    add_account(seeded, "admin@example.org", "admin")
    admin = seeded.scalar(select(User).where(User.email == "admin@example.org"))
    assert plan_import(seeded, UZB_NOTE, "uzb", user=admin).refusals == ("",)
    result = apply_import(seeded, plan.note, plan.proposals, user=None)
    assert [m.id for m in result.cited] == [uzb_id] and result.status_changes


@pytest.mark.parametrize(
    "content",
    [
        b"\nInformation Note\n\nEvent: Workshop in Bishkek, Kyrgyzstan\n",
        b"\r\n\r\nInformation Note\r\n\r\nEvent: Workshop in Bishkek, Kyrgyzstan\r\n",
        b"\n\n  Information Note \t\nmixed\r\nends\rand </textarea> &amp; <b>\n\n",
        "\ufeffИнформационная записка\n\n12–13 March 2019, Бишкек\n".encode(),
    ],
    ids=["LF with a leading blank line", "CRLF", "mixed and markup", "BOM and Cyrillic"],
)
def test_the_stored_note_is_byte_for_byte_the_uploaded_file(
    client: FlaskClient, seeded: Session, content: bytes
) -> None:
    signed_in(client, seeded)
    note = BISHKEK.encode() + content
    token = csrf_token(client, "/notes/new")
    page = client.post(
        "/notes/new",
        data={"csrf_token": token, "file": (io.BytesIO(note), "bishkek.txt")},
    )
    assert page.status_code == 200, page.get_data(as_text=True)[-2000:]
    saved = client.post("/notes/import", data=review_form(page.get_data(as_text=True)))
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    stored = seeded.scalar(select(SourceNote).where(SourceNote.slug == "bishkek"))
    assert stored is not None and stored.text.encode("utf-8") == note
    assert stored.sha256 == hashlib.sha256(note).hexdigest()


def test_an_import_reads_the_note_once(
    client: FlaskClient, seeded: Session, monkeypatch: pytest.MonkeyPatch, pending_folder: Path
) -> None:
    signed_in(client, seeded)
    readings = []
    real = imports_service.extract

    def counting(text: str, today: date | None = None) -> Extraction:
        readings.append(len(text))
        return real(text, today)

    monkeypatch.setattr(imports_service, "extract", counting)
    saved = client.post("/notes/import", data=review_form(review(client, BISHKEK)))
    assert saved.status_code == 302
    assert len(readings) == 1
    assert not list(pending_folder.iterdir())  # kept until saved, then removed


def test_a_pending_import_is_only_for_the_one_who_uploaded_it(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)
    form = review_form(review(client, BISHKEK))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    add_account(seeded, "other@example.org", "coordinator", ["KGZ"])
    sign_in(client, "other@example.org")
    form["csrf_token"] = csrf_token(client, "/notes/new")
    before = snapshot(seeded)
    for pending in (form["pending"], "../../secret_key", "0" * 32):
        response = client.post("/notes/import", data={**form, "pending": pending})
        assert response.status_code == 404 and "upload the note again" in response.get_data(
            as_text=True
        )
    assert snapshot(seeded) == before


def test_a_correction_that_moves_a_proposal_to_another_state_is_refused(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)  # a KGZ coordinator, who may save the Bishkek note as proposed
    form = review_form(review(client, BISHKEK))
    first = next(k for k in form if k.endswith("-accept")).removesuffix("accept")
    form[f"{first}states"] = ["UZB"]
    before = snapshot(seeded)
    response = client.post("/notes/import", data=form)
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "you coordinate KGZ; this concerns UZB only" in text
    assert snapshot(seeded) == before
    chosen = text.split(f'name="{first}states"')[1].split("</select>")[0]
    assert re.findall(r'value="([A-Z]{3})" selected', chosen) == ["UZB"]


def test_an_upload_over_the_limit_gets_the_import_form_naming_the_limit(
    client: FlaskClient, seeded: Session
) -> None:
    signed_in(client, seeded)
    token = csrf_token(client, "/notes/new")
    before = len(seeded.scalars(select(SourceNote)).all())
    big = io.BytesIO(b"%PDF-1.4\n" + b" " * (2 * 1024 * 1024))
    # Encoded in memory: the test client would spool it to a temporary file left open.
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(big, "big.pdf")})
    response = client.post(
        "/notes/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Import a source note" in page and 'enctype="multipart/form-data"' in page
    assert "upload limit of 2 MiB (2097152 bytes); nothing was stored" in page
    assert len(seeded.scalars(select(SourceNote)).all()) == before
    # Any other page over the limit keeps the generic error page.
    other = client.post("/milestones/new", data={"csrf_token": token, "title": "a" * 3_000_000})
    assert other.status_code == 413 and "Import a source note" not in other.get_data(as_text=True)
