"""`python -m bench.search`: full-text search over the benchmark data (193 States x 500).

Generates the data (bench/generate.py) into a SQLite file, and into a PostgreSQL database
`nap_bench_search` when TRACKER_TEST_POSTGRES_URL names a server (dropped at the end unless
--keep; --skip-load reuses both, and --pg-database names another, e.g. one's own), then
times each query in process through the search service (median of --runs), with the query
that a person would type: a rare word, common words, a phrase, a filter, a city, a typo'd
operator. Goal: under 50 ms each. Prints a table and writes bench/search-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.run import HERE, _admin_sql, fresh, machine, prepare

GOAL_MS = 50.0
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("rare word (one milestone)", "4242", {}),
    ("common word", "export", {}),
    ("two common words", "export licensing", {}),
    ("phrase", '"nuclear inventory"', {}),
    ("city", "Dushanbe", {}),
    ("common word, one State", "customs", {"states": ["TJK"]}),
    ("common word, kind and status", "training", {"kinds": ["workshop"], "statuses": ["done"]}),
    ("stray operators", 'NEAR(export "review', {}),
    # Dates are not in the index: every match's milestone is checked against them.
    ("common word, due in one year", "export", {"due": ("2020-01-01", "2020-12-31")}),
    ("common word, one State, dates", "customs", {"states": ["TJK"], "due": ("2020-01-01", "")}),
]


def measure(url: str, runs: int) -> dict[str, Any]:
    """Median milliseconds and result count of each query."""
    from sqlalchemy.orm import Session

    from tracker.db import make_engine
    from tracker.enums import MilestoneKind, MilestoneStatus
    from tracker.searchtext import parse_search
    from tracker.services.search import SearchFilters, search

    engine = make_engine(url)
    out: dict[str, Any] = {}
    with Session(engine) as session:
        for name, text, raw in QUERIES:
            filters = SearchFilters(
                states=raw.get("states", ()),
                kinds=[MilestoneKind(k) for k in raw.get("kinds", ())],
                statuses=[MilestoneStatus(s) for s in raw.get("statuses", ())],
                due_from=_day(raw.get("due", ("", ""))[0]),
                due_to=_day(raw.get("due", ("", ""))[1]),
            )
            words = parse_search("q", text)
            search(session, words, filters)  # warm: the first run reads pages from disk
            times, count = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                count = len(search(session, words, filters))
                times.append((time.perf_counter() - started) * 1000)
                session.expire_all()
            out[name] = {"query": text, "ms": round(statistics.median(times), 1), "results": count}
    engine.dispose()
    return out


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def main() -> None:
    """Generate (unless --skip-load), measure, print and write the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="x 500 milestones per State")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--skip-load", action="store_true", help="reuse the SQLite file and PostgreSQL database"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--pg-database", default="nap_bench_search")
    parser.add_argument("--sqlite", default="/tmp/nap-bench-search.sqlite3")
    parser.add_argument("--out", default=str(HERE / "search-results.json"))
    args = parser.parse_args()
    urls = {"sqlite": f"sqlite:///{args.sqlite}"}
    server = os.environ.get("TRACKER_TEST_POSTGRES_URL", "").strip()
    if server:
        from sqlalchemy import make_url

        from config import normalise_url

        base = make_url(normalise_url(server)).set(database=args.pg_database)
        urls["postgresql"] = base.render_as_string(False)
    load = round(os.getloadavg()[0], 2)
    results: dict[str, Any] = {"machine": machine(), "scale": args.scale, "backends": {}}
    for backend, url in urls.items():
        entry: dict[str, Any] = {}
        drop = f'DROP DATABASE IF EXISTS "{args.pg_database}" WITH (FORCE)'
        if backend == "postgresql" and not args.skip_load:
            _admin_sql(url, drop)
            _admin_sql(url, f'CREATE DATABASE "{args.pg_database}"')
        if not args.skip_load:
            if backend == "sqlite":
                fresh(backend, url)
            print(f"[{backend}] generating ...", flush=True)
            entry.update(prepare(url, args.scale))
        print(f"[{backend}] searching ...", flush=True)
        entry["queries"] = measure(url, args.runs)
        results["backends"][backend] = entry
        if backend == "postgresql" and not args.keep:
            _admin_sql(url, drop)
    # The machine is shared: the load average (1 min) at the start and at the end.
    results["machine"]["load"] = [load, round(os.getloadavg()[0], 2)]
    print(table(results))
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


def table(results: dict[str, Any]) -> str:
    """The figures as a text table, one row per query and a column per backend."""
    backends = list(results["backends"])
    lines = [f"{'search (median ms, results)':<34}" + "".join(f"{b:>20}" for b in backends)]
    for name, _query, _filters in QUERIES:
        cells = []
        for b in backends:
            q = results["backends"][b]["queries"][name]
            mark = "" if q["ms"] < GOAL_MS else " !"
            cells.append(f"{q['ms']:>9} ms {q['results']:>4}{mark:<2}")
        lines.append(f"{name:<34}" + "".join(f"{c:>20}" for c in cells))
    lines.append(f"goal: every query under {GOAL_MS:.0f} ms ('!' marks a miss)")
    for b in backends:
        seconds = results["backends"][b].get("generate_s")
        if seconds is not None:
            lines.append(f"{b}: data generated (with the search index) in {seconds} s")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
