"""The ledger's hot path: an exchange between two members posted at once, and one
member's balance, in the fewest statements.

Almost every write to a time bank is a coordinator or a member logging help one member
gave another. Through the ORM that costs several times what the database itself spends,
so this path speaks to the driver directly, with statements written once per dialect.

It handles only the plain case: both members found in the bank, the category (if any)
one of the bank's, the exchange posted at once (not a member's proposal waiting for
confirmation), and a key not used before. For anything else it writes nothing and
answers None, and the service layer takes its complete path, which gives the precise
answer: a refusal named after its rule, or the exchange a retried key first recorded.
It decides only whether an exchange is plain, never whether it is allowed: the service
layer is handed what was read under the locks (balances, limits, the members' status)
and runs the ledger's posting checks on it, refusing by raising.

- SQLite: `BEGIN IMMEDIATE` holds the write lock for the whole transaction; one query
  reads the bank, the members and their accounts, the limits are checked, then three
  statements write (in process: there are no round trips to save).
- PostgreSQL: one statement locks both accounts in id order (`FOR UPDATE`), inserts the
  exchange and its entries and moves both balances, through data-modifying CTEs, and
  returns the balances as they were; the limits are checked before COMMIT, and a refusal
  rolls the statement's writes back. One round trip between BEGIN and COMMIT, as for a
  bare INSERT.

The rows are exactly those the ORM writes: values pass through each column type's own
converter, and a test compares the two paths' rows.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from timebank.db.engine import Database
from timebank.db.models import Entry, Exchange

__all__ = ["MemberAccount", "LockedPair", "MemberBalance", "LedgerHotPath", "hot_path"]


@dataclass(frozen=True)
class MemberAccount:
    """One member and their account, as read under the lock (before the exchange)."""

    member_id: int
    name: str
    status: str
    floor_minutes: int | None
    ceiling_minutes: int | None
    account_id: int
    balance_minutes: int
    joined_on: dt.date | None = None


@dataclass(frozen=True)
class LockedPair:
    """The bank and the two members of a plain exchange, read under the lock."""

    bank_id: int
    bank_floor_minutes: int
    bank_ceiling_minutes: int
    members: dict[int, MemberAccount]


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

# Both members' accounts in id order, with all a plain exchange needs to know.
_LOCKED = """
SELECT a.id AS account_id, a.balance_minutes, m.id AS member_id, m.name, m.status,
       m.floor_minutes, m.ceiling_minutes, b.id AS bank_id,
       b.floor_minutes AS bank_floor_minutes, b.ceiling_minutes AS bank_ceiling_minutes,
       b.member_exchanges_need_confirmation AS need_confirmation,
       EXISTS (SELECT 1 FROM service_categories c
               WHERE c.bank_id = b.id AND c.slug = :category AND c.active) AS category_known,
       m.joined_on
FROM accounts a
JOIN members m ON m.id = a.member_id
JOIN banks b ON b.id = m.bank_id
WHERE a.member_id IN (:provider_member_id, :receiver_member_id) AND b.slug = :bank_slug
ORDER BY a.id
"""
_LOCKED_COLUMNS = ("account_id", "balance_minutes", "member_id", "name", "status",
                   "floor_minutes", "ceiling_minutes", "bank_id", "bank_floor_minutes",
                   "bank_ceiling_minutes", "need_confirmation", "category_known", "joined_on")

_EXCHANGE_COLUMNS = (
    "kind", "state", "provider_member_id", "receiver_member_id", "amount_minutes",
    "category", "description", "given_on", "recorded_by", "initiated_by_member_id",
    "idempotency_key", "details_fingerprint", "created_at",
)

_SQLITE_WRITES = (
    f"INSERT INTO exchanges (bank_id, {', '.join(_EXCHANGE_COLUMNS)}) "
    f"VALUES (:bank_id, {', '.join(':' + c for c in _EXCHANGE_COLUMNS)}) RETURNING id",
    "INSERT INTO entries (bank_id, exchange_id, account_id, amount_minutes, created_at) "
    "VALUES (:bank_id, :exchange_id, :provider_account, :amount_minutes, :created_at), "
    "(:bank_id, :exchange_id, :receiver_account, -:amount_minutes, :created_at)",
    "UPDATE accounts SET balance_minutes = balance_minutes + "
    "CASE id WHEN :provider_account THEN :amount_minutes ELSE -:amount_minutes END "
    "WHERE id IN (:provider_account, :receiver_account)",
)


def _postgresql_post(casts: dict[str, str]) -> str:
    """The whole exchange in one statement. `plain` has a row only when the exchange is
    plain; every write hangs from it, so otherwise nothing is written. The foreign keys of
    the entries are checked at the end of the statement, when the exchange row exists."""
    values = ", ".join(f"CAST(:{c} AS {casts[c]})" for c in _EXCHANGE_COLUMNS)
    return f"""
