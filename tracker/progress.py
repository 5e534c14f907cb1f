"""How far a plan has got: its measures done, done on time, overdue and not started, overall,
by area and by responsible body, as of any date, and quarter by quarter (pure; no Flask, no
database).

A measure's status on a date is read from its append-only history (`rules.status_as_of`). A
measure cancelled as of the date is out of the plan's count; a permanent measure ("no
deadline") is never overdue. Done on time: it became done on or before its window's last day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker import datefmt
from tracker.dates import DueWindow
from tracker.enums import MeasureArea, MilestoneStatus
from tracker.rules import INITIAL_STATUS, StatusEvent


@dataclass(frozen=True)
class MeasureFacts:
    """What progress needs of one measure."""

    id: int
    window: DueWindow
    history: Sequence[StatusEvent]  # in effective order
    area: MeasureArea | None = None
    body_ids: tuple[int, ...] = ()
    permanent: bool = False


@dataclass(frozen=True)
class MeasureOnDate:
    """One measure as it stood on a date."""

    status: MilestoneStatus
    done_on: date | None  # the day it became done, when done
    on_time: bool  # done by the last day of its window (a permanent one: done at all)
    overdue: bool  # open, and its whole window has passed (never for a permanent one)


def measure_on(facts: MeasureFacts, as_of: date) -> MeasureOnDate:
    """The measure's status on a date, when it became so, and whether it is late."""
    status, since = INITIAL_STATUS, None
    for change in facts.history:
        if change.effective_on > as_of:
            break
        status, since = change.new_status, change.effective_on
    done_on = since if status is MilestoneStatus.DONE else None
    on_time = done_on is not None and (facts.permanent or done_on <= facts.window.end)
    overdue = status.is_open and not facts.permanent and facts.window.end < as_of
    return MeasureOnDate(status, done_on, on_time, overdue)


@dataclass
class Tally:
    """Counts of measures on a date; the shares are of the measures not cancelled."""

    total: int = 0  # not cancelled
    done: int = 0
    done_on_time: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0  # open and past their window (some in progress, some not started)
    cancelled: int = 0

    def add(self, measure: MeasureOnDate) -> None:
        """Count one measure."""
        if measure.status is MilestoneStatus.CANCELLED:
            self.cancelled += 1
            return
        self.total += 1
        self.done += measure.status is MilestoneStatus.DONE
        self.done_on_time += measure.on_time
        self.in_progress += measure.status is MilestoneStatus.IN_PROGRESS
        self.not_started += measure.status is MilestoneStatus.PLANNED
        self.overdue += measure.overdue

    def share(self, count: int) -> float:
        """A count as a share of the measures not cancelled (0 when there are none)."""
        return count / self.total if self.total else 0.0

    @property
    def share_done(self) -> float:
        """The implementation rate: done / not cancelled."""
        return self.share(self.done)

    def percent(self, count: int) -> int:
        """A count as a whole percentage of the measures not cancelled."""
        return round(100 * self.share(count))

    def as_dict(self) -> dict[str, int | float]:
        """Counts and shares, as the API gives them."""
        counts = {
            "total": self.total,
            "done": self.done,
            "done_on_time": self.done_on_time,
            "in_progress": self.in_progress,
            "not_started": self.not_started,
            "overdue": self.overdue,
            "cancelled": self.cancelled,
        }
        shares = {
            f"share_{name}": round(self.share(counts[name]), 4)
            for name in ("done", "done_on_time", "in_progress", "not_started", "overdue")
        }
        return {**counts, **shares}


@dataclass
class Progress:
    """A plan's progress on a date: overall, by area, by responsible body."""

    as_of: date
    overall: Tally = field(default_factory=Tally)
    by_area: dict[MeasureArea | None, Tally] = field(default_factory=dict)
    by_body: dict[int, Tally] = field(default_factory=dict)


def progress(measures: Iterable[MeasureFacts], as_of: date) -> Progress:
    """The plan's progress as of a date."""
    result = Progress(as_of)
    for facts in measures:
        measure = measure_on(facts, as_of)
        result.overall.add(measure)
        result.by_area.setdefault(facts.area, Tally()).add(measure)
        for body_id in facts.body_ids:
            result.by_body.setdefault(body_id, Tally()).add(measure)
    return result


def tally(measures: Iterable[MeasureFacts], as_of: date) -> Tally:
    """The overall counts only, as of a date."""
    total = Tally()
    for facts in measures:
        total.add(measure_on(facts, as_of))
    return total


@dataclass(frozen=True)
class QuarterPoint:
    """The plan's counts at the end of one quarter (or on the as-of date, for the last)."""

    label: str  # "2015 Q3" (the API's, language-neutral)
    on: date
    tally: Tally

    @property
    def year(self) -> int:
        """The quarter's year."""
        return int(self.label.split(" Q")[0])

    @property
    def quarter(self) -> int:
        """The quarter's number, 1 to 4."""
        return int(self.label.split(" Q")[1])

    def label_in(self, locale: str, short: bool = False) -> str:
        """The quarter as the reader's language writes it: 'III квартал 2015 г.', 'Q3 2015'."""
        return datefmt.format_quarter(self.year, self.quarter, locale, short)


def quarter_ends(start: date, end: date) -> list[date]:
    """The last day of every quarter from the one holding `start` to the one holding `end`."""
    days: list[date] = []
    year, quarter = start.year, (start.month - 1) // 3 + 1
    while (year, quarter) <= (end.year, (end.month - 1) // 3 + 1):
        days.append(_quarter_end(year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return days


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, 31 if month in (3, 12) else 30)


def quarterly(
    measures: Sequence[MeasureFacts], period: tuple[date, date] | None, as_of: date
) -> list[QuarterPoint]:
    """The counts quarter by quarter over the plan's period (its measures' span when it has
    none), up to the as-of date; the as-of quarter is counted on the as-of date itself."""
    if not measures:
        return []
    start, end = period or (
        min(m.window.start for m in measures),
        max(m.window.end for m in measures),
    )
    first_change = min((c.effective_on for m in measures for c in m.history), default=start)
    start = min(start, first_change)
    points = []
    for day in quarter_ends(start, min(end, as_of) if start <= as_of else start):
        on = min(day, as_of)
        label = f"{day.year} Q{(day.month - 1) // 3 + 1}"
        points.append(QuarterPoint(label, on, tally(measures, on)))
    return points
