"""red-flag answers synced by UUID with the day a clinician assessed them, the next morning's leg question, year of birth

Revision ID: 8b2f4e61a9d0
Revises: 7b3e91c4d2a6
Created: 2026-12-02 10:00:00
"""

import json
import uuid

from alembic import op
import sqlalchemy as sa


revision = "8b2f4e61a9d0"
down_revision = "7b3e91c4d2a6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("red_flag_screens") as batch:
        batch.add_column(sa.Column("uuid", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("signs", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("assessed_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("content_hash", sa.String(length=64), server_default="", nullable=False))

    # Earlier answers: their ticks become signs. A "confirmed" box ticked on the same form as the signs is
    # not carried over: it was never tied to a day or to a later step, so those answers need a clinician's
    # check confirmed anew (the safer reading).
    screens = sa.table(
        "red_flag_screens",
        sa.column("id", sa.Integer),
        sa.column("answers", sa.JSON),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("uuid", sa.String),
        sa.column("answered_at", sa.DateTime(timezone=True)),
        sa.column("signs", sa.JSON),
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(screens.c.id, screens.c.answers, screens.c.created_at)).all():
        answers = row.answers if isinstance(row.answers, dict) else json.loads(row.answers or "{}")
        connection.execute(
            screens.update()
            .where(screens.c.id == row.id)
            .values(uuid=str(uuid.uuid4()), answered_at=row.created_at, signs=sorted(answers.get("ticked", [])))
        )

    with op.batch_alter_table("red_flag_screens") as batch:
        batch.alter_column("uuid", existing_type=sa.String(length=36), nullable=False)
        batch.alter_column("answered_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("signs", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("answers")
        batch.create_unique_constraint(batch.f("uq_red_flag_screens_uuid"), ["uuid"])
        batch.create_index("ix_red_flag_screens_user_id_answered_at", ["user_id", "answered_at"])

    with op.batch_alter_table("check_ins") as batch:
        batch.add_column(sa.Column("legs", sa.Boolean(), nullable=True))
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("birth_year", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("birth_year")
    with op.batch_alter_table("check_ins") as batch:
        batch.drop_column("legs")
    with op.batch_alter_table("red_flag_screens") as batch:
        batch.add_column(sa.Column("answers", sa.JSON(), nullable=True))
    screens = sa.table(
        "red_flag_screens", sa.column("id", sa.Integer), sa.column("answers", sa.JSON), sa.column("signs", sa.JSON)
    )
    connection = op.get_bind()
    for row in connection.execute(sa.select(screens.c.id, screens.c.signs)).all():
        signs = row.signs if isinstance(row.signs, list) else json.loads(row.signs or "[]")
        connection.execute(
            screens.update().where(screens.c.id == row.id).values(answers={"ticked": signs, "confirmed": False})
        )
    with op.batch_alter_table("red_flag_screens") as batch:
        batch.alter_column("answers", existing_type=sa.JSON(), nullable=False)
        batch.drop_index("ix_red_flag_screens_user_id_answered_at")
        batch.drop_constraint(batch.f("uq_red_flag_screens_uuid"), type_="unique")
        batch.drop_column("content_hash")
        batch.drop_column("assessed_on")
        batch.drop_column("signs")
        batch.drop_column("answered_at")
        batch.drop_column("uuid")
