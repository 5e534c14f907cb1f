"""initial schema

Revision ID: 7f9ffe79f22d
Revises:
Create Date: 2026-11-23 13:13:08.715212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7f9ffe79f22d"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "source_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "information_note",
                "press_release",
                "report",
                "other",
                name="note_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("event", sa.String(length=1000), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_notes")),
        sa.UniqueConstraint("sha256", name=op.f("uq_source_notes_sha256")),
        sa.UniqueConstraint("slug", name=op.f("uq_source_notes_slug")),
    )
    op.create_table(
        "states",
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.CheckConstraint("length(code) = 3", name=op.f("ck_states_code_alpha3")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_states")),
        sa.UniqueConstraint("name", name=op.f("uq_states_name")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "admin",
                "coordinator",
                "viewer",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "action_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=True),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "drafting",
                "approved",
                "implementing",
                "under_review",
                "superseded",
                name="plan_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "period_end IS NULL OR (period_start IS NOT NULL AND period_end >= period_start)",
            name=op.f("ck_action_plans_period_order"),
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_action_plans_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["action_plans.id"],
            name=op.f("fk_action_plans_supersedes_id_action_plans"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_plans")),
        sa.UniqueConstraint("ref", name=op.f("uq_action_plans_ref")),
    )
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_plans_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "user_states",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_user_states_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_states_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "state_code", name=op.f("pk_user_states")),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "drafting",
                "approval_deadline",
                "national_report",
                "review_meeting",
                "round_table",
                "workshop",
                "peer_review",
                "other",
                name="milestone_kind",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due_start", sa.Date(), nullable=False),
        sa.Column("due_end", sa.Date(), nullable=False),
        sa.Column(
            "due_precision",
            sa.Enum(
                "day",
                "month",
                "quarter",
                "year",
                "period",
                name="due_precision",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("due_text", sa.String(length=200), nullable=False),
        sa.Column("venue", sa.String(length=300), nullable=False),
        sa.Column("organisers", sa.String(length=1000), nullable=False),
        sa.Column("responsible_agency", sa.String(length=300), nullable=False),
        sa.Column("host_state_code", sa.String(length=3), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "cancelled",
                name="milestone_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("due_end >= due_start", name=op.f("ck_milestones_due_order")),
        sa.ForeignKeyConstraint(
            ["host_state_code"], ["states.code"], name=op.f("fk_milestones_host_state_code_states")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_milestones_plan_id_action_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("ref", name=op.f("uq_milestones_ref")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_due_end"), ["due_end"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestones_due_start"), ["due_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_milestones_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "citations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("date_text", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(milestone_id IS NULL) <> (plan_id IS NULL)", name=op.f("ck_citations_one_subject")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_citations_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["source_notes.id"], name=op.f("fk_citations_note_id_source_notes")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["action_plans.id"], name=op.f("fk_citations_plan_id_action_plans")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citations")),
    )
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_citations_milestone_id"), ["milestone_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_citations_note_id"), ["note_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_citations_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "milestone_states",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("state_code", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_states_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["state_code"], ["states.code"], name=op.f("fk_milestone_states_state_code_states")
        ),
        sa.PrimaryKeyConstraint("milestone_id", "state_code", name=op.f("pk_milestone_states")),
    )
    with op.batch_alter_table("milestone_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_states_state_code"), ["state_code"], unique=False
        )

    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column(
            "old_status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "cancelled",
                name="old_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "new_status",
            sa.Enum(
                "planned",
                "in_progress",
                "done",
                "cancelled",
                name="new_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_label", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("citation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["citation_id"], ["citations.id"], name=op.f("fk_status_changes_citation_id_citations")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_status_changes_milestone_id_milestones"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_status_changes_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_changes")),
    )
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_status_changes_milestone_id"), ["milestone_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_status_changes_milestone_id"))

    op.drop_table("status_changes")
    with op.batch_alter_table("milestone_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_states_state_code"))

    op.drop_table("milestone_states")
    with op.batch_alter_table("citations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_citations_plan_id"))
        batch_op.drop_index(batch_op.f("ix_citations_note_id"))
        batch_op.drop_index(batch_op.f("ix_citations_milestone_id"))

    op.drop_table("citations")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_plan_id"))
        batch_op.drop_index(batch_op.f("ix_milestones_due_start"))
        batch_op.drop_index(batch_op.f("ix_milestones_due_end"))

    op.drop_table("milestones")
    op.drop_table("user_states")
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_plans_state_code"))

    op.drop_table("action_plans")
    op.drop_table("users")
    op.drop_table("states")
    op.drop_table("source_notes")
