"""The deadline report and a State's timeline as A4 PDF documents (pure; no Flask, no database).

Written with fpdf2 (pure Python, installs from PyPI alone) in DejaVu Sans, shipped in
``tracker/data/fonts`` so that Russian quotes print on any machine. Every page has a running
footer "page N of M"; table headings repeat on each page and a row is never split across
pages; a short section starts on a new page rather than being cut in two. The State's PDF
draws the same SVG timeline as its web page.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode

from tracker import i18n
from tracker.labels import label
from tracker.messages import words
from tracker.reports.formats import when_text
from tracker.timeline_svg import PlanBand, render_timeline

if TYPE_CHECKING:
    from tracker.reports.items import Report, ReportItem, Timeline

FONTS = Path(__file__).resolve().parent / "data" / "fonts"
FAMILY = "DejaVu"
_SVG_FONT = re.compile(r'font-family="[^"]*"')
_SVG_TOOLTIPS = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)
# Columns of an item table: heading and relative width (A4 portrait, 190 mm of text).
# Headings in the reader's language (worded when a document is made), widths in mm.
_COLUMNS = (
    (_l("Due (as written)"), 17),
    (_l("Status"), 11),
    (_l("When"), 12),
    (_l("Milestone"), 28),
)
_SOURCE_COLUMN = (_l("Source"), 32)
QUOTE_LIMIT = 300  # characters of a quote printed; the note itself has the rest
# fpdf2 logs a warning for each SVG element it leaves out (the hatch patterns of open items,
# the links): expected here, and not a message for whoever runs `tracker report`.
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)


@dataclass(frozen=True)
class PlanChart:
    """A plan's progress as the PDF prints it: a heading, the figures as of the date in words,
    and the chart the plan's page draws (tracker.progress_svg)."""

    heading: str
    figures: str
    svg: str


@dataclass(frozen=True)
class PdfLine:
    """What a table row prints of a report or timeline item."""

    id: int
    due: str
    status: str
    flag: str
    when: str
    title: str
    venue: str
    states: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]


def pdf_line(item: ReportItem) -> PdfLine:
    """Read one report item (the only place that knows the item's shape)."""
    return PdfLine(
        id=item.id,
        due=item.due.text,
        status=label(item.status),
        flag=label(item.flag) if item.flag else "",
        when=when_text(item),
        title=item.title,
        venue=item.venue,
        states=item.states,
        sources=tuple((s.label, s.quote) for s in item.sources),
        warnings=tuple(words(w) for w in item.warnings),
    )


def long_date(day: date) -> str:
    """1 March 2016, 1 марта 2016 г.: in the reader's language, as the pages write it."""
    return i18n.long_date(day)


class _Document(FPDF):
    """A4 portrait with a running footer: what the document is, and page N of M."""

    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(FAMILY, "I", str(FONTS / "DejaVuSans-Oblique.ttf"))
        self.set_margins(10, 12, 10)
        self.set_auto_page_break(True, margin=16)
        self.set_font(FAMILY, size=9)
        self.set_title(running_title)
        self.set_creator("NAP tracker")

    def footer(self) -> None:
        """The running title on the left, page N of M on the right."""
        self.set_y(-12)
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(80, 85, 96)
        self.cell(0, 5, self.running_title, align="L")
        self.set_x(self.l_margin)
        self.cell(
            0, 5, _("page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}"), align="R"
        )
        self.set_text_color(0, 0, 0)


def _title_block(pdf: _Document, title: str, facts: Sequence[tuple[str, str]]) -> None:
    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=9)
    for name, value in facts:
        pdf.set_font(FAMILY, "B", 9)
        pdf.cell(34, 5, name)
        pdf.set_font(FAMILY, size=9)
        pdf.multi_cell(0, 5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _heading(pdf: _Document, text: str, size: float) -> None:
    pdf.set_font(FAMILY, "B", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, size=8)
    pdf.ln(1)


def _source_text(line: PdfLine) -> str:
    parts = []
    for note, quote in line.sources:
        shown = quote if len(quote) <= QUOTE_LIMIT else quote[: QUOTE_LIMIT - 1] + "\u2026"
        parts.append(f"{note}: \u201c{shown}\u201d")
    return "\n".join(parts) or _("no source cited")


def _milestone_text(line: PdfLine, show_states: bool) -> str:
    text = f"#{line.id} {line.title}"
    if line.venue:
        text += f"\n{line.venue}"
    if show_states and line.states:
        text += "\n" + _("States: %(states)s", states=", ".join(line.states))
    text += "".join(f"\n! {warning}" for warning in line.warnings)
    return text


def _table(pdf: _Document, lines: Sequence[PdfLine], *, show_states: bool) -> None:
    """One row per item; headings repeat on every page and rows are never split."""
    columns = (*_COLUMNS, _SOURCE_COLUMN)
    pdf.set_font(FAMILY, size=7.5)
    with pdf.table(
        col_widths=tuple(width for _heading, width in columns),
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 229, 234)),
        cell_fill_color=(246, 247, 249),
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=3.6,
        text_align="LEFT",
        padding=1,
    ) as table:
        table.row([str(heading) for heading, _width in columns])
        for line in lines:
            when = line.when or line.flag
            table.row(
                [
                    line.due,
                    line.status,
                    when,
                    _milestone_text(line, show_states),
                    _source_text(line),
                ]
            )
    pdf.set_font(FAMILY, size=9)
    pdf.ln(2)


def _section(pdf: _Document, heading: str, lists: Sequence[tuple[str, list[PdfLine]]]) -> None:
    """A heading and its tables, moved whole to a new page when it would otherwise be cut and
    fits on one page; a longer one starts on a new page only if its first rows would not fit."""
    with pdf.offset_rendering() as trial:
        _section_body(pdf, heading, lists)
    if trial.page_break_triggered and pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()
    _section_body(pdf, heading, lists)


