"""Timelines, deadline reports and the dashboard, as of a date.

Modules: items (the typed read models and the queries that build them) and formats (text,
CSV, XLSX and iCalendar). The JSON shape is the API's, in `tracker.api.serializers`.
"""

from __future__ import annotations

from tracker.reports.formats import (
    COLUMNS,
    CSV_FIELDS,
    XLSX_HEADER,
    items_ics,
    report_csv,
    report_ics,
    report_text,
    report_xlsx,
    timeline_text,
)
from tracker.reports.items import (
    DEFAULT_WITHIN_DAYS,
    MAX_PAGE,
    MAX_WITHIN_DAYS,
    Across,
    Report,
    ReportItem,
    ReportPage,
    StateSummary,
    Timeline,
    build_report,
    dashboard,
    facts_item,
    flagged_items,
    milestone_item,
    milestone_warnings,
    report_page,
    timeline,
)

__all__ = [
    "COLUMNS",
    "CSV_FIELDS",
    "DEFAULT_WITHIN_DAYS",
    "MAX_PAGE",
    "MAX_WITHIN_DAYS",
    "XLSX_HEADER",
    "Across",
    "Report",
    "ReportItem",
    "ReportPage",
    "StateSummary",
    "Timeline",
    "build_report",
    "dashboard",
    "facts_item",
    "flagged_items",
    "items_ics",
    "milestone_item",
    "milestone_warnings",
    "report_csv",
    "report_ics",
    "report_page",
    "report_text",
    "report_xlsx",
    "timeline",
    "timeline_text",
]
