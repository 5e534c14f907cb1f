"""End to end in a real headless Chromium: sign in, update a status, see the timeline change,
hit the conflict path, download the CSV."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from config import TestConfig
from tests.web_helpers import add_account
from tracker import create_app
from tracker.models import Milestone

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="no Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run installs it)",
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(database_url: str, seeded: Session) -> Iterator[tuple[str, dict[str, int]]]:
    """The tracker on a seeded database (a copy of the run's seeded template), served by a
    real HTTP server on a free port."""
    app = create_app(TestConfig(database_url))
    session = app.extensions["tracker.sessionmaker"]()
    add_account(session, "lola@mfa.tj", "coordinator", ["TJK"])
    ids = dict(session.execute(select(Milestone.ref, Milestone.id)).tuples().all())
    session.close()
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}", ids
    http.shutdown()
    app.extensions["tracker.engine"].dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium per test module (starting one costs seconds); closed with the
    module, so Playwright's event loop is gone before other tests run their own."""
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser(chromium: Any) -> Iterator[Any]:
    """The run's Chromium; the pages and contexts a test opens are its own (own cookies,
    own storage) and are closed after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def sign_in(page: object, base: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.get_by_label("E-mail").fill("lola@mfa.tj")  # type: ignore[attr-defined]
    page.get_by_label("Password").fill("a long password")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]


def row_text(page: object, title: str) -> str:
    """The visible label of the timeline row whose title contains the words."""
    labels: list[str] = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "svg .tl-row .tl-label", "els => els.map(e => e.textContent)"
    )
    return next(label for label in labels if title in label)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_coordinator_updates_status_and_sees_the_timeline_change(
    server: tuple[str, dict[str, int]], browser: object, tmp_path: Path
) -> None:
    base, ids = server
    page = browser.new_page()  # type: ignore[attr-defined]
    sign_in(page, base)
    assert page.get_by_role("button", name="Sign out").is_visible()
    timeline = page.goto(f"{base}/states/TJK")
    assert timeline is not None and timeline.ok
    assert row_text(page, "Government approval").startswith("Overdue")

    page.goto(f"{base}/milestones/{ids['tjk-approval-deadline-2015']}")
    page.get_by_label("New status").select_option("done")
    page.get_by_label("Effective date (when it happened)").fill("2016-06-15")
    page.get_by_label("Comment").fill("Approved by government decree")
    page.get_by_role("button", name="Record status").click()
    assert page.get_by_text("Status recorded: done as of 2016-06-15").is_visible()

    page.goto(f"{base}/states/TJK")
    assert row_text(page, "Government approval").startswith("Done")
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_two_editors_the_second_gets_the_conflict_page(
    server: tuple[str, dict[str, int]], browser: object
) -> None:
    base, ids = server
    context_a, context_b = browser.new_context(), browser.new_context()  # type: ignore[attr-defined]
    first, second = context_a.new_page(), context_b.new_page()
    for page in (first, second):
        sign_in(page, base)
        page.goto(f"{base}/milestones/{ids['tjk-wg-session-vienna-2015-10']}/edit")
    first.get_by_label("Title", exact=True).fill("Vienna session (postponed)")
    first.get_by_role("button", name="Save milestone").click()
    assert first.get_by_text("Milestone saved.").is_visible()

    second.get_by_label("Venue", exact=True).fill("Dushanbe, Tajikistan")
    second.get_by_role("button", name="Save milestone").click()
    assert second.get_by_role("heading", name="changed since you opened it").is_visible()
    assert second.get_by_text("Vienna session (postponed)").first.is_visible()
    second.get_by_role("button", name="Re-apply my edit").click()
    assert second.get_by_text("Milestone saved.").is_visible()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_report_downloads_as_csv(
    server: tuple[str, dict[str, int]], browser: object, tmp_path: Path
) -> None:
    base, _ = server
    page = browser.new_page(accept_downloads=True)  # type: ignore[attr-defined]
    page.goto(f"{base}/report?as_of=2016-03-01&state=TJK")
    assert page.get_by_role("heading", name="Deadline report as of 1 March 2016").is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    content = target.read_text(encoding="utf-8-sig")
    assert target.name == "nap-deadlines-2016-03-01.csv"
    assert "Government approval of the draft NAP (requested deadline)" in content


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_milestone_form_reads_the_date_as_it_is_typed(
    server: tuple[str, dict[str, int]], browser: object
) -> None:
    """Issue 14: the parsed window shows while typing, in Russian too, and a bad date says so."""
    base, _ids = server
    page = browser.new_page()  # type: ignore[attr-defined]
    sign_in(page, base)
    page.goto(f"{base}/milestones/new")
    preview = page.locator("#due-preview")
    page.get_by_label("Date as written", exact=False).fill("IV квартал 2027 г.")
    page.wait_for_function(
        "() => document.querySelector('#due-preview').textContent.includes('2027-12-31')"
    )
    assert preview.text_content() == "Read as 2027-10-01 to 2027-12-31 (quarter)."
    page.get_by_label("Date as written", exact=False).fill("sometime soon")
    page.wait_for_function(
        "() => document.querySelector('#due-preview').classList.contains('error')"
    )
    assert "2027" not in (preview.text_content() or "")
