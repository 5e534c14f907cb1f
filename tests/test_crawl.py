"""Hostile values in every route, query parameter and form field: never a 5xx, nothing changed.

First the requests an outside probe found answering 500 (issue 10), each with the answer a
person should get; then a crawl of every rule in `app.url_map`, anonymous, as an admin and as a
coordinator, sampled from a fixed seed so that a run stays within seconds per database.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse
from wtforms.fields.core import UnboundField

from tests.api_helpers import make_token
from tests.db_snapshot import database_snapshot, differences, unchanged
from tests.web_helpers import add_account, csrf_token, sign_in
from tracker import services
from tracker.models import ActionPlan, Citation, Milestone, SourceNote, User
from tracker.views import forms

TJK_MEETING = "tjk-wg-session-vienna-2015-10"
HUGE = "9223372036854775808"
HOSTILE = [
    "\u00b2",
    HUGE,
    "2147483648",
    "-1",
    "0",
    "9999-12-31",
    "0001-01-01",
    "\x00",
    "tjk\x00@x.org",
    "a" * 10_000,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2020-W01-1",
    "20200101",
    "\u200b",
    "\x01",
    "\u0661\u0662",
    "%00",
    "../../etc/passwd",
    "1900-01-01",  # the first and last days the tracker reads: valid, and must not overflow
    "2200-12-31",
]
QUERY = ["as_of", "within", "state", "kind", "status", "due_from", "due_to", "flag", "limit"]
QUERY += ["cursor", "next", "token", "q"]


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@dataclass
class Site:
    """The seeded application with its clients and the ids a crawl needs."""

    app: Flask
    engine: Engine
    clients: dict[str, FlaskClient]
    csrf: dict[str, str]
    valid: dict[str, str]


@pytest.fixture
def site(app: Flask, seeded: Session) -> Iterator[Site]:
    """Anonymous, admin and Tajik coordinator clients, each with its CSRF token."""
    add_account(seeded, "admin@example.org", "admin")
    add_account(seeded, "tjk@example.org", "coordinator", ["TJK"])
    add_account(seeded, "spare@example.org", "viewer")
    make_token(seeded, "admin", email="api-admin@example.org")
    milestone = seeded.scalars(select(Milestone).where(Milestone.ref == TJK_MEETING)).one()
    clients, csrf = {}, {}
    for who, email in (("anonymous", ""), ("admin", "admin@"), ("tjk", "tjk@")):
        client = app.test_client()
        if email:
            sign_in(client, f"{email}example.org")
        clients[who] = client
        csrf[who] = csrf_token(client, "/account" if email else "/login")
    spare = seeded.scalars(select(User).where(User.email == "spare@example.org")).one()
    _, calendar_secret = services.create_token(seeded, spare, "calendar", "crawl")
    seeded.commit()
    valid = {
        "token": calendar_secret,
        "milestone_id": str(milestone.id),
        "user_id": str(spare.id),
        "token_id": "1",
        "code": "TJK",
        "slug": seeded.scalars(select(SourceNote.slug)).first() or "",
        "fmt": "csv",
        "view_id": "1",
        "filename": "tracker.css",
        "version": str(milestone.version),
        "message_id": "1",
        "plan_id": str(seeded.scalars(select(ActionPlan.id)).first()),
        "body_id": "1",
    }
    yield Site(app, app.extensions["tracker.engine"], clients, csrf, valid)


# --- what the probe found ---------------------------------------------------------------------

READ_500S = [
    *(f"{page}?within=%C2%B2" for page in ("/", "/report", "/report.csv", "/states/TJK")),
    "/?within=%D9%A1%D9%A2",
    "/?as_of=9999-12-31",
    "/report.xlsx?as_of=0001-01-01",
    "/?as_of=2020-W01-1",
    "/report?as_of=20200101",
    f"/milestones/{HUGE}",
    f"/milestones/{HUGE}/edit",
    "/milestones/2147483648",
    "/milestones/2147483648/edit",
    f"/users/{HUGE}",
    "/states/%00",
    "/states/TJK?as_of=2016-01-01%00",
    "/notes/%00",
    "/states/%00/calendar.ics?token=x",
]


def test_reads_that_answered_500_now_say_why(site: Site, subtests: pytest.Subtests) -> None:
    reasons = ("whole number", "YYYY-MM-DD", "between", "NUL", "Not Found", "no such")
    for path in READ_500S:
        # Editing pages ask for an account before they look the milestone up.
        editing = path.startswith("/users") or path.endswith("/edit")
        who = "admin" if editing else "anonymous"
        with subtests.test(msg=path):
            response = site.clients[who].get(path)
            assert response.status_code in (400, 404), (who, path, response.status_code)
            page = text(response)
            assert any(reason in page for reason in reasons), page[-600:]


def _post(site: Site, who: str, path: str, data: dict[str, Any]) -> TestResponse:
    return site.clients[who].post(path, data={"csrf_token": site.csrf[who], **data})


STATUS_FORM = {"status": "in_progress", "effective_on": "2015-10-01", "comment": "", "citation": ""}

STATUS_CASES = [
    ({"version": "\u00b2"}, "no valid version"),
    ({"version": HUGE}, "no valid version"),
    ({"effective_on": "0001-01-01"}, "between 1900-01-01 and 2200-12-31"),
    ({"effective_on": "2015-W40-4"}, "YYYY-MM-DD"),
    ({"citation": "999999"}, "not one of this milestone"),
    ({"citation": HUGE}, "not one of this milestone"),
    ({"comment": "Approved\x01"}, "U+0001"),
    ({"comment": "Approved\x85"}, "U+0085"),
    ({"comment": "\u200b"}, "invisible"),
    ({"comment": "tjk\x00"}, "NUL"),
]


def test_the_status_form_refuses_what_the_api_refuses(
    site: Site, subtests: pytest.Subtests
) -> None:
    milestone_id = site.valid["milestone_id"]
    for fields, says in STATUS_CASES:
        data = STATUS_FORM | {"version": site.valid["version"]} | fields
        with subtests.test(msg=str(fields)[:60]), unchanged(site.engine):
            response = _post(site, "tjk", f"/milestones/{milestone_id}/status", data)
            assert response.status_code == 400 and says in text(response), text(response)[-800:]


def test_a_citation_of_this_milestone_is_still_recorded(site: Site, seeded: Session) -> None:
    milestone_id = int(site.valid["milestone_id"])
    citation = seeded.scalars(select(Citation).where(Citation.milestone_id == milestone_id)).first()
    assert citation is not None
    data = STATUS_FORM | {"version": site.valid["version"], "citation": str(citation.id)}
    data |= {"comment": "Line one\r\n\tline two"}  # a multi-line field keeps tabs and breaks
    response = _post(site, "tjk", f"/milestones/{milestone_id}/status", data)
    assert response.status_code == 302, text(response)[-800:]


MILESTONE_FORM = {"kind": "workshop", "title": "Export-control training", "due": "2018"}
MILESTONE_FORM |= {"states": "TJK", "previewed_due": "2018"}

MILESTONE_CASES = [
    ({"title": "Training\x01"}, "U+0001"),
    ({"title": "Two\nlines"}, "multi-line"),
    ({"title": "\u200b\u200b"}, "invisible"),
    ({"venue": "Dushanbe\x1b[31m"}, "U+001B"),
    ({"due": "April\x1f2012"}, "U+001F"),
    ({"description": "page\x0cbreak"}, "U+000C"),
    ({"version": "\u00b2"}, "no valid version"),
]


def test_the_milestone_forms_refuse_control_characters(
    site: Site, subtests: pytest.Subtests
) -> None:
    milestone_id = site.valid["milestone_id"]
    for fields, says in MILESTONE_CASES:
        edit = MILESTONE_FORM | {"version": site.valid["version"]} | fields
        with subtests.test(msg=str(fields)[:60]), unchanged(site.engine):
            if "version" not in fields:  # a new milestone has no version
                created = _post(site, "tjk", "/milestones/new", MILESTONE_FORM | fields)
                assert created.status_code == 400 and says in text(created), text(created)[-800:]
            edited = _post(site, "tjk", f"/milestones/{milestone_id}/edit", edit)
            assert edited.status_code == 400 and says in text(edited), text(edited)[-800:]


def test_writes_to_ids_beyond_an_integer_are_not_found(site: Site) -> None:
    with unchanged(site.engine):
        for number in (HUGE, "2147483648"):
            for path in (f"/account/tokens/{number}/revoke", f"/milestones/{number}/status"):
                assert _post(site, "admin", path, {}).status_code == 404
            assert _post(site, "admin", f"/users/{number}", {"role": "admin"}).status_code == 404


def test_a_nul_in_a_sign_in_is_refused(site: Site) -> None:
    data = {"email": "tjk\x00@x.org", "password": "a long password"}
    with unchanged(site.engine):
        response = _post(site, "anonymous", "/login", data)
    assert response.status_code == 400 and "NUL" in text(response)


# --- the crawl ----------------------------------------------------------------------------


def form_fields() -> list[str]:
    """Every field name of every form the site has (read from tracker.views.forms)."""
    return sorted(
        {
            name
            for form in vars(forms).values()
            if isinstance(form, type) and issubclass(form, forms.FlaskForm)
            for name, field in vars(form).items()
            if isinstance(field, UnboundField)
        }
    )


BASELINE = {
    "email": "someone@example.org",
    "password": "a long password",
    "role": "viewer",
    "states": "TJK",
    "display_name": "Someone",
    "active": "y",
    "purpose": "api",
    "name": "crawl",
    "code": "ABC",
    "text": "A pasted note.",
    "as_of": "2016-01-01",
    "within": "30",
    **STATUS_FORM,
    **MILESTONE_FORM,
}
PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _url(rule: str, values: dict[str, str]) -> str:
    return PARAMETER.sub(lambda m: quote(values[m.group(1)], safe=""), rule)


def _check(response: TestResponse, who: str, method: str, url: str, data: Any) -> None:
    where = f"{who} {method} {url[:120]} {str(data)[:200]}"
    status = response.status_code
    response.close()  # static files are streamed
    assert status < 500, where + "\n" + text(response)[-600:]


def test_crawl_every_route_with_hostile_values(site: Site) -> None:
    rng = random.Random(10)
    fields = form_fields()
    every = list(site.app.url_map.iter_rules())
    rules = [r for r in every if r.endpoint != "accounts.logout"]
    before = database_snapshot(site.engine)
    for rule in [r for r in rules if "GET" in (r.methods or ())]:
        # Every value reaches every rule once; each client sends a third of them.
        for turn, (who, client) in enumerate(site.clients.items()):
            for value in HOSTILE[turn::3]:
                hostile_path = {name: value for name in rule.arguments}
                valid_path = {name: site.valid[name] for name in rule.arguments}
                name = rng.choice(QUERY)
                for path in ({**valid_path, **hostile_path}, valid_path):
                    url = _url(rule.rule, path)
                    response = client.get(url, query_string={name: value})
                    _check(response, who, "GET", url, {name: value})
                    if not rule.arguments:
                        break
    assert database_snapshot(site.engine) == before, "a GET changed the database"
    posts = [r for r in rules if r.methods and r.methods & {"POST"}]
    posts.append(next(r for r in every if r.endpoint == "accounts.logout"))
    for rule in posts:
        clients = ["anonymous"] if rule.endpoint == "accounts.logout" else list(site.clients)
        for turn, who in enumerate(clients):
            for value in HOSTILE[turn :: len(clients)]:
                _crawl_post(site, rule.rule, rule.arguments, who, value, rng, fields)


def _crawl_post(
    site: Site,
    rule: str,
    arguments: set[str],
    who: str,
    value: str,
    rng: random.Random,
    fields: list[str],
) -> None:
    field = rng.choice(fields)
    data = {**BASELINE, "version": site.valid["version"], field: value}
    paths = [{name: site.valid[name] for name in arguments}]
    if arguments:
        paths.append({name: value for name in arguments})
    for path in paths:
        url = _url(rule, path)
        before = database_snapshot(site.engine)
        response = site.clients[who].post(url, data={"csrf_token": site.csrf[who], **data})
        _check(response, who, "POST", url, data)
        if response.status_code >= 400:
            after = database_snapshot(site.engine)
            assert after == before, f"{who} POST {url} {field}={value[:40]!r}: " + "; ".join(
                differences(before, after)
            )


API_BODIES = ["kind", "title", "due", "states", "description", "venue", "status", "on"]
API_BODIES += ["comment", "citation", "note", "quote", "date_text", "host", "plan"]


def test_crawl_the_api_writes_with_hostile_json(site: Site, seeded: Session) -> None:
    headers = make_token(seeded, "admin", email="crawler@example.org")
    client = site.app.test_client()
    milestone_id = site.valid["milestone_id"]
    rng = random.Random(11)
    writes = [
        r
        for r in site.app.url_map.iter_rules()
        if r.rule.startswith("/api/") and r.methods and r.methods & {"POST", "PATCH"}
    ]
    for rule in writes:
        method = sorted(rule.methods & {"POST", "PATCH"})[0]  # type: ignore[operator]
        for value in HOSTILE:
            field = rng.choice(API_BODIES)
            for ident in (milestone_id, value):
                url = _url(rule.rule, {"milestone_id": ident})
                etag = client.get(f"/api/v1/milestones/{milestone_id}").headers["ETag"]
                before = database_snapshot(site.engine)
                response = client.open(
                    url, method=method, json={field: value}, headers=headers | {"If-Match": etag}
                )
                _check(response, "api", method, url, {field: value})
                if response.status_code >= 400:
                    assert database_snapshot(site.engine) == before, (url, field, value)
                if "milestone_id" not in rule.arguments:
                    break


# --- imports: the same rule where a note and its proposals enter ---------------------------


def test_an_imported_note_or_proposal_with_a_control_character_is_refused(
    site: Site, subtests: pytest.Subtests
) -> None:
    from tests.test_web_import import BISHKEK

    for bad, says in (("\x01", "U+0001"), ("\x0c", "U+000C"), ("\x9b", "U+009B")):
        with subtests.test(msg=f"note text with {says}"), unchanged(site.engine):
            data = {"name": "005_bishkek_workshop", "text": BISHKEK + bad}
            response = _post(site, "admin", "/notes/new", data)
            assert response.status_code == 400 and says in text(response)
        with subtests.test(msg=f"uploaded file with {says}"), unchanged(site.engine):
            upload = (io.BytesIO((BISHKEK + bad).encode()), "005_bishkek_workshop.txt")
            response = _post(site, "admin", "/notes/new", {"file": upload})
            assert response.status_code == 400 and says in text(response)
    review = _post(site, "admin", "/notes/new", {"name": "005_bishkek", "text": BISHKEK})
    assert review.status_code == 200
    index = re.findall(r'name="p(\d+)-title"', text(review))[0]
    pending = re.findall(r'name="pending" value="([0-9a-f]+)"', text(review))[0]
    data = {"pending": pending, f"p{index}-accept": "on"}
    data |= {f"p{index}-kind": "workshop", f"p{index}-due": "March 2019"}
    data |= {f"p{index}-states": "KGZ", f"p{index}-title": "Workshop\x01"}
    with unchanged(site.engine):
        saved = _post(site, "admin", "/notes/import", data)
    assert saved.status_code == 400 and "U+0001" in text(saved), text(saved)[-800:]
