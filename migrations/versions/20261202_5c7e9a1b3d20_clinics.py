"""clinics: a trainer's clinic name and logo for printouts

Revision ID: 5c7e9a1b3d20
Revises: a1c3e5f7b902
Created: 2026-12-02 20:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = "5c7e9a1b3d20"
down_revision = "a1c3e5f7b902"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clinics",
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_mimetype", sa.String(length=40), nullable=False),
        sa.Column("logo_sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainer_id"], ["users.id"], name=op.f("fk_clinics_trainer_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("trainer_id", name=op.f("pk_clinics")),
    )


def downgrade():
    op.drop_table("clinics")
