"""Refuse, on SQLite, an insert that meets an existing row of an append-only table, so
that REPLACE (and INSERT OR REPLACE) cannot rewrite the ledger or the assessment evidence.

SQLite's REPLACE deletes the row in the way without firing DELETE triggers (unless
`recursive_triggers` is on, a pragma that only our own connections would run), then
inserts the new one: the UPDATE and DELETE guards of 0001 and 0003 never see it. A
BEFORE INSERT trigger runs whatever the connection, so each table refuses any insert
whose id or other unique key is already taken. An insert that would have failed on the
unique key anyway fails here first, with the guard's message; no code of ours inserts
over a row on purpose (no REPLACE, no OR IGNORE, no upsert).

PostgreSQL has no REPLACE, and its INSERT ... ON CONFLICT DO UPDATE fires the UPDATE
triggers of 0001 and 0003: nothing to add there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 21:40:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Each append-only table, and when a new row meets an existing one: every unique key.
INSERT_OVER = {
    'entries': "id = NEW.id OR (exchange_id = NEW.exchange_id AND account_id = NEW.account_id)",
    'exchanges': ("id = NEW.id OR (bank_id = NEW.bank_id AND idempotency_key = NEW.idempotency_key) "
                  "OR reverses_exchange_id = NEW.reverses_exchange_id"),
    'assessment_access': "id = NEW.id",
    'assessment_versions': ("id = NEW.id OR (assessment_id = NEW.assessment_id AND version = NEW.version) "
                            "OR (assessment_id = NEW.assessment_id AND idempotency_key = NEW.idempotency_key)"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table, meets in INSERT_OVER.items():
        op.execute(f"CREATE TRIGGER {table}_no_insert_over BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {meets}) BEGIN "
                   f"SELECT RAISE(ABORT, '{table} is append-only: an insert over an existing row "
                   "(REPLACE) refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for table in INSERT_OVER:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_insert_over")
