"""Add sign-in (users, server-side sessions, password resets), help requests, offers,
and members' safeguarding check dates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:40:06.179707
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('help_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('when_text', sa.String(length=200), nullable=True),
    sa.Column('where_text', sa.String(length=200), nullable=True),
    sa.Column('helper_notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='open', nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_help_requests_status_known')),
    sa.CheckConstraint('length(what) > 0', name=op.f('ck_help_requests_what_not_empty')),
    sa.ForeignKeyConstraint(['bank_id', 'category'], ['service_categories.bank_id', 'service_categories.slug'], name=op.f('fk_help_requests_bank_id_category_service_categories')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_help_requests_bank_id_banks')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_help_requests_member_id_bank_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_requests')),
    sa.UniqueConstraint('bank_id', 'idempotency_key', name=op.f('uq_help_requests_bank_id_idempotency_key')),
    sa.UniqueConstraint('id', 'bank_id', name=op.f('uq_help_requests_id_bank_id'))
    )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index('ix_help_requests_bank_id_status', ['bank_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_help_requests_member_id'), ['member_id'], unique=False)

    op.create_table('offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=64), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(description) > 0', name=op.f('ck_offers_description_not_empty')),
    sa.ForeignKeyConstraint(['bank_id', 'category'], ['service_categories.bank_id', 'service_categories.slug'], name=op.f('fk_offers_bank_id_category_service_categories')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_offers_bank_id_banks')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_offers_member_id_bank_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    sa.UniqueConstraint('bank_id', 'idempotency_key', name=op.f('uq_offers_bank_id_idempotency_key'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('ix_offers_bank_id_active', ['bank_id', 'active'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_member_id'), ['member_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('(true)'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role <> 'member' OR member_id IS NOT NULL", name=op.f('ck_users_member_user_has_member')),
    sa.CheckConstraint("role IN ('member', 'coordinator', 'social_worker')", name=op.f('ck_users_role_known')),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_users_bank_id_banks')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_users_member_id_bank_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('member_id', name=op.f('uq_users_member_id'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_bank_id'), ['bank_id'], unique=False)

    op.create_table('help_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bank_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_help_answers_bank_id_banks')),
    sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'], name=op.f('fk_help_answers_member_id_bank_id_members')),
    sa.ForeignKeyConstraint(['request_id', 'bank_id'], ['help_requests.id', 'help_requests.bank_id'], name=op.f('fk_help_answers_request_id_bank_id_help_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_answers')),
    sa.UniqueConstraint('request_id', 'member_id', name=op.f('uq_help_answers_request_id_member_id'))
    )
    with op.batch_alter_table('help_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_help_answers_request_id'), ['request_id'], unique=False)

    op.create_table('password_resets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_password_resets_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_password_resets_token_digest'))
    )
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_password_resets_user_id'), ['user_id'], unique=False)

    op.create_table('sign_in_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_because', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_sessions')),
    sa.UniqueConstraint('token_digest', name=op.f('uq_sign_in_sessions_token_digest'))
    )
    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safeguarding_checked_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('safeguarding_expires_on', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('safeguarding_expires_on')
        batch_op.drop_column('safeguarding_checked_on')

    with op.batch_alter_table('sign_in_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_sessions_user_id'))

    op.drop_table('sign_in_sessions')
    with op.batch_alter_table('password_resets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_password_resets_user_id'))

    op.drop_table('password_resets')
    with op.batch_alter_table('help_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_answers_request_id'))

    op.drop_table('help_answers')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_bank_id'))

    op.drop_table('users')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_member_id'))
        batch_op.drop_index('ix_offers_bank_id_active')

    op.drop_table('offers')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_requests_member_id'))
        batch_op.drop_index('ix_help_requests_bank_id_status')

    op.drop_table('help_requests')
