"""reminders: mail preferences, State subscriptions, watches, snoozes, outbox, notices

Revision ID: e13a0c7d5b21
Revises: 9d3f6a1c2b70
Create Date: 2026-12-02 06:00:00

New tables only; nothing existing changes, so no row is touched either way.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e13a0c7d5b21"
down_revision: str | None = "9d3f6a1c2b70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    op.create_table(
        "mail_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lead_days", sa.String(length=100), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("digest", _enum("digest_frequency", "daily", "weekly", "off"), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("last_digest_on", sa.Date(), nullable=True),
        sa.Column("last_digest_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mail_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mail_preferences")),
    )
    op.create_table(
        "state_subscriptions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("subscribed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_state_subscriptions_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_state_subscriptions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "state_code", name=op.f("pk_state_subscriptions")),
    )
    for table in ("watches", "snoozes"):
        extra = (
            [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)]
            if table == "watches"
            else [sa.Column("until", sa.Date(), nullable=False)]
        )
        op.create_table(
            table,
            sa.Column("user_id", sa.Integer(), nullable=False),
            sa.Column("milestone_id", sa.Integer(), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["milestone_id"],
                ["milestones.id"],
                name=op.f(f"fk_{table}_milestone_id_milestones"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                ["user_id"],
                ["users.id"],
                name=op.f(f"fk_{table}_user_id_users"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("user_id", "milestone_id", name=op.f(f"pk_{table}")),
        )
    op.create_index(op.f("ix_watches_milestone_id"), "watches", ["milestone_id"])
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column(
            "status", _enum("outbox_status", "queued", "sending", "sent", "failed"), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_outbox_messages_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_messages_message_id")),
    )
    op.create_index("ix_outbox_messages_due", "outbox_messages", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_outbox_messages_user_id"), "outbox_messages", ["user_id"])
    op.create_table(
        "mail_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("reason", _enum("notice_reason", "reminder", "overdue"), nullable=False),
        sa.Column("lead", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_mail_notices_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_mail_notices_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_notices")),
    )
    op.create_index(
        "uq_mail_notices_key",
        "mail_notices",
        ["user_id", "milestone_id", "reason", "lead"],
        unique=True,
    )
    op.create_index(op.f("ix_mail_notices_milestone_id"), "mail_notices", ["milestone_id"])
    op.create_index(op.f("ix_mail_notices_message_id"), "mail_notices", ["message_id"])


def downgrade() -> None:
    op.drop_table("mail_notices")
    op.drop_table("outbox_messages")
    op.drop_table("snoozes")
    op.drop_table("watches")
    op.drop_table("state_subscriptions")
    op.drop_table("mail_preferences")
