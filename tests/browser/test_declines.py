"""Declining in a real browser: a second step with a reason, read by the member who
logged the exchange; the coordinator's Waiting page and its decline step. Axe on every
page, the members' pages at 320 px."""
from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH, MEMBER_WIDTH

pytestmark = pytest.mark.browser


def _propose(live_server, by, to, what: str, minutes: int):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger

    return ledger.propose_exchange(live_server.database, DEMO_BANK_SLUG, member_id=by.member_id,
                                   provider_id=by.member_id, receiver_id=to.member_id, minutes=minutes,
                                   description=what)


def test_a_member_declines_with_a_reason_and_the_one_who_logged_it_reads_why(open_browser, people, live_server):
    giver, receiver = people["giver"], people["receiver"]
    what = f"Decline test {uuid.uuid4().hex[:8]}"
    _propose(live_server, giver, receiver, what, 35)

    declines = open_browser(width=MEMBER_WIDTH, check_width=320)
    page = declines.sign_in(receiver)
    card = page.locator("ul.cards > li", has_text=what)
    with page.expect_navigation():
        card.get_by_role("link", name=re.compile("^Decline")).click()
    page = declines.check()
    assert page.get_by_role("heading", name="Decline this exchange?").is_visible()
    page.get_by_label("Why are you declining it? (optional)").fill("It was my neighbour who helped, not me")
    page = declines.submit("Yes, decline it")
    assert urlsplit(page.url).path == "/member/"
    assert "declined" in page.get_by_role("status").first.inner_text()

    logged = open_browser(width=MEMBER_WIDTH, check_width=320)
    page = logged.sign_in(giver)
    card = page.locator("ul.cards > li", has_text=what)
    assert re.search(rf"Declined by {receiver.name} on .*: It was my neighbour who helped, not me", card.inner_text())


def test_the_coordinator_declines_for_a_member_after_a_second_step(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger

    giver, receiver = people["giver"], people["receiver"]
    what = f"Coordinator decline test {uuid.uuid4().hex[:8]}"
    proposed = _propose(live_server, giver, receiver, what, 25)

    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/pending")
    row = page.locator("tr", has_text=what)
    assert re.search(r"\d+ days?|since today", row.inner_text())
    page = browse.submit(button=row.get_by_role("button", name=re.compile("^Decline")))
    assert page.get_by_role("heading", name="Decline this exchange?").is_visible()
    assert ledger.get_exchange(live_server.database, DEMO_BANK_SLUG, proposed.id).state == "pending"
    page.get_by_label("Why is it declined? (optional)").fill("Logged twice on paper")
    page = browse.submit("Yes, decline it")
    assert re.match(rf"Declined: 25m from {re.escape(giver.name)} \(.*\) to {re.escape(receiver.name)} \(",
                    page.get_by_role("status").first.inner_text())
    assert ledger.get_exchange(live_server.database, DEMO_BANK_SLUG, proposed.id).decline_reason == \
        "Logged twice on paper"
