"""Precision and recall of the extractor against a labelled set of notes.

    python -m tracker.ingest.evaluate DIR [DIR ...] EXPECTED.json

EXPECTED.json maps a note's file name to {"kind", "states", "events": [{"kind", "due",
"reference"?, "status"}], "flags": [yearless date texts], "language"?: "en" | "ru"}. An
event counts as found when a proposal has its kind and exactly its window; a date when
any proposal has its window. Deadlines are the planned events that are not meetings,
next meetings the planned meetings. The figures are printed for the whole set and per
language, with the precision of the proposed events at each confidence band.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tracker.dates import parse_window
from tracker.ingest.extract import extract
from tracker.ingest.proposals import Extraction

Key = tuple[str, date, date]
EVALUATION_DAY = date(2026, 6, 1)
_MEETINGS = frozenset({"peer_review", "round_table", "workshop", "review_meeting"})
# Lower edges of the confidence bands reported: below 0.5 a proposal is not pre-ticked.
BANDS = ((0.9, "0.90-1.00"), (0.7, "0.70-0.89"), (0.5, "0.50-0.69"), (0.0, "0.00-0.49"))


@dataclass
class Tally:
    """True positives, predictions and expectations of one measure."""

    found: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, predicted: Sequence[Any], expected: Sequence[Any]) -> None:
        """Count one note: each expected item is matched at most once."""
        left = list(predicted)
        for item in expected:
            if item in left:
                left.remove(item)
                self.found += 1
        self.predicted += len(predicted)
        self.expected += len(expected)

    @property
    def precision(self) -> float:
        """Share of predictions that were expected."""
        return self.found / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Share of expectations that were predicted."""
        return self.found / self.expected if self.expected else 1.0

    def line(self, name: str) -> str:
        """'events: precision 0.93 (13/14), recall 0.87 (13/15)'."""
        return (
            f"{name:<8} precision {self.precision:.2f} ({self.found}/{self.predicted}), "
            f"recall {self.recall:.2f} ({self.found}/{self.expected})"
        )


@dataclass
class Scores:
    """The measures over a labelled set."""

    events: Tally = field(default_factory=Tally)
    dates: Tally = field(default_factory=Tally)
    statuses: Tally = field(default_factory=Tally)
    states: Tally = field(default_factory=Tally)
    flags: Tally = field(default_factory=Tally)
    note_kinds: Tally = field(default_factory=Tally)
    deadlines: Tally = field(default_factory=Tally)
    next_meetings: Tally = field(default_factory=Tally)
    bands: dict[str, Tally] = field(default_factory=lambda: {name: Tally() for _, name in BANDS})
    notes: int = 0
    misses: list[str] = field(default_factory=list)

    def tallies(self) -> dict[str, Tally]:
        """The measures by name, in the order they are printed."""
        return {
            "events": self.events,
            "deadline": self.deadlines,
            "next mtg": self.next_meetings,
            "dates": self.dates,
            "status": self.statuses,
            "states": self.states,
            "flags": self.flags,
            "kind": self.note_kinds,
        }


def expected_events(labels: dict[str, Any]) -> list[Key]:
    """The labelled events as (kind, start, end)."""
    events = []
    for event in labels["events"]:
        reference = date.fromisoformat(event["reference"]) if "reference" in event else None
        window = parse_window(event["due"], reference)
        events.append((event["kind"], window.start, window.end))
    return events


def predicted_events(extraction: Extraction) -> list[Key]:
    """The proposed events that have a window, as (kind, start, end)."""
    return [
        (p.kind.value, p.window.start, p.window.end)
        for p in extraction.proposals
        if p.window is not None
    ]


def _is_deadline(kind: str, status: str) -> bool:
    return status == "planned" and kind not in _MEETINGS


def _is_next_meeting(kind: str, status: str) -> bool:
    return status == "planned" and kind in _MEETINGS


def band_of(confidence: float) -> str:
    """The name of the confidence band a proposal falls in."""
    return next(name for edge, name in BANDS if confidence >= edge)


