"""Add the contact log (a coordinator's notes per member, with an optional follow-up
day) and hold each service name once per bank, whatever its case and spaces.

A service's `name_key` is its name as people tell names apart (lower case, spaces
collapsed); a unique index holds it once per bank. A bank that already has two services
of one name keeps both: the first of each keeps the key and the later ones none (NULLs
never clash), so the upgrade never stops on old data, and the services refuse a new
clash, beside the field.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 02:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'contact_notes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('written_by_user_id', sa.Integer(), nullable=True),
        sa.Column('author', sa.String(length=200), nullable=False),
        sa.Column('written_on', sa.Date(), nullable=False),
        sa.Column('follow_up_on', sa.Date(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=True),
        sa.Column('details_fingerprint', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('length(text) > 0', name=op.f('ck_contact_notes_text_not_empty')),
        sa.ForeignKeyConstraint(['bank_id'], ['banks.id'], name=op.f('fk_contact_notes_bank_id_banks')),
        sa.ForeignKeyConstraint(['member_id', 'bank_id'], ['members.id', 'members.bank_id'],
                                name=op.f('fk_contact_notes_member_id_bank_id_members')),
        sa.ForeignKeyConstraint(['written_by_user_id'], ['users.id'],
                                name=op.f('fk_contact_notes_written_by_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_contact_notes')),
    )
    with op.batch_alter_table('contact_notes', schema=None) as batch_op:
        batch_op.create_index('ix_contact_notes_bank_id_member_id', ['bank_id', 'member_id'], unique=False)
        batch_op.create_index('uq_contact_notes_bank_id_idempotency_key', ['bank_id', 'idempotency_key'],
                              unique=True)
    # A nullable column without a default: no rebuild on SQLite.
    with op.batch_alter_table('service_categories', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE service_categories SET name_key = lower(trim(name)) WHERE id IN "
        "(SELECT MIN(id) FROM service_categories GROUP BY bank_id, lower(trim(name)))"
    )
    with op.batch_alter_table('service_categories', schema=None) as batch_op:
        batch_op.create_index('uq_service_categories_bank_id_name_key', ['bank_id', 'name_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('service_categories', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('uq_service_categories_bank_id_name_key')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('contact_notes', schema=None) as batch_op:
        batch_op.drop_index('uq_contact_notes_bank_id_idempotency_key')
        batch_op.drop_index('ix_contact_notes_bank_id_member_id')
    op.drop_table('contact_notes')
