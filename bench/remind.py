"""`python -m bench.remind`: a reminder run over the benchmark data with 1,000 users.

Fills a fresh database with bench/generate.py's 96 500 milestones, adds 1,000 users
(coordinators of 1-3 States, viewers and admins who chose 5-10 States, a few watches), then
times `queue_reminders` (what `tracker remind --as-of DAY` does before delivery: work out
what is due, claim each notice's key, compose and queue one e-mail per user) on several
dates, counting the SQL statements it sends. A second run on the same day must queue
nothing. Delivery is not timed here (it is the SMTP server's speed).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

DEFAULT_URL = "sqlite:////tmp/nap-bench-remind.sqlite3"
DATES = (date(2012, 6, 1), date(2020, 1, 15), date(2025, 6, 30))


def prepare(url: str, scale: float, users: int) -> dict[str, Any]:
    """Migrate a fresh database, load the benchmark data and the users."""
    from alembic import command

    from bench.generate import Scale, load
    from tracker.db import make_engine
    from tracker.schema_changes import alembic_config

    if url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(url)
    counts = load(engine, Scale(milestones_per_state=round(500 * scale)))
    with engine.begin() as connection:
        _add_users(connection, users)
    engine.dispose()
    return counts


def _add_users(connection: Any, count: int) -> None:
    from tracker.models import Milestone, State, User, user_states
    from tracker.reminder_models import StateSubscription, Watch

    rng = random.Random(1540)
    codes = list(connection.scalars(select(State.code).order_by(State.code)))
    milestone_ids = list(connection.scalars(select(Milestone.id).limit(5000)))
    people, own, chosen, watches = [], [], [], []
    for n in range(1, count + 1):
        role = "coordinator" if n % 10 < 6 else ("viewer" if n % 10 < 9 else "admin")
        people.append(
            {"id": n, "email": f"user{n}@bench.example.org", "display_name": f"User {n}",
             "password_hash": "x", "role": role, "active": True, "session_generation": 0}
        )  # fmt: skip
        if role == "coordinator":
            own += [{"user_id": n, "state_code": c} for c in rng.sample(codes, rng.randint(1, 3))]
        else:
            picked = rng.sample(codes, rng.randint(5, 10))
            chosen += [{"user_id": n, "state_code": c, "subscribed": True} for c in picked]
        watches += [{"user_id": n, "milestone_id": m} for m in rng.sample(milestone_ids, 2)]
    connection.execute(insert(User), people)
    connection.execute(insert(user_states), own)
    connection.execute(insert(StateSubscription), chosen)
    connection.execute(insert(Watch), watches)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))"
        )


def run(url: str) -> list[dict[str, Any]]:
    """Time a reminder run (and a repeat) on each date; count its statements."""
    from config import TestConfig
    from tests.querycount import count_statements
    from tracker import create_app
    from tracker.reminder_mail import compose_notices
    from tracker.services.reminders import queue_reminders

    app = create_app(TestConfig(url), web=False, BASE_URL="https://nap.example.org")
    engine = app.extensions["tracker.engine"]
    results = []
    with app.app_context():
        for day in DATES:
            row: dict[str, Any] = {"as_of": day.isoformat()}
            for label in ("first", "repeat"):
                session = app.extensions["tracker.sessionmaker"]()
                with count_statements(engine) as statements:
                    started = time.perf_counter()
                    messages = queue_reminders(session, day, compose_notices)
                    session.commit()
                    seconds = time.perf_counter() - started
                row[label] = {
                    "seconds": round(seconds, 2),
                    "emails": len(messages),
                    "statements": len(statements),
                }
                session.close()
            results.append(row)
    engine.dispose()
    return results


def main() -> None:
    """Generate, run, print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.remind", description=__doc__)
    parser.add_argument("--url", default=DEFAULT_URL, help="an empty database's URL")
    parser.add_argument("--scale", type=float, default=1.0, help="x 500 milestones per State")
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--skip-load", action="store_true", help="reuse the database as it is")
    args = parser.parse_args()
    if not args.skip_load:
        started = time.perf_counter()
        counts = prepare(args.url, args.scale, args.users)
        print(f"loaded {counts['milestones']} milestones, {args.users} users "
              f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    print(f"{'as of':<12}{'run':<8}{'seconds':>9}{'e-mails':>9}{'statements':>12}")
    for row in run(args.url):
        for label in ("first", "repeat"):
            r = row[label]
            cells = (r["seconds"], r["emails"], r["statements"])
            print(f"{row['as_of']:<12}{label:<8}{cells[0]:>9}{cells[1]:>9}{cells[2]:>12}")


if __name__ == "__main__":
    main()
