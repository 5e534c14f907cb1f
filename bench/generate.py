"""Deterministic synthetic data at the scale the 1540 Committee works at: 193 States x 500.

This is test-data generation for the benchmark, not an application write path: it inserts
plain dicts with bulk ``insert()`` (executemany) straight into a migrated database, bypassing
the services on purpose (creating ~100 000 milestones through them would take many minutes).
It keeps the invariants the app relies on: the host is among the participants, due_end >=
due_start, each history is in effective order with legal transitions and old_status chained,
Milestone.status is the latest status, version = 1 + number of status changes, every citation
quote is verbatim in its note.
"""

from __future__ import annotations

import hashlib
import random
import time
from calendar import monthrange
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, Table, func, insert, select, text

from tracker.models import (
    ActionPlan,
    Citation,
    Milestone,
    SourceNote,
    State,
    StatusChange,
    milestone_states,
)

# The date the synthetic history was "recorded" up to: no status change is later than this.
DATA_DATE = date(2025, 6, 30)
FIRST_YEAR, LAST_YEAR = 2004, 2031
OPEN_PAST_SHARE = 0.03  # past milestones never closed: the realistic backlog of overdue items
REGIONAL_SHARE = 0.15  # milestones with 2-4 participating States (regional workshops)

_ISO3_TEXT = (
    "AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH "
    "BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP "
    "CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU "
    "GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ "
    "KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS "
    "MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN "
    "PNG PRY PER PHL POL PRT QAT KOR MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC "
    "SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN "
    "TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE"
)
ISO3 = _ISO3_TEXT.split()

KINDS = [
    ("drafting", 0.15),
    ("approval_deadline", 0.10),
    ("national_report", 0.15),
    ("review_meeting", 0.15),
    ("round_table", 0.10),
    ("workshop", 0.20),
    ("peer_review", 0.05),
    ("other", 0.10),
]
PRECISIONS = [
    ("day", 0.35),
    ("range", 0.15),
    ("month", 0.20),
    ("quarter", 0.10),
    ("year", 0.15),
    ("period", 0.05),
]
MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
CITIES = ["Vienna", "Geneva", "New York", "Minsk", "Dushanbe", "Almaty", "Bishkek", "Tashkent"]
_WORDS_TEXT = (
    "export control licensing border customs nuclear biological chemical enforcement "
    "legislation agency ministry committee dual-use inventory training assistance review"
)
WORDS = _WORDS_TEXT.split()


@dataclass(frozen=True)
class Scale:
    """How much to generate."""

    states: int = 193
    milestones_per_state: int = 500
    notes: int = 3000
    seed: int = 1540


