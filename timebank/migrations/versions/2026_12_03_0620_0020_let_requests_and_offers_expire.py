"""Let requests and offers expire: a day each was posted or last renewed, and the
period each bank lists them for.

- `help_requests.renewed_on` and `offers.renewed_on`: the day the row was posted or
  last renewed; it expires `banks.expiry_months` calendar months later. Nothing marks a
  row expired: lists compare this day with the rule's cutoff
  (`timebank.domain.expiry.listed_since`). Rows already there start on the day they
  were created, so a bank upgrading sees its oldest requests leave its lists at once.
- `banks.expiry_months`: 3 by default, as the field review asked.

Each day column is added nullable, filled from `created_at`, then made NOT NULL (a
table rebuild on SQLite: neither table has triggers to lose).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 06:20:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TABLES = ('help_requests', 'offers')


def upgrade() -> None:
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expiry_months', sa.Integer(), server_default='3', nullable=False))
    postgresql = op.get_bind().dialect.name == 'postgresql'
    # The creation day in UTC, as `utcnow().date()` gives it to new rows.
    day = "CAST(created_at AT TIME ZONE 'UTC' AS date)" if postgresql else "date(created_at)"
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('renewed_on', sa.Date(), nullable=True))
        op.execute(f"UPDATE {table} SET renewed_on = {day}")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('renewed_on', existing_type=sa.Date(), nullable=False)
            batch_op.create_index(f'ix_{table}_bank_id_renewed_on', ['bank_id', 'renewed_on'], unique=False)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_bank_id_renewed_on')
            batch_op.drop_column('renewed_on')
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.drop_column('expiry_months')
