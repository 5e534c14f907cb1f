"""milestone edit comment: why a milestone was edited (a postponement's reason)

Revision ID: a4c8e2f61d37
Revises: b7e2c94d1f03
Create Date: 2026-12-02 06:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a4c8e2f61d37"
down_revision: str | None = "b7e2c94d1f03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (NOT NULL with a default) needs no table rebuild on SQLite; every
    # existing edit keeps its row and gets an empty comment.
    op.add_column(
        "milestone_edits", sa.Column("comment", sa.Text(), server_default="", nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table("milestone_edits") as batch_op:
        batch_op.drop_column("comment")
