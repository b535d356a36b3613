"""The ledger's hot path: a plain exchange between two members, and one balance, in the
fewest statements.

Almost every write to a time bank is a coordinator or a member logging help one member
gave another. Through the ORM that costs several times what the database itself spends,
so this path speaks to the driver directly, with statements written once per dialect:

1. one query reads the bank, both members and their accounts (locked, in id order, with
   `FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds the write lock),
   and whether the category is the bank's;
2. one write inserts the exchange and its entries and moves the cached balances: a single
   statement on PostgreSQL (data-modifying CTEs, one round trip), three on SQLite (in
   process, no round trips to save).

An idempotency key is not looked up: the unique key of the exchanges refuses a key used
before, and the service layer then takes its complete path, which answers a retry with
the exchange it first recorded. The rules stay in the service layer, which decides
between the two steps. The rows are
exactly those the ORM writes: values pass through each column type's own converter.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from timebank.db.engine import Database
from timebank.db.models import Entry, Exchange

__all__ = ["MemberAccount", "LockedPair", "MemberBalance", "LedgerHotPath", "hot_path"]


@dataclass(frozen=True)
class MemberAccount:
    """One member and their account, as read under the lock."""

    member_id: int
    name: str
    status: str
    floor_minutes: int | None
    ceiling_minutes: int | None
    account_id: int
    balance_minutes: int


@dataclass(frozen=True)
class LockedPair:
    """What the lock query found for a bank and two members."""

    bank_id: int
    bank_floor_minutes: int
    bank_ceiling_minutes: int
    member_exchanges_need_confirmation: bool
    members: dict[int, MemberAccount]  # only those found in this bank
    category_known: bool


_LOCK = """
SELECT a.id, a.balance_minutes, m.id, m.name, m.status, m.floor_minutes, m.ceiling_minutes,
       b.id, b.floor_minutes, b.ceiling_minutes, b.member_exchanges_need_confirmation,
       (SELECT 1 FROM service_categories c
         WHERE c.bank_id = b.id AND c.slug = :category AND c.active)
FROM accounts a
JOIN members m ON m.id = a.member_id
JOIN banks b ON b.id = m.bank_id
WHERE a.member_id IN (:first, :second) AND b.slug = :bank_slug
ORDER BY a.id
"""

@dataclass(frozen=True)
class MemberBalance:
    """A member's cached balance, with the slug of their bank."""

    member_id: int
    name: str
    balance_minutes: int
    bank_slug: str


_BALANCE = """
SELECT m.id, m.name, a.balance_minutes, b.slug
FROM members m JOIN accounts a ON a.member_id = m.id JOIN banks b ON b.id = m.bank_id
WHERE m.id = :member_id
"""

_EXCHANGE_COLUMNS = (
    "bank_id", "kind", "state", "provider_member_id", "receiver_member_id", "amount_minutes",
    "category", "description", "given_on", "recorded_by", "initiated_by_member_id",
    "idempotency_key", "details_fingerprint", "created_at",
)
_INSERT_EXCHANGE = (
    f"INSERT INTO exchanges ({', '.join(_EXCHANGE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _EXCHANGE_COLUMNS)})"
)

# PostgreSQL: the exchange, its two entries and both balances in one statement. The
# foreign keys of the entries are checked at the end of the statement, when the exchange
# row exists.
_POST_POSTGRESQL = f"""
WITH new_exchange AS ({_INSERT_EXCHANGE} RETURNING id),
leg (account_id, amount_minutes) AS (
    VALUES (CAST(:first_account AS integer), CAST(:first_minutes AS integer)),
           (CAST(:second_account AS integer), CAST(:second_minutes AS integer))
),
new_entries AS (
    INSERT INTO entries (bank_id, exchange_id, account_id, amount_minutes, created_at)
    SELECT :bank_id, new_exchange.id, leg.account_id, leg.amount_minutes, :created_at
    FROM new_exchange CROSS JOIN leg
),
moved AS (
    UPDATE accounts SET balance_minutes = accounts.balance_minutes + leg.amount_minutes
    FROM leg WHERE accounts.id = leg.account_id
)
SELECT id FROM new_exchange
"""

