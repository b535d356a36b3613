"""Add idempotency keys to members, assessments, assessment versions and match runs, so
that a form sent twice at once takes a member on, records an assessment (or a version
of one) and runs a match only once.

Each key is held once per bank (per assessment for versions) by a unique index, not a
unique constraint: SQLite adds an index in place, where a constraint would rebuild the
table, and rebuilding `assessment_versions` would drop its append-only triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:05:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# (table, what a key is unique within)
KEYED = (
    ('members', 'bank_id'),
    ('assessments', 'bank_id'),
    ('assessment_versions', 'assessment_id'),
    ('match_runs', 'bank_id'),
)


def upgrade() -> None:
    for table, scope in KEYED:
        # Nullable columns without a default and an index: no rebuild on SQLite.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('idempotency_key', sa.String(length=200), nullable=True))
            batch_op.add_column(sa.Column('details_fingerprint', sa.String(length=64), nullable=True))
            batch_op.create_index(f'uq_{table}_{scope}_idempotency_key', [scope, 'idempotency_key'],
                                  unique=True)


def downgrade() -> None:
    for table, scope in reversed(KEYED):
        # SQLite drops a column in place (3.35 and later); a rebuild by copy would lose the
        # append-only triggers of assessment_versions.
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_index(f'uq_{table}_{scope}_idempotency_key')
            batch_op.drop_column('details_fingerprint')
            batch_op.drop_column('idempotency_key')
