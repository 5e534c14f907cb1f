# ruff: noqa: E501  (the catalogues are tables: one bad input per line)
"""A catalogue of bad input, and what each gets: the right status, a clear message, no change.

Each row sends one bad request to the JSON API (or one bad command to the CLI) against the
seeded database, checks the answer, and compares a snapshot of every table before and after.
Web forms reuse `tests.db_snapshot.unchanged` the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.api_helpers import bearer, conforming_responses, make_token
from tests.db_snapshot import unchanged
from tracker import services
from tracker.models import ApiToken, Milestone

JSON = "application/json"
TJK_MEETING = "tjk-wg-session-vienna-2015-10"  # planned, Tajikistan only
NEW = {"kind": "workshop", "title": "Workshop", "due": "May 2018", "states": ["UZB"]}


@pytest.fixture
def app(app: Flask) -> Iterator[Flask]:
    """The application, with every API response checked against the OpenAPI document."""
    with conforming_responses(app):
        yield app


@pytest.fixture
def tokens(seeded: Session) -> dict[str, dict[str, str]]:
    """Authorization headers by who sends them."""
    headers = {
        "admin": make_token(seeded, "admin"),
        "viewer": make_token(seeded, "viewer"),
        "uzb": make_token(seeded, "coordinator", ("UZB",)),
        "revoked": make_token(seeded, "admin", email="former@example.org"),
        "forged": bearer("nap_" + "x" * 43),
        "basic": {"Authorization": "Basic YWRtaW46c2VjcmV0"},
        "none": {},
    }
    former = services.get_user(seeded, "former@example.org")
    services.revoke_token(seeded, seeded.scalars(select(ApiToken).filter_by(user=former)).one())
    seeded.commit()
    return headers


@dataclass(frozen=True)
class Bad:
    """One bad request and the answer it must get."""

    name: str
    method: str
    path: str  # "{id}" stands for a planned Tajik milestone's id
    status: int
    error: str
    field: str | None = None
    says: str = ""  # words the message must contain
    body: Any = None  # sent as JSON; bytes are sent as they are
    who: str = "admin"
    content_type: str = JSON
    if_match: str | None = "current"  # the milestone's current ETag, or this text

    def __str__(self) -> str:
        return self.name


M = "/api/v1/milestones"
ONE = "/api/v1/milestones/{id}"
STATUS = "/api/v1/milestones/{id}/status-changes"
CITE = "/api/v1/milestones/{id}/citations"
DONE = {"status": "done", "on": "2015-10-09"}

API_CATALOGUE = [
    # Dates that are malformed or impossible.
    Bad("31 February", "POST", M, 422, "invalid", "due", "has no day 31", NEW | {"due": "31 February 2016"}),
    Bad("year 0", "POST", M, 422, "invalid", "due", "year 0 is outside", NEW | {"due": "year 0"}),
    Bad("10 000-character date", "POST", M, 422, "invalid", "due", "too long", NEW | {"due": "7" * 10_000}),
    Bad("no year", "PATCH", ONE, 422, "invalid", "due", "year is missing", {"due": "8 October"}),
    Bad("ISO 31 February as of", "GET", f"{M}?as_of=2016-02-31", 400, "bad_request", "as_of", "real date"),
    Bad("as of year 0", "GET", "/api/v1/report?as_of=0000-01-01", 400, "bad_request", "as_of"),
    Bad("as of year 9999", "GET", f"{M}?as_of=9999-12-31", 400, "bad_request", "as_of", "between"),
    Bad("status on 31 February", "POST", STATUS, 422, "invalid", "on", "real date", DONE | {"on": "2015-02-31"}),
    Bad("reference date year 0", "POST", M, 422, "invalid", "due_reference", "real date", NEW | {"due_reference": "0000-01-01"}),
    Bad("status in the future", "POST", STATUS, 422, "invalid", "on", "future", DONE | {"on": "2199-01-01"}),
    # Unknown ids and codes.
    Bad("unknown milestone", "GET", f"{M}/999999", 404, "not_found", None, "no milestone"),
    Bad("milestone id beyond any integer column", "GET", f"{M}/99999999999999999999", 404, "not_found"),
    Bad("milestone id that is a word", "GET", f"{M}/vienna", 404, "not_found"),
    Bad("edit an unknown milestone", "PATCH", f"{M}/999999", 404, "not_found", None, "", {"title": "x"}),
    Bad("unknown State", "GET", "/api/v1/states/XYZ", 404, "not_found", None, "no such State"),
    Bad("unknown note", "GET", "/api/v1/notes/no-such-note", 404, "not_found", None, "no such source note"),
    Bad("filter by an unknown State", "GET", f"{M}?state=XYZ", 400, "bad_request", "state", "no such State"),
    Bad("report for an unknown State", "GET", "/api/v1/report?state=XY", 400, "bad_request", "state"),
    Bad("unknown kind", "GET", f"{M}?kind=meeting", 400, "bad_request", "kind", "must be one of"),
    Bad("unknown parameter", "GET", f"{M}?colour=red", 400, "bad_request", "colour", "unknown parameter"),
    Bad("forged cursor", "GET", f"{M}?cursor=bm90LWEtY3Vyc29y", 400, "bad_request", "cursor"),
    Bad("unknown participating State", "POST", M, 422, "invalid", "states", "no such State", NEW | {"states": ["XYZ"]}),
    Bad("unknown plan", "POST", M, 422, "invalid", "plan", "no such action plan", NEW | {"plan": "no-such-plan"}),
    Bad("cite an unknown note", "POST", CITE, 422, "invalid", "note", "no such source note", {"note": "nope", "quote": "x"}),
    Bad("cite a quote not in the note", "POST", CITE, 422, "invalid", "quote", "not verbatim", {"note": "001_4e211aa1da0f2196", "quote": "<b>Vienna</b>"}),
    Bad("unknown citation", "POST", STATUS, 422, "invalid", "citation", "no such citation", DONE | {"citation": 999999}),
    Bad("unknown status", "POST", STATUS, 422, "invalid", "status", "must be one of", DONE | {"status": "finished"}),
    # Wrong types.
    Bad("title is a number", "POST", M, 422, "invalid", "title", "must be a string, not a number", NEW | {"title": 5}),
    Bad("States is a string", "POST", M, 422, "invalid", "states", "list", NEW | {"states": "UZB"}),
    Bad("a State is a number", "POST", M, 422, "invalid", "states", "must be a string", NEW | {"states": [860]}),
    Bad("status is a list", "POST", STATUS, 422, "invalid", "status", "not a list", DONE | {"status": ["done"]}),
    Bad("date is a number", "POST", STATUS, 422, "invalid", "on", "not a number", DONE | {"on": 20151009}),
    Bad("citation is a boolean", "POST", STATUS, 422, "invalid", "citation", "whole number", DONE | {"citation": True}),
    Bad("body is a list", "POST", M, 422, "invalid", None, "JSON object", [NEW]),
    Bad("body is null", "POST", M, 422, "invalid", None, "JSON object", b"null"),
    Bad("unknown field", "POST", M, 422, "invalid", "colour", "unknown field", NEW | {"colour": "red"}),
    Bad("reference cannot be edited", "PATCH", ONE, 422, "invalid", "ref", "unknown field", {"ref": "x"}),
    Bad("empty edit", "PATCH", ONE, 422, "invalid", None, "no field", {}),
    Bad("page size zero", "GET", f"{M}?limit=0", 400, "bad_request", "limit", "1 to 200"),
    Bad("page size a word", "GET", f"{M}?limit=all", 400, "bad_request", "limit"),
    Bad("negative horizon", "GET", "/api/v1/report?within=-1", 400, "bad_request", "within"),
    # Sizes.
    Bad("oversize body", "POST", M, 413, "payload_too_large", None, "larger than", NEW | {"description": "x" * 300_000}),
    Bad("title over 300 characters", "POST", M, 422, "invalid", "title", "limit is 300", NEW | {"title": "t" * 301}),
    Bad("description over 10 000", "PATCH", ONE, 422, "invalid", "description", "limit is 10000", {"description": "d" * 10_001}),
    Bad("too many States", "POST", M, 422, "invalid", "states", "more than 200", NEW | {"states": ["UZB"] * 201}),
    # Encodings and syntax.
    Bad("invalid UTF-8", "POST", M, 400, "bad_json", None, "not valid UTF-8", b'{"title": "\xff\xfe"}'),
    Bad("lone surrogate", "POST", M, 422, "invalid", "title", "not valid Unicode", b'{"kind": "workshop", "title": "\\ud800", "due": "2018", "states": ["UZB"]}'),
    Bad("NUL in a text field", "PATCH", ONE, 422, "invalid", "venue", "NUL", {"venue": "Vienna\u0000"}),
    Bad("NUL in a query", "GET", f"{M}?state=TJ%00", 400, "bad_request", "state", "NUL"),
    Bad("truncated JSON", "POST", M, 400, "bad_json", None, "not valid JSON", b'{"title": '),
    Bad("NaN", "POST", STATUS, 400, "bad_json", None, "not a JSON number", b'{"status": "done", "on": "2015-10-09", "citation": NaN}'),
    # Control characters and invisible-only text: one rule for every text field (issue 10, item 6).
    Bad("U+0001 in a title", "POST", M, 422, "invalid", "title", "U+0001", NEW | {"title": "Workshop\u0001"}),
    Bad("U+001F in a State code", "POST", M, 422, "invalid", "states", "U+001F", NEW | {"states": ["UZB\u001f"]}),
    Bad("C1 control in a venue", "PATCH", ONE, 422, "invalid", "venue", "U+0085", {"venue": "Vienna\u0085"}),
    Bad("escape in a due date", "PATCH", ONE, 422, "invalid", "due", "U+001B", {"due": "2018\u001b[31m"}),
    Bad("line break in a title", "PATCH", ONE, 422, "invalid", "title", "multi-line", {"title": "two\nlines"}),
    Bad("vertical tab in a description", "PATCH", ONE, 422, "invalid", "description", "U+000B", {"description": "a\u000bb"}),
    Bad("form feed in a comment", "POST", STATUS, 422, "invalid", "comment", "U+000C", DONE | {"comment": "page\u000c2"}),
    Bad("only zero-width spaces", "POST", M, 422, "invalid", "title", "invisible", NEW | {"title": "\u200b\u200b"}),
    Bad("only a byte-order mark", "PATCH", ONE, 422, "invalid", "organisers", "invisible", {"organisers": "\ufeff"}),
    Bad("U+0001 in a quote", "POST", CITE, 422, "invalid", "quote", "U+0001", {"note": "001_4e211aa1da0f2196", "quote": "Vienna\u0001"}),
    # Numbers that pass isdigit() but not int(), ids beyond an integer column (item 7).
    Bad("superscript two as a horizon", "GET", f"{M}?within=%C2%B2", 400, "bad_request", "within", "whole number"),
    Bad("superscript two in the report", "GET", "/api/v1/report?within=%C2%B2", 400, "bad_request", "within", "whole number"),
    Bad("Arabic-Indic digits as a page size", "GET", f"{M}?limit=%D9%A1%D9%A2", 400, "bad_request", "limit", "whole number"),
    Bad("superscript two as a page size", "GET", f"{M}?limit=%C2%B2", 400, "bad_request", "limit"),
    Bad("milestone id 2**31", "GET", f"{M}/2147483648", 404, "not_found"),
    Bad("milestone id 2**63", "PATCH", f"{M}/9223372036854775808", 404, "not_found", None, "", {"title": "x"}),
    Bad("cursor with a 30-digit id", "GET", f"{M}?cursor=MjAxNS0wMS0wMSwyMDE1LTAxLTAxLDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA", 400, "bad_request", "cursor"),
    # Dates: YYYY-MM-DD only, in one range (item 11).
    Bad("ISO week date as of", "GET", f"{M}?as_of=2020-W01-1", 400, "bad_request", "as_of", "YYYY-MM-DD"),
    Bad("basic-format date", "GET", f"{M}?due_from=20200101", 400, "bad_request", "due_from", "YYYY-MM-DD"),
    Bad("status on an ISO week date", "POST", STATUS, 422, "invalid", "on", "YYYY-MM-DD", DONE | {"on": "2015-W41-5"}),
    Bad("status on a basic-format date", "POST", STATUS, 422, "invalid", "on", "YYYY-MM-DD", DONE | {"on": "20151009"}),
    Bad("status in year 1", "POST", STATUS, 422, "invalid", "on", "between", DONE | {"on": "0001-01-01"}),
    Bad("deeply nested JSON", "POST", M, 400, "bad_json", None, "not valid JSON", b"[" * 50_000 + b"]" * 50_000),
    Bad("form instead of JSON", "POST", M, 415, "unsupported_media_type", None, "application/json", b"title=x", content_type="application/x-www-form-urlencoded"),
    Bad("no content type", "POST", M, 415, "unsupported_media_type", None, "", b"{}", content_type=""),
    Bad("JSON in Latin-1", "POST", M, 415, "unsupported_media_type", None, "UTF-8", NEW, content_type="application/json; charset=latin-1"),
    # SQL-looking strings are only text.
    Bad("SQL in a State filter", "GET", f"{M}?state=TJK'%20OR%20'1'='1", 400, "bad_request", "state", "no such State"),
    Bad("SQL in a note slug", "GET", "/api/v1/notes/x'%20OR%201=1--", 404, "not_found"),
    Bad("SQL as a State code", "POST", M, 422, "invalid", "states", "no such State", NEW | {"states": ["'; DROP TABLE states;--"]}),
    # Who may do what.
    Bad("another State's milestone", "PATCH", ONE, 403, "forbidden", None, "you coordinate UZB", {"title": "x"}, who="uzb"),
    Bad("another State's status", "POST", STATUS, 403, "forbidden", None, "TJK", DONE, who="uzb"),
    Bad("another State's citation", "POST", CITE, 403, "forbidden", None, "TJK", {"note": "n", "quote": "q"}, who="uzb"),
    Bad("create for another State", "POST", M, 403, "forbidden", None, "TJK", NEW | {"states": ["TJK"]}, who="uzb"),
    Bad("viewer edits", "PATCH", ONE, 403, "forbidden", None, "viewer", {"title": "x"}, who="viewer"),
    Bad("revoked token reads", "GET", M, 401, "unauthorized", None, "revoked", who="revoked"),
    Bad("revoked token writes", "PATCH", ONE, 401, "unauthorized", None, "revoked", {"title": "x"}, who="revoked"),
    Bad("forged token", "GET", "/api/v1/report", 401, "unauthorized", None, "unknown", who="forged"),
    Bad("password instead of token", "GET", M, 401, "unauthorized", None, "Bearer", who="basic"),
    Bad("no token for a write", "POST", M, 401, "unauthorized", None, "token", NEW, who="none"),
    # Conditional writes.
    Bad("edit without If-Match", "PATCH", ONE, 428, "precondition_required", None, "ETag", {"title": "x"}, if_match=None),
    Bad("If-Match *", "PATCH", ONE, 428, "precondition_required", None, "*", {"title": "x"}, if_match="*"),
    Bad("stale If-Match", "PATCH", ONE, 412, "precondition_failed", None, "changed", {"title": "x"}, if_match='"0"'),
    Bad("weak If-Match", "POST", STATUS, 412, "precondition_failed", None, "strong", DONE, if_match='W/"1"'),
    Bad("unquoted stale If-Match", "POST", STATUS, 412, "precondition_failed", None, "", DONE, if_match="0"),
    # Wrong routes and methods.
    Bad("unknown route", "GET", "/api/v1/milestone", 404, "not_found"),
    Bad("method not allowed", "DELETE", ONE, 405, "method_not_allowed"),
]  # fmt: skip


def send(client: FlaskClient, case: Bad, milestone_id: int, headers: dict[str, str]) -> Any:
    """Send one catalogue request."""
    path = case.path.replace("{id}", str(milestone_id))
    body = case.body if isinstance(case.body, bytes) or case.body is None else json.dumps(case.body)
    if case.if_match == "current":
        headers = headers | {"If-Match": client.get(f"{M}/{milestone_id}").headers["ETag"]}
    elif case.if_match is not None:
        headers = headers | {"If-Match": case.if_match}
    if case.content_type:
        headers = headers | {"Content-Type": case.content_type}
    return client.open(path, method=case.method, data=body, headers=headers)


def tajik_meeting(session: Session) -> int:
    """The id of a planned milestone of Tajikistan only."""
    milestone_id = session.scalar(select(Milestone.id).where(Milestone.ref == TJK_MEETING))
    assert milestone_id is not None
    return milestone_id


def test_each_bad_api_request_gets_a_clear_answer_and_changes_nothing(
    app: Flask,
    client: FlaskClient,
    seeded: Session,
    tokens: dict[str, dict[str, str]],
    subtests: pytest.Subtests,
) -> None:
    milestone_id = tajik_meeting(seeded)
    for case in API_CATALOGUE:
        with subtests.test(msg=case.name), unchanged(app.extensions["tracker.engine"]):
            response = send(client, case, milestone_id, tokens[case.who])
            body = response.get_json()
            assert (response.status_code, body["error"]) == (case.status, case.error), body
            assert body.get("field") == case.field, body
            assert case.says in body["message"], body


# --- HTML, script and SQL are stored as text ------------------------------------------------

SCRIPT = "<script>alert('x')</script><b onmouseover=alert(1)>bold</b> & \"quoted\""
SQL = "Robert'); DROP TABLE milestones;-- ' OR '1'='1"


def test_html_script_and_sql_in_every_text_field_are_kept_as_text(
    client: FlaskClient, seeded: Session, tokens: dict[str, dict[str, str]]
) -> None:
    fields = ("title", "description", "venue", "organisers", "responsible_agency")
    sent = NEW | {name: f"{SCRIPT} {name} {SQL}" for name in fields}
    created = client.post(M, data=json.dumps(sent), content_type=JSON, headers=tokens["admin"])
    assert created.status_code == 201, created.get_json()
    url, etag = created.headers["Location"], created.headers["ETag"]
    change = {"status": "in_progress", "on": "2016-01-01", "comment": SCRIPT + SQL}
    headers = tokens["admin"] | {"If-Match": etag}
    status = client.post(f"{url}/status-changes", json=change, headers=headers)
    assert status.status_code == 201
    stored = client.get(url).get_json()
    assert all(stored[name] == sent[name] for name in fields)
    assert stored["history"][0]["comment"] == SCRIPT + SQL
    assert client.get(M).get_json()["items"]  # the table is still there


def test_html_in_a_title_is_escaped_on_the_web_pages(
    client: FlaskClient, seeded: Session, tokens: dict[str, dict[str, str]]
) -> None:
    sent = NEW | {"title": SCRIPT}
    created = client.post(M, data=json.dumps(sent), content_type=JSON, headers=tokens["admin"])
    assert created.status_code == 201
    page = client.get("/states/UZB").get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(" in page


# --- the command line -----------------------------------------------------------------------


@dataclass(frozen=True)
class BadCommand:
    """One bad command and the words its one-line error must contain."""

    name: str
    args: tuple[str, ...]
    says: str
    sqlite_only: bool = False

    def __str__(self) -> str:
        return self.name


CLI_CATALOGUE = [
    BadCommand("status on 31 February", ("status", "{id}", "done", "--on", "2015-02-31"), "real date"),
    BadCommand("status in year 0", ("status", "{id}", "done", "--on", "0000-10-09"), "real date"),
    BadCommand("status of an unknown milestone", ("status", "999999", "done", "--on", "2015-10-09"), "no such milestone"),
    BadCommand("status of a word", ("status", "vienna", "done", "--on", "2015-10-09"), "whole numbers"),
    BadCommand("unknown status", ("status", "{id}", "finished", "--on", "2015-10-09"), "finished"),
    BadCommand("comment with U+0001", ("status", "{id}", "done", "--on", "2015-10-09", "--comment", "a\x01b"), "U+0001"),
    BadCommand("status on an ISO week date", ("status", "{id}", "done", "--on", "2015-W41-5"), "YYYY-MM-DD"),
    BadCommand("comment over 10 000", ("status", "{id}", "done", "--on", "2015-10-09", "--comment", "c" * 10_001), "limit is 10000"),
    BadCommand("report as of 31 February", ("report", "--as-of", "2016-02-31"), "real date"),
    BadCommand("report for an unknown State", ("report", "--state", "XYZ"), "no such State"),
    BadCommand("timeline with SQL", ("timeline", "TJK' OR '1'='1"), "no such State"),
    BadCommand("token for nobody", ("token", "create", "nobody@example.org"), "no such account"),
    BadCommand("revoke an unknown token", ("token", "revoke", "999999"), "no such token"),
    BadCommand("revoke a word", ("token", "revoke", "all"), "not a valid integer"),
    BadCommand("token name over 100", ("token", "create", "admin-all@example.org", "--name", "n" * 101), "limit is 100"),
    BadCommand("user with a bad e-mail", ("user", "add", "not-an-email", "--role", "admin", "--password", "a long password"), "not an e-mail"),
    BadCommand("restore a missing file", ("restore", "/no/such/backup.sqlite3", "--yes"), "no such file", True),
    BadCommand("restore a text file", ("restore", "{text}", "--yes"), "not a SQLite database", True),
    BadCommand("backup over a file", ("backup", "{text}"), "exists", True),
]  # fmt: skip


def test_each_bad_command_fails_with_one_line_and_changes_nothing(
    app: Flask,
    runner: FlaskCliRunner,
    seeded: Session,
    tokens: dict[str, dict[str, str]],
    tmp_path: Path,
    subtests: pytest.Subtests,
) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database", encoding="utf-8")
    on_sqlite = app.config["DATABASE_URL"].startswith("sqlite")
    milestone_id = str(tajik_meeting(seeded))
    for case in CLI_CATALOGUE:
        if case.sqlite_only and not on_sqlite:
            continue
        args = [
            a.replace("{id}", milestone_id).replace("{text}", str(text_file)) for a in case.args
        ]
        with subtests.test(msg=case.name), unchanged(app.extensions["tracker.engine"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 2, result.output
            assert case.says in result.output, result.output
