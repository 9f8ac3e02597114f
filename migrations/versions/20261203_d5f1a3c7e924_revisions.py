"""a revision counted up by every change to an exercise or a personal dose (what kept answers are checked against)

Revision ID: d5f1a3c7e924
Revises: c4e8a2f6b195
Created: 2026-12-03 14:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = "d5f1a3c7e924"
down_revision = "c4e8a2f6b195"
branch_labels = None
depends_on = None


def upgrade():
    for table in ("exercises", "personal_doses"):
        # A plain ADD COLUMN: SQLite's copy-and-rename would trip over the foreign keys that name these tables.
        op.add_column(table, sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    for table in ("exercises", "personal_doses"):
        op.drop_column(table, "revision")
