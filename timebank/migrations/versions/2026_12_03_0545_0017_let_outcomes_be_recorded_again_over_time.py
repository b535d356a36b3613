"""Let each side's outcome be recorded again over time: a later follow-up adds a row.

An introduction's outcome was held once per side (a unique constraint), so a view given
at a later follow-up, or a correction, could not be recorded. Now every view is its own
row and the latest is shown first; nothing is overwritten. The form's key is held once
per introduction instead, so a view sent twice is still recorded once.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 05:45:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_outcomes_introduction_id_side', type_='unique')
        batch_op.create_unique_constraint('uq_outcomes_introduction_id_idempotency_key',
                                          ['introduction_id', 'idempotency_key'])
        batch_op.create_index('ix_outcomes_introduction_id', ['introduction_id'], unique=False)


def downgrade() -> None:
    # Once per side again: the earliest view of each side is kept, the later ones go.
    op.execute(sa.text(
        "DELETE FROM outcomes WHERE id NOT IN "
        "(SELECT MIN(id) FROM outcomes GROUP BY introduction_id, side)"))
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_introduction_id')
        batch_op.drop_constraint('uq_outcomes_introduction_id_idempotency_key', type_='unique')
        batch_op.create_unique_constraint('uq_outcomes_introduction_id_side', ['introduction_id', 'side'])
