"""The sign-in throttle: failed attempts per account and per client address, in the database.

Kept in the database (not in a worker's memory) so every gunicorn worker and every server
sees the same count; on SQLite and PostgreSQL alike, with no other service to run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker.models import LoginFailure, utcnow


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed sign-ins on one key within `window`."""

    key: str
    failures: int
    window: timedelta


def account_key(email: str) -> str:
    """The throttle key of an e-mail as typed (whether or not it has an account)."""
    return "account:" + email.strip().lower()[:254]


def address_key(address: str) -> str:
    """The throttle key of a client address."""
    return "address:" + address[:100]


def wait_seconds(recent: Sequence[datetime], limit: Limit, now: datetime) -> int:
    """Seconds until a sign-in is allowed again, given the key's failures newest first (0: now).

    Locked while `limit.failures` failures lie within the window; it opens when the oldest of
    them leaves it.
    """
    inside = [t for t in recent if t > now - limit.window][: limit.failures]
    if limit.failures <= 0 or len(inside) < limit.failures:
        return 0
    return max(1, ceil((inside[-1] + limit.window - now).total_seconds()))


def retry_after(session: Session, limits: Sequence[Limit], now: datetime | None = None) -> int:
    """Seconds to wait before the next sign-in attempt under these limits (0: go ahead)."""
    now = now or utcnow()
    longest = 0
    for limit in limits:
        stmt = (
            select(LoginFailure.failed_at)
            .where(LoginFailure.key == limit.key, LoginFailure.failed_at > now - limit.window)
            .order_by(LoginFailure.failed_at.desc())
            .limit(limit.failures)
        )
        longest = max(longest, wait_seconds(list(session.scalars(stmt)), limit, now))
    return longest


def record_failure(session: Session, limits: Sequence[Limit], now: datetime | None = None) -> None:
    """Count a failed sign-in against every key, forgetting failures older than the window."""
    now = now or utcnow()
    for limit in limits:
        session.execute(
            delete(LoginFailure).where(
                LoginFailure.key == limit.key, LoginFailure.failed_at <= now - limit.window
            )
        )
        session.add(LoginFailure(key=limit.key, failed_at=now))
    session.flush()


def clear_failures(session: Session, key: str) -> None:
    """Forget a key's failures (after a successful sign-in to that account)."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))
    session.flush()
