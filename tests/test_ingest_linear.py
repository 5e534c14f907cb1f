"""Reading a note costs in proportion to its length, however its lines are laid out.

A 109 KB one-line note once took 30 s (every date re-read the whole text before it), and
a 224 KB one timed a web worker out. Wall-clock limits would make a flaky test, so this
counts the work instead: the characters handed to the extractor's regular expressions,
which is where the time went. Doubling a note must about double that count.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from datetime import date
from types import ModuleType
from typing import Any

import pytest

from bench.ingest import long_note
from tracker.ingest.extract import extract as read_note

MODULES: list[ModuleType] = [
    importlib.import_module(f"tracker.ingest.{name}")
    for name in ("extract", "facts", "datefind", "places", "header", "text")
]


class Meter:
    """Characters read by patterns, whichever way they are called."""

    def __init__(self) -> None:
        self.characters = 0

    def read(self, string: Any, pos: int = 0, endpos: int = sys.maxsize) -> None:
        if isinstance(string, str):
            self.characters += max(0, min(endpos, len(string)) - pos)


class MeteredPattern:
    """A compiled pattern that reports to the meter what it is asked to read."""

    def __init__(self, pattern: re.Pattern[str], meter: Meter) -> None:
        self._pattern, self._meter = pattern, meter

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._pattern, name)
        if not callable(method):
            return method

        def metered(*args: Any, **kwargs: Any) -> Any:
            if name in ("sub", "subn"):
                self._meter.read(args[1] if len(args) > 1 else kwargs.get("string"))
            elif args:
                self._meter.read(*args[:3])
            return method(*args, **kwargs)

        return metered


@pytest.fixture
def meter(monkeypatch: pytest.MonkeyPatch) -> Iterator[Meter]:
    """Every pattern of the extractor's modules (and re's own functions) metered."""
    found = Meter()
    for module in MODULES:
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, MeteredPattern(value, found))
    kinds = [(kind, MeteredPattern(pattern, found)) for kind, pattern in MODULES[1]._KINDS]
    monkeypatch.setattr(MODULES[1], "_KINDS", kinds)
    for function in ("search", "match", "fullmatch", "finditer", "findall", "sub"):
        original = getattr(re, function)

        def metered(pattern: Any, string: Any, *args: Any, _original: Any = original) -> Any:
            found.read(string)
            return _original(pattern, string, *args)

        monkeypatch.setattr(re, function, metered)
    yield found


def work(meter: Meter, note: str) -> int:
    meter.characters = 0
    read_note(note, date(2026, 1, 1))
    return meter.characters


@pytest.mark.parametrize("separator", [" ", "\n"], ids=["one line", "one sentence a line"])
@pytest.mark.parametrize("vary_years", [False, True], ids=["repeated", "distinct dates"])
def test_reading_a_note_twice_as_long_is_about_twice_the_work(
    meter: Meter, separator: str, vary_years: bool
) -> None:
    small = work(meter, long_note(60_000, separator, vary_years))
    large = work(meter, long_note(120_000, separator, vary_years))
    # Linear work doubles (a little more: there are more facts to merge); quadratic quadruples.
    assert large <= 2.4 * small, f"60 KB read {small} characters, 120 KB read {large}"


def test_caseless_patterns_match_as_ignorecase_did() -> None:
    """The lower-casing matcher finds what re.IGNORECASE found, also when lower() grows."""
    from tracker.ingest.text import Caseless

    pattern = Caseless(r"\bNAP\b|кругл[а-яё]* стол|\bPeer Review\b")
    for text in ("the nap was adopted", "КРУГЛЫЙ СТОЛ", "a PEER REVIEW", "İstanbul NAP"):
        assert pattern.search(text) is not None, text
    assert pattern.search("a snapshot") is None
    assert [m.group() for m in pattern.finditer("NAP and Nap")] == ["nap", "nap"]
