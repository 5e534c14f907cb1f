"""citation quote offsets: where each quote stands in its note, kept on the citation

Revision ID: 5b7c2d1e9a40
Revises: c6009be0554e
Create Date: 2026-12-02 05:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b7c2d1e9a40"
down_revision: str | None = "c6009be0554e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (NOT NULL with a default) needs no table rebuild on SQLite.
    op.add_column(
        "citations", sa.Column("quote_start", sa.Integer(), server_default="0", nullable=False)
    )
    op.add_column(
        "citations", sa.Column("quote_end", sa.Integer(), server_default="0", nullable=False)
    )
    # instr/strpos count characters from 1; the offsets count them from 0, as Python does.
    find = (
        "instr(n.text, c.quote)"
        if op.get_bind().dialect.name == "sqlite"
        else ("strpos(n.text, c.quote)")
    )
    op.execute(
        f"UPDATE citations AS c SET quote_start = {find} - 1, "
        f"quote_end = {find} - 1 + length(c.quote) "
        "FROM source_notes AS n WHERE n.id = c.note_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("citations") as batch_op:
        batch_op.drop_column("quote_end")
        batch_op.drop_column("quote_start")
