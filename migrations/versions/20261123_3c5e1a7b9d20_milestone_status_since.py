"""milestone status since: the date of the latest status change, kept on the milestone

Revision ID: 3c5e1a7b9d20
Revises: 8f298cc98116
Create Date: 2026-11-23 15:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3c5e1a7b9d20"
down_revision: str | None = "8f298cc98116"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("milestones") as batch_op:
        batch_op.add_column(sa.Column("status_since", sa.Date(), nullable=True))
    # History is kept in date order, so the latest change's date is the largest one.
    op.execute(
        "UPDATE milestones SET status_since = (SELECT max(status_changes.effective_on) "
        "FROM status_changes WHERE status_changes.milestone_id = milestones.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("milestones") as batch_op:
        batch_op.drop_column("status_since")
