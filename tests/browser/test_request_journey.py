"""A request reaches a helper, in a real browser, with axe-core on every page visited:
a member asks, two members answer, the asker chooses one, both see the other's contact,
and the hours are logged from the request; then the same done by the coordinator for a
member who has no email and no sign-in."""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH

pytestmark = pytest.mark.browser


def _follow(browse, link):
    """Click a link and check the page it opens."""
    with browse.page.expect_navigation():
        link.click()
    return browse.check()


def _share_email(open_browser, person):
    """The member says, on their own page, that the member they are put in touch with may see their email."""
    browse = open_browser(width=360, check_width=320)
    browse.sign_in(person)
    page = browse.goto("/member/contact")
    page.get_by_label("Share my email address").check()
    page = browse.submit("Save my choice")
    assert "Your choice is saved" in page.get_by_role("status").first.inner_text()
    return browse


def _answer(browse, what: str):
    page = browse.goto("/member/browse")
    card = page.locator("ul.cards > li", has_text=what)
    # The list carries one link per request; the message is written on the request's own page.
    page = browse.submit(button=card.get_by_role("link", name=re.compile("^I can help")))
    page.get_by_label("A short message (optional)").fill("I am free on Tuesday morning.")
    page = browse.submit("Send: I can help")
    assert "can now see that you can help" in page.get_by_role("status").first.inner_text()


def test_a_member_asks_two_answer_the_asker_chooses_and_the_hours_are_logged(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import helping, ledger

    asker_person, helper_person, other_person = people["receiver"], people["giver"], people["member"]
    what = "Someone to help me hang a mirror in the hall."
    asker = _share_email(open_browser, asker_person)
    helper = _share_email(open_browser, helper_person)

    page = asker.goto("/member/ask")
    hint = page.locator("#where_text-hint").inner_text()
    assert "home address" in hint and "Don't put" in hint
    page.get_by_label("What would you like help with?").fill(what)
    page.get_by_label("Where?").fill("Leith")
    page = asker.submit("Ask for help")
    assert page.get_by_role("heading", name=what).is_visible()

    _answer(helper, what)
    other = open_browser(width=360, check_width=320)
    other.sign_in(other_person)
    _answer(other, what)

    # The asker sees both answers and chooses one; before that, no contact is shown.
    page = asker.goto("/member/requests")
    card = page.locator("ul.cards > li", has_text=what).first
    assert helper_person.email not in card.inner_text()
    asker.screenshot("request-answers-to-choose")
    page = asker.submit(button=card.get_by_role("button", name=f"Choose {helper_person.name}"))
    assert f"You chose {helper_person.name}" in page.get_by_role("status").first.inner_text()
    card = page.locator("ul.cards > li", has_text=what).first
    assert card.get_by_role("link", name=helper_person.email).is_visible()

    # The helper sees the asker's email; the other is thanked.
    page = helper.goto("/member/answers")
    card = page.locator("ul.cards > li", has_text=what)
    assert f"{asker_person.name} chose you" in card.inner_text()
    assert card.get_by_role("link", name=asker_person.email).is_visible()
    helper.screenshot("request-helper-chosen")
    page = other.goto("/member/answers")
    assert "chose someone else. Thank you for offering." in page.locator("ul.cards > li", has_text=what).inner_text()

    # The hours, from the request: only how long and which day are asked.
    page = asker.goto("/member/requests")
    card = page.locator("ul.cards > li", has_text=what).first
    page = _follow(asker, card.get_by_role("link", name=re.compile("^Log the hours")))
    page.get_by_label("How long did the help take?").fill("1.5")
    page = asker.submit("Log the hours")
    assert "The request is closed" in page.get_by_role("status").first.inner_text()

    [mine] = [r for r in helping.my_answers(live_server.database, DEMO_BANK_SLUG, helper_person.member_id)
              if r.request.what == what]
    assert mine.request.stage.code == "done"
    exchange = ledger.get_exchange(live_server.database, DEMO_BANK_SLUG, mine.request.exchange_id)
    assert (exchange.provider_member_id, exchange.receiver_member_id, exchange.amount_minutes) == (
        helper_person.member_id, asker_person.member_id, 90)
    assert exchange.description == what


def test_the_coordinator_does_it_all_for_a_member_without_email(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import helping, ledger, members

    by_name = {m.name: m for m in members.list_members(live_server.database, DEMO_BANK_SLUG)}
    margaret, hamish, tomasz = by_name["Margaret Wilson"], by_name["Hamish Grant"], by_name["Tomasz Nowak"]
    assert margaret.email is None
    what = "Someone to carry the bins out on a Monday night."
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])

    page = browse.goto("/coordinator/requests/new")
    page.get_by_label("Who needs help?").select_option(str(margaret.id))
    page.get_by_label("What would they like help with?").fill(what)
    page = browse.submit("Ask for help")
    assert "The request for Margaret Wilson is on the list" in page.get_by_role("status").first.inner_text()
    request_url = page.url

    for helper in (hamish, tomasz):
        page.get_by_label("Who can help?").select_option(str(helper.id))
        page = browse.submit("Record “I can help”")
        assert "The answer is recorded" in page.get_by_role("status").first.inner_text()

    page = browse.goto("/coordinator/requests")
    card = page.locator("ul.cards > li", has_text=what)
    assert "Answered, waiting for Margaret Wilson to choose" in card.inner_text()
    assert "Margaret Wilson has no sign-in" in card.inner_text()
    browse.screenshot("coordinator-requests")

    page = browse.goto(request_url)
    page = browse.submit("Choose Hamish Grant")
    told = page.get_by_role("status").first.inner_text()
    assert "Hamish Grant is chosen to help Margaret Wilson" in told and "Please tell Margaret Wilson" in told
    assert page.get_by_role("link", name=hamish.phone).is_visible()  # Hamish agreed to share it

    page = _follow(browse, page.get_by_role("link", name="Log the hours from this request"))
    page.get_by_label("How long did the help take?").fill("1")
    page = browse.submit("Record the hours")
    assert "The request is closed" in page.get_by_role("status").first.inner_text()
    assert what not in page.content()

    [done] = [r for r in helping.my_answers(live_server.database, DEMO_BANK_SLUG, hamish.id) if r.request.what == what]
    assert done.request.stage.code == "done" and done.answer.status == "chosen"
    exchange = ledger.get_exchange(live_server.database, DEMO_BANK_SLUG, done.request.exchange_id)
    assert exchange.state == "posted" and exchange.amount_minutes == 60
    assert (exchange.provider_member_id, exchange.receiver_member_id) == (hamish.id, margaret.id)