def _pick(rng: random.Random, weighted: list[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def state_codes(count: int) -> list[str]:
    """Real ISO 3166-1 alpha-3 codes first, then synthetic ones (QAA, QAB, ...)."""
    codes = ISO3[:count]
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    synthetic = (f"Q{a}{b}" for a in letters for b in letters)
    while len(codes) < count:
        code = next(synthetic)
        if code not in codes:
            codes.append(code)
    return codes


def _window(rng: random.Random, precision: str) -> tuple[date, date, str, str]:
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    month = rng.randint(1, 12)
    last_day = monthrange(year, month)[1]
    if precision == "day":
        day = rng.randint(1, last_day)
        return (
            date(year, month, day),
            date(year, month, day),
            "day",
            f"{day} {MONTHS[month - 1]} {year}",
        )
    if precision == "range":
        day = rng.randint(1, last_day - 3)
        end = day + rng.randint(1, 3)
        text_ = f"{day}-{end} {MONTHS[month - 1]} {year}"
        return date(year, month, day), date(year, month, end), "day", text_
    if precision == "month":
        return (
            date(year, month, 1),
            date(year, month, last_day),
            "month",
            f"{MONTHS[month - 1]} {year}",
        )
    if precision == "quarter":
        q = rng.randint(1, 4)
        end_month = 3 * q
        start, end = (
            date(year, end_month - 2, 1),
            date(year, end_month, monthrange(year, end_month)[1]),
        )
        return start, end, "quarter", f"Q{q} {year}"
    if precision == "year":
        return date(year, 1, 1), date(year, 12, 31), "year", str(year)
    end_year = min(year + rng.randint(2, 4), LAST_YEAR + 4)
    return date(year, 1, 1), date(end_year, 12, 31), "period", f"{year}-{end_year}"


CLOSED_HISTORIES = [
    ["in_progress", "planned", "done"],
    ["in_progress", "planned", "in_progress", "done"],
    ["in_progress", "done", "in_progress", "done"],  # a meeting recorded as held that went on
    ["in_progress", "done", "in_progress", "planned", "done"],
]
OPEN_STEPS = ["in_progress", "planned", "in_progress", "planned", "in_progress"]


def _history(rng: random.Random, start: date, end: date) -> list[tuple[str, date]]:
    """3-5 legal status changes in effective order, none after DATA_DATE."""
    begun = start - timedelta(days=rng.randint(30, 400))
    if end < DATA_DATE and rng.random() > OPEN_PAST_SHARE:
        steps = list(rng.choice(CLOSED_HISTORIES))
        if rng.random() < 0.08:
            steps[-1] = "cancelled"
        last = min(end + timedelta(days=rng.randint(0, 90)), DATA_DATE)
    else:
        # Still open: changes between being planned and in progress, all in the past.
        steps = OPEN_STEPS[: rng.randint(3, 5)]
        last = start if start < DATA_DATE else DATA_DATE - timedelta(days=10)
    first = min(begun, last - timedelta(days=len(steps)))
    span = (last - first).days
    offsets = [*sorted(rng.sample(range(span), len(steps) - 1)), span]
    return [(status, first + timedelta(days=o)) for status, o in zip(steps, offsets, strict=True)]


def _note_text(rng: random.Random, n: int) -> tuple[str, list[str]]:
    sentences = [
        f"Item {n}.{k}: the {rng.choice(WORDS)} {rng.choice(WORDS)} of the "
        f"{rng.choice(WORDS)} {rng.choice(WORDS)} was discussed in {rng.choice(CITIES)}."
        for k in range(12)
    ]
    header = f"Information Note {n}\nEvent: synthetic meeting {n}.\n"
    return header + "\n".join(sentences) + "\n", sentences


def rows(scale: Scale) -> dict[str, list[dict[str, Any]]]:
    """Every row to insert, by table name, in foreign-key order."""
    rng = random.Random(scale.seed)
    now = datetime(2025, 7, 1, 12, tzinfo=UTC)
    codes = state_codes(scale.states)
    out: dict[str, list[dict[str, Any]]] = {
        "states": [{"code": c, "name": f"State {c}"} for c in codes],
        "action_plans": [],
        "source_notes": [],
        "milestones": [],
        "milestone_states": [],
        "citations": [],
        "status_changes": [],
    }
    plan_ids: dict[str, int] = {}
    for code in codes:
        first = len(out["action_plans"]) + 1
        out["action_plans"].append(_plan(first, code, 2009, 2014, "superseded", None))
        out["action_plans"].append(_plan(first + 1, code, 2015, 2025, "implementing", first))
        plan_ids[code] = first + 1
    notes: list[list[str]] = []
    for n in range(1, scale.notes + 1):
        body, sentences = _note_text(rng, n)
        notes.append(sentences)
        out["source_notes"].append(
            {
                "id": n,
                "slug": f"syn_{n:05d}",
                "title": f"Synthetic information note {n}",
                "kind": "information_note",
                "event": f"synthetic meeting {n}",
                "text": body,
                "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
                "created_at": now,
            }
        )
    milestone_id = citation_id = change_id = 0
    for code in codes:
        for _ in range(scale.milestones_per_state):
            milestone_id += 1
            precision = _pick(rng, PRECISIONS)
            start, end, stored_precision, due_text = _window(rng, precision)
            participants = {code}
            if rng.random() < REGIONAL_SHARE:
                participants.update(rng.sample(codes, rng.randint(1, 3)))
            host = rng.choice(sorted(participants)) if rng.random() < 0.5 else None
            history = _history(rng, start, end)
            out["milestones"].append(
                {
                    "id": milestone_id,
                    "ref": f"syn-{milestone_id}",
                    "kind": _pick(rng, KINDS),
                    "title": f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {milestone_id}",
                    "description": "",
                    "due_start": start,
                    "due_end": end,
                    "due_precision": stored_precision,
                    "due_text": due_text,
                    "venue": rng.choice(CITIES) if rng.random() < 0.6 else "",
                    "organisers": "UNODA",
                    "responsible_agency": "",
                    "host_state_code": host,
                    "plan_id": plan_ids[code] if rng.random() < 0.7 else None,
                    "status": history[-1][0],
                    "status_since": history[-1][1],
                    "version": 1 + len(history),
                    "created_at": now,
                    "updated_at": now,
                }
            )
            out["milestone_states"].extend(
                {"milestone_id": milestone_id, "state_code": c} for c in sorted(participants)
            )
            for _ in range(2):
                citation_id += 1
                note_id = rng.randint(1, scale.notes)
                date_text = due_text if rng.random() < 0.05 else ""
                if rng.random() < 0.01:
                    date_text = str(start.year + 1)  # a source that disagrees: a warning
                out["citations"].append(
                    {
                        "id": citation_id,
                        "milestone_id": milestone_id,
                        "plan_id": None,
                        "note_id": note_id,
                        "quote": rng.choice(notes[note_id - 1]),
                        "date_text": date_text,
                        "created_at": now,
                    }
                )
            old = None
            for status, effective_on in history:
                change_id += 1
                out["status_changes"].append(
                    {
                        "id": change_id,
                        "milestone_id": milestone_id,
                        "old_status": old,
                        "new_status": status,
                        "effective_on": effective_on,
                        "recorded_at": now,
                        "recorded_by_id": None,
                        "recorded_by_label": "bench",
                        "comment": "",
                        "citation_id": None,
                    }
                )
                old = status
    return out


def _plan(
    plan_id: int, code: str, start: int, end: int, status: str, supersedes: int | None
) -> dict[str, Any]:
    return {
        "id": plan_id,
        "ref": f"{code.lower()}-nap-{start}",
        "state_code": code,
        "title": f"National Action Plan {start}-{end}",
        "period_start": start,
        "period_end": end,
        "status": status,
        "supersedes_id": supersedes,
    }


TABLES: list[Table] = [
    State.__table__,  # type: ignore[list-item]
    ActionPlan.__table__,  # type: ignore[list-item]
    SourceNote.__table__,  # type: ignore[list-item]
    Milestone.__table__,  # type: ignore[list-item]
    milestone_states,
    Citation.__table__,  # type: ignore[list-item]
    StatusChange.__table__,  # type: ignore[list-item]
]


def _chunks(items: list[dict[str, Any]], size: int = 20_000) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def load(engine: Engine, scale: Scale = Scale()) -> dict[str, int]:
    """Fill an empty, migrated database; returns the row count per table."""
    data = rows(scale)
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(Milestone.__table__)):
            raise RuntimeError("the database already holds milestones; use an empty one")
        for table in TABLES:
            for chunk in _chunks(data[table.name]):
                connection.execute(insert(table), chunk)
        if engine.dialect.name == "postgresql":
            # Explicit ids were inserted: move the sequences past them for later inserts.
            for table in TABLES:
                if "id" in table.c:
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                            f"(SELECT max(id) FROM {table.name}))"
                        )
                    )
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return {table.name: len(data[table.name]) for table in TABLES}


def main() -> None:
    """Generate into TRACKER_DATABASE_URL (migrated, empty)."""
    import argparse

    from config import database_url
    from tracker.db import make_engine

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of 500 per State")
    args = parser.parse_args()
    engine = make_engine(database_url())
    started = time.perf_counter()
    counts = load(engine, Scale(milestones_per_state=round(500 * args.scale)))
    print(counts, f"{time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
