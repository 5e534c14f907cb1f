"""Reports and timelines as files: text for the terminal, CSV, XLSX and iCalendar.

Each writer reads the typed items of `tracker.reports.items`; CSV and XLSX share one column
list. The JSON shape is the API's (`tracker.api.serializers`). Words are in the locale in
effect (a request's reader, or the CLI's --lang); English outside the application. A CSV
for an English reader keeps the stable field names and codes (scripts read it); for another
language it is a table for people: headings and labels in words.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import LazyString, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.dates import Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.export_text import calendar_text, csv_cell, sheet_row
from tracker.i18n import as_of_day
from tracker.labels import label
from tracker.messages import words
from tracker.models import utcnow
from tracker.reports.items import Report, ReportItem, Timeline
from tracker.rules import Flag

if TYPE_CHECKING:
    from icalendar import Event
    from openpyxl.worksheet.worksheet import Worksheet

# --- text ---------------------------------------------------------------------------------


def when_text(item: ReportItem) -> str:
    """How far off an item is, in words: 3 days overdue, due in 5 days, now."""
    if item.days_overdue is not None:
        return str(ngettext("%(num)d day overdue", "%(num)d days overdue", item.days_overdue))
    if item.days_until is not None:
        if item.days_until == 0:
            return str(_("now"))
        if item.deadline:
            return str(ngettext("due in %(num)d day", "due in %(num)d days", item.days_until))
        return str(ngettext("starts in %(num)d day", "starts in %(num)d days", item.days_until))
    return ""


def _english() -> bool:
    return str(get_locale() or "en") == "en"


def table_header() -> tuple[str, ...]:
    """The terminal table's headings (the English ones are the historical capitals)."""
    return (_("ID"), _("DUE"), _("STATES"), _("STATUS"), _("WHEN"), _("TITLE"))


def _row(item: ReportItem) -> tuple[str, ...]:
    due, states = item.due.text, ",".join(item.states)
    status = item.status.value if _english() else label(item.status)
    return (str(item.id), due, states, status, when_text(item), item.title)


def _table(items: Sequence[ReportItem]) -> list[str]:
    rows = [_row(item) for item in items]
    header = table_header()
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(5)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join([*(row[k].ljust(widths[k]) for k in range(5)), row[5]]).rstrip()

    lines = [line(header)]
    for item, row in zip(items, rows, strict=True):
        lines.append(line(row))
        lines.extend(f"{'':>{widths[0]}}  ! {words(warning)}" for warning in item.warnings)
    return lines


def report_text(report: Report) -> str:
    """A readable table for the terminal."""
    scope = ", ".join(report.states) or _("all States")
    out = [
        ngettext(
            "Deadline report as of %(day)s (%(scope)s; upcoming = within %(num)d day)",
            "Deadline report as of %(day)s (%(scope)s; upcoming = within %(num)d days)",
            report.within_days,
            day=as_of_day(report.as_of),
            scope=scope,
        ),
        "",
    ]
    for title, items in ((_("OVERDUE"), report.overdue), (_("UPCOMING"), report.upcoming)):
        out.append(f"{title} ({len(items)})")
        out.extend(_table(items) if items else ["  " + _("none")])
        out.append("")
    return "\n".join(out)


def _marks() -> dict[str, str]:
    marks = {"overdue": _("OVERDUE"), "upcoming": _("UPCOMING")}
    width = max(len(m) for m in marks.values())
    return {flag: mark.ljust(width) for flag, mark in marks.items()}


def timeline_text(data: Timeline) -> str:
    """A State's timeline for the terminal."""
    heading = _(
        "Timeline of %(name)s (%(code)s) as of %(day)s",
        name=data.name,
        code=data.state,
        day=as_of_day(data.as_of),
    )
    out, marks = [heading, ""], _marks()
    blank = " " * len(marks["overdue"])
    for item in data.milestones:
        mark = marks[item.flag.value] if item.flag else blank
        status = item.status.value if _english() else label(item.status)
        out.append(f"{mark}  #{item.id:<4} {item.due.text:<28} {status:<11} {item.title}")
    return "\n".join(out)


# --- spreadsheets: one column list for CSV and XLSX ---------------------------------------

Cell = str | int | date | None


@dataclass(frozen=True, slots=True)
class Column:
    """A spreadsheet column: its CSV field name, its heading (in the reader's language), its
    value, and the vocabulary that words a coded value for people."""

    field: str
    heading: LazyString
    value: Callable[[ReportItem], Cell]
    vocabulary: type[StrEnum] | None = None


def _joined(parts: Sequence[str]) -> str:
    return " | ".join(parts)


