"""Data in two languages: State names per reader, titles and venues with their translation or a
visible language marker, the API giving both, and the migration that brought them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.api_helpers import conforming_responses, make_token
from tests.conftest import BACKENDS, PostgresDatabases, fresh_database_url
from tests.web_helpers import add_account, csrf_token, ref_id, sign_in
from tests.web_helpers import text as body_of
from tracker import services
from tracker.bilingual import Bilingual, StateNames, detect
from tracker.models import State
from tracker.policy import Forbidden
from tracker.schema_changes import alembic_config
from tracker.searchtext import parse_search
from tracker.services.drafts import MilestoneDraft
from tracker.services.search import search

RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
EN = {"Accept-Language": "en"}
JSON = "application/json"
RU_TITLE = "Семинар по подготовке национального доклада"


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    """The application, with every API response checked against the OpenAPI document."""
    with conforming_responses(app):
        yield app


def _russian_meeting(session: Session, **overrides: Any) -> int:
    values: dict[str, Any] = {
        "kind": "workshop",
        "title": RU_TITLE,
        "due": "15 April 2027",
        "states": ["TJK"],
        "venue": "Душанбе",
    }
    milestone = services.create_milestone(session, MilestoneDraft(**values | overrides))
    session.commit()
    return milestone.id


# --- the rule itself -------------------------------------------------------------------------


def test_a_text_is_shown_in_the_readers_language_or_marked_with_its_own() -> None:
    assert detect(RU_TITLE) == "ru" and detect("Peer review, Dushanbe") == "en"
    russian_only = Bilingual(RU_TITLE, "ru")
    assert russian_only.shown("ru").marker == ""
    assert russian_only.shown("en").plain() == f"{RU_TITLE} [ru]"
    both = Bilingual(RU_TITLE, "ru", "Report-writing workshop")
    assert both.shown("en").text == "Report-writing workshop" and not both.shown("en").fallback
    names = StateNames("Kyrgyzstan", "Kyrgyz Republic", "Кыргызстан", "Кыргызская Республика")
    assert (names.short("ru"), names.official("en")) == ("Кыргызстан", "Kyrgyz Republic")
    assert StateNames("Kazakhstan").short("ru") == "Kazakhstan"  # English until one is given


@given(st.text(max_size=40), st.text(max_size=40), st.sampled_from(["en", "ru"]))
def test_a_reader_always_sees_one_of_the_two_versions(text: str, alt: str, reader: str) -> None:
    seen = Bilingual(text, detect(text), alt).shown(reader)
    assert seen.text in (text, alt)
    assert seen.fallback == (bool(text) and seen.lang != reader)  # marked exactly when foreign
    assert seen.text or not text  # never blank while something is written


def test_an_english_title_is_marked_for_russian_readers(
    client: FlaskClient, seeded: Session
) -> None:
    milestone_id = _russian_meeting(seeded, title="Regional workshop in Dushanbe", venue="")
    russian = body_of(client.get(f"/milestones/{milestone_id}", headers=RU))
    assert (
        '<h1><span lang="en">Regional workshop in Dushanbe</span> '
        '<small class="lang-mark">[en]</small></h1>'
    ) in russian


# --- State names ----------------------------------------------------------------------------


def test_state_names_follow_the_readers_language(client: FlaskClient, seeded: Session) -> None:
    russian = body_of(client.get("/?as_of=2016-03-01", headers=RU))
    for name in ("Таджикистан", "Узбекистан", "Кыргызстан", "Беларусь"):
        assert f">{name}</a>" in russian
    english = body_of(client.get("/?as_of=2016-03-01", headers=EN))
    assert ">Kyrgyzstan</a>" in english and "Кыргызстан" not in english
    heading = body_of(client.get("/states/KGZ", headers=RU))
    assert "<h1>Кыргызстан <small>KGZ</small></h1>" in heading
    report = body_of(client.get("/report?as_of=2016-03-01", headers=RU))
    assert 'value="TJK" > Таджикистан</label>' in report


def test_the_seeded_states_carry_official_names_in_both_languages(seeded: Session) -> None:
    names = seeded.get(State, "KGZ")
    assert names is not None
    assert (names.official_name, names.name_ru, names.official_name_ru) == (
        "Kyrgyz Republic",
        "Кыргызстан",
        "Кыргызская Республика",
    )


def test_an_admin_renames_a_state_and_readers_see_it(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    form = {
        "csrf_token": csrf_token(client, "/admin/states/KGZ"),
        "name": "Kyrgyzstan",
        "official_name": "Kyrgyz Republic",
        "name_ru": "Киргизия",
        "official_name_ru": "Кыргызская Республика",
    }
    saved = client.post("/admin/states/KGZ", data=form)
    assert saved.status_code == 302
    assert "<h1>Киргизия <small>KGZ</small></h1>" in body_of(client.get("/states/KGZ?lang=ru"))
    clash = client.post("/admin/states/KGZ", data=form | {"name": "Tajikistan"})
    # The reader chose Russian above (?lang=ru is remembered): the refusal is in Russian.
    assert clash.status_code == 409 and "это название уже носит другое государство" in body_of(
        clash
    )


def test_only_admins_rename_states(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    sign_in(client, "tjk@example.org")
    assert client.get("/admin/states/TJK").status_code == 403
    refused = client.post("/admin/states/TJK", data={"name": "Tajikistan", "name_ru": "X"})
    assert refused.status_code in (400, 403)
    coordinator = services.get_user(seeded, "tjk@example.org")
    with pytest.raises(Forbidden):
        services.rename_state(seeded, "TJK", StateNames("Tajikistan", name_ru="X"), by=coordinator)
    seeded.rollback()
    state = seeded.get(State, "TJK")
    assert state is not None and state.name_ru == "Таджикистан"


# --- titles and venues ----------------------------------------------------------------------


def test_a_russian_title_is_marked_for_english_readers(
    client: FlaskClient, seeded: Session
) -> None:
    milestone_id = _russian_meeting(seeded)
    english = body_of(client.get(f"/milestones/{milestone_id}", headers=EN))
    assert f'<h1><span lang="ru">{RU_TITLE}</span> <small class="lang-mark">[ru]</small></h1>' in (
        english
    )
    assert f"<title>{RU_TITLE} [ru]" in english
    russian = body_of(client.get(f"/milestones/{milestone_id}", headers=RU))
    assert f"<h1>{RU_TITLE}</h1>" in russian and "[ru]" not in russian


def test_a_translated_title_shows_each_reader_their_language(
    client: FlaskClient, seeded: Session
) -> None:
    milestone_id = _russian_meeting(
        seeded, title_alt="Report-writing workshop", venue_alt="Dushanbe"
    )
    english = body_of(client.get("/states/TJK?as_of=2027-04-01", headers=EN))
    assert ">Report-writing workshop</a>" in english and "[ru]" not in english
    russian = body_of(client.get("/states/TJK?as_of=2027-04-01", headers=RU))
    assert f">{RU_TITLE}</a>" in russian and "Душанбе" in russian
    assert f"<title>{RU_TITLE}" in russian.split("<figure", 1)[1]  # the drawing's bar too
    # The milestone's own page gives the other language's version under the heading.
    page = body_of(client.get(f"/milestones/{milestone_id}", headers=EN))
    assert "<h1>Report-writing workshop</h1>" in page
    assert f'<p class="title-alt"><span lang="ru">{RU_TITLE}</span></p>' in page


def test_the_edit_form_takes_the_second_language(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "admin@example.org", "admin")
    sign_in(client, "admin@example.org")
    milestone_id = ref_id(seeded, "tjk-approval-deadline-2015")
    page = f"/milestones/{milestone_id}/edit"
    assert 'name="title_alt"' in body_of(client.get(page))
    milestone = services.get_milestone(seeded, milestone_id)
    data = {
        "csrf_token": csrf_token(client, page),
        "version": str(milestone.version),
        "kind": milestone.kind.value,
        "title": milestone.title,
        "title_alt": "Срок утверждения проекта НПД",
        "due": milestone.due_text,
        "states": "TJK",
        "venue": "Dushanbe",
        "venue_alt": "Душанбе",
    }
    saved = client.post(page, data=data)
    assert saved.status_code == 302, body_of(saved)
    russian = body_of(client.get(f"/milestones/{milestone_id}?lang=ru"))
    assert "<h1>Срок утверждения проекта НПД</h1>" in russian
    assert "<dd>Душанбе</dd>" in russian
    version = str(services.milestone_version(seeded, milestone_id))
    same = client.post(page, data=data | {"venue_alt": "Dushanbe, Tajikistan", "version": version})
    assert same.status_code == 400
    assert "на том же языке, что и venue" in body_of(same)  # the reader chose Russian above


def test_search_finds_a_milestone_by_its_translation(client: FlaskClient, seeded: Session) -> None:
    _russian_meeting(seeded, title_alt="Report-writing workshop on reporting")
    results = body_of(client.get("/search?q=Семинар", headers=EN))
    assert "Report-writing workshop on reporting</a>" in results


def test_the_report_pdf_reads_in_the_readers_language(client: FlaskClient, seeded: Session) -> None:
    def text_of(headers: dict[str, str]) -> str:
        body = client.get("/report.pdf?as_of=2016-03-01", headers=headers).data
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)

    russian, english = " ".join(text_of(RU).split()), " ".join(text_of(EN).split())
    assert "Таджикистан (TJK)" in russian and "Tajikistan (TJK)" in english
    assert "Утверждение проекта НПД правительством" in russian
    assert "Government approval of the draft NAP" in english


# --- the API --------------------------------------------------------------------------------


def test_the_api_takes_and_gives_both_languages(client: FlaskClient, seeded: Session) -> None:
    admin = make_token(seeded, "admin")
    body = {
        "kind": "workshop",
        "title": RU_TITLE,
        "title_alt": "Report-writing workshop",
        "due": "15 April 2027",
        "states": ["TJK"],
        "venue": "Dushanbe",
    }
    created = client.post("/api/v1/milestones", data=json.dumps(body), content_type=JSON,
                          headers=admin)  # fmt: skip
    assert created.status_code == 201, created.get_json()
    got = created.get_json()
    assert (got["title"], got["title_lang"], got["title_alt"]) == (
        RU_TITLE,
        "ru",
        "Report-writing workshop",
    )
    assert (got["venue"], got["venue_lang"], got["venue_alt"]) == ("Dushanbe", "en", "")
    etag = {"If-Match": created.headers["ETag"]}
    change = json.dumps({"title_alt": "Семинар"})
    url = created.headers["Location"]
    same = client.patch(url, data=change, content_type=JSON, headers=admin | etag)
    assert same.status_code == 422
    assert same.get_json()["field"] == "title_alt"
    # A new title in the other script is read afresh: its language follows.
    english = json.dumps({"title": "Report-writing workshop", "title_alt": RU_TITLE})
    flipped = client.patch(url, data=english, content_type=JSON, headers=admin | etag)
    assert flipped.status_code == 200, flipped.get_json()
    assert (flipped.get_json()["title_lang"], flipped.get_json()["title_alt"]) == ("en", RU_TITLE)
    state = client.get("/api/v1/states/TJK", headers=admin).get_json()
    assert state["names"]["ru"] == {"short": "Таджикистан", "official": "Республика Таджикистан"}
    assert state["names"]["en"]["official"] == "Republic of Tajikistan"
    assert {"title_lang", "title_alt"} <= set(state["plans"][0])


# --- the migration --------------------------------------------------------------------------

BEFORE = "c1d2e3f4a5b6"
NEW_COLUMNS = "id, title, title_lang, title_alt, venue_lang"
OLD_MILESTONE = (
    "INSERT INTO milestones (id, kind, title, description, due_start, due_end, due_precision, "
    "due_text, venue, organisers, responsible_agency, status, version, created_at, updated_at) "
    "VALUES (:id, 'workshop', :title, '', '2016-03-01', '2016-03-01', 'day', '1 March 2016', "
    ":venue, '', '', 'planned', 1, '2016-03-01 00:00:00+00', '2016-03-01 00:00:00+00')"
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migration_keeps_every_row_and_fills_the_new_columns(
    backend: str, tmp_path: Path, postgres: PostgresDatabases | None
) -> None:
    url = fresh_database_url(backend, tmp_path, postgres)
    config = alembic_config(url)
    command.upgrade(config, BEFORE)
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            for code, name in (("KGZ", "Kyrgyzstan"), ("KAZ", "Kazakhstan")):
                connection.execute(
                    text("INSERT INTO states (code, name) VALUES (:c, :n)"), {"c": code, "n": name}
                )
            connection.execute(text(OLD_MILESTONE), {"id": 1, "title": RU_TITLE, "venue": "Вена"})
            connection.execute(text(OLD_MILESTONE), {"id": 2, "title": "Workshop", "venue": ""})
        command.upgrade(config, "head")
        with engine.connect() as connection:
            states = connection.execute(
                text("SELECT code, name, official_name, name_ru FROM states ORDER BY code")
            ).all()
            milestones = connection.execute(
                text(f"SELECT {NEW_COLUMNS} FROM milestones ORDER BY id")
            ).all()
            found = connection.execute(
                text("SELECT count(*) FROM search_documents WHERE milestone_id = 1")
            ).scalar()
        assert [tuple(s) for s in states] == [
            ("KAZ", "Kazakhstan", "", ""),
            ("KGZ", "Kyrgyzstan", "Kyrgyz Republic", "Кыргызстан"),
        ]
        assert [tuple(m) for m in milestones] == [
            (1, RU_TITLE, "ru", "", "ru"),
            (2, "Workshop", "en", "", "en"),
        ]
        assert found == 1
        with engine.begin() as connection:  # the new triggers index the translation
            connection.execute(
                text("UPDATE milestones SET title_alt = 'Vienna seminar' WHERE id = 1")
            )
        with Session(engine) as session:
            hits = search(session, parse_search("q", "seminar"))
            assert [h.id for h in hits if h.target == "milestone"] == [1]
        command.downgrade(config, BEFORE)
        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM states")).scalar() == 2
            assert connection.execute(
                text("SELECT title FROM milestones WHERE id = 1")
            ).scalar() == (RU_TITLE)
    finally:
        engine.dispose()
