"""pain rated after each exercise of a session (pain_during)

Revision ID: 7b3e91c4d2a6
Revises: 5d1e7a0b3c42
Created: 2026-12-02 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "7b3e91c4d2a6"
down_revision = "5d1e7a0b3c42"
branch_labels = None
depends_on = None


def upgrade():
    # Nullable: sessions from phones that never asked keep no rating, and a skipped question stays unknown.
    with op.batch_alter_table("session_exercises") as batch:
        batch.add_column(sa.Column("pain_during", sa.Integer(), nullable=True))
        batch.create_check_constraint(op.f("ck_session_exercises_pain_during"), "pain_during BETWEEN 0 AND 10")


def downgrade():
    with op.batch_alter_table("session_exercises") as batch:
        batch.drop_constraint(op.f("ck_session_exercises_pain_during"), type_="check")
        batch.drop_column("pain_during")
