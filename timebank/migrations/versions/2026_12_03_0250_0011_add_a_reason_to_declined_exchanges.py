"""Add the reason a member (or a coordinator) gave for declining an exchange, so that
the member who logged it can read why.

A column of its own, not the exchange's `reason` (a grant's or a reversal's, which never
changes): it may be written once, by the update that moves the exchange from pending to
declined, and never again. Both databases refuse any other change of it, as they refuse
changes to an exchange's details (0001).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 02:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_ONLY_WHEN_DECLINED = "OLD.state = 'pending' AND NEW.state = 'declined'"
_MESSAGE = "a decline reason is written only when the exchange is declined"


def upgrade() -> None:
    # A nullable column is added in place on both databases (no table rebuild on SQLite,
    # which would drop the ledger's triggers).
    op.add_column('exchanges', sa.Column('decline_reason', sa.Text(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"""
            CREATE FUNCTION exchange_guard_decline_reason() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.decline_reason IS DISTINCT FROM OLD.decline_reason AND NOT ({_ONLY_WHEN_DECLINED}) THEN
                    RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END $$""")
        op.execute("CREATE TRIGGER exchanges_guard_decline_reason BEFORE UPDATE ON exchanges "
                   "FOR EACH ROW EXECUTE FUNCTION exchange_guard_decline_reason()")
    else:
        op.execute("CREATE TRIGGER exchanges_guard_decline_reason BEFORE UPDATE ON exchanges "
                   f"WHEN NEW.decline_reason IS NOT OLD.decline_reason AND NOT ({_ONLY_WHEN_DECLINED}) BEGIN "
                   f"SELECT RAISE(ABORT, '{_MESSAGE}'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER exchanges_guard_decline_reason ON exchanges")
        op.execute("DROP FUNCTION exchange_guard_decline_reason()")
    else:
        op.execute("DROP TRIGGER exchanges_guard_decline_reason")
    # Dropped in place: SQLite 3.35+ drops a column without rebuilding the table, so the
    # ledger's triggers stay.
    op.drop_column('exchanges', 'decline_reason')
