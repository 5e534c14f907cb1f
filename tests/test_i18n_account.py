"""The account's language (issue 12): saved on the account through the one service and the
policy, then used on every page, in this browser and in the next one the user signs in on."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.web_helpers import add_account, csrf_token, sign_in, snapshot, text
from tracker import services
from tracker.policy import Forbidden

EN = {"Accept-Language": "en-GB,en;q=0.9"}
RU = {"Accept-Language": "ru-RU,ru;q=0.9"}


def html_lang(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


def choose(client: FlaskClient, locale: str, headers: dict[str, str] | None = None) -> str:
    token = csrf_token(client, "/account")
    response = client.post(
        "/account/language", data={"csrf_token": token, "locale": locale}, headers=headers
    )
    assert response.status_code == 302, text(response)
    return text(client.get(response.headers["Location"], headers=headers))


def test_the_account_page_offers_the_languages(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    page = text(client.get("/account", headers=EN))
    assert 'name="locale"' in page
    for option in ("Browser default", "English", "Русский"):
        assert option in page


def test_a_saved_language_applies_on_every_page_and_on_the_next_browser(
    app: Flask, client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    page = choose(client, "ru", headers=EN)
    assert html_lang(page) == "ru" and "Язык сохранён." in page
    assert '<option selected value="ru">' in page  # the form shows the choice
    for path in ("/", "/states/TJK", "/report", "/notes", "/search?q=peer"):
        assert html_lang(text(client.get(path, headers=EN))) == "ru", path
    seeded.expire_all()
    assert services.get_user(seeded, "lola@mfa.tj").locale == "ru"
    # Another browser, in English: once signed in, the account's language wins.
    other = app.test_client()
    assert html_lang(text(other.get("/", headers=EN))) == "en"
    sign_in(other, "lola@mfa.tj")
    assert html_lang(text(other.get("/", headers=EN))) == "ru"


def test_browser_default_lets_the_browser_decide_again(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    choose(client, "ru", headers=EN)
    page = choose(client, "", headers=EN)
    assert html_lang(page) == "en"
    assert html_lang(text(client.get("/", headers=RU))) == "ru"
    seeded.expire_all()
    assert services.get_user(seeded, "lola@mfa.tj").locale is None


def test_an_unknown_language_is_refused_with_its_value_and_nothing_changes(
    client: FlaskClient, seeded: Session
) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    token = csrf_token(client, "/account")
    before = snapshot(seeded)
    response = client.post("/account/language", data={"csrf_token": token, "locale": "xx"})
    assert response.status_code == 400
    shown = html.unescape(text(response))
    assert "locale 'xx'" in shown and "en, ru" in shown
    assert snapshot(seeded) == before


def test_signed_out_the_form_asks_to_sign_in(client: FlaskClient, seeded: Session) -> None:
    token = csrf_token(client, "/login")
    response = client.post("/account/language", data={"csrf_token": token, "locale": "ru"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_service_asks_the_policy_and_checks_the_code(seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    add_account(seeded, "anna@mfa.by", "viewer")
    add_account(seeded, "admin@example.org", "admin")
    lola = services.get_user(seeded, "lola@mfa.tj")
    anna = services.get_user(seeded, "anna@mfa.by")
    admin = services.get_user(seeded, "admin@example.org")
    with pytest.raises(Forbidden) as refused:
        services.set_locale(seeded, anna, lola, "ru")
    assert refused.value.code == "own_account_only"
    with pytest.raises(services.ServiceError) as bad:
        services.set_locale(seeded, lola, lola, "uz")
    assert bad.value.code == "not_one_of" and bad.value.field == "locale"
    assert services.set_locale(seeded, lola, lola, " RU ").locale == "ru"
    assert services.set_locale(seeded, admin, lola, "en").locale == "en"
    assert services.set_locale(seeded, None, lola, "").locale is None  # the operator


def test_a_form_without_the_choice_is_refused(client: FlaskClient, seeded: Session) -> None:
    add_account(seeded, "lola@mfa.tj", "coordinator", ["TJK"])
    sign_in(client, "lola@mfa.tj")
    token = csrf_token(client, "/account")
    response = client.post("/account/language", data={"csrf_token": token})
    assert response.status_code == 400 and "locale ''" in html.unescape(text(response))
