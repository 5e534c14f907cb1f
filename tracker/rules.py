"""Deadline rules: status as of a date, overdue, upcoming, data-quality warnings (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from tracker import messages
from tracker.dates import DueWindow
from tracker.enums import MilestoneKind, MilestoneStatus, PlanStatus

RESOLUTION_1540_ADOPTED = date(2004, 4, 28)
INITIAL_STATUS = MilestoneStatus.PLANNED

ALLOWED_TRANSITIONS: dict[MilestoneStatus, frozenset[MilestoneStatus]] = {
    MilestoneStatus.PLANNED: frozenset(
        {MilestoneStatus.IN_PROGRESS, MilestoneStatus.DONE, MilestoneStatus.CANCELLED}
    ),
    MilestoneStatus.IN_PROGRESS: frozenset(
        {MilestoneStatus.PLANNED, MilestoneStatus.DONE, MilestoneStatus.CANCELLED}
    ),
    # Reopening covers a meeting recorded as held that turns out to continue.
    MilestoneStatus.DONE: frozenset({MilestoneStatus.IN_PROGRESS}),
    MilestoneStatus.CANCELLED: frozenset({MilestoneStatus.PLANNED}),
}


# The step a status form offers first: a planned or running milestone is most often
# recorded as done; a done one reopened; a cancelled one planned again.
LIKELY_NEXT: dict[MilestoneStatus, MilestoneStatus] = {
    MilestoneStatus.PLANNED: MilestoneStatus.DONE,
    MilestoneStatus.IN_PROGRESS: MilestoneStatus.DONE,
    MilestoneStatus.DONE: MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.CANCELLED: MilestoneStatus.PLANNED,
}


def next_statuses(current: MilestoneStatus) -> list[MilestoneStatus]:
    """The statuses a milestone may move to from its current one, the likely next first."""
    likely = LIKELY_NEXT[current]
    others = sorted(ALLOWED_TRANSITIONS[current] - {likely}, key=list(MilestoneStatus).index)
    return [likely, *others]


class Flag(StrEnum):
    """What needs a coordinator's attention about a milestone on a given date."""

    OVERDUE = "overdue"
    UPCOMING = "upcoming"


class StatusEvent(Protocol):
    """One entry of a status history, as the rules need it."""

    @property
    def new_status(self) -> MilestoneStatus: ...

    @property
    def effective_on(self) -> date: ...


def status_as_of(history: Sequence[StatusEvent], as_of: date) -> MilestoneStatus:
    """The status as it stood on a date: the last change effective on or before it."""
    status = INITIAL_STATUS
    for change in history:  # history is in effective order; later entries win ties
        if change.effective_on > as_of:
            break
        status = change.new_status
    return status


# Deadlines are due by the last day of their window ("first quarter of 2027" is due by
# 31 March 2027); meetings happen from its first day ("14-15 April 2027" starts on 14 April).
# An "other" milestone counts from its first day: it is flagged early rather than late.
DEADLINE_KINDS = frozenset(
    {
        MilestoneKind.DRAFTING,
        MilestoneKind.APPROVAL_DEADLINE,
        MilestoneKind.NATIONAL_REPORT,
        MilestoneKind.MEASURE,
    }
)


def is_deadline(kind: MilestoneKind) -> bool:
    """A deadline (due by the end of its window), rather than a meeting (from its start)."""
    return kind in DEADLINE_KINDS


def key_day(kind: MilestoneKind, window: DueWindow) -> date:
    """The day that matters: the due day of a deadline, the first day of a meeting."""
    return window.end if is_deadline(kind) else window.start


def is_overdue(window: DueWindow, status: MilestoneStatus, as_of: date) -> bool:
    """The whole window has passed and the milestone is still open."""
    return status.is_open and window.end < as_of


def is_upcoming(
    window: DueWindow,
    status: MilestoneStatus,
    as_of: date,
    within_days: int,
    kind: MilestoneKind,
) -> bool:
    """Open, not yet past, and its key day (a deadline's due day, a meeting's first day) falls
    within the horizon; a meeting that has started and not ended is upcoming too."""
    if not status.is_open or window.end < as_of:
        return False
    return key_day(kind, window) <= as_of + timedelta(days=within_days)


def flag(
    window: DueWindow,
    status: MilestoneStatus,
    as_of: date,
    within_days: int,
    kind: MilestoneKind,
) -> Flag | None:
    """Overdue, upcoming or nothing, on a date."""
    if is_overdue(window, status, as_of):
        return Flag.OVERDUE
    if is_upcoming(window, status, as_of, within_days, kind):
        return Flag.UPCOMING
    return None


def days_overdue(window: DueWindow, as_of: date) -> int:
    """Days since the last day of the window."""
    return (as_of - window.end).days


def days_until(window: DueWindow, as_of: date, kind: MilestoneKind) -> int:
    """Days until the key day: a deadline's due day, a meeting's first day (0 once reached)."""
    return max(0, (key_day(kind, window) - as_of).days)


# --- needs review ---------------------------------------------------------------------------

