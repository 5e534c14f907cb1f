"""half-year precision: "первое полугодие 2016 г." / "first half of 2016" as a due window

Revision ID: d2e5f8a1b3c7
Revises: d5a9c3e1f7b2
Create Date: 2026-12-02 08:45:00.000000

The precision is a VARCHAR with a CHECK constraint (not a native enum), so only the
constraint changes. SQLite rebuilds the table to change it (batch mode, foreign keys off:
no row is lost); the rebuild drops the table's triggers (the search index's, see
a3f16c0d5e27), so they are read before and created again after. A downgrade refuses while a
milestone still has a half-year window, rather than invent a precision for it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d2e5f8a1b3c7"
down_revision: str | None = "d5a9c3e1f7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ("day", "month", "quarter", "year", "period")
NEW = ("day", "month", "quarter", "half_year", "year", "period")
CONSTRAINT = "ck_milestones_due_precision"


def _check(values: tuple[str, ...]) -> str:
    return "due_precision IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _replace_check(values: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f(CONSTRAINT), "milestones", type_="check")
        op.create_check_constraint(op.f(CONSTRAINT), "milestones", _check(values))
        return
    triggers = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'milestones'"
    ).scalars()
    saved = [sql for sql in triggers if sql]
    with op.batch_alter_table("milestones") as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), sa.text(_check(values)))
    for sql in saved:
        op.execute(sql)


def upgrade() -> None:
    _replace_check(NEW)


def downgrade() -> None:
    count = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM milestones WHERE due_precision = 'half_year'")
    )
    if count:
        raise RuntimeError(
            f"{count} milestone(s) have a half-year due window; edit their dates before "
            "downgrading (the older schema cannot hold them)"
        )
    _replace_check(OLD)
