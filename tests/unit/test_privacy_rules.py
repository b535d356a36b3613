"""The pure rules of retention and consent withdrawal."""
from __future__ import annotations

import datetime as dt

import pytest

from timebank.domain.errors import DayInFuture, InvalidInput
from timebank.domain.privacy import check_retention_years, check_withdrawal, past_retention, retention_cutoff

TODAY = dt.date(2026, 12, 3)


def test_a_record_is_kept_until_the_years_after_its_last_contact_have_passed():
    assert not past_retention(dt.date(2018, 12, 3), TODAY, 8)
    assert past_retention(dt.date(2018, 12, 2), TODAY, 8)
    assert past_retention(dt.date(2025, 1, 1), TODAY, 1)
    assert not past_retention(dt.date(2026, 1, 1), TODAY, 1)


def test_the_cutoff_from_the_29th_of_february_is_the_28th():
    assert retention_cutoff(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)


@pytest.mark.parametrize("years", [0, -1, 101, True, 2.5])
def test_a_bank_keeps_records_a_whole_number_of_years_from_1_to_100(years):
    with pytest.raises(InvalidInput):
        check_retention_years(years)


def test_a_withdrawal_needs_a_day_not_in_the_future_and_a_note():
    assert check_withdrawal(TODAY, "  by phone  ", TODAY) == (TODAY, "by phone")
    with pytest.raises(DayInFuture):
        check_withdrawal(TODAY + dt.timedelta(days=1), "by phone", TODAY)
    with pytest.raises(InvalidInput):
        check_withdrawal(TODAY, "   ", TODAY)
    with pytest.raises(InvalidInput):
        check_withdrawal(TODAY, "x" * 1001, TODAY)
