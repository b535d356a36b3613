"""A coordinator in a real browser finds members instead of scrolling a list of all of
them: Log hours by part of a name or a phone number (mouse, then keyboard alone), a group
session for everyone of an area with some unticked, and the network drawing's names on
hover and on keyboard focus. axe on every page and after every search; 320 px too.

The demonstration bank is shared by the browser files of a process: the hours here (1h 05m
and 1h 50m) and the words (with a uuid) are used by no other browser test.
"""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH

pytestmark = pytest.mark.browser


def find_in_place(browse, button_name: str, *, enter_in: str | None = None):
    """Press a picker's Find (or Enter in its box): the answer's picker takes the place
    of the old one without a new page, and its message gets the focus; then check the
    page again (axe, and the width)."""
    page = browse.page
    if enter_in:
        page.get_by_label(enter_in, exact=True).press("Enter")
    else:
        page.get_by_role("button", name=button_name, exact=True).click()
    page.locator("[role=status]:focus").wait_for(state="attached")
    return browse.check()


def pick(browse, who: str, name: str, label: str | None = None):
    """Choose a member on a coordinator's form: find them by part of the name, then choose
    the one labelled `label` (else the first of that name: labels read "Name (Area, #id)")."""
    page = browse.page
    page.get_by_label(f"Find {who}", exact=True).fill(name.split()[-1])
    page = find_in_place(browse, f"Find {who}")
    if label:
        page.get_by_role("radio", name=label, exact=True).check()
    else:
        page.get_by_role("radio", name=re.compile("^" + re.escape(name) + r"( \(|$)")).first.check()
    return page


def _label(database, member_id: int) -> str:
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import members
    from timebank.web.coordinator.routes import member_label

    return member_label(members.get_member(database, DEMO_BANK_SLUG, member_id))


def _members(database):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger, members

    balances = ledger.account_balances(database, DEMO_BANK_SLUG)
    active = members.list_members(database, DEMO_BANK_SLUG, status="active")
    return active, {m.id: balances.get(str(m.id), 0) for m in active}


