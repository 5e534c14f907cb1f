"""Tables of the reminders: mail preferences, State subscriptions, watches, snoozes, the
outbox, and the notices already queued (the key that makes every reminder go out once)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models import Base, User, UTCDateTime, utcnow

DEFAULT_LEAD_DAYS = "30,7,1"


def _enum(cls: type[StrEnum], name: str) -> SAEnum:
    return SAEnum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class DigestFrequency(StrEnum):
    """How often a user gets the digest of what changed."""

    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class OutboxStatus(StrEnum):
    """Where a queued e-mail stands."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class NoticeReason(StrEnum):
    """Why a milestone is named in an e-mail."""

    REMINDER = "reminder"
    OVERDUE = "overdue"


class MailPreference(Base):
    """A user's choices about e-mail (absent: the defaults)."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Days before a milestone's key day, comma-separated, e.g. "30,7,1".
    lead_days: Mapped[str] = mapped_column(String(100), default=DEFAULT_LEAD_DAYS)
    # Milestone kinds to hear about; empty: every kind.
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    digest: Mapped[DigestFrequency] = mapped_column(
        _enum(DigestFrequency, "digest_frequency"), default=DigestFrequency.WEEKLY
    )
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # The run date (as of) and the real time of the last digest; changes are those recorded
    # since that time. None: no digest yet (the first run sets them and sends nothing).
    last_digest_on: Mapped[date | None] = mapped_column(Date)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StateSubscription(Base):
    """An explicit choice about one State's mail (coordinators get their States by default)."""

    __tablename__ = "state_subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), primary_key=True)
    subscribed: Mapped[bool] = mapped_column(Boolean)


class Watch(Base):
    """A user follows one milestone, whatever its States."""

    __tablename__ = "watches"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Snooze(Base):
    """No mail to a user about one milestone until a day (inclusive)."""

    __tablename__ = "snoozes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), primary_key=True
    )
    until: Mapped[date] = mapped_column(Date)


class OutboxMessage(Base):
    """One e-mail, composed and kept whole until the SMTP server has accepted it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    # The whole message as RFC 5322 text, exactly as it is sent.
    raw: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        _enum(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


class MailNotice(Base):
    """A reminder or overdue notice queued for a user: at most one per key, ever.

    The key (user, milestone, reason, lead) is unique, so two runs at once, or a run
    repeated, queue nothing twice. For an overdue notice, `lead` counts whole weeks overdue.
    """

    __tablename__ = "mail_notices"
    __table_args__ = (
        Index("uq_mail_notices_key", "user_id", "milestone_id", "reason", "lead", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[NoticeReason] = mapped_column(_enum(NoticeReason, "notice_reason"))
    lead: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[date] = mapped_column(Date)
    # The Message-ID of the e-mail that carried it (the outbox may be purged of old mail).
    message_id: Mapped[str] = mapped_column(String(300), index=True, default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


MAIL_MODELS = (MailPreference, StateSubscription, Watch, Snooze, OutboxMessage, MailNotice)
