"""indexes the trainer's dashboard reads by: a client's sessions by day, a client's check-ins by kind

Revision ID: b7d2e4a6c813
Revises: 5c7e9a1b3d20
Created: 2026-12-03 04:15:00
"""

from alembic import op


revision = "b7d2e4a6c813"
down_revision = "5c7e9a1b3d20"
branch_labels = None
depends_on = None


def upgrade():
    # Each client's last session day and the last weeks' sessions: a seek per client, whatever the history.
    op.create_index(
        "ix_completed_sessions_user_id_local_date", "completed_sessions", ["user_id", "local_date"]
    )
    # The onboarding rating among a client's many next-morning checks.
    op.create_index("ix_check_ins_user_id_kind_created_at", "check_ins", ["user_id", "kind", "created_at"])


def downgrade():
    op.drop_index("ix_check_ins_user_id_kind_created_at", table_name="check_ins")
    op.drop_index("ix_completed_sessions_user_id_local_date", table_name="completed_sessions")
