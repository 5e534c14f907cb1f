"""Full-text search: every kind of text is found, on SQLite and PostgreSQL, the index follows
every write, filters narrow, and no query, however odd, gets a 500."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.factories import make_milestone, make_note, make_state
from tests.web_helpers import text
from tracker import services
from tracker.api import openapi
from tracker.searchtext import MAX_QUERY, parse_search


def found(client: FlaskClient, query: str, **filters: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/search", query_string={"q": query, **filters})
    assert response.status_code == 200, response.get_json()
    results: list[dict[str, Any]] = response.get_json()["results"]
    return results


def titles(results: list[dict[str, Any]]) -> list[str]:
    return [r["title"] for r in results]


def marked(result: dict[str, Any]) -> list[str]:
    return [result["snippet"][a:b] for a, b in result["highlights"]]


def test_filters_follow_status_kind_and_state_changes(
    session: Session, client: FlaskClient
) -> None:
    """State, kind and status are tags in the index: every write that changes them re-tags the
    milestone's documents (its own, its status comments and its quotes)."""
    milestone = make_milestone(session, title="Quokka workshop", states=["TJK"])
    make_state(session, "KGZ")
    make_state(session, "UZB")
    note = make_note(session)
    services.cite(session, note, "convene a new round of peer review", milestone=milestone)
    session.commit()
    assert titles(found(client, "quokka", state="TJK", status="planned")) == ["Quokka workshop"]
    assert titles(found(client, "convene", state="TJK")) == ["Quokka workshop"]
    services.change_status(
        session, milestone, "done", date(2015, 10, 9), comment="Held with the wombat delegation"
    )
    session.commit()
    assert found(client, "quokka", status="planned") == []
    assert found(client, "convene", status="planned") == []  # the quote's document too
    for words in ("quokka", "wombat", "convene"):
        assert titles(found(client, words, status="done", state="TJK")) == ["Quokka workshop"]
    draft = dataclasses.replace(
        services.milestone_draft(milestone), states=["KGZ", "UZB"], kind="peer_review"
    )
    services.edit_milestone(session, milestone, draft, milestone.version)
    session.commit()
    for words in ("quokka", "wombat", "convene"):
        assert found(client, words, state="TJK") == []
        hits = found(client, words, state="UZB", kind="peer_review", status="done")
        assert titles(hits) == ["Quokka workshop"], words
        assert found(client, words, kind="peer_review", status="planned") == []
        assert found(client, words, kind="workshop") == []


@pytest.mark.parametrize(
    ("query", "title", "where"),
    [
        ("trilateral", "Trilateral peer review meeting of Belarus", "title, venue or description"),
        ("Minsk", "Trilateral peer review consultations", "title, venue or description"),
        ("UNRCPD", "National roundtable to review Uzbekistan", "title, venue or description"),
        ("Tashkent roundtable", "Meeting to review implementation", "title, venue or description"),
        ('"final stage of approval"', "Government approval of the draft NAP", "source quote"),
        ("Comprehensive Review", "Information Note", "note text"),
    ],
)
def test_search_finds_titles_venues_organisers_quotes_and_notes(
    seeded: Session, client: FlaskClient, query: str, title: str, where: str
) -> None:
    results = found(client, query)
    match = next((r for r in results if r["title"].startswith(title)), None)
    assert match is not None, (query, titles(results))
    assert where in match["matched_in"]
    assert match["url"].startswith("/milestones/" if match["type"] == "milestone" else "/notes/")
    words = {w.lower() for w in query.strip('"').split()}
    # the snippet shows the match, and the highlights point at the words searched for
    assert match["highlights"], match
    assert all(any(m.lower().startswith(w[:4]) for w in words) for m in marked(match))


def test_search_follows_every_write(session: Session, client: FlaskClient) -> None:
    milestone = make_milestone(session, title="Quokka licensing workshop", venue="Samarkand")
    session.commit()
    assert titles(found(client, "quokka")) == ["Quokka licensing workshop"]
    assert titles(found(client, "Samarkand")) == ["Quokka licensing workshop"]
    # a status comment
    services.change_status(
        session, milestone, "done", date(2015, 10, 9), comment="Held with the wombat delegation"
    )
    session.commit()
    (hit,) = found(client, "wombat")
    assert hit["matched_in"] == ["status comment"] and hit["status"] == "done"
    # an edit: the old words are gone, the new ones found
    draft = dataclasses.replace(services.milestone_draft(milestone), title="Platypus workshop")
    services.edit_milestone(session, milestone, draft, milestone.version)
    session.commit()
    assert found(client, "quokka") == []
    assert titles(found(client, "platypus")) == ["Platypus workshop"]
    # a citation, and a new note
    note = make_note(session)
    services.cite(session, note, "convene a new round of peer review", milestone=milestone)
    services.add_note(session, "901_kiwi", "Kiwi note", "other", "The kiwi committee met.")
    session.commit()
    assert "source quote" in found(client, "convene", state="TJK")[0]["matched_in"]
    (kiwi,) = found(client, "kiwi")
    assert kiwi["type"] == "note" and kiwi["slug"] == "901_kiwi"
    assert kiwi["url"] == "/notes/901_kiwi"


