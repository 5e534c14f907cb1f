"""Importing a plan's measures table (CSV or XLSX): every row checked, nothing saved unless
all rows are good. The CLI (`tracker import-measures`) uses it; a web upload can share it.

The header is `number,text,time_frame,bodies,area`; bodies are separated by ';' and matched
by English or Russian name or alias, never created; the area is a code or its label
("border and customs"). Duplicate numbers (in the file, or already in the plan) are refused;
a time frame outside the plan's period is a warning.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.enums import MeasureArea, MilestoneKind
from tracker.inputs import InputError
from tracker.messages import Worded, word
from tracker.models import TITLE_MAX, ActionPlan, Milestone, User
from tracker.rules import measure_period_warnings
from tracker.services.bodies import (
    BodyIndex,
    is_permanent,
    list_bodies,
    normalise_name,
    plan_window,
)
from tracker.services.common import ServiceError, clean_text, parse_due
from tracker.services.drafts import MilestoneDraft
from tracker.services.milestones import create_milestones

COLUMNS = ("number", "text", "time_frame", "bodies", "area")
# What a column of an uploaded table may hold: the CLI's columns and the operative paragraphs.
FIELDS = (*COLUMNS, "operative_paragraphs")
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class RowProblem:
    """Why one row (numbered as in the file, the header being row 1) cannot be imported:
    a code of `tracker.messages` and its parameters, worded at the edge."""

    row: int
    field: str
    value: str
    code: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)

    @property
    def message(self) -> str:
        """The reason in the catalogue's English."""
        return word(self.code, self.params, english=True)

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"row {self.row}: {self.field} {shown!r} {self.message}"


