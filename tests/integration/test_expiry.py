"""Requests and offers expire after the bank's period, on both databases: the lists and a
row's own page agree (one rule), the owner or a coordinator renews from today, and a
closed request cannot be renewed."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import HelpRequest, Offer
from timebank.domain.errors import InvalidExpiryPeriod, NotAllowed, NotRenewable, UnknownRequest
from timebank.domain.expiry import expires_on
from timebank.services import banks, helping, requests_offers

TODAY = dt.datetime.now(dt.UTC).date()


def _posted_on(database, model, row_id: int, day: dt.date) -> None:
    with database.session() as session:
        session.execute(sa.update(model).where(model.id == row_id).values(renewed_on=day))
        session.commit()


def _four_months_ago() -> dt.date:
    return TODAY - dt.timedelta(days=123)


@pytest.fixture
def listed(database, bank, make_member):
    owner, other = make_member(bank, "Jean Paterson"), make_member(bank, "Alasdair MacLeod")
    old = requests_offers.ask_for_help(database, bank.slug, member_id=owner.id, what="Hedge cutting")
    new = requests_offers.ask_for_help(database, bank.slug, member_id=owner.id, what="A lift to the surgery")
    old_offer = requests_offers.offer_skill(database, bank.slug, member_id=owner.id, description="Ironing")
    new_offer = requests_offers.offer_skill(database, bank.slug, member_id=owner.id, description="Baking")
    _posted_on(database, HelpRequest, old.id, _four_months_ago())
    _posted_on(database, Offer, old_offer.id, _four_months_ago())
    return owner, other, old, new, old_offer, new_offer


def test_a_new_request_is_listed_for_three_months_from_today(database, bank, listed):
    owner, _, _, new, _, new_offer = listed
    mine = {r.id: r for r in requests_offers.member_requests(database, bank.slug, owner.id)}
    assert mine[new.id].expires_on == expires_on(TODAY, 3) and not mine[new.id].expired


def test_expired_requests_and_offers_leave_every_list(database, bank, listed):
    owner, other, old, new, old_offer, new_offer = listed
    assert [r.id for r in requests_offers.list_requests(database, bank.slug)] == [new.id]
    assert [o.id for o in requests_offers.list_offers(database, bank.slug)] == [new_offer.id]
    assert [row.request.id for row in helping.coordinator_requests(database, bank.slug).rows] == [new.id]
    assert [row.id for row in helping.coordinator_offers(database, bank.slug).rows] == [new_offer.id]
    # The coordinator sees them apart, to renew for a member without a sign-in.
    assert {(e.kind, e.id) for e in helping.expired_listings(database, bank.slug)} == {
        ("request", old.id), ("offer", old_offer.id)}
    # Its link finds nothing for another member; its owner sees it, marked expired.
    with pytest.raises(UnknownRequest):
        helping.request_detail(database, bank.slug, old.id, viewer_id=other.id)
    with pytest.raises(UnknownRequest):
        requests_offers.answer_request(database, bank.slug, old.id, member_id=other.id)
    mine = {r.id: r for r in requests_offers.member_requests(database, bank.slug, owner.id)}
    assert mine[old.id].expired and mine[old.id].expires_on == expires_on(_four_months_ago(), 3)
    assert {o.id: o.expired for o in requests_offers.member_offers(database, bank.slug, owner.id)} == {
        old_offer.id: True, new_offer.id: False}


def test_the_owner_renews_from_today_and_it_is_listed_again(database, bank, listed):
    owner, _, old, _, old_offer, _ = listed
    renewed = requests_offers.renew_request(database, bank.slug, old.id, member_id=owner.id)
    again = requests_offers.renew_request(database, bank.slug, old.id, member_id=owner.id)
    assert renewed.expires_on == again.expires_on == expires_on(TODAY, 3) and not renewed.expired
    assert old.id in [r.id for r in requests_offers.list_requests(database, bank.slug)]
    offer = requests_offers.renew_offer(database, bank.slug, old_offer.id, member_id=None)
    assert not offer.expired
    assert old_offer.id in [o.id for o in requests_offers.list_offers(database, bank.slug)]
    assert helping.expired_listings(database, bank.slug) == []


def test_only_the_owner_or_a_coordinator_renews_and_never_a_closed_request(database, bank, listed):
    owner, other, old, new, old_offer, _ = listed
    with pytest.raises(NotAllowed):
        requests_offers.renew_offer(database, bank.slug, old_offer.id, member_id=other.id)
    requests_offers.close_request(database, bank.slug, new.id, member_id=owner.id)
    with pytest.raises(NotRenewable):
        requests_offers.renew_request(database, bank.slug, new.id, member_id=owner.id)
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(Offer.renewed_on).where(Offer.id == old_offer.id)) == _four_months_ago()


def test_a_longer_period_set_by_the_bank_lists_them_again(database, bank, listed):
    _, _, old, new, _, _ = listed
    banks.update_settings(database, bank.slug, floor_minutes=bank.floor_minutes,
                          ceiling_minutes=bank.ceiling_minutes, need_confirmation=True, expiry_months=6)
    assert {r.id for r in requests_offers.list_requests(database, bank.slug)} == {old.id, new.id}
    with pytest.raises(InvalidExpiryPeriod):
        banks.update_settings(database, bank.slug, floor_minutes=bank.floor_minutes,
                              ceiling_minutes=bank.ceiling_minutes, need_confirmation=False, expiry_months=0)
    after = banks.get_bank(database, bank.slug)
    assert after.expiry_months == 6 and after.member_exchanges_need_confirmation
