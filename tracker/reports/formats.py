"""Reports and timelines as files: text for the terminal, CSV, XLSX and iCalendar.

Each writer reads the typed items of `tracker.reports.items`; CSV and XLSX share one column
list. The JSON shape is the API's (`tracker.api.serializers`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from tracker.export_text import calendar_text, csv_cell, sheet_row
from tracker.models import utcnow
from tracker.reports.items import Report, ReportItem, Timeline

if TYPE_CHECKING:
    from icalendar import Event
    from openpyxl.worksheet.worksheet import Worksheet

# --- text ---------------------------------------------------------------------------------


def _when(item: ReportItem) -> str:
    if item.days_overdue is not None:
        return f"{item.days_overdue} days overdue"
    if item.days_until is not None:
        which = "due" if item.deadline else "starts"
        return "now" if item.days_until == 0 else f"{which} in {item.days_until} days"
    return ""


TABLE_HEADER = ("ID", "DUE", "STATES", "STATUS", "WHEN", "TITLE")


def _row(item: ReportItem) -> tuple[str, ...]:
    due, states = item.due.text, ",".join(item.states)
    return (str(item.id), due, states, item.status.value, _when(item), item.title)


def _table(items: Sequence[ReportItem]) -> list[str]:
    rows = [_row(item) for item in items]
    widths = [max(len(row[k]) for row in [TABLE_HEADER, *rows]) for k in range(5)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([*(row[k].ljust(widths[k]) for k in range(5)), row[5]]).rstrip()

    lines = [line(TABLE_HEADER)]
    for item, row in zip(items, rows, strict=True):
        lines.append(line(row))
        lines.extend(f"{'':>{widths[0]}}  ! {warning}" for warning in item.warnings)
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


_MARKS = {"overdue": "OVERDUE ", "upcoming": "UPCOMING"}


def timeline_text(data: Timeline) -> str:
    """A State's timeline for the terminal."""
    out = [f"Timeline of {data.name} ({data.state}) as of {data.as_of.isoformat()}", ""]
    for item in data.milestones:
        mark = _MARKS[item.flag.value] if item.flag else "        "
        out.append(
            f"{mark}  #{item.id:<4} {item.due.text:<28} {item.status.value:<11} {item.title}"
        )
    return "\n".join(out)


# --- spreadsheets: one column list for CSV and XLSX ---------------------------------------

Cell = str | int | date | None


@dataclass(frozen=True, slots=True)
class Column:
    """A spreadsheet column: its CSV field name, its XLSX heading, and its value."""

    field: str
    heading: str
    value: Callable[[ReportItem], Cell]


def _joined(parts: Sequence[str]) -> str:
    return " | ".join(parts)


COLUMNS: tuple[Column, ...] = (
    Column("flag", "Flag", lambda i: i.flag.value if i.flag else None),
    Column("id", "ID", lambda i: i.id),
    Column("title", "Title", lambda i: i.title),
    Column("kind", "Kind", lambda i: i.kind.value),
    Column("states", "States", lambda i: " ".join(i.states)),
    Column("status", "Status", lambda i: i.status.value),
    Column("due_text", "Due (as written)", lambda i: i.due.text),
    Column("due_start", "Window start", lambda i: i.due.start),
    Column("due_end", "Window end", lambda i: i.due.end),
    Column("precision", "Precision", lambda i: i.due.precision.value),
    Column("days_overdue", "Days overdue", lambda i: i.days_overdue),
    Column("days_until", "Days until", lambda i: i.days_until),
    Column("venue", "Venue", lambda i: i.venue),
    Column("sources", "Sources", lambda i: _joined([f"{s.label}: {s.quote}" for s in i.sources])),
    Column("warnings", "Warnings", lambda i: _joined(i.warnings)),
)
CSV_FIELDS = [c.field for c in COLUMNS]
XLSX_HEADER = [c.heading for c in COLUMNS]


def _cells(item: ReportItem) -> list[Cell]:
    return [column.value(item) for column in COLUMNS]


def report_csv(report: Report) -> str:
    """CSV that opens in Excel (UTF-8 with a byte-order mark, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_FIELDS)
    for item in [*report.overdue, *report.upcoming]:
        # Text cells neutralised (a spreadsheet never runs them as formulas); dates are
        # written YYYY-MM-DD, an absent number as an empty cell.
        writer.writerow(csv_cell(v) if isinstance(v, str) else v for v in _cells(item))
    return "\ufeff" + buffer.getvalue()


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
        _xlsx_row(sheet, _cells(item))
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(sheet: Worksheet, values: list[Cell]) -> None:
    sheet_row(sheet, values)


# --- iCalendar ----------------------------------------------------------------------------


def report_ics(report: Report, stamp: datetime | None = None) -> bytes:
    """RFC 5545 calendar of the report: one all-day event spanning each window."""
    name = f"NAP deadlines as of {report.as_of.isoformat()}"
    return items_ics([*report.overdue, *report.upcoming], name, stamp=stamp)


def items_ics(
    items: Sequence[ReportItem],
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


def _event(item: ReportItem, stamp: datetime, link: Callable[[int], str] | None) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"milestone-{item.id}@nap-tracker")
    event.add("dtstamp", stamp)
    flag_text = f"[{item.flag.value}] " if item.flag else ""
    due_by = f"due by {item.key_day.isoformat()}: " if item.deadline else ""
    summary = f"{flag_text}{due_by}{item.title} ({item.status.value.replace('_', ' ')})"
    event.add("summary", calendar_text(summary))
    # A deadline is one day, its due day, not a quarter-long banner; a meeting spans its
    # window. DTEND of an all-day event is exclusive: the day after the last day.
    event.add("dtstart", item.key_day if item.deadline else item.due.start)
    event.add("dtend", item.due.end + timedelta(days=1))
    event.add("description", calendar_text(_ics_description(item)))
    if item.venue:
        event.add("location", calendar_text(item.venue))
    if link is not None:
        event.add("url", link(item.id))
    return event


def _ics_description(item: ReportItem) -> str:
    lines = [
        f"Due: {item.due.text} ({item.due.precision.value})",
        f"States: {', '.join(item.states)}",
        f"Status: {item.status.value}",
    ]
    lines += [f'Source {s.label}: "{s.quote}"' for s in item.sources]
    lines += [f"Warning: {w}" for w in item.warnings]
    return "\n".join(lines)
