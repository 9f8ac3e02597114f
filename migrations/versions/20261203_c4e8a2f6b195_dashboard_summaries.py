"""dashboard summaries (each client's row kept worked out, what it came from, until when); records by client and id

Revision ID: c4e8a2f6b195
Revises: b7d2e4a6c813
Created: 2026-12-03 08:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "c4e8a2f6b195"
down_revision = "b7d2e4a6c813"
branch_labels = None
depends_on = None


def upgrade():
    # Derived data: the job worker fills it; until then the dashboard works every row out from the records.
    op.create_table(
        "dashboard_summaries",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("sessions_from", sa.Integer(), nullable=False),
        sa.Column("check_ins_from", sa.Integer(), nullable=False),
        sa.Column("answers_from", sa.Integer(), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown", sa.JSON(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"], ["users.id"], name=op.f("fk_dashboard_summaries_client_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_dashboard_summaries")),
    )
    # A client's records by arrival: the kept rows' fingerprints count those since a point, a seek per client.
    # Each replaces the index on the client alone, which the new one serves as well.
    for table in TABLES:
        op.create_index(f"ix_{table}_user_id_id", table, ["user_id", "id"])
        op.drop_index(f"ix_{table}_user_id", table_name=table)


def downgrade():
    for table in TABLES:
        op.create_index(f"ix_{table}_user_id", table, ["user_id"])
        op.drop_index(f"ix_{table}_user_id_id", table_name=table)
    op.drop_table("dashboard_summaries")


TABLES = ("completed_sessions", "check_ins", "red_flag_screens")
