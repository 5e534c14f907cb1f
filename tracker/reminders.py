"""What is due to whom, and when (pure: no Flask, no database).

A reminder goes out before a milestone's key day (a deadline's due day, a meeting's first
day) at each of the user's lead times. A run that was missed catches up: of the lead times
whose moment has come, only the nearest one is due, so a user who missed the 30-day
reminder of something due in 5 days gets the 7-day one, once. A reminder whose key day has
passed is never sent: the milestone is then overdue (if still open), and the overdue notice
covers it. Overdue notices go out when a milestone becomes overdue, then at most once a
week while it stays open and nobody has recorded a status for it since its due day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.dates import DueWindow
from tracker.enums import MilestoneKind, MilestoneStatus
from tracker.messages import MESSAGES
from tracker.rules import is_overdue, key_day

DEFAULT_LEAD_DAYS: tuple[int, ...] = (30, 7, 1)
MAX_LEAD_DAYS = 365
MAX_LEAD_TIMES = 10
OVERDUE_REPEAT_DAYS = 7


class LeadDaysError(ValueError):
    """Lead times that are not whole days 0-365: a code of `tracker.messages` and its values."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        super().__init__(MESSAGES[code].format(**params))


def parse_lead_days(text: str) -> tuple[int, ...]:
    """Lead times from '30, 7, 1': whole days 0-365, largest first, no repeats."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not parts:
        raise LeadDaysError("lead_days_missing")
    if len(parts) > MAX_LEAD_TIMES:
        raise LeadDaysError("lead_days_too_many", most=MAX_LEAD_TIMES)
    days: set[int] = set()
    for part in parts:
        if not (part.isascii() and part.isdigit()) or int(part) > MAX_LEAD_DAYS:
            raise LeadDaysError("lead_days_not_days", part=part[:20])
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


def format_lead_days(days: Sequence[int]) -> str:
    """Lead times as stored and shown: '30,7,1'."""
    return ",".join(str(d) for d in days)


def reminder_lead(key: date, as_of: date, lead_days: Iterable[int]) -> int | None:
    """The lead time whose reminder is due on the date (the nearest one whose moment has
    come), or None: too early, or the key day has passed."""
    days_left = (key - as_of).days
    if days_left < 0:
        return None
    due = [lead for lead in lead_days if lead >= days_left]
    return min(due) if due else None


def overdue_week(window_end: date, as_of: date) -> int:
    """Whole weeks since the milestone became overdue (0 in its first week)."""
    return ((as_of - window_end).days - 1) // OVERDUE_REPEAT_DAYS


DIGEST_DAYS = {"daily": 1, "weekly": 7}


def digest_due(frequency: str, last_on: date | None, as_of: date) -> bool:
    """Whether a digest is due: a day (daily) or a week (weekly) after the last one. With
    none yet, no: the first run only starts the count (there is nothing 'since' to tell)."""
    days = DIGEST_DAYS.get(frequency)
    return days is not None and last_on is not None and (as_of - last_on).days >= days


@dataclass(frozen=True)
class Candidate:
    """A milestone as the rules need it, with its status as of the run's date."""

    id: int
    kind: MilestoneKind
    window: DueWindow
    status: MilestoneStatus
    # The latest status change effective on or before the run's date (None: none yet).
    status_since: date | None

    @property
    def key(self) -> date:
        """The day that matters: a deadline's due day, a meeting's first day."""
        return key_day(self.kind, self.window)


@dataclass(frozen=True)
class Due:
    """One notice due to a user: a reminder (lead = days ahead) or overdue (lead = week)."""

    milestone_id: int
    reason: str
    lead: int


def due_notice(
    candidate: Candidate, as_of: date, lead_days: Sequence[int], snoozed_until: date | None
) -> Due | None:
    """The notice about one milestone due to one user on the date, if any."""
    if snoozed_until is not None and snoozed_until >= as_of:
        return None
    if not candidate.status.is_open:
        return None
    end = candidate.window.end
    if is_overdue(candidate.window, candidate.status, as_of):
        # Someone recorded a status after the due day: they know; stop the weekly notices.
        if candidate.status_since is not None and candidate.status_since > end:
            return None
        return Due(candidate.id, "overdue", overdue_week(end, as_of))
    lead = reminder_lead(candidate.key, as_of, lead_days)
    return None if lead is None else Due(candidate.id, "reminder", lead)
