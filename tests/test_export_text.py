"""The rules that make stored text safe for spreadsheets and calendars, and the writers that
use them, without a database."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tracker import reports
from tracker.dates import DueWindow, Precision
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.export_text import calendar_text, csv_cell, looks_like_formula, printable
from tracker.rules import Flag


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised_in_csv(start: str) -> None:
    assert looks_like_formula(f"{start}1+2")
    assert csv_cell(f"{start}1+2") == f"'{start}1+2"


@pytest.mark.parametrize("text", ["Peer review", "2018", "", "a=b", "Минск", "'quoted"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert csv_cell(text) == text and printable(text) == text and calendar_text(text) == text


def test_unprintable_characters_are_replaced_visibly() -> None:
    assert printable("a\x00b\x01c\x0bd\x1be\x7ff\ufffeg") == "a�b�c�d�e�f�g"
    assert printable("tab\tlf\ncr\r") == "tab\tlf\ncr\r"  # what every format can carry
    assert csv_cell("\x01=1") == "\ufffd=1"


def test_calendar_text_has_no_bare_cr() -> None:
    assert calendar_text("a\rb\r\nc\nd\x02") == "a\nb\nc\nd\ufffd"


def _item(title: str, days_overdue: int) -> reports.ReportItem:
    return reports.ReportItem(
        id=7,
        ref=None,
        title=title,
        kind=MilestoneKind.NATIONAL_REPORT,
        states=("TJK",),
        host=None,
        status=MilestoneStatus.PLANNED,
        due=DueWindow(date(2015, 12, 31), date(2015, 12, 31), Precision.DAY, "-"),
        deadline=True,
        key_day=date(2015, 12, 31),
        venue="@home",
        flag=Flag.OVERDUE,
        sources=(),
        warnings=(),
        days_overdue=days_overdue,
    )


def test_numbers_stay_numbers_and_text_that_looks_like_one_stays_text() -> None:
    """A negative number written as a number is a number, not neutralised; the text "-5" is."""
    report = reports.Report(date(2016, 3, 1), 90, (), (_item("-5", -5),), ())
    row = next(csv.DictReader(io.StringIO(reports.report_csv(report).lstrip("\ufeff"))))
    assert row["title"] == "'-5" and row["days_overdue"] == "-5" and row["venue"] == "'@home"
    sheet = load_workbook(io.BytesIO(reports.report_xlsx(report))).active
    assert sheet is not None
    title, days = sheet.cell(3, 3), sheet.cell(3, 11)
    assert (title.value, title.data_type, title.quotePrefix) == ("-5", "s", True)
    assert (days.value, days.data_type) == (-5, "n")
    assert sheet.cell(3, 7).value == "-" and sheet.cell(3, 7).data_type == "s"
