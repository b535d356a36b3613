"""Reports are kept between requests (a big bank's year takes too long to add up for a
page), and made again as soon as anything they are made of changes."""
from __future__ import annotations

import datetime as dt

from timebank.services import ledger, members, reports

D = dt.date
TODAY = D(2025, 6, 1)
PERIOD = reports.make_period(D(2025, 1, 1), D(2025, 3, 31))


def _bank(database, make_bank, make_member):
    bank = make_bank()
    ann, bob = make_member(bank, "Ann", joined_on=D(2024, 6, 1)), make_member(bank, "Bob", joined_on=D(2024, 6, 1))
    first = ledger.log_exchange(database, bank.slug, provider_id=ann.id, receiver_id=bob.id, minutes=60,
                                given_on=D(2025, 2, 1), recorded_by="test", today=TODAY)
    return bank, ann, bob, first


def test_a_report_is_kept_while_nothing_it_reads_changes(database, make_bank, make_member):
    bank, *_ = _bank(database, make_bank, make_member)
    first = reports.network_report(database, bank.slug, PERIOD)
    made = reports.kept_reports.made

    again = reports.network_report(database, bank.slug, PERIOD)

    assert again is first and reports.kept_reports.made == made


def test_a_kept_report_is_made_again_after_an_exchange_is_logged_or_reversed(database, make_bank, make_member):
    bank, ann, bob, first = _bank(database, make_bank, make_member)
    assert reports.activity_report(database, bank.slug, PERIOD).minutes == 60

    ledger.log_exchange(database, bank.slug, provider_id=bob.id, receiver_id=ann.id, minutes=30,
                        given_on=D(2025, 3, 1), recorded_by="test", today=TODAY)
    assert reports.activity_report(database, bank.slug, PERIOD).minutes == 90
    assert reports.network_report(database, bank.slug, PERIOD).links[0].minutes == 90

    ledger.reverse_exchange(database, first.id, reason="logged by mistake", recorded_by="test",
                            bank_slug=bank.slug, today=TODAY)
    assert reports.activity_report(database, bank.slug, PERIOD).minutes == 30
    assert reports.network_report(database, bank.slug, PERIOD).links[0].minutes == 30


def test_a_kept_report_is_made_again_after_a_pending_exchange_is_confirmed(database, make_bank, make_member):
    bank, ann, bob, _ = _bank(database, make_bank, make_member)
    waiting = ledger.propose_exchange(database, bank.slug, member_id=ann.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=45, given_on=D(2025, 3, 2), today=TODAY)
    before = reports.activity_report(database, bank.slug, PERIOD).minutes
    if waiting.state != "pending":  # a bank that does not ask the other member
        return
    ledger.confirm_exchange(database, bank.slug, waiting.id, member_id=bob.id, settled_by="test")

    assert (before, reports.activity_report(database, bank.slug, PERIOD).minutes) == (60, 105)


def test_a_kept_report_shows_a_member_renamed_since(database, make_bank, make_member):
    bank, ann, _, _ = _bank(database, make_bank, make_member)
    assert "Ann" in {m.name for m in reports.activity_report(database, bank.slug, PERIOD).members}

    members.edit_member(database, bank.slug, ann.id, name="Annie", email=None, phone=None, area=None,
                        kind="person")

    assert "Annie" in {m.name for m in reports.activity_report(database, bank.slug, PERIOD).members}
    assert "Annie" in {m.name for m in reports.network_report(database, bank.slug, PERIOD).members}
