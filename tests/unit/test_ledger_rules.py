import datetime as dt

import pytest

from timebank.domain import errors
from timebank.domain.ledger import (
    Limits,
    check_balance_move,
    check_distinct_members,
    check_exchange_length,
    fingerprint,
    parse_day,
    split_group,
)

LIMITS = Limits(floor_minutes=-600, ceiling_minutes=6000)
TODAY = dt.date(2026, 3, 14)


def test_a_balance_may_reach_the_floor_exactly():
    check_balance_move("Ann", -590, -10, LIMITS)


def test_a_balance_one_minute_past_the_floor_is_refused():
    with pytest.raises(errors.BalanceBelowFloor) as caught:
        check_balance_move("Ann", -590, -11, LIMITS)
    assert "Ann" in caught.value.message


def test_a_balance_may_reach_the_ceiling_exactly_but_not_pass_it():
    check_balance_move("Bob", 5940, 60, LIMITS)
    with pytest.raises(errors.BalanceAboveCeiling):
        check_balance_move("Bob", 5940, 61, LIMITS)


def test_a_balance_already_below_a_tightened_floor_may_still_rise():
    check_balance_move("Ann", -900, 30, LIMITS)
    with pytest.raises(errors.BalanceBelowFloor):
        check_balance_move("Ann", -900, -1, LIMITS)


def test_no_limit_means_no_refusal():
    check_balance_move("The bank", -10**9, -10**6, Limits(None, None))


def test_an_exchange_of_more_than_a_day_is_refused():
    check_exchange_length(24 * 60)
    with pytest.raises(errors.ExchangeTooLong):
        check_exchange_length(24 * 60 + 1)


def test_the_same_member_on_both_sides_is_refused():
    with pytest.raises(errors.SameMemberOnBothSides):
        check_distinct_members(3, [3])
    with pytest.raises(errors.SameMemberOnBothSides):
        check_distinct_members(3, [4, 4])
    check_distinct_members(3, [4, 5])


@pytest.mark.parametrize("total, receivers, share, remainder",
                         [(60, 3, 20, 0), (61, 3, 20, 1), (100, 7, 14, 2), (5, 5, 1, 0), (1, 1, 1, 0)])
def test_a_group_splits_into_whole_minutes_and_a_small_remainder(total, receivers, share, remainder):
    assert split_group(total, receivers) == (share, remainder)
    assert share * receivers + remainder == total
    assert 0 <= remainder < receivers


def test_a_group_too_small_to_share_is_refused():
    with pytest.raises(errors.ExchangeTooLong):
        split_group(3, 4)


def test_days_default_to_today_and_cannot_be_in_the_future():
    assert parse_day(None, TODAY) == TODAY
    assert parse_day("2026-03-01", TODAY) == dt.date(2026, 3, 1)
    with pytest.raises(errors.DayInFuture):
        parse_day("2026-03-15", TODAY)


@pytest.mark.parametrize("text", ["2026-02-30", "yesterday", "14/03/2026", "2026-13-01", "0000-01-01"])
def test_impossible_days_are_refused(text):
    with pytest.raises(errors.InvalidDay):
        parse_day(text, TODAY)


def test_fingerprints_tell_details_apart_but_not_key_order():
    assert fingerprint({"a": 1, "b": 2}) == fingerprint({"b": 2, "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_every_error_has_a_distinct_stable_code():
    codes = [getattr(errors, name).code for name in errors.__all__]
    assert len(codes) == len(set(codes))
    assert all(code and code.islower() for code in codes)
