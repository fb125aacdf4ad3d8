"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clock_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wall_ms', sa.Integer(), nullable=False),
    sa.Column('counter', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clock_state'))
    )
    op.create_table('outbox_entry',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('partition', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('operation', sa.String(length=10), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('hlc', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_in_segment', sa.String(length=120), nullable=True),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox_entry'))
    )
    with op.batch_alter_table('outbox_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_entry_partition'), ['partition'], unique=False)

    op.create_table('person',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('sync_cursor',
    sa.Column('partition', sa.String(length=60), nullable=False),
    sa.Column('device_id', sa.String(length=32), nullable=False),
    sa.Column('applied_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('partition', 'device_id', name=op.f('pk_sync_cursor'))
    )
    op.create_table('trust',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trust'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=32), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    op.create_table('local_identity',
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('device_id', sa.String(length=32), nullable=False),
    sa.Column('signing_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('exchange_private', sa.LargeBinary(length=32), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_local_identity_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_identity')),
    sa.UniqueConstraint('device_id', name=op.f('uq_local_identity_device_id')),
    sa.UniqueConstraint('person_id', name=op.f('uq_local_identity_person_id'))
    )
    op.create_table('person_key',
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('signing_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('exchange_public', sa.LargeBinary(length=32), nullable=False),
    sa.Column('enrolled_by_id', sa.String(length=32), nullable=True),
    sa.Column('enrolment_signature', sa.LargeBinary(length=64), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrolled_by_id'], ['person.id'], name=op.f('fk_person_key_enrolled_by_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_key_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_key'))
    )
    op.create_table('school',
    sa.Column('trust_id', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('urn', sa.String(length=16), nullable=True),
    sa.Column('phase', sa.String(length=40), nullable=False),
    sa.Column('headteacher_name', sa.String(length=200), nullable=False),
    sa.Column('safeguarding_lead_name', sa.String(length=200), nullable=False),
    sa.Column('safeguarding_lead_email', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['trust_id'], ['trust.id'], name=op.f('fk_school_trust_id_trust')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school')),
    sa.UniqueConstraint('urn', name=op.f('uq_school_urn'))
    )
    op.create_table('quad',
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('quad', 'specialist_visit', name='reviewkind', native_enum=False, length=32), nullable=False),
    sa.Column('school_id', sa.String(length=32), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('term', sa.Enum('autumn', 'spring', 'summer', name='term', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'reporting', 'finalised', 'published', 'cancelled', name='reviewstatus', native_enum=False, length=32), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_quad_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quad')),
    sa.UniqueConstraint('reference', name=op.f('uq_quad_reference'))
    )
    op.create_table('role_assignment',
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.Enum('consultant', 'executive_head', 'headteacher', 'subject_specialist', 'board_member', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('school_id', sa.String(length=32), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_role_assignment_person_id_person')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_role_assignment_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignment'))
    )
    op.create_table('sip',
    sa.Column('school_id', sa.String(length=32), nullable=False),
    sa.Column('academic_year', sa.String(length=9), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_sip_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sip')),
    sa.UniqueConstraint('school_id', 'academic_year', name=op.f('uq_sip_school_id'))
    )
    op.create_table('staff_member',
    sa.Column('school_id', sa.String(length=32), nullable=False),
    sa.Column('staff_code', sa.String(length=16), nullable=True),
    sa.Column('title', sa.String(length=20), nullable=False),
    sa.Column('first_name', sa.String(length=100), nullable=False),
    sa.Column('last_name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=120), nullable=False),
    sa.Column('subjects', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_staff_member_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member')),
    sa.UniqueConstraint('school_id', 'staff_code', name=op.f('uq_staff_member_school_id'))
    )
    op.create_table('focus_area',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_focus_area_quad_id_quad')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_area'))
    )
    op.create_table('note_submission',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.String(length=32), nullable=True),
    sa.Column('general_note', sa.Text(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('signature', sa.LargeBinary(length=64), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_note_submission_author_id_person')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_note_submission_quad_id_quad')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['note_submission.id'], name=op.f('fk_note_submission_supersedes_id_note_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_submission')),
    sa.UniqueConstraint('quad_id', 'author_id', 'version', name=op.f('uq_note_submission_quad_id'))
    )
    op.create_table('report_version',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'final', name='reportstatus', native_enum=False, length=32), nullable=False),
    sa.Column('executive_summary', sa.Text(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('host_response', sa.Text(), nullable=False),
    sa.Column('protective_marking', sa.String(length=40), nullable=False),
    sa.Column('signed_off_by_id', sa.String(length=32), nullable=True),
    sa.Column('finalised_at', sa.DateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('pdf_hash', sa.String(length=64), nullable=True),
    sa.Column('manifest', sa.Text(), nullable=True),
    sa.Column('signature', sa.LargeBinary(length=64), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_report_version_quad_id_quad')),
    sa.ForeignKeyConstraint(['signed_off_by_id'], ['person.id'], name=op.f('fk_report_version_signed_off_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_version')),
    sa.UniqueConstraint('quad_id', 'number', name=op.f('uq_report_version_quad_id'))
    )
    op.create_table('scheduled_visit',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('ends_at', sa.Time(), nullable=True),
    sa.Column('room', sa.String(length=40), nullable=False),
    sa.Column('staff_member_id', sa.String(length=32), nullable=True),
    sa.Column('teacher_name', sa.String(length=200), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('year_group', sa.String(length=20), nullable=False),
    sa.Column('class_name', sa.String(length=40), nullable=False),
    sa.Column('observer_id', sa.String(length=32), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observer_id'], ['person.id'], name=op.f('fk_scheduled_visit_observer_id_person')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_scheduled_visit_quad_id_quad')),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'], name=op.f('fk_scheduled_visit_staff_member_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduled_visit'))
    )
    op.create_table('sip_priority',
    sa.Column('sip_id', sa.String(length=32), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('success_criteria', sa.Text(), nullable=False),
    sa.Column('rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=32), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sip_id'], ['sip.id'], name=op.f('fk_sip_priority_sip_id_sip')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sip_priority')),
    sa.UniqueConstraint('sip_id', 'code', name=op.f('uq_sip_priority_sip_id'))
    )
    op.create_table('team_member',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('role', sa.Enum('consultant', 'executive_head', 'visiting_head', 'host_head', 'subject_specialist', name='teamrole', native_enum=False, length=32), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_team_member_person_id_person')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_team_member_quad_id_quad')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_member'))
    )
    op.create_table('activity',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('scheduled_visit_id', sa.String(length=32), nullable=True),
    sa.Column('kind', sa.Enum('lesson_visit', 'learning_walk', 'book_look', 'pupil_voice', 'staff_voice', 'meeting', name='activitykind', native_enum=False, length=32), nullable=False),
    sa.Column('author_id', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'complete', name='activitystatus', native_enum=False, length=32), nullable=False),
    sa.Column('time_in', sa.DateTime(), nullable=True),
    sa.Column('time_out', sa.DateTime(), nullable=True),
    sa.Column('staff_member_id', sa.String(length=32), nullable=True),
    sa.Column('teacher_name', sa.String(length=200), nullable=False),
    sa.Column('room', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=100), nullable=False),
    sa.Column('year_group', sa.String(length=20), nullable=False),
    sa.Column('class_name', sa.String(length=40), nullable=False),
    sa.Column('joint_visit', sa.Boolean(), nullable=False),
    sa.Column('pupils_present', sa.Integer(), nullable=True),
    sa.Column('other_adults', sa.Text(), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('development_points', sa.Text(), nullable=False),
    sa.Column('follow_up_questions', sa.Text(), nullable=False),
    sa.Column('descriptor', sa.String(length=60), nullable=True),
    sa.Column('safeguarding_concern', sa.Boolean(), nullable=False),
    sa.Column('safeguarding_text', sa.Text(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_activity_author_id_person')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_activity_quad_id_quad')),
    sa.ForeignKeyConstraint(['scheduled_visit_id'], ['scheduled_visit.id'], name=op.f('fk_activity_scheduled_visit_id_scheduled_visit')),
    sa.ForeignKeyConstraint(['staff_member_id'], ['staff_member.id'], name=op.f('fk_activity_staff_member_id_staff_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    op.create_table('focus_area_priority',
    sa.Column('focus_area_id', sa.String(length=32), nullable=False),
    sa.Column('priority_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_area.id'], name=op.f('fk_focus_area_priority_focus_area_id_focus_area')),
    sa.ForeignKeyConstraint(['priority_id'], ['sip_priority.id'], name=op.f('fk_focus_area_priority_priority_id_sip_priority')),
    sa.PrimaryKeyConstraint('focus_area_id', 'priority_id', name=op.f('pk_focus_area_priority'))
    )
    op.create_table('note_section',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.String(length=32), nullable=False),
    sa.Column('focus_area_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_area.id'], name=op.f('fk_note_section_focus_area_id_focus_area')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_note_section_quad_id_quad')),
    sa.ForeignKeyConstraint(['submission_id'], ['note_submission.id'], name=op.f('fk_note_section_submission_id_note_submission')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note_section'))
    )
    op.create_table('rag_change',
    sa.Column('priority_id', sa.String(length=32), nullable=False),
    sa.Column('old_rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=32), nullable=True),
    sa.Column('new_rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by_id', sa.String(length=32), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('report_version_id', sa.String(length=32), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['person.id'], name=op.f('fk_rag_change_changed_by_id_person')),
    sa.ForeignKeyConstraint(['priority_id'], ['sip_priority.id'], name=op.f('fk_rag_change_priority_id_sip_priority')),
    sa.ForeignKeyConstraint(['report_version_id'], ['report_version.id'], name=op.f('fk_rag_change_report_version_id_report_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rag_change'))
    )
    op.create_table('report_section',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('version_id', sa.String(length=32), nullable=False),
    sa.Column('focus_area_id', sa.String(length=32), nullable=True),
    sa.Column('priority_id', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('school_rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=32), nullable=True),
    sa.Column('recommended_rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, length=32), nullable=True),
    sa.Column('rag_rationale', sa.Text(), nullable=False),
    sa.Column('progress_since_last', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_area.id'], name=op.f('fk_report_section_focus_area_id_focus_area')),
    sa.ForeignKeyConstraint(['priority_id'], ['sip_priority.id'], name=op.f('fk_report_section_priority_id_sip_priority')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_report_section_quad_id_quad')),
    sa.ForeignKeyConstraint(['version_id'], ['report_version.id'], name=op.f('fk_report_section_version_id_report_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_section'))
    )
    op.create_table('activity_observer',
    sa.Column('activity_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_observer_activity_id_activity')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_activity_observer_person_id_person')),
    sa.PrimaryKeyConstraint('activity_id', 'person_id', name=op.f('pk_activity_observer'))
    )
    op.create_table('evidence_entry',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('activity_id', sa.String(length=32), nullable=False),
    sa.Column('focus_area_id', sa.String(length=32), nullable=False),
    sa.Column('priority_id', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('judgement', sa.Enum('supports', 'partly_supports', 'contradicts', 'not_relevant', name='judgement', native_enum=False, length=32), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_evidence_entry_activity_id_activity')),
    sa.ForeignKeyConstraint(['focus_area_id'], ['focus_area.id'], name=op.f('fk_evidence_entry_focus_area_id_focus_area')),
    sa.ForeignKeyConstraint(['priority_id'], ['sip_priority.id'], name=op.f('fk_evidence_entry_priority_id_sip_priority')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_evidence_entry_quad_id_quad')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_entry'))
    )
    op.create_table('provenance_link',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('section_id', sa.String(length=32), nullable=False),
    sa.Column('paragraph_index', sa.Integer(), nullable=False),
    sa.Column('source_kind', sa.Enum('activity', 'evidence', 'running_note', 'note_section', 'previous_report', name='sourcekind', native_enum=False, length=32), nullable=False),
    sa.Column('source_id', sa.String(length=32), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_provenance_link_quad_id_quad')),
    sa.ForeignKeyConstraint(['section_id'], ['report_section.id'], name=op.f('fk_provenance_link_section_id_report_section')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provenance_link'))
    )
    op.create_table('report_action',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('version_id', sa.String(length=32), nullable=False),
    sa.Column('section_id', sa.String(length=32), nullable=True),
    sa.Column('priority_id', sa.String(length=32), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'partly', 'not_yet', name='actionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('follow_up_of_id', sa.String(length=32), nullable=True),
    sa.Column('follow_up_note', sa.Text(), nullable=False),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_of_id'], ['report_action.id'], name=op.f('fk_report_action_follow_up_of_id_report_action')),
    sa.ForeignKeyConstraint(['priority_id'], ['sip_priority.id'], name=op.f('fk_report_action_priority_id_sip_priority')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_report_action_quad_id_quad')),
    sa.ForeignKeyConstraint(['section_id'], ['report_section.id'], name=op.f('fk_report_action_section_id_report_section')),
    sa.ForeignKeyConstraint(['version_id'], ['report_version.id'], name=op.f('fk_report_action_version_id_report_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_action'))
    )
    op.create_table('submission_activity',
    sa.Column('submission_id', sa.String(length=32), nullable=False),
    sa.Column('activity_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_submission_activity_activity_id_activity')),
    sa.ForeignKeyConstraint(['submission_id'], ['note_submission.id'], name=op.f('fk_submission_activity_submission_id_note_submission')),
    sa.PrimaryKeyConstraint('submission_id', 'activity_id', name=op.f('pk_submission_activity'))
    )
    op.create_table('running_note_line',
    sa.Column('quad_id', sa.String(length=32), nullable=False),
    sa.Column('activity_id', sa.String(length=32), nullable=False),
    sa.Column('stamped_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('moved_to_evidence_id', sa.String(length=32), nullable=True),
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_running_note_line_activity_id_activity')),
    sa.ForeignKeyConstraint(['moved_to_evidence_id'], ['evidence_entry.id'], name=op.f('fk_running_note_line_moved_to_evidence_id_evidence_entry')),
    sa.ForeignKeyConstraint(['quad_id'], ['quad.id'], name=op.f('fk_running_note_line_quad_id_quad')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_running_note_line'))
    )


def downgrade() -> None:
    op.drop_table('running_note_line')
    op.drop_table('submission_activity')
    op.drop_table('report_action')
    op.drop_table('provenance_link')
    op.drop_table('evidence_entry')
    op.drop_table('activity_observer')
    op.drop_table('report_section')
    op.drop_table('rag_change')
    op.drop_table('note_section')
    op.drop_table('focus_area_priority')
    op.drop_table('activity')
    op.drop_table('team_member')
    op.drop_table('sip_priority')
    op.drop_table('scheduled_visit')
    op.drop_table('report_version')
    op.drop_table('note_submission')
    op.drop_table('focus_area')
    op.drop_table('staff_member')
    op.drop_table('sip')
    op.drop_table('role_assignment')
    op.drop_table('quad')
    op.drop_table('school')
    op.drop_table('person_key')
    op.drop_table('local_identity')
    op.drop_table('audit_entry')
    op.drop_table('trust')
    op.drop_table('sync_cursor')
    op.drop_table('setting')
    op.drop_table('person')
    with op.batch_alter_table('outbox_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_entry_partition'))

    op.drop_table('outbox_entry')
    op.drop_table('clock_state')
