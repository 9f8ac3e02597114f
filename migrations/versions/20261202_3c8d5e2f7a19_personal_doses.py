"""a client's own doses on their assignment (personal_doses)

Revision ID: 3c8d5e2f7a19
Revises: 6a9a468dae38
Created: 2026-12-02 12:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "3c8d5e2f7a19"
down_revision = "6a9a468dae38"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "personal_doses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.Integer(), nullable=False),
        sa.Column("use_exercise_id", sa.Integer(), nullable=True),
        sa.Column("sets", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("hold_seconds", sa.Integer(), nullable=True),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("suggestions_off", sa.Boolean(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["assignment_id"], ["assignments.id"], name=op.f("fk_personal_doses_assignment_id_assignments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["exercise_id"], ["exercises.id"], name=op.f("fk_personal_doses_exercise_id_exercises"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["use_exercise_id"], ["exercises.id"], name=op.f("fk_personal_doses_use_exercise_id_exercises"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_personal_doses_decided_by_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_doses")),
        sa.UniqueConstraint("assignment_id", "exercise_id", name=op.f("uq_personal_doses_assignment_id_exercise_id")),
    )
    op.create_index(op.f("ix_personal_doses_assignment_id"), "personal_doses", ["assignment_id"])
    op.create_index(op.f("ix_personal_doses_exercise_id"), "personal_doses", ["exercise_id"])
    op.create_index(op.f("ix_personal_doses_use_exercise_id"), "personal_doses", ["use_exercise_id"])


def downgrade():
    op.drop_index(op.f("ix_personal_doses_use_exercise_id"), table_name="personal_doses")
    op.drop_index(op.f("ix_personal_doses_exercise_id"), table_name="personal_doses")
    op.drop_index(op.f("ix_personal_doses_assignment_id"), table_name="personal_doses")
    op.drop_table("personal_doses")
