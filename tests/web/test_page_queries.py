"""The coordinator's lists read a fixed number of SQL statements, however many members
and exchanges the bank has: a page that read one more per row (an N+1) would be fine on
a small bank and take seconds on a big one."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.web.conftest import csrf_from, sign_in
from timebank.services import ledger, members

PAGES = ("/coordinator/", "/coordinator/pending", "/coordinator/exchanges", "/coordinator/calls",
         "/coordinator/reports/network", "/coordinator/reports/activity",
         "/coordinator/exchanges?text=LEITH", "/coordinator/log/group", "/coordinator/members.csv")


def _statements(client, database, path: str) -> int:
    return _statements_of(lambda: client.get(path), database)


def _statements_of(ask, database) -> int:
    """The SQL statements one answer to `ask()` reads, asked once first: a page's first
    visit may fill caches."""
    ask()
    seen = []

    def count(*_args):
        seen.append(1)

    sa.event.listen(database.engine, "before_cursor_execute", count)
    try:
        assert ask().status_code == 200
    finally:
        sa.event.remove(database.engine, "before_cursor_execute", count)
    return len(seen)


def _grow(database, world, people: int, exchanges: int) -> None:
    slug = world.bank.slug
    joined = dt.date.today() - dt.timedelta(days=30)
    ids = [members.add_member(database, slug, f"Member {n}", area="Leith", joined_on=joined).id for n in range(people)]
    day = dt.date.today() - dt.timedelta(days=3)
    for n in range(exchanges):
        provider, receiver = ids[n % len(ids)], ids[(n + 1) % len(ids)]
        ledger.log_exchange(database, slug, provider_id=provider, receiver_id=receiver, minutes=30,
                            given_on=day, recorded_by="test", description="A lift to Leith")
        ledger.propose_exchange(database, slug, member_id=receiver, provider_id=receiver,
                                receiver_id=provider, minutes=15, given_on=day)


@pytest.mark.parametrize("path", PAGES)
def test_a_list_reads_as_many_statements_for_a_bigger_bank(app, client, web_database, world, path):
    sign_in(client, world.coordinator)
    _grow(web_database, world, people=3, exchanges=3)
    few = _statements(client, web_database, path)

    _grow(web_database, world, people=12, exchanges=12)

    assert _statements(client, web_database, path) == few


def test_finding_a_groups_receivers_reads_as_many_statements_for_a_bigger_bank(app, client, web_database, world):
    """The group form's search (its no-JavaScript path) lists a few matches, never the bank."""
    sign_in(client, world.coordinator)
    _grow(web_database, world, people=3, exchanges=3)
    token = csrf_from(client.get("/coordinator/log/group").text)

    def found() -> int:
        return _statements_of(lambda: client.post("/coordinator/log/group", data={
            "csrf_token": token, "find": "member", "find_receivers": "1"}), web_database)

    few = found()
    _grow(web_database, world, people=12, exchanges=0)
    assert found() == few
