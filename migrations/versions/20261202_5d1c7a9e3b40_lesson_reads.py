"""the lessons a person has read (lesson_reads)

Revision ID: 5d1c7a9e3b40
Revises: 5e7c0a9d3b21
Created: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "5d1c7a9e3b40"
down_revision = "5e7c0a9d3b21"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lesson_reads",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("lesson_slug", sa.String(length=80), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "lesson_slug"),
    )


def downgrade():
    op.drop_table("lesson_reads")
