"""Kind to the people using it: whose account is open is said on every page, the menu
folds on a phone, and paper leaves out what only a screen needs."""
from __future__ import annotations

import html
from pathlib import Path

import pytest

import timebank.web

CSS = (Path(timebank.web.__file__).parent / "static" / "site.css").read_text()


@pytest.mark.parametrize("who, path, role", [
    ("ann", "/member/", "member"),
    ("ann", "/member/statement", "member"),
    ("coordinator", "/coordinator/", "coordinator"),
    ("coordinator", "/coordinator/settings", "coordinator"),
    ("social_worker", "/social/", "social worker"),
    ("social_worker", "/password", "social worker"),
])
def test_every_page_says_whose_account_is_open(signed_in, world, who, path, role):
    person = getattr(world, who)
    page = html.unescape(signed_in(person).get(path).text)
    assert f"Signed in as <strong>{person.name}</strong> ({role})" in page


def test_nobody_is_named_on_the_sign_in_page(client):
    assert "Signed in as" not in client.get("/sign-in").text


def test_the_menu_is_a_disclosure_that_works_without_a_script(signed_in, world):
    page = signed_in(world.ann).get("/member/").text
    assert '<details class="menu" open>' in page and "<summary>Menu</summary>" in page
    assert 'src="/static/site.js"' in page


def test_paper_leaves_out_the_menu_and_buttons_and_puts_the_name_and_day_on_top(signed_in, world):
    printed = CSS[CSS.index("@media print"):]
    for hidden in (".site-header", "nav", "button", ".button", "form"):
        assert hidden in printed.split("display: none")[0]
    assert ".print-heading { display: block" in printed
    page = html.unescape(signed_in(world.ann).get("/member/statement").text)
    assert '<p class="print-heading width">Statement for Ann. Printed on' in page


def test_table_cells_break_only_between_words_and_hidden_labels_stay_in_their_scroll_box():
    # A narrow screen scrolls the table in its region rather than splitting words
    # letter by letter (tests/browser/test_tables_on_phones.py sees it in Chromium).
    cells = CSS[CSS.index("th, td {"):CSS.index("td.num")]
    assert "overflow-wrap: normal" in cells and "word-break: normal" in cells
    assert "white-space: nowrap" in CSS[CSS.index("td.num"):].split("}")[0]
    region = CSS[CSS.index(".table-wrap {"):].split("}")[0]
    assert "position: relative" in region and "overflow-x: auto" in region
