"""The stream of changes: status changes, new and edited milestones, citations (with the
note they quote), newest first, filtered by State, kind, who and since when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from tracker.enums import MilestoneKind
from tracker.messages import Day, FieldNames, Worded
from tracker.models import Citation, Milestone, MilestoneEdit, StatusChange, User, milestone_states
from tracker.rules import INITIAL_STATUS

MAX_CHANGES = 500
# A visit ends after this long without a look at the dashboard; the time seen is written at
# most this often (reloads in between write nothing).
VISIT_GAP = timedelta(minutes=30)
SEEN_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class Change:
    """One change, as the activity page, the Atom feed and the digest show it."""

    at: datetime
    what: str  # "status", "new", "edit", "citation"
    who: str
    milestone_id: int
    title: str
    kind: MilestoneKind
    summary: str  # a Worded: English as a str, the reader's language through `words`
    quote: str = ""
    note: str = ""

    @property
    def key(self) -> str:
        """A stable id for the feed entry."""
        return f"{self.what}-{self.milestone_id}-{self.at.isoformat()}"


@dataclass(frozen=True)
class ActivityFilter:
    """Which changes to show."""

    states: Sequence[str] = ()
    kind: MilestoneKind | None = None
    who: str = ""
    since: datetime | None = None
    limit: int = 200


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _scoped(stmt: Select[Any], f: ActivityFilter, at: Any, milestone_id: Any) -> Select[Any]:
    if f.states:
        stmt = stmt.where(
            exists().where(
                milestone_states.c.milestone_id == milestone_id,
                milestone_states.c.state_code.in_(list(f.states)),
            )
        )
    if f.kind is not None:
        stmt = stmt.where(Milestone.kind == f.kind)
    if f.since is not None:
        stmt = stmt.where(at >= f.since)
    return stmt.order_by(at.desc()).limit(min(f.limit, MAX_CHANGES))


def _by_whom(stmt: Select[Any], f: ActivityFilter, user_id: Any, label: Any) -> Select[Any]:
    if not f.who:
        return stmt
    # Names only: a label that holds an e-mail address is never matched (readers do not see
    # addresses, so they must not be able to probe for them either).
    pattern = _like(f.who)
    named = exists().where(User.id == user_id, User.display_name.ilike(pattern, escape="\\"))
    by_label = and_(user_id.is_(None), label.ilike(pattern, escape="\\"), ~label.contains("@"))
    return stmt.where(or_(named, by_label))


def count_since(since: datetime) -> ColumnElement[int]:
    """How many changes /activity lists from `since` on, as one SQL expression (each part
    reads an index on the change's time)."""
    parts = (
        select(func.count()).where(StatusChange.recorded_at >= since),
        select(func.count()).where(MilestoneEdit.recorded_at >= since),
        select(func.count()).where(
            Citation.created_at >= since, Citation.milestone_id.is_not(None)
        ),
    )
    total: ColumnElement[int] = sum(
        (part.scalar_subquery() for part in parts[1:]), parts[0].scalar_subquery()
    )
    return total


@dataclass(frozen=True)
class LastVisit:
    """When the user's previous visit ended, and how many changes were recorded since."""

    at: datetime
    changes: int


def note_dashboard_visit(session: Session, user: User, now: datetime) -> LastVisit | None:
    """Record that the user looks at the dashboard now and count the changes since the visit
    before this one, in one statement either way (the count, or the update returning it).
    None on a first visit. Users are bookkeeping: writing them leaves the data revision and
    so the page cache alone."""
    seen = user.last_seen_at
    previous = seen if seen is None or now - seen > VISIT_GAP else user.previous_visit_at
    if seen is not None and now - seen <= SEEN_EVERY:
        if previous is None:
            return None
        return LastVisit(previous, session.execute(select(count_since(previous))).scalar_one())
    stmt = (
        update(User)
        .where(User.id == user.id)
        .values(last_seen_at=now, previous_visit_at=previous)
        .execution_options(synchronize_session=False)
    )
    if previous is None:
        session.execute(stmt)
        return None
    return LastVisit(previous, session.execute(stmt.returning(count_since(previous))).scalar_one())


def changes(session: Session, f: ActivityFilter) -> list[Change]:
    """The newest changes first (three statements, whatever the number of changes)."""
    found = _status_changes(session, f) + _edits(session, f)
    if not f.who:  # citations record no author
        found += _citations(session, f)
    found.sort(key=lambda c: (c.at, c.what), reverse=True)
    return found[: min(f.limit, MAX_CHANGES)]


def _status_changes(session: Session, f: ActivityFilter) -> list[Change]:
    stmt = (
        select(StatusChange, Milestone)
        .join(Milestone, Milestone.id == StatusChange.milestone_id)
        .options(joinedload(StatusChange.recorded_by), joinedload(StatusChange.citation))
    )
    stmt = _by_whom(stmt, f, StatusChange.recorded_by_id, StatusChange.recorded_by_label)
    stmt = _scoped(stmt, f, StatusChange.recorded_at, StatusChange.milestone_id)
    result = []
    for change, milestone in session.execute(stmt).unique():
        worded = {
            "old": change.old_status or INITIAL_STATUS,
            "new": change.new_status,
            "day": Day.of(change.effective_on),
            "comment": change.comment,
        }
        code = "activity_status_comment" if change.comment else "activity_status"
        summary = Worded(code, worded)
        quote = change.citation.quote if change.citation else ""
        result.append(
            Change(
                change.recorded_at,
                "status",
                change.recorder,
                milestone.id,
                milestone.title,
                milestone.kind,
                summary,
                quote,
            )
        )
    return result


def _edits(session: Session, f: ActivityFilter) -> list[Change]:
    stmt = (
        select(MilestoneEdit, Milestone)
        .join(Milestone, Milestone.id == MilestoneEdit.milestone_id)
        .options(joinedload(MilestoneEdit.recorded_by))
    )
    stmt = _by_whom(stmt, f, MilestoneEdit.recorded_by_id, MilestoneEdit.recorded_by_label)
    stmt = _scoped(stmt, f, MilestoneEdit.recorded_at, MilestoneEdit.milestone_id)
    result = []
    for edit, milestone in session.execute(stmt).unique():
        created = all(old is None for old, _new in edit.changes.values())
        what = "new" if created else "edit"
        summary = (
            Worded("activity_new", {})
            if created
            else Worded("activity_edit", {"fields": FieldNames(sorted(edit.changes))})
        )
        result.append(
            Change(
                edit.recorded_at,
                what,
                edit.recorder,
                milestone.id,
                milestone.title,
                milestone.kind,
                summary,
            )
        )
    return result


def _citations(session: Session, f: ActivityFilter) -> list[Change]:
    stmt = (
        select(Citation, Milestone)
        .join(Milestone, Milestone.id == Citation.milestone_id)
        .options(joinedload(Citation.note))
    )
    stmt = _scoped(stmt, f, Citation.created_at, Citation.milestone_id)
    return [
        Change(
            citation.created_at,
            "citation",
            "",
            milestone.id,
            milestone.title,
            milestone.kind,
            Worded("activity_cites", {"note": citation.note.title}),
            citation.quote,
            citation.note.slug,
        )
        for citation, milestone in session.execute(stmt).unique()
    ]
