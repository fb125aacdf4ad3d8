"""conflict settlements: a person's choice between concurrent values, synced

Revision ID: 0006_conflict_settlements
Revises: 0005_published_reports
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_conflict_settlements"
down_revision = "0005_published_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conflict_settlement",
        sa.Column("partition", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("settled_hlc", sa.String(length=80), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict_settlement")),
    )


def downgrade() -> None:
    op.drop_table("conflict_settlement")
