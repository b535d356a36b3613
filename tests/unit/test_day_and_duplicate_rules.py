"""The rules that keep a record from being wrong by a year or recorded twice."""
import datetime as dt

import pytest

from timebank.domain import errors
from timebank.domain.duplicates import DUPLICATE_WINDOW, refuse_duplicate, same_words
from timebank.domain.ledger import (
    ExchangeKind,
    PostingRequest,
    check_day_after_joining,
    check_day_not_long_ago,
    count_outside_limits,
    run_request_checks,
)
from timebank.domain.members_words import in_members_words

TODAY = dt.date(2026, 12, 2)
NOW = dt.datetime(2026, 12, 2, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("day, confirmed, refused", [
    (TODAY - dt.timedelta(days=365), False, False),  # a year back exactly is still taken
    (TODAY - dt.timedelta(days=366), False, True),
    (TODAY - dt.timedelta(days=366), True, False),
    (dt.date(1990, 1, 1), False, True),
    (dt.date(1990, 1, 1), True, False),
])
def test_a_day_more_than_a_year_back_is_taken_only_when_confirmed(day, confirmed, refused):
    if refused:
        with pytest.raises(errors.DayLongAgo, match="more than a year ago"):
            check_day_not_long_ago(day, TODAY, confirmed)
    else:
        check_day_not_long_ago(day, TODAY, confirmed)


def test_the_request_checks_ask_about_a_long_ago_day_unless_confirmed():
    asked = dict(kind=ExchangeKind.EXCHANGE, amount_minutes=60, provider_id=1, receiver_ids=(2,),
                 given_on="2025-06-01", today=TODAY)
    with pytest.raises(errors.DayLongAgo):
        run_request_checks(PostingRequest(**asked))
    run_request_checks(PostingRequest(**asked, long_ago_confirmed=True))


@pytest.mark.parametrize("day, refused_for", [
    (dt.date(2026, 2, 28), "Ann"),  # before both joined: the first named
    (dt.date(2026, 3, 1), "Bob"),  # Ann's first day, before Bob's
    (dt.date(2026, 6, 1), None),  # Bob's first day
])
def test_help_is_never_dated_before_a_member_joined(day, refused_for):
    joined = [("Ann", dt.date(2026, 3, 1)), ("Bob", dt.date(2026, 6, 1))]
    if refused_for is None:
        check_day_after_joining(day, joined)
        return
    with pytest.raises(errors.DayBeforeMemberJoined) as caught:
        check_day_after_joining(day, joined)
    assert caught.value.message.startswith(f"{refused_for} joined on")
    assert isinstance(caught.value, errors.InvalidDay)  # shown beside the day


@pytest.mark.parametrize("ago, confirmed, refused", [
    (dt.timedelta(seconds=20), False, True),
    (dt.timedelta(minutes=90), False, True),
    (DUPLICATE_WINDOW - dt.timedelta(minutes=1), False, True),
    (DUPLICATE_WINDOW + dt.timedelta(minutes=1), False, False),
    (dt.timedelta(seconds=20), True, False),
])
def test_a_record_alike_within_the_window_is_refused_unless_confirmed(ago, confirmed, refused):
    def check():
        refuse_duplicate("An exchange with the same people, day and hours", "1h from Ann to Bob", 7,
                         NOW - ago, NOW, confirmed)
    if not refused:
        check()
        return
    with pytest.raises(errors.LooksLikeDuplicate) as caught:
        check()
    assert caught.value.earlier_id == 7 and caught.value.http_status == 409
    assert "1h from Ann to Bob" in caught.value.message and "Yes, record it again" in caught.value.message


def test_a_duplicate_says_how_long_ago_in_words():
    with pytest.raises(errors.LooksLikeDuplicate, match="was recorded less than a minute ago"):
        refuse_duplicate("A request", "x", 1, NOW - dt.timedelta(seconds=5), NOW, False)
    with pytest.raises(errors.LooksLikeDuplicate, match="was recorded 1 minute ago"):
        refuse_duplicate("A request", "x", 1, NOW - dt.timedelta(seconds=65), NOW, False)
    with pytest.raises(errors.LooksLikeDuplicate, match="was recorded 3 hours ago"):
        refuse_duplicate("A request", "x", 1, NOW - dt.timedelta(hours=3), NOW, False)


def test_words_are_the_same_whatever_their_case_and_spacing():
    assert same_words("A lift to  the optician.") == same_words("a lift to the optician")
    assert same_words("A lift to the optician") != same_words("A lift to the dentist")


def test_members_outside_new_limits_are_counted_on_each_side():
    assert count_outside_limits([-600, -61, -60, 0, 3000, 3001], -60, 3000) == (2, 1)
    assert count_outside_limits([-600, 9000], None, None) == (0, 0)


@pytest.mark.parametrize("error, reader, words", [
    (errors.BalanceBelowFloor("x", member_id=1, limit_minutes=-300), 1,
     "You can owe at most 5 hours. Please ask your coordinator."),
    (errors.BalanceBelowFloor("x", member_id=1, limit_minutes=-90), 1,
     "You can owe at most 1h 30m. Please ask your coordinator."),
    (errors.BalanceBelowFloor("x", member_id=1, limit_minutes=0), 1,
     "You cannot owe hours in this time bank. Please ask your coordinator."),
    (errors.BalanceBelowFloor("Bob would go below", member_id=2, limit_minutes=-300), 1,
     "The other member cannot receive more hours just now. Please ask your coordinator."),
    (errors.BalanceAboveCeiling("x", member_id=1, limit_minutes=6000), 1,
     "You can hold at most 100 hours. Please ask your coordinator."),
    (errors.DayInFuture("The help cannot be given in the future."), 1, "The help cannot be given in the future."),
])
def test_a_refusal_is_put_in_the_members_own_words(error, reader, words):
    assert in_members_words(error, reader) == words


def test_new_limits_with_members_outside_them_say_how_many_and_wait_for_confirmation():
    from timebank.domain.ledger import check_limits_leave_nobody_outside

    balances = [-600, -120, 0, 3000]
    with pytest.raises(errors.LimitsLeaveMembersOutside) as caught:
        check_limits_leave_nobody_outside(balances, balances, 0, 1200, confirmed=False)
    assert (caught.value.below, caught.value.above) == (2, 1)
    assert caught.value.message.startswith("2 members are already below 0h: they will not be able to receive help")
    assert "1 member is already above +20h" in caught.value.message
    check_limits_leave_nobody_outside(balances, balances, 0, 1200, confirmed=True)
    check_limits_leave_nobody_outside(balances, balances, None, None, confirmed=False)  # unchanged
    check_limits_leave_nobody_outside(balances, balances, -600, 3000, confirmed=False)  # nobody outside
