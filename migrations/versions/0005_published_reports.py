"""published reports: report versions from the Board (or a school's) area, kept offline

Revision ID: 0005_published_reports
Revises: 0004_sync_state
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_published_reports"
down_revision = "0004_sync_state"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_report",
        sa.Column("folder", sa.String(length=120), nullable=False),
        sa.Column("variant", sa.String(length=16), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("manifest", sa.LargeBinary(), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("folder", name=op.f("pk_published_report")),
    )


def downgrade() -> None:
    op.drop_table("published_report")
