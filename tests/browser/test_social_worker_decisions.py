"""A social worker's decision is remembered (B3), in real Chromium at 320 px: a proposal
rejected with a reason is not proposed by the next run, which shows it as rejected."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Person

pytestmark = pytest.mark.browser

REASON = "Jean already knows this helper and would rather not; she prefers a woman driver."


def _social_worker() -> Person:
    from timebank.demo import DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    return Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)


@pytest.fixture(scope="module")
def warm_engine(live_server):
    """The engine's first run in a process loads its libraries and builds its indexes
    (seconds on a busy machine): done here, in the server's process, not inside a click."""
    import matching

    matching.match([matching.Profile(person="p", area="x",
                                     needs=(matching.Need(id="n", text="Help with my shopping"),),
                                     capabilities=(matching.Capability(id="c", text="I do shopping"),))])


def _run_a_match(browse):
    page = browse.goto("/social/matches")
    page = browse.submit("Run a match now")
    assert page.get_by_role("heading", level=1).inner_text() == "Run a new match?"
    page = browse.submit("Yes, run a new match")
    assert re.fullmatch(r"/social/matches/\d+", urlsplit(page.url).path), page.url
    return page


def test_a_rejected_proposal_is_shown_as_rejected_and_not_proposed_again(open_browser, live_server, warm_engine):
    browse = open_browser(width=320, check_width=320)
    browse.sign_in(_social_worker())
    page = _run_a_match(browse)

    card = page.locator("ul.cards > li[id^='proposal-']", has=page.get_by_role(
        "button", name=re.compile("^Accept and introduce"))).first
    heading = card.get_by_role("heading", level=3).inner_text()
    need_person, helper = heading.split(" could be helped by ")
    card.locator("summary").click()
    card.get_by_label("Why is this match not right?").fill(REASON)
    page = browse.submit(button=card.get_by_role("button", name=re.compile("^Reject the match")))
    assert "Rejected, with your reason kept" in page.get_by_role("status").first.inner_text()

    page = _run_a_match(browse)

    proposed = page.locator("ul.cards > li h3").all_inner_texts()
    assert heading not in proposed, "the rejected pair was proposed again"
    held = page.locator("h2:has-text('Decided before this run') ~ ul.held-back > li",
                        has_text=f"{need_person} and {helper}")
    assert held.count() >= 1
    assert re.search(r"Rejected on \d+ \w+ \d{4}: " + re.escape(REASON), held.first.inner_text())
    held.first.scroll_into_view_if_needed()
    browse.screenshot("match-run-remembers-rejections", width=1024)

    # The run before is kept, and its "Rejected" filter shows the decision.
    earlier = page.locator("h2:has-text('All runs') + ul.runs a").first.get_attribute("href")
    page = browse.goto(earlier + "?show=rejected")
    assert page.locator("nav[aria-label='Show proposals'] a[aria-current='page']").inner_text() == "Rejected"
    assert heading in page.locator("ul.cards > li h3").all_inner_texts()
