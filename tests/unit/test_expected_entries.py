"""What entries a posted exchange must have, from its kind and amount alone (the rule
`timebank check` holds the ledger to)."""
import pytest

from timebank.domain.ledger import entry_order, expected_entries


def _fits(kind, amount, provider, receiver, entries):
    return expected_entries(kind, amount, provider, receiver, entries) == sorted(entries, key=entry_order)


def test_an_exchange_moves_its_amount_from_the_receiver_to_the_provider():
    assert _fits("exchange", 120, 4, 22, [(22, "member", -120), (4, "member", 120)])
    assert not _fits("exchange", 120, 4, 22, [(4, "member", 1200), (22, "member", -1200)])
    assert not _fits("exchange", 120, 4, 22, [(22, "member", 120), (4, "member", -120)])
    assert not _fits("exchange", 120, 4, 22, [(4, "member", 120), (23, "member", -120)])


def test_a_group_exchange_shares_its_amount_and_the_pot_pays_the_remainder():
    assert _fits("group", 121, 1, None, [(1, "member", 121), (2, "member", -60), (3, "member", -60),
                                         (None, "community_pot", -1)])
    assert _fits("group", 120, 1, None, [(1, "member", 120), (2, "member", -60), (3, "member", -60)])
    assert not _fits("group", 120, 1, None, [(1, "member", 120), (2, "member", -90), (3, "member", -30)])
    assert not _fits("group", 120, 1, None, [(1, "member", 1200), (2, "member", -600), (3, "member", -600)])


@pytest.mark.parametrize("source", ["bank", "community_pot"])
def test_a_grant_comes_from_the_bank_or_its_pot(source):
    assert _fits("grant", 60, None, 5, [(5, "member", 60), (None, source, -60)])
    assert not _fits("grant", 60, None, 5, [(5, "member", 600), (None, source, -600)])


def test_a_donation_goes_to_the_pot():
    assert _fits("donation", 60, 5, None, [(5, "member", -60), (None, "community_pot", 60)])
    assert not _fits("donation", 60, 5, None, [(5, "member", -60), (None, "bank", 60)])


def test_a_reversal_is_held_to_its_original_instead():
    assert expected_entries("reversal", 60, 5, 6, [(5, "member", 60), (6, "member", -60)]) is None
