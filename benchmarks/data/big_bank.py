"""A big bank for the page benchmark: the demonstration bank grown to 2,000 members and
100,000 exchanges, written in bulk (seconds, not the hours the services would take one
unit of work at a time).

The rows have the shapes the services write: each exchange posted with its two entries
(the provider's +minutes, the receiver's -minutes, as `expected_entries` says), and
each account's cached balance raised by the sum of its new entries in the same
transaction, so `timebank check` passes on the result. Random but seeded: the same
bank every run.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import sqlalchemy as sa

from timebank.db.engine import Database
from timebank.db.models import Account, Bank, Entry, Exchange, Member, ServiceCategory, utcnow

__all__ = ["grow_bank"]

FIRST = ("Agnes", "Ali", "Amira", "Bridget", "Callum", "Chen", "Daniel", "Eilidh", "Fatima", "Fraser",
         "Grace", "Hamish", "Isla", "Jean", "Kenneth", "Kirsty", "Lewis", "Mairi", "Morag", "Niamh",
         "Olu", "Priya", "Rory", "Siobhán", "Tomasz", "Wei", "Yusuf", "Zoë")
LAST = ("Anderson", "Brown", "Campbell", "Chen", "Ó Dónaill", "Fraser", "Grant", "Henderson", "Khan",
        "MacLeod", "Muir", "Nowak", "Paterson", "Robertson", "Scott", "Sharma", "Smith", "Stewart",
        "Thomson", "Wilson")
AREAS = ("Leith", "Pilton", "Gorgie", "Dalry", "Craigentinny", "Restalrig", "Granton", "Trinity",
         "Newhaven", "Lochend")
WHAT = ("Lift to the GP", "Weekly shop", "Fixed a shelf", "Help with a letter", "Tea and a chat",
        "Walked the dog", "Set up a tablet", "Cut the hedge", "Baking for the café", "Read the post")
BATCH = 5_000
RECORDED_BY = "benchmark"  # marks this generator's exchanges, so a second run can count them


def grow_bank(database: Database, bank_slug: str, *, members: int = 2_000, exchanges: int = 100_000,
              days: int = 730, seed: int = 2026) -> tuple[int, int]:
    """Add members until the bank has `members`, then posted exchanges between them over
    the last `days` days until it has `exchanges` of this generator's. Returns (members
    added, exchanges added): run again on the same database, it adds nothing, so one big
    bank can be timed many times (pages.py --db)."""
    rng = random.Random(seed)
    today = dt.date.today()
    engine = database.engine
    with engine.begin() as connection:
        bank_id = connection.scalar(sa.select(Bank.id).where(Bank.slug == bank_slug))
        if bank_id is None:
            raise SystemExit(f"no bank {bank_slug!r}: make the demonstration bank first")
        categories = list(connection.scalars(
            sa.select(ServiceCategory.slug).where(ServiceCategory.bank_id == bank_id)))
        have = connection.scalar(sa.select(sa.func.count()).select_from(Member).where(Member.bank_id == bank_id))
        added = _add_members(connection, rng, bank_id, max(members - have, 0), today, days)
        accounts = dict(connection.execute(
            sa.select(Account.member_id, Account.id)
            .join(Member, Member.id == Account.member_id)
            .where(Account.bank_id == bank_id, Member.status == "active")).all())
        made = connection.scalar(sa.select(sa.func.count()).select_from(Exchange).where(
            Exchange.bank_id == bank_id, Exchange.recorded_by == RECORDED_BY))
        wanted = max(exchanges - made, 0)
        _add_exchanges(connection, rng, bank_id, accounts, categories, wanted, today, days)
    return added, wanted


def _add_members(connection, rng, bank_id: int, count: int, today: dt.date, days: int) -> int:
    now, joined = utcnow(), today - dt.timedelta(days=days + 30)
    first_id = (connection.scalar(sa.select(sa.func.max(Member.id))) or 0) + 1
    rows = []
    for n in range(count):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append({"id": first_id + n, "bank_id": bank_id, "name": name, "kind": "person",
                     "email": f"member{first_id + n}@big.example.org" if n % 2 else None,
                     "phone": f"0131 {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}",
                     "area": rng.choice(AREAS), "status": "active", "joined_on": joined, "created_at": now})
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        connection.execute(sa.insert(Member.__table__), chunk)
        connection.execute(sa.insert(Account.__table__), [
            {"bank_id": bank_id, "kind": "member", "member_id": r["id"], "balance_minutes": 0,
             "created_at": now} for r in chunk])
    return count


def _add_exchanges(connection, rng, bank_id: int, accounts: dict[int, int], categories: list[str],
                   count: int, today: dt.date, days: int) -> None:
    member_ids = sorted(accounts)
    now = utcnow()
    first_id = (connection.scalar(sa.select(sa.func.max(Exchange.id))) or 0) + 1
    moved: dict[int, int] = defaultdict(int)
    for start in range(0, count, BATCH):
        exchange_rows, entry_rows = [], []
        for n in range(start, min(start + BATCH, count)):
            provider, receiver = rng.sample(member_ids, 2)
            minutes = rng.choice((30, 45, 60, 60, 90, 120, 180))
            exchange_id = first_id + n
            exchange_rows.append({
                "id": exchange_id, "bank_id": bank_id, "kind": "exchange", "state": "posted",
                "provider_member_id": provider, "receiver_member_id": receiver, "amount_minutes": minutes,
                "category": rng.choice(categories) if categories else None,
                "description": rng.choice(WHAT), "given_on": today - dt.timedelta(days=rng.randrange(days)),
                "recorded_by": RECORDED_BY, "created_at": now, "settled_at": now, "settled_by": RECORDED_BY})
            for member_id, amount in ((provider, minutes), (receiver, -minutes)):
                entry_rows.append({"bank_id": bank_id, "exchange_id": exchange_id,
                                   "account_id": accounts[member_id], "amount_minutes": amount,
                                   "created_at": now})
                moved[accounts[member_id]] += amount
        connection.execute(sa.insert(Exchange.__table__), exchange_rows)
        connection.execute(sa.insert(Entry.__table__), entry_rows)
    if not moved:
        return
    # The cached balances move with their entries, in the same transaction.
    table = Account.__table__
    connection.execute(
        sa.update(table).where(table.c.id == sa.bindparam("account_id"))
        .values(balance_minutes=table.c.balance_minutes + sa.bindparam("delta")),
        [{"account_id": a, "delta": d} for a, d in moved.items()])
