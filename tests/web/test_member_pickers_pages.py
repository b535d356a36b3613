"""The coordinator's Log hours finds each side by a search, and the group exchange can
tick everyone of an area: both work without JavaScript, a round trip at a time."""
from __future__ import annotations

import re

import pytest

from tests.web.conftest import JOINED_ON
from tests.web.test_coordinator_pages import error_beside, form_page, group_data, log_data, snapshot
from timebank.services import ledger, members

RADIO = re.compile(r'<input type="radio" name="(provider|receiver)" id="[^"]+" value="(\d+)"( checked)?>')
BOX = re.compile(r'<input type="checkbox" name="receivers"[^>]*value="(\d+)"([^>]*)>')


@pytest.fixture
def cora(signed_in, world):
    return signed_in(world.coordinator)


def radios(text: str) -> list[tuple[str, int, bool]]:
    return [(side, int(n), bool(on)) for side, n, on in RADIO.findall(text)]


def test_log_hours_lists_no_one_until_searched_then_finds_by_name_phone_area_or_number(cora, world, web_database):
    slug = world.bank.slug
    ruth = members.add_member(web_database, slug, "Ruth Fairbairn", phone="0131 496 7781", area="Trinity",
                              joined_on=JOINED_ON).id
    gone = members.add_member(web_database, slug, "Ruth Gone", area="Trinity", joined_on=JOINED_ON).id
    members.set_member_status(web_database, slug, gone, "closed")
    token, key = form_page(cora, "/coordinator/log")
    assert radios(cora.get("/coordinator/log").text) == []
    before = snapshot(web_database, world)

    for typed in ("fairb", "4967781", "0131 496 77", "trinity", f"#{ruth}"):
        found = cora.post("/coordinator/log", data=log_data(
            world, token, key, provider="", receiver="", find_provider=typed, find_receiver=""))
        assert found.status_code == 200, typed
        assert radios(found.text) == [("provider", ruth, False)], typed  # the closed member is not offered
        assert "Ruth Fairbairn (Trinity, #" in found.text and "1 member matching" in found.text
        assert 'class="error-summary"' not in found.text
    assert snapshot(web_database, world) == before


def test_log_hours_chooses_one_side_then_finds_the_other_then_records(cora, world, web_database):
    ann, bob = world.ann.member_id, world.bob.member_id
    token, key = form_page(cora, "/coordinator/log")
    before = snapshot(web_database, world)
    # Enter in a search box sends the form without naming a Find button: it searches both sides.
    both = cora.post("/coordinator/log", data=log_data(
        world, token, key, provider="", receiver="", find_provider="ann", find_receiver="bob"))
    assert both.status_code == 200
    assert radios(both.text) == [("provider", ann, False), ("receiver", bob, False)]
    assert snapshot(web_database, world) == before

    # Ann chosen, Bob's side searched: Ann's search is done and her box empties.
    chosen = cora.post("/coordinator/log", data=log_data(
        world, token, key, receiver="", find_provider="ann", find_receiver="bo", search_receiver="1"))
    assert radios(chosen.text) == [("provider", ann, True), ("receiver", bob, False)]
    assert re.search(r'<input[^>]*name="find_provider"[^>]*value=""', chosen.text), chosen.text

    # Choosing someone else: her own Find searches again; she stays chosen until another is.
    other_ann = members.add_member(web_database, world.bank.slug, "Ann Other", joined_on=JOINED_ON).id
    again = cora.post("/coordinator/log", data=log_data(world, token, key, find_provider="ann",
                                                        search_provider="1"))
    assert radios(again.text) == [("provider", ann, True), ("provider", other_ann, False), ("receiver", bob, True)]
    assert "(one already chosen)" in again.text

    recorded = cora.post("/coordinator/log", data=log_data(world, token, key))
    assert recorded.status_code == 302
    [logged] = ledger.list_exchanges(web_database, world.bank.slug)
    assert (logged.provider_member_id, logged.receiver_member_id, logged.amount_minutes) == (ann, bob, 90)


