"""A rule added to the ledger's posting checks applies to every path that posts.

The review's trap: a rule written only where the ORM posts would be skipped by every
plain exchange, which the driver-level hot path posts. Here a throwaway rule is added to
`POSTING_CHECKS` alone, and a plain, in-limit exchange logged through `log_exchange` (the
hot path), a confirmation and a grant (the ORM) are all refused by it, with nothing
written, on SQLite and PostgreSQL.
"""
import pytest

from timebank.domain import ledger as ledger_rules
from timebank.domain.errors import TimebankError
from timebank.services import ledger


class SeventySevenMinutes(TimebankError):
    code = "seventy_seven_minutes"


def no_seventy_seven_minutes(kind, entries):
    """seventy_seven_minutes: a rule made up for this test."""
    if any(abs(entry.amount_minutes) == 77 for entry in entries):
        raise SeventySevenMinutes("No entry of 77 minutes.")


@pytest.fixture
def with_the_rule(monkeypatch):
    monkeypatch.setattr(ledger_rules, "POSTING_CHECKS",
                        (*ledger_rules.POSTING_CHECKS, no_seventy_seven_minutes))


@pytest.fixture
def pair(make_bank, make_member):
    bank = make_bank(floor_minutes=-600, ceiling_minutes=600)
    return bank, make_member(bank, "Ann"), make_member(bank, "Bob")


def _refused_with_nothing_written(ledger_state, bank, call):
    before = ledger_state(bank)
    with pytest.raises(SeventySevenMinutes):
        call()
    assert ledger_state(bank) == before


def test_a_plain_exchange_logged_on_the_hot_path_is_refused_by_a_new_posting_check(
        database, pair, ledger_state, with_the_rule):
    bank, ann, bob = pair
    _refused_with_nothing_written(ledger_state, bank, lambda: ledger.log_exchange(
        database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=77, recorded_by="test"))
    # The rule refuses what it names, and nothing else.
    assert ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id,
                               minutes=30, recorded_by="test").state == "posted"


def test_a_confirmation_and_a_grant_through_the_orm_are_refused_by_a_new_posting_check(
        database, pair, ledger_state, with_the_rule):
    bank, ann, bob = pair
    pending = ledger.propose_exchange(database, bank.slug, member_id=ann.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=77)
    assert pending.state == "pending"  # waiting moves no balance, so posts nothing to check
    _refused_with_nothing_written(ledger_state, bank, lambda: ledger.confirm_exchange(
        database, bank.slug, pending.id, member_id=bob.id, settled_by="test"))
    _refused_with_nothing_written(ledger_state, bank, lambda: ledger.grant(
        database, bank.slug, member_id=ann.id, minutes=77, reason="Welcome", recorded_by="test"))