COLUMNS: tuple[Column, ...] = (
    Column("flag", _l("Flag"), lambda i: i.flag.value if i.flag else None, Flag),
    Column("id", _l("ID"), lambda i: i.id),
    Column("title", _l("Title"), lambda i: i.title),
    Column("kind", _l("Kind"), lambda i: i.kind.value, MilestoneKind),
    Column("states", _l("States"), lambda i: " ".join(i.states)),
    Column("status", _l("Status"), lambda i: i.status.value, MilestoneStatus),
    Column("due_text", _l("Due (as written)"), lambda i: i.due.text),
    Column("due_start", _l("Window start"), lambda i: i.due.start),
    Column("due_end", _l("Window end"), lambda i: i.due.end),
    Column("precision", _l("Precision"), lambda i: i.due.precision.value, Precision),
    Column("days_overdue", _l("Days overdue"), lambda i: i.days_overdue),
    Column("days_until", _l("Days until"), lambda i: i.days_until),
    Column("venue", _l("Venue"), lambda i: i.venue),
    Column(
        "sources", _l("Sources"), lambda i: _joined([f"{s.label}: {s.quote}" for s in i.sources])
    ),
    Column("warnings", _l("Warnings"), lambda i: _joined([words(w) for w in i.warnings])),
)
CSV_FIELDS = [c.field for c in COLUMNS]
XLSX_HEADER = [c.heading for c in COLUMNS]


def _cells(item: ReportItem, worded: bool = False) -> list[Cell]:
    """The item's cells; `worded`: coded values (kind, status...) as the reader's words."""
    cells = [column.value(item) for column in COLUMNS]
    if not worded:
        return cells
    return [
        label(cell, column.vocabulary) if column.vocabulary and isinstance(cell, str) else cell
        for column, cell in zip(COLUMNS, cells, strict=True)
    ]


def report_csv(report: Report) -> str:
    """CSV that opens in Excel (UTF-8 with a byte-order mark, CRLF line ends): field names
    and codes in English, headings and labels in words in another language."""
    worded = not _english()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(c.heading) for c in COLUMNS] if worded else CSV_FIELDS)
    for item in [*report.overdue, *report.upcoming]:
        # Text cells neutralised (a spreadsheet never runs them as formulas); dates are
        # written YYYY-MM-DD, an absent number as an empty cell.
        cells = _cells(item, worded)
        writer.writerow(csv_cell(v) if isinstance(v, str) else v for v in cells)
    return "\ufeff" + buffer.getvalue()


def report_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: a title row with the date and filters, then a table."""
    from openpyxl import Workbook  # imported here: it is slow to import and rarely needed

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Deadlines")
    scope = ", ".join(report.states) or _("all States")
    sheet.append(
        [
            ngettext(
                "Deadline report as of %(day)s (%(scope)s; upcoming within %(num)d day)",
                "Deadline report as of %(day)s (%(scope)s; upcoming within %(num)d days)",
                report.within_days,
                day=report.as_of.isoformat(),
                scope=scope,
            )
        ]
    )
    sheet.append([str(heading) for heading in XLSX_HEADER])
    for item in [*report.overdue, *report.upcoming]:
        _xlsx_row(sheet, _cells(item, not _english()))
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_row(sheet: Worksheet, values: list[Cell]) -> None:
    sheet_row(sheet, values)


# --- iCalendar ----------------------------------------------------------------------------


def report_ics(report: Report, stamp: datetime | None = None) -> bytes:
    """RFC 5545 calendar of the report: one all-day event spanning each window."""
    name = _("NAP deadlines as of %(day)s", day=report.as_of.isoformat())
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
    summary = _summary(item)
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


def _summary(item: ReportItem) -> str:
    """[overdue] due by 2015-12-31: Title (planned), in the reader's language."""
    status = label(item.status)
    if item.deadline:
        text = _(
            "due by %(day)s: %(title)s (%(status)s)",
            day=item.key_day.isoformat(),
            title=item.title,
            status=status,
        )
    else:
        text = _("%(title)s (%(status)s)", title=item.title, status=status)
    return f"[{label(item.flag)}] {text}" if item.flag else str(text)


def _ics_description(item: ReportItem) -> str:
    precision = item.due.precision.value if _english() else label(item.due.precision)
    status = item.status.value if _english() else label(item.status)
    lines = [
        _("Due: %(due)s (%(precision)s)", due=item.due.text, precision=precision),
        _("States: %(states)s", states=", ".join(item.states)),
        _("Status: %(status)s", status=status),
    ]
    lines += [
        _('Source %(source)s: "%(quote)s"', source=s.label, quote=s.quote) for s in item.sources
    ]
    lines += [_("Warning: %(warning)s", warning=words(w)) for w in item.warnings]
    return "\n".join(lines)
