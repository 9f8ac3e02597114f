"""reminder settings: on or off, the time, email, and what the producer last decided

Revision ID: 9d4a6b2c8e13
Revises: 4f0c2b7d9e51
Created: 2026-12-02 15:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "9d4a6b2c8e13"
down_revision = "4f0c2b7d9e51"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("time", sa.String(length=5), nullable=False),
        sa.Column("email", sa.Boolean(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("nudged_after", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_reminder_settings_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_reminder_settings")),
    )
    op.create_index(op.f("ix_reminder_settings_enabled"), "reminder_settings", ["enabled"])


def downgrade():
    op.drop_index(op.f("ix_reminder_settings_enabled"), table_name="reminder_settings")
    op.drop_table("reminder_settings")