WITH locked AS ({_LOCKED} FOR UPDATE OF a),
plain AS (
    SELECT min(bank_id) AS bank_id FROM locked
    HAVING count(*) = 2
       AND (CAST(:category AS text) IS NULL OR bool_and(category_known))
       AND NOT (:member_started AND bool_and(need_confirmation))
),
new_exchange AS (
    INSERT INTO exchanges (bank_id, {', '.join(_EXCHANGE_COLUMNS)})
    SELECT plain.bank_id, {values} FROM plain
    RETURNING id, bank_id
),
leg AS (
    SELECT account_id,
           CASE member_id WHEN :provider_member_id THEN 1 ELSE -1 END
           * CAST(:amount_minutes AS integer) AS amount_minutes
    FROM locked
),
new_entries AS (
    INSERT INTO entries (bank_id, exchange_id, account_id, amount_minutes, created_at)
    SELECT new_exchange.bank_id, new_exchange.id, leg.account_id, leg.amount_minutes,
           CAST(:created_at AS {casts['created_at']})
    FROM new_exchange CROSS JOIN leg
),
moved AS (
    UPDATE accounts SET balance_minutes = accounts.balance_minutes + leg.amount_minutes
    FROM leg, new_exchange WHERE accounts.id = leg.account_id
)
SELECT {', '.join('locked.' + c for c in _LOCKED_COLUMNS)}, (SELECT id FROM new_exchange)
FROM locked ORDER BY locked.account_id
"""


_NAMED = re.compile(r"(?<![:\w]):(\w+)")


def _pyformat(sql: str) -> str:
    """`:name` (sqlite3's style) as `%(name)s` (psycopg's)."""
    return _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))


class _NotPlain(Exception):
    pass


class LedgerHotPath:
    """The hot path's statements and value converters for one database."""

    def __init__(self, database: Database):
        dialect = database.engine.dialect
        self.database = database
        self.postgresql = database.dialect == "postgresql"
        self._integrity_error = dialect.loaded_dbapi.IntegrityError
        columns = Exchange.__table__.c

        def converter(column):
            return column.type.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)

        self._date = converter(columns.given_on)
        # The exchange and its entries share one timestamp column type.
        self._timestamp = converter(Entry.__table__.c.created_at)
        if self.postgresql:
            casts = {c: columns[c].type.compile(dialect) for c in _EXCHANGE_COLUMNS}
            self._balance = _pyformat(_BALANCE)
            self._post = _pyformat(_postgresql_post(casts))
        else:
            self._balance = _BALANCE
            self._lock = _LOCKED

    @contextmanager
    def _transaction(self) -> Iterator:
        """A writing transaction, begun as a unit of work begins one, and a driver cursor.
        Commits when the block ends normally, rolls back otherwise."""
        with self.database.engine.begin() as connection:
            cursor = connection.connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    def post_exchange(
        self, bank_slug: str, exchange: dict, *, member_started: bool,
        check: Callable[[LockedPair], None],
    ) -> tuple[int, LockedPair] | None:
        """Post a plain exchange at once, in a transaction of its own.

        Args:
            exchange: the exchange row's fields but `bank_id` and `state`.
            member_started: a member logged it; when their bank asks the other member to
                confirm, it is not plain.
            check: called under the locks with the balances before the exchange; it
                refuses the exchange by raising, and nothing is then written.

        Returns:
            The new exchange's id and what was read under the locks, or None when the
            exchange is not plain (nothing is written).
        """
        values = dict(exchange, bank_slug=bank_slug, state="posted", member_started=member_started)
        values["given_on"] = self._date(values["given_on"])
        values["created_at"] = self._timestamp(values["created_at"])
        try:
            with self._transaction() as cursor:
                if self.postgresql:
                    cursor.execute(self._post, values)
                    rows = cursor.fetchall()
                    exchange_id = rows[0][-1] if rows else None
                    if exchange_id is None:
                        raise _NotPlain
                    locked = _locked_pair(rows)
                else:
                    cursor.execute(self._lock, values)
                    rows = cursor.fetchall()
                    if not _sqlite_plain(rows, values):
                        raise _NotPlain
                    locked = _locked_pair(rows)
                check(locked)
                if not self.postgresql:
                    exchange_id = self._sqlite_write(cursor, values, locked)
        except _NotPlain:
            return None
        except self._integrity_error:
            # The key was used before (a retry, or another writer just now).
            return None
        return exchange_id, locked

    def _sqlite_write(self, cursor, values: dict, locked: LockedPair) -> int:
        insert_exchange, insert_entries, move_balances = _SQLITE_WRITES
        values["bank_id"] = locked.bank_id
        values["provider_account"] = locked.members[values["provider_member_id"]].account_id
        values["receiver_account"] = locked.members[values["receiver_member_id"]].account_id
        cursor.execute(insert_exchange, values)
        values["exchange_id"] = exchange_id = cursor.fetchone()[0]
        cursor.execute(insert_entries, values)
        cursor.execute(move_balances, values)
        return exchange_id

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


def _sqlite_plain(rows: list, values: dict) -> bool:
    """What the PostgreSQL statement's `plain` decides, for SQLite's rows."""
    return (
        len(rows) == 2
        and (values["category"] is None or all(row[11] for row in rows))
        and not (values["member_started"] and all(row[10] for row in rows))
    )


def _locked_pair(rows: list) -> LockedPair:
    first = rows[0]
    return LockedPair(
        bank_id=first[7], bank_floor_minutes=first[8], bank_ceiling_minutes=first[9],
        members={r[2]: MemberAccount(r[2], r[3], r[4], r[5], r[6], r[0], r[1], _day(r[12])) for r in rows},
    )


def _day(value) -> dt.date | None:
    """A date column as the driver gave it (sqlite3 gives text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def hot_path(database: Database) -> LedgerHotPath:
    """The hot path of this database, its statements built once."""
    return database.prepared(LedgerHotPath)
