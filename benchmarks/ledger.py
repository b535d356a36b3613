"""How fast the ledger writes and reads, against this machine's physical limit.

For each database: exchanges per second logged one unit of work each through the service
layer (`ledger.log_exchange`), against bare single-row INSERT transactions through the
same `Database` engine and settings (BEGIN IMMEDIATE and synchronous=FULL on SQLite),
serially and with 8 concurrent writers (threads on PostgreSQL, processes on SQLite);
then the median time to read one balance and a 10,000-entry statement.

Runs on scratch databases only: a temporary SQLite file, and a PostgreSQL database
created and dropped through the admin URL. Prints a markdown table.

    .venv/bin/python benchmarks/ledger.py --exchanges 20000 --backend both
"""
from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timebank.db import migrate  # noqa: E402
from timebank.db.engine import Database  # noqa: E402
from timebank.db.models import Account, Bank, Entry, Exchange  # noqa: E402
from timebank.services import banks, ledger, members  # noqa: E402

ADMIN_URL = os.environ.get("TIMEBANK_BENCH_POSTGRES_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CONCURRENT_WRITERS = 8
STATEMENT_ENTRIES = 10_000
BALANCE_READS = 1_000
STATEMENT_READS = 7
AIMS = {"ratio": 0.5, "balance_ms": 1.0, "statement_ms": 100.0}

bare_rows = sa.Table(
    "bench_bare_rows", sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("amount_minutes", sa.Integer, nullable=False),
)


# ---------------------------------------------------------------- scratch databases


class Scratch:
    """A migrated throwaway database of one backend, removed by `close`."""

    def __init__(self, backend: str):
        self.backend = backend
        self._admin = None
        if backend == "sqlite":
            self._dir = tempfile.TemporaryDirectory(prefix="timebank-bench-")
            self.url = f"sqlite:///{self._dir.name}/bench.sqlite3"
        else:
            self._admin = sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT",
                                           poolclass=sa.pool.NullPool)
            self._name = f"timebank_bench_{uuid.uuid4().hex[:10]}"
            with self._admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{self._name}"'))
            self.url = ADMIN_URL.rsplit("/", 1)[0] + "/" + self._name
        self.database = Database(self.url)
        migrate.upgrade(self.database)
        bare_rows.create(self.database.engine)

    def close(self) -> None:
        self.database.dispose()
        if self._admin is not None:
            with self._admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
            self._admin.dispose()
        else:
            self._dir.cleanup()


# ---------------------------------------------------------------- the writers


def _log_exchanges(database: Database, slug: str, pair: tuple[int, int], count: int,
                   prefix: str) -> None:
    """`count` exchanges between two members, alternating direction to stay within limits."""
    first, second = pair
    for n in range(count):
        provider, receiver = (first, second) if n % 2 == 0 else (second, first)
        ledger.log_exchange(database, slug, provider_id=provider, receiver_id=receiver,
                            minutes=30, recorded_by="benchmark",
                            idempotency_key=f"{prefix}-{n}")


def _insert_bare(database: Database, count: int) -> None:
    """`count` transactions of one INSERT each: the floor under any write path."""
    statement = bare_rows.insert()
    for n in range(count):
        with database.session() as session:
            session.execute(statement, {"amount_minutes": n})
            session.commit()


def _work(kind: str, url: str, slug: str, pair, count: int, prefix: str) -> None:
    database = Database(url)
    try:
        if kind == "service":
            _log_exchanges(database, slug, pair, count, prefix)
        else:
            _insert_bare(database, count)
    finally:
        database.dispose()


def _process_worker(kind, url, slug, pair, count, prefix, ready, start, done) -> None:
    database_ready = Database(url)  # import and connect before the clock starts
    database_ready.dispose()
    ready.put(prefix)
    start.wait()
    try:
        _work(kind, url, slug, pair, count, prefix)
    except BaseException as error:
        done.put(f"{type(error).__name__}: {error}"[:300])  # so the parent stops waiting
        raise
    done.put(None)


