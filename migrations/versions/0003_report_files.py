"""report files: the PDFs of final report versions, inside the encrypted store

Revision ID: 0003_report_files
Revises: 0002_visit_search
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0003_report_files'
down_revision = '0002_visit_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_file',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('version_id', sa.String(length=32), nullable=False),
    sa.Column('variant', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_report_file_quad_id_quad')),
    sa.ForeignKeyConstraint(['version_id'], ['report_version.id'], name=op.f('fk_report_file_version_id_report_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_file')),
    sa.UniqueConstraint('version_id', 'variant', name=op.f('uq_report_file_version_id'))
    )


def downgrade() -> None:
    op.drop_table('report_file')
