"""Revision 0020 on both databases: requests and offers already there start their period
on the day they were created, so a bank upgrading sees its stale ones leave the lists."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic.script import ScriptDirectory

from timebank.db import migrate
from timebank.services import requests_offers
from timebank.services.banks import create_bank
from timebank.services.members import add_member

CREATED = dt.datetime(2026, 5, 17, 23, 30, tzinfo=dt.UTC)


def test_rows_already_there_take_their_creation_day_as_the_start(backend, database_factory):
    database = database_factory.migrated(backend)
    create_bank(database, "older", "Older bank")
    ann = add_member(database, "older", "Ann")
    requests_offers.ask_for_help(database, "older", member_id=ann.id, what="Hedge cutting")
    offer = requests_offers.offer_skill(database, "older", member_id=ann.id, description="Ironing")
    before = ScriptDirectory.from_config(migrate.alembic_config(database)).get_revision("0020").down_revision
    migrate.downgrade(database, before)
    with database.engine.begin() as connection:
        for table in ("help_requests", "offers"):
            connection.execute(sa.text(f"UPDATE {table} SET created_at = :at"), {"at": CREATED})
    migrate.upgrade(database)
    with database.engine.connect() as connection:
        days = {table: connection.execute(sa.text(f"SELECT renewed_on FROM {table}")).scalar_one()
                for table in ("help_requests", "offers")}
    assert {t: str(d)[:10] for t, d in days.items()} == {"help_requests": "2026-05-17", "offers": "2026-05-17"}
    assert requests_offers.list_requests(database, "older") == []
    assert [o.id for o in requests_offers.member_offers(database, "older", ann.id) if o.expired] == [offer.id]
