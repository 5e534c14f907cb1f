"""note files: the PDF, Word or HTML file a note was read from, kept with its SHA-256

Revision ID: 9d3f6a1c2b70
Revises: 5b1e7c2d9a40
Create Date: 2026-12-02 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d3f6a1c2b70"
down_revision: str | None = "5b1e7c2d9a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: no existing row is touched on SQLite or PostgreSQL.
    op.create_table(
        "note_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["source_notes.id"],
            name=op.f("fk_note_files_note_id_source_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_files")),
        sa.UniqueConstraint("note_id", name=op.f("uq_note_files_note_id")),
    )
    op.create_index(op.f("ix_note_files_sha256"), "note_files", ["sha256"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_note_files_sha256"), table_name="note_files")
    op.drop_table("note_files")
