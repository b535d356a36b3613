"""Give a bank a contact phone: the number members ring, printed on letters, statements
and offers for members without email.

- `banks.contact_phone`: nullable, empty until a coordinator sets it on the Settings page
  (as `timebank.domain.members.clean_phone` writes it, at most 50 characters).

Going down drops the column and every number in it.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03 13:10:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('banks', schema=None) as batch_op:
        batch_op.drop_column('contact_phone')
