"""dashboard summaries: the row as it will read from its valid_until on, worked out by the worker beforehand

Revision ID: e8b3d6f0a247
Revises: d5f1a3c7e924
Created: 2026-12-03 19:50:00
"""

from alembic import op
import sqlalchemy as sa


revision = "e8b3d6f0a247"
down_revision = "d5f1a3c7e924"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMNs, both empty until the worker's next turn fills them (the dashboard reads them only then).
    op.add_column("dashboard_summaries", sa.Column("next_shown", sa.JSON(), nullable=True))
    op.add_column("dashboard_summaries", sa.Column("next_until", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    op.drop_column("dashboard_summaries", "next_until")
    op.drop_column("dashboard_summaries", "next_shown")
