"""Expired requests and offers on the pages: the owner sees "Expired on ..." and renews in
one click (one POST with the form's key); the coordinator renews for Dot, who has no
sign-in; the bank's period is a settings field, a bad one refused beside it."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import csrf_from
from tests.web.test_coordinator_pages import error_beside
from timebank.db.models import HelpRequest, Offer
from timebank.domain.expiry import expires_on
from timebank.services import banks, requests_offers
from timebank.web.words import day

TODAY = dt.datetime.now(dt.UTC).date()
LONG_AGO = TODAY - dt.timedelta(days=123)
KEY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="idempotency_key"')


def _expire(database, model, row_id: int) -> None:
    with database.session() as session:
        session.execute(sa.update(model).where(model.id == row_id).values(renewed_on=LONG_AGO))
        session.commit()


def _renewed_on(database, model, row_id: int) -> dt.date:
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(model.renewed_on).where(model.id == row_id))


def _form(page: str) -> dict:
    key = KEY.search(page)
    assert key, "no form key on the page"
    return {"csrf_token": csrf_from(page), "idempotency_key": key.group(1) or key.group(2)}


@pytest.fixture
def expired(web_database, world):
    slug = world.bank.slug
    request = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Hedge cutting")
    offer = requests_offers.offer_skill(web_database, slug, member_id=world.ann.member_id, description="Ironing")
    _expire(web_database, HelpRequest, request.id)
    _expire(web_database, Offer, offer.id)
    return request, offer


def test_the_owner_sees_expired_on_and_renews_in_one_click(signed_in, world, web_database, expired):
    request, offer = expired
    ann, bob = signed_in(world.ann), signed_in(world.bob)
    assert "Hedge cutting" not in bob.get("/member/browse").text
    page = ann.get("/member/requests").text
    assert f"Expired on {day(expires_on(LONG_AGO, 3))}" in page
    form = _form(page)
    renewed = ann.post(f"/member/requests/{request.id}/renew", data=form, follow_redirects=True)
    assert renewed.status_code == 200
    assert f"listed again until {day(expires_on(TODAY, 3))}" in renewed.text
    assert _renewed_on(web_database, HelpRequest, request.id) == TODAY
    # The same form sent again (a double click) is the same renewal.
    assert ann.post(f"/member/requests/{request.id}/renew", data=form).status_code == 302
    assert _renewed_on(web_database, HelpRequest, request.id) == TODAY
    assert "Hedge cutting" in bob.get("/member/browse").text

    offers_page = ann.get("/member/offer").text
    assert "Expired on" in offers_page
    ann.post(f"/member/offers/{offer.id}/renew", data=_form(offers_page))
    assert _renewed_on(web_database, Offer, offer.id) == TODAY


def test_another_member_cannot_renew_and_a_stale_form_renews_nothing(signed_in, world, web_database, expired):
    request, _ = expired
    bob = signed_in(world.bob)
    form = _form(bob.get("/member/offer").text)
    refused = bob.post(f"/member/requests/{request.id}/renew", data=form)
    assert refused.status_code in (403, 404)
    ann = signed_in(world.ann)
    assert ann.post(f"/member/requests/{request.id}/renew", data={"idempotency_key": "k"}).status_code == 400
    assert _renewed_on(web_database, HelpRequest, request.id) == LONG_AGO


def test_the_coordinator_renews_for_a_member_without_a_sign_in(signed_in, world, web_database):
    slug = world.bank.slug
    dots = requests_offers.ask_for_help(web_database, slug, member_id=world.dot_member_id, what="Shopping on Fridays")
    _expire(web_database, HelpRequest, dots.id)
    cora = signed_in(world.coordinator)
    page = cora.get("/coordinator/requests").text
    assert "Expired requests and offers" in page and "Shopping on Fridays" in page and "No sign-in" in page
    done = cora.post(f"/coordinator/requests/{dots.id}/renew", data=_form(page), follow_redirects=True)
    assert f"Renewed for Dot: listed again until {day(expires_on(TODAY, 3))}" in done.text
    assert _renewed_on(web_database, HelpRequest, dots.id) == TODAY


def test_renew_is_offered_a_week_before_expiry_and_not_on_a_fresh_request(signed_in, world, web_database):
    slug = world.bank.slug
    fresh = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Bulb changing")
    ann, cora = signed_in(world.ann), signed_in(world.coordinator)
    renew_button = f'action="/member/requests/{fresh.id}/renew"'
    assert f"Listed until {day(expires_on(TODAY, 3))}" in ann.get("/member/requests").text
    assert renew_button not in ann.get("/member/requests").text
    assert f"/coordinator/requests/{fresh.id}/renew" not in cora.get(f"/coordinator/requests/{fresh.id}").text

    # Five days before it leaves the list: the owner was warned, and Renew is there.
    with web_database.session() as session:
        session.execute(sa.update(HelpRequest).where(HelpRequest.id == fresh.id).values(
            renewed_on=sa.literal(TODAY - (expires_on(TODAY, 3) - TODAY) + dt.timedelta(days=5))))
        session.commit()
    assert renew_button in ann.get("/member/requests").text
    assert f"/coordinator/requests/{fresh.id}/renew" in cora.get(f"/coordinator/requests/{fresh.id}").text


def test_the_settings_page_sets_the_period_and_refuses_a_bad_one_beside_the_field(signed_in, world, web_database):
    cora = signed_in(world.coordinator)
    page = cora.get("/coordinator/settings").text
    assert 'name="expiry_months"' in page and 'value="3"' in page
    data = {"csrf_token": csrf_from(page), "floor": "5", "ceiling": "50", "confirmation": "yes"}
    for typed, message in (("0", "1 to 24 whole months"), ("25", "1 to 24 whole months"),
                           ("three", "Enter a whole number of months")):
        bad = cora.post("/coordinator/settings", data={**data, "expiry_months": typed, "confirmation": "no"})
        assert bad.status_code == 400
        error_beside(bad.text, "expiry_months", message)
        bank = banks.get_bank(web_database, world.bank.slug)
        assert bank.expiry_months == 3 and bank.member_exchanges_need_confirmation is True
    assert cora.post("/coordinator/settings", data={**data, "expiry_months": "6"}).status_code == 302
    assert banks.get_bank(web_database, world.bank.slug).expiry_months == 6


def test_a_new_listing_period_says_what_it_brought_back_to_the_lists_or_took_off(signed_in, world, web_database):
    slug = world.bank.slug
    old = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Hedge in spring")
    _expire(web_database, HelpRequest, old.id)  # 123 days ago: gone under 3 months, back under 6
    cora = signed_in(world.coordinator)
    page = cora.get("/coordinator/settings").text
    data = {"csrf_token": csrf_from(page), "floor": "5", "ceiling": "50", "confirmation": "yes",
            "limits_confirmed": "y"}
    longer = cora.post("/coordinator/settings", data={**data, "expiry_months": "6"}, follow_redirects=True)
    said = longer.text.replace("&#39;", "'")
    assert "1 request or offer that had left the lists is listed again (1 listed now)" in said
    shorter = cora.post("/coordinator/settings", data={**data, "expiry_months": "3"}, follow_redirects=True)
    assert "1 request or offer left the lists now, without the usual week" in shorter.text.replace("&#39;", "'")
    same = cora.post("/coordinator/settings", data={**data, "expiry_months": "3"}, follow_redirects=True)
    assert "The bank&#39;s settings are saved.</" in same.text or "The bank's settings are saved.</" in same.text


def test_every_problem_of_the_settings_form_is_said_at_once(signed_in, world, web_database):
    cora = signed_in(world.coordinator)
    page = cora.get("/coordinator/settings").text
    bad = cora.post("/coordinator/settings", data={"csrf_token": csrf_from(page), "floor": "ten", "ceiling": "50",
                                                   "confirmation": "yes", "expiry_months": "30",
                                                   "contact_phone": "call me"})
    assert bad.status_code == 400
    error_beside(bad.text, "floor", "")
    error_beside(bad.text, "expiry_months", "1 to 24 whole months")
    assert 'id="contact_phone-error"' in bad.text
    assert banks.get_bank(web_database, world.bank.slug).expiry_months == 3
