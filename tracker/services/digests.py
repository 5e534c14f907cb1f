"""Digests: per person, daily or weekly, what is overdue, what is coming within their
longest lead time, and what changed since their last digest (rules in tracker.reminders)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import Message

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tracker import reports
from tracker.models import User, milestone_states, utcnow
from tracker.reminder_models import DigestFrequency, MailPreference
from tracker.reminders import DEFAULT_LEAD_DAYS, DIGEST_DAYS, format_lead_days
from tracker.rules import Flag
from tracker.services import outbox
from tracker.services.activity import ActivityFilter, Change, changes
from tracker.services.milestones import report_candidates
from tracker.services.reminders import BATCH, Audience, Queued, audience

FIRST_LOOK_BACK = timedelta(days=7)


@dataclass(frozen=True)
class Digest:
    """One person's digest."""

    overdue: list[reports.ReportItem]
    upcoming: list[reports.ReportItem]
    changes: list[Change]
    since: datetime


DigestComposer = Callable[[User, Digest, date], Message]


def _claim(session: Session, people: list[Audience], as_of: date, now: datetime) -> set[int]:
    """Mark the digest of each person whose one is due as sent today; returns whom it was
    due to. One UPDATE per frequency and batch: two runs at once never both claim one."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    defaults = [
        {"user_id": p.user.id, "lead_days": format_lead_days(DEFAULT_LEAD_DAYS), "kinds": [],
         "digest": DigestFrequency.WEEKLY.value, "paused": False, "last_digest_on": as_of,
         "last_digest_at": now, "updated_at": now}
        for p in people
    ]  # fmt: skip
    table = MailPreference.metadata.tables["mail_preferences"]
    # On the connection, as Core: a mail table's writes must not bump the page revision, and
    # the revision's listener only recognises ORM entities as untracked.
    connection = session.connection()
    for start in range(0, len(defaults), BATCH):  # the first run only starts the count
        connection.execute(insert(table).on_conflict_do_nothing(), defaults[start : start + BATCH])
    ids = [p.user.id for p in people]
    for start in range(0, len(ids), BATCH):  # preferences saved before any digest: start now
        connection.execute(
            update(table)
            .where(
                table.c.user_id.in_(ids[start : start + BATCH]), table.c.last_digest_on.is_(None)
            )
            .values(last_digest_on=as_of, last_digest_at=now)
        )
    claimed: set[int] = set()
    for frequency, days in DIGEST_DAYS.items():
        for start in range(0, len(ids), BATCH):
            stmt = (
                update(table)
                .where(
                    table.c.user_id.in_(ids[start : start + BATCH]),
                    table.c.digest == frequency,
                    table.c.last_digest_on <= as_of - timedelta(days=days),
                )
                .values(last_digest_on=as_of, last_digest_at=now)
                .returning(table.c.user_id)
            )
            claimed.update(connection.execute(stmt).scalars())
    return claimed


def queue_digests(session: Session, as_of: date, compose: DigestComposer) -> list[Queued]:
    """Queue the digests due on the date, each person's at most once per period."""
    now = utcnow()
    people = audience(session)
    last_at = dict(
        session.execute(select(MailPreference.user_id, MailPreference.last_digest_at))
        .tuples()
        .all()
    )
    due = _claim(session, people, as_of, now)
    people = [p for p in people if p.user.id in due]
    if not people:
        return []
    horizon = max(max(p.lead_days) for p in people)
    facts = report_candidates(session, as_of, as_of + timedelta(days=horizon))
    items = [reports.facts_item(f, as_of, horizon) for f in facts]
    since_all = min((last_at.get(p.user.id) or now - FIRST_LOOK_BACK) for p in people)
    recent = changes(session, ActivityFilter(since=since_all, limit=500))
    states_of = _states_of(session, {c.milestone_id for c in recent})
    rows = []
    for person in people:
        since = last_at.get(person.user.id) or now - FIRST_LOOK_BACK
        digest = _digest(person, items, recent, states_of, since, as_of)
        if not (digest.overdue or digest.upcoming or digest.changes):
            continue  # nothing to tell: no e-mail
        message = compose(person.user, digest, as_of)
        rows.append(outbox.outbox_row(person.user.id, str(message["Subject"]), message))
    for start in range(0, len(rows), BATCH):
        outbox.queue(session, rows[start : start + BATCH])
    return [Queued(r["recipient"], r["subject"]) for r in rows]


def _states_of(session: Session, ids: set[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    stmt = select(milestone_states.c.milestone_id, milestone_states.c.state_code).where(
        milestone_states.c.milestone_id.in_(sorted(ids))
    )
    for milestone_id, code in session.execute(stmt):
        found[milestone_id].add(code)
    return found


def _digest(
    person: Audience,
    items: list[reports.ReportItem],
    recent: list[Change],
    states_of: dict[int, set[str]],
    since: datetime,
    as_of: date,
) -> Digest:
    def mine(milestone_id: int, states: set[str] | list[str], kind: str) -> bool:
        wanted = not person.kinds or kind in person.kinds
        return wanted and (milestone_id in person.watched or bool(person.states & set(states)))

    horizon = as_of + timedelta(days=max(person.lead_days))
    flagged = [i for i in items if mine(i.id, list(i.states), i.kind.value)]
    overdue = [i for i in flagged if i.flag is Flag.OVERDUE]
    upcoming = [i for i in flagged if i.flag is Flag.UPCOMING and i.key_day <= horizon]
    upcoming.sort(key=lambda i: (i.key_day, i.id))
    news = [
        c
        for c in recent
        if c.at >= since and mine(c.milestone_id, states_of.get(c.milestone_id, set()), c.kind)
    ]
    return Digest(overdue, upcoming, news, since)
