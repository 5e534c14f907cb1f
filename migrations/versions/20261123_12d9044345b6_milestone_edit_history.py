"""milestone edit history

Revision ID: 12d9044345b6
Revises: 8a7e594e1249
Create Date: 2026-11-23 13:24:49.263415
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "12d9044345b6"
down_revision: str | None = "8a7e594e1249"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "milestone_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_edits_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_milestone_edits_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_edits")),
    )
    with op.batch_alter_table("milestone_edits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_edits_milestone_id"), ["milestone_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("milestone_edits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_edits_milestone_id"))

    op.drop_table("milestone_edits")