def _section_body(pdf: _Document, heading: str, lists: Sequence[tuple[str, list[PdfLine]]]) -> None:
    _heading(pdf, heading, 13)
    for title, lines in lists:
        _heading(pdf, f"{title} ({len(lines)})", 10.5)
        if lines:
            _table(pdf, lines, show_states=True)
        else:
            pdf.cell(0, 5, _("none"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)


def _finish(pdf: _Document, produced: datetime | None) -> bytes:
    if produced is not None:
        pdf.set_creation_date(produced)
    return bytes(pdf.output())


def report_pdf(
    report: Report,
    state_names: Mapping[str, str],
    revision: str | None,
    *,
    produced: datetime | None = None,
) -> bytes:
    """The deadline report (a reports.Report) as A4 PDF: a section per State when several."""
    as_of: date = report.as_of
    overdue = [pdf_line(i) for i in report.overdue]
    upcoming = [pdf_line(i) for i in report.upcoming]
    codes = list(report.states) or sorted({c for line in overdue + upcoming for c in line.states})
    pdf = _Document(_("NAP deadline report as of %(day)s", day=long_date(as_of)))
    pdf.add_page()
    scope = ", ".join(f"{state_names.get(c, c)} ({c})" for c in report.states)
    _title_block(
        pdf,
        _("Deadline report: UNSCR 1540 National Action Plans"),
        [
            (_("As of"), long_date(as_of)),
            (_("States"), scope or _("all States")),
            (_("Upcoming"), _within(report.within_days)),
            (_("Data revision"), revision or _("unknown")),
            (
                _("Items"),
                _(
                    "%(overdue)s overdue, %(upcoming)s upcoming",
                    overdue=len(overdue),
                    upcoming=len(upcoming),
                ),
            ),
        ],
    )
    if not codes:
        pdf.cell(0, 6, _("Nothing is overdue or upcoming."), new_x="LMARGIN", new_y="NEXT")
    for code in codes:
        mine = [
            (_("Overdue"), [line for line in overdue if code in line.states]),
            (_("Upcoming"), [line for line in upcoming if code in line.states]),
        ]
        _section(pdf, f"{state_names.get(code, code)} ({code})", mine)
    return _finish(pdf, produced)


def timeline_pdf(
    data: Timeline,
    items: Sequence[ReportItem],
    plans: Sequence[PlanBand],
    revision: str | None,
    *,
    filters: str = "",
    produced: datetime | None = None,
    charts: Sequence[PlanChart] = (),
) -> bytes:
    """A State's timeline (reports.timeline data, the items shown) as A4 PDF with its drawing,
    and the progress chart of each of its plans that has measures."""
    as_of = data.as_of
    name = f"{data.name} ({data.state})"
    pdf = _Document(_("Timeline of %(name)s as of %(day)s", name=name, day=long_date(as_of)))
    pdf.add_page()
    _title_block(
        pdf,
        _("Timeline of %(name)s", name=name),
        [
            (_("As of"), long_date(as_of)),
            (_("Filters"), filters or _("none: every milestone")),
            (_("Upcoming"), _within(data.within_days)),
            (_("Data revision"), revision or _("unknown")),
            (_("Milestones"), str(len(items))),
        ],
    )
    if items:
        _drawing(pdf, render_timeline(items, as_of, plans, width=960, id_prefix="pdf"))
    for chart in charts:
        _progress(pdf, chart)
    lines = [pdf_line(i) for i in items]
    _section(pdf, _("Milestones"), [(_("In date order"), lines)])
    return _finish(pdf, produced)


def _progress(pdf: _Document, chart: PlanChart) -> None:
    """A plan's heading, its figures, and its chart at the size the page draws it."""
    if pdf.get_y() + 70 > pdf.h - pdf.b_margin:  # heading, figures and chart on one page
        pdf.add_page()
    _heading(pdf, chart.heading, 11.5)
    pdf.set_font(FAMILY, size=8.5)
    pdf.multi_cell(0, 4.2, chart.figures, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    view = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', chart.svg)
    width = min(pdf.epw, float(view.group(1)) * 0.35) if view else pdf.epw / 2
    _drawing(pdf, chart.svg, width)
    pdf.set_font(FAMILY, "I", 7.5)  # the legend, as the plan's page words it
    pdf.multi_cell(
        0,
        3.6,
        _(
            "Done (dark green), open (light blue) and overdue (red) at the end of each quarter, "
            "as shares of the measures not cancelled."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    pdf.set_font(FAMILY, size=9)


def _within(days: int) -> str:
    words: str = ngettext(
        "starting or due within %(num)d day", "starting or due within %(num)d days", days
    )
    return words


def _drawing(pdf: _Document, svg: str, width: float | None = None) -> None:
    """The SVG across the page width, or the width given (shrunk to fit one page if it is
    taller)."""
    svg = _SVG_TOOLTIPS.sub("", svg)  # hover tooltips: nothing to show on paper
    svg = _SVG_FONT.sub(f'font-family="{FAMILY}"', svg)
    width = width or pdf.epw
    view = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg)
    ratio = float(view.group(2)) / float(view.group(1)) if view else 0.5
    room = pdf.h - pdf.b_margin - pdf.t_margin - 2
    if width * ratio > room:
        width = room / ratio
    if pdf.get_y() + width * ratio > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    pdf.image(io.BytesIO(svg.encode("utf-8")), x=pdf.l_margin, y=top, w=width)
    pdf.set_y(top + width * ratio + 4)
