"""The expiry rule: the day a request or an offer leaves the lists, and the cutoff the
lists' queries compare with, agree on every day (month ends and leap days included)."""
from __future__ import annotations

import datetime as dt

import pytest

from timebank.domain.errors import InvalidExpiryPeriod
from timebank.domain.expiry import (
    DEFAULT_EXPIRY_MONTHS,
    check_expiry_months,
    expires_on,
    is_expired,
    listed_since,
    renewal_due,
    warning_due,
)

D = dt.date


def test_a_request_expires_three_months_after_the_day_it_was_posted_by_default():
    assert DEFAULT_EXPIRY_MONTHS == 3
    assert expires_on(D(2026, 12, 3), 3) == D(2027, 3, 3)


def test_a_month_end_expires_on_the_last_day_of_a_shorter_month():
    assert expires_on(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert expires_on(D(2027, 11, 30), 3) == D(2028, 2, 29)


def test_a_request_is_listed_until_the_day_before_it_expires_and_gone_on_that_day():
    posted = D(2026, 9, 3)
    assert not is_expired(posted, D(2026, 12, 2), 3)
    assert is_expired(posted, D(2026, 12, 3), 3)


@pytest.mark.parametrize("months", [1, 3, 12])
def test_the_cutoff_the_lists_use_agrees_with_the_expiry_day_on_every_day_of_two_years(months):
    start = D(2027, 1, 1)
    for offset in range(0, 730, 1):
        today = start + dt.timedelta(days=offset)
        cutoff = listed_since(today, months)
        # The first day still listed expires after today; the day before it does not.
        assert expires_on(cutoff, months) > today
        assert expires_on(cutoff - dt.timedelta(days=1), months) <= today


def test_the_owner_is_warned_from_a_week_before_until_the_day_it_expires():
    posted = D(2026, 9, 10)  # expires on 10 December
    assert not warning_due(posted, D(2026, 12, 2), 3)
    assert warning_due(posted, D(2026, 12, 3), 3)
    assert warning_due(posted, D(2026, 12, 9), 3)
    assert not warning_due(posted, D(2026, 12, 10), 3)


@pytest.mark.parametrize("months", [0, 25, -3, "3", 2.5, True, None])
def test_a_period_that_is_not_1_to_24_whole_months_is_refused(months):
    with pytest.raises(InvalidExpiryPeriod):
        check_expiry_months(months)


@pytest.mark.parametrize("months", [1, 3, 24])
def test_a_period_of_1_to_24_months_is_taken(months):
    assert check_expiry_months(months) == months


def test_renew_is_offered_from_the_warning_on_and_after_expiry_but_not_on_a_fresh_listing():
    expires = dt.date(2027, 3, 1)
    assert not renewal_due(expires, dt.date(2026, 12, 3))  # posted today: nothing to renew
    assert not renewal_due(expires, expires - dt.timedelta(days=8))
    assert renewal_due(expires, expires - dt.timedelta(days=7))  # the day the owner is warned
    assert renewal_due(expires, expires)
    assert renewal_due(expires, expires + dt.timedelta(days=40))
