"""Members on paper and on a phone, in a real browser: the folded menu, the statement
for a chosen period, and what the printer gets."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_menu_is_one_line_on_a_phone_and_opens_when_asked(open_browser, people):
    browse = open_browser(width=390, check_width=320)
    page = browse.sign_in(people["member"])
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] < 844 / 6, f"the header takes {header['height']} px of a phone's 844"
    assert page.get_by_text("Signed in as").is_visible()
    assert "Morag Henderson" in page.locator(".signed-in").inner_text()
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()
    page.locator("details.menu > summary").click()
    assert nav.get_by_role("link", name="Log an exchange").is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    assert nav.is_visible() and not page.locator("details.menu > summary").is_visible()


def test_a_member_chooses_the_days_of_their_statement_and_prints_it(open_browser, people):
    browse = open_browser(width=390, check_width=320)
    browse.sign_in(people["member"])
    page = browse.goto("/member/statement")
    assert page.get_by_role("button", name="Print").is_visible()  # shown once the script runs

    page.get_by_text("Choose other days or the order").click()
    page.get_by_label("From").fill("2025-01-01")
    page.get_by_label("Order").select_option("oldest")
    page = browse.submit("Show these days")
    assert "From 1 January 2025 to" in page.locator("main").inner_text()
    days = page.locator("table.stack tbody td[data-label='Day']").all_inner_texts()
    assert len(days) > 1

    page.emulate_media(media="print")
    try:
        assert not page.locator("header.site-header").is_visible()
        assert not page.get_by_role("button", name="Print").is_visible()
        heading = page.locator(".print-heading")
        assert heading.is_visible() and "Statement for Morag Henderson. Printed on" in heading.inner_text()
        size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18, f"printed type is {size} px"
        browse.screenshot("statement-printed")
    finally:
        page.emulate_media(media="screen")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF to save or print").click()
    assert download.value.suggested_filename.startswith("statement-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
