"""data revision: a token that changes with every write, for page caches

Revision ID: c6009be0554e
Revises: 3c5e1a7b9d20
Create Date: 2026-11-23 15:20:22.957423
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "c6009be0554e"
down_revision: str | None = "3c5e1a7b9d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_revision")),
    )
    # Random, so that two databases never share a token (nor a cached page).
    op.bulk_insert(
        table, [{"id": 1, "token": secrets.token_hex(8), "changed_at": datetime.now(UTC)}]
    )


def downgrade() -> None:
    op.drop_table("data_revision")
