"""Real-browser fixtures: Debian's Chromium through Playwright's sync API, a live server
on the demonstration bank, and a page wrapper that runs axe-core on every page loaded.

`playwright install` cannot download browsers here, so Chromium comes from Debian
(`apt-get install chromium`, which `.ci/run` does). Playwright's own sync API is used
directly rather than pytest-playwright, which keeps its fixtures and warnings out.

Every test reaches pages through `Browse`: each page load is counted, each is checked
(axe-core with the WCAG 2.x A/AA rules, and no horizontal scroll at the width the test
asks for), and a test that loads a page it did not check fails at teardown.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.path.exists(p)),
                "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Pictures for the README are written only when asked (`make screenshots`), so that a
# test run leaves the working tree as it found it.
SCREENSHOTS = Path(os.environ["TIMEBANK_SCREENSHOTS"]) if os.environ.get("TIMEBANK_SCREENSHOTS") else None
MEMBER_WIDTH, COORDINATOR_WIDTH = 390, 1280
EXTRA_PASSWORD = "browser tests only"
# The live server's secret key, which also seals the second factors' secrets.
SECRET_KEY = "browser-tests"
# Each staff sign-in's authenticator secret and the newest time step whose code was used:
# a code is taken once, so every sign-in gives the code of a later step (see next_code).
FACTORS: dict[str, list] = {}
# The page's width and the innermost elements that reach past the right edge, to name them.
WIDEST_ELEMENTS = """() => {
  const root = document.documentElement, edge = root.clientWidth;
  const past = [...document.body.querySelectorAll('*')].filter(el => {
    const box = el.getBoundingClientRect();
    return box.right > edge + 0.5 && ![...el.children].some(c => c.getBoundingClientRect().right > edge + 0.5);
  }).slice(0, 5).map(el => {
    const cls = el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${cls} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
  });
  return [root.scrollWidth, edge, past];
}"""


# ---------------------------------------------------------------- the server


@dataclass
class Demo:
    """The demonstration bank with a few extra sign-ins for the flows."""

    database: object
    url: str
    password: str
    people: dict[str, Person] = field(default_factory=dict)


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    password: str
    member_id: int | None = None


@pytest.fixture(scope="session")
def demo(database_factory):
    from timebank.demo import (
        COORDINATOR_EMAIL,
        DEMO_BANK_SLUG,
        DEMO_PASSWORD,
        MEMBER_EMAIL,
        SOCIAL_WORKER_EMAIL,
        create_demo_bank,
    )
    from timebank.services import auth, members

    database = database_factory.migrated("sqlite")
    create_demo_bank(database)
    by_name = {m.name: m for m in members.list_members(database, DEMO_BANK_SLUG)}
    people = {
        "coordinator": Person("Liz Cameron", COORDINATOR_EMAIL, DEMO_PASSWORD),
        "member": Person("Morag Henderson", MEMBER_EMAIL, DEMO_PASSWORD,
                         by_name["Morag Henderson"].id),
    }
    # Staff must give a code from an authenticator app: the demonstration's staff have
    # one set up here, as they would at their first sign-in, and tests compute its codes.
    for email in (COORDINATOR_EMAIL, SOCIAL_WORKER_EMAIL):
        enrol_second_factor(database, email, DEMO_PASSWORD)
    # Two members who exchange with each other in the flows: each needs a sign-in.
    for key, name in (("giver", "Priya Sharma"), ("receiver", "Brian Johnstone")):
        member = by_name[name]
        auth.create_user(database, DEMO_BANK_SLUG, email=member.email, name=name,
                         password=EXTRA_PASSWORD, role="member", member_id=member.id)
        people[key] = Person(name, member.email, EXTRA_PASSWORD, member.id)
    return Demo(database=database, url="", password=DEMO_PASSWORD, people=people)


def enrol_second_factor(database, email: str, password: str) -> str:
    """Set up a second factor for the sign-in as its owner would (a secret, then a first
    code from it), and remember the secret for next_code."""
    import pyotp

    from timebank.services import auth, second_factor

    user = auth.authenticate(database, email, password)
    token = auth.start_session(database, user.id)
    secret = second_factor.begin_enrolment(database, user.id, sealing_key=SECRET_KEY).secret
    step = int(time.time() // 30)
    second_factor.confirm_enrolment(database, user.id, token, pyotp.TOTP(secret).at(step * 30),
                                    sealing_key=SECRET_KEY, at=step * 30 + 1)
    auth.end_session(database, token)
    FACTORS[email] = [secret, step]
    return secret


def next_code(email: str) -> str:
    """The code an authenticator app shows, for a time step later than the last one used
    (the server takes the current step and one either side), waiting when all are used."""
    import pyotp

    secret, last = FACTORS[email]
    while True:
        now = int(time.time() // 30)
        step = max(last + 1, now)
        if step <= now + 1:
            break
        time.sleep(1)
    FACTORS[email][1] = step
    return pyotp.TOTP(secret).at(step * 30)


def give_code(page, email: str) -> bool:
    """On the code page after the password, type the next code; False when not asked."""
    if "/sign-in/code" not in page.url:
        return False
    page.get_by_label("Code").fill(next_code(email))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue", exact=True).click()
    return True


@pytest.fixture(scope="session")
def live_server(demo, tmp_path_factory):
    from werkzeug.serving import make_server

    from timebank.services import readings
    from timebank.web import create_app

    app = create_app({
        "DATABASE": demo.database,
        "SECRET_KEY": SECRET_KEY,
        # Every test signs in afresh from 127.0.0.1; the limits are tested elsewhere.
        "SIGN_IN_LIMIT_PER_ACCOUNT": "1000 per minute",
        "SIGN_IN_LIMIT_PER_ADDRESS": "1000 per minute",
    })
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    readings.warm_up()  # as `timebank serve` does at its start
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    demo.url = f"http://127.0.0.1:{server.server_port}"
    yield demo
    server.shutdown()
    thread.join(timeout=5)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install -y chromium",
                    pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} WCAG A/AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']}  <{v.get('helpUrl')}>")
        for node in v.get("nodes", [])[:5]:
            lines.append(f"    at {', '.join(map(str, node.get('target', [])))}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
    return "\n".join(lines)


class Browse:
    """One browser context (one person's browser) whose every page load is checked."""

    def __init__(self, browser, axe, base_url: str, width: int, check_width: int | None):
        self.context = browser.new_context(viewport={"width": width, "height": 800},
                                           base_url=base_url)
        # Generous: two test processes and Chromium share two cores, and a page that is
        # slow is measured by the benchmarks, not failed here.
        self.context.set_default_timeout(20_000)
        self.axe = axe
        self.base_url = base_url
        self.width = width
        self.check_width = check_width
        self.page = self.context.new_page()
        self.loads = 0
        self.checked = 0
        self.checked_urls: list[str] = []
        self.page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self.loads += 1

    # -- navigation

    def goto(self, path: str):
        self.page.goto(path)
        return self.check()

    def submit(self, button_name: str | None = None, *, button=None):
        """Click a submit button and wait for the page that answers."""
        target = button or self.page.get_by_role("button", name=button_name, exact=True)
        with self.page.expect_navigation():
            target.click()
        return self.check()

    # -- checks on every page

    def check(self):
        page = self.page
        page.wait_for_load_state("load")
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                              "resultTypes": ["violations"]})
        violations = results.response["violations"]
        assert not violations, describe_violations(page.url, violations)
        if self.check_width:
            self.assert_no_horizontal_scroll(self.check_width)
        self.checked = self.loads
        self.checked_urls.append(page.url)
        return page

    def assert_no_horizontal_scroll(self, width: int) -> None:
        page = self.page
        if width != self.width:
            page.set_viewport_size({"width": width, "height": 800})
        scroll, client, culprits = page.evaluate(WIDEST_ELEMENTS)
        if width != self.width:
            page.set_viewport_size({"width": self.width, "height": 800})
        assert scroll <= client, (
            f"{page.url} scrolls sideways at {width} px: the page is {scroll} px wide; "
            f"reaching past the edge: {culprits}")

    def screenshot(self, name: str, *, width: int | None = None) -> None:
        """A full-page picture, at `width` if it differs from the test's: written to
        `TIMEBANK_SCREENSHOTS` when set, else taken and checked only."""
        page = self.page
        page.wait_for_load_state("load")
        if width and width != self.width:
            page.set_viewport_size({"width": width, "height": 800})
        if SCREENSHOTS is not None:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        else:
            assert page.screenshot(full_page=True).startswith(b"\x89PNG"), name
        if width and width != self.width:
            page.set_viewport_size({"width": self.width, "height": 800})

    # -- signing in and out

    def sign_in(self, person: Person):
        self.goto("/sign-in")
        self.page.get_by_label("Email").fill(person.email)
        self.page.get_by_label("Password").fill(person.password)
        page = self.submit("Sign in")
        if "/sign-in/code" in page.url and person.email in FACTORS:
            page.get_by_label("Code").fill(next_code(person.email))
            page = self.submit("Continue")
        return page

    def open_menu(self) -> None:
        """On a narrow screen the menu is one "Menu" line until opened."""
        summary = self.page.locator("details.menu > summary")
        if summary.count() and summary.is_visible() and not self.page.locator("details.menu[open]").count():
            summary.click()

    def sign_out(self):
        self.open_menu()
        return self.submit("Sign out")

    def close(self) -> None:
        unchecked = self.loads - self.checked
        self.context.close()
        assert unchecked == 0, f"{unchecked} page load(s) were not checked with axe-core"


@pytest.fixture
def open_browser(browser, axe, live_server):
    """Open a fresh browser context: `open_browser(width=390, check_width=320)`."""
    opened: list[Browse] = []

    def make(*, width: int = MEMBER_WIDTH, check_width: int | None = None) -> Browse:
        browse = Browse(browser, axe, live_server.url, width, check_width)
        opened.append(browse)
        return browse

    yield make
    for browse in opened:
        browse.close()


@pytest.fixture
def people(live_server):
    return live_server.people
