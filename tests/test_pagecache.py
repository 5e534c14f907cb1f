"""Rendered pages kept until the data changes: never a page of older data, nor another's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from config import TestConfig
from tests.factories import make_milestone, make_state
from tests.querycount import count_statements
from tests.web_helpers import add_account, csrf_token, post_status, ref_id, sign_in, text
from tracker import create_app, revision, services
from tracker.models import Milestone
from tracker.views.pagecache import PageCache, page_cache

DEADLINE = "tjk-approval-deadline-2015"


def cache_of(app: Flask) -> PageCache:
    with app.app_context():
        cache = page_cache()
    assert cache is not None
    return cache


def test_a_page_served_again_comes_from_the_cache_with_one_statement(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    first = text(client.get("/states/TJK?as_of=2016-03-01"))
    with count_statements(app.extensions["tracker.engine"]) as sent:
        again = text(client.get("/states/TJK?as_of=2016-03-01"))
    assert again == first
    assert len(sent) == 1, sent  # the revision token only
    assert cache_of(app).hits == 1


def test_a_status_change_on_the_web_shows_at_once_on_cached_pages(
    client: FlaskClient, seeded: Session
) -> None:
    deadline = ref_id(seeded, DEADLINE)
    for path in ("/states/TJK", "/", "/report?state=TJK"):
        assert "Government approval of the draft NAP" in text(client.get(path)), path
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    assert post_status(client, deadline).status_code == 302  # type: ignore[attr-defined]
    timeline = text(client.get("/states/TJK"))
    row = timeline.split("Government approval of the draft NAP")[-1].split("</tr>")[0]
    assert "status-done" in row
    # Done: no longer overdue, so gone from the dashboard's and the report's lists.
    assert "Government approval of the draft NAP" not in text(client.get("/"))
    assert "Government approval of the draft NAP" not in text(client.get("/report?state=TJK"))


def test_a_write_from_another_process_is_seen_by_every_cached_page(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    before = text(client.get("/states/KGZ"))
    assert "Emergency round table" not in before
    # Another app on the same database stands for another worker or the CLI.
    other = create_app(TestConfig(app.config["DATABASE_URL"]))
    with other.extensions["tracker.sessionmaker"]() as session:
        make_milestone(session, title="Emergency round table", due="2026", states=["KGZ"])
        session.commit()
    other.extensions["tracker.engine"].dispose()
    assert "Emergency round table" in text(client.get("/states/KGZ"))


def test_sign_ins_and_token_use_keep_the_cache_but_a_rolled_back_write_does_too(
    app: Flask, seeded: Session
) -> None:
    token = revision.current(seeded)
    add_account(seeded, "viewer@osce.org", "viewer")  # an account shows on no cached page
    client = app.test_client()
    sign_in(client, "viewer@osce.org")
    seeded.expire_all()
    assert revision.current(seeded) == token
    milestone = seeded.scalars(select(Milestone).where(Milestone.ref == DEADLINE)).one()
    milestone.title = "Changed, then rolled back"
    seeded.flush()
    seeded.rollback()
    assert revision.current(seeded) == token
    services.change_status(seeded, milestone, "done", date(2016, 5, 1))
    seeded.commit()
    assert revision.current(seeded) != token


def test_each_as_of_date_and_filter_has_its_own_page(client: FlaskClient, seeded: Session) -> None:
    earlier = text(client.get("/states/TJK?as_of=2015-10-08"))
    later = text(client.get("/states/TJK?as_of=2016-03-01"))
    assert "as of <strong>8 October 2015</strong>" in earlier
    assert "as of <strong>1 March 2016</strong>" in later
    filtered = text(client.get("/states/TJK?as_of=2016-03-01&kind=drafting"))
    assert filtered != later and "Clear filters" in filtered


def test_what_is_around_the_cached_part_belongs_to_each_reader(app: Flask, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    visitor, lola = app.test_client(), app.test_client()
    sign_in(lola, "lola@mfa.tj")
    assert "Sign in" in text(visitor.get("/states/TJK"))
    mine = text(lola.get("/states/TJK"))
    assert "Sign out" in mine and "lola" in mine and ">Sign in<" not in mine
    assert cache_of(app).hits == 1


def test_the_cache_can_be_turned_off(database_url: str, seeded: Session) -> None:
    config = TestConfig(database_url)
    config.PAGE_CACHE_MB = 0
    app = create_app(config)
    with app.app_context():
        assert page_cache() is None
    client = app.test_client()
    assert "Government approval of the draft NAP" in text(client.get("/states/TJK"))
    app.extensions["tracker.engine"].dispose()


def test_an_unknown_state_is_a_404_each_time(client: FlaskClient, seeded: Session) -> None:
    for _ in range(2):
        response = client.get("/states/XXX")
        assert response.status_code == 404 and "XXX" in text(response)


def test_a_bounded_cache_evicts_the_least_recently_used() -> None:
    from markupsafe import Markup

    from tracker.views.pagecache import Fragment

    cache = PageCache(max_bytes=100)
    for n in range(3):
        cache.put(n, Fragment("t", Markup("x" * 40)))
    assert cache.get(0) is None and cache.get(2) is not None
    cache.put("huge", Fragment("t", Markup("x" * 1000)))  # larger than the cache: not kept
    assert cache.get("huge") is None and cache.get(2) is not None


def test_a_dashboard_of_many_states_is_one_table_row_each_most_overdue_first(
    client: FlaskClient, session: Session
) -> None:
    codes = [f"ZZ{chr(65 + n)}" for n in range(14)]  # more than the dashboard has cards for
    for n, code in enumerate(codes):
        make_state(session, code)
        for k in range(n % 3):  # ZZC has 2 overdue items, ZZB one, ZZA none
            make_milestone(session, title=f"Report {code}-{k}", due=f"{k + 1} May 2015",
                           states=[code])  # fmt: skip
    for k in range(25):
        make_milestone(session, title=f"Shared deadline {k}", due="1 June 2015", states=["ZZN"])
    session.commit()
    page = text(client.get("/?as_of=2016-03-01"))
    assert '<table class="states stack">' in page and 'class="card"' not in page
    rows = page.split('<table class="states stack">')[1].split("</table>")[0].split("<tr>")[2:]
    assert len(rows) == 14 and "State ZZN" in rows[0]  # 25 + 2 overdue: first
    assert rows[-1].count("State ZZ") == 1 and ">0</td>" in rows[-1]
    total = sum(n % 3 for n in range(14)) + 25
    assert f"Overdue across all States ({total})" in page
    assert f"all {total} are in the deadline report" in page
    overdue_table = page.split("Overdue across all States")[1].split("Upcoming within")[0]
    assert overdue_table.count("<tr>") == 1 + 20  # the header and the first 20


def test_a_message_waiting_for_a_visitor_is_shown_on_a_cached_page(
    app: Flask, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    client = app.test_client()
    assert "Signed out." not in text(client.get("/"))  # the visitors' page, now kept
    sign_in(client, "lola@mfa.tj")
    token = csrf_token(client, "/")
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=True)
    page = text(response)
    assert "Signed out." in page and ">Sign in<" in page
    assert "Signed out." not in text(client.get("/"))  # shown once, then the kept page


def test_kept_pages_show_no_timestamps_so_every_time_zone_shares_them() -> None:
    # The key has the language but not the time zone; a timestamp on a kept page would be
    # served in the first reader's zone to everyone (add the zone to the key first).
    pages = Path(__file__).resolve().parent.parent / "templates" / "pages"
    for template in pages.glob("*.html"):
        assert "local_time" not in template.read_text(encoding="utf-8"), template.name
