"""A coordinator in a real browser: a group exchange and a CSV batch, seen on the member list."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH
from tests.browser.test_members_found_and_areas import find_in_place, pick

pytestmark = pytest.mark.browser


def _listed_balance(page, name: str) -> str:
    row = page.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))
    return row.locator("td.num").inner_text().strip()


def _choose_members(database, avoid: set[int]):
    """A provider with room below the ceiling and receivers with hours to spend."""
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger, members

    active = {m.id for m in members.list_members(database, DEMO_BANK_SLUG, status="active")}
    ranked = sorted((b for b in ledger.balances(database, DEMO_BANK_SLUG)
                     if b.member_id in active and b.member_id not in avoid),
                    key=lambda b: b.balance_minutes)
    provider = ranked[len(ranked) // 2]  # the middle: far from either limit
    receivers = ranked[-3:]  # the three with most hours
    return provider, receivers


def test_coordinator_logs_a_group_and_a_csv_batch_and_sees_balances_change(
        open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger, members
    from timebank.web.coordinator.routes import member_label

    db = live_server.database
    avoid = {p.member_id for p in people.values() if p.member_id}
    provider, receivers = _choose_members(db, avoid)
    label = {b.member_id: member_label(members.get_member(db, DEMO_BANK_SLUG, b.member_id))
             for b in (provider, *receivers)}
    before = ledger.account_balances(db, DEMO_BANK_SLUG)

    browse = open_browser(width=COORDINATOR_WIDTH)
    browse.sign_in(people["coordinator"])
    assert urlsplit(browse.page.url).path == "/coordinator/"
    browse.screenshot("coordinator-home")
    page = browse.goto("/coordinator/members")
    browse.screenshot("members")
    listed_before = {b.name: _listed_balance(page, b.name) for b in (provider, *receivers)}

    browse.goto("/coordinator/log")
    browse.screenshot("log-hours")

    # A group exchange: one provider, three receivers sharing two hours.
    page = browse.goto("/coordinator/log/group")
    pick(browse, "who gave the help", provider.name, label[provider.member_id])
    # The receivers are found by number (or part of a name), a few at a time, and those
    # ticked stay ticked through the next search (the page works without JavaScript).
    for r in receivers:
        page.get_by_label("Find members by part of a name").fill(f"#{r.member_id}")
        page = find_in_place(browse, "Find members")  # the list changes in place, no new page
        page.get_by_label(label[r.member_id], exact=True).check()
    browse.screenshot("group-receivers-found")
    browse.assert_no_horizontal_scroll(320)
    for r in receivers:
        assert page.get_by_label(label[r.member_id], exact=True).is_checked()
    page.get_by_label("Hours, in total").fill("2")
    page.get_by_label("What was done (optional)").fill("Tea dance at the community centre")
    page = browse.submit("Record the group exchange")
    assert "Recorded" in page.get_by_role("status").first.inner_text()

    # A CSV batch with a mistake: refused whole, with the line of each problem.
    page = browse.goto("/coordinator/log/upload")
    a, b = receivers[0].member_id, provider.member_id
    bad = f"provider,receiver,hours,day,category,what\n{b},{a},1.5,,,Lift\n{b},999999,2,,,Oops\n{b},{a},lots,,,\n"
    page.get_by_label("CSV file of exchanges").set_input_files(
        files=[{"name": "hours.csv", "mimeType": "text/csv", "buffer": bad.encode()}])
    page = browse.submit("Upload and record")
    assert page.get_by_role("alert").is_visible()
    problems = page.locator("table", has=page.locator("caption", has_text="Nothing was recorded"))
    assert problems.locator("tbody tr").count() >= 2
    browse.screenshot("csv-upload-errors")
    assert ledger.account_balances(db, DEMO_BANK_SLUG)[str(a)] == before[str(a)] - 40

    good = f"provider,receiver,hours,day,category,what\n{b},{a},1.5,,,Lift to the dentist\n{b},{a},30m,,,Shopping\n"
    page.get_by_label("CSV file of exchanges").set_input_files(
        files=[{"name": "hours.csv", "mimeType": "text/csv", "buffer": good.encode()}])
    page = browse.submit("Upload and record")
    assert "Recorded 2 exchanges" in page.get_by_role("status").first.inner_text()

    page = browse.goto("/coordinator/members")
    for member in (provider, *receivers):
        assert _listed_balance(page, member.name) != listed_before[member.name], member.name
    after = ledger.account_balances(db, DEMO_BANK_SLUG)
    assert after[str(b)] - before[str(b)] == 120 + 120  # the group, then the two lines
    assert after[str(a)] - before[str(a)] == -40 - 120
    for r in receivers[1:]:
        assert after[str(r.member_id)] - before[str(r.member_id)] == -40

    browse.goto("/coordinator/pending")
    browse.screenshot("pending")
