"""Data in the reader's language, for templates: State names and bilingual titles and venues.

`{{ state | state_name }}` (or `state_name('official')`) is a State's name in the reader's
language; `{{ item | localized('title') }}` is a title (or venue) in the reader's language,
else as written inside `<span lang="..">` with a visible "[en]" / "[ru]" marker;
`other_version` is the other language's version when both exist (a milestone's page shows
both). The text is escaped: it is data, never markup.

The filters read the reader's locale from the template's context (`locale`, set once per
render): asking Flask-Babel for it per item cost more than the rest of the filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from flask import Flask
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from tracker import i18n
from tracker.bilingual import Bilingual, Shown, StateNames, other
from tracker.models import State
from tracker.reports import ReportItem


def _names(state: Any) -> StateNames:
    if isinstance(state, StateNames):
        return state
    names = getattr(state, "names", None)
    if isinstance(names, StateNames):
        return names
    return StateNames(str(getattr(state, "name", state)))


def _bilingual(record: Any, field: str) -> Bilingual:
    if isinstance(record, Bilingual):
        return record
    text = getattr(record, field, "") or ""
    return Bilingual(
        text,
        getattr(record, f"{field}_lang", None) or "en",
        getattr(record, f"{field}_alt", "") or "",
    )


def _reader(context: Context | None) -> str:
    locale = context.get("locale") if context is not None else None
    return str(locale) if locale else i18n.current()


def state_name(state: Any, form: str = "short", reader: str | None = None) -> str:
    """A State's name (short or official) in the reader's language; English if none is stored.

    Takes a State, a report's summary or timeline (which carry `names`), or StateNames."""
    names = _names(state)
    reader = reader or i18n.current()
    return names.official(reader) if form == "official" else names.short(reader)


def shown(record: Any, field: str = "title", reader: str | None = None) -> Shown:
    """What the reader sees of a record's bilingual field (title or venue)."""
    return _bilingual(record, field).shown(reader or i18n.current())


def localized(record: Any, field: str = "title", reader: str | None = None) -> Markup:
    """The field in the reader's language, or as written with its language marked."""
    seen = shown(record, field, reader)
    if not seen.fallback:
        return Markup(escape(seen.text))
    # Escaped piece by piece: the same as Markup.format, without its Formatter (a Russian
    # page of English titles marks hundreds).
    lang, text, mark = escape(seen.lang), escape(seen.text), escape(seen.marker)
    return Markup(f'<span lang="{lang}">{text}</span> <small class="lang-mark">{mark}</small>')


def localized_text(record: Any, field: str = "title", reader: str | None = None) -> str:
    """The field as plain text for places without markup (a <title>): '… [en]' when marked."""
    return shown(record, field, reader).plain()


def other_version(record: Any, field: str = "title", reader: str | None = None) -> Markup:
    """The version the reader is not shown, when there are both ('' otherwise), in its lang."""
    both = _bilingual(record, field)
    if not both.alt:
        return Markup("")
    seen = both.shown(reader or i18n.current())
    text, lang = (both.alt, other(both.lang)) if seen.text == both.text else (both.text, both.lang)
    return Markup('<span lang="{lang}">{text}</span>').format(lang=lang, text=text)


def items_as_read(items: Iterable[ReportItem], reader: str) -> tuple[ReportItem, ...]:
    """Report items whose title and venue are in the reader's language (marked if not), for
    the drawings and documents that print `title` as it stands."""
    return tuple(
        replace(
            item,
            title=localized_text(item, "title", reader),
            venue=localized_text(item, "venue", reader),
        )
        for item in items
    )


def state_names(states: Iterable[State], reader: str) -> dict[str, str]:
    """Each State's short name in the reader's language, by code."""
    return {s.code: state_name(s, reader=reader) for s in states}


@pass_context
def _state_name(context: Context, state: Any, form: str = "short") -> str:
    return state_name(state, form, _reader(context))


@pass_context
def _localized(context: Context, record: Any, field: str = "title") -> Markup:
    return localized(record, field, _reader(context))


@pass_context
def _localized_text(context: Context, record: Any, field: str = "title") -> str:
    return localized_text(record, field, _reader(context))


@pass_context
def _other_version(context: Context, record: Any, field: str = "title") -> Markup:
    return other_version(record, field, _reader(context))


def init_app(app: Flask) -> None:
    """Make the filters available to every template."""
    app.add_template_filter(_state_name, "state_name")
    app.add_template_filter(_localized, "localized")
    app.add_template_filter(_localized_text, "localized_text")
    app.add_template_filter(_other_version, "other_version")
