import datetime as dt

import pytest

from timebank.domain import errors
from timebank.domain import ledger as ledger_rules
from timebank.domain.ledger import (
    ExchangeKind,
    Limits,
    PlannedEntry,
    PostingRequest,
    check_balance_move,
    check_distinct_members,
    check_exchange_length,
    fingerprint,
    parse_day,
    run_posting_checks,
    run_request_checks,
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


# ---------------------------------------------------------------- the two ordered lists


def test_the_request_checks_are_in_the_documented_order():
    assert [check.__name__ for check in ledger_rules.REQUEST_CHECKS] == [
        "amount_is_whole_minutes",
        "amount_is_positive",
        "amount_fits_one_day",
        "day_is_a_day_help_was_given",
        "description_fits",
        "reason_is_given",
        "group_has_receivers",
        "members_are_distinct",
        "share_is_whole_minutes",
    ]


def test_the_posting_checks_are_in_the_documented_order():
    assert [check.__name__ for check in ledger_rules.POSTING_CHECKS] == [
        "members_are_active",
        "community_pot_holds_enough",
        "balances_stay_within_limits",
    ]


def test_every_check_names_the_codes_it_refuses_with():
    """The first line of each check's docstring starts with its codes: the README's list."""
    for check in (*ledger_rules.REQUEST_CHECKS, *ledger_rules.POSTING_CHECKS):
        codes = check.__doc__.split(":")[0].split(", ")
        known = {getattr(errors, name).code for name in errors.__all__}
        assert set(codes) <= known, check.__name__


def _request(**changes):
    asked = dict(kind=ExchangeKind.EXCHANGE, amount_minutes=30, provider_id=1, receiver_ids=(2,),
                 given_on=None, today=TODAY, description=None)
    return PostingRequest(**{**asked, **changes})


def test_the_first_broken_request_rule_is_the_one_named():
    # Too long, in the future and to oneself: the length comes first in the list.
    with pytest.raises(errors.ExchangeTooLong):
        run_request_checks(_request(amount_minutes=25 * 60, given_on="2026-03-15", receiver_ids=(1,)))
    with pytest.raises(errors.DayInFuture):
        run_request_checks(_request(given_on="2026-03-15", receiver_ids=(1,)))
    with pytest.raises(errors.SameMemberOnBothSides):
        run_request_checks(_request(receiver_ids=(1,)))
    run_request_checks(_request())


@pytest.mark.parametrize("kind, changes, refusal", [
    (ExchangeKind.GRANT, {"reason": " "}, errors.ReasonRequired),
    (ExchangeKind.REVERSAL, {"reason": None}, errors.ReasonRequired),
    (ExchangeKind.GROUP, {"receiver_ids": ()}, errors.InvalidInput),
    (ExchangeKind.GROUP, {"amount_minutes": 3, "receiver_ids": (2, 3, 4, 5)}, errors.ExchangeTooLong),
    (ExchangeKind.DONATION, {"amount_minutes": True}, errors.InvalidHours),
    (ExchangeKind.DONATION, {"amount_minutes": 0}, errors.HoursNotPositive),
    (ExchangeKind.EXCHANGE, {"description": "x" * 2001}, errors.InvalidInput),
])
def test_every_kind_of_posting_is_asked_through_the_one_list(kind, changes, refusal):
    with pytest.raises(refusal):
        run_request_checks(_request(kind=kind, **changes))


def _entry(member_id, amount, balance=0, *, status="active", kind="member", limits=LIMITS):
    return PlannedEntry(account_id=member_id or 99, member_id=member_id, account_kind=kind,
                        who=f"M{member_id}", member_status=status, balance_minutes=balance,
                        amount_minutes=amount, limits=limits)


def test_the_first_broken_posting_rule_is_the_one_named():
    over_ceiling, below_floor = _entry(1, 60, balance=6000), _entry(2, -60, balance=-600)
    with pytest.raises(errors.MemberNotActive):
        run_posting_checks("exchange", [over_ceiling, _entry(2, -60, balance=-600, status="suspended")])
    # Entry by entry, in the order planned: the provider's ceiling before the receiver's floor.
    with pytest.raises(errors.BalanceAboveCeiling):
        run_posting_checks("exchange", [over_ceiling, below_floor])
    with pytest.raises(errors.BalanceBelowFloor):
        run_posting_checks("exchange", [_entry(1, 60), below_floor])
    run_posting_checks("exchange", [_entry(1, 60), _entry(2, -60)])


def test_a_grant_from_the_pot_needs_the_hours_in_it_but_a_group_remainder_does_not():
    pot_short = _entry(None, -30, balance=20, status=None, kind="community_pot",
                       limits=Limits(floor_minutes=0, ceiling_minutes=None))
    with pytest.raises(errors.CommunityPotTooLow):
        run_posting_checks("grant", [_entry(1, 30, balance=6000), pot_short])
    run_posting_checks("group", [_entry(1, 31), _entry(2, -30),
                                 _entry(None, -1, status=None, kind="community_pot", limits=None)])


def test_a_reversal_may_move_the_balance_of_a_member_who_has_left():
    run_posting_checks("reversal", [_entry(1, -60, balance=60, status="closed"), _entry(2, 60, balance=-60)])
    with pytest.raises(errors.MemberNotActive):
        run_posting_checks("exchange", [_entry(1, 60, status="closed"), _entry(2, -60)])
NOT_FOUND = {"UnknownBank", "UnknownMember", "UnknownExchange", "MemberOfAnotherBank", "UnknownRequest",
             "UnknownOffer", "UnknownAssessment", "UnknownProposal", "UnknownIntroduction", "NotFound",
             "UnknownNeighbourhood", "UnknownNotice"}
FORBIDDEN = {"NotAllowed", "NotYoursToConfirm", "Forbidden"}
CONFLICT = {"BankSlugTaken", "CategoryTaken", "EmailTaken", "IdempotencyKeyReusedWithOtherDetails", "AlreadyReversed",
            "ExchangeNotPosted", "ExchangeNotPending", "NeedAlreadyIntroduced", "HelperAtCapacity", "Conflict",
            "NeighbourhoodTaken", "MemberErased",
            # a request's journey: closed, a helper already chosen, an answer withdrawn
            "RequestNotOpen", "HelperAlreadyChosen", "AnswerNotOpen",
            "LooksLikeDuplicate", "LimitsLeaveMembersOutside",
            # a second match run within the hour, not confirmed
            "MatchRunRecently",
            # renewing a closed request or a withdrawn offer
            "NotRenewable"}


def test_every_error_says_its_http_status():
    """The web reads `http_status` and nothing else: this table is the one to keep."""
    for name in errors.__all__:
        expected = 404 if name in NOT_FOUND else 403 if name in FORBIDDEN else 409 if name in CONFLICT else 400
        assert getattr(errors, name).http_status == expected, name


def test_every_error_class_lives_in_the_errors_module():
    """A class defined elsewhere would slip past the table above (and the web's statuses)."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    import timebank.services.assessments  # noqa: F401
    import timebank.services.matches  # noqa: F401

    outside = {c.__qualname__ for c in subclasses(errors.TimebankError)
               if c.__module__ != errors.__name__ and not c.__module__.startswith("tests")}
    assert outside == set()
    assert {c.__name__ for c in subclasses(errors.TimebankError)} <= set(errors.__all__)
