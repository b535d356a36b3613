"""Requests reach a helper: answers get a status (waiting, chosen, thanked, withdrawn,
asked, declined) with at most one chosen per request, held by a partial unique index;
a request keeps the member it was addressed to (from their offer) and the exchange its
hours were logged as; members say whether their phone and email may be shared with the
member they are put in touch with (not shared unless they say so).

help_requests gains plain nullable integer columns, not foreign keys: adding a foreign
key on SQLite rebuilds the table, and rebuilding help_requests would break the
introductions that point at it. The service writes them from rows it has just read.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 02:10:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

ANSWER_STATUSES = "'asked', 'waiting', 'chosen', 'thanked', 'withdrawn', 'declined'"
CHOSEN = sa.text("status = 'chosen'")


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_phone', sa.Boolean(), server_default=sa.text('false'), nullable=False))
        batch_op.add_column(sa.Column('share_email', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('addressed_to_member_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('offer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('exchange_id', sa.Integer(), nullable=True))
    # Nothing points at help_answers: rebuilding it on SQLite to add the check is safe.
    with op.batch_alter_table('help_answers', schema=None, recreate='auto') as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='waiting', nullable=False))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint('status_known', f"status IN ({ANSWER_STATUSES})")
    op.create_index('uq_help_answers_one_chosen', 'help_answers', ['request_id'], unique=True,
                    sqlite_where=CHOSEN, postgresql_where=CHOSEN)


def downgrade() -> None:
    op.drop_index('uq_help_answers_one_chosen', table_name='help_answers')
    with op.batch_alter_table('help_answers', schema=None) as batch_op:
        batch_op.drop_constraint('status_known', type_='check')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('status')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_column('exchange_id')
        batch_op.drop_column('offer_id')
        batch_op.drop_column('addressed_to_member_id')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('share_email')
        batch_op.drop_column('share_phone')