def _concurrent(kind: str, scratch: Scratch, slug: str, pairs, total: int) -> float:
    """Seconds for `total` writes split over 8 writers started at the same instant."""
    per_writer = total // CONCURRENT_WRITERS
    args = [(kind, scratch.url, slug, pairs[i], per_writer, f"{kind}-c{i}")
            for i in range(CONCURRENT_WRITERS)]
    if scratch.backend == "sqlite":
        context = multiprocessing.get_context("spawn")
        ready, start, done = context.Queue(), context.Event(), context.Queue()
        workers = [context.Process(target=_process_worker, args=(*a, ready, start, done))
                   for a in args]
        for worker in workers:
            worker.start()
        for _ in workers:
            ready.get(timeout=120)
        began = time.perf_counter()
        start.set()
        failures = [failure for failure in (done.get() for _ in workers) if failure]
        elapsed = time.perf_counter() - began
        for worker in workers:
            worker.join()
        if failures:
            raise RuntimeError(f"{len(failures)} writer processes failed: {failures[0]}")
        return elapsed
    errors: list[BaseException] = []

    def run(a):
        try:
            _work(*a)
        except BaseException as error:  # reported below: a benchmark of failures is no figure
            errors.append(error)

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - began


# ---------------------------------------------------------------- reads


def _seed_statement_member(database: Database, slug: str) -> int:
    """A member with 10,000 entries, written in bulk: the bank's history, and the
    statement the read figures read.

    Logging them through the service would take minutes; the rows are the same ones it
    writes, and the cached balances equal the entries, as `timebank check` demands.
    """
    reader = members.add_member(database, slug, "Statement reader").id
    other = members.add_member(database, slug, "Statement partner").id
    today = dt.date.today()
    now = dt.datetime.now(dt.UTC)
    with database.session() as session:
        bank_id = session.scalar(sa.select(Bank.id).where(Bank.slug == slug))
        accounts = dict(session.execute(
            sa.select(Account.member_id, Account.id).where(Account.member_id.in_([reader, other]))
        ).all())
        rows = []
        for n in range(STATEMENT_ENTRIES):
            provider, receiver = (reader, other) if n % 2 == 0 else (other, reader)
            rows.append(dict(bank_id=bank_id, kind="exchange", state="posted",
                             provider_member_id=provider, receiver_member_id=receiver,
                             amount_minutes=15, given_on=today, recorded_by="benchmark",
                             idempotency_key=f"statement-{n}", created_at=now))
        session.execute(sa.insert(Exchange), rows)
        ids = session.execute(
            sa.select(Exchange.id, Exchange.provider_member_id)
            .where(Exchange.bank_id == bank_id, Exchange.idempotency_key.like("statement-%"))
        ).all()
        entries = []
        for exchange_id, provider in ids:
            receiver = other if provider == reader else reader
            entries.append(dict(bank_id=bank_id, exchange_id=exchange_id,
                                account_id=accounts[provider], amount_minutes=15, created_at=now))
            entries.append(dict(bank_id=bank_id, exchange_id=exchange_id,
                                account_id=accounts[receiver], amount_minutes=-15, created_at=now))
        session.execute(sa.insert(Entry), entries)
        session.commit()  # alternating directions: both balances are back at zero
    return reader


def _analyze(database: Database) -> None:
    """Fresh planner statistics, as a database in use has them.

    PostgreSQL's autovacuum analyzes a table each time a tenth of it has changed. This
    machine's server runs with `autovacuum = off`: there, a plan made while a table was
    small stays in each connection, and the foreign-key check of every entry then scans
    all the exchanges instead of finding one by its key. So the benchmark starts from a
    history of 10,000 exchanges, analyzed: plans made from there look rows up by key,
    and stay right as the tables grow.
    """
    if database.dialect == "postgresql":
        with database.engine.connect() as connection:
            connection.execute(sa.text("ANALYZE"))
            connection.commit()


def _median_ms(call, times: int) -> float:
    samples = []
    for _ in range(times):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


# ---------------------------------------------------------------- one backend


