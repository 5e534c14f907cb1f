"""Importing a plan's measures table (CSV or XLSX): every row checked, nothing saved unless
all rows are good. The CLI (`tracker import-measures`) uses it; a web upload can share it.

The header is `number,text,time_frame,bodies,area`; bodies are separated by ';' and matched
by English or Russian name or alias, never created; the area is a code or its label
("border and customs"). Duplicate numbers (in the file, or already in the plan) are refused;
a time frame outside the plan's period is a warning.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.enums import MeasureArea, MilestoneKind
from tracker.inputs import InputError
from tracker.models import TITLE_MAX, ActionPlan, Milestone, User
from tracker.rules import measure_period_warnings
from tracker.services.bodies import BodyIndex, is_permanent, list_bodies, plan_window
from tracker.services.common import ServiceError, clean_text, parse_due
from tracker.services.drafts import MilestoneDraft
from tracker.services.milestones import create_milestone

COLUMNS = ("number", "text", "time_frame", "bodies", "area")
MAX_ROWS = 5000
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class RowProblem:
    """Why one row (numbered as in the file, the header being row 1) cannot be imported."""

    row: int
    field: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"row {self.row}: {self.field} {shown!r} {self.message}"


@dataclass
class MeasureImport:
    """What an import found: the drafts, the problems, the warnings, and what was saved."""

    drafts: list[tuple[int, MilestoneDraft]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    created: list[Milestone] = field(default_factory=list)


class TableError(ServiceError):
    """The file as a whole cannot be read as a measures table."""


def read_table(name: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file, keyed by the header's (lower-cased) column names."""
    if len(data) > MAX_BYTES:
        raise TableError("file", name, "table_too_large", limit=MAX_BYTES)
    rows = _xlsx_rows(name, data) if name.lower().endswith(".xlsx") else _csv_rows(name, data)
    if not rows:
        raise TableError("file", name, "table_empty")
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise TableError("file", name, "table_columns", missing=", ".join(missing))
    if len(rows) - 1 > MAX_ROWS:
        raise TableError("file", name, "table_too_many_rows", limit=MAX_ROWS)
    return [
        {h: _cell(row[i]) if i < len(row) else "" for i, h in enumerate(header) if h in COLUMNS}
        for row in rows[1:]
    ]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 17.0 is the plan's "17"
    return str(value).strip()


def _csv_rows(name: str, data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("file", name, "table_not_utf8") from None
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]


def _xlsx_rows(name: str, data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # only an XLSX upload pays for importing it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        raise TableError("file", name, "table_not_xlsx") from None
    sheet = book.worksheets[0]
    rows: list[list[object]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return [r for r in rows if any(c not in (None, "") for c in r)]


_AREA_NAMES = {
    **{a.value: a for a in MeasureArea},
    **{a.label: a for a in MeasureArea},
    "border control": MeasureArea.BORDER_CUSTOMS,
    "customs": MeasureArea.BORDER_CUSTOMS,
    "physical protection": MeasureArea.PHYSICAL_PROTECTION,
    "financing": MeasureArea.FINANCING,
    "legal": MeasureArea.LEGAL_BASIS,
}


def read_area(text: str) -> MeasureArea | None:
    """The area a cell names, by code or label (None when it names none)."""
    return _AREA_NAMES.get(" ".join(text.lower().replace("_", " ").split())) or _AREA_NAMES.get(
        text.strip().lower()
    )


def check_rows(session: Session, plan: ActionPlan, rows: Iterable[dict[str, str]]) -> MeasureImport:
    """Every row as a measure draft, or the problems that stop it; nothing is written."""
    result = MeasureImport()
    index = BodyIndex(list_bodies(session, [plan.state_code]))
    taken = set(
        session.scalars(
            select(Milestone.measure_number).where(
                Milestone.plan_id == plan.id, Milestone.measure_number.is_not(None)
            )
        )
    )
    seen: dict[str, int] = {}
    for row_number, row in enumerate(rows, start=2):
        problems, draft = _check_row(plan, index, row_number, row)
        number = row.get("number", "").strip()
        if number and number in taken:
            problems.append(RowProblem(row_number, "number", number, "is already in the plan"))
        elif number and number in seen:
            problems.append(RowProblem(row_number, "number", number, f"repeats row {seen[number]}"))
        seen.setdefault(number, row_number)
        result.problems += problems
        if draft is not None and not problems:
            result.drafts.append((row_number, draft))
            result.warnings += _period_warning(plan, row_number, draft)
    return result


def _check_row(
    plan: ActionPlan, index: BodyIndex, row_number: int, row: dict[str, str]
) -> tuple[list[RowProblem], MilestoneDraft | None]:
    problems: list[RowProblem] = []
    values = {c: row.get(c, "") for c in COLUMNS}
    for name in ("number", "text", "time_frame"):
        if not values[name].strip():
            problems.append(RowProblem(row_number, name, values[name], "is required"))
    try:
        number = clean_text("number", values["number"], 20)
        text = clean_text("text", values["text"], 10_000, multiline=True)
        due = values["time_frame"].strip()
        if due and not is_permanent(due):
            parse_due(due)
        elif due and is_permanent(due):
            plan_window(plan, due)
    except InputError as error:
        field_name = "time_frame" if error.field == "due" else error.field
        problems.append(RowProblem(row_number, field_name, str(error.value), error.reason))
        return problems, None
    area = read_area(values["area"]) if values["area"].strip() else None
    if values["area"].strip() and area is None:
        allowed = ", ".join(a.value for a in MeasureArea)
        problems.append(
            RowProblem(row_number, "area", values["area"], f"must be one of: {allowed}")
        )
    _bodies, unknown = index.match(values["bodies"])
    for name in unknown:
        problems.append(
            RowProblem(
                row_number,
                "bodies",
                name,
                f"names no responsible body of {plan.state_code}: add it as a body or an alias",
            )
        )
    if problems:
        return problems, None
    title = text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1].rstrip() + "\u2026"
    draft = MilestoneDraft(
        kind=MilestoneKind.MEASURE.value,
        title=" ".join(title.split()),
        description=text if title != text else "",
        due=due,
        states=[plan.state_code],
        plan_ref=plan.ref,
        measure_number=number,
        measure_area=area.value if area else "",
        bodies="; ".join(b.name_en for b in _bodies),
    )
    return problems, draft


def _period_warning(plan: ActionPlan, row_number: int, draft: MilestoneDraft) -> list[str]:
    if is_permanent(draft.due):
        return []
    window = parse_due(draft.due)
    found = measure_period_warnings(window, plan.period_start, plan.period_end)
    return [f"row {row_number}: {warning}" for warning in found]


def import_measures(
    session: Session,
    plan: ActionPlan,
    rows: Sequence[dict[str, str]],
    *,
    dry_run: bool = False,
    user: User | None = None,
    label: str = "",
) -> MeasureImport:
    """Check every row; unless one is bad (or it is a dry run), create them all (flush only)."""
    if not plan.ref:
        raise ServiceError("plan", plan.id, "plan_without_ref")
    result = check_rows(session, plan, rows)
    if result.problems or dry_run:
        return result
    for _row, draft in result.drafts:
        result.created.append(
            create_milestone(session, draft, recorded_by=user, recorded_by_label=label)
        )
    return result
