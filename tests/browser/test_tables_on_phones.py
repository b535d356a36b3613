"""Tables on a phone: a table wider than the screen scrolls sideways in its own region
(focusable, named), while headings, phone numbers and days stay whole words; the page
itself never scrolls sideways. And the consent day's date box shows a whole date at
320 px. axe on every page, 320 px too.

Reads the demonstration bank only: nothing here is written.
"""
from __future__ import annotations

import re

import pytest

from tests.browser.conftest import Person

pytestmark = pytest.mark.browser

#: For each table cell asked about: how many lines its words take, and the region's
#: scroll width and name.
LINES = """(selector) => [...document.querySelectorAll(selector)].map(el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return [el.textContent.trim(), tops.size];
})"""
#: The words of the cells asked about that are split over two lines.
SPLIT_WORDS = """(selector) => [...document.querySelectorAll(selector)].flatMap(el => {
  const split = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.visually-hidden')) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return split;
})"""
REGIONS = """() => [...document.querySelectorAll('.table-wrap')].map(w => {
  const name = w.getAttribute('aria-labelledby');
  return {scrolls: w.scrollWidth > w.clientWidth, tabindex: w.getAttribute('tabindex'),
          role: w.getAttribute('role'), name: name && document.getElementById(name)?.textContent.trim()};
})"""


def _broken(page, selector: str) -> list:
    return [(text, lines) for text, lines in page.evaluate(LINES, selector) if text and lines > 1]


@pytest.mark.parametrize("width", [390, 320])
def test_the_members_table_scrolls_instead_of_breaking_words(open_browser, people, width):
    browse = open_browser(width=width, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/members")

    assert page.evaluate(SPLIT_WORDS, "table th, table td") == []
    assert _broken(page, "table td.nowrap") == []
    assert page.locator("td.nowrap a[href^='tel:']").count() > 0  # phones are among them
    regions = page.evaluate(REGIONS)
    assert regions and all(r["tabindex"] == "0" and r["role"] == "region" and r["name"] for r in regions)
    assert any(r["scrolls"] for r in regions), "too wide for a phone, the table scrolls in its region"
    # Its caption stays whole on the screen, before and after scrolling the table.
    for scrolled in (0, 400):
        cut = page.evaluate("""(scrolled) => [...document.querySelectorAll('.table-wrap')].filter(w => {
          w.scrollLeft = scrolled;
          const caption = w.querySelector('caption');
          if (!caption) return false;
          const c = caption.getBoundingClientRect(), r = w.getBoundingClientRect();
          return c.left < r.left - 1 || c.right > r.right + 1;
        }).map(w => w.querySelector('caption').textContent.trim())""", scrolled)
        assert cut == [], f"captions cut off at {width} px after scrolling {scrolled} px: {cut}"


def test_the_introductions_table_keeps_whole_words_at_320_px(open_browser):
    from timebank.demo import DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    browse = open_browser(width=320, check_width=320)
    browse.sign_in(Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD))
    page = browse.goto("/social/introductions")

    assert page.evaluate(SPLIT_WORDS, "table th, table td") == []
    assert _broken(page, "table td.nowrap") == []
    assert all(r["tabindex"] == "0" and r["name"] for r in page.evaluate(REGIONS))


def test_the_consent_day_box_shows_a_whole_date_at_320_px(open_browser):
    from timebank.demo import DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    browse = open_browser(width=320, check_width=320)
    browse.sign_in(Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD))
    page = browse.goto("/social/assessments/new")
    box = page.get_by_label("Day consent was given")
    box.fill("2026-12-31")

    inner, outer = box.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert inner <= outer, f"the date box is {outer} px wide; its date needs {inner} px"
    # Room for the whole date and the calendar button beside it (at 160 px the year's last
    # digit sat under the button): 12.5rem.
    assert box.evaluate("el => el.getBoundingClientRect().width") >= 199


@pytest.mark.parametrize("path", ["/coordinator/pending", "/coordinator/exchanges"])
def test_on_a_desktop_the_coordinators_tables_fit_so_their_buttons_show_whole(open_browser, people, path):
    """Scrolling sideways is for phones: at 1280 px Confirm, Decline and Reverse must not
    sit cut off at the table's right edge (a day kept on one line once pushed them out),
    even when a member pasted a long web address as what was done."""
    browse = open_browser(width=1280)
    browse.sign_in(people["coordinator"])
    page = browse.goto(path)
    pasted = "https://www.example.org/" + "very-long-address-" * 8
    # Into the page, not the shared bank: this file writes nothing.
    assert page.locator("td.words").first.evaluate("(td, words) => { td.textContent = words; }", pasted) is None

    regions = page.evaluate(REGIONS)
    widest = page.evaluate("""() => [...document.querySelectorAll('.table-wrap td')]
        .map(td => [Math.round(td.getBoundingClientRect().width), td.textContent.trim().slice(0, 60)])
        .sort((a, b) => b[0] - a[0]).slice(0, 3)""")
    assert regions and not any(r["scrolls"] for r in regions), f"the widest cells: {widest}"


def test_a_members_statement_reads_as_cards_on_a_phone_with_nothing_off_the_screen(open_browser, people):
    """The coordinator's view of a member's statement, as the member's own: one card per
    line at 320 px, each value under its heading (found walking the app: Hours, Balance
    and Reverse sat off the screen)."""
    browse = open_browser(width=320, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/members")
    page = browse.goto(page.get_by_role("link", name="Morag Henderson").first.get_attribute("href"))
    statement = page.locator("#member-table").locator("xpath=ancestor::div[contains(@class,'table-wrap')]")
    assert statement.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), "the statement scrolls sideways"
    hours = page.locator("table.stack td[data-label='Hours']").first
    assert hours.is_visible()
    box = hours.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_the_exchanges_waiting_read_as_cards_on_a_phone_with_confirm_on_the_screen(open_browser, people):
    """At 320 px each waiting exchange is a card: Confirm and Decline are on the screen, not
    at the far end of a table scrolled sideways (found walking the app)."""
    browse = open_browser(width=320, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/pending")
    wrap = page.locator("#pending-table").locator("xpath=ancestor::div[contains(@class,'table-wrap')]")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1"), "the waiting exchanges scroll sideways"
    confirm = page.get_by_role("button", name=re.compile("^Confirm")).first
    box = confirm.bounding_box()
    assert confirm.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 320
