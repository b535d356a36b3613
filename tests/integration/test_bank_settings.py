"""A bank's settings page saves its limits, its confirmation mode and its contact phone
together, or none of them; revision 0024 gives banks the phone."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from timebank.db import migrate
from timebank.domain.errors import InvalidLimits, PhoneInvalid
from timebank.services import banks


def test_the_settings_are_saved_together(database, bank):
    saved = banks.update_settings(database, bank.slug, floor_minutes=-300, ceiling_minutes=600,
                                  need_confirmation=False)
    assert banks.get_bank(database, bank.slug) == saved
    assert (saved.floor_minutes, saved.ceiling_minutes, saved.member_exchanges_need_confirmation) == (
        -300, 600, False)


def test_refused_limits_leave_the_confirmation_mode_as_it_was(database, bank):
    before = banks.get_bank(database, bank.slug)
    with pytest.raises(InvalidLimits):
        banks.update_settings(database, bank.slug, floor_minutes=60, ceiling_minutes=600,
                              need_confirmation=not before.member_exchanges_need_confirmation)
    assert banks.get_bank(database, bank.slug) == before


def _save(database, bank, **settings):
    return banks.update_settings(database, bank.slug, floor_minutes=bank.floor_minutes,
                                 ceiling_minutes=bank.ceiling_minutes, need_confirmation=True, **settings)


def test_the_contact_phone_is_saved_tidied_left_alone_when_not_given_and_cleared_when_empty(database, bank):
    assert banks.get_bank(database, bank.slug).contact_phone is None
    assert _save(database, bank, contact_phone="  0131  496 0000 ").contact_phone == "0131 496 0000"
    assert _save(database, bank, expiry_months=6).contact_phone == "0131 496 0000"  # not given: unchanged
    assert banks.get_bank(database, bank.slug).contact_phone == "0131 496 0000"
    assert _save(database, bank, contact_phone="").contact_phone is None
    assert banks.get_bank(database, bank.slug).contact_phone is None
    assert banks.set_contact_phone(database, bank.slug, "+44 (0)131 496 0999").contact_phone == "+44 (0)131 496 0999"
    assert banks.set_contact_phone(database, bank.slug, None).contact_phone is None


@pytest.mark.parametrize("typed", ["ring Cora", "123", "0" * 51])
def test_a_contact_phone_that_is_no_number_is_refused_and_nothing_is_saved(database, bank, typed):
    _save(database, bank, contact_phone="0131 496 0000")
    before = banks.get_bank(database, bank.slug)
    with pytest.raises(PhoneInvalid):
        banks.update_settings(database, bank.slug, floor_minutes=-60, ceiling_minutes=600,
                              need_confirmation=False, expiry_months=12, contact_phone=typed)
    with pytest.raises(PhoneInvalid):
        banks.set_contact_phone(database, bank.slug, typed)
    assert banks.get_bank(database, bank.slug) == before


def test_revision_0024_adds_the_contact_phone_empty_and_its_downgrade_drops_it(backend, database_factory):
    database = database_factory.migrated(backend)
    banks.create_bank(database, "older", "Older bank")
    before = ScriptDirectory.from_config(migrate.alembic_config(database)).get_revision("0024").down_revision
    banks.set_contact_phone(database, "older", "0131 496 0000")
    migrate.downgrade(database, before)
    columns = {c["name"] for c in sa.inspect(database.engine).get_columns("banks")}
    assert "contact_phone" not in columns
    migrate.upgrade(database)
    assert migrate.current_revision(database) == migrate.head_revision(database)
    assert banks.get_bank(database, "older").contact_phone is None  # banks already there have none
    assert banks.set_contact_phone(database, "older", "0131 496 0000").contact_phone == "0131 496 0000"
