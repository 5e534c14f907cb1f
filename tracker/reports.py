"""Timelines and deadline reports: what is overdue and upcoming as of a date, in every format."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tracker import services
from tracker.dates import DateParseError, DueWindow, parse_window
from tracker.enums import MilestoneKind
from tracker.export_text import calendar_text, csv_cell, looks_like_formula, printable
from tracker.inputs import MAX_WITHIN_DAYS as MAX_WITHIN_DAYS
from tracker.models import Milestone, State, utcnow
from tracker.rules import (
    DatedSource,
    Flag,
    data_warnings,
    days_overdue,
    days_until,
    flag,
    is_deadline,
    key_day,
    status_as_of,
)
from tracker.services.milestones import MilestoneFacts, Source, done_by_state, next_by_state

if TYPE_CHECKING:
    from icalendar import Event
    from openpyxl.worksheet.worksheet import Worksheet

DEFAULT_WITHIN_DAYS = 90


def milestone_warnings(milestone: Milestone) -> list[str]:
    """Data-quality warnings for a milestone, including dates its sources disagree on."""
    return _warnings(milestone.kind, milestone.due_window, _sources(milestone))


def _warnings(kind: MilestoneKind, window: DueWindow, sources: Sequence[Source]) -> list[str]:
    others = []
    for source in sources:
        if source.date_text:
            parsed = _source_window(source.date_text)
            if parsed is not None:  # an unreadable one was refused when it was stored
                others.append(DatedSource(source.note, parsed))
    return data_warnings(kind, window, others)


@lru_cache(maxsize=4096)
def _source_window(date_text: str) -> DueWindow | None:
    """A citation's date, parsed once per process (a report may hold thousands of them)."""
    try:
        return parse_window(date_text)
    except DateParseError:
        return None


def _sources(milestone: Milestone) -> list[Source]:
    return [Source(c.note.slug, c.quote, c.date_text) for c in milestone.citations]


def milestone_item(milestone: Milestone, as_of: date, within_days: int) -> dict[str, Any]:
    """A milestone as the report and timeline JSON show it, with its status as of the date."""
    facts = MilestoneFacts(
        id=milestone.id,
        ref=milestone.ref,
        title=milestone.title,
        kind=milestone.kind,
        states=milestone.state_codes,
        host=milestone.host_state_code,
        status=status_as_of(milestone.history, as_of),
        window=milestone.due_window,
        venue=milestone.venue,
        sources=_sources(milestone),
    )
    return facts_item(facts, as_of, within_days)


def facts_item(facts: MilestoneFacts, as_of: date, within_days: int) -> dict[str, Any]:
    """The item of a milestone whose status as of the date the query worked out."""
    window = facts.window
    item_flag = flag(window, facts.status, as_of, within_days, facts.kind)
    item: dict[str, Any] = {
        "id": facts.id,
        "ref": facts.ref,
        "title": facts.title,
        "kind": facts.kind.value,
        "states": facts.states,
        "host": facts.host,
        "status": facts.status.value,
        "due": {
            "start": window.start.isoformat(),
            "end": window.end.isoformat(),
            "precision": window.precision.value,
            "text": window.text,
        },
        # A deadline is due by its window's last day; a meeting happens from its first.
        "deadline": is_deadline(facts.kind),
        "key_day": key_day(facts.kind, window).isoformat(),
        "venue": facts.venue,
        "flag": item_flag.value if item_flag else None,
        "sources": [{"note": s.note, "quote": s.quote} for s in facts.sources],
        "warnings": _warnings(facts.kind, window, facts.sources),
    }
    if item_flag is Flag.OVERDUE:
        item["days_overdue"] = days_overdue(window, as_of)
    elif item_flag is Flag.UPCOMING:
        item["days_until"] = days_until(window, as_of, facts.kind)
    return item


@dataclass(frozen=True)
class Report:
    """Overdue and upcoming milestones as of a date."""

    as_of: date
    within_days: int
    states: tuple[str, ...]
    overdue: list[dict[str, Any]]
    upcoming: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        """The report's JSON shape."""
        return {
            "as_of": self.as_of.isoformat(),
            "within_days": self.within_days,
            "states": list(self.states),
            "overdue": self.overdue,
            "upcoming": self.upcoming,
        }


