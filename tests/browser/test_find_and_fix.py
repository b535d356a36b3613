"""A coordinator in a real browser finds a member by part of their name, corrects their
phone, gives them a sign-in, finds an exchange from last year and reverses it: axe-core
on every page, and no sideways scroll at 320 px."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH

pytestmark = pytest.mark.browser


def test_coordinator_finds_a_member_edits_them_adds_a_sign_in_and_reverses_last_years_exchange(
        open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import auth, ledger, members

    db = live_server.database
    jean = next(m for m in members.list_members(db, DEMO_BANK_SLUG) if m.name == "Jean Paterson")
    assert jean.email is None and auth.user_for_member(db, DEMO_BANK_SLUG, jean.id) is None
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])

    # Find her by part of her name, typed in lower case.
    page = browse.goto("/coordinator/members")
    page.get_by_label("Find a member").fill("pater")
    page = browse.submit("Find")
    assert "q=pater" in page.url
    page = browse.submit(button=page.get_by_role("link", name="Jean Paterson", exact=True))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Jean Paterson")
    browse.screenshot("coordinator-member-page")

    # Correct her phone number.
    page = browse.submit(button=page.get_by_role("link", name="Edit their details"))
    page.get_by_label("Phone number (optional)").fill("0131 496 0999")
    page = browse.submit("Save the details")
    assert "details are saved" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("link", name="0131 496 0999").get_attribute("href") == "tel:01314960999"

    # She has an email now: give her a sign-in (a weak password is refused beside its field first).
    page.get_by_label("Email address they will sign in with").fill("jean.paterson@example.org")
    page.get_by_label("First password for the sign-in").fill("short")
    page = browse.submit("Add the sign-in")
    assert page.locator("#password-error").is_visible()
    page.get_by_label("First password for the sign-in").fill("a long and private password")
    page = browse.submit("Add the sign-in")
    assert "can now sign in with jean.paterson@example.org" in page.get_by_role("status").first.inner_text()
    assert auth.authenticate(db, "jean.paterson@example.org", "a long and private password").member_id == jean.id

    # An exchange from last year, found by its period and a word, then reversed with a reason.
    last_year = dt.date.today().year - 1
    page = browse.goto("/coordinator/exchanges")
    page.get_by_label("From (day of the help)").fill(f"{last_year}-01-01")
    page.get_by_label("To (day of the help)").fill(f"{last_year}-12-31")
    page.get_by_label("Words in what was done or in a reason").fill("leith PRIMARY")
    page = browse.submit("Find exchanges")
    rows = page.locator("tbody tr")
    assert rows.count() == 1 and "School pick-up from Leith Primary" in rows.first.inner_text()
    exchange_id = int(re.search(r"exchange-(\d+)", rows.first.get_attribute("id")).group(1))
    assert ledger.get_exchange(db, DEMO_BANK_SLUG, exchange_id).given_on.year == last_year
    rows.first.get_by_label(f"Reason for reversing exchange {exchange_id}").fill("Logged in the wrong year")
    page = browse.submit(button=rows.first.get_by_role("button", name=f"Reverse exchange {exchange_id}"))
    assert f"Exchange {exchange_id} is reversed: " in page.get_by_role("status").first.inner_text()
    assert "since=" in page.url  # back on the same search
    assert ledger.get_exchange(db, DEMO_BANK_SLUG, exchange_id).state == "reversed"

    # Who to call this week: the demonstration's call due today is listed first; a note
    # with a day to call again takes the person off the list until then.
    page = browse.goto("/coordinator/calls")
    due = page.locator("#due + ul li").first
    assert "Call again" in due.inner_text() and due.get_by_role("link").first.is_visible()
    called = due.get_by_role("link").first.inner_text()
    browse.screenshot("who-to-call")
    due.locator("summary").click()
    due.get_by_label(re.compile("^Note")).fill("Phoned: coming to chair yoga on Friday.")
    due.get_by_label(re.compile("^Day to call again")).fill((dt.date.today() + dt.timedelta(days=7)).isoformat())
    page = browse.submit(button=due.get_by_role("button", name=re.compile("^Save the note")))
    assert "call again on" in page.get_by_role("status").first.inner_text()
    assert called not in page.locator("main").inner_text()

    # Suspend and Reverse ask first, each on a page of its own; Cancel changes nothing.
    page = browse.goto(f"/coordinator/members/{jean.id}")
    page = browse.submit(button=page.get_by_role("link", name="Suspend…"))
    assert page.get_by_role("button", name="Yes, suspend Jean Paterson").is_visible()
    page = browse.submit(button=page.get_by_role("link", name="Cancel"))
    page = browse.submit(button=page.locator("#statement ~ .table-wrap").get_by_role(
        "link", name=re.compile("^Reverse")).first)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Reverse exchange")
    page = browse.submit(button=page.get_by_role("link", name="Cancel"))
    assert members.get_member(db, DEMO_BANK_SLUG, jean.id).status == "active"
