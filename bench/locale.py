"""`python -m bench.locale`: what the Russian interface costs beside the English one (issue 12).

Each page of `bench.run.page_paths()` (dashboard, timeline, milestone, report) is rendered with
the page cache off (the first request after a write), as an English and as a Russian reader
(Accept-Language), the two alternated within each round so that the machine's drift falls on
both; medians of --runs rounds. Goal: a Russian page within 10% of its English twin. Reuses
the benchmark's SQLite file when it exists (`python -m bench` makes it), else generates one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.run import HERE, fresh, machine, page_paths, prepare

GOAL = 1.10
READERS = {"en": "en-GB,en;q=0.9", "ru": "ru-RU,ru;q=0.9"}


def measure(url: str, runs: int) -> dict[str, Any]:
    """Median milliseconds per page and language, and the Russian/English ratio."""
    from config import Config
    from tracker import create_app

    app = create_app(Config(require_secret=False), DATABASE_URL=url, PAGE_CACHE_MB=0)
    client = app.test_client()
    out: dict[str, Any] = {}
    for name, path in page_paths().items():
        times: dict[str, list[float]] = {lang: [] for lang in READERS}
        sizes: dict[str, int] = {}
        for lang, header in READERS.items():  # warm both: imports, catalogues, disk pages
            response = client.get(path, headers={"Accept-Language": header})
            assert response.status_code == 200, (path, lang)
            assert f'<html lang="{lang}"' in response.get_data(as_text=True), (path, lang)
            sizes[lang] = len(response.data)
        for _ in range(runs):
            for lang, header in READERS.items():
                started = time.perf_counter()
                client.get(path, headers={"Accept-Language": header})
                times[lang].append((time.perf_counter() - started) * 1000)
        en, ru = (statistics.median(times[lang]) for lang in ("en", "ru"))
        out[name] = {
            "path": path,
            "en_ms": round(en, 1),
            "ru_ms": round(ru, 1),
            "ratio": round(ru / en, 3),
            "en_kb": round(sizes["en"] / 1024, 1),
            "ru_kb": round(sizes["ru"] / 1024, 1),
        }
    app.extensions["tracker.engine"].dispose()
    return out


def main() -> None:
    """Generate (unless the file exists), measure, print and write the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.locale", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="x 500 milestones per State")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sqlite", default="/tmp/nap-bench.sqlite3")
    parser.add_argument("--out", default=str(HERE / "locale-results.json"))
    args = parser.parse_args()
    url = f"sqlite:///{args.sqlite}"
    results: dict[str, Any] = {"machine": machine(), "scale": args.scale}
    if not Path(args.sqlite).exists():
        fresh("sqlite", url)
        print("[sqlite] generating ...", flush=True)
        results.update(prepare(url, args.scale))
    print("[sqlite] rendering each page in English and in Russian ...", flush=True)
    results["pages"] = measure(url, args.runs)
    print(f"{'page (uncached, median ms)':<28}{'English':>10}{'Russian':>10}{'ratio':>8}  goal")
    for name, row in results["pages"].items():
        verdict = "ok" if row["ratio"] <= GOAL else "over"
        print(
            f"{name:<28}{row['en_ms']:>10}{row['ru_ms']:>10}{row['ratio']:>8}  <= {GOAL} {verdict}"
        )
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
