"""Reading a long note: `python -m bench.ingest` prints the extraction time per size and layout.

Notes of 100 KB, 500 KB and 1 MB (the upload limit) are made by repeating the sentences of
the seed and test notes, with their years varied so that the facts stay distinct; each is
read on one line (the layout that was quadratic) and one sentence a line. The goal is a
1 MB note in under 2 s. Wall time depends on what else the machine runs, so the CPU time
of the process is printed beside it (both are medians of --runs readings).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTE_FOLDERS = (ROOT / "seeds" / "notes", ROOT / "tests" / "data" / "ingest" / "notes")
SIZES = {"100 KB": 100_000, "500 KB": 500_000, "1 MB": 999_000}
LAYOUTS = {"one line": " ", "one sentence a line": "\n"}
GOAL_SECONDS = 2.0


def _sentences() -> list[str]:
    paths = [path for folder in NOTE_FOLDERS for path in sorted(folder.glob("*.txt"))]
    joined = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in paths)
    return [s for s in re.split(r"(?<=[.])\s+", joined) if len(s) > 30]


def long_note(size: int, separator: str = " ", vary_years: bool = True) -> str:
    """The notes' sentences repeated up to `size` bytes of UTF-8, joined by `separator`."""
    chosen: list[str] = []
    total, sentences, years = 0, _sentences(), random.Random(size)
    while True:
        sentence = sentences[len(chosen) % len(sentences)]
        if vary_years:  # distinct facts, so that few merge away
            sentence = re.sub(r"\b20[0-9]{2}\b", lambda _: str(years.randint(2000, 2030)), sentence)
        total += len(sentence.encode("utf-8")) + 1
        if total > size:
            return separator.join(chosen)
        chosen.append(sentence)


def measure(note: str, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of reading the note, and its number of proposals."""
    from tracker.ingest.extract import extract

    walls, cpus, proposals = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        proposals = len(extract(note, date(2026, 1, 1)).proposals)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return statistics.median(walls), statistics.median(cpus), proposals


def main() -> None:
    """Print one line per size and layout."""
    parser = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="readings per note (median)")
    args = parser.parse_args()
    print(f"{'note':>8}  {'layout':<20} {'wall':>8} {'cpu':>8} {'proposals':>9}")
    for size_name, size in SIZES.items():
        for layout, separator in LAYOUTS.items():
            wall, cpu, proposals = measure(long_note(size, separator), args.runs)
            flag = "" if cpu < GOAL_SECONDS else f"  (goal: under {GOAL_SECONDS:.0f} s)"
            print(f"{size_name:>8}  {layout:<20} {wall:>7.2f}s {cpu:>7.2f}s {proposals:>9}{flag}")


if __name__ == "__main__":
    main()
