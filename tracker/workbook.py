"""The deadline report as an Excel workbook a coordinator can work in.

A sheet per section (overdue, upcoming, needs review) and a summary sheet per State; on
each table sheet a bold, frozen header with an auto-filter, sensible widths, labels in
words (never internal codes), the window's first and last days as real dates beside the
date as written and its precision, and each item's source quotes. Report items are read
in one adapter (`workbook_row`), so that a typed item can replace the mapping later.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tracker import reports, services
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.export_text import sheet_row
from tracker.rules import Flag
from tracker.services.summaries import done_dates

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "d mmm yyyy"
PRECISION_LABELS = {
    "day": "to the day",
    "month": "to the month",
    "quarter": "to the quarter",
    "half_year": "to the half-year",
    "year": "to the year",
    "period": "a period",
}
FLAG_LABELS = {"overdue": "Overdue", "upcoming": "Upcoming"}
# Heading, width in characters, and whether the column holds dates.
COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Flag", 10, False),
    ("ID", 7, False),
    ("Milestone", 48, False),
    ("Kind", 18, False),
    ("States", 28, False),
    ("Status", 12, False),
    ("Due (as written)", 24, False),
    ("Precision", 14, False),
    ("From", 12, True),
    ("To", 12, True),
    ("Days overdue", 9, False),
    ("Days until", 9, False),
    ("Venue", 24, False),
    ("Source quotes", 70, False),
    ("Data warnings", 40, False),
)


@dataclass(frozen=True)
class WorkbookRow:
    """What a table row of the workbook shows of a report item."""

    values: list[Any]
    has_warnings: bool


def _word(text: str) -> str:
    return text[:1].upper() + text[1:]


def workbook_row(item: reports.ReportItem, names: Mapping[str, str]) -> WorkbookRow:
    """Read one report item (the only place that knows the item's shape)."""
    due = item.due
    sources = "\n".join(f"{s.label}: \u201c{s.quote}\u201d" for s in item.sources)
    return WorkbookRow(
        [
            FLAG_LABELS.get(item.flag.value if item.flag else "", ""),
            item.id,
            item.title,
            _word(item.kind.label),
            ", ".join(names.get(code, code) for code in item.states),
            _word(item.status.label),
            due.text,
            PRECISION_LABELS.get(due.precision.value, due.precision.value),
            due.start,
            due.end,
            item.days_overdue,
            item.days_until,
            item.venue,
            sources,
            "\n".join(item.warnings),
        ],
        bool(item.warnings),
    )


def report_workbook(session: Session, report: reports.Report) -> bytes:
    """The workbook of a report: Overdue, Upcoming, Needs review, then a summary per State."""
    from openpyxl import Workbook  # slow to import, rarely needed

    names = {s.code: s.name for s in services.list_states(session)}
    overdue = [workbook_row(i, names) for i in report.overdue]
    upcoming = [workbook_row(i, names) for i in report.upcoming]
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    scope = ", ".join(names.get(c, c) for c in report.states) or "all States"
    title = (
        f"as of {reports_day(report.as_of)} ({scope}; upcoming within {report.within_days} days)"
    )
    _table(book.create_sheet("Overdue"), overdue)
    _table(book.create_sheet("Upcoming"), upcoming)
    _table(book.create_sheet("Needs review"), [r for r in overdue + upcoming if r.has_warnings])
    codes = list(report.states) or sorted(names)
    for code in codes:
        _summary(book.create_sheet(f"Summary {code}"), session, code, names, report)
    book.properties.title = f"NAP deadline report {title}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reports_day(day: date) -> str:
    """1 March 2016."""
    return f"{day.day} {day:%B %Y}"


def _table(sheet: Worksheet, rows: Sequence[WorkbookRow]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([heading for heading, _, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        _append(sheet, row.values)
    for index, (_, width, is_date) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if is_date:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = DATE_FORMAT
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, sheet.max_row)}"


def _append(sheet: Worksheet, values: list[Any]) -> None:
    sheet_row(sheet, values)


def _summary(
    sheet: Worksheet, session: Session, code: str, names: Mapping[str, str], report: Any
) -> None:
    """Counts by status and by kind as of the report's date, and the on-time rate."""
    from openpyxl.styles import Font

    data = reports.timeline(session, code, report.as_of, report.within_days)
    items = data.milestones
    finished = [i.id for i in items if i.status is MilestoneStatus.DONE]
    done = done_dates(session, finished, report.as_of)
    on_time = sum(1 for i in items if i.id in done and done[i.id] <= i.due.end)
    overdue = sum(1 for i in items if i.flag is Flag.OVERDUE)
    bold = Font(bold=True)
    _append(sheet, [f"{names.get(code, code)} ({code})"])
    _append(sheet, [f"as of {reports_day(report.as_of)}: {len(items)} milestones"])
    sheet["A1"].font = Font(bold=True, size=13)
    _append(sheet, [])
    statuses = Counter(i.status for i in items)
    kinds = Counter(i.kind for i in items)
    _block(sheet, "Status", [(_word(s.label), statuses[s]) for s in MilestoneStatus])
    _block(sheet, "Kind", [(_word(k.label), kinds[k]) for k in MilestoneKind])
    _append(sheet, ["Overdue now", overdue])
    _append(sheet, ["Done by the last day of their window", on_time])
    _append(sheet, ["Done later than that", len(done) - on_time])
    rate = on_time / (len(done) + overdue) if done or overdue else None
    _append(sheet, ["On-time rate", rate if rate is not None else "no milestone due yet"])
    sheet.cell(sheet.max_row, 2).number_format = "0%"
    _append(sheet, ["(done on time / (done + overdue now))"])
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in ("Status", "Kind", "On-time rate"):
            row[0].font = bold
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14


def _block(sheet: Worksheet, heading: str, rows: list[tuple[str, int]]) -> None:
    from openpyxl.styles import Font

    _append(sheet, [heading, "Milestones"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for label, count in rows:
        _append(sheet, [label, count])
    _append(sheet, [])
