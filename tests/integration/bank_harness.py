"""The bank test, after Jepsen's: concurrent writers over a few busy accounts, one reader.

`run_bank_test` builds a bank with tight limits, lets `writers` concurrent writers
(threads, or processes that each open their own `Database`) log random exchanges with
idempotency keys, while a reader thread keeps taking snapshots of every balance. It
returns a `BankTestResult` that says, invariant by invariant, what held.

The writer is pluggable so that the same test can be pointed at a deliberately broken
read-modify-write writer (`naive_writer`): a harness that cannot catch that one guards
nothing. Writers are module-level functions so that spawned processes can import them.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
import random
import sqlite3
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from timebank.db.engine import Database
from timebank.db.models import Account, Bank, Entry, Exchange
from timebank.domain.errors import (
    BalanceAboveCeiling,
    BalanceBelowFloor,
    IdempotencyKeyReusedWithOtherDetails,
    TimebankError,
)
from timebank.domain.ledger import Limits, check_balance_move, fingerprint

__all__ = ["BankTestResult", "run_bank_test", "service_writer", "naive_writer"]

BUSY_MEMBERS = 6
FLOOR_MINUTES = -120  # -2 h: a few receipts in a row reach it
CEILING_MINUTES = 240  # 4 h
AMOUNTS_MINUTES = (5, 10, 15, 20, 30, 45, 60, 90)
SHARED_KEYS = 40  # keys every writer may send, so that writers race on the same key
SAMPLES = 5  # how many examples of each kind of failure a result keeps


# ---------------------------------------------------------------- writers


def service_writer(database: Database, bank_slug: str, *, provider_id: int, receiver_id: int,
                   minutes: int, category: str | None, given_on: dt.date, idempotency_key: str,
                   recorded_by: str) -> int:
    """The real thing: `ledger.log_exchange`; returns the exchange id."""
    from timebank.services import ledger

    return ledger.log_exchange(
        database, bank_slug, provider_id=provider_id, receiver_id=receiver_id, minutes=minutes,
        category=category, given_on=given_on, idempotency_key=idempotency_key,
        recorded_by=recorded_by,
    ).id


# How long the naive writer dawdles between reading balances and writing them back. Real
# code dawdles too (a slow query, a page fault, the GIL); this makes it happen every run.
NAIVE_PAUSE_S = 0.002


def naive_writer(database: Database, bank_slug: str, *, provider_id: int, receiver_id: int,
                 minutes: int, category: str | None, given_on: dt.date, idempotency_key: str,
                 recorded_by: str) -> int:
    """A deliberately broken writer: read balances unlocked, check, write `read + delta` back.

    It keeps the service's contract (same errors, idempotency by key) so that the bank
    test can tell it apart only by the invariants it breaks. Never use it for anything
    but the negative control.
    """
    details = _details(provider_id, receiver_id, minutes, category, given_on)
    if database.dialect == "sqlite":
        return _naive_sqlite(database, bank_slug, provider_id, receiver_id, minutes, category,
                             given_on, idempotency_key, recorded_by, details)
    return _naive_orm(database, bank_slug, provider_id, receiver_id, minutes, category,
                      given_on, idempotency_key, recorded_by, details)


def _details(provider_id, receiver_id, minutes, category, given_on) -> str:
    return fingerprint({"provider": provider_id, "receiver": receiver_id, "minutes": minutes,
                        "category": category, "given_on": given_on})


def _naive_check(key, earlier, details, provider_balance, receiver_balance, minutes, limits):
    """The checks the naive writer makes, on whatever it happened to read."""
    if earlier is not None:
        earlier_id, earlier_details = earlier
        if earlier_details != details:
            raise IdempotencyKeyReusedWithOtherDetails(f"key {key!r} was used with other details")
        return earlier_id
    check_balance_move("provider", provider_balance, minutes, limits)
    check_balance_move("receiver", receiver_balance, -minutes, limits)
    return None


def _naive_orm(database, bank_slug, provider_id, receiver_id, minutes, category, given_on,
               key, recorded_by, details) -> int:
    # PostgreSQL at READ COMMITTED: plain SELECTs take no lock, so two writers read the
    # same balance and the second write-back erases the first.
    with database.session() as session:
        bank = session.scalars(sa.select(Bank).where(Bank.slug == bank_slug)).one()
        earlier = session.execute(
            sa.select(Exchange.id, Exchange.details_fingerprint)
            .where(Exchange.bank_id == bank.id, Exchange.idempotency_key == key)
        ).one_or_none()
        accounts = {
            a.member_id: a for a in session.scalars(
                sa.select(Account).where(Account.member_id.in_([provider_id, receiver_id]))
            )
        }
        provider, receiver = accounts[provider_id], accounts[receiver_id]
        limits = Limits(floor_minutes=bank.floor_minutes, ceiling_minutes=bank.ceiling_minutes)
        earlier_id = _naive_check(key, earlier and tuple(earlier), details,
                                  provider.balance_minutes, receiver.balance_minutes, minutes,
                                  limits)
        if earlier_id is not None:
            return earlier_id
        time.sleep(NAIVE_PAUSE_S)
        provider.balance_minutes = provider.balance_minutes + minutes
        receiver.balance_minutes = receiver.balance_minutes - minutes
        now = dt.datetime.now(dt.UTC)
        exchange = Exchange(
            bank_id=bank.id, kind="exchange", state="posted", provider_member_id=provider_id,
            receiver_member_id=receiver_id, amount_minutes=minutes, category=category,
            given_on=given_on, recorded_by=recorded_by, idempotency_key=key,
            details_fingerprint=details, created_at=now,
        )
        session.add(exchange)
        session.flush()
        session.add_all([
            Entry(bank_id=bank.id, exchange_id=exchange.id, account_id=provider.id,
                  amount_minutes=minutes, created_at=now),
            Entry(bank_id=bank.id, exchange_id=exchange.id, account_id=receiver.id,
                  amount_minutes=-minutes, created_at=now),
        ])
        session.commit()
        return exchange.id


_naive_connections = threading.local()


def _naive_sqlite_connection(path: str) -> sqlite3.Connection:
    connections = _naive_connections.__dict__.setdefault("by_path", {})
    if path not in connections:
        # The driver's defaults: a deferred BEGIN issued by the driver just before the
        # first INSERT/UPDATE, so the SELECTs before it read outside any transaction.
        connections[path] = sqlite3.connect(path, timeout=30)
    return connections[path]


def _naive_sqlite(database, bank_slug, provider_id, receiver_id, minutes, category, given_on,
                  key, recorded_by, details) -> int:
    connection = _naive_sqlite_connection(make_url(database.url).database)
    try:
        bank_id, floor, ceiling = connection.execute(
            "SELECT id, floor_minutes, ceiling_minutes FROM banks WHERE slug = ?", (bank_slug,)
        ).fetchone()
        earlier = connection.execute(
            "SELECT id, details_fingerprint FROM exchanges WHERE bank_id = ? AND idempotency_key = ?",
            (bank_id, key),
        ).fetchone()
        balances = dict(
            (member_id, (account_id, balance)) for account_id, member_id, balance in connection.execute(
                "SELECT id, member_id, balance_minutes FROM accounts WHERE member_id IN (?, ?)",
                (provider_id, receiver_id),
            )
        )
        (provider_account, provider_balance) = balances[provider_id]
        (receiver_account, receiver_balance) = balances[receiver_id]
        earlier_id = _naive_check(key, earlier, details, provider_balance, receiver_balance,
                                  minutes, Limits(floor_minutes=floor, ceiling_minutes=ceiling))
        if earlier_id is not None:
            return earlier_id
        time.sleep(NAIVE_PAUSE_S)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        cursor = connection.execute(
            "INSERT INTO exchanges (bank_id, kind, state, provider_member_id, receiver_member_id,"
            " amount_minutes, category, given_on, recorded_by, idempotency_key,"
            " details_fingerprint, created_at) VALUES (?, 'exchange', 'posted', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (bank_id, provider_id, receiver_id, minutes, category, given_on.isoformat(),
             recorded_by, key, details, now),
        )
        exchange_id = cursor.lastrowid
        for account_id, balance, delta in ((provider_account, provider_balance, minutes),
                                           (receiver_account, receiver_balance, -minutes)):
            connection.execute(
                "INSERT INTO entries (bank_id, exchange_id, account_id, amount_minutes, created_at)"
                " VALUES (?, ?, ?, ?, ?)", (bank_id, exchange_id, account_id, delta, now),
            )
            connection.execute("UPDATE accounts SET balance_minutes = ? WHERE id = ?",
                               (balance + delta, account_id))
        connection.commit()
        return exchange_id
    except BaseException:
        connection.rollback()
        raise


# ---------------------------------------------------------------- one writer's run


@dataclass(frozen=True)
class _Job:
    url: str
    bank_slug: str
    member_ids: tuple[int, ...]
    categories: tuple[str, ...]
    given_on: dt.date
    index: int
    per_writer: int
    seed: int
    writer: object  # a module-level function with service_writer's signature


def _shared_details(job: _Job, number: int, variant: int) -> dict:
    """The details every writer sends with shared key `number`: the same in every process.

    The two variants always differ (by 5 minutes), so exactly one of them can be recorded.
    """
    rng = random.Random(f"{job.seed}-shared-{number}")
    provider, receiver = rng.sample(job.member_ids, 2)
    return {"provider_id": provider, "receiver_id": receiver,
            "minutes": rng.choice(AMOUNTS_MINUTES) + 5 * variant, "category": None}


def _run_writer(job: _Job, ready, start, results) -> None:
    """One writer: `per_writer` new exchanges, with retries and reuses of keys among them."""
    out = {
        "index": job.index, "calls": 0, "accepted": {}, "refused_by_limits": 0,
        "retries": 0, "retries_other_id": [], "reuses": 0, "reuses_refused": 0,
        "reuses_not_refused": [], "shared": [], "raw_errors": 0, "raw_error_samples": [],
    }
    try:
        database = Database(job.url)
        rng = random.Random(f"{job.seed}-writer-{job.index}")
        sent: dict[str, dict] = {}
        ready.put(job.index)
        start.wait()

        def call(key: str, details: dict):
            out["calls"] += 1
            try:
                return "ok", job.writer(database, job.bank_slug, given_on=job.given_on,
                                        idempotency_key=key, recorded_by=f"writer {job.index}",
                                        **details)
            except (BalanceBelowFloor, BalanceAboveCeiling) as error:
                return "limit", type(error).__name__
            except TimebankError as error:
                return "refused", type(error).__name__
            except Exception as error:  # a raw database error: what the test guards against
                out["raw_errors"] += 1
                if len(out["raw_error_samples"]) < SAMPLES:
                    out["raw_error_samples"].append(f"{type(error).__name__}: {error}"[:500])
                return "raw", type(error).__name__

        for number in range(job.per_writer):
            key = f"w{job.index}-{number}"
            provider, receiver = rng.sample(job.member_ids, 2)
            details = {"provider_id": provider, "receiver_id": receiver,
                       "minutes": rng.choice(AMOUNTS_MINUTES),
                       "category": rng.choice((None,) + job.categories)}
            sent[key] = details
            outcome, value = call(key, details)
            if outcome == "ok":
                out["accepted"][key] = value
            elif outcome == "limit":
                out["refused_by_limits"] += 1

            roll = rng.random()
            if roll < 0.10:
                # A coordinator's retry after a timeout: same key, same details.
                old = rng.choice(list(sent))
                outcome, value = call(old, sent[old])
                out["retries"] += 1
                if outcome == "ok":
                    first = out["accepted"].setdefault(old, value)
                    if first != value:
                        out["retries_other_id"].append((old, first, value))
            elif roll < 0.15 and out["accepted"]:
                # The same key sent for a different exchange: must be refused by name.
                old = rng.choice(list(out["accepted"]))
                other = dict(sent[old], minutes=sent[old]["minutes"] + 5)
                outcome, value = call(old, other)
                out["reuses"] += 1
                if outcome == "refused" and value == IdempotencyKeyReusedWithOtherDetails.__name__:
                    out["reuses_refused"] += 1
                else:
                    out["reuses_not_refused"].append((old, outcome, value))
            elif roll < 0.22:
                # A key other writers may be sending at this very moment, with one of two
                # sets of details: the first to be recorded wins, the other is refused.
                number_shared = rng.randrange(SHARED_KEYS)
                variant = rng.randrange(2)
                outcome, value = call(f"shared-{number_shared}",
                                      _shared_details(job, number_shared, variant))
                out["shared"].append((f"shared-{number_shared}", variant, outcome, value))
        database.dispose()
    except Exception:  # the harness itself failed: report it rather than hang the test
        out["raw_errors"] += 1
        out["raw_error_samples"].append(traceback.format_exc()[-1500:])
        ready.put(job.index)
    results.put(out)


# ---------------------------------------------------------------- the reader


@dataclass
class _Snapshots:
    taken: int = 0
    bad: int = 0
    bad_samples: list = field(default_factory=list)
    limit_breaks: int = 0
    limit_break_samples: list = field(default_factory=list)
    raw_errors: int = 0
    raw_error_samples: list = field(default_factory=list)


def _read_snapshots(database: Database, bank_slug: str, member_ids, stop: threading.Event,
                    snapshots: _Snapshots) -> None:
    from timebank.services.ledger import account_balances

    while not stop.is_set():
        try:
            balances = account_balances(database, bank_slug)
        except Exception as error:
            snapshots.raw_errors += 1
            if len(snapshots.raw_error_samples) < SAMPLES:
                snapshots.raw_error_samples.append(f"reader: {type(error).__name__}: {error}"[:500])
            continue
        snapshots.taken += 1
        total = sum(balances.values())
        if total != 0:
            snapshots.bad += 1
            if len(snapshots.bad_samples) < SAMPLES:
                snapshots.bad_samples.append({"sum": total, **balances})
        outside = {m: balances[str(m)] for m in member_ids
                   if not FLOOR_MINUTES <= balances[str(m)] <= CEILING_MINUTES}
        if outside:
            snapshots.limit_breaks += 1
            if len(snapshots.limit_break_samples) < SAMPLES:
                snapshots.limit_break_samples.append(outside)
        # Leave the two cores to the writers most of the time.
        stop.wait(0.01)


# ---------------------------------------------------------------- the result


@dataclass
class BankTestResult:
    writer: str
    writers: int
    per_writer: int
    elapsed_s: float
    calls: int
    refused_by_limits: int
    snapshots: int
    bad_snapshots: int
    bad_snapshot_samples: list
    snapshot_limit_breaks: int
    snapshot_limit_break_samples: list
    final_limit_breaks: dict  # account -> (cached balance, sum of entries) outside limits
    balances_off_entries: dict  # account -> (cached balance, sum of entries) that differ
    exchanges_recorded: int
    distinct_keys_accepted: int
    unreported_exchanges: list  # in the database, but no writer was told of them
    missing_exchanges: list  # a writer was told the id, the database lacks it
    retries: int
    retries_other_id: list
    reuses: int
    reuses_refused: int
    reuses_not_refused: list
    shared_key_calls: int
    shared_key_conflicts: list  # a shared key that returned two ids, or a wrong refusal
    check_ok: bool
    check_problems: list
    raw_errors: int
    raw_error_samples: list

    @property
    def broken_invariants(self) -> list[str]:
        """The name of every invariant this run broke; empty when the ledger held."""
        broken = []
        if self.bad_snapshots:
            broken.append("snapshot_sums_to_zero")
        if self.snapshot_limit_breaks or self.final_limit_breaks:
            broken.append("balance_within_limits")
        if self.balances_off_entries or not self.check_ok:
            broken.append("balance_equals_sum_of_entries")
        if (self.exchanges_recorded != self.distinct_keys_accepted
                or self.unreported_exchanges or self.missing_exchanges):
            broken.append("one_exchange_per_accepted_key")
        if self.retries_other_id or self.shared_key_conflicts:
            broken.append("retry_returns_first_exchange")
        if self.reuses_not_refused:
            broken.append("reused_key_refused")
        if self.raw_errors:
            broken.append("no_raw_database_error")
        return broken

    def summary(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()
                           if not (isinstance(v, (list, dict)) and not v))
        return f"broken={self.broken_invariants}; {fields}"


# ---------------------------------------------------------------- the test


def _setup_bank(database: Database, seed: int) -> tuple[str, tuple[int, ...], tuple[str, ...]]:
    from timebank.services import banks, members

    slug = f"bank-test-{seed}-{uuid.uuid4().hex[:8]}"
    banks.create_bank(database, slug, "The bank test", floor_minutes=FLOOR_MINUTES,
                      ceiling_minutes=CEILING_MINUTES)
    member_ids = tuple(members.add_member(database, slug, f"Busy member {n}").id
                       for n in range(BUSY_MEMBERS))
    categories = tuple(c for c, _name in banks.list_categories(database, slug)[:3])
    return slug, member_ids, categories


def _final_state(database: Database, bank_slug: str):
    with database.session(readonly=True) as session:
        bank_id = session.scalar(sa.select(Bank.id).where(Bank.slug == bank_slug))
        entry_sums = dict(session.execute(
            sa.select(Entry.account_id, sa.func.sum(Entry.amount_minutes))
            .where(Entry.bank_id == bank_id).group_by(Entry.account_id)
        ).all())
        accounts = session.execute(
            sa.select(Account.id, Account.kind, Account.balance_minutes)
            .where(Account.bank_id == bank_id)
        ).all()
        exchanges = dict(session.execute(
            sa.select(Exchange.idempotency_key, Exchange.id).where(Exchange.bank_id == bank_id)
        ).all())
    off, breaks = {}, {}
    for account in accounts:
        total = int(entry_sums.get(account.id, 0))
        if account.balance_minutes != total:
            off[account.id] = (account.balance_minutes, total)
        if account.kind == "member" and not all(
                FLOOR_MINUTES <= v <= CEILING_MINUTES for v in (account.balance_minutes, total)):
            breaks[account.id] = (account.balance_minutes, total)
    return off, breaks, exchanges


def _shared_key_conflicts(outs: list[dict]) -> list:
    """Every call on a shared key must agree with the one variant the database recorded."""
    calls: dict[str, list] = {}
    for out in outs:
        for key, variant, outcome, value in out["shared"]:
            calls.setdefault(key, []).append((variant, outcome, value))
    conflicts = []
    for key, seen in calls.items():
        winners = {(variant, value) for variant, outcome, value in seen if outcome == "ok"}
        if len(winners) > 1:
            conflicts.append((key, "two results", sorted(winners)))
            continue
        winner = next(iter(winners), None)
        for variant, outcome, value in seen:
            refused_as_reuse = (outcome == "refused"
                                and value == IdempotencyKeyReusedWithOtherDetails.__name__)
            if refused_as_reuse and (winner is None or winner[0] == variant):
                conflicts.append((key, "refused as a reuse of itself", variant))
            elif outcome == "refused" and not refused_as_reuse:
                conflicts.append((key, "refused for another reason", value))
    return conflicts[:SAMPLES]


def run_bank_test(database_url: str, *, writer=service_writer, writers: int = 16,
                  per_writer: int = 500, use_processes: bool = False, seed: int = 1,
                  start_method: str = "spawn", timeout_s: float = 600) -> BankTestResult:
    """Run the bank test against a migrated database and report every invariant."""
    from timebank.services.checks import check_ledger

    database = Database(database_url)
    bank_slug, member_ids, categories = _setup_bank(database, seed)
    jobs = [_Job(database.url, bank_slug, member_ids, categories, dt.date.today(), index,
                 per_writer, seed, writer) for index in range(writers)]
    if use_processes:
        context = multiprocessing.get_context(start_method)
        ready, start, results = context.Queue(), context.Event(), context.Queue()
        workers = [context.Process(target=_run_writer, args=(job, ready, start, results),
                                   daemon=True) for job in jobs]
    else:
        ready, start, results = queue.Queue(), threading.Event(), queue.Queue()
        workers = [threading.Thread(target=_run_writer, args=(job, ready, start, results),
                                    daemon=True) for job in jobs]
    for worker in workers:
        worker.start()
    # Start every writer at once, after the slow part (a process importing SQLAlchemy).
    for _ in workers:
        ready.get(timeout=timeout_s)

    snapshots, stop = _Snapshots(), threading.Event()
    reader = threading.Thread(target=_read_snapshots,
                              args=(database, bank_slug, member_ids, stop, snapshots), daemon=True)
    began = time.perf_counter()
    start.set()
    reader.start()
    outs = [results.get(timeout=timeout_s) for _ in workers]
    elapsed = time.perf_counter() - began
    stop.set()
    reader.join(timeout=60)
    for worker in workers:
        worker.join(timeout=60)

    off, final_breaks, recorded = _final_state(database, bank_slug)
    report = check_ledger(database)
    database.dispose()

    accepted: dict[str, set[int]] = {}
    for out in outs:
        for key, exchange_id in out["accepted"].items():
            accepted.setdefault(key, set()).add(exchange_id)
        for key, _variant, outcome, value in out["shared"]:
            if outcome == "ok":
                accepted.setdefault(key, set()).add(value)
    reported_ids = {i for ids in accepted.values() for i in ids}
    recorded_ids = set(recorded.values())
    return BankTestResult(
        writer=getattr(writer, "__name__", repr(writer)),
        writers=writers,
        per_writer=per_writer,
        elapsed_s=round(elapsed, 1),
        calls=sum(o["calls"] for o in outs),
        refused_by_limits=sum(o["refused_by_limits"] for o in outs),
        snapshots=snapshots.taken,
        bad_snapshots=snapshots.bad,
        bad_snapshot_samples=snapshots.bad_samples,
        snapshot_limit_breaks=snapshots.limit_breaks,
        snapshot_limit_break_samples=snapshots.limit_break_samples,
        final_limit_breaks=final_breaks,
        balances_off_entries=off,
        exchanges_recorded=len(recorded),
        distinct_keys_accepted=len(accepted),
        unreported_exchanges=sorted(recorded_ids - reported_ids)[:SAMPLES],
        missing_exchanges=sorted(reported_ids - recorded_ids)[:SAMPLES],
        retries=sum(o["retries"] for o in outs),
        retries_other_id=[r for o in outs for r in o["retries_other_id"]][:SAMPLES]
        + [(k, sorted(ids)) for k, ids in accepted.items() if len(ids) > 1][:SAMPLES],
        reuses=sum(o["reuses"] for o in outs),
        reuses_refused=sum(o["reuses_refused"] for o in outs),
        reuses_not_refused=[r for o in outs for r in o["reuses_not_refused"]][:SAMPLES],
        shared_key_calls=sum(len(o["shared"]) for o in outs),
        shared_key_conflicts=_shared_key_conflicts(outs),
        check_ok=report.ok,
        check_problems=[f"{p.invariant}: {p.detail}" for p in report.problems][:SAMPLES],
        raw_errors=sum(o["raw_errors"] for o in outs) + snapshots.raw_errors,
        raw_error_samples=([s for o in outs for s in o["raw_error_samples"]]
                           + snapshots.raw_error_samples)[:SAMPLES],
    )


def run_together(count: int, work) -> list:
    """Run `work(i)` in `count` threads released at the same instant; return outcomes."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = work(i)
        except Exception as error:  # kept, so the test can say which error and how often
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "writers still waiting after 120 s: a deadlock"
    return outcomes
