"""`python -m bench.measure_import`: importing a plan's measures table (issue 15).

A fresh database with one State, 60 responsible bodies and an empty 2015-2016 plan; then
`tracker import-measures`'s service (`measure_import.import_measures`) on N rows (default
500, two bodies each) and the commit, timed in CPU seconds of this process (`process_time`)
and wall seconds, with the SQL statements sent (as `tests/querycount.py` counts them).
A SQLite file is made afresh; a PostgreSQL database given by `--url` must be empty.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from bench.measures import _fresh
from tests.querycount import count_statements

DEFAULT_URL = "sqlite:////tmp/nap-bench-measure-import.sqlite3"


def rows(count: int, bodies: int) -> list[dict[str, str]]:
    """The table's rows: numbers 1..count, quarters of 2015-2016, two bodies each."""
    return [
        {
            "number": str(n),
            "text": f"Measure {n}: adopt the regulation on export control, part {n}",
            "time_frame": f"Q{n % 4 + 1} {2015 + n % 2}",
            "bodies": f"Body {n % bodies + 1}; Body {(n * 7) % bodies + 1}",
            "area": "legal basis" if n % 3 else "",
        }
        for n in range(1, count + 1)
    ]


def main() -> None:
    """Load, import once, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()

    from config import TestConfig
    from tracker import create_app
    from tracker.services.bodies import add_body
    from tracker.services.catalogue import add_plan, add_state
    from tracker.services.measure_import import import_measures

    _fresh(args.url).dispose()
    app = create_app(TestConfig(args.url))
    engine: Any = app.extensions["tracker.engine"]
    session = app.extensions["tracker.sessionmaker"]()
    add_state(session, "TJK", "Tajikistan")
    plan = add_plan(session, "TJK", "NAP 2015-2016", "implementing", "2015-2016", ref="tjk-nap")
    for n in range(1, 61):
        add_body(session, "TJK", f"Body {n}")
    session.commit()
    table = rows(args.rows, 60)
    with count_statements(engine) as sent:
        cpu, wall = time.process_time(), time.perf_counter()
        result = import_measures(session, plan, table, label="bench")
        session.commit()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert not result.problems and len(result.created) == args.rows, result.problems[:3]
    print(f"rows: {args.rows}")
    print(f"CPU s: {cpu:.2f} ({1000 * cpu / args.rows:.1f} ms per row)")
    print(f"wall s: {wall:.2f}")
    print(f"SQL statements: {len(sent)}")
    session.close()
    engine.dispose()


if __name__ == "__main__":
    main()
