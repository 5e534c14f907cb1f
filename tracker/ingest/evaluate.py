"""Precision and recall of the extractor against a labelled set of notes.

    python -m tracker.ingest.evaluate DIR [DIR ...] EXPECTED.json

EXPECTED.json maps a note's file name to {"kind", "states", "events": [{"kind", "due",
"reference"?, "status"}], "flags": [yearless date texts]}. An event counts as found when
a proposal has its kind and exactly its window; a date when any proposal has its window.
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
    misses: list[str] = field(default_factory=list)


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


def score_note(scores: Scores, name: str, extraction: Extraction, labels: dict[str, Any]) -> None:
    """Add one note's results to the scores, and note what was missed or extra."""
    predicted, expected = predicted_events(extraction), expected_events(labels)
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
    files = {p.name: p for d in directories for p in sorted(d.glob("*.txt"))}
    scores = Scores()
    for name, note_labels in labels.items():
        if name not in files:
            scores.misses.append(f"{name}: not found in the directories given")
            continue
        extraction = extract(files[name].read_text(encoding="utf-8"))
        for proposal in extraction.proposals:
            assert proposal.quote in extraction.note.text, f"{name}: quote not verbatim"
        score_note(scores, name, extraction, note_labels)
    return scores


def report(scores: Scores) -> str:
    """The scores as printed lines."""
    tallies = {
        "events": scores.events,
        "dates": scores.dates,
        "status": scores.statuses,
        "states": scores.states,
        "flags": scores.flags,
        "kind": scores.note_kinds,
    }
    return "\n".join([*(t.line(n) for n, t in tallies.items()), *scores.misses])


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: DIR [DIR ...] EXPECTED.json."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    labels = json.loads(Path(args[-1]).read_text(encoding="utf-8"))
    print(report(evaluate([Path(a) for a in args[:-1]], labels)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
