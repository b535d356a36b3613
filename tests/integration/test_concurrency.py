"""Concurrent writers cannot lose, double or overdraw an hour, nor deadlock each other.

The bank test (see `bank_harness`) runs the real service with many writers on both
databases; the negative control runs the same test against a naive read-modify-write
writer and must see it fail, or the bank test would prove nothing. The overdraft race
and the liveness test aim at the two classic failures of locking: a limit checked on a
stale balance, and two writers waiting for each other.
"""
from __future__ import annotations

import itertools
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.bank_harness import naive_writer, run_bank_test, run_together, service_writer
from timebank.domain.errors import BalanceBelowFloor
from timebank.services import ledger
from timebank.services.checks import check_ledger

# The minimum: 16 writer threads on PostgreSQL, 8 writer processes on SQLite
# (SQLite's lock is per file, so threads of one process would not be a fair test).
BANK_TEST = {
    "postgresql": {"writers": 16, "per_writer": 500, "use_processes": False},
    "sqlite": {"writers": 8, "per_writer": 500, "use_processes": True},
}
# The naive writer breaks within a few dozen exchanges on both databases (it pauses
# between read and write); 40 each gives a margin of an order of magnitude.
NEGATIVE_CONTROL = {
    "postgresql": {"writers": 16, "per_writer": 40, "use_processes": False},
    "sqlite": {"writers": 8, "per_writer": 40, "use_processes": True},
}

_keys = itertools.count(1)


def _timebank_check(url: str) -> subprocess.CompletedProcess:
    """`timebank --db URL check`, the console script an auditor would run."""
    script = Path(sys.executable).with_name("timebank")
    return subprocess.run([str(script), "--db", url, "check"], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_bank_test_keeps_every_invariant_under_concurrent_writers(backend, database_factory):
    database = database_factory.migrated(backend)

    result = run_bank_test(database.url, writer=service_writer, seed=7, **BANK_TEST[backend])

    summary = result.summary()
    # The run did what it claims: writers wrote, limits bit, keys were retried and
    # reused, and the reader saw many moments of the ledger.
    assert result.exchanges_recorded > result.writers * result.per_writer // 2, summary
    assert result.refused_by_limits > 0, summary
    assert result.retries > 0 and result.reuses > 0 and result.shared_key_calls > 0, summary
    assert result.snapshots >= 100, summary
    # The invariants, one by one, so that a failure names the one that broke.
    assert result.bad_snapshots == 0, summary
    assert result.snapshot_limit_breaks == 0 and not result.final_limit_breaks, summary
    assert not result.balances_off_entries, summary
    assert result.exchanges_recorded == result.distinct_keys_accepted, summary
    assert not result.unreported_exchanges and not result.missing_exchanges, summary
    assert not result.retries_other_id and not result.shared_key_conflicts, summary
    assert result.reuses_refused == result.reuses, summary
    assert result.check_ok, summary
    assert result.raw_errors == 0, summary
    assert result.broken_invariants == [], summary

    checked = _timebank_check(database.url)
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_bank_test_catches_a_naive_read_modify_write_writer(backend, database_factory):
    # A database of its own: the naive writer leaves a broken ledger behind it.
    database = database_factory.migrated(backend)

    result = run_bank_test(database.url, writer=naive_writer, seed=11,
                           **NEGATIVE_CONTROL[backend])

    summary = result.summary()
    assert result.exchanges_recorded > 0, summary
    # Lost updates: cached balances no longer equal their entries, and the auditor says so.
    assert result.balances_off_entries and not result.check_ok, summary
    # And the reader saw a bank whose balances did not sum to zero.
    assert result.bad_snapshots > 0, summary
    assert "balance_equals_sum_of_entries" in result.broken_invariants, summary

    checked = _timebank_check(database.url)
    assert checked.returncode != 0, checked.stdout + checked.stderr
    assert "balance_equals_sum_of_entries" in checked.stdout + checked.stderr


def test_only_two_of_32_concurrent_spends_fit_above_the_floor(backend, database):
    from timebank.services.banks import create_bank
    from timebank.services.members import add_member

    slug = f"overdraft-{backend}-{next(_keys)}-{random.randrange(10**6)}"
    create_bank(database, slug, "Overdraft race", floor_minutes=-60, ceiling_minutes=240)
    spender = add_member(database, slug, "Spender")
    helper = add_member(database, slug, "Helper")
    # 50 minutes received: the spender is now 10 minutes above the floor of -60.
    ledger.log_exchange(database, slug, provider_id=helper.id, receiver_id=spender.id,
                        minutes=50, recorded_by="test", idempotency_key="setup")

    outcomes = run_together(32, lambda i: ledger.log_exchange(
        database, slug, provider_id=helper.id, receiver_id=spender.id, minutes=5,
        recorded_by="test", idempotency_key=f"spend-{i}"))

    succeeded = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, BalanceBelowFloor)]
    other = [repr(o) for o in outcomes if isinstance(o, Exception)
             and not isinstance(o, BalanceBelowFloor)]
    assert other == []
    assert (len(succeeded), len(refused)) == (2, 30)
    balances = ledger.account_balances(database, slug)
    assert balances[str(spender.id)] == -60
    assert balances[str(helper.id)] == 60
    assert [line.balance_minutes for line in ledger.statement(database, slug, spender.id)] == [
        -50, -55, -60]


@pytest.mark.slow
def test_exchanges_in_opposite_directions_all_complete_without_deadlock(backend, database):
    from timebank.services.banks import create_bank
    from timebank.services.members import add_member

    slug = f"liveness-{backend}-{next(_keys)}-{random.randrange(10**6)}"
    create_bank(database, slug, "Liveness", floor_minutes=-6000, ceiling_minutes=6000)
    first = add_member(database, slug, "First")
    second = add_member(database, slug, "Second")
    # The higher id as provider in half the threads: writers that locked in argument
    # order would wait for each other in a cycle.
    rounds, threads = 15, 8

    def work(i: int) -> int:
        provider, receiver = (first, second) if i % 2 else (second, first)
        net = 0
        for n in range(rounds):
            minutes = 5 + (i + n) % 4 * 5
            ledger.log_exchange(database, slug, provider_id=provider.id, receiver_id=receiver.id,
                                minutes=minutes, recorded_by="test",
                                idempotency_key=f"live-{i}-{n}")
            net += minutes if provider is first else -minutes
        return net

    outcomes = run_together(threads, work)

    errors = [repr(o) for o in outcomes if isinstance(o, Exception)]
    assert errors == []
    balances = ledger.account_balances(database, slug)
    assert balances[str(first.id)] == sum(outcomes)
    assert balances[str(second.id)] == -sum(outcomes)
    assert len(ledger.statement(database, slug, first.id)) == rounds * threads
    assert check_ledger(database).ok