def _score_classes(scores: Scores, extraction: Extraction, labels: dict[str, Any]) -> None:
    expected = list(zip(expected_events(labels), labels["events"], strict=True))
    proposed = [
        ((p.kind.value, p.window.start, p.window.end), p.reported_status.value, p.confidence)
        for p in extraction.proposals
        if p.window is not None
    ]
    classes = ((scores.deadlines, _is_deadline), (scores.next_meetings, _is_next_meeting))
    for tally, wanted in classes:
        tally.add(
            [key for key, status, _ in proposed if wanted(key[0], status)],
            [key for key, event in expected if wanted(event["kind"], event["status"])],
        )
    left = [key for key, _ in expected]
    for key, _, confidence in proposed:
        band = scores.bands[band_of(confidence)]
        band.predicted += 1
        if key in left:
            left.remove(key)
            band.found += 1


def score_note(scores: Scores, name: str, extraction: Extraction, labels: dict[str, Any]) -> None:
    """Add one note's results to the scores, and note what was missed or extra."""
    predicted, expected = predicted_events(extraction), expected_events(labels)
    scores.notes += 1
    _score_classes(scores, extraction, labels)
    scores.events.add(predicted, expected)
    scores.dates.add([p[1:] for p in predicted], [e[1:] for e in expected])
    statuses = [e["status"] for e in labels["events"]]
    scores.statuses.add(_statuses(extraction, expected), statuses)
    scores.states.add(list(extraction.note.states), labels["states"])
    flagged = [p.due_text for p in extraction.proposals if p.window is None]
    scores.flags.add(flagged, labels.get("flags", []))
    scores.note_kinds.add([extraction.note.kind.value], [labels["kind"]])
    scores.misses += [f"{name}: missed {_show(e)}" for e in expected if e not in predicted]
    scores.misses += [f"{name}: extra {_show(p)}" for p in predicted if p not in expected]


def _statuses(extraction: Extraction, expected: list[Key]) -> list[str]:
    by_key = {
        (p.kind.value, p.window.start, p.window.end): p.reported_status.value
        for p in extraction.proposals
        if p.window is not None
    }
    return [by_key[key] for key in expected if key in by_key]


def _show(key: Key) -> str:
    kind, start, end = key
    return f"{kind} {start.isoformat()}..{end.isoformat()}"


def evaluate(directories: Iterable[Path], labels: dict[str, Any]) -> Scores:
    """Run the extractor on every labelled note found in the directories."""
    return evaluate_by_language(directories, labels)["all"]


def evaluate_by_language(directories: Iterable[Path], labels: dict[str, Any]) -> dict[str, Scores]:
    """The scores over all notes ("all") and over the notes of each language."""
    files = {p.name: p for d in directories for p in sorted(d.glob("*.txt"))}
    by_language: dict[str, Scores] = {"all": Scores()}
    for name, note_labels in labels.items():
        language = note_labels.get("language", "en")
        targets = [by_language["all"], by_language.setdefault(language, Scores())]
        if name not in files:
            targets[0].misses.append(f"{name}: not found in the directories given")
            continue
        # A fixed day, so that 'done' and 'planned' do not change as the calendar moves on.
        extraction = extract(files[name].read_text(encoding="utf-8"), today=EVALUATION_DAY)
        for proposal in extraction.proposals:
            for quote in (proposal.quote, *proposal.other_quotes):
                assert quote in extraction.note.text, f"{name}: quote not verbatim"
        for scores in targets:
            score_note(scores, name, extraction, note_labels)
        del targets[1].misses[:]  # listed once, under "all"
    return by_language


def report(scores: Scores) -> str:
    """The scores as printed lines."""
    return "\n".join(
        [*(t.line(n) for n, t in scores.tallies().items()), *_band_lines(scores), *scores.misses]
    )


def _band_lines(scores: Scores) -> list[str]:
    return [
        f"confidence {name}: precision {t.precision:.2f} ({t.found}/{t.predicted})"
        for name, t in scores.bands.items()
        if t.predicted
    ]


def full_report(by_language: dict[str, Scores]) -> str:
    """Every language's figures, then the whole set's with its misses."""
    parts = []
    for language, scores in sorted(by_language.items()):
        if language != "all":
            lines = [t.line(n) for n, t in scores.tallies().items()] + _band_lines(scores)
            parts.append(f"== {language} ({scores.notes} notes)\n" + "\n".join(lines))
    everything = by_language["all"]
    parts.append(f"== all ({everything.notes} notes)\n{report(everything)}")
    return "\n".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: DIR [DIR ...] EXPECTED.json."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    labels = json.loads(Path(args[-1]).read_text(encoding="utf-8"))
    print(full_report(evaluate_by_language([Path(a) for a in args[:-1]], labels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
