"""The page benchmark's big bank is written in bulk, around the services: it must still
be a ledger `timebank check` passes, with balances equal to their entries."""
from __future__ import annotations

import pytest

from benchmarks.data.big_bank import grow_bank
from timebank.demo import DEMO_BANK_SLUG, create_demo_bank
from timebank.services import ledger, members
from timebank.services.checks import check_ledger


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_grown_bank_keeps_its_ledger_consistent(database_factory, backend):
    database = database_factory.migrated(backend)
    create_demo_bank(database)
    exchanges_before = check_ledger(database).counts["exchanges"]

    added, exchanges = grow_bank(database, DEMO_BANK_SLUG, members=120, exchanges=700)

    report = check_ledger(database)
    assert report.ok, report.problems[:3]
    assert report.counts["exchanges"] == exchanges_before + 700 and exchanges == 700
    assert len(members.list_members(database, DEMO_BANK_SLUG)) == 120 and added > 0
    balances = ledger.balances(database, DEMO_BANK_SLUG)
    assert sum(b.given_minutes for b in balances) > 0
    statement = ledger.statement(database, DEMO_BANK_SLUG, balances[-1].member_id)
    assert statement[-1].balance_minutes == balances[-1].balance_minutes


def test_growing_a_grown_bank_again_adds_nothing(database_factory):
    """So that pages.py --big --db can time one big bank many times."""
    database = database_factory.migrated("sqlite")
    create_demo_bank(database)
    grow_bank(database, DEMO_BANK_SLUG, members=80, exchanges=300)
    counted = check_ledger(database).counts["exchanges"]

    assert grow_bank(database, DEMO_BANK_SLUG, members=80, exchanges=300) == (0, 0)
    assert check_ledger(database).counts["exchanges"] == counted
