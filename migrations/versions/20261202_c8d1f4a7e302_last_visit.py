"""last visit: when each user last looked at the dashboard, for "N changes since your last visit"

Revision ID: c8d1f4a7e302
Revises: e7a9c3d5f1b2
Create Date: 2026-12-02 08:40:00.000000

Two nullable columns on users (plain ADD COLUMN, no rebuild on SQLite: every account keeps its
row and simply has no visit yet), and an index on each change's time so that counting the
changes since a moment reads only those changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c8d1f4a7e302"
down_revision: str | None = "e7a9c3d5f1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANGE_TIMES = (
    ("status_changes", "recorded_at"),
    ("milestone_edits", "recorded_at"),
    ("citations", "created_at"),
)


def upgrade() -> None:
    op.add_column("users", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "users", sa.Column("previous_visit_at", sa.DateTime(timezone=True), nullable=True)
    )
    for table, column in CHANGE_TIMES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in CHANGE_TIMES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("previous_visit_at")
        batch_op.drop_column("last_seen_at")