_POST_SQLITE = (
    f"{_INSERT_EXCHANGE} RETURNING id",
    "INSERT INTO entries (bank_id, exchange_id, account_id, amount_minutes, created_at) "
    "VALUES (:bank_id, :exchange_id, :first_account, :first_minutes, :created_at), "
    "(:bank_id, :exchange_id, :second_account, :second_minutes, :created_at)",
    "UPDATE accounts SET balance_minutes = balance_minutes + "
    "CASE id WHEN :first_account THEN :first_minutes ELSE :second_minutes END "
    "WHERE id IN (:first_account, :second_account)",
)

_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def _pyformat(sql: str) -> str:
    """`:name` (sqlite3's style) as `%(name)s` (psycopg's)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


class LedgerHotPath:
    """The hot path's statements and value converters for one database."""

    def __init__(self, database: Database):
        dialect = database.engine.dialect
        self.database = database
        self.postgresql = database.dialect == "postgresql"
        self.integrity_error = dialect.loaded_dbapi.IntegrityError

        def converter(column):
            return column.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)

        self._date = converter(Exchange.__table__.c.given_on)
        # The exchange and its entries share one timestamp column type.
        self._timestamp = converter(Entry.__table__.c.created_at)
        self._balance = _pyformat(_BALANCE) if self.postgresql else _BALANCE
        if self.postgresql:
            self._lock = _pyformat(_LOCK + "FOR UPDATE OF a")
            self._insert_pending = _pyformat(_INSERT_EXCHANGE + " RETURNING id")
            self._post = _pyformat(_POST_POSTGRESQL)
        else:
            self._lock = _LOCK
            self._insert_pending = _INSERT_EXCHANGE + " RETURNING id"
            self._post_steps = _POST_SQLITE

    @contextmanager
    def transaction(self) -> Iterator:
        """A writing transaction (begun as a unit of work begins one) and a driver cursor.

        Commits when the block ends normally, rolls back otherwise.
        """
        with self.database.engine.begin() as connection:
            cursor = connection.connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def balance(self, member_id: int) -> MemberBalance | None:
        """One member's cached balance, read by one statement outside any transaction:
        a single row needs no snapshot, and BEGIN and ROLLBACK would double its round trips."""
        with self.database.engine.connect() as connection:
            if self.postgresql:
                connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            cursor = connection.connection.cursor()
            try:
                cursor.execute(self._balance, {"member_id": member_id})
                row = cursor.fetchone()
            finally:
                cursor.close()
        return MemberBalance(*row) if row is not None else None

    def lock(self, cursor, bank_slug: str, first: int, second: int,
             category: str | None) -> LockedPair | None:
        """Lock both members' accounts; None when the bank has neither of them."""
        cursor.execute(self._lock, {"bank_slug": bank_slug, "first": first, "second": second,
                                    "category": category})
        rows = cursor.fetchall()
        if not rows:
            return None
        first_row = rows[0]
        return LockedPair(
            bank_id=first_row[7], bank_floor_minutes=first_row[8],
            bank_ceiling_minutes=first_row[9],
            member_exchanges_need_confirmation=bool(first_row[10]),
            members={r[2]: MemberAccount(r[2], r[3], r[4], r[5], r[6], r[0], r[1]) for r in rows},
            category_known=first_row[11] is not None,
        )

    def insert(self, cursor, exchange: dict, legs: tuple[tuple[int, int], tuple[int, int]] | None) -> int:
        """Insert the exchange; with `legs` ((account id, signed minutes) twice), also its
        entries and the move of both balances. Returns the exchange id."""
        values = dict(exchange)
        values["given_on"] = self._date(values["given_on"])
        values["created_at"] = self._timestamp(values["created_at"])
        if legs is None:
            cursor.execute(self._insert_pending, values)
            return cursor.fetchone()[0]
        (values["first_account"], values["first_minutes"]), \
            (values["second_account"], values["second_minutes"]) = legs
        if self.postgresql:
            cursor.execute(self._post, values)
            return cursor.fetchone()[0]
        insert_exchange, insert_entries, move_balances = self._post_steps
        cursor.execute(insert_exchange, values)
        values["exchange_id"] = exchange_id = cursor.fetchone()[0]
        cursor.execute(insert_entries, values)
        cursor.execute(move_balances, values)
        return exchange_id


def hot_path(database: Database) -> LedgerHotPath:
    """The hot path of this database, its statements built once."""
    return database.prepared(LedgerHotPath)
