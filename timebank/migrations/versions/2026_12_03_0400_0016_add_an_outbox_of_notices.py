"""Add an outbox of notices, and the kinds of notice each member turned off.

A notice is written in the same transaction as the event that causes it (an exchange
waiting, a helper chosen ...), and sent afterwards by `timebank notices send`, or told by
the coordinator to a member without an email. Each event's notice is held once per bank
by its key.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 04:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), server_default='waiting', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('told_by', sa.String(length=200), nullable=True),
        sa.Column('notice_key', sa.String(length=150), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('waiting', 'sending', 'sent', 'failed', 'given_up')",
                           name=op.f('ck_notices_state_known')),
        sa.CheckConstraint("channel IN ('email', 'coordinator')", name=op.f('ck_notices_channel_known')),
        sa.CheckConstraint('(member_id IS NULL) <> (user_id IS NULL)', name=op.f('ck_notices_one_recipient')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_notices_bank_id_banks')),
        sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'],
                                name=op.f('fk_notices_member_id_bank_id_members')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notices_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
        sa.UniqueConstraint('bank_id', 'notice_key', name=op.f('uq_notices_bank_id_notice_key')),
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_member_id', ['member_id'], unique=False)
        batch_op.create_index('ix_notices_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_notices_bank_id_id', ['bank_id', 'id'], unique=False)
    op.create_table(
        'notice_opt_outs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_notice_opt_outs_bank_id_banks')),
        sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'],
                                name=op.f('fk_notice_opt_outs_member_id_bank_id_members')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_opt_outs')),
        sa.UniqueConstraint('member_id', 'kind', name=op.f('uq_notice_opt_outs_member_id_kind')),
    )


def downgrade() -> None:
    op.drop_table('notice_opt_outs')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_bank_id_id')
        batch_op.drop_index('ix_notices_state_next_attempt_at')
        batch_op.drop_index('ix_notices_member_id')
    op.drop_table('notices')
