"""A coordinator downloads a member's record, then erases them: their name is gone from
the member list, and the statement of a member they exchanged with still adds up."""
from __future__ import annotations

import json
import zipfile

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.browser

# Names the other browser tests use: not to be erased under them.
TAKEN = {"Brian Johnstone", "Hamish Grant", "Jean Paterson", "Liz Cameron", "Margaret Wilson", "Morag Henderson",
         "Priya Sharma", "Rose Mitchell", "Ruth Baxter", "Tomasz Nowak"}


def _pair(database) -> tuple[int, str, int, str]:
    """A member with an email who exchanged with another member, neither used elsewhere."""
    from timebank.db.models import Exchange, Member

    with database.session(readonly=True) as session:
        members = {m.id: m for m in session.scalars(sa.select(Member).where(Member.erased_at.is_(None)))}
        for x in session.scalars(sa.select(Exchange).where(Exchange.state == "posted", Exchange.kind == "exchange")
                                 .order_by(Exchange.id)):
            giver, taker = members.get(x.provider_member_id), members.get(x.receiver_member_id)
            if giver and taker and giver.email and giver.name not in TAKEN and taker.name not in TAKEN:
                return giver.id, giver.name, taker.id, taker.name
    raise AssertionError("the demonstration has no such pair")


def test_a_coordinator_downloads_a_members_record_then_erases_them(open_browser, people, live_server):
    member_id, name, partner_id, partner = _pair(live_server.database)
    browse = open_browser(width=1280, check_width=None)
    browse.sign_in(people["coordinator"])
    page = browse.goto(f"/coordinator/members/{partner_id}")
    balance_before = page.locator("dl.balance dd").first.inner_text()

    browse.goto(f"/coordinator/members/{member_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="A copy of their record, or erase them").click()
    browse.check()
    browse.assert_no_horizontal_scroll(320)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download {name}'s record").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        record = json.loads(archive.read("record.json"))
        to_read = archive.read("record.html").decode()
    assert record["members"][0]["name"] == name
    assert partner in {x["other_member"] for x in record["exchanges"]}
    _read_on_a_phone(browse, to_read)

    page = browse.submit(f"Yes, erase {name}")
    assert "a former member" in page.locator("main").inner_text()

    page = browse.goto("/coordinator/members")
    assert name not in page.locator("main").inner_text()
    page = browse.goto(f"/coordinator/members/{partner_id}")
    assert page.locator("dl.balance dd").first.inner_text() == balance_before
    statement = page.locator("#statement").locator("xpath=..").inner_text()
    assert "a former member" in statement and name not in statement


def _read_on_a_phone(browse, to_read: str) -> None:
    """The page to read in the download, opened as the member would: axe-core finds no
    violation, and it fits a phone."""
    from tests.browser.conftest import WCAG_TAGS, describe_violations

    reading = browse.context.new_page()
    reading.set_viewport_size({"width": 320, "height": 800})
    reading.set_content(to_read)
    violations = browse.axe.run(reading, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                                  "resultTypes": ["violations"]}).response["violations"]
    assert not violations, describe_violations("record.html", violations)
    assert "Your balance and exchanges" in reading.locator("h2").all_inner_texts()
    assert reading.evaluate("document.documentElement.scrollWidth") <= 320, "no sideways scroll"
    reading.close()


def test_the_retention_and_consent_pages_pass_axe_and_fit_a_phone(open_browser, people, live_server):
    from tests.browser.conftest import Person
    from timebank.db.models import Assessment
    from timebank.demo import DEMO_PASSWORD, SOCIAL_WORKER_EMAIL

    coordinator = open_browser(width=390, check_width=320)
    coordinator.sign_in(people["coordinator"])
    page = coordinator.goto("/coordinator/retention")
    page.get_by_label("Years to keep assessments").fill("0")
    page = coordinator.submit("Save")
    assert "whole number of years from 1 to 100" in page.locator(".error-summary").inner_text()

    with live_server.database.session(readonly=True) as session:
        assessment_id = session.scalar(sa.select(sa.func.min(Assessment.id)))
    worker = open_browser(width=390, check_width=320)
    worker.sign_in(Person("Ruth Baxter", SOCIAL_WORKER_EMAIL, DEMO_PASSWORD))
    page = worker.goto(f"/social/assessments/{assessment_id}/privacy")
    page.get_by_label("Day the person withdrew consent").fill("2999-01-01")
    page = worker.submit("Withdraw consent")
    assert "cannot be in the future" in page.locator(".error-summary").inner_text()

    # Withdrawn: the page names the person and the day in words; the list of assessments
    # keeps a way to the withdrawal, in its own section.
    from timebank.services import assessments, auth

    person = "Wilma Withdrawn"
    new = assessments.record_assessment(
        live_server.database, auth.authenticate(live_server.database, SOCIAL_WORKER_EMAIL, DEMO_PASSWORD),
        person_name=person, content={"consent": True, "consent_on": "2026-01-05", "area": "Leith",
                                     "needs": [{"text": "Company on a walk", "category": "shopping"}]})
    page = worker.goto(f"/social/assessments/{new.id}/privacy")
    assert person in page.locator("h1").inner_text()
    page.get_by_label("Day the person withdrew consent").fill("2026-12-01")
    page.get_by_label("How they withdrew it").fill("By phone to me")
    page = worker.submit("Withdraw consent")
    assert "1 December 2026" in page.locator("main").inner_text()
    page = worker.goto("/social/assessments")
    withdrawn = page.locator("#withdrawn + p + ul").inner_text()
    assert person in withdrawn and "1 December 2026" in withdrawn
