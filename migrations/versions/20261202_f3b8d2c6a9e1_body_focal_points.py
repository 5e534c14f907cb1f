"""body focal points: the accounts that record progress on a responsible body's measures

A focal point is narrower than a coordinator: they record status changes (with a comment and a
source) on the measures their body is responsible for, and get those measures' reminders.
A new link table only; no existing row changes.

Revision ID: f3b8d2c6a9e1
Revises: f3b8d6a2c915
Create Date: 2026-12-02 11:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f3b8d2c6a9e1"
down_revision: str | None = "f3b8d6a2c915"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "body_focal_points",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["responsible_bodies.id"],
            name=op.f("fk_body_focal_points_body_id_responsible_bodies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_body_focal_points_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("body_id", "user_id", name=op.f("pk_body_focal_points")),
    )
    with op.batch_alter_table("body_focal_points") as batch_op:
        batch_op.create_index(batch_op.f("ix_body_focal_points_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("body_focal_points") as batch_op:
        batch_op.drop_index(batch_op.f("ix_body_focal_points_user_id"))
    op.drop_table("body_focal_points")
