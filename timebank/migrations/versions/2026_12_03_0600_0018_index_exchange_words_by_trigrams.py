"""Index the words of exchanges by trigrams on PostgreSQL, for the exchanges' word search.

A search for "shop" among a big bank's 100,000 exchanges lowered every row's description
and reason to compare them: 170 ms on PostgreSQL, read by the page once for its count.
pg_trgm's GIN indexes on the lowered texts find the rows holding a word of three letters
or more without reading the others. The extension ships in Debian's server package
itself (postgresql-15 holds pg_trgm.control, so scripts/provision's `apt-get install
postgresql` brings it), and it is a trusted extension: the database's owner may create
it, not only a superuser. Nothing on SQLite: it compares with its own LIKE in C
(`timebank.services.text_search.holds`).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 06:00:00.000000
"""
from __future__ import annotations

from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

COLUMNS = ("description", "reason")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.execute(f"CREATE INDEX ix_exchanges_{column}_trigrams ON exchanges USING gin (lower({column}) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.execute(f"DROP INDEX ix_exchanges_{column}_trigrams")
    # The extension stays: other databases' objects on this server may use it.
