"""sync state: outgoing and applied segments, field clocks, kept conflicts, tombstones

Everything here stays on this laptop; see invictus_desktop/sync/.

Revision ID: 0004_sync_state
Revises: 0003_report_files
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_sync_state"
down_revision = "0003_report_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_entry_entity_row", ["entity", "entity_id"], unique=False
        )

    op.create_table(
        "sync_outgoing_segment",
        sa.Column("partition", sa.String(length=60), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("outbox_seqs", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("partition", "seq", name=op.f("pk_sync_outgoing_segment")),
        sa.UniqueConstraint("name", name=op.f("uq_sync_outgoing_segment_name")),
    )
    op.create_table(
        "sync_applied_segment",
        sa.Column("partition", sa.String(length=60), nullable=False),
        sa.Column("device_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "partition", "device_id", "seq", name=op.f("pk_sync_applied_segment")
        ),
    )
    op.create_table(
        "sync_field_clock",
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("base", sa.String(length=80), nullable=False),
        sa.Column("seen_at", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint(
            "entity", "entity_id", "field", "hlc", name=op.f("pk_sync_field_clock")
        ),
    )
    op.create_table(
        "sync_kept_conflict",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_kept_conflict")),
        sa.UniqueConstraint(
            "entity", "entity_id", "field", "hlc", name=op.f("uq_sync_kept_conflict_entity")
        ),
    )
    op.create_table(
        "sync_tombstone",
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_sync_tombstone")),
    )


def downgrade() -> None:
    op.drop_table("sync_tombstone")
    op.drop_table("sync_kept_conflict")
    op.drop_table("sync_field_clock")
    op.drop_table("sync_applied_segment")
    op.drop_table("sync_outgoing_segment")
    with op.batch_alter_table("outbox_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_entry_entity_row")
