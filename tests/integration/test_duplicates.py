"""The same exchange sent twice (Back and send again, two coordinators, two taps): it is
recorded once unless the person says it is a second one. On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.integration.bank_harness import run_together
from timebank.domain import errors
from timebank.services import ledger

TODAY = dt.date.today()
JOINED = TODAY - dt.timedelta(days=60)


@pytest.fixture
def pair(bank, make_member):
    return bank, make_member(bank, "Ann", joined_on=JOINED), make_member(bank, "Bob", joined_on=JOINED)


def _log(database, bank, ann, bob, key, *, again=False, minutes=60, day=None, member=False):
    details = dict(provider_id=ann.id, receiver_id=bob.id, minutes=minutes,
                   given_on=day or TODAY - dt.timedelta(days=1), idempotency_key=key,
                   refuse_duplicates=not again)
    if member:
        return ledger.propose_exchange(database, bank.slug, member_id=ann.id, **details)
    return ledger.log_exchange(database, bank.slug, recorded_by="coordinator:1", **details)


@pytest.mark.parametrize("member", [False, True], ids=["coordinator", "member"])
def test_an_exchange_like_one_just_logged_is_refused_without_confirmation(database, pair, ledger_state, member):
    bank, ann, bob = pair
    first = _log(database, bank, ann, bob, "first", member=member)
    before = ledger_state(bank)
    with pytest.raises(errors.LooksLikeDuplicate) as caught:
        _log(database, bank, ann, bob, "second", member=member)
    assert caught.value.earlier_id == first.id
    assert "An exchange with the same people, day and hours was recorded" in caught.value.message
    assert "1h from Ann to Bob" in caught.value.message
    assert ledger_state(bank) == before


def test_a_second_exchange_is_recorded_when_the_person_says_so(database, pair, ledger_state):
    bank, ann, bob = pair
    first = _log(database, bank, ann, bob, "first")
    second = _log(database, bank, ann, bob, "second", again=True)
    assert second.id != first.id and not second.replayed
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 120


def test_the_same_key_sent_again_is_the_first_exchange_not_a_duplicate(database, pair):
    bank, ann, bob = pair
    first = _log(database, bank, ann, bob, "once")
    again = _log(database, bank, ann, bob, "once")
    assert again.id == first.id and again.replayed


@pytest.mark.parametrize("change", [{"minutes": 90}, {"day": TODAY - dt.timedelta(days=2)}])
def test_other_hours_or_another_day_are_not_a_duplicate(database, pair, change):
    bank, ann, bob = pair
    _log(database, bank, ann, bob, "first")
    assert not _log(database, bank, ann, bob, "other", **change).replayed


def test_a_declined_exchange_does_not_count_as_the_earlier_one(database, pair):
    bank, ann, bob = pair
    first = _log(database, bank, ann, bob, "first", member=True)
    assert first.state == "pending"  # a new bank asks the other member to confirm
    ledger.decline_exchange(database, bank.slug, first.id, member_id=bob.id, settled_by="member:bob")
    assert not _log(database, bank, ann, bob, "second", member=True).replayed


def test_two_identical_sends_at_once_with_different_keys_record_once(database, pair, ledger_state):
    bank, ann, bob = pair
    before = ledger_state(bank)
    outcomes = run_together(6, lambda i: _log(database, bank, ann, bob, f"race-{i}"))
    recorded = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert len(recorded) == 1, outcomes
    assert {type(o) for o in refused} == {errors.LooksLikeDuplicate}
    assert ledger_state(bank)["exchanges"] == before["exchanges"] + 1


def test_identical_sends_at_once_all_confirmed_are_all_recorded(database, pair, ledger_state):
    bank, ann, bob = pair
    before = ledger_state(bank)
    outcomes = run_together(3, lambda i: _log(database, bank, ann, bob, f"meant-{i}", again=True))
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert ledger_state(bank)["exchanges"] == before["exchanges"] + 3


def test_a_day_before_a_member_joined_is_refused_on_both_paths(database, bank, make_member, ledger_state):
    ann = make_member(bank, "Ann", joined_on=JOINED)
    new = make_member(bank, "Nia")  # joined today
    before = ledger_state(bank)
    for duplicates_checked in (False, True):  # the hot path, then the complete path
        with pytest.raises(errors.DayBeforeMemberJoined, match="Nia joined on"):
            ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=new.id, minutes=30,
                                given_on=TODAY - dt.timedelta(days=1), recorded_by="t",
                                refuse_duplicates=duplicates_checked)
    with pytest.raises(errors.DayBeforeMemberJoined):
        ledger.log_group_exchange(database, bank.slug, provider_id=ann.id, receiver_ids=[new.id], minutes=30,
                                  given_on=TODAY - dt.timedelta(days=1), recorded_by="t")
    assert ledger_state(bank) == before
    ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=new.id, minutes=30,
                        given_on=TODAY, recorded_by="t")


def test_a_day_more_than_a_year_back_needs_confirmation(database, bank, make_member, ledger_state):
    ann = make_member(bank, "Ann", joined_on=dt.date(2000, 1, 1))
    bob = make_member(bank, "Bob", joined_on=dt.date(2000, 1, 1))
    long_ago = TODAY - dt.timedelta(days=400)
    before = ledger_state(bank)
    with pytest.raises(errors.DayLongAgo):
        ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=30,
                            given_on=long_ago, recorded_by="t", long_ago_confirmed=False)
    assert ledger_state(bank) == before
    done = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=30,
                               given_on=long_ago, recorded_by="t", long_ago_confirmed=True)
    assert done.given_on == long_ago


def test_a_member_taken_on_twice_today_is_asked_about(database, bank):
    from timebank.services import members

    first = members.add_member(database, bank.slug, "Jean Paterson", phone="0131 555 0101")
    with pytest.raises(errors.LooksLikeDuplicate) as caught:
        members.take_member_on(database, bank.slug, "jean  paterson", phone="01315550101", recorded_by="t",
                               refuse_duplicates=True)
    assert caught.value.earlier_id == first.id and f"#{first.id}" in caught.value.message
    assert len(members.list_members(database, bank.slug)) == 1
    # Another phone is another person; confirmed, a second one is taken on.
    members.add_member(database, bank.slug, "Jean Paterson", phone="0131 555 0202", refuse_duplicates=True)
    members.add_member(database, bank.slug, "Jean Paterson", phone="0131 555 0101")
    assert len(members.list_members(database, bank.slug)) == 3
