"""onboarding's answers that choose the program offered first (profiles.pain_since, floor, activity_level)

Revision ID: 7e2b4c8a1d65
Revises: 5d1c7a9e3b40
Created: 2026-12-02 15:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = "7e2b4c8a1d65"
down_revision = "5d1c7a9e3b40"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("pain_since", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("floor", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("activity_level", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("activity_level")
        batch.drop_column("floor")
        batch.drop_column("pain_since")
