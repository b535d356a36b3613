"""Index the pending exchanges, and help by day with the columns the reports read.

The waiting list, the overview's count of exchanges waiting and "who to call" read the
bank's pending exchanges: a few among 100,000 posted ones, which without an index are
found by reading every exchange of the bank. The reports and the quiet-member rule read
a period of help (a year: 50,000 exchanges of a big bank); with every column they use in
the index, the rows themselves are not read. The reports kept between requests ask
for the latest change of state (`settled_at`), which its own index answers at once.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 03:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Partial: it holds only pending exchanges, so it stays small and is never chosen over
    # the day index for the posted ones.
    op.create_index('ix_exchanges_help_by_day', 'exchanges',
                    ['bank_id', 'given_on', 'state', 'kind', 'provider_member_id', 'receiver_member_id',
                     'amount_minutes', 'category'])
    op.create_index('ix_exchanges_settled_at', 'exchanges', ['settled_at'])
    op.create_index('ix_exchanges_bank_id_pending', 'exchanges', ['bank_id', 'id'],
                    sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'"))


def downgrade() -> None:
    op.drop_index('ix_exchanges_bank_id_pending', table_name='exchanges')
    op.drop_index('ix_exchanges_help_by_day', table_name='exchanges')
    op.drop_index('ix_exchanges_settled_at', table_name='exchanges')
