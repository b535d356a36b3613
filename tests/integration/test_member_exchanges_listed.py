"""A member's exchanges are read by their numbers first (a plan PostgreSQL cannot get
wrong without statistics); a member with more than the list may hold keeps the subquery.
Both ways find the same exchanges, a page at a time, on SQLite and PostgreSQL."""
import datetime as dt

import pytest

from tests.integration.test_finding_and_correcting import joined
from timebank.services import ledger
from timebank.services.ledger import reading

TODAY = dt.date.today()


@pytest.mark.parametrize("listed_at_most", [10_000, 2], ids=["numbers listed", "subquery"])
def test_a_members_exchanges_are_the_same_listed_or_by_subquery(database, bank, monkeypatch, listed_at_most):
    monkeypatch.setattr(reading, "_MEMBER_IDS_LISTED", listed_at_most)
    ann, bob = joined(database, bank, "Ann"), joined(database, bank, "Bob")
    cat, dan = joined(database, bank, "Cat"), joined(database, bank, "Dan")
    gave = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=10,
                               recorded_by="test", given_on=TODAY - dt.timedelta(days=3))
    got = ledger.log_exchange(database, bank.slug, provider_id=bob.id, receiver_id=ann.id, minutes=20,
                              recorded_by="test", given_on=TODAY - dt.timedelta(days=2))
    group = ledger.log_group_exchange(database, bank.slug, provider_id=bob.id, receiver_ids=[ann.id, cat.id],
                                      minutes=30, recorded_by="test", given_on=TODAY - dt.timedelta(days=1))
    ledger.log_exchange(database, bank.slug, provider_id=bob.id, receiver_id=cat.id, minutes=40, recorded_by="test")

    found = ledger.find_exchanges(database, bank.slug, member_id=ann.id)
    assert [x.id for x in found.items] == [group.id, got.id, gave.id] and found.total == 3
    first, second = (ledger.find_exchanges(database, bank.slug, member_id=ann.id, page=n, per_page=2) for n in (1, 2))
    assert [x.id for x in first.items + second.items] == [group.id, got.id, gave.id]
    assert [x.id for x in ledger.find_exchanges(database, bank.slug, member_id=ann.id, text="x").items] == []
    nothing = ledger.find_exchanges(database, bank.slug, member_id=dan.id)
    assert nothing.items == () and nothing.total == 0
