"""plan measures: a plan's own measures (milestones of kind `measure`) and responsible bodies

A measure is a milestone, so it keeps the status history, citations and flags; it gets its
number as the plan writes it, an area, the operative paragraphs it serves and whether it has
no deadline ("permanently"). Responsible bodies are per State, named in English and Russian
with aliases, and linked to measures many-to-many.

Revision ID: d5a9c3e1f7b2
Revises: d7e1b2c3a4f5
Create Date: 2026-12-02 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5a9c3e1f7b2"
down_revision: str | None = "d7e1b2c3a4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    "drafting",
    "approval_deadline",
    "national_report",
    "review_meeting",
    "round_table",
    "workshop",
    "peer_review",
    "other",
)
NEW_KINDS = (*OLD_KINDS, "measure")
AREAS = (
    "legal_basis",
    "export_control",
    "border_customs",
    "physical_protection",
    "biosecurity",
    "chemical_safety",
    "financing",
    "outreach",
    "other",
)


# SQLite rebuilds the milestones table in batch mode, which drops its search triggers: they
# are made again as d7e1b2c3a4f5 left them (titles and venues with their translations).
_SEARCH_ADD = (
    "INSERT INTO search_documents (rowid, milestone_id, note_id, field, body) "
    "SELECT r.id * 4 + 0, r.id, NULL, 'milestone', r.title || char(10) || r.title_alt "
    "|| char(10) || r.venue || char(10) || r.venue_alt || char(10) || r.organisers "
    "|| char(10) || r.responsible_agency || char(10) || r.description "
    "FROM milestones AS r WHERE 1 = 1 AND r.id = NEW.id"
)
_SEARCH_REMOVE = "DELETE FROM search_documents WHERE rowid = OLD.id * 4 + 0"


def _search_triggers_again() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    add, remove = _SEARCH_ADD, _SEARCH_REMOVE
    op.execute(
        f"CREATE TRIGGER search_milestones_insert AFTER INSERT ON milestones BEGIN {add}; END"
    )
    op.execute(
        f"CREATE TRIGGER search_milestones_update AFTER UPDATE ON milestones "
        f"BEGIN {remove}; {add}; END"
    )
    op.execute(
        f"CREATE TRIGGER search_milestones_delete AFTER DELETE ON milestones BEGIN {remove}; END"
    )


def _kinds(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("milestones") as batch_op:
        batch_op.add_column(sa.Column("measure_number", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column(
                "measure_area",
                sa.Enum(
                    *AREAS,
                    name="measure_area",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "operative_paragraphs", sa.String(length=100), server_default="", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("permanent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_unique_constraint(
            op.f("uq_milestones_plan_measure_number"), ["plan_id", "measure_number"]
        )
        batch_op.drop_constraint(op.f("ck_milestones_milestone_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_milestones_milestone_kind"), _kinds(NEW_KINDS))
    _search_triggers_again()
    op.create_table(
        "responsible_bodies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), server_default="", nullable=False),
        sa.Column("aliases", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_responsible_bodies_state_code_states")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_responsible_bodies")),
        sa.UniqueConstraint("state_code", "name_en", name=op.f("uq_responsible_bodies_state_code")),
    )
    with op.batch_alter_table("responsible_bodies") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_responsible_bodies_state_code"), ["state_code"], unique=False
        )
    op.create_table(
        "measure_bodies",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["responsible_bodies.id"],
            name=op.f("fk_measure_bodies_body_id_responsible_bodies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_measure_bodies_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("milestone_id", "body_id", name=op.f("pk_measure_bodies")),
    )
    with op.batch_alter_table("measure_bodies") as batch_op:
        batch_op.create_index(batch_op.f("ix_measure_bodies_body_id"), ["body_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("measure_bodies") as batch_op:
        batch_op.drop_index(batch_op.f("ix_measure_bodies_body_id"))
    op.drop_table("measure_bodies")
    with op.batch_alter_table("responsible_bodies") as batch_op:
        batch_op.drop_index(batch_op.f("ix_responsible_bodies_state_code"))
    op.drop_table("responsible_bodies")
    # The older schema knows no measures: they stay, as milestones of kind "other".
    op.execute("UPDATE milestones SET kind = 'other' WHERE kind = 'measure'")
    with op.batch_alter_table("milestones") as batch_op:
        batch_op.drop_constraint(op.f("ck_milestones_milestone_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_milestones_milestone_kind"), _kinds(OLD_KINDS))
        batch_op.drop_constraint(op.f("uq_milestones_plan_measure_number"), type_="unique")
        batch_op.drop_column("permanent")
        batch_op.drop_column("operative_paragraphs")
        batch_op.drop_constraint(op.f("ck_milestones_measure_area"), type_="check")
        batch_op.drop_column("measure_area")
        batch_op.drop_column("measure_number")
    _search_triggers_again()
