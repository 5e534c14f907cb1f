"""Every page at 390 px in a real headless Chromium: flags and primary actions stay on screen,
nothing scrolls sideways, tables read as cards with the flag first, the menu collapses
(issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import test_e2e
from tests.test_e2e import CHROMIUM, sign_in

server = test_e2e.server  # the seeded tracker on a real HTTP server (a fixture)
chromium = test_e2e.chromium  # one headless Chromium for this module's tests (a fixture)

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="no Chromium at /usr/bin/chromium (apt-get install chromium; .ci/run installs it)",
)
ROOT = Path(__file__).resolve().parent.parent
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
PHONE = {"width": 390, "height": 844}
AS_OF = "as_of=2016-03-01"  # flags on every list: overdue and upcoming milestones

# What the test measures on a page: flags and primary actions that are shown but stick
# out of the viewport sideways, how wide the page scrolls, and cards whose flag is not
# on top.
MEASURE = """() => {
  const width = window.innerWidth;
  const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const name = e => (e.textContent || e.value || e.tagName).trim().slice(0, 60);
  const outside = sel => [...document.querySelectorAll(sel)].filter(shown).filter(e => {
    const r = e.getBoundingClientRect();
    return r.left < 0 || r.right > width;
  }).map(name);
  const late = [...document.querySelectorAll('table.stack tbody tr')].filter(tr => {
    const flag = tr.querySelector('.badge.overdue, .badge.upcoming');
    const title = tr.querySelector('td.title');
    return flag && title && flag.getBoundingClientRect().top > title.getBoundingClientRect().top;
  }).map(name);
  return {
    flags: outside('.badge.overdue, .badge.upcoming'),
    flagCount: [...document.querySelectorAll('.badge.overdue, .badge.upcoming')]
      .filter(shown).length,
    actions: outside('main button[type=submit], main input[type=submit], .menu-button'),
    scrollWidth: document.scrollingElement.scrollWidth,
    late: late,
  };
}"""


@pytest.fixture
def site(server: tuple[str, dict[str, int]]) -> tuple[str, list[str]]:
    """The served tracker (seeded) and every page to look at."""
    base, ids = server
    notes = sorted(path.stem for path in (ROOT / "seeds" / "notes").glob("*.txt"))
    paths = [
        f"/?{AS_OF}",
        f"/report?{AS_OF}",
        "/report?as_of=2017-06-01&within=365",
        *(f"/states/{code}?{AS_OF}" for code in ("TJK", "KGZ", "UZB", "BLR")),
        "/notes",
        *(f"/notes/{slug}" for slug in notes),
        *(f"/milestones/{mid}?{AS_OF}" for mid in sorted(ids.values())),
        "/login",
    ]
    return base, paths


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    """A fresh browser context of a 390 px phone screen (own cookies), closed after the test."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=1)
    yield context
    context.close()


def _problems(page: Any, path: str) -> list[str]:
    seen = page.evaluate(MEASURE)
    problems = [f"{path}: flag off-screen: {flag!r}" for flag in seen["flags"]]
    problems += [f"{path}: action off-screen: {action!r}" for action in seen["actions"]]
    problems += [f"{path}: flag not first in card {card!r}" for card in seen["late"]]
    if seen["scrollWidth"] > PHONE["width"]:
        problems.append(f"{path}: scrolls sideways ({seen['scrollWidth']} px wide)")
    return problems


@SQLITE
def test_every_page_fits_a_phone(site: tuple[str, list[str]], phone: Any) -> None:
    base, paths = site
    page = phone.new_page()
    problems: list[str] = []
    flags = 0
    for path in paths:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        problems += _problems(page, path)
        flags += page.evaluate(MEASURE)["flagCount"]
    sign_in(page, base)
    signed_in = ["/", "/milestones/new", "/notes/new", "/account", *paths[-4:-1]]
    for path in signed_in:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        problems += _problems(page, f"{path} (signed in)")
    assert flags > 10  # the check saw flags at all
    assert problems == [], "\n".join(problems)


@SQLITE
def test_the_menu_collapses_on_a_phone(site: tuple[str, list[str]], phone: Any) -> None:
    base, _ = site
    page = phone.new_page()
    page.goto(f"{base}/")
    notes = page.get_by_role("link", name="Source notes")
    assert not notes.is_visible()  # collapsed behind the Menu button
    page.get_by_text("Menu", exact=True).click()
    assert notes.is_visible()
    box = notes.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] < 30  # one line, not "Source / notes" over two
    notes.click()
    assert page.get_by_role("heading", name="Source notes").is_visible()


@SQLITE
def test_the_timeline_is_a_vertical_list_on_a_phone(
    site: tuple[str, list[str]], phone: Any
) -> None:
    base, _ = site
    page = phone.new_page()
    page.goto(f"{base}/states/TJK?{AS_OF}")
    assert not page.locator("figure.timeline svg").is_visible()  # no 9 px sideways SVG
    rows = page.locator("table.list-timeline tbody tr")
    assert rows.count() >= 10
    first, last = rows.first.bounding_box(), rows.last.bounding_box()
    assert first is not None and last is not None
    assert first["y"] < last["y"] and abs(first["x"] - last["x"]) < 1  # stacked, in date order
    assert first["x"] + first["width"] <= PHONE["width"]


@SQLITE
def test_every_page_fits_a_phone_in_russian(site: tuple[str, list[str]], phone: Any) -> None:
    """Russian words are longer (issue 12): the same pages in Russian still fit 390 px."""
    base, paths = site
    page = phone.new_page()
    sign_in(page, base)  # in English: its labels are the ones the helper knows
    phone.set_extra_http_headers({"Accept-Language": "ru-RU,ru;q=0.9"})
    problems: list[str] = []
    for path in [*paths, "/", "/milestones/new", "/notes/new", "/account", "/search?q=peer"]:
        response = page.goto(base + path)
        assert response is not None and response.ok, path
        assert page.evaluate("document.documentElement.lang") == "ru", path
        problems += _problems(page, path)
    assert problems == [], "\n".join(problems)
