"""Staff second factor in real Chromium: set up from the page (the secret as written out),
recovery codes shown once, and signing in with a code computed from the secret; axe on
every page, and every page fitting 320 px."""
import time

import pyotp
import pytest

from tests.browser.conftest import FACTORS, Person, next_code

pytestmark = pytest.mark.browser


def test_staff_set_up_a_factor_then_sign_in_with_a_code(open_browser, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import auth

    email = "new.worker@example.org"
    auth.create_user(live_server.database, DEMO_BANK_SLUG, email=email, name="Nell Worker",
                     password="browser tests only", role="social_worker")
    nell = Person("Nell Worker", email, "browser tests only")
    browse = open_browser(width=390, check_width=320)
    page = browse.sign_in(nell)
    assert "/second-factor" in page.url
    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("#secret").get_attribute("data-secret")
    browse.screenshot("second-factor-setup", width=320)
    page.get_by_label("Code from the app").fill("123")
    page = browse.submit("Turn on the second factor")
    assert page.get_by_text("There is a problem").is_visible()
    # The keyboard starts at the list of problems, not at the top of the page.
    assert page.evaluate("document.activeElement.className") == "error-summary"
    page.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    page = browse.submit("Turn on the second factor")
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept my recovery codes: continue").click()
    page = browse.check()
    assert "/social" in page.url
    browse.sign_out()

    # The code used to set up was this step's: next_code gives a later one.
    FACTORS[email] = [secret, int(time.time() // 30)]
    page = browse.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(nell.password)
    page = browse.submit("Sign in")
    assert "/sign-in/code" in page.url
    browse.screenshot("second-factor-code", width=320)
    # Half signed in: the assessments are not reachable.
    page = browse.goto("/social/assessments")
    assert "/sign-in/code" in page.url
    page.get_by_label("Code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    page = browse.submit("Continue")
    assert page.get_by_text("There is a problem").is_visible()
    page.get_by_label("Code").fill(next_code(email))
    page = browse.submit("Continue")
    assert "/social/assessments" in page.url


def test_the_coordinator_sees_staff_factors(open_browser, people):
    browse = open_browser(width=1280, check_width=320)
    browse.sign_in(people["coordinator"])
    page = browse.goto("/coordinator/staff")
    assert page.get_by_role("button", name="Reset Ruth Baxter's second factor").is_visible()
