"""The web application through Flask's test client: pages, roles, forms and error paths."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_milestone
from tests.web_helpers import (
    add_account,
    csrf_token,
    post_status,
    ref_id,
    sign_in,
    snapshot,
    text,
)
from tracker import services
from tracker.models import Milestone, StatusChange

# --- reading ------------------------------------------------------------------------------


def test_dashboard_shows_each_state_and_what_is_overdue(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/?as_of=2016-03-01"))
    for name in ("Tajikistan", "Uzbekistan", "Kyrgyzstan", "Belarus"):
        assert name in page
    assert "Government approval of the draft NAP" in page
    # 61 days after 31 December 2015, as a person says it (not "61 days").
    assert "Overdue by 2 months 1 day" in page
    assert "as of <strong>1 March 2016</strong>, not today" in page


def test_no_banner_when_showing_today(client: FlaskClient, seeded: Session) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "Tajikistan" in page and "not today" not in page


def test_state_timeline_draws_spans_and_lists_every_milestone(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/states/KGZ?as_of=2019-01-02"))
    assert "<svg" in page and "as of 2019-01-02" in page
    assert "New round of trilateral peer review in Kyrgyzstan" in page
    assert "Overdue by 2 days" in page  # "2018" ended on 31 December 2018
    filtered = text(client.get("/states/KGZ?kind=drafting"))
    assert "Drafting of Kyrgyzstan" in filtered and "peer review in Kyrgyzstan" not in filtered


def test_statuses_shown_are_those_as_of_the_date(client: FlaskClient, seeded: Session) -> None:
    workshop = ref_id(seeded, "tjk-report-writing-workshop-2016")
    before = text(client.get(f"/milestones/{workshop}?as_of=2016-02-01"))
    after = text(client.get(f"/milestones/{workshop}"))
    assert '<span class="status status-planned">planned</span> as of 1 February 2016' in before
    assert '<span class="status status-done">done</span> as of' in after


def test_milestone_page_shows_window_sources_warnings_and_history(
    client: FlaskClient, seeded: Session
) -> None:
    report = ref_id(seeded, "tjk-first-national-report-2004")
    page = text(client.get(f"/milestones/{report}"))
    assert "January 2004" in page and "January 2004 (1–31 January 2004)" in page
    assert "before resolution 1540 was adopted" in page
    assert (
        "Tajikistan submitted its first national report to the 1540 Committee in January 2004"
        in page
    )
    assert "seed (seeds/nap.toml)" in page


def test_note_page_highlights_quotes_and_links_them(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/notes/001_4e211aa1da0f2196"))
    assert "<mark" in page and "requested approval deadline (31 December 2015)" in page
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    assert f'href="/milestones/{deadline}"' in page
    listing = text(client.get("/notes"))
    assert "Supports" in listing and "004_c6f030fca42afd93" in listing


def test_note_text_is_never_rendered_as_html(client: FlaskClient, session: Session) -> None:
    services.add_note(
        session, "999_x", "<b>Bold</b> title", "other", "Hi <script>alert(1)</script>"
    )
    session.commit()
    page = text(client.get("/notes/999_x"))
    assert "<script>alert(1)</script>" not in page and "alert(1)" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page


def test_note_page_renders_markdown_with_highlights_on_the_quotes(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/notes/001_4e211aa1da0f2196"))
    body = page.split('class="note-text">')[1].split("<h2>Cited by")[0]
    assert "<h4>Information Note<sup>1</sup></h4>" in body  # not "#### Information Note"
    assert "####" not in body and "&lt;sup" not in body and "<sup>&" not in body
    assert "<li>" in body  # the objectives are a list, not lines starting with "-"
    # Every quote of the note is highlighted, its milestone linked after it.
    for citation in services.get_note(seeded, "001_4e211aa1da0f2196").citations:
        assert f'<mark id="q{citation.id}">' in body
        if citation.milestone is not None:
            assert f'href="/milestones/{citation.milestone.id}"' in body


def test_notes_are_named_by_title_and_date_never_by_slug(
    client: FlaskClient, seeded: Session
) -> None:
    slug = "001_4e211aa1da0f2196"
    name = "Inter-Ministerial Working Group meeting on the draft NAP, Dushanbe, 29-30 July 2015"
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    report = text(client.get("/report?state=TJK&as_of=2015-08-01"))
    pages = {
        "/notes": text(client.get("/notes")),
        f"/notes/{slug}": text(client.get(f"/notes/{slug}")),
        f"/milestones/{deadline}": text(client.get(f"/milestones/{deadline}")),
        "/report": report,
    }
    for url, page in pages.items():
        visible = re.sub(r'(?:href|action|id)="[^"]*"', "", page)
        assert slug not in visible, f"{url} names a note by its slug"
    for url in ("/notes", f"/notes/{slug}", f"/milestones/{deadline}"):
        assert name in pages[url], url
    assert f'href="/notes/{slug}' in pages["/notes"]  # the slug stays in the URL


def test_a_note_title_without_a_year_gets_the_day_it_was_added(
    client: FlaskClient, session: Session
) -> None:
    services.add_note(session, "998_letter", "Letter from the ministry", "other", "Text.")
    session.commit()
    listing = text(client.get("/notes"))
    assert re.search(r"Letter from the ministry \(added \d{1,2} [A-Z][a-z]+ \d{4}\)", listing)


def test_report_page_and_downloads(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/report?as_of=2016-03-01&state=TJK"))
    assert "Deadline report as of 1 March 2016" in page and "<strong>TJK</strong>" in page
    csv = client.get("/report.csv?as_of=2016-03-01&state=TJK")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert "Government approval of the draft NAP" in csv.get_data(as_text=True)
    xlsx = client.get("/report.xlsx?as_of=2016-03-01&state=TJK")
    import io

    book = load_workbook(io.BytesIO(xlsx.data))
    assert "as of 1 March 2016 (Tajikistan" in str(book.properties.title)
    titles = [row[2] for row in book["Overdue"].iter_rows(min_row=2, values_only=True)]
    assert "Government approval of the draft NAP (requested deadline)" in titles
    ics = Calendar.from_ical(client.get("/report.ics?as_of=2016-03-01").data)
    assert any("Government approval" in str(e["summary"]) for e in ics.walk("VEVENT"))


@pytest.mark.parametrize(
    ("path", "status", "reason"),
    [
        ("/?as_of=2016-02-30", 400, "must be a real date"),
        ("/report?within=lots", 400, "whole number of days"),
        ("/report?state=XYZ", 404, "no such State"),
        ("/states/XYZ", 404, "no such State"),
        ("/milestones/99999", 404, "no such milestone"),
        ("/notes/nope", 404, "no such source note"),
        ("/report.docx", 404, "use csv, xlsx or ics"),
    ],
)
def test_bad_requests_say_why(
    client: FlaskClient, seeded: Session, path: str, status: int, reason: str
) -> None:
    response = client.get(path)
    assert response.status_code == status and reason in text(response)


def test_security_headers(client: FlaskClient, seeded: Session) -> None:
    headers = client.get("/").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_visitors_must_sign_in_when_anonymous_reading_is_off(app: Flask, seeded: Session) -> None:
    app.config["ANONYMOUS_READ"] = False
    client = app.test_client()
    response = client.get("/states/TJK")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    add_account(seeded, "viewer@example.org", "viewer")
    sign_in(client, "viewer@example.org")
    assert client.get("/states/TJK").status_code == 200


# --- accounts -----------------------------------------------------------------------------


def test_wrong_password_is_refused_with_one_message(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    token = csrf_token(client, "/login")
    response = client.post(
        "/login", data={"email": "lola@mfa.tj", "password": "nope nope", "csrf_token": token}
    )
    assert response.status_code == 400 and "Wrong e-mail or password" in text(response)


def test_login_redirects_only_to_this_site(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    token = csrf_token(client, "/login")
    response = client.post(
        "/login?next=https://evil.example/x",
        data={"email": "lola@mfa.tj", "password": "a long password", "csrf_token": token},
    )
    assert response.headers["Location"] == "/"


def test_admin_manages_accounts_and_others_may_not(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    forbidden = client.get("/users")
    assert forbidden.status_code == 403 and "Only administrators" in text(forbidden)
    admin = client.application.test_client()
    add_account(seeded, "admin@osce.org", "admin")
    sign_in(admin, "admin@osce.org")
    token = csrf_token(admin, "/users")
    created = admin.post(
        "/users",
        data={
            "email": "aziz@mfa.uz",
            "role": "coordinator",
            "states": ["UZB"],
            "password": "another long one",
            "csrf_token": token,
        },
    )
    assert created.status_code == 302
    refused = admin.post(
        "/users",
        data={
            "email": "x@mfa.uz",
            "role": "coordinator",
            "password": "another long one",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 400 and "needs at least one State" in text(refused)


# --- editing ------------------------------------------------------------------------------


@pytest.fixture
def coordinator(client: FlaskClient, seeded: Session) -> FlaskClient:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    return client


def test_coordinator_updates_a_status_and_the_timeline_changes(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    response = post_status(coordinator, deadline)
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = text(coordinator.get(f"/milestones/{deadline}"))
    assert "Approved by decree" in page and "<td>Coordinator (TJK)</td>" in page  # by her
    timeline = text(coordinator.get("/states/TJK"))
    assert "Government approval of the draft NAP" in timeline
    seeded.expire_all()
    history = seeded.scalars(
        select(StatusChange).where(StatusChange.milestone_id == deadline)
    ).all()
    assert [h.new_status for h in history] == ["in_progress", "done"]
    assert history[-1].recorded_by is not None and history[-1].recorded_by.email == "lola@mfa.tj"


def test_coordinator_may_not_edit_another_states_milestone(
    coordinator: FlaskClient, seeded: Session
) -> None:
    review = ref_id(seeded, "uzb-nap-review-2017")
    before = snapshot(seeded)
    response = post_status(coordinator, review, version="2")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "You coordinate TJK; this concerns UZB only" in text(response)
    assert snapshot(seeded) == before


def test_viewers_and_visitors_may_not_edit(client: FlaskClient, seeded: Session) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    before = snapshot(seeded)
    assert client.get("/milestones/new").status_code == 403
    add_account(seeded, "v@example.org", "viewer")
    sign_in(client, "v@example.org")
    response = post_status(client, deadline, version="2")
    assert response.status_code == 403 and "role: viewer" in text(response)  # type: ignore[attr-defined]
    assert snapshot(seeded) == {**before, "users": snapshot(seeded)["users"]}


def test_a_forged_form_is_refused_and_changes_nothing(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    before = snapshot(seeded)
    response = coordinator.post(
        f"/milestones/{deadline}/status",
        data={
            "status": "done",
            "effective_on": "2026-11-20",
            "version": "2",
            "csrf_token": "forged",
        },
    )
    assert response.status_code == 400 and "CSRF" in text(response)
    assert snapshot(seeded) == before


def test_a_stale_form_gets_409_and_can_be_reapplied(
    coordinator: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    stale_version = "2"
    services.change_status(
        seeded,
        services.get_milestone(seeded, deadline),
        "cancelled",
        date(2026, 1, 5),
        comment="Someone else's change",
    )
    seeded.commit()
    before = snapshot(seeded)
    response = post_status(coordinator, deadline, version=stale_version, status="done")
    assert response.status_code == 409  # type: ignore[attr-defined]
    page = text(response)
    assert "changed since you opened it" in page and "Someone else&#39;s change" in page
    assert snapshot(seeded) == before
    reapplied = post_status(coordinator, deadline, status="planned", effective_on="2026-02-01")
    assert reapplied.status_code == 302  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"effective_on": "2016-02-30"}, "must be a real date"),
        ({"effective_on": "2199-01-01"}, "is in the future"),
        ({"status": "in_progress"}, "already in progress"),
        ({"status": "finished"}, "Not a valid choice"),
        ({"comment": "x" * 10_001}, "10000"),
    ],
)
def test_a_bad_status_form_says_why_and_saves_nothing(
    coordinator: FlaskClient, seeded: Session, fields: dict[str, str], message: str
) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    before = snapshot(seeded)
    response = post_status(coordinator, deadline, **fields)
    assert response.status_code == 400 and message in text(response)  # type: ignore[attr-defined]
    assert snapshot(seeded) == before


def test_creating_a_milestone_saves_in_one_click(coordinator: FlaskClient, seeded: Session) -> None:
    token = csrf_token(coordinator, "/milestones/new")
    form = {
        "csrf_token": token,
        "kind": "workshop",
        "title": "Export-control training",
        "due": "Third quarter of 2027",
        "states": ["TJK"],
        "host": "TJK",
        "plan": "tjk-nap",
    }
    saved = coordinator.post("/milestones/new", data={**form, "submit": "1"})
    assert saved.status_code == 302
    created = seeded.scalar(select(Milestone).where(Milestone.title == "Export-control training"))
    assert created is not None and created.due_precision == "quarter"
    bad = coordinator.post("/milestones/new", data={**form, "due": "31 February 2027"})
    assert bad.status_code == 400 and "has no day 31" in text(bad)
    other = coordinator.post("/milestones/new", data={**form, "states": ["UZB"], "host": ""})
    assert other.status_code == 403


def test_a_stale_edit_gets_409_with_what_changed(coordinator: FlaskClient, seeded: Session) -> None:
    vienna = ref_id(seeded, "tjk-wg-session-vienna-2015-10")
    page = text(coordinator.get(f"/milestones/{vienna}/edit"))
    assert 'value="8-9 October 2015"' in page
    token = csrf_token(coordinator, f"/milestones/{vienna}/edit")
    milestone = services.get_milestone(seeded, vienna)
    services.edit_milestone(
        seeded,
        milestone,
        services.MilestoneDraft(
            kind="review_meeting",
            title="Vienna session (moved)",
            due="8-9 October 2015",
            states=["TJK"],
            venue="Vienna, Austria",
            organisers="OSCE",
            plan_ref="tjk-nap",
            responsible_agency="Inter-Ministerial Working Group of Tajikistan",
            description=milestone.description,
        ),
        expected_version=1,
    )
    seeded.commit()
    before = snapshot(seeded)
    form = {
        "csrf_token": token,
        "version": "1",
        "kind": "review_meeting",
        "title": "Vienna session",
        "due": "8-10 October 2015",
        "previewed_due": "8-10 October 2015",
        "states": ["TJK"],
        "submit": "1",
    }
    response = coordinator.post(f"/milestones/{vienna}/edit", data=form)
    assert response.status_code == 409
    assert "Vienna session (moved)" in text(response) and "8-10 October 2015" in text(response)
    assert snapshot(seeded) == before


def test_citations_must_be_verbatim(coordinator: FlaskClient, seeded: Session) -> None:
    deadline = ref_id(seeded, "tjk-approval-deadline-2015")
    token = csrf_token(coordinator, f"/milestones/{deadline}")
    before = snapshot(seeded)
    refused = coordinator.post(
        f"/milestones/{deadline}/citations",
        data={"csrf_token": token, "note": "002_cf2a24d9900e4df6", "quote": "approved in 2016"},
    )
    assert refused.status_code == 400 and "not verbatim in note" in text(refused)
    assert snapshot(seeded) == before
    added = coordinator.post(
        f"/milestones/{deadline}/citations",
        data={
            "csrf_token": token,
            "note": "002_cf2a24d9900e4df6",
            "quote": "Practical implementation of the NAP of Tajikistan",
        },
    )
    assert added.status_code == 302


# --- calendar feed ------------------------------------------------------------------------


def test_calendar_feed_needs_a_live_token(coordinator: FlaskClient, seeded: Session) -> None:
    token = csrf_token(coordinator, "/account")
    page = text(
        coordinator.post(
            "/account", data={"csrf_token": token, "purpose": "calendar", "name": "Outlook"}
        )
    )
    secret = page.split('<code class="token">')[1].split("</code>")[0]
    feed = coordinator.get(f"/states/KGZ/calendar.ics?token={secret}")
    calendar = Calendar.from_ical(feed.data)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    review = next(e for s, e in events.items() if "peer review in Kyrgyzstan" in s)
    assert str(review.decoded("dtstart")) == "2018-01-01" and "planned" in str(review["summary"])
    assert str(review["url"]).startswith("http://localhost/milestones/")
    assert coordinator.get("/states/KGZ/calendar.ics?token=nap_wrong").status_code == 403
    token_id = page.split("/account/tokens/")[1].split("/revoke")[0]
    revoked = coordinator.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert revoked.status_code == 302
    assert coordinator.get(f"/states/KGZ/calendar.ics?token={secret}").status_code == 403


def test_editing_a_relative_date_keeps_its_reference(
    coordinator: FlaskClient, seeded: Session
) -> None:
    drafting = ref_id(seeded, "tjk-nap-drafting")
    token = csrf_token(coordinator, f"/milestones/{drafting}/edit")
    response = coordinator.post(
        f"/milestones/{drafting}/edit",
        data={
            "csrf_token": token,
            "version": "3",
            "kind": "drafting",
            "title": "NAP drafting",
            "due": "over the past two years",
            "previewed_due": "over the past two years",
            "states": ["TJK"],
            "plan": "tjk-nap",
            "submit": "1",
        },
    )
    assert response.status_code == 302, text(response)
    seeded.expire_all()
    milestone = services.get_milestone(seeded, drafting)
    assert milestone.title == "NAP drafting"
    assert (milestone.due_start, milestone.due_end) == (date(2013, 1, 1), date(2015, 7, 30))


def test_admin_adds_a_state_and_duplicates_are_refused(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "admin@osce.org", "admin")
    sign_in(client, "admin@osce.org")
    token = csrf_token(client, "/admin/states")
    added = client.post(
        "/admin/states", data={"csrf_token": token, "code": "kaz", "name": "Kazakhstan"}
    )
    assert added.status_code == 302
    assert client.get("/states/KAZ").status_code == 200
    before = snapshot(seeded)
    again = client.post(
        "/admin/states", data={"csrf_token": token, "code": "KZX", "name": "Kazakhstan"}
    )
    assert again.status_code == 409 and "another State already has this name" in text(again)
    bad = client.post("/admin/states", data={"csrf_token": token, "code": "K1", "name": "X"})
    assert bad.status_code == 400
    assert snapshot(seeded) == before


def test_cards_show_the_next_deadlines_however_far_with_their_real_day(
    client: FlaskClient, seeded: Session
) -> None:
    # Issue 14: a round table 210 days ahead and a report due by the end of a quarter.
    make_milestone(
        seeded, kind="round_table", title="Bishkek round table", due="30 June 2027", states=["KGZ"]
    )
    make_milestone(
        seeded,
        kind="national_report",
        title="Third national report",
        due="first quarter of 2027",
        states=["KGZ"],
    )
    seeded.commit()
    page = text(client.get("/?as_of=2026-12-02"))
    card = next(part for part in page.split("<article") if "Kyrgyzstan</a>" in part)
    assert "Bishkek round table</a> — starts 30 June 2027" in card
    assert "Third national report</a> — due by 31 March 2027" in card
    assert card.index("Third national report") < card.index("Bishkek round table")
    # Due in 119 days: not "upcoming" within 90 days, and counted to 31 March, not 1 January.
    assert "1 upcoming" not in card and "0 upcoming" in card
    wider = text(client.get("/?as_of=2026-12-02&within=120"))
    card = next(part for part in wider.split("<article") if "Kyrgyzstan</a>" in part)
    # 119 days, as a person says it: 2 March is three months on, then 29 days to 31 March.
    assert "In 3 months 29 days" in card and "In 30 days" not in card


def test_a_deadline_is_one_day_in_the_calendar_on_its_due_day(
    client: FlaskClient, seeded: Session
) -> None:
    make_milestone(
        seeded,
        kind="national_report",
        title="Third national report",
        due="first quarter of 2027",
        states=["TJK"],
    )
    seeded.commit()
    feed = client.get("/report.ics?as_of=2026-12-02&within=120&state=TJK")
    events = {str(e["summary"]): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
    report = next(e for s, e in events.items() if "Third national report" in s)
    assert str(report.decoded("dtstart")) == "2027-03-31"
    assert str(report.decoded("dtend")) == "2027-04-01"
    assert "due by 2027-03-31" in str(report["summary"])


def test_timeline_links_keep_the_date_and_the_filters(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/states/UZB?as_of=2016-03-01&kind=review_meeting&kind=round_table"))
    svg = page.split('<figure class="timeline">')[1].split("</figure>")[0]
    bars = re.findall(r'<a href="(/milestones/\d+[^"]*)"', svg)
    assert bars and all("as_of=2016-03-01" in href for href in bars)  # not back to today
    zoom = page.split('<nav class="zoom"')[1].split("</nav>")[0]
    links = [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]+)"', zoom)]
    assert len(links) == 2  # the plan period, and 12 months either side ("Everything" is on)
    for href in links:
        assert "as_of=2016-03-01" in href
        assert "kind=review_meeting" in href and "kind=round_table" in href
    assert any("zoom=plan" in h for h in links) and any("zoom=year" in h for h in links)
    # The filter form keeps the zoom.
    zoomed = text(client.get("/states/UZB?as_of=2016-03-01&zoom=year"))
    assert '<input type="hidden" name="zoom" value="year">' in zoomed
    assert "1 March 2015 to 1 March 2017" in zoomed


def test_timeline_zoom_presets_change_what_is_drawn(client: FlaskClient, seeded: Session) -> None:
    def drawn(query: str) -> int:
        page = text(client.get(f"/states/TJK?as_of=2016-03-01{query}"))
        svg = page.split('<figure class="timeline">')[1].split("</figure>")[0]
        return svg.count('class="tl-row')

    everything, year = drawn(""), drawn("&zoom=year")
    assert everything == 12 and 0 < year < everything


@pytest.mark.parametrize("zoom", ["decade", "<script>", "ALL"])
def test_an_unknown_zoom_is_refused_with_a_reason(client: FlaskClient, zoom: str) -> None:
    response = client.get("/states/TJK", query_string={"zoom": zoom})
    assert response.status_code == 400
    assert "zoom" in text(response) and "not one of all, plan, year" in text(response)