def test_every_new_page_of_the_journey_passes_axe_at_320_px(open_browser, people, live_server):
    """The pages the two journeys above do not reach: asking first, changing, saying no,
    asking the person behind an offer, and the coordinator's offers."""
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import helping, requests_offers

    db, morag = live_server.database, people["member"]
    mine = requests_offers.member_requests(db, DEMO_BANK_SLUG, morag.member_id)
    open_request = next(r for r in mine if r.status == "open")
    my_offer = next(o for o in requests_offers.member_offers(db, DEMO_BANK_SLUG, morag.member_id) if o.active)
    others_offer = next(o for o in requests_offers.list_offers(db, DEMO_BANK_SLUG) if o.member_id != morag.member_id)
    asked = next(a for a in helping.my_answers(db, DEMO_BANK_SLUG, morag.member_id) if a.answer.status == "asked")

    member = open_browser(width=360, check_width=320)
    member.sign_in(morag)
    page = member.goto("/member/")
    assert "Asked of you" in page.content()
    for path, heading in (
        (f"/member/requests/{open_request.id}/edit", "Change your request"),
        (f"/member/requests/{open_request.id}/close", "Close this request?"),
        (f"/member/offers/{my_offer.id}/edit", "Change your offer"),
        (f"/member/offers/{my_offer.id}/withdraw", "Withdraw this offer?"),
        (f"/member/offers/{others_offer.id}/ask", f"Ask {others_offer.member_name} for help"),
        (f"/member/answers/{asked.request.id}/decline", "Say no to this request?"),
        ("/member/answers", "Requests I answered"),
    ):
        page = member.goto(path)
        assert page.get_by_role("heading", level=1).inner_text() == heading
    # "No, go back" leaves everything as it was.
    page = member.goto(f"/member/requests/{open_request.id}/close")
    _follow(member, page.get_by_role("link", name="No, go back"))
    assert helping.request_detail(db, DEMO_BANK_SLUG, open_request.id, viewer_id=None).status == "open"

    coordinator = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    coordinator.sign_in(people["coordinator"])
    page = coordinator.goto("/coordinator/offers")
    page = _follow(coordinator, page.get_by_role("link", name=re.compile("^Ask this person for a member")).first)
    assert page.get_by_label("Who is asking?").is_visible()
    coordinator.goto(f"/coordinator/requests/{open_request.id}")
    coordinator.goto(f"/coordinator/requests/{open_request.id}/close")
    coordinator.goto(f"/coordinator/members/{morag.member_id}/contact")
