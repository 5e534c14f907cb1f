"""The reader's language: which one a request is answered in, and where the catalogues are.

Order of choice: `?lang=ru|en` on the request (the switcher's links; remembered in a cookie),
the cookie of an earlier choice on this browser, the account's saved preference, the browser's
`Accept-Language`, then the site default (TRACKER_DEFAULT_LOCALE). An unknown code is ignored,
never an error. Catalogues live in `translations/<lang>/LC_MESSAGES/messages.po` and are
compiled by `make run` and `make test` (see the README: adding a language).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

from tracker import labels, messages

LOCALES = ("en", "ru")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
COOKIE = "lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
_YEAR = 365 * 24 * 3600


def supported(code: str | None) -> str | None:
    """The supported locale a code names ('ru', 'RU', 'ru-RU'), or None."""
    if not code:
        return None
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return base if base in LOCALES else None


def select_locale() -> str:
    """This request's locale (see the module's docstring for the order)."""
    default = str(current_app.config.get("BABEL_DEFAULT_LOCALE", "en"))
    if not has_request_context():
        return default  # commands and mail force their own locale (flask_babel.force_locale)
    if "locale" in g:
        chosen: str = g.locale
        return chosen
    account = getattr(current_user, "locale", None) if current_user else None
    locale = (
        supported(request.args.get("lang"))
        or supported(request.cookies.get(COOKIE))
        or supported(account)
        or request.accept_languages.best_match(LOCALES)
        or default
    )
    g.locale = locale
    return locale


def current() -> str:
    """The locale in effect ('en' outside a request unless forced)."""
    return str(get_locale() or "en")


def switch_url(locale: str) -> str:
    """This page in another language: the same path and query with `lang` set."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", locale)])


def _remember_choice(response: Response) -> Response:
    chosen = supported(request.args.get("lang"))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=_YEAR, samesite="Lax", httponly=True)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the tracker's locale choice and its catalogues."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)
    messages.translate_with(gettext, labels.shown)  # refusals are worded in the locale in effect
    labels.init_app(app)
    app.jinja_env.globals.update(switch_url=switch_url, LANGUAGE_NAMES=LANGUAGE_NAMES)
    app.after_request(_remember_choice)