def test_coordinator_finds_both_members_by_name_and_phone_then_by_keyboard_and_logs_hours(
        open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger

    db = live_server.database
    avoid = {p.member_id for p in people.values() if p.member_id}
    active, balance = _members(db)
    ranked = sorted((m for m in active if m.id not in avoid and m.phone and m.kind == "person"),
                    key=lambda m: balance[m.id])
    giver, receiver = ranked[len(ranked) // 2], ranked[-1]  # far from the ceiling; hours to spend
    what = f"Fixed the garden gate {uuid.uuid4().hex[:8]}"

    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/log")
    assert page.get_by_role("radio").count() == 0  # nobody listed until searched
    # The giver by part of their phone number, typed as people type it.
    page.get_by_label("Find who gave the help", exact=True).fill(giver.phone[-8:])
    page = find_in_place(browse, "Find who gave the help")
    page.get_by_role("radio", name=_label(db, giver.id), exact=True).check()
    # The receiver by part of the name, with the keyboard alone: Enter in the box, then
    # Tab to the first one found and Space to choose.
    page.get_by_label("Find who received the help", exact=True).fill(receiver.name.split()[-1][:5])
    page = find_in_place(browse, "", enter_in="Find who received the help")
    wanted = page.get_by_role("radio", name=_label(db, receiver.id), exact=True)
    page.keyboard.press("Tab")
    for _ in range(30):
        if wanted.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")  # radios of one name move with the arrows
    page.keyboard.press("Space")
    assert wanted.is_checked()
    assert page.get_by_role("radio", name=_label(db, giver.id), exact=True).is_checked()
    browse.screenshot("log-hours-found")

    page.get_by_label("Hours", exact=True).fill("1h 05m")
    page.get_by_label("What was done (optional)").fill(what)
    page = browse.submit("Record the exchange")
    said = page.get_by_role("status").first.inner_text()
    assert said.startswith(f"Recorded: 1h 05m from {giver.name} to {receiver.name}"), said
    [logged] = [x for x in ledger.list_exchanges(db, DEMO_BANK_SLUG, limit=100_000) if x.description == what]
    assert (logged.provider_member_id, logged.receiver_member_id, logged.amount_minutes) == (giver.id, receiver.id, 65)

    # Back after recording is the form again, not a search (the searches left no pages behind).
    page.go_back()
    page = browse.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Log hours"


def test_coordinator_ticks_everyone_of_an_area_unticks_some_and_logs_the_session(open_browser, people, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import ledger

    db = live_server.database
    avoid = {p.member_id for p in people.values() if p.member_id}
    active, balance = _members(db)
    areas: dict[str, list] = {}
    for m in active:
        if m.area:
            areas.setdefault(m.area, []).append(m)
    area = max(areas, key=lambda a: (sum(balance[m.id] > 120 for m in areas[a]), a))
    living = areas[area]
    # Those with little to spend (or in other browser tests' hands) "did not come".
    away = [m for m in living if balance[m.id] <= 120 or m.id in avoid]
    came = [m for m in living if m not in away]
    assert len(came) >= 2, (area, [(m.name, balance[m.id]) for m in living])
    giver = sorted((m for m in active if m.area != area and m.id not in avoid), key=lambda m: balance[m.id])[0]
    what = f"Lunch club {uuid.uuid4().hex[:8]}"

    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/log/group")
    pick(browse, "who gave the help", giver.name, _label(db, giver.id))
    page.get_by_label("Everyone in an area").select_option(area)
    page = find_in_place(browse, "Tick everyone in this area")
    said = page.locator("[role=status]:focus").inner_text()  # the area's answer has the focus
    assert said.startswith(f"Ticked {len(living)} more active member"), said
    for m in living:
        assert page.get_by_label(_label(db, m.id), exact=True).is_checked(), m.name
    browse.screenshot("group-area-ticked")
    for m in away:
        page.get_by_label(_label(db, m.id), exact=True).uncheck()
    page.get_by_label("Hours, in total").fill("1h 50m")
    page.get_by_label("What was done (optional)").fill(what)
    page = browse.submit("Record the group exchange")
    assert f"to {len(came)} members" in page.get_by_role("status").first.inner_text()
    [group] = [x for x in ledger.list_exchanges(db, DEMO_BANK_SLUG, limit=100_000) if x.description == what]
    assert group.amount_minutes == 110
    assert {int(k) for k in group.entries if k.isdigit()} == {giver.id} | {m.id for m in came}


def test_the_network_drawing_names_a_member_on_hover_and_on_keyboard_focus(open_browser, people):
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/reports/network")
    nodes = page.locator("svg.network g.node")
    assert nodes.count() > 12
    quiet = page.locator("svg.network g.node:not(.named)")
    first, second = quiet.nth(0), quiet.nth(1)
    name = first.locator("text").text_content()
    assert first.get_attribute("aria-label").startswith(name + ":")
    assert first.locator("title").text_content() == first.get_attribute("aria-label")
    assert not first.locator("text").is_visible()  # only the most connected are named throughout

    first.locator("circle").hover()
    assert first.locator("text").is_visible()
    page.mouse.move(0, 0)
    assert not first.locator("text").is_visible()

    # Tab from one dot to the next, as a keyboard user does: the focused one says its name.
    first.focus()
    assert first.locator("text").is_visible()
    while not second.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
    assert second.locator("text").is_visible() and not first.locator("text").is_visible()
    browse.screenshot("network-drawing-focus")

    # The same in words: a table of the members drawn, beside the links table.
    table = page.locator("table", has=page.locator("caption", has_text="The members in the drawing"))
    assert table.locator("tbody tr").count() == nodes.count()
    assert table.get_by_role("cell", name=name, exact=True).count() == 1
    assert re.search(r"\d+ members and \d+ links", page.locator("#network-caption").inner_text())
