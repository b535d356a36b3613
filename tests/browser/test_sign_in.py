"""Signing in and out in a real browser: with the keyboard alone, and for good."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), type: el.getAttribute('type'), name: el.getAttribute('name'),
    text: (el.innerText || '').trim().slice(0, 40),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== 'none',
    background: style.backgroundColor,
  };
}"""


def _tab_to(page, name: str, limit: int = 12) -> list[dict]:
    """Press Tab until the field called `name` has focus; every stop on the way is recorded."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_STYLE)
        stops.append(focused)
        if focused["name"] == name:
            return stops
    raise AssertionError(f"Tab never reached the {name!r} field; it stopped at {stops}")


def test_sign_in_form_can_be_completed_and_sent_with_the_keyboard_alone(open_browser, people):
    browse = open_browser(width=390, check_width=320)
    page = browse.goto("/sign-in")
    browse.screenshot("sign-in")
    member = people["member"]

    stops = _tab_to(page, "email")
    page.keyboard.type(member.email)
    stops += _tab_to(page, "password")
    page.keyboard.type(member.password)
    for stop in stops:
        assert stop["outline"] or stop["shadow"], f"no visible focus on {stop}"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    browse.check()
    assert page.url.endswith("/member/")
    assert page.get_by_role("heading", level=1).count() == 1


def test_the_sign_in_button_shows_its_focus_too(open_browser):
    browse = open_browser(width=390)
    page = browse.goto("/sign-in")
    _tab_to(page, "password")
    page.keyboard.press("Tab")
    button = page.evaluate(FOCUS_STYLE)
    assert button["tag"] == "button" and button["text"] == "Sign in"
    assert button["outline"] or button["shadow"], f"no visible focus on the button: {button}"


def test_wrong_password_is_refused_with_errors_that_pass_axe(open_browser, people):
    browse = open_browser(width=390, check_width=320)
    page = browse.goto("/sign-in")
    page.get_by_label("Email").fill(people["member"].email)
    page.get_by_label("Password").fill("not the password")
    browse.submit("Sign in")
    assert page.get_by_role("alert").is_visible()
    assert page.url.endswith("/sign-in")


def test_sign_out_ends_the_session_even_for_a_copied_cookie(open_browser, people, live_server):
    browse = open_browser(width=390)
    browse.sign_in(people["member"])
    browse.goto("/member/")
    copied = browse.context.cookies()
    assert copied, "signing in set no cookie"
    page = browse.sign_out()
    assert "/sign-in" in page.url

    thief = open_browser(width=390)
    thief.context.add_cookies(copied)
    page = thief.goto("/member/")
    assert "/sign-in" in page.url, f"a cookie copied before sign-out still opened {page.url}"
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in"


def test_the_page_check_catches_a_violation_and_a_sideways_scroll(open_browser):
    """A negative control: the check every test relies on does fail on a broken page."""
    browse = open_browser(width=390, check_width=320)
    browse.page.set_content('<!doctype html><html lang="en"><title>Broken</title>'
                            '<main><h1>Broken</h1><input type="text"></main></html>')
    with pytest.raises(AssertionError, match="label"):
        browse.check()
    browse.page.set_content('<!doctype html><html lang="en"><title>Wide</title>'
                            '<main><h1>Wide</h1><p>x</p></main></html>')
    browse.page.add_style_tag(content="p { width: 1000px; }")
    with pytest.raises(AssertionError, match="scrolls sideways"):
        browse.check()
    browse.checked = browse.loads  # both pages were checked and failed, as they should
