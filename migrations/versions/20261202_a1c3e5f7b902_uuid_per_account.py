"""client UUIDs unique per account (sessions, red-flag answers) and per thread (messages), not across every account

So a sync answers another account's UUID as `created` for this one, and a `conflict` never reveals that an id is
taken elsewhere.

Revision ID: a1c3e5f7b902
Revises: 9d4a6b2c8e13
Created: 2026-12-02 19:30:00
"""

from alembic import op


revision = "a1c3e5f7b902"
down_revision = "9d4a6b2c8e13"
branch_labels = None
depends_on = None

# table, the column that names the account
SCOPES = (("completed_sessions", "user_id"), ("red_flag_screens", "user_id"), ("messages", "client_id"))


def upgrade():
    for table, owner in SCOPES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"uq_{table}_uuid"), type_="unique")
            batch.create_unique_constraint(batch.f(f"uq_{table}_{owner}_uuid"), [owner, "uuid"])


def downgrade():
    # Fails if two accounts have since stored the same UUID: which one to keep is not the migration's to decide.
    for table, owner in SCOPES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(batch.f(f"uq_{table}_{owner}_uuid"), type_="unique")
            batch.create_unique_constraint(batch.f(f"uq_{table}_uuid"), ["uuid"])
