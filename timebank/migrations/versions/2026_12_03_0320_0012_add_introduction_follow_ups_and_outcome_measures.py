"""Add follow-ups to introductions (a follow-up day, dated notes) and outcome measures
(each side's answers to the ONS wellbeing and loneliness questions and to a bank's own
questions, before and after).

Three new tables and one nullable column (no rebuild of `introductions` on SQLite):
`introduction_follow_ups` and `outcome_measure_answers` each name the people they are
about by assessment (and member, when there is one), so subject access and erasure can
find them; `outcome_questions` holds only a bank's own questions (the ONS ones are data
in the package).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 03:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outcome_questions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=40), nullable=False),
        sa.Column('text', sa.String(length=300), nullable=False),
        sa.Column('scale', sa.String(length=20), nullable=False),
        sa.Column('better', sa.String(length=10), server_default='higher', nullable=False),
        sa.Column('choices', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
        sa.Column('created_by_user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=True),
        sa.Column('details_fingerprint', sa.String(length=64), nullable=True),
        sa.CheckConstraint("scale IN ('zero_to_ten', 'choice')", name=op.f('ck_outcome_questions_scale_known')),
        sa.CheckConstraint("better IN ('higher', 'lower')", name=op.f('ck_outcome_questions_better_known')),
        sa.CheckConstraint('length(text) > 0', name=op.f('ck_outcome_questions_text_not_empty')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_outcome_questions_bank_id_banks')),
        sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'],
                                name=op.f('fk_outcome_questions_created_by_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_questions')),
        sa.UniqueConstraint('bank_id', 'key', name=op.f('uq_outcome_questions_bank_id_key')),
    )
    with op.batch_alter_table('outcome_questions', schema=None) as batch_op:
        batch_op.create_index('uq_outcome_questions_bank_id_idempotency_key', ['bank_id', 'idempotency_key'],
                              unique=True)

    op.create_table(
        'introduction_follow_ups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('introduction_id', sa.Integer(), nullable=False),
        sa.Column('helped_assessment_id', sa.Integer(), nullable=False),
        sa.Column('helper_assessment_id', sa.Integer(), nullable=True),
        sa.Column('stage', sa.String(length=10), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=True),
        sa.Column('details_fingerprint', sa.String(length=64), nullable=True),
        sa.CheckConstraint("stage IN ('before', 'after')", name=op.f('ck_introduction_follow_ups_stage_known')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_introduction_follow_ups_bank_id_banks')),
        sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'],
                                name=op.f('fk_introduction_follow_ups_introduction_id_introductions')),
        sa.ForeignKeyConstraint(['helped_assessment_id'], ['assessments.id'],
                                name=op.f('fk_introduction_follow_ups_helped_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['helper_assessment_id'], ['assessments.id'],
                                name=op.f('fk_introduction_follow_ups_helper_assessment_id_assessments')),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'],
                                name=op.f('fk_introduction_follow_ups_recorded_by_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_introduction_follow_ups')),
    )
    with op.batch_alter_table('introduction_follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_introduction_follow_ups_bank_id_introduction_id', ['bank_id', 'introduction_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_follow_ups_helped_assessment_id'),
                              ['helped_assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_introduction_follow_ups_helper_assessment_id'),
                              ['helper_assessment_id'], unique=False)
        batch_op.create_index('uq_introduction_follow_ups_bank_id_idempotency_key',
                              ['bank_id', 'idempotency_key'], unique=True)

    op.create_table(
        'outcome_measure_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('follow_up_id', sa.Integer(), nullable=False),
        sa.Column('introduction_id', sa.Integer(), nullable=False),
        sa.Column('side', sa.String(length=20), nullable=False),
        sa.Column('assessment_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('question_key', sa.String(length=40), nullable=False),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('choice', sa.String(length=40), nullable=True),
        sa.Column('declined', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.CheckConstraint("side IN ('helped', 'helper')", name=op.f('ck_outcome_measure_answers_side_known')),
        sa.CheckConstraint('score IS NULL OR score BETWEEN 0 AND 10',
                           name=op.f('ck_outcome_measure_answers_score_zero_to_ten')),
        sa.CheckConstraint(
            '(CASE WHEN score IS NOT NULL THEN 1 ELSE 0 END) + (CASE WHEN choice IS NOT NULL THEN 1 ELSE 0 END)'
            ' + (CASE WHEN declined THEN 1 ELSE 0 END) = 1',
            name=op.f('ck_outcome_measure_answers_one_kind_of_answer')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_outcome_measure_answers_bank_id_banks')),
        sa.ForeignKeyConstraint(['follow_up_id'], ['introduction_follow_ups.id'],
                                name=op.f('fk_outcome_measure_answers_follow_up_id_introduction_follow_ups')),
        sa.ForeignKeyConstraint(['introduction_id'], ['introductions.id'],
                                name=op.f('fk_outcome_measure_answers_introduction_id_introductions')),
        sa.ForeignKeyConstraint(['assessment_id'], ['assessments.id'],
                                name=op.f('fk_outcome_measure_answers_assessment_id_assessments')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outcome_measure_answers')),
        sa.UniqueConstraint('follow_up_id', 'side', 'question_key',
                            name=op.f('uq_outcome_measure_answers_follow_up_id_side_question_key')),
    )
    with op.batch_alter_table('outcome_measure_answers', schema=None) as batch_op:
        batch_op.create_index('ix_outcome_measure_answers_bank_id_assessment_id', ['bank_id', 'assessment_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_outcome_measure_answers_member_id'), ['member_id'], unique=False)

    # A nullable column without a default: no rebuild on SQLite (the open-need index stays).
    with op.batch_alter_table('introductions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('introductions', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('follow_up_on')
    with op.batch_alter_table('outcome_measure_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcome_measure_answers_member_id'))
        batch_op.drop_index('ix_outcome_measure_answers_bank_id_assessment_id')
    op.drop_table('outcome_measure_answers')
    with op.batch_alter_table('introduction_follow_ups', schema=None) as batch_op:
        batch_op.drop_index('uq_introduction_follow_ups_bank_id_idempotency_key')
        batch_op.drop_index(batch_op.f('ix_introduction_follow_ups_helper_assessment_id'))
        batch_op.drop_index(batch_op.f('ix_introduction_follow_ups_helped_assessment_id'))
        batch_op.drop_index('ix_introduction_follow_ups_bank_id_introduction_id')
    op.drop_table('introduction_follow_ups')
    with op.batch_alter_table('outcome_questions', schema=None) as batch_op:
        batch_op.drop_index('uq_outcome_questions_bank_id_idempotency_key')
    op.drop_table('outcome_questions')