def build_report(
    session: Session,
    as_of: date,
    within_days: int = DEFAULT_WITHIN_DAYS,
    states: Sequence[str] = (),
) -> Report:
    """Overdue (longest overdue first) and upcoming (soonest first) milestones as of a date."""
    codes = services.resolve_states(session, states)
    return _report(flagged_items(session, as_of, within_days, codes), as_of, within_days, codes)


def _horizon(as_of: date, within_days: int) -> date:
    if within_days < 0 or within_days > MAX_WITHIN_DAYS:
        raise services.ServiceError("within", within_days, f"must be 0 to {MAX_WITHIN_DAYS} days")
    return as_of + timedelta(days=within_days)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector while a report builds its many small objects.

    Every 700 new containers start a collection, and the objects a report keeps alive make
    each one longer: over a third of building a 4 000-item report went to collections that
    found nothing to free (none of these objects form cycles; reference counting frees them).
    Mercurial's `util.nogc` does the same for the same reason. Nested or concurrent uses only
    re-enable the collector if it was enabled on entry.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def flagged_items(
    session: Session, as_of: date, within_days: int, codes: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Items for every milestone overdue or upcoming as of the date, in date order."""
    horizon = _horizon(as_of, within_days)
    with _collector_paused():
        candidates = services.report_candidates(session, as_of, horizon, codes)
        return [facts_item(facts, as_of, within_days) for facts in candidates]


def _report(
    items: list[dict[str, Any]], as_of: date, within_days: int, codes: tuple[str, ...]
) -> Report:
    overdue = [i for i in items if i["flag"] == Flag.OVERDUE]
    overdue.sort(key=lambda i: (-i["days_overdue"], i["id"]))
    upcoming = [i for i in items if i["flag"] == Flag.UPCOMING]
    upcoming.sort(key=lambda i: (i["key_day"], i["id"]))  # soonest due day or first day first
    return Report(as_of, within_days, codes, overdue, upcoming)


def timeline(
    session: Session, code: str, as_of: date, within_days: int = DEFAULT_WITHIN_DAYS
) -> dict[str, Any]:
    """Every milestone of a State in date order, flagged as of the date."""
    with _collector_paused():
        state, milestones = services.state_milestones(session, code, as_of)
        return {
            "state": state.code,
            "name": state.name,
            "as_of": as_of.isoformat(),
            "within_days": within_days,
            "milestones": [facts_item(m, as_of, within_days) for m in milestones],
        }


# --- formats ------------------------------------------------------------------------------


def _when(item: dict[str, Any]) -> str:
    if "days_overdue" in item:
        return f"{item['days_overdue']} days overdue"
    if "days_until" in item:
        which = "due" if item["deadline"] else "starts"
        return "now" if item["days_until"] == 0 else f"{which} in {item['days_until']} days"
    return ""


TABLE_HEADER = ("ID", "DUE", "STATES", "STATUS", "WHEN", "TITLE")


def _row(item: dict[str, Any]) -> tuple[str, ...]:
    due, states = item["due"]["text"], ",".join(item["states"])
    return (str(item["id"]), due, states, item["status"], _when(item), item["title"])


def _table(items: list[dict[str, Any]]) -> list[str]:
    rows = [_row(item) for item in items]
    widths = [max(len(row[k]) for row in [TABLE_HEADER, *rows]) for k in range(5)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([*(row[k].ljust(widths[k]) for k in range(5)), row[5]]).rstrip()

    lines = [line(TABLE_HEADER)]
    for item, row in zip(items, rows, strict=True):
        lines.append(line(row))
        lines.extend(f"{'':>{widths[0]}}  ! {warning}" for warning in item["warnings"])
    return lines


def report_text(report: Report) -> str:
    """A readable table for the terminal."""
    scope = ", ".join(report.states) or "all States"
    out = [
        f"Deadline report as of {report.as_of.isoformat()} ({scope}; "
        f"upcoming = within {report.within_days} days)",
        "",
    ]
    for title, items in (("OVERDUE", report.overdue), ("UPCOMING", report.upcoming)):
        out.append(f"{title} ({len(items)})")
        out.extend(_table(items) if items else ["  none"])
        out.append("")
    return "\n".join(out)


def timeline_text(data: dict[str, Any]) -> str:
    """A State's timeline for the terminal."""
    out = [f"Timeline of {data['name']} ({data['state']}) as of {data['as_of']}", ""]
    for item in data["milestones"]:
        mark = {"overdue": "OVERDUE ", "upcoming": "UPCOMING"}.get(item["flag"] or "", "        ")
        out.append(
            f"{mark}  #{item['id']:<4} {item['due']['text']:<28} "
            f"{item['status']:<11} {item['title']}"
        )
    return "\n".join(out)


CSV_FIELDS = [
    "flag",
    "id",
    "title",
    "kind",
    "states",
    "status",
    "due_text",
    "due_start",
    "due_end",
    "precision",
    "days_overdue",
    "days_until",
    "venue",
    "sources",
    "warnings",
]


def report_csv(report: Report) -> str:
    """CSV that opens in Excel (UTF-8 with a byte-order mark, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS)
    writer.writeheader()
    for item in [*report.overdue, *report.upcoming]:
        _write_row(
            writer,
            {
                "flag": item["flag"],
                "id": item["id"],
                "title": item["title"],
                "kind": item["kind"],
                "states": " ".join(item["states"]),
                "status": item["status"],
                "due_text": item["due"]["text"],
                "due_start": item["due"]["start"],
                "due_end": item["due"]["end"],
                "precision": item["due"]["precision"],
                "days_overdue": item.get("days_overdue", ""),
                "days_until": item.get("days_until", ""),
                "venue": item["venue"],
                "sources": " | ".join(f"{s['note']}: {s['quote']}" for s in item["sources"]),
                "warnings": " | ".join(item["warnings"]),
            },
        )
    return "\ufeff" + buffer.getvalue()


def _write_row(writer: csv.DictWriter[str], row: dict[str, Any]) -> None:
    """Write text cells neutralised (a spreadsheet never runs them as formulas), numbers as is."""
    writer.writerow({k: csv_cell(v) if isinstance(v, str) else v for k, v in row.items()})


def report_ics(report: Report, stamp: datetime | None = None) -> bytes:
    """RFC 5545 calendar of the report: one all-day event spanning each window."""
    name = f"NAP deadlines as of {report.as_of.isoformat()}"
    return items_ics([*report.overdue, *report.upcoming], name, stamp=stamp)


def items_ics(
    items: Sequence[dict[str, Any]],
    name: str,
    *,
    link: Callable[[int], str] | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """RFC 5545 calendar: one all-day event per milestone, status in the summary."""
    from icalendar import Calendar  # imported here: most commands never write a calendar

    calendar = Calendar()
    calendar.add("prodid", "-//NAP tracker//UNSCR 1540 deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", calendar_text(name))
    for item in items:
        calendar.add_component(_event(item, stamp or utcnow(), link))
    ics: bytes = calendar.to_ical()
    return ics


def _event(item: dict[str, Any], stamp: datetime, link: Callable[[int], str] | None) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"milestone-{item['id']}@nap-tracker")
    event.add("dtstamp", stamp)
    flag_text = f"[{item['flag']}] " if item["flag"] else ""
    due_by = f"due by {item['key_day']}: " if item["deadline"] else ""
    summary = f"{flag_text}{due_by}{item['title']} ({item['status'].replace('_', ' ')})"
    event.add("summary", calendar_text(summary))
    # A deadline is one day, its due day, not a quarter-long banner; a meeting spans its
    # window. DTEND of an all-day event is exclusive: the day after the last day.
    first = date.fromisoformat(item["key_day"] if item["deadline"] else item["due"]["start"])
    event.add("dtstart", first)
    event.add("dtend", date.fromisoformat(item["due"]["end"]) + timedelta(days=1))
    event.add("description", calendar_text(_ics_description(item)))
    if item["venue"]:
        event.add("location", calendar_text(item["venue"]))
    if link is not None:
        event.add("url", link(item["id"]))
    return event


def _ics_description(item: dict[str, Any]) -> str:
    lines = [
        f"Due: {item['due']['text']} ({item['due']['precision']})",
        f"States: {', '.join(item['states'])}",
        f"Status: {item['status']}",
    ]
    lines += [f'Source {s["note"]}: "{s["quote"]}"' for s in item["sources"]]
    lines += [f"Warning: {w}" for w in item["warnings"]]
    return "\n".join(lines)


def report_json(report: Report) -> str:
    """The report as indented JSON."""
    return json.dumps(report.as_json(), indent=2, ensure_ascii=False)


XLSX_HEADER = [
    "Flag",
    "ID",
    "Title",
    "Kind",
    "States",
    "Status",
    "Due (as written)",
    "Window start",
    "Window end",
    "Precision",
    "Days overdue",
    "Days until",
    "Venue",
    "Sources",
    "Warnings",
]


def report_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: a title row with the date and filters, then a table."""
    from openpyxl import Workbook  # imported here: it is slow to import and rarely needed

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Deadlines"
    scope = ", ".join(report.states) or "all States"
    sheet.append(
        [
            f"Deadline report as of {report.as_of.isoformat()} ({scope}; "
            f"upcoming within {report.within_days} days)"
        ]
    )
    sheet.append(XLSX_HEADER)
    for item in [*report.overdue, *report.upcoming]:
        due = item["due"]
        _xlsx_row(
            sheet,
            [
                item["flag"],
                item["id"],
                item["title"],
                item["kind"],
                " ".join(item["states"]),
                item["status"],
                due["text"],
                date.fromisoformat(due["start"]),
                date.fromisoformat(due["end"]),
                due["precision"],
                item.get("days_overdue"),
                item.get("days_until"),
                item["venue"],
                " | ".join(f"{s['note']}: {s['quote']}" for s in item["sources"]),
                " | ".join(item["warnings"]),
            ],
        )
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(sheet: Worksheet, values: list[Any]) -> None:
    """Append a row whose text is always text: never a formula, never a character the file
    format refuses (openpyxl would raise IllegalCharacterError on it)."""
    sheet.append([printable(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and looks_like_formula(cell.value):
            cell.data_type = "s"  # openpyxl made it a formula ("=..."): store it as a string
            cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


@dataclass(frozen=True)
class StateSummary:
    """One State's card on the dashboard."""

    code: str
    name: str
    plans: list[tuple[str, str, str | None]]
    overdue: int
    upcoming: int
    done: int
    next_deadlines: list[dict[str, Any]]


def dashboard(
    session: Session, as_of: date, within_days: int = DEFAULT_WITHIN_DAYS
) -> tuple[list[StateSummary], Report]:
    """Per-State counts and next deadlines, and the report across all States."""
    states = services.list_states(session)
    items = flagged_items(session, as_of, within_days)
    done = done_by_state(session, as_of, _horizon(as_of, within_days))
    with _collector_paused():
        following = {
            code: [facts_item(f, as_of, within_days) for f in facts]
            for code, facts in next_by_state(session, as_of).items()
        }
    by_state: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        for code in item["states"]:
            by_state.setdefault(code, []).append(item)
    summaries = [
        _summary(s, by_state.get(s.code, []), done.get(s.code, 0), following.get(s.code, []))
        for s in states
    ]
    return summaries, _report(items, as_of, within_days, ())


def _summary(
    state: State, mine: list[dict[str, Any]], done: int, following: list[dict[str, Any]]
) -> StateSummary:
    return StateSummary(
        code=state.code,
        name=state.name,
        plans=[(p.title, p.status.value, p.period) for p in state.plans],
        overdue=sum(1 for i in mine if i["flag"] == Flag.OVERDUE),
        upcoming=sum(1 for i in mine if i["flag"] == Flag.UPCOMING),
        done=done,
        # The next three, however far: the horizon only decides what is called upcoming.
        next_deadlines=following,
    )
