"""The importer's accuracy on real public notes it was not written for (tests/data/ingest/corpus).

Floors are the figures reached; they may only rise. The figures measured before the
extractor was changed for this corpus are in tests/data/ingest/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.ingest.evaluate import Scores, evaluate_by_language

CORPUS = Path(__file__).parent / "data" / "ingest" / "corpus"

# language -> measure -> (precision floor, recall floor)
FLOORS: dict[str, dict[str, tuple[float, float]]] = {
    "en": {
        "events": (0.89, 0.86),
        "dates": (0.97, 0.95),
        "states": (0.88, 0.79),
        "kind": (0.88, 0.88),
    },
    "ru": {
        "events": (0.75, 0.82),
        "dates": (0.75, 0.82),
        "states": (0.96, 1.00),
        "flags": (0.86, 1.00),
        "kind": (0.75, 0.75),
    },
}


@pytest.fixture(scope="module")
def scores() -> dict[str, Scores]:
    labels = json.loads((CORPUS / "LABELS.json").read_text(encoding="utf-8"))
    return evaluate_by_language([CORPUS], labels)


def test_corpus_is_large_enough_and_names_its_sources() -> None:
    labels = json.loads((CORPUS / "LABELS.json").read_text(encoding="utf-8"))
    languages = [note["language"] for note in labels.values()]
    assert len(labels) >= 40 and languages.count("ru") >= 10
    assert all(note["source"].startswith("http") for note in labels.values())
    assert {p.name for p in CORPUS.glob("*.txt")} == set(labels)


@pytest.mark.parametrize("language", sorted(FLOORS))
def test_accuracy_does_not_fall_below_the_floors(scores: dict[str, Scores], language: str) -> None:
    tallies = scores[language].tallies()
    for measure, (precision, recall) in FLOORS[language].items():
        tally = tallies[measure]
        assert round(tally.precision, 2) >= precision, f"{language} {measure} precision"
        assert round(tally.recall, 2) >= recall, f"{language} {measure} recall"
