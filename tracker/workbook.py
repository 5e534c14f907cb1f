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

from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tracker import reports, services
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.export_text import sheet_row
from tracker.labels import label
from tracker.messages import words
from tracker.rules import Flag
from tracker.services.summaries import done_dates

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "d mmm yyyy"
# Every word of the workbook is in the reader's language (the request's locale; English
# outside a request). The labels are lazy: worded when a workbook is written.
PRECISION_LABELS = {
    "day": _l("to the day"),
    "month": _l("to the month"),
    "quarter": _l("to the quarter"),
    "half_year": _l("to the half-year"),
    "year": _l("to the year"),
    "period": _l("a period"),
}
FLAG_LABELS = {"overdue": _l("Overdue"), "upcoming": _l("Upcoming")}
# Heading, width in characters, and whether the column holds dates.
COLUMNS: tuple[tuple[LazyString, int, bool], ...] = (
    (_l("Flag"), 10, False),
    (_l("ID"), 7, False),
    (_l("Milestone"), 48, False),
    (_l("Kind"), 18, False),
    (_l("States"), 28, False),
    (_l("Status"), 12, False),
    (_l("Due (as written)"), 24, False),
    (_l("Precision"), 14, False),
    (_l("From"), 12, True),
    (_l("To"), 12, True),
    (_l("Days overdue"), 9, False),
    (_l("Days until"), 9, False),
    (_l("Venue"), 24, False),
    (_l("Source quotes"), 70, False),
    (_l("Data warnings"), 40, False),
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
            str(FLAG_LABELS.get(item.flag.value if item.flag else "", "")),
            item.id,
            item.title,
            _word(label(item.kind)),
            ", ".join(names.get(code, code) for code in item.states),
            _word(label(item.status)),
            due.text,
            str(PRECISION_LABELS.get(due.precision.value, label(due.precision))),
            due.start,
            due.end,
            item.days_overdue,
            item.days_until,
            item.venue,
            sources,
            "\n".join(words(w) for w in item.warnings),
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
    scope = ", ".join(names.get(c, c) for c in report.states) or _("all States")
    title = ngettext(
        "as of %(day)s (%(scope)s; upcoming within %(num)d day)",
        "as of %(day)s (%(scope)s; upcoming within %(num)d days)",
        report.within_days,
        day=reports_day(report.as_of),
        scope=scope,
    )
    _table(book.create_sheet(_("Overdue")), overdue)
    _table(book.create_sheet(_("Upcoming")), upcoming)
    needs_review = [r for r in overdue + upcoming if r.has_warnings]
    _table(book.create_sheet(_("Needs review")), needs_review)
    codes = list(report.states) or sorted(names)
    for code in codes:
        sheet = book.create_sheet(_("Summary %(code)s", code=code))
        _summary(sheet, session, code, names, report)
    book.properties.title = _("NAP deadline report %(title)s", title=title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reports_day(day: date) -> str:
    """1 March 2016."""
    return f"{day.day} {day:%B %Y}"


def _table(sheet: Worksheet, rows: Sequence[WorkbookRow]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([str(heading) for heading, _width, _date in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for row in rows:
        _append(sheet, row.values)
    for index, (_heading, width, is_date) in enumerate(COLUMNS, start=1):
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
    _append(
        sheet,
        [
            ngettext(
                "as of %(day)s: %(num)d milestone",
                "as of %(day)s: %(num)d milestones",
                len(items),
                day=reports_day(report.as_of),
            )
        ],
    )
    sheet["A1"].font = Font(bold=True, size=13)
    _append(sheet, [])
    statuses = Counter(i.status for i in items)
    kinds = Counter(i.kind for i in items)
    headings = (_("Status"), _("Kind"), _("On-time rate"))
    _block(sheet, headings[0], [(_word(label(s)), statuses[s]) for s in MilestoneStatus])
    _block(sheet, headings[1], [(_word(label(k)), kinds[k]) for k in MilestoneKind])
    _append(sheet, [_("Overdue now"), overdue])
    _append(sheet, [_("Done by the last day of their window"), on_time])
    _append(sheet, [_("Done later than that"), len(done) - on_time])
    rate = on_time / (len(done) + overdue) if done or overdue else None
    _append(sheet, [headings[2], rate if rate is not None else _("no milestone due yet")])
    sheet.cell(sheet.max_row, 2).number_format = "0%"
    _append(sheet, [_("(done on time / (done + overdue now))")])
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in headings:
            row[0].font = bold
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14


def _block(sheet: Worksheet, heading: str, rows: list[tuple[str, int]]) -> None:
    from openpyxl.styles import Font

    _append(sheet, [heading, _("Milestones")])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for name, count in rows:
        _append(sheet, [name, count])
    _append(sheet, [])