def test_search_filters_by_state_kind_status_and_dates(
    seeded: Session, client: FlaskClient
) -> None:
    every = found(client, "peer review")
    assert any(r["type"] == "note" for r in every)
    uzb = found(client, "review", state="UZB")
    assert uzb and all("UZB" in r["states"] for r in uzb)  # and no notes: they have no State
    kgz = found(client, "peer review", state="KGZ", kind="peer_review")
    assert kgz and all(r["kind"] == "peer_review" and "KGZ" in r["states"] for r in kgz)
    planned = found(client, "peer review", status="planned")
    assert planned and all(r["status"] == "planned" for r in planned)
    later = found(client, "peer review", due_from="2017-01-01")
    assert later and all(r["due_text"] in ("2 to 4 August 2017", "2018") for r in later)
    earlier = found(client, "peer review", due_to="2016-12-31", kind="peer_review")
    assert titles(earlier) == [
        "Trilateral peer review consultations of Belarus, Kyrgyzstan and Tajikistan, Minsk"
    ]


def test_a_word_finds_the_longer_words_it_begins_with_a_filter_too(
    session: Session, client: FlaskClient
) -> None:
    """On PostgreSQL a prefix is spelt out as the index's words (migration f3b8d6a2c915): a word
    written later, or with a quote or a backslash beside it, is found as before."""
    make_milestone(session, title="Customs clearance drill")
    make_milestone(session, title="Customisation of O'Brien's \\ export lists")
    make_milestone(session, title="Customs seminar", states=["KGZ"])
    session.commit()
    expected = ["Customisation of O'Brien's \\ export lists", "Customs clearance drill"]
    assert sorted(titles(found(client, "custom", state="TJK"))) == expected
    assert titles(found(client, "o'brien custom")) == [expected[0]]
    later = make_milestone(session, title="Drill")
    session.commit()
    draft = dataclasses.replace(services.milestone_draft(later), title="Customizable drill")
    services.edit_milestone(session, later, draft, later.version)
    session.commit()
    assert len(found(client, "custom", state="TJK", status="planned")) == 3
    assert titles(found(client, "customiz")) == ["Customizable drill"]


def test_typed_words_are_found_in_the_texts_never_in_the_filter_tags(
    session: Session, client: FlaskClient
) -> None:
    """Each document carries tags such as 'statetjk', 'kindworkshop', 'statusplanned'
    (migration d2a7b5e9c410): a typed word, which also finds the words it begins, must not
    find them, or "status", "state" and "kind" would find every milestone."""
    make_milestone(session, title="Quokka workshop", kind="workshop")
    make_milestone(session, title="Statement on export lists")
    make_milestone(session, title="Kindness of strangers seminar", states=["KGZ"])
    commented = make_milestone(session, title="Wombat seminar")
    services.change_status(
        session, commented, "done", date(2015, 10, 9), comment="Status report delivered"
    )
    session.commit()
    status = found(client, "status")
    assert titles(status) == ["Wombat seminar"] and status[0]["matched_in"] == ["status comment"]
    assert titles(found(client, "status", state="TJK", status="done")) == ["Wombat seminar"]
    assert titles(found(client, "state")) == ["Statement on export lists"]
    assert titles(found(client, "state", state="TJK")) == ["Statement on export lists"]
    assert titles(found(client, "kind")) == ["Kindness of strangers seminar"]
    assert found(client, "kind", kind="workshop") == []
    assert sorted(titles(found(client, "stat"))) == ["Statement on export lists", "Wombat seminar"]
    for tag in ("statetjk", "kindworkshop", "statusplanned", "kindreview", "стат"):
        assert found(client, tag) == [], tag
        assert found(client, tag, state="TJK") == [], tag


def test_only_common_words_find_no_document_by_its_tags(
    session: Session, client: FlaskClient
) -> None:
    """PostgreSQL leaves stop words out of a search: "the and" with a State filter was the
    filter alone, every milestone of the State. It is refused with the reason (SQLite has no
    stop words: it finds the texts with such words)."""
    make_milestone(session, title="Quokka workshop")
    make_milestone(session, title="The wombat meeting")
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        assert titles(found(client, "the", state="TJK")) == ["The wombat meeting"]
        return
    for query in ({"q": "the", "state": "TJK"}, {"q": 'the and "of the"'}):
        api = client.get("/api/v1/search", query_string=query)
        assert api.status_code == 400 and api.get_json()["field"] == "q"
        assert "too common to search for" in api.get_json()["message"]
        page = client.get("/search", query_string=query)
        assert page.status_code == 400 and "too common to search for" in text(page)
    assert titles(found(client, "the wombat", state="TJK")) == ["The wombat meeting"]


