"""The outbox: composed e-mails kept in the database until an SMTP server accepts them.

Delivery claims a batch (status `sending`, on PostgreSQL with FOR UPDATE SKIP LOCKED so
that several workers share the queue), commits the claim, sends, and marks each message
sent or failed. A crash between claiming and marking leaves the message `sending`; once its
claim is older than CLAIM_LEASE, the next run claims it again. So a message is never lost,
and is sent at most twice (only when the server accepted it just before the crash).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

from sqlalchemy import and_, func, insert, or_, select
from sqlalchemy.orm import Session

from tracker.mail import as_text
from tracker.models import utcnow
from tracker.reminder_models import OutboxMessage, OutboxStatus

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=15)
FIRST_RETRY = timedelta(minutes=2)
LONGEST_WAIT = timedelta(hours=6)


def outbox_row(user_id: int | None, subject: str, message: Message) -> dict[str, Any]:
    """A composed message as an outbox row, ready to insert."""
    now = utcnow()
    return {
        "user_id": user_id,
        "recipient": str(message["To"]),
        "subject": subject[:300],
        "message_id": str(message["Message-ID"]),
        "raw": as_text(message),
        "status": OutboxStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": "",
        "created_at": now,
    }


def queue(session: Session, rows: list[dict[str, Any]]) -> None:
    """Keep composed messages for delivery, in the caller's transaction (one statement)."""
    if rows:
        session.execute(insert(OutboxMessage), rows)


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: 2, 4, 8 ... minutes, at most 6 hours."""
    wait: timedelta = FIRST_RETRY * (2 ** min(max(attempts - 1, 0), 16))
    return min(wait, LONGEST_WAIT)


def claim(session: Session, limit: int, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `limit` messages that are due (or whose claim has lapsed) for sending."""
    now = now or utcnow()
    stmt = (
        select(OutboxMessage)
        .where(
            or_(
                and_(
                    OutboxMessage.status == OutboxStatus.QUEUED,
                    OutboxMessage.next_attempt_at <= now,
                ),
                and_(
                    OutboxMessage.status == OutboxStatus.SENDING,
                    OutboxMessage.claimed_at < now - CLAIM_LEASE,
                ),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    rows = list(session.scalars(stmt))
    for row in rows:
        row.status, row.claimed_at = OutboxStatus.SENDING, now
    session.flush()
    return rows


def mark_sent(row: OutboxMessage) -> None:
    """The server accepted the message."""
    row.status, row.sent_at, row.last_error = OutboxStatus.SENT, utcnow(), ""
    row.attempts += 1


def mark_failed(row: OutboxMessage, reply: str, permanent: bool) -> None:
    """The server did not take it: retry later, or give up with its reply kept for admins."""
    row.attempts += 1
    row.last_error = reply[:2000]
    if permanent or row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.FAILED
    else:
        row.status = OutboxStatus.QUEUED
        row.next_attempt_at = utcnow() + retry_wait(row.attempts)


@dataclass(frozen=True)
class OutboxCounts:
    """How many messages stand in each state."""

    queued: int
    sending: int
    sent: int
    failed: int


def counts(session: Session) -> OutboxCounts:
    """Messages per status, for the admin page and the command's summary."""
    rows = dict(
        session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
        .tuples()
        .all()
    )
    return OutboxCounts(*(rows.get(status, 0) for status in OutboxStatus))


def recent(session: Session, limit: int = 200) -> list[OutboxMessage]:
    """The latest messages, newest first (failures show the server's reply)."""
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)
    return list(session.scalars(stmt))
