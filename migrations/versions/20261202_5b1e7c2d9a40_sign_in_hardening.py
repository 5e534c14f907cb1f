"""sign-in hardening: session generations, login failures, no e-mail-derived names

Revision ID: 5b1e7c2d9a40
Revises: 5b7c2d1e9a40
Create Date: 2026-12-02 05:10:00

Display names that were only the part of the e-mail before '@' (the old default) are
cleared, so readers see a role label instead; the downgrade puts them back. Status changes
recorded by a web import ("import by <e-mail>") are linked to that account, so readers see
its name, not the e-mail (the label is kept as it was; the downgrade unlinks them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b1e7c2d9a40"
down_revision: str | None = "5b7c2d1e9a40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

users = sa.table(
    "users",
    sa.column("id", sa.Integer()),
    sa.column("email", sa.String()),
    sa.column("display_name", sa.String()),
)


# History entries labelled "import by <e-mail>" with no account linked yet.
LINK_IMPORTS = """
UPDATE {table} SET recorded_by_id = (
    SELECT users.id FROM users WHERE 'import by ' || users.email = {table}.recorded_by_label
)
WHERE recorded_by_id IS NULL AND recorded_by_label LIKE 'import by %'
"""
UNLINK_IMPORTS = (
    "UPDATE {table} SET recorded_by_id = NULL WHERE recorded_by_label LIKE 'import by %'"
)


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_key_failed_at", ["key", "failed_at"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )
    connection = op.get_bind()
    for user_id, email, name in connection.execute(
        sa.select(users.c.id, users.c.email, users.c.display_name)
    ):
        if name == email.split("@")[0]:
            connection.execute(users.update().where(users.c.id == user_id).values(display_name=""))
    for table in ("status_changes", "milestone_edits"):
        connection.execute(sa.text(LINK_IMPORTS.format(table=table)))


def downgrade() -> None:
    connection = op.get_bind()
    for table in ("status_changes", "milestone_edits"):
        connection.execute(sa.text(UNLINK_IMPORTS.format(table=table)))
    for user_id, email in connection.execute(
        sa.select(users.c.id, users.c.email).where(users.c.display_name == "")
    ):
        connection.execute(
            users.update().where(users.c.id == user_id).values(display_name=email.split("@")[0])
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_key_failed_at")
    op.drop_table("login_failures")