def test_search_stems_english_and_finds_russian(session: Session, client: FlaskClient) -> None:
    make_milestone(session, title="Meetings of the export control commission")
    make_milestone(
        session, title="Национальный круглый стол в Республике Таджикистан", venue="Душанбе"
    )
    session.commit()
    assert titles(found(client, "meeting")) == ["Meetings of the export control commission"]
    assert titles(found(client, "controlled")) == ["Meetings of the export control commission"]
    for query in ("Таджикистан", "таджикистан", "ДУШАНБЕ", "круглый стол"):
        assert titles(found(client, query)) == [
            "Национальный круглый стол в Республике Таджикистан"
        ], query


def test_postgresql_stems_russian(session: Session, client: FlaskClient) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("Russian stemming is PostgreSQL's 'russian' configuration")
    make_milestone(session, title="Круглые столы по вопросам экспортного контроля")
    session.commit()
    for query in ("круглый стол", "экспортный контроль", "столов"):
        assert len(found(client, query)) == 1, query


HOSTILE_QUERIES = [
    '"',
    '"unbalanced phrase',
    'peer "review',
    "NEAR(peer review)",
    "peer OR",
    "AND",
    "* ^ : -",
    "title:peer",
    "^peer",
    "peer*",
    "-review",
    "'",
    "\\",
    "peer & | ! <-> review",
    "'review':*",
    "); DROP TABLE milestones; --",
    "%_%",
    "🙂 review",
    "review\u200b",
    "x" * MAX_QUERY,
    "peer " * 40,
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_odd_queries_get_results_or_a_reason(
    seeded: Session, client: FlaskClient, query: str
) -> None:
    api = client.get("/api/v1/search", query_string={"q": query})
    page = client.get("/search", query_string={"q": query})
    assert api.status_code in (200, 400), api.get_data()
    assert page.status_code == api.status_code
    if api.status_code == 400:
        body = api.get_json()
        assert body["field"] == "q" and body["message"].startswith("q ")
        assert "Cannot search: q " in text(page)
    assert "Traceback" not in text(page)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("x" * 10_240, "characters long; a search takes at most 200"),
        ("!!! ???", "has no word to search for"),
        (" ".join(f"w{k}" for k in range(20)), "has more than 12 words"),
    ],
)
def test_queries_that_cannot_be_searched_say_why(
    seeded: Session, client: FlaskClient, query: str, reason: str
) -> None:
    api = client.get("/api/v1/search", query_string={"q": query})
    assert api.status_code == 400 and reason in api.get_json()["message"]
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 400 and reason in text(page)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": "review", "state": "ZZZ"}, "state"),
        ({"q": "review", "kind": "party"}, "kind"),
        ({"q": "review", "status": "lost"}, "status"),
        ({"q": "review", "due_from": "2016-02-30"}, "due_from"),
        ({"q": "review", "limit": "0"}, "limit"),
        ({"q": "review", "sort": "x"}, "sort"),
    ],
)
def test_bad_filters_are_named(
    seeded: Session, client: FlaskClient, query: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/search", query_string=query)
    assert response.status_code == 400
    assert response.get_json()["field"] == field
    if field not in ("limit", "sort"):
        assert client.get("/search", query_string=query).status_code == 400


def test_search_page_shows_snippets_and_links(seeded: Session, client: FlaskClient) -> None:
    page = text(client.get("/search?q=peer+review&state=TJK"))
    assert "<mark>peer</mark> <mark>review</mark>" in page.replace("Peer", "peer")
    assert 'href="/milestones/' in page and "matched in:" in page
    for path in ("/", "/report", "/notes", "/states/TJK"):  # the box on every page
        assert 'role="search"' in text(client.get(path)) and 'action="/search"' in text(
            client.get(path)
        )
    empty = client.get("/search")
    assert empty.status_code == 200 and "Nothing matches" not in text(empty)


def test_search_and_pdf_are_in_the_openapi_document() -> None:
    paths = openapi.document()["paths"]
    assert "/api/v1/search" in paths and "/api/v1/report.pdf" in paths
    names = [p.get("name") for p in paths["/api/v1/search"]["get"]["parameters"]]
    assert "q" in names and "status" in names


def test_parse_search_keeps_only_words() -> None:
    words = parse_search("q", 'NEAR("peer review" OR title:x*) -"')
    assert words.fts5() == '"near"* AND "or" AND "title"* AND "x" AND "peer review"'
    assert words.tsquery() == "'near':* & 'or' & 'title':* & 'x' & ('peer' <-> 'review')"
