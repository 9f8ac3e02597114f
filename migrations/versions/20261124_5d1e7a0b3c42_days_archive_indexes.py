"""client training days on assignments, archived programs, two indexes, unused note columns gone

Revision ID: 5d1e7a0b3c42
Revises: c095c6c8ac15
Created: 2026-11-24 09:00:00
"""

from alembic import op
import sqlalchemy as sa



revision = "5d1e7a0b3c42"
down_revision = "c095c6c8ac15"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("days", sa.String(length=40), server_default="", nullable=False))
    with op.batch_alter_table("programs") as batch:
        batch.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    # A trainer's notes live in trainer_comments; these three were never written.
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("trainer_note_seen_at")
        batch.drop_column("trainer_note_at")
        batch.drop_column("trainer_note")
    op.create_index(op.f("ix_check_ins_session_id"), "check_ins", ["session_id"])
    op.create_index(
        "ix_completed_sessions_user_id_completed_at", "completed_sessions", ["user_id", "completed_at"]
    )


def downgrade():
    op.drop_index("ix_completed_sessions_user_id_completed_at", table_name="completed_sessions")
    op.drop_index(op.f("ix_check_ins_session_id"), table_name="check_ins")
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("trainer_note", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("trainer_note_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("trainer_note_seen_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("programs") as batch:
        batch.drop_column("archived_at")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("days")
