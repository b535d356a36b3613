"""A bank's settings page saves its limits and its confirmation mode together, or neither."""
from __future__ import annotations

import pytest

from timebank.domain.errors import InvalidLimits
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
