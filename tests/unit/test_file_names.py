"""Members and kinds of help as a coordinator writes them in an uploaded file."""
from __future__ import annotations

import pytest

from timebank.domain.errors import BalanceBelowFloor, InvalidInput
from timebank.domain.file_names import category_in_file, member_in_file
from timebank.domain.ledger import Limits, PlannedEntry, balances_stay_within_limits
from timebank.domain.members import NamedMember

PEOPLE = [NamedMember(3, "Ann Smith", "Leith"), NamedMember(7, "Eve Stone", "Leith"),
          NamedMember(9, "Eve Stone", "Pilton")]
KINDS = {"chair_yoga": "Chair yoga", "shopping": "Shopping"}


@pytest.mark.parametrize("cell, number", [
    ("3", 3), ("#3", 3), (" # 3 ", 3), ("ann smith", 3), ("  ANN   Smith ", 3), ("Ann Smith #3", 3),
    ("Ann Smith (Leith, #3)", 3), ("Eve Stone #9", 9), ("#12", 12),
])
def test_a_member_is_found_by_number_by_name_or_by_both(cell, number):
    assert member_in_file(cell, "provider", PEOPLE) == number


@pytest.mark.parametrize("cell, message", [
    ("Eve Stone", "provider: 2 members are called Eve Stone (Eve Stone (Leith, #7); Eve Stone (Pilton, #9))"),
    ("Nobody", "provider: no member is called 'Nobody'"),
    ("Ann Smith #7", "provider: member #7 is Eve Stone, not Ann Smith"),
    ("²", "provider: '²' is not a member number"),
    ("#99999999999", "is not a member number"),
])
def test_a_name_that_is_no_one_or_two_people_is_refused_saying_why(cell, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        member_in_file(cell, "provider", PEOPLE)


def test_without_the_members_only_numbers_are_read():
    assert member_in_file("12", "receiver") == 12
    with pytest.raises(InvalidInput, match="is not a member number"):
        member_in_file("Ann Smith", "receiver")


@pytest.mark.parametrize("cell, code", [
    ("chair_yoga", "chair_yoga"), ("Chair yoga", "chair_yoga"), ("CHAIRYOGA", "chair_yoga"),
    ("chair-yoga", "chair_yoga"), (" shopping ", "shopping"), ("", None), ("astrology", "astrology"),
])
def test_a_kind_of_help_is_found_by_its_code_or_its_name(cell, code):
    assert category_in_file(cell, KINDS) == code


def test_every_member_who_would_pass_a_limit_is_named_at_once():
    limits = Limits(floor_minutes=-60, ceiling_minutes=600)
    entries = [PlannedEntry(account_id=i, account_kind="member", member_id=i, who=who, balance_minutes=0,
                            amount_minutes=-90, limits=limits, member_status="active")
               for i, who in ((1, "Bob"), (2, "Dot"))]
    with pytest.raises(BalanceBelowFloor) as refused:
        balances_stay_within_limits("group", entries)
    assert "Bob would go below" in refused.value.message and "Dot would go below" in refused.value.message