@dataclass
class MeasureImport:
    """What an import found: the drafts, the problems, the warnings (row, words), the body
    names that match no body, and what was saved."""

    drafts: list[tuple[int, MilestoneDraft]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[tuple[int, Worded]] = field(default_factory=list)
    unknown_bodies: list[str] = field(default_factory=list)
    created: list[Milestone] = field(default_factory=list)


class TableError(ServiceError):
    """The file as a whole cannot be read as a measures table."""


@dataclass(frozen=True)
class Table:
    """An uploaded table as it is: its header's cells and its rows' cells, as text."""

    name: str
    header: list[str]
    rows: list[list[str]]


def read_grid(name: str, data: bytes) -> Table:
    """A CSV or XLSX file's header and rows (empty rows left out), within the limits."""
    if len(data) > MAX_BYTES:
        raise TableError("file", name, "table_too_large", limit=MAX_BYTES)
    if name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(name, data)
    elif name.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(name, data)
    else:
        raise TableError("file", name, "table_not_csv_or_xlsx")
    if not rows:
        raise TableError("file", name, "table_empty")
    if len(rows) - 1 > MAX_ROWS:
        raise TableError("file", name, "table_too_many_rows", limit=MAX_ROWS)
    # A spreadsheet's formatted but empty columns on the right are no columns.
    width = max((i + 1 for r in rows for i, c in enumerate(r) if _cell(c)), default=0)
    if width > MAX_COLUMNS:
        raise TableError("file", name, "table_too_many_columns", limit=MAX_COLUMNS)
    cells = [[_cell(c) for c in r[:width]] + [""] * (width - len(r)) for r in rows]
    return Table(name, cells[0], cells[1:])


def read_table(name: str, data: bytes) -> list[dict[str, str]]:
    """The rows of a CSV or XLSX file, keyed by the header's (lower-cased) column names."""
    table = read_grid(name, data)
    header = [h.lower() for h in table.header]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise TableError("file", name, "table_columns", missing=", ".join(missing))
    return [{h: row[i] for i, h in enumerate(header) if h in COLUMNS} for row in table.rows]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 17.0 is the plan's "17"
    if isinstance(value, datetime):
        value = value.date()  # a spreadsheet's date cell is a day, not a moment
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(name: str, data: bytes) -> list[list[object]]:
    if b"\x00" in data:
        raise TableError("file", name, "table_not_csv")  # a binary file named .csv
    try:
        text = data.decode("utf-8-sig")
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    except UnicodeDecodeError:
        raise TableError("file", name, "table_not_utf8") from None
    except csv.Error:  # a NUL byte, a field over the csv module's limit
        raise TableError("file", name, "table_not_csv") from None
    return [r for r in rows if any(str(c).strip() for c in r)]


def _xlsx_rows(name: str, data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook  # only an XLSX upload pays for importing it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows: list[list[object]] = []
        for values in sheet.iter_rows(values_only=True):
            if any(c not in (None, "") for c in values):
                rows.append(list(values))
            if len(rows) > MAX_ROWS + 1:
                break  # read_grid refuses it; no need to read the rest
        book.close()
    except Exception:  # openpyxl raises many kinds on a broken file
        raise TableError("file", name, "table_not_xlsx") from None
    return rows


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


def check_rows(
    session: Session,
    plan: ActionPlan,
    rows: Iterable[dict[str, str]],
    *,
    numbers: Iterable[int] | None = None,
    index: BodyIndex | None = None,
) -> MeasureImport:
    """Every row as a measure draft, or the problems that stop it; nothing is written.

    `numbers` are the rows' numbers in the file (by default from 2, after the header); `index`
    the bodies names are matched against (by default the plan's State's bodies)."""
    result = MeasureImport()
    index = index or BodyIndex(list_bodies(session, [plan.state_code]))
    taken = set(
        session.scalars(
            select(Milestone.measure_number).where(
                Milestone.plan_id == plan.id, Milestone.measure_number.is_not(None)
            )
        )
    )
    seen: dict[str, int] = {}
    unknown: dict[str, str] = {}
    for row_number, row in zip(numbers or range(2, 2**31), rows, strict=False):
        problems, draft = _check_row(plan, index, row_number, row, unknown)
        number = row.get("number", "").strip()
        if number and number in taken:
            problems.append(
                RowProblem(row_number, "number", number, "measure_number_taken", {"plan": plan.ref})
            )
        elif number and number in seen:
            problems.append(
                RowProblem(row_number, "number", number, "measure_number_repeats",
                           {"row": seen[number]})
            )  # fmt: skip
        seen.setdefault(number, row_number)
        result.problems += problems
        if draft is not None and not problems:
            result.drafts.append((row_number, draft))
            result.warnings += _period_warning(plan, row_number, draft)
    result.unknown_bodies = list(unknown.values())
    return result


def _check_row(
    plan: ActionPlan,
    index: BodyIndex,
    row_number: int,
    row: dict[str, str],
    unknown: dict[str, str],
) -> tuple[list[RowProblem], MilestoneDraft | None]:
    problems: list[RowProblem] = []
    values = {c: row.get(c, "") for c in FIELDS}
    for name in ("number", "text", "time_frame"):
        if not values[name].strip():
            problems.append(RowProblem(row_number, name, values[name], "required"))
    try:
        number = clean_text("number", values["number"], 20)
        text = clean_text("text", values["text"], 10_000, multiline=True)
        paragraphs = clean_text("operative_paragraphs", values["operative_paragraphs"], 100)
        due = values["time_frame"].strip()
        if due and not is_permanent(due):
            parse_due(due)
        elif due and is_permanent(due):
            plan_window(plan, due)
    except InputError as error:
        field_name = "time_frame" if error.field == "due" else error.field
        problems.append(
            RowProblem(row_number, field_name, str(error.value), error.code, error.params)
        )
        return problems, None
    area = read_area(values["area"]) if values["area"].strip() else None
    if values["area"].strip() and area is None:
        allowed = ", ".join(a.value for a in MeasureArea)
        problems.append(
            RowProblem(row_number, "area", values["area"], "not_one_of", {"allowed": allowed})
        )
    _bodies, names = index.match(values["bodies"])
    for name in names:
        unknown.setdefault(normalise_name(name), name)
        problems.append(
            RowProblem(row_number, "bodies", name, "unknown_body", {"states": plan.state_code})
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
        operative_paragraphs=paragraphs,
        bodies="; ".join(b.name_en for b in _bodies),
    )
    return problems, draft


def _period_warning(
    plan: ActionPlan, row_number: int, draft: MilestoneDraft
) -> list[tuple[int, Worded]]:
    if is_permanent(draft.due) or plan.period_start is None:
        return []
    window = parse_due(draft.due)
    if not measure_period_warnings(window, plan.period_start, plan.period_end):
        return []
    last = plan.period_end or plan.period_start
    period = str(last) if last == plan.period_start else f"{plan.period_start}-{last}"
    worded = Worded("measure_outside_period", {"text": window.text, "period": period})
    return [(row_number, worded)]


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
    drafts = [draft for _row, draft in result.drafts]
    result.created = create_milestones(session, drafts, recorded_by=user, recorded_by_label=label)
    return result
