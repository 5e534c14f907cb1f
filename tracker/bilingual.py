"""Data written in English or Russian, with an optional translation into the other language.

A title (of a milestone or a plan) or a venue is stored as written (`title`), with the
language it is written in (`title_lang`, found from its script when not given) and, when
someone gave one, its translation (`title_alt`). A reader is shown their own language; when
only the other exists they see it as written, marked with its language ("[en]"). Source notes
and quotes are never translated: they are evidence, kept exactly as written.

Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Language(StrEnum):
    """The languages data may be written in."""

    EN = "en"
    RU = "ru"


LANGS = tuple(lang.value for lang in Language)


def script(text: str) -> str | None:
    """The language a text's letters say ('ru' when most are Cyrillic), None without letters."""
    cyrillic = latin = 0
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            cyrillic += 1
        elif char.isascii() and char.isalpha():
            latin += 1
    if not cyrillic and not latin:
        return None
    return "ru" if cyrillic > latin else "en"


def detect(text: str) -> str:
    """The language a text is written in, by its script ('en' when it has no letters)."""
    return script(text) or "en"


def other(lang: str) -> str:
    """The other of the two languages."""
    return "en" if lang == "ru" else "ru"


@dataclass(frozen=True, slots=True)
class Bilingual:
    """A text as written, its language, and its translation into the other one ('' if none)."""

    text: str
    lang: str = "en"
    alt: str = ""

    def __str__(self) -> str:
        return self.text

    def shown(self, reader: str) -> Shown:
        """What a reader of this locale sees: their language, else the other one, marked."""
        if not self.text or reader == self.lang:
            return Shown(self.text, self.lang, fallback=False)
        if self.alt and reader == other(self.lang):
            return Shown(self.alt, reader, fallback=False)
        return Shown(self.text, self.lang, fallback=True)


@dataclass(frozen=True, slots=True)
class Shown:
    """The text a reader sees, its language, and whether it is not in the reader's language."""

    text: str
    lang: str
    fallback: bool

    @property
    def marker(self) -> str:
        """'[en]' or '[ru]' when the text is not in the reader's language, else ''."""
        return f"[{self.lang}]" if self.fallback else ""

    def plain(self) -> str:
        """The text with its marker, for places that hold no markup (a page's <title>)."""
        return f"{self.text} {self.marker}" if self.fallback else self.text


@dataclass(frozen=True, slots=True)
class StateNames:
    """A State's short and official names in English and Russian ('' where none is stored)."""

    name: str
    official_name: str = ""
    name_ru: str = ""
    official_name_ru: str = ""

    def short(self, reader: str) -> str:
        """The short name in the reader's language (English when there is none in theirs)."""
        return (self.name_ru if reader == "ru" else "") or self.name

    def official(self, reader: str) -> str:
        """The official name in the reader's language, else the short one in it."""
        if reader == "ru":
            return self.official_name_ru or self.short(reader)
        return self.official_name or self.name
