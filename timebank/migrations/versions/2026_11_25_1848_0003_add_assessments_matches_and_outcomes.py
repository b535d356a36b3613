"""Add Needs and Capabilities Assessments (versioned), match runs and proposals,
introductions, outcomes, the append-only access log, and each bank's hourly value.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:48:37.170879
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), server_default='active', nullable=False),
    sa.Column('current_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'closed')", name=op.f('ck_assessments_status_known')),
    sa.CheckConstraint('length(person_name) > 0', name=op.f('ck_assessments_person_name_not_empty')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_assessments_bank_id_banks')),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_assessments_created_by_user_id_users')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_assessments_member_id_bank_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments')),
    sa.UniqueConstraint('id', 'bank_id', name=op.f('uq_assessments_id_bank_id'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_bank_id'), ['bank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessments_member_id'), ['member_id'], unique=False)

    op.create_table('match_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('run_by_user_id', sa.Integer(), nullable=False),
    sa.Column('needs_count', sa.Integer(), nullable=False),
    sa.Column('proposed_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_match_runs_bank_id_banks')),
    sa.ForeignKeyConstraint(['run_by_user_id'], ['users.id'], name=op.f('fk_match_runs_run_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_runs'))
    )
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_runs_bank_id'), ['bank_id'], unique=False)

    op.create_table('assessment_access',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('why', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_access_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_assessment_access_bank_id_banks')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_access_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_access'))
    )
    with op.batch_alter_table('assessment_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_access_assessment_id'), ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_access_bank_id'), ['bank_id'], unique=False)

    op.create_table('assessment_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_assessment_versions_version_positive')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'], name=op.f('fk_assessment_versions_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_assessment_versions_recorded_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_versions')),
    sa.UniqueConstraint('assessment_id', 'version', name=op.f('uq_assessment_versions_assessment_id_version'))
    )
    op.create_table('match_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('need_assessment_id', sa.Integer(), nullable=False),
    sa.Column('need_key', sa.String(length=64), nullable=False),
    sa.Column('capability_assessment_id', sa.Integer(), nullable=True),
    sa.Column('capability_key', sa.String(length=64), nullable=True),
    sa.Column('score_thousandths', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('alternatives', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decided_by_user_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'accepted', 'rejected', 'unmatched')", name=op.f('ck_match_proposals_status_known')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_match_proposals_bank_id_banks')),
    sa.ForeignKeyConstraint(['capability_assessment_id'], ['assessments.id'], name=op.f('fk_match_proposals_capability_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['decided_by_user_id'], ['users.id'], name=op.f('fk_match_proposals_decided_by_user_id_users')),
    sa.ForeignKeyConstraint(['need_assessment_id'], ['assessments.id'], name=op.f('fk_match_proposals_need_assessment_id_assessments')),
    sa.ForeignKeyConstraint(['run_id'], ['match_runs.id'], name=op.f('fk_match_proposals_run_id_match_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_proposals'))
    )
    with op.batch_alter_table('match_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_match_proposals_run_id_status', ['run_id', 'status'], unique=False)

    op.create_table('introductions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('help_request_id', sa.Integer(), nullable=True),
    sa.Column('offer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_introductions_status_known')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_introductions_bank_id_banks')),
    sa.ForeignKeyConstraint(['help_request_id'], ['help_requests.id'], name=op.f('fk_introductions_help_request_id_help_requests')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_introductions_offer_id_offers')),
    sa.ForeignKeyConstraint(['proposal_id'], ['match_proposals.id'], name=op.f('fk_introductions_proposal_id_match_proposals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_introductions')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_introductions_proposal_id'))
    )
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_introductions_bank_id'), ['bank_id'], unique=False)

    op.create_table('outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('introduction_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=20), nullable=False),
    sa.Column('help_happened', sa.Boolean(), nullable=False),
    sa.Column('difference', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("difference IN ('a_lot', 'a_little', 'none', 'not_sure')", name=op.f('ck_outcomes_difference_known')),
    sa.CheckConstraint("side IN ('helped', 'helper')", name=op.f('ck_outcomes_side_known')),
    sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'], name=op.f('fk_outcomes_introduction_id_introductions')),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_outcomes_recorded_by_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes')),
    sa.UniqueConstraint('introduction_id', 'side', name=op.f('uq_outcomes_introduction_id_side'))
    )
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hourly_value_pence', sa.Integer(), server_default='1200', nullable=False))


    create_append_only_guards()


def downgrade() -> None:
    drop_append_only_guards()
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.drop_column('hourly_value_pence')

    op.drop_table('outcomes')
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_introductions_bank_id'))

    op.drop_table('introductions')
    with op.batch_alter_table('match_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_match_proposals_run_id_status')

    op.drop_table('match_proposals')
    op.drop_table('assessment_versions')
    with op.batch_alter_table('assessment_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_access_bank_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_access_assessment_id'))

    op.drop_table('assessment_access')
    with op.batch_alter_table('match_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_runs_bank_id'))

    op.drop_table('match_runs')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_member_id'))
        batch_op.drop_index(batch_op.f('ix_assessments_bank_id'))

    op.drop_table('assessments')


# The access log and the versions of an assessment are evidence: never edited or deleted.
APPEND_ONLY = ("assessment_access", "assessment_versions")


def create_append_only_guards() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgresql:
            # ledger_refuse_change() comes from the first migration.
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()")
        else:
            for action in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END")


def drop_append_only_guards() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            for action in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