def bench(backend: str, exchanges: int) -> dict:
    scratch = Scratch(backend)
    try:
        database = scratch.database
        slug = "bench"
        banks.create_bank(database, slug, "Benchmark bank", floor_minutes=-600,
                          ceiling_minutes=600)
        pairs = [tuple(members.add_member(database, slug, f"Member {i}-{side}").id
                       for side in "ab") for i in range(CONCURRENT_WRITERS)]
        figures = {"backend": backend, "exchanges": exchanges}
        reader = _seed_statement_member(database, slug)
        _analyze(database)

        began = time.perf_counter()
        _log_exchanges(database, slug, pairs[0], exchanges, "serial")
        figures["service_serial"] = exchanges / (time.perf_counter() - began)
        began = time.perf_counter()
        _insert_bare(database, exchanges)
        figures["bare_serial"] = exchanges / (time.perf_counter() - began)

        figures["service_concurrent"] = exchanges / _concurrent("service", scratch, slug, pairs,
                                                               exchanges)
        figures["bare_concurrent"] = exchanges / _concurrent("bare", scratch, slug, pairs,
                                                             exchanges)

        lines = ledger.statement(database, slug, reader)
        assert len(lines) == STATEMENT_ENTRIES, len(lines)
        # The balance is one cached row; the given/received totals add up the history.
        figures["balance_ms"] = _median_ms(
            lambda: ledger.balance(database, slug, reader, with_totals=False), BALANCE_READS)
        figures["balance_totals_ms"] = _median_ms(lambda: ledger.balance(database, slug, reader),
                                                  STATEMENT_READS)
        figures["statement_ms"] = _median_ms(lambda: ledger.statement(database, slug, reader),
                                             STATEMENT_READS)
        from timebank.services.checks import check_ledger

        report = check_ledger(database)
        if not report.ok:
            raise RuntimeError(f"the benchmark left a broken ledger: {report.problems[:3]}")
        return figures
    finally:
        scratch.close()


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def table(results: list[dict]) -> str:
    rows = [
        "| database | writers | service exchanges/s | bare INSERT transactions/s | ratio "
        f"(aim >= {AIMS['ratio']}) | met |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        for label, suffix in (("1", "serial"),
                              (f"{CONCURRENT_WRITERS} ({'processes' if r['backend'] == 'sqlite' else 'threads'})",
                               "concurrent")):
            service, bare = r[f"service_{suffix}"], r[f"bare_{suffix}"]
            ratio = service / bare
            rows.append(f"| {r['backend']} | {label} | {service:,.0f} | {bare:,.0f} | "
                        f"{ratio:.2f} | {_mark(ratio >= AIMS['ratio'])} |")
    rows += [
        "",
        f"| database | one balance, median of {BALANCE_READS:,} (aim < {AIMS['balance_ms']:g} ms) | "
        f"balance with hours given and received | "
        f"{STATEMENT_ENTRIES:,}-entry statement, median of {STATEMENT_READS} "
        f"(aim < {AIMS['statement_ms']:g} ms) | met |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = r["balance_ms"] < AIMS["balance_ms"] and r["statement_ms"] < AIMS["statement_ms"]
        rows.append(f"| {r['backend']} | {r['balance_ms']:.2f} ms | {r['balance_totals_ms']:.1f} ms | "
                    f"{r['statement_ms']:.1f} ms | {_mark(ok)} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=int, default=20_000,
                        help="exchanges (and bare INSERTs) per measurement (default 20000)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    if args.exchanges < CONCURRENT_WRITERS * 2:
        parser.error(f"--exchanges must be at least {CONCURRENT_WRITERS * 2}")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = []
    for backend in backends:
        print(f"{backend}: {args.exchanges:,} exchanges ...", file=sys.stderr, flush=True)
        results.append(bench(backend, args.exchanges))
    print(f"Ledger benchmark: {args.exchanges:,} exchanges, one unit of work each; "
          f"{os.cpu_count()} cores; Python {sys.version.split()[0]}.\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
