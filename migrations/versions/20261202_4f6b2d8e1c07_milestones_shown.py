"""the milestones Today has shown each person (milestones_shown)

Revision ID: 4f6b2d8e1c07
Revises: 7e2b4c8a1d65
Created: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "4f6b2d8e1c07"
down_revision = "7e2b4c8a1d65"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "milestones_shown",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_milestones_shown_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones_shown")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_milestones_shown_user_id_key")),
    )
    op.create_index(op.f("ix_milestones_shown_user_id"), "milestones_shown", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_milestones_shown_user_id"), table_name="milestones_shown")
    op.drop_table("milestones_shown")
