"""Which language a note is written in, of those the importer reads (pure).

The importer reads English and Russian. A note in another language (Tajik, Kyrgyz or
Uzbek in Cyrillic, French, Chinese ...) would get few or wrong proposals without saying
why, so its language is named as unknown and the review page and the CLI warn.
"""

from __future__ import annotations

import re

from tracker.messages import Worded

READ = {"en": "English", "ru": "Russian"}
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Letters of Tajik, Kazakh, Kyrgyz, Uzbek, Ukrainian and Belarusian Cyrillic, not Russian.
_NOT_RUSSIAN = re.compile(r"[ӣӯҳқғҷңөүәһіїєўҒҚҲҶӢӮҢӨҮӘҺІЇЄЎ]")
_LETTER = re.compile(r"[^\W\d_]")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|to|in|on|for|with|was|were|will|is|are)\b", re.I)
SAMPLE = 20_000


def language_of(text: str) -> str:
    """'en', 'ru', or '' when the note is in a language the importer does not read."""
    sample = text[:SAMPLE]
    letters = len(_LETTER.findall(sample)) or 1
    cyrillic = len(_CYRILLIC.findall(sample)) + len(_NOT_RUSSIAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    if cyrillic / letters >= 0.5:
        return "" if len(_NOT_RUSSIAN.findall(sample)) > cyrillic * 0.005 else "ru"
    if latin / letters >= 0.5:
        words = len(sample.split()) or 1
        return "en" if len(_ENGLISH_WORDS.findall(sample)) / words >= 0.04 else ""
    return ""


def language_warning(language: str) -> str:
    """The warning for a note the importer does not read ('' when it does)."""
    if language in READ:
        return ""
    return Worded("import_language_unknown", {})
