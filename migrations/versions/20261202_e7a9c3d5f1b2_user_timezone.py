"""user timezone: the zone a reader's timestamps are shown in (IANA name, e.g. Asia/Dushanbe)

Revision ID: e7a9c3d5f1b2
Revises: d2e5f8a1b3c7
Create Date: 2026-12-02 08:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e7a9c3d5f1b2"
down_revision: str | None = "d2e5f8a1b3c7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable ADD COLUMN: no table rebuild; None = the zone of the reader's States.
    op.add_column("users", sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("timezone")
