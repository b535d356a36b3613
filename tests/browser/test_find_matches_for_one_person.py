"""A social worker records one assessment and finds that person's matches at once, in a
real browser (axe on every page, no sideways scroll at 320 px): "Find matches for this
person" runs only the pairs involving them, and the run is kept in the history."""
from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import COORDINATOR_WIDTH
from tests.browser.test_social_worker_flows import _social_worker

pytestmark = pytest.mark.browser


def test_a_new_assessment_finds_its_own_matches_from_its_page(open_browser, live_server):
    from timebank.demo import DEMO_BANK_SLUG
    from timebank.services import assessments, auth, matches

    db = live_server.database
    words = uuid.uuid4().hex[:8]  # this test's own people: the demonstration bank is shared
    person, mechanic = f"Fergus {words}", f"Moira {words}"
    actor = auth.authenticate(db, _social_worker().email, _social_worker().password)
    assessments.record_assessment(db, actor, person_name=mechanic, content={
        "consent": True, "consent_on": dt.date.today().isoformat(), "area": "Leith",
        "latitude": 55.9761, "longitude": -3.1688, "needs": [],
        "capabilities": [{"text": f"I mend bicycles: punctures, brakes and gears ({words})", "category": "bike_repair",
                          "status": "doing", "capacity": 1}]})
    browse = open_browser(width=COORDINATOR_WIDTH, check_width=320)
    browse.sign_in(_social_worker())

    page = browse.goto("/social/assessments/new")
    page.get_by_label("Person's name").fill(person)
    page.get_by_label("The person has given consent to record and match this").check()
    page.get_by_label("Day consent was given").fill(dt.date.today().isoformat())
    page.get_by_label("Area", exact=True).select_option("Leith")
    page.get_by_text("A more exact place (optional)").click()  # tucked away: most know only the area
    page.get_by_label("Latitude (optional)").fill("55.9760")
    page.get_by_label("Longitude (optional)").fill("-3.1690")
    need = page.locator("#need-1")
    need.get_by_label("What they need, in their words").fill(
        f"My bike has a puncture and the brakes squeal, could someone fix it? ({words})")
    page = browse.submit("Save the assessment")
    assert f"Assessment of {person} saved" in page.get_by_role("status").first.inner_text()
    assessment_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])

    page = browse.submit("Find matches for this person")

    assert re.fullmatch(r"/social/matches/\d+", urlsplit(page.url).path), page.url
    said = page.get_by_role("status").first.inner_text()
    assert said.startswith(f"Matches found for {person}: a proposed helper for 1 of their 1 need"), said
    assert f"Matches for {person} only" in page.locator("p.lead").inner_text()
    cards = page.locator("ul.cards > li", has=page.get_by_role("heading", name=re.compile("could be helped by")))
    assert cards.all_inner_texts() and all(text.startswith(f"{person} could be helped by {mechanic}")
                                           for text in cards.all_inner_texts()), cards.all_inner_texts()
    browse.screenshot("find-matches-for-one-person", width=320)
    runs = page.locator("ul.runs > li").first.inner_text()
    assert f"for {person} only" in runs and "(shown above)" in runs

    # What the browser did is what the bank holds: a run for this person, their pair only.
    run_id = int(urlsplit(page.url).path.rsplit("/", 1)[1])
    run = matches.get_run(db, actor, run_id)
    assert run.for_assessment_id == assessment_id and actor.bank_slug == DEMO_BANK_SLUG
    assert {(p.need_person, p.capability_person) for p in run.proposals} == {(person, mechanic)}
