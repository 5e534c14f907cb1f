"""`python -m bench.measures`: plans' measures at scale.

1. A plan of 500 measures and 60 responsible bodies: the statements its page (/plans/<id>)
   and its API document send, which must not grow with the number of measures.
2. Progress as of a date for 193 States' plans (100 measures each, a third done, some with
   a longer history): the dashboard's one statement (`services.measures.state_counts`),
   timed (target: under 1 s).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

DEFAULT_URL = "sqlite:////tmp/nap-bench-measures.sqlite3"
NOW = datetime(2020, 1, 1, tzinfo=UTC)


def _fresh(url: str) -> Any:
    from alembic import command

    from tracker.db import make_engine
    from tracker.schema_changes import alembic_config

    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    command.upgrade(alembic_config(url), "head")
    return make_engine(url)


def load(engine: Any, states: int, measures: int, bodies: int, first_big: int) -> None:
    """States, one 2015-2016 plan each, bodies and measures with history (bulk inserts)."""
    from tracker.enums import MeasureArea
    from tracker.models import (
        ActionPlan,
        Milestone,
        ResponsibleBody,
        State,
        StatusChange,
        measure_bodies,
        milestone_states,
    )

    rng = random.Random(1540)
    areas = list(MeasureArea)
    rows: dict[str, list[dict[str, Any]]] = {k: [] for k in ("s", "p", "b", "m", "ms", "mb", "h")}
    milestone_id = body_id = 0
    for n in range(states):
        code = f"{chr(65 + n // 676)}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}"
        rows["s"].append({"code": code, "name": f"State {code}"})
        rows["p"].append(
            {
                "id": n + 1, "state_code": code, "title": f"NAP of {code}", "period_start": 2015,
                "period_end": 2016, "status": "implementing",
            }
        )  # fmt: skip
        count, body_count = (first_big, bodies) if n == 0 else (measures, 8)
        first_body = body_id + 1
        for _ in range(body_count):
            body_id += 1
            rows["b"].append(
                {"id": body_id, "state_code": code, "name_en": f"Body {body_id}", "name_ru": "",
                 "aliases": ""}
            )  # fmt: skip
        for number in range(1, count + 1):
            milestone_id += 1
            quarter = rng.randrange(8)
            year, q = 2015 + quarter // 4, quarter % 4 + 1
            end = date(year, q * 3, 30 if q in (2, 3) else 31)
            done = rng.random() < 0.35
            rows["m"].append(
                {
                    "id": milestone_id, "kind": "measure", "title": f"Measure {number}",
                    "description": "", "due_start": date(year, q * 3 - 2, 1), "due_end": end,
                    "due_precision": "quarter", "due_text": f"Q{q} {year}", "venue": "",
                    "organisers": "", "responsible_agency": "", "plan_id": n + 1,
                    "status": "done" if done else "planned", "version": 1,
                    "created_at": NOW, "updated_at": NOW, "measure_number": str(number),
                    "measure_area": rng.choice(areas).value, "operative_paragraphs": "",
                    "permanent": False, "status_since": end if done else None,
                }
            )  # fmt: skip
            rows["ms"].append({"milestone_id": milestone_id, "state_code": code})
            for b in rng.sample(range(first_body, body_id + 1), 2):
                rows["mb"].append({"milestone_id": milestone_id, "body_id": b})
            if done:
                rows["h"] += [
                    {"milestone_id": milestone_id, "old_status": "planned",
                     "new_status": "in_progress", "effective_on": date(2015, 1, 1),
                     "recorded_at": NOW, "recorded_by_label": "bench", "comment": ""},
                    {"milestone_id": milestone_id, "old_status": "in_progress",
                     "new_status": "done", "effective_on": end, "recorded_at": NOW,
                     "recorded_by_label": "bench", "comment": ""},
                ]  # fmt: skip
    with engine.begin() as connection:
        for key, table in (
            ("s", State.__table__), ("p", ActionPlan.__table__), ("b", ResponsibleBody.__table__),
            ("m", Milestone.__table__), ("ms", milestone_states), ("mb", measure_bodies),
            ("h", StatusChange.__table__),
        ):  # fmt: skip
            connection.execute(insert(table), rows[key])


def statements_of(app: Any, path: str) -> int:
    """SQL statements one GET of the path sends."""
    from tests.querycount import count_statements

    client = app.test_client()
    with count_statements(app.extensions["tracker.engine"]) as sent:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(sent)


def main() -> None:
    """Load, measure, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--states", type=int, default=193)
    parser.add_argument("--measures", type=int, default=100, help="per plan (but the first)")
    args = parser.parse_args()

    from config import TestConfig
    from tracker import create_app
    from tracker.models import ActionPlan
    from tracker.services.measures import state_counts

    engine = _fresh(args.url)
    load(engine, args.states, args.measures, bodies=60, first_big=500)
    engine.dispose()
    app = create_app(TestConfig(args.url))
    figures: dict[str, Any] = {}
    with app.app_context():
        for path in ("/plans/1?as_of=2016-06-30", "/api/v1/plans/1?as_of=2016-06-30",
                     "/plans/2?as_of=2016-06-30"):  # fmt: skip
            figures[f"statements {path}"] = statements_of(app, path)
        session = app.extensions["tracker.sessionmaker"]()
        plans = list(session.scalars(select(ActionPlan).order_by(ActionPlan.id)))
        started = time.perf_counter()
        counts = state_counts(session, date(2016, 6, 30), date(2016, 9, 30), plans)
        figures["dashboard counts, 193 plans (s)"] = round(time.perf_counter() - started, 3)
        figures["plans"] = len(counts.cards)
        done = sum(c.done for c in counts.cards.values())
        figures["measures done of all"] = f"{done} of {sum(c.total for c in counts.cards.values())}"
        session.close()
    for name, value in figures.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
