"""A social worker in a real browser: from a new assessment to an accepted, followed-up match.

On the way, at 320 px: a need row is added without saving a version, and the assessment
recorded as "Not a member yet" is linked to the member the person became (asked first)."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH, Person

pytestmark = pytest.mark.browser

PERSON = "Rose Mitchell"  # not yet a member; lives in Leith, near a demonstration shopper
NEED = "Getting my bits of shopping in: I cannot manage the bags since my fall."


def _social_worker() -> Person:
    from timebank.demo import DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    return Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD)


def _category_name(database, slug: str) -> str:
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import banks

    return dict(banks.list_categories(database, DEMO_BANK_SLUG))[slug]


def _at_width(browse, width: int) -> None:
    """Go on at another width: every page is then checked (axe, no sideways scroll) at it."""
    browse.width = width
    browse.page.set_viewport_size({"width": width, "height": 800})


def _view_form(page, side: str):
    """The outcome form of one side ("The person helped" or "The helper")."""
    return page.locator("form", has=page.get_by_role("heading", name=f"{side}: their view"))


def test_social_worker_records_an_assessment_and_follows_a_match_to_its_outcome(
        open_browser, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import assessments, auth, matches, members

    db = live_server.database
    shopping = _category_name(db, "shopping")
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(_social_worker())
    assert urlsplit(browse.page.url).path == "/social/"

    # Sent with a name and consent but no need or capability: refused, saying so.
    page = browse.goto("/social/assessments/new")
    page.get_by_label("Person's name").fill(PERSON)
    page.get_by_label("The person has given consent to record and match this").check()
    # Not filled in for her: a day is asked for only when consent is ticked.
    assert page.get_by_label("Day consent was given").input_value() == ""
    page.get_by_label("Day consent was given").fill(dt.date.today().isoformat())
    page.get_by_label("Area", exact=True).select_option("Leith")  # from the bank's neighbourhoods
    page = browse.submit("Save the assessment")
    summary = page.get_by_role("alert")
    assert "Record at least one need or one capability" in summary.inner_text()
    assert page.get_by_label("Person's name").input_value() == PERSON, "input kept"
    assert page.get_by_label("Area", exact=True).input_value() == "Leith"

    # A second row, added at 320 px without saving anything: what was typed stays.
    _at_width(browse, 320)
    page.locator("#need-1").get_by_label("What they need, in their words").fill(NEED)
    page = browse.submit("Add another need")
    assert page.locator("#need-2").count() == 1 and page.locator("#need-3").count() == 0
    assert page.locator("#need-1").get_by_label("What they need, in their words").input_value() == NEED
    assert page.get_by_label("Person's name").input_value() == PERSON
    assert page.get_by_role("alert").count() == 0 and page.get_by_role("status").count() == 0, "nothing saved"
    _at_width(browse, COORDINATOR_WIDTH)

    page.get_by_text("A more exact place (optional)").click()  # tucked away: most know only the area
    page.get_by_label("Latitude (optional)").fill("55.9760")
    page.get_by_label("Longitude (optional)").fill("-3.1690")
    page.get_by_label("Tuesday morning").check()
    page.get_by_label("Friday morning").check()
    need = page.locator("#need-1")
    need.get_by_label("Kind of help").select_option(label=shopping)
    need.get_by_label("What they need, in their words").fill(NEED)
    capability = page.locator("#capability-1")
    capability.get_by_label("What they do or could do").fill(
        "Used to run the church tea room: could bake for a coffee morning.")
    capability.get_by_label("Could do it if encouraged").check()
    browse.screenshot("assessment-form")
    page = browse.submit("Save the assessment")
    assert re.fullmatch(r"/social/assessments/\d+", urlsplit(page.url).path), page.url
    assert f"Assessment of {PERSON} saved (version 1)" in page.get_by_role("status").first.inner_text()
    assessment_path = urlsplit(page.url).path

    # Rose joins the bank (the coordinator takes her on); her assessment is linked to her
    # from its page, at 320 px, after "are you sure?".
    rose = members.add_member(db, DEMO_BANK_SLUG, PERSON, area="Leith")
    _at_width(browse, 320)
    page = browse.goto(assessment_path)
    assert "Not linked to a member yet." in page.locator("#member-link + p").inner_text()
    page.get_by_label("Member of the time bank").select_option(label=f"{PERSON} (Leith)")
    page = browse.submit("Link to this member")
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Link the assessment of {PERSON} to {PERSON}?")
    page = browse.submit(f"Yes, link to {PERSON}")
    assert urlsplit(page.url).path == assessment_path
    assert f"now linked to {PERSON}" in page.get_by_role("status").first.inner_text()
    assert f"Linked to {PERSON}." in page.locator("#member-link + p").inner_text()
    _at_width(browse, COORDINATOR_WIDTH)

    # A match: the new need gets a proposed helper, with reasons a person can read.
    page = browse.goto("/social/matches")
    page = browse.submit("Run a match now")
    page = browse.submit("Yes, run a new match")  # a new run is confirmed on a page of its own
    assert re.fullmatch(r"/social/matches/\d+", urlsplit(page.url).path), page.url
    assert page.get_by_role("status").first.inner_text().startswith("Match run:")
    card = page.locator("ul.cards > li", has=page.get_by_role(
        "heading", name=re.compile(f"^{PERSON} could be helped by ")))
    assert card.count() == 1, "the new need has no proposed helper"
    helper = card.get_by_role("heading", level=3).inner_text().split(" could be helped by ")[1]
    reasons = card.locator("h4:has-text('Why this match') + ul > li").all_inner_texts()
    assert any(re.search(r"\d km apart", r) for r in reasons), reasons
    assert any(shopping.lower() in r.lower() for r in reasons), reasons
    unmatched = page.locator("h2:has-text('Needs left unmatched') + ul.cards > li")
    assert unmatched.count() >= 1
    assert any("checked" in text for text in unmatched.all_inner_texts())
    browse.screenshot("match-proposals")

    # Accepted: an introduction, followed up from both sides, then closed.
    page = browse.submit(button=card.get_by_role("button", name=f"Accept and introduce {PERSON}"))
    assert re.fullmatch(r"/social/introductions/\d+", urlsplit(page.url).path), page.url
    introduction_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    assert f"{PERSON} is introduced to {helper}" in page.get_by_role("status").first.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == f"Introduction of {PERSON} to {helper}"

    # The person helped: sent without an answer first, then answered.
    helped = _view_form(page, "The person helped")
    page = browse.submit(button=helped.get_by_role("button", name=re.compile("^Record their view")))
    assert "Say whether the help happened" in page.get_by_role("alert").inner_text()
    helped = _view_form(page, "The person helped")
    helped.locator("fieldset", has_text="Did the help happen?").get_by_label("Yes").check()
    helped.get_by_label("A lot").check()
    helped.get_by_label("In their words (optional)").fill("The bags come up the stair every Friday now.")
    page = browse.submit(button=helped.get_by_role("button", name=re.compile("^Record their view")))
    assert "The person helped: their view is recorded" in page.get_by_role("status").first.inner_text()

    helper_form = _view_form(page, "The helper")
    helper_form.locator("fieldset", has_text="Did the help happen?").get_by_label("Yes").check()
    helper_form.get_by_label("A little").check()
    page = browse.submit(button=helper_form.get_by_role("button", name=re.compile("^Record their view")))
    views = page.locator("h2:has-text('What each side says') + p + ul.cards > li")
    assert views.count() == 2
    browse.screenshot("introduction")

    # Closing asks first: one tap on the introduction's page only opens the question.
    with page.expect_navigation():
        page.get_by_role("link", name="Close the introduction").click()
    page = browse.check()
    assert page.get_by_role("heading", level=1).inner_text() == "Close this introduction?"
    page = browse.submit("Yes, close it")
    assert "The introduction is closed" in page.get_by_role("status").first.inner_text()
    status = page.locator("dl.summary dt", has_text="Status").locator("xpath=following-sibling::dd[1]")
    assert status.inner_text().strip() == "Closed"

    # What the browser did is what the bank holds.
    worker = _social_worker()
    actor = auth.authenticate(db, worker.email, worker.password)
    assert actor.bank_slug == DEMO_BANK_SLUG
    recorded = next(i for i in matches.list_introductions(db, actor) if i.id == introduction_id)
    assert recorded.status == "closed" and recorded.need_person == PERSON
    assert recorded.helper_person == helper and recorded.offer_id is not None
    assert recorded.help_request_id is not None, "the linked member's request was made"
    assert assessments.get_assessment(db, actor, int(assessment_path.rsplit("/", 1)[1])).member_id == rose.id
    assert sorted((o.side, o.help_happened, o.difference) for o in recorded.outcomes) == [
        ("helped", True, "a_lot"), ("helper", True, "a_little")]
