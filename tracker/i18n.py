"""The reader's language: which one a request is answered in, and where the catalogues are.

Order of choice: `?lang=ru|en` on the request (the switcher's links; remembered in a cookie),
the cookie of an earlier choice on this browser, the account's saved preference, the browser's
`Accept-Language`, then the site default (TRACKER_DEFAULT_LOCALE). An unknown code is ignored,
never an error. Catalogues live in `translations/<lang>/LC_MESSAGES/messages.po` and are
compiled by `make run` and `make test` (see the README: adding a language).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from tracker import datefmt, labels, messages, timezones
from tracker.dates import DueWindow

LOCALES = ("en", "ru")
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
COOKIE = "lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
_YEAR = 365 * 24 * 3600
T = TypeVar("T")


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
    return kept("tracker_locale", _locale_name)


def _locale_name() -> str:
    return str(get_locale() or "en")


def kept(name: str, make: Callable[[], T]) -> T:
    """A value made once per context and locale, kept beside Flask-Babel's per-context state
    and keyed by the locale object in effect (so `force_locale` gets its own): the locale's
    name, a catalogue, words a page asks for thousands of times. Outside a context (or before
    the locale is chosen) it is made anew."""
    try:
        state = g._flask_babel
        locale = state.babel_locale
    except (AttributeError, RuntimeError):
        return make()
    found = getattr(state, name, None)
    if found is not None and found[0] is locale:
        return cast(T, found[1])
    value = make()
    setattr(state, name, (locale, value))
    return value


def current_zone() -> str:
    """The reader's time zone (tracker.timezones): account, their States, the site default."""
    default = str(current_app.config.get("DEFAULT_TIMEZONE", timezones.DEFAULT))
    if not has_request_context():
        return default
    if "zone" not in g:
        user = current_user if current_user and current_user.is_authenticated else None
        preference = getattr(user, "timezone", None)
        codes = [state.code for state in getattr(user, "states", [])]
        g.zone = timezones.reader_zone(preference, codes, default)
    zone: str = g.zone
    return zone


# Jinja filters: dates as the reader's language writes them (tracker.datefmt).
def long_date(value: str | date) -> str:
    """One day, long form: '31 March 2027', '31 марта 2027 г.'."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return datefmt.format_day(day, current())


def due_window(window: DueWindow) -> str:
    """A due window at its precision: 'IV квартал 2027 г.', 'Q4 2027', '2–4 August 2017'."""
    return datefmt.format_window(window, current())


def day_span(window: DueWindow) -> str:
    """The first to the last day of a window: '1–31 January 2004', '1–31 января 2004 г.'."""
    return datefmt.format_days(window.start, window.end, current())


def overdue_by(item: Any) -> str:
    """A report item's 'overdue by 10 years 2 months' / 'просрочено на 10 лет 2 месяца'."""
    return datefmt.overdue_since(item.due.end, item.days_overdue or 0, current())


def due_in(item: Any) -> str:
    """A report item's 'in 3 days' / 'через 3 дня' / 'due today' / 'under way'."""
    return datefmt.until_from(item.key_day, item.days_until or 0, current(), item.deadline)


def as_of_day(day: date) -> str:
    """The as-of date of a heading or a drawing's label: ISO in English (as the tracker has
    always printed it), as people write a day in any other language ('1 марта 2016 г.')."""
    locale = current()
    return day.isoformat() if locale == "en" else datefmt.format_day(day, locale)


def local_time(moment: datetime | None) -> Markup:
    """A stored (UTC) timestamp in the reader's zone and language, as a <time> element whose
    title names the zone; nothing for none."""
    if moment is None:
        return Markup("")
    zone = current_zone()
    shown = datefmt.format_timestamp(moment, timezones.zone(zone), current())
    utc = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    named = timezones.label(zone, current())
    return Markup('<time datetime="{}" title="{}">{}</time>').format(utc, named, shown)


def switch_url(locale: str) -> str:
    """This page in another language: the same path and query with `lang` set."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([*args, ("lang", locale)])


def remember_locale(response: Response | BaseResponse, locale: str | None) -> None:
    """Make this browser follow a saved choice; with none, forget its own (the browser decides)."""
    if supported(locale):
        response.set_cookie(COOKIE, str(locale), max_age=_YEAR, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax", httponly=True)


def _remember_choice(response: Response) -> Response:
    chosen = supported(request.args.get("lang"))
    if chosen and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=_YEAR, samesite="Lax", httponly=True)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


# Werkzeug's and Flask-WTF's own words for an HTTP error are English; these are the
# tracker's, in the reader's language (a reason the tracker gave is worded already).
HTTP_NAMES = {
    400: _l("Bad request"),
    401: _l("Unauthorized"),
    403: _l("Forbidden"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Too large"),
    415: _l("Unsupported media type"),
    429: _l("Too many requests"),
    500: _l("Server error"),
}
HTTP_REASONS = {
    400: _l("The request could not be understood."),
    401: _l("Sign in or send a token to see this."),
    403: _l("You may not do this."),
    404: _l("Nothing is found at this address."),
    405: _l("This method is not allowed here."),
    409: _l("The request conflicts with the current state of the data."),
    413: _l("The request is too large."),
    415: _l("The body's media type is not accepted."),
    429: _l("Too many requests; wait a little and try again."),
    500: _l("Something went wrong on the server; the error is logged."),
}
CSRF_REASONS = {
    "The CSRF token is missing.": _l("The form's security token (CSRF) is missing."),
    "The CSRF token has expired.": _l("The form's security token (CSRF) has expired."),
    "The CSRF token is invalid.": _l("The form's security token (CSRF) is not valid."),
    "The CSRF session token is missing.": _l("The form's session (CSRF) has ended."),
    "The CSRF tokens do not match.": _l("The form's security token (CSRF) does not match."),
    "The referrer header is missing.": _l("The page the form came from is unknown (CSRF)."),
    "The referrer does not match the host.": _l("The form was not sent from this site (CSRF)."),
}


def http_name(error: HTTPException) -> str:
    """The name of an HTTP error ('Not found') in the reader's language."""
    return str(HTTP_NAMES.get(error.code or 500, error.name))


def http_reason(error: HTTPException) -> str:
    """Why a request failed, in the reader's language: the tracker's own reason (worded
    when it was raised, in this request's language), else the status's generic one."""
    description = error.description or ""
    if description in CSRF_REASONS:
        return str(CSRF_REASONS[description])
    if description and description != type(error).description:
        return description
    return str(HTTP_REASONS.get(error.code or 500, description or error.name))


def translations() -> Any:
    """This context's catalogue (`kept`): Flask-Babel looks it up anew for every string
    (~20 us); a timeline page asks for thousands."""
    return kept("tracker_translations", get_translations)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with the tracker's locale choice and its catalogues."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_locale)
    messages.translate_with(gettext, labels.shown)  # refusals are worded in the locale in effect
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # as Flask-Babel's, looked up once
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    labels.init_app(app)
    app.jinja_env.globals.update(
        switch_url=switch_url,
        LANGUAGE_NAMES=LANGUAGE_NAMES,
        current_locale=current,
        reader_zone=current_zone,
    )
    for date_filter in (long_date, due_window, day_span, overdue_by, due_in, local_time):
        app.add_template_filter(date_filter)
    app.after_request(_remember_choice)
