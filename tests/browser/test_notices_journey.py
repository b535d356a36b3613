"""From an email to a confirmed exchange, in real Chromium at 320 px with axe on every
page: a member logs hours with another, the worker delivers the notice to a local SMTP
server, and the other member opens the link from the email, signs in and confirms."""
from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import MEMBER_WIDTH
from tests.integration.smtp_inbox import Inbox

pytestmark = pytest.mark.browser


def test_a_member_confirms_an_exchange_from_the_link_in_the_email(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger, members
    from timebank.services.notice_delivery import send_pass
    from timebank.services.settings import DeliverySettings

    giver, receiver = people["giver"], people["receiver"]
    what = f"Put up two shelves {uuid.uuid4().hex[:6]}"

    gives = open_browser(width=MEMBER_WIDTH, check_width=320)
    gives.sign_in(giver)
    page = gives.goto("/member/log")
    area = members.get_member(live_server.database, DEMO_BANK_SLUG, receiver.member_id).area
    page.get_by_label("Who was the other member?").select_option(label=f"{receiver.name} ({area})")
    page.get_by_label("I gave the help").check()
    page.get_by_label("How long did it take?").fill("2:05")  # not the member flow's 1:30: no duplicate warning
    page.get_by_label("What was done?").fill(what)
    page = gives.submit("Log the exchange")
    assert f"waits for {receiver.name} to confirm" in page.get_by_role("status").first.inner_text()

    with Inbox() as inbox:
        send_pass(live_server.database, DeliverySettings(
            smtp_host="127.0.0.1", smtp_port=inbox.port, sender="news@leith.example.org",
            base_url=live_server.url, secret_key="browser-tests"))
    [email] = [m for m in inbox.messages if receiver.email in m["To"] and what in m.get_content()]
    assert email["Subject"] == f"{giver.name} logged 2 hours 5 minutes: please confirm"
    link = re.search(rf"{re.escape(live_server.url)}/\S*", email.get_content()).group(0)

    confirms = open_browser(width=MEMBER_WIDTH, check_width=320)
    page = confirms.goto(urlsplit(link).path)
    assert urlsplit(page.url).path == "/sign-in"  # the link asks them to sign in first
    confirms.page.get_by_label("Email").fill(receiver.email)
    confirms.page.get_by_label("Password").fill(receiver.password)
    page = confirms.submit("Sign in")
    assert urlsplit(page.url).path == "/member/"
    card = page.locator("ul.cards > li", has_text=what)
    page = confirms.submit(button=card.get_by_role("button", name=re.compile("^Confirm")))
    assert "confirmed" in page.get_by_role("status").first.inner_text()
    [exchange] = [e for e in ledger.list_exchanges(live_server.database, DEMO_BANK_SLUG,
                                                  member_id=receiver.member_id, state="posted", limit=20)
                  if e.description == what]
    assert exchange.amount_minutes == 125

    # The email's own link to stop this kind of message works too, signed out.
    stop = open_browser(width=MEMBER_WIDTH, check_width=320)
    stop.goto(urlsplit(email["List-Unsubscribe"].strip("<>")).path)
    page = stop.submit("Yes, stop these messages")
    assert page.get_by_role("heading", name="Done: no more of these messages").is_visible()
