"""messages between a client and their trainer; the trainer's one-way notes become the first messages

Revision ID: 4f0c2b7d9e51
Revises: 4f6b2d8e1c07
Created: 2026-12-02 14:45:00
"""

import hashlib
import json
import uuid

from alembic import op
import sqlalchemy as sa


revision = "4f0c2b7d9e51"
down_revision = "4f6b2d8e1c07"
branch_labels = None
depends_on = None


def _hash(body, written_at):
    # As webapp/messages/services.content_hash computes it, so a note sent again by its id would be a duplicate.
    return hashlib.sha256(json.dumps({"body": body, "written_at": written_at.timestamp()}).encode()).hexdigest()


def upgrade():
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=7), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("author IN ('client', 'trainer')", name=op.f("ck_messages_author")),
        sa.ForeignKeyConstraint(
            ["client_id"], ["users.id"], name=op.f("fk_messages_client_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["users.id"], name=op.f("fk_messages_trainer_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["completed_sessions.id"],
            name=op.f("fk_messages_session_id_completed_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("uuid", name=op.f("uq_messages_uuid")),
    )
    op.create_index("ix_messages_client_id_written_at", "messages", ["client_id", "written_at"])
    op.create_index(op.f("ix_messages_client_id"), "messages", ["client_id"])
    op.create_index(op.f("ix_messages_trainer_id"), "messages", ["trainer_id"])
    op.create_index(op.f("ix_messages_session_id"), "messages", ["session_id"])

    # Every note a trainer wrote becomes that trainer's message in the client's thread, with its date, and read
    # when the client had seen it.
    comments = sa.table(
        "trainer_comments",
        sa.column("id", sa.Integer),
        sa.column("trainer_id", sa.Integer),
        sa.column("client_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("seen_at", sa.DateTime(timezone=True)),
    )
    messages = sa.table(
        "messages",
        sa.column("uuid", sa.String),
        sa.column("client_id", sa.Integer),
        sa.column("trainer_id", sa.Integer),
        sa.column("author", sa.String),
        sa.column("body", sa.Text),
        sa.column("content_hash", sa.String),
        sa.column("written_at", sa.DateTime(timezone=True)),
        sa.column("received_at", sa.DateTime(timezone=True)),
        sa.column("read_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(comments).order_by(comments.c.id)).all()
    if rows:
        connection.execute(
            messages.insert(),
            [
                {
                    "uuid": str(uuid.uuid4()),
                    "client_id": row.client_id,
                    "trainer_id": row.trainer_id,
                    "author": "trainer",
                    "body": row.text,
                    "content_hash": _hash(row.text, row.created_at),
                    "written_at": row.created_at,
                    "received_at": row.created_at,
                    "read_at": row.seen_at,
                }
                for row in rows
            ],
        )
    op.drop_table("trainer_comments")


def downgrade():
    op.create_table(
        "trainer_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["users.id"], name=op.f("fk_trainer_comments_client_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["users.id"], name=op.f("fk_trainer_comments_trainer_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainer_comments")),
    )
    op.create_index(op.f("ix_trainer_comments_client_id"), "trainer_comments", ["client_id"])
    op.create_index(op.f("ix_trainer_comments_trainer_id"), "trainer_comments", ["trainer_id"])
    # The trainers' messages go back as notes; the clients' own messages have nowhere to go in the older schema.
    messages = sa.table(
        "messages",
        sa.column("trainer_id", sa.Integer),
        sa.column("client_id", sa.Integer),
        sa.column("author", sa.String),
        sa.column("body", sa.Text),
        sa.column("written_at", sa.DateTime(timezone=True)),
        sa.column("read_at", sa.DateTime(timezone=True)),
        sa.column("id", sa.Integer),
    )
    comments = sa.table(
        "trainer_comments",
        sa.column("trainer_id", sa.Integer),
        sa.column("client_id", sa.Integer),
        sa.column("text", sa.Text),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("seen_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(messages)
        .where(messages.c.author == "trainer", messages.c.trainer_id.is_not(None))
        .order_by(messages.c.id)
    ).all()
    if rows:
        connection.execute(
            comments.insert(),
            [
                {
                    "trainer_id": row.trainer_id,
                    "client_id": row.client_id,
                    "text": row.body,
                    "created_at": row.written_at,
                    "seen_at": row.read_at,
                }
                for row in rows
            ],
        )
    op.drop_index(op.f("ix_messages_session_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_trainer_id"), table_name="messages")
    op.drop_index(op.f("ix_messages_client_id"), table_name="messages")
    op.drop_index("ix_messages_client_id_written_at", table_name="messages")
    op.drop_table("messages")
