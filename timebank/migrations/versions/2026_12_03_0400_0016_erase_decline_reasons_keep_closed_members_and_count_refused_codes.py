"""Erase decline reasons, keep closed members for a set time, count refused codes.

- An exchange's `decline_reason` (revision 0011) may be replaced by exactly '(removed)'
  when the person who wrote it, or the one it was written to, is erased. Its guard still
  refuses every other change outside the move from pending to declined; the other
  columns stay frozen by the exchanges' own guard (0014).
- `banks.closed_member_retention_years`: how long a closed member's record is kept after
  they closed (6 years, the usual UK period for financial records), counted from
  `members.closed_at`; `timebank retention run` then erases it.
- `second_factors.refused_codes` and `refused_since`: wrong codes counted in the
  database, so every process of the application, and a restart, see the same count.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 04:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

REMOVED = "(removed)"
_ONLY_WHEN_DECLINED = "OLD.state = 'pending' AND NEW.state = 'declined'"
_MESSAGE = "a decline reason is written only when the exchange is declined"


def upgrade() -> None:
    # Added in place on both databases: no table rebuild on SQLite, which would drop the
    # triggers of the tables.
    op.add_column('banks', sa.Column('closed_member_retention_years', sa.Integer(), server_default='6',
                                     nullable=False))
    op.add_column('members', sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('second_factors', sa.Column('refused_codes', sa.Integer(), server_default='0', nullable=False))
    op.add_column('second_factors', sa.Column('refused_since', sa.DateTime(timezone=True), nullable=True))
    _decline_reason_guard(erasable=True)


def downgrade() -> None:
    _decline_reason_guard(erasable=False)
    op.drop_column('second_factors', 'refused_since')
    op.drop_column('second_factors', 'refused_codes')
    op.drop_column('members', 'closed_at')
    op.drop_column('banks', 'closed_member_retention_years')


def _decline_reason_guard(*, erasable: bool) -> None:
    """The guard of 0011; with `erasable`, a reason written may also become '(removed)'."""
    postgresql = op.get_bind().dialect.name == 'postgresql'
    allowed = f"({_ONLY_WHEN_DECLINED})"
    if erasable:
        # Null-safe: a reason set to NULL must not slip through as an unknown comparison.
        same = "IS NOT DISTINCT FROM" if postgresql else "IS"
        allowed += f" OR (OLD.decline_reason IS NOT NULL AND NEW.decline_reason {same} '{REMOVED}')"
    if postgresql:
        op.execute(f"""
            CREATE OR REPLACE FUNCTION exchange_guard_decline_reason() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.decline_reason IS DISTINCT FROM OLD.decline_reason AND NOT ({allowed}) THEN
                    RAISE EXCEPTION '{_MESSAGE}' USING ERRCODE = 'restrict_violation';
                END IF;
                RETURN NEW;
            END $$""")
    else:
        op.execute("DROP TRIGGER IF EXISTS exchanges_guard_decline_reason")
        op.execute("CREATE TRIGGER exchanges_guard_decline_reason BEFORE UPDATE ON exchanges "
                   f"WHEN NEW.decline_reason IS NOT OLD.decline_reason AND NOT ({allowed}) BEGIN "
                   f"SELECT RAISE(ABORT, '{_MESSAGE}'); END")
