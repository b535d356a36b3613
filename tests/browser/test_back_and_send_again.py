"""B1 in a real browser: Back after recording, then send again, records once.

Chromium asks the server for the form again on Back (pages are `no-store`, so that a
shared library computer keeps nothing of a member's), and the new copy carries a new
key; what it types back in, the person sends again. The duplicate rule recognises it:
one exchange, one request, and the page says it was recorded already.
"""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH, MEMBER_WIDTH
from tests.browser.test_coordinator_flows import _choose_members
from tests.browser.test_members_found_and_areas import pick

pytestmark = pytest.mark.browser

ALREADY = re.compile(r"(was recorded (less than a minute|\d+ minutes?) ago|Already recorded)")


def _back(browse):
    page = browse.page
    page.go_back()
    return browse.check()


def _fill(page, values: dict) -> None:
    """What the person sees on the form again: Chromium may have kept it, else they type it."""
    for label, (kind, value) in values.items():
        field = page.get_by_label(label, exact=True)
        if kind == "select":
            # Options read "Name (Area, #id)", so the person picks the one with the name.
            option = field.locator("option").filter(has_text=re.compile("^" + re.escape(value) + r"( \(|$)")).first
            field.select_option(value=option.get_attribute("value"))
        elif kind == "check":
            field.check()
        elif field.input_value() != value:
            field.fill(value)


def _exchanges_described(database, text: str) -> list:
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger

    return [x for x in ledger.list_exchanges(database, DEMO_BANK_SLUG, limit=100_000) if x.description == text]


def test_coordinator_logs_hours_presses_back_and_sends_again_once(open_browser, people, live_server):
    db = live_server.database
    avoid = {p.member_id for p in people.values() if p.member_id}
    provider, receivers = _choose_members(db, avoid)
    receiver = receivers[0]
    what = f"Back button test {uuid.uuid4().hex[:8]}"
    values = {
        "Hours": ("fill", "45m"),
        "What was done (optional)": ("fill", what),
    }

    browse = open_browser(width=COORDINATOR_WIDTH)
    browse.sign_in(people["coordinator"])
    browse.goto("/coordinator/log")
    pick(browse, "who gave the help", provider.name)
    page = pick(browse, "who received the help", receiver.name)
    _fill(page, values)
    page = browse.submit("Record the exchange")
    assert page.get_by_role("status").first.inner_text().startswith("Recorded: 45m")

    page = _back(browse)
    pick(browse, "who gave the help", provider.name)
    page = pick(browse, "who received the help", receiver.name)
    _fill(page, values)
    page = browse.submit("Record the exchange")
    assert ALREADY.search(page.inner_text("main")), page.inner_text("main")
    assert len(_exchanges_described(db, what)) == 1

    # Said to be meant, a second one is recorded.
    if page.get_by_label("Yes, record it again").count():
        page.get_by_label("Yes, record it again").check()
        page = browse.submit("Record the exchange")
        assert len(_exchanges_described(db, what)) == 2


def test_member_asks_for_help_presses_back_and_sends_again_once_at_320px(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import requests_offers

    member = people["member"]
    what = f"A lift to the optician on Friday ({uuid.uuid4().hex[:6]})"

    def mine() -> list:
        return [r for r in requests_offers.member_requests(live_server.database, DEMO_BANK_SLUG, member.member_id)
                if r.what == what]

    browse = open_browser(width=MEMBER_WIDTH, check_width=320)
    browse.sign_in(member)
    page = browse.goto("/member/ask")
    page.get_by_label("What would you like help with?").fill(what)
    page = browse.submit("Ask for help")
    assert page.get_by_role("status").first.inner_text().startswith("Thank you")

    page = _back(browse)
    field = page.get_by_label("What would you like help with?")
    if field.input_value() != what:
        field.fill(what)
    page = browse.submit("Ask for help")
    assert ALREADY.search(page.inner_text("main")), page.inner_text("main")
    assert len(mine()) == 1


def test_member_logs_an_exchange_presses_back_and_sends_again_once(open_browser, people, live_server):
    giver, receiver = people["giver"], people["receiver"]
    what = f"Back button test {uuid.uuid4().hex[:8]}"
    values = {
        "Who was the other member?": ("select", receiver.name),
        "I gave the help": ("check", None),
        "How long did it take?": ("fill", "1,25"),  # a decimal comma (B25), 75 minutes
        "What was done?": ("fill", what),
    }
    browse = open_browser(width=MEMBER_WIDTH, check_width=320)
    browse.sign_in(giver)
    page = browse.goto("/member/log")
    _fill(page, values)
    page = browse.submit("Log the exchange")
    assert f"waits for {receiver.name}" in page.get_by_role("status").first.inner_text()

    page = _back(browse)
    _fill(page, values)
    page = browse.submit("Log the exchange")
    assert ALREADY.search(page.inner_text("main")), page.inner_text("main")
    [logged] = _exchanges_described(live_server.database, what)
    assert logged.amount_minutes == 75