# Overdue for longer than this (TRACKER_REVIEW_AFTER_DAYS overrides it) and an item needs a
# decision: done after all, cancelled, or postponed; it no longer just "is overdue".
DEFAULT_REVIEW_AFTER_DAYS = 180
# An open milestone or a plan whose status has not changed for this long needs a look too.
STALE_AFTER_DAYS = 730  # two years
# A plan still in one of these once its period has ended is flagged on its card.
UNFINISHED_PLAN_STATUSES = frozenset({PlanStatus.DRAFTING, PlanStatus.IMPLEMENTING})


def milestone_review_reasons(
    window: DueWindow,
    status: MilestoneStatus,
    last_change: date | None,
    as_of: date,
    review_after_days: int = DEFAULT_REVIEW_AFTER_DAYS,
) -> list[str]:
    """Why an open milestone needs review as of a date (empty: it does not).

    `last_change` is the day its status last changed, or the day it was entered if never;
    None when unknown. A closed milestone (done, cancelled) never needs review.
    """
    if not status.is_open:
        return []
    reasons: list[str] = []
    if is_overdue(window, status, as_of) and days_overdue(window, as_of) > review_after_days:
        days = days_overdue(window, as_of)
        reasons.append(
            messages.Worded("review_overdue", {"days": days, "limit": review_after_days})
        )
    if last_change is not None and (as_of - last_change).days > STALE_AFTER_DAYS:
        reasons.append(
            messages.Worded(
                "review_stale",
                {"status": status, "day": messages.Day.of(last_change)},
            )
        )
    return reasons


def plan_period_end(period_end: int | None) -> date | None:
    """The last day of a plan's period ("2017-2021" ends on 31 December 2021)."""
    return date(period_end, 12, 31) if period_end is not None else None


def plan_period_ended_unfinished(status: PlanStatus, period_end: int | None, as_of: date) -> bool:
    """The plan's period ended while it was still being drafted or implemented."""
    end = plan_period_end(period_end)
    return end is not None and end < as_of and status in UNFINISHED_PLAN_STATUSES


def plan_review_reasons(
    status: PlanStatus, period_end: int | None, status_since: date | None, as_of: date
) -> list[str]:
    """Why a plan needs review as of a date (empty: it does not).

    Its status has not changed since its period ended (`status_since` None: no change was
    ever recorded), or has not changed for two years. A superseded plan is settled.
    """
    if status is PlanStatus.SUPERSEDED:
        return []
    reasons: list[str] = []
    end = plan_period_end(period_end)
    if end is not None and end < as_of and (status_since is None or status_since <= end):
        reasons.append(
            messages.Worded(
                "review_plan_ended",
                {"status": status, "day": messages.Day.of(end)},
            )
        )
    if status_since is not None and (as_of - status_since).days > STALE_AFTER_DAYS:
        reasons.append(
            messages.Worded(
                "review_stale",
                {"status": status, "day": messages.Day.of(status_since)},
            )
        )
    return reasons


class TransitionError(ValueError):
    """A status change the rules forbid: a code of `tracker.messages` and its parameters;
    the message is the English words."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(messages.word(code, params, english=True))


def check_transition(
    old: MilestoneStatus, new: MilestoneStatus, effective_on: date, last_effective: date | None
) -> None:
    """Refuse a change that skips the rules: same status, forbidden step, or out of order."""
    if new == old:
        raise TransitionError("already_status", status=new)
    if new not in ALLOWED_TRANSITIONS[old]:
        allowed = ", ".join(sorted(s.value for s in ALLOWED_TRANSITIONS[old]))
        raise TransitionError("no_such_transition", old=old, new=new, allowed=allowed)
    if last_effective is not None and effective_on < last_effective:
        raise TransitionError(
            "out_of_order", on=effective_on.isoformat(), last=last_effective.isoformat()
        )


@dataclass(frozen=True)
class DatedSource:
    """A date window that one source gives for a milestone."""

    note: str
    window: DueWindow


def data_warnings(
    kind: MilestoneKind, window: DueWindow, other_windows: Iterable[DatedSource] = ()
) -> list[str]:
    """Data-quality problems to show beside a milestone; nothing is changed. Each is English
    as a str (the API's JSON) and carries its code for the pages' words (messages.words)."""
    warnings: list[str] = []
    if window.end < window.start:
        warnings.append(
            messages.Worded("window_reversed", {"end": window.end, "start": window.start})
        )
    if kind is MilestoneKind.NATIONAL_REPORT and window.end < RESOLUTION_1540_ADOPTED:
        warnings.append(messages.Worded("report_before_1540", {"text": window.text}))
    for other in other_windows:
        if (other.window.start, other.window.end) != (window.start, window.end):
            params = {"note": other.note, "theirs": other.window.text, "ours": window.text}
            warnings.append(messages.Worded("sources_disagree", params))
    return warnings


def measure_period_warnings(
    window: DueWindow, period_start: int | None, period_end: int | None
) -> list[str]:
    """A measure's time frame that falls outside its plan's period: kept, but said."""
    if period_start is None:
        return []
    last = period_end or period_start
    if window.start.year <= last and window.end.year >= period_start:
        return []
    period = str(period_start) if last == period_start else f"{period_start}-{last}"
    return [f"time frame {window.text!r} is outside the plan's period {period}; kept as written"]
