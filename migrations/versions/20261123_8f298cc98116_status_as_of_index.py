"""status as of index: the last change effective by a date, per milestone, from the index

Revision ID: 8f298cc98116
Revises: 12d9044345b6
Create Date: 2026-11-23 14:22:56.063319
"""

from collections.abc import Sequence

from alembic import op

revision: str = "8f298cc98116"
down_revision: str | None = "12d9044345b6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The new index starts with milestone_id, so it also serves what the old one did.
    op.drop_index("ix_status_changes_milestone_id", table_name="status_changes")
    op.create_index(
        "ix_status_changes_as_of",
        "status_changes",
        ["milestone_id", "effective_on", "id", "new_status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_status_changes_as_of", table_name="status_changes")
    op.create_index(
        "ix_status_changes_milestone_id", "status_changes", ["milestone_id"], unique=False
    )
