"""Add idempotency keys to a proposal's decision, an outcome, the closing of an
introduction and a bank's service categories, so that each of those forms sent twice
(a double click, or back and send again) records once, as the other forms already do.

A proposal is decided once and an introduction closed once, under a row lock, so their
keys need no index; an outcome is recorded once per side (its unique constraint). A
category's key is held once per bank by a unique index, as in 0004.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 20:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# (table, the key's column, the fingerprint's column or None)
KEYED = (
    ('match_proposals', 'idempotency_key', 'details_fingerprint'),
    ('outcomes', 'idempotency_key', 'details_fingerprint'),
    ('introductions', 'close_idempotency_key', None),
    ('service_categories', 'idempotency_key', 'details_fingerprint'),
)


def upgrade() -> None:
    for table, key, details in KEYED:
        # Nullable columns without a default: no rebuild on SQLite.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(key, sa.String(length=200), nullable=True))
            if details:
                batch_op.add_column(sa.Column(details, sa.String(length=64), nullable=True))
    with op.batch_alter_table('service_categories', schema=None) as batch_op:
        batch_op.create_index('uq_service_categories_bank_id_idempotency_key',
                              ['bank_id', 'idempotency_key'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('service_categories', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('uq_service_categories_bank_id_idempotency_key')
    for table, key, details in reversed(KEYED):
        # SQLite drops a column in place (3.35 and later), keeping the tables' triggers.
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            if details:
                batch_op.drop_column(details)
            batch_op.drop_column(key)
