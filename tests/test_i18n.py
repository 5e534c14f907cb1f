"""The reader's language: chosen by link, cookie, account or browser; never mixed in the cache."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from config import TestConfig
from tests.web_helpers import text
from tracker import create_app
from tracker.i18n import select_locale, supported

RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def html_lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_russian_browser_gets_the_russian_interface(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/", headers=RU))
    assert html_lang(page) == "ru"
    assert "Отчёт о сроках" in page and "Deadline report" not in page


def test_an_english_or_unstated_browser_gets_english(client: FlaskClient, seeded: Session) -> None:
    page = text(client.get("/"))
    assert html_lang(page) == "en" and "Deadline report" in page


def test_the_switcher_link_wins_over_the_browser_and_is_remembered(
    client: FlaskClient, seeded: Session
) -> None:
    page = text(client.get("/states/TJK", headers=RU))
    assert 'href="/states/TJK?lang=en"' in page  # the switcher keeps the page
    chosen = client.get("/states/TJK?lang=en", headers=RU)
    assert html_lang(text(chosen)) == "en"
    assert "lang=en" in chosen.headers["Set-Cookie"]
    # The next page, without ?lang, stays in the language the reader chose.
    assert html_lang(text(client.get("/", headers=RU))) == "en"


def test_an_unknown_language_falls_back_without_an_error(
    client: FlaskClient, seeded: Session
) -> None:
    response = client.get("/?lang=xx", headers=RU)
    assert response.status_code == 200
    assert html_lang(text(response)) == "ru"
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_the_site_default_applies_when_the_browser_says_nothing(
    database_url: str, seeded: Session
) -> None:
    app = create_app(TestConfig(database_url), BABEL_DEFAULT_LOCALE="ru")
    try:
        page = text(app.test_client().get("/", headers={"Accept-Language": ""}))
    finally:
        app.extensions["tracker.engine"].dispose()
    assert html_lang(page) == "ru"


def test_a_cached_page_is_never_served_in_the_other_language(
    client: FlaskClient, seeded: Session
) -> None:
    # Alternate readers as two workers would see them: each gets its own language every time.
    for _ in range(3):
        for headers, lang, word in ((RU, "ru", "Сводка"), ({}, "en", "Dashboard")):
            for path in ("/", "/states/TJK", "/report?state=TJK"):
                page = text(client.get(path, headers=headers))
                assert html_lang(page) == lang and word in page, (path, lang)


def test_locale_codes_are_read_leniently() -> None:
    assert supported("ru-RU") == "ru" and supported("RU") == "ru" and supported("en_GB") == "en"
    assert supported("xx") is None and supported("") is None and supported(None) is None


def test_outside_a_request_the_site_default_applies(app: Flask) -> None:
    with app.app_context():
        assert select_locale() == "en"