def test_a_find_button_searches_and_never_records(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log")
    before = snapshot(web_database, world)
    for button in ("search_provider", "search_receiver"):
        response = cora.post("/coordinator/log", data=log_data(world, token, key, find_receiver="dot",
                                                               **{button: "1"}))
        assert response.status_code == 200
        assert ("receiver", world.dot_member_id, False) in radios(response.text)
    assert snapshot(web_database, world) == before


def test_log_hours_without_a_choice_is_refused_beside_the_picker(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log")
    before = snapshot(web_database, world)
    response = cora.post("/coordinator/log", data=log_data(world, token, key, receiver=""))
    assert response.status_code == 400
    error_beside(response.text, "receiver", "Find and choose who received the help.")
    assert 'id="receiver" tabindex="-1"' in response.text  # the summary's link lands on the picker
    assert snapshot(web_database, world) == before


def test_the_group_form_finds_who_gave_the_help_too_and_records_only_when_chosen(cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log/group")
    assert radios(cora.get("/coordinator/log/group").text) == []
    before = snapshot(web_database, world)
    # Typed but not chosen, then sent: a search, not a refusal and not a record.
    found = cora.post("/coordinator/log/group", data=group_data(world, token, key, provider="", find_provider="ann"))
    assert found.status_code == 200 and radios(found.text) == [("provider", world.ann.member_id, False)]
    assert 'class="error-summary"' not in found.text
    # Ticked receivers stay ticked through the giver's search.
    assert [n for n, on in BOX.findall(found.text) if on] == [str(world.bob.member_id), str(world.dot_member_id)]
    refused = cora.post("/coordinator/log/group", data=group_data(world, token, key, provider=""))
    error_beside(refused.text, "provider", "Find and choose who gave the help.")
    assert snapshot(web_database, world) == before
    done = cora.post("/coordinator/log/group", data=group_data(world, token, key, find_provider="ann"))
    assert done.status_code == 302  # chosen from its search: the search is done, the form records


# ---------------------------------------------------------------- everyone in an area


def test_the_group_form_ticks_everyone_active_in_an_area_but_the_giver(cora, world, web_database):
    slug = world.bank.slug
    pat = members.add_member(web_database, slug, "Pat Porty", area="Portobello", joined_on=JOINED_ON).id
    sid = members.add_member(web_database, slug, "Sid Porty", area="Portobello", joined_on=JOINED_ON).id
    away = members.add_member(web_database, slug, "Al Away", area="Portobello", joined_on=JOINED_ON).id
    members.set_member_status(web_database, slug, away, "suspended")
    token, key = form_page(cora, "/coordinator/log/group")
    page = cora.get("/coordinator/log/group").text
    assert '<option value="Portobello">Portobello</option>' in page and '<option value="Leith">Leith</option>' in page
    before = snapshot(web_database, world)

    leith = cora.post("/coordinator/log/group", data=group_data(
        world, token, key, receivers=[world.bob.member_id], area="Leith", add_area="1"))
    assert leith.status_code == 200
    # Bob was ticked already, Dot is added; Ann gave the help, so she is not ticked.
    assert BOX.findall(leith.text) == [(str(world.bob.member_id), " checked"),
                                       (str(world.dot_member_id), " checked")]
    assert "Ticked 1 more active member of Leith (1 already ticked); Ann gave the help, so is not ticked." \
        in leith.text

    porty = cora.post("/coordinator/log/group", data=group_data(
        world, token, key, receivers=[world.bob.member_id, world.dot_member_id], area="Portobello", add_area="1"))
    assert [n for n, _ in BOX.findall(porty.text)] == [str(n) for n in (world.bob.member_id, world.dot_member_id,
                                                                        pat, sid)]
    assert str(away) not in [n for n, _ in BOX.findall(porty.text)]  # suspended: not active
    assert snapshot(web_database, world) == before

    # Some did not come: unticked, then recorded with the rules as ever.
    done = cora.post("/coordinator/log/group", data=group_data(
        world, token, key, receivers=[world.dot_member_id, pat, sid], hours="1h 30m"))
    assert done.status_code == 302
    [group] = ledger.list_exchanges(web_database, slug)
    assert group.amount_minutes == 90 and sorted(int(k) for k in group.entries if k.isdigit()) == sorted(
        [world.ann.member_id, world.dot_member_id, pat, sid])


def test_an_area_not_on_the_list_is_refused_beside_it_and_the_rules_still_say_every_problem(
        cora, world, web_database):
    token, key = form_page(cora, "/coordinator/log/group")
    before = snapshot(web_database, world)
    refused = cora.post("/coordinator/log/group", data=group_data(world, token, key, area="Atlantis", add_area="1"))
    assert refused.status_code == 400
    error_beside(refused.text, "area", "Choose an area from the list.")
    # Ticked by area and then sent with other mistakes: every problem at once, as before.
    response = cora.post("/coordinator/log/group", data=group_data(
        world, token, key, hours="lots",
        receivers=[world.ann.member_id, world.bob.member_id, world.dot_member_id], area="Leith"))
    assert response.status_code == 400
    error_beside(response.text, "hours", "is not a number of hours")
    error_beside(response.text, "receivers", "gave the help, so cannot also receive it")
    assert snapshot(web_database, world) == before


# ---------------------------------------------------------------- Renew, written once for both roles


def test_renew_with_a_stale_form_renews_nothing_and_another_banks_row_is_not_found(signed_in, world, web_database):
    from tests.web.test_expiry_pages import LONG_AGO, _expire, _form, _renewed_on
    from timebank.db.models import HelpRequest, Offer
    from timebank.services import requests_offers

    slug = world.bank.slug
    asked = requests_offers.ask_for_help(web_database, slug, member_id=world.ann.member_id, what="Ironing shirts")
    offered = requests_offers.offer_skill(web_database, slug, member_id=world.dot_member_id, description="Baking")
    theirs = requests_offers.ask_for_help(web_database, world.other_bank.slug,
                                          member_id=world.other_member.member_id, what="Elsewhere")
    for model, row in ((HelpRequest, asked.id), (Offer, offered.id), (HelpRequest, theirs.id)):
        _expire(web_database, model, row)
    ann, cora = signed_in(world.ann), signed_in(world.coordinator)
    for client, url, model, row, home in (
            (ann, f"/member/requests/{asked.id}/renew", HelpRequest, asked.id, "/member/requests"),
            (cora, f"/coordinator/offers/{offered.id}/renew", Offer, offered.id, "/coordinator/requests")):
        form = _form(client.get(home).text)
        stale = client.post(url, data={"csrf_token": form["csrf_token"]}, follow_redirects=True)
        assert "Nothing was changed: this page had expired." in stale.text
        assert _renewed_on(web_database, model, row) == LONG_AGO
        assert client.post(f"{url.rsplit('/', 2)[0]}/{theirs.id}/renew".replace("offers", "requests"),
                           data={"csrf_token": form["csrf_token"]}).status_code == 404
        assert client.post(url, data=form).status_code == 302
        assert _renewed_on(web_database, model, row) != LONG_AGO
    assert _renewed_on(web_database, HelpRequest, theirs.id) == LONG_AGO
