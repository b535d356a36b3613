"""The pure rules about members: quiet or new, names that clash, follow-up days, and the
statement's day order."""
import datetime as dt

import pytest

from timebank.domain.errors import PhoneInvalid
from timebank.domain.members import (
    DUE,
    NEW,
    QUIET,
    WAITING,
    NamedMember,
    clean_phone,
    follow_up,
    labels_told_apart,
    name_clashes,
    same_name,
    standing,
)
from timebank.domain.statements import StatementEntry, in_day_order

TODAY = dt.date(2026, 12, 3)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_a_member_whose_last_exchange_is_90_days_old_is_quiet_and_89_is_not():
    assert standing(joined_on=days_ago(400), last_exchange_on=days_ago(90), today=TODAY) == QUIET
    assert standing(joined_on=days_ago(400), last_exchange_on=days_ago(89), today=TODAY) is None


def test_a_member_who_never_exchanged_is_new_for_90_days_then_quiet():
    assert standing(joined_on=days_ago(0), last_exchange_on=None, today=TODAY) == NEW
    assert standing(joined_on=days_ago(89), last_exchange_on=None, today=TODAY) == NEW
    assert standing(joined_on=days_ago(90), last_exchange_on=None, today=TODAY) == QUIET


def test_a_new_member_who_has_exchanged_is_neither_new_nor_quiet():
    assert standing(joined_on=days_ago(10), last_exchange_on=days_ago(2), today=TODAY) is None


def test_names_clash_whatever_their_case_and_spaces():
    assert same_name("Jean Paterson", "  jean   PATERSON ")
    assert not same_name("Jean Paterson", "Jean Patterson")
    others = [NamedMember(48, "JEAN PATERSON", "Pilton"), NamedMember(2, "Jean Paterson", "Leith"),
              NamedMember(3, "Jean", "Leith")]
    assert [m.id for m in name_clashes("jean paterson", others)] == [2, 48]
    assert name_clashes("Someone Else", others) == []


def test_a_follow_up_is_waiting_before_its_day_and_due_from_it():
    assert follow_up(None, TODAY) is None
    assert follow_up(TODAY + dt.timedelta(days=1), TODAY) == WAITING
    assert follow_up(TODAY, TODAY) == DUE
    assert follow_up(days_ago(3), TODAY) == DUE


def test_the_statement_runs_by_the_day_of_the_help_not_the_order_recorded():
    # Recorded in the order 1, 2, 3, but exchange 3 was help given before the other two.
    entries = [StatementEntry(days_ago(5), 1, 10, 60), StatementEntry(days_ago(1), 2, 11, -30),
               StatementEntry(days_ago(300), 3, 12, 120)]
    ordered = in_day_order(entries)
    assert [e.exchange_id for e, _ in ordered] == [3, 1, 2]
    assert [balance for _, balance in ordered] == [120, 180, 150]


def test_entries_of_one_day_run_by_exchange_then_entry():
    day = days_ago(1)
    ordered = in_day_order([StatementEntry(day, 7, 30, 5), StatementEntry(day, 4, 31, 10),
                            StatementEntry(day, 7, 29, -1)])
    assert [(e.exchange_id, e.entry_id) for e, _ in ordered] == [(4, 31), (7, 29), (7, 30)]
    assert ordered[-1][1] == 14


@pytest.mark.parametrize("typed, kept", [
    ("0131 496 0000", "0131 496 0000"), ("+44 (0)131 496-0000", "+44 (0)131 496-0000"),
    ("  07700   900123 ", "07700 900123"), ("0131 496 0000 ext 2", "0131 496 0000 ext 2"), ("", None), (None, None),
])
def test_a_phone_number_is_kept_as_typed_with_its_spaces_tidied(typed, kept):
    assert clean_phone(typed) == kept


@pytest.mark.parametrize("typed", ["hello", "999", "call me", "0131 496 0000 or 0777", "9" * 51])
def test_a_phone_number_with_letters_or_too_few_digits_is_refused(typed):
    with pytest.raises(PhoneInvalid):
        clean_phone(typed)


def test_two_members_of_one_name_and_area_are_told_apart_by_their_number():
    listed = [NamedMember(2, "Jean Paterson", "Leith"), NamedMember(46, "jean  paterson", "Leith"),
              NamedMember(7, "Jean Paterson", "Gorgie"), NamedMember(9, "Ann Smith", None)]
    assert labels_told_apart(listed) == {
        2: "Jean Paterson (Leith, #2)", 46: "jean  paterson (Leith, #46)", 7: "Jean Paterson (Gorgie)",
        9: "Ann Smith"}
