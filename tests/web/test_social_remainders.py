"""The social workers' remaining usability problems, through the test client
(../shared/reviews/2026-12-usability.md, "Social workers" 2-6, and missing features 10-11).

An assessment is linked to a member later, or corrected, after "are you sure?"; the form
starts with one row of each and grows a row without saving a version; a row's problem
names its row; no consent day by default; the matches page says who ran each run, pages
its proposals, asks before a second run within the hour and says whom the matcher reads;
an introduction shows the contact each member agreed to share, takes a side's view again
later (latest first), and links to the hours the two logged since.
"""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

from tests.web.conftest import PASSWORD, Person, csrf_from, user_view
from tests.web.test_social_pages import assessment_form, content, counts, hidden, keyed
from timebank.services import assessments, auth, helping, ledger, matches, members, requests_offers

TODAY = dt.date.today()


@pytest.fixture
def sam(world, web_database):
    return user_view(web_database, world.social_worker)


@pytest.fixture
def fatima(web_database, sam):
    return assessments.record_assessment(web_database, sam, person_name="Fatima", content=content(
        needs=[{"text": "Letters from the job centre"}]))


def _member_of(web_database, sam, assessment_id: int) -> int | None:
    return assessments.get_assessment(web_database, sam, assessment_id).member_id


# ---------------------------------------------------------------- the member link (problem 3)


def test_an_assessment_not_yet_of_a_member_is_linked_when_the_person_joins_after_being_asked(
        signed_in, world, web_database, sam, fatima):
    client = signed_in(world.social_worker)
    url = f"/social/assessments/{fatima.id}"
    page = client.get(url).text
    assert "Not linked to a member yet." in page and 'id="member-link"' in page
    token = csrf_from(page)

    asked = client.post(url + "/member", data={"csrf_token": token, "member": str(world.ann.member_id)})
    assert asked.status_code == 200 and "Link the assessment of Fatima to Ann?" in asked.text
    assert 'name="confirmed" value="yes"' in asked.text and "Yes, link to Ann" in asked.text
    assert _member_of(web_database, sam, fatima.id) is None, "asking links nothing"

    linked = client.post(url + "/member", data={"csrf_token": token, "member": str(world.ann.member_id),
                                               "confirmed": "yes"})
    assert linked.status_code == 302 and linked.location.endswith("#member-link")
    assert _member_of(web_database, sam, fatima.id) == world.ann.member_id
    page = client.get(url).text
    assert "The assessment of Fatima is now linked to Ann." in page and "Linked to Ann." in page
    assert re.search(r"<td>linked to a member</td><td>linked to member \d+ \(Ann\)</td>", page), "in the access log"
    assert "Version 1 of 1" in page, "the link is not a new version"

    # A wrong pick is corrected the same way; sent twice, it changes once.
    for _ in range(2):
        corrected = client.post(url + "/member", data={"csrf_token": token, "member": str(world.bob.member_id),
                                                      "confirmed": "yes"})
        assert corrected.status_code == 302
    assert _member_of(web_database, sam, fatima.id) == world.bob.member_id
    log = [row for row in assessments.access_log(web_database, sam, fatima.id) if row[3] == "link_member"]
    assert len(log) == 2 and "corrected" in log[0][5]


def test_linking_a_closed_member_or_another_banks_member_is_refused_beside_the_field(
        signed_in, world, web_database, sam, fatima):
    members.set_member_status(web_database, world.bank.slug, world.bob.member_id, "closed")
    client = signed_in(world.social_worker)
    url = f"/social/assessments/{fatima.id}"
    token = csrf_from(client.get(url).text)
    before = counts(web_database)
    for member_id, message in ((world.bob.member_id, "Bob has left the time bank"),
                               (world.other_member.member_id,
                                f"There is no member number {world.other_member.member_id} in this bank")):
        for confirmed in ("", "yes"):
            refused = client.post(url + "/member", data={"csrf_token": token, "member": str(member_id),
                                                        "confirmed": confirmed})
            assert refused.status_code == 400 and message in refused.text
            assert 'href="#member"' in refused.text and 'id="member-error"' in refused.text
    assert _member_of(web_database, sam, fatima.id) is None
    assert counts(web_database) == before
    assert "Bob" not in re.search(r'<select[^>]*id="member".*?</select>', client.get(url).text, re.S).group(0), \
        "closed members are not offered"


# ---------------------------------------------------------------- the form (problem 6)


def test_a_new_form_has_one_row_of_each_and_no_consent_day(signed_in, world):
    page = signed_in(world.social_worker).get("/social/assessments/new").text
    assert 'name="needs-0-text"' in page and 'name="needs-1-text"' not in page
    assert 'name="capabilities-0-text"' in page and 'name="capabilities-1-text"' not in page
    assert re.search(r'<input[^>]*id="consent_on"[^>]*value=""', page), "no day nobody chose"
    assert "Save and add more rows" not in page
    # Enter in a field sends the form's first submit button: it must save, not add a row.
    form = page[page.index("<form method=\"post\" novalidate>"):]
    first = re.search(r"<button[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert 'name="add"' not in first, first


def _typed(page: str, **fields) -> dict:
    """The one-row form as a browser sends it, with `fields` typed."""
    data = {"csrf_token": csrf_from(page), **keyed(page), "person_name": "Mary", "member": "",
            "area": "Leith", "needs-0-text": "", "capabilities-0-text": "", "capabilities-0-status": "doing",
            "capabilities-0-capacity": "1", "capabilities-0-max_km": "5"}
    data.update(fields)
    return data


def test_adding_a_row_keeps_what_was_typed_and_saves_nothing(signed_in, world, web_database, sam):
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    before = counts(web_database)
    data = _typed(page, **{"needs-0-text": "Help with my weekly shop", "add": "need"})
    more = client.post("/social/assessments/new", data=data)
    assert more.status_code == 200 and "There is a problem" not in more.text
    assert 'name="needs-1-text"' in more.text and 'name="needs-2-text"' not in more.text
    assert re.search(r">\s*Help with my weekly shop</textarea>", more.text)
    assert hidden(more.text, "idempotency_key") == data["idempotency_key"], "the same form, not a new one"
    assert 'formaction="#need-3"' in more.text  # the next one added is scrolled to
    more = client.post("/social/assessments/new", data={**data, "needs-1-text": "A lift to the surgery",
                                                      "add": "capability"})
    assert 'name="capabilities-1-text"' in more.text and re.search(r">\s*A lift to the surgery</textarea>", more.text)
    assert counts(web_database) == before, "adding a row saved nothing"

    saved = client.post("/social/assessments/new", data={
        k: v for k, v in {**data, "needs-1-text": "A lift to the surgery"}.items() if k != "add"})
    assert saved.status_code == 302
    [mary] = [s for s in assessments.list_assessments(web_database, sam) if s.person_name == "Mary"]
    recorded = assessments.get_assessment(web_database, sam, mary.id)
    assert recorded.version == 1 and [n["text"] for n in recorded.content["needs"]] == [
        "Help with my weekly shop", "A lift to the surgery"]

    # On a new version too: a row is added, and no version is recorded until saved.
    url = f"/social/assessments/{mary.id}/edit"
    edit = client.get(url).text
    grown = client.post(url, data={**_typed(edit), "needs-0-key": hidden(edit, "needs-0-key"),
                                   "needs-0-text": "Help with my weekly shop", "add": "capability"})
    assert grown.status_code == 200 and 'name="capabilities-1-text"' in grown.text
    assert assessments.get_assessment(web_database, sam, mary.id).version == 1


def test_a_problem_in_a_row_names_the_row(signed_in, world, web_database):
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    refused = client.post("/social/assessments/new", data=assessment_form(page, **{
        "needs-0-text": "Shopping", "capabilities-1-text": "Driving", "capabilities-1-capacity": "0"}))
    assert refused.status_code == 400
    assert ('<a href="#capabilities-1-capacity">Capability 2: capacity is how many people at once: '
            "a whole number from 1 to 20.</a>") in refused.text


def test_the_consent_day_is_asked_for_only_when_consent_is_ticked(signed_in, world, web_database, sam):
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    ticked = client.post("/social/assessments/new", data=_typed(page, consent="y", consent_on="",
                                                                **{"needs-0-text": "Shopping"}))
    assert ticked.status_code == 400 and 'href="#consent_on"' in ticked.text
    unticked = client.post("/social/assessments/new", data=_typed(page, consent_on="",
                                                                  **{"needs-0-text": "Shopping"}))
    assert unticked.status_code == 302
    [mary] = assessments.list_assessments(web_database, sam)
    recorded = assessments.get_assessment(web_database, sam, mary.id).content
    assert (recorded["consent"], recorded["consent_on"]) == (False, None)


# ---------------------------------------------------------------- the matches page (problems 2 and 5)


@pytest.fixture
def two_proposals(web_database, sam):
    for name, needs, capabilities, location in (
        ("Mary", [{"text": "Help with my weekly shop", "category": "shopping"},
                  {"text": "Someone to tidy the garden", "category": "gardening"}], [], (55.97, -3.17)),
        ("Hamish", [], [{"text": "Happy to do the weekly shop", "category": "shopping"},
                        {"text": "I keep gardens tidy", "category": "gardening"}], (55.972, -3.165)),
    ):
        assessments.record_assessment(web_database, sam, person_name=name, content=content(
            needs=needs, capabilities=capabilities, location=location))
    run = matches.run_match(web_database, sam, today=TODAY)
    assert len([p for p in run.proposals if p.status == "proposed"]) == 2
    return run


def test_the_matches_page_pages_its_proposals_and_names_who_ran_each_run(
        signed_in, world, two_proposals, monkeypatch):
    from timebank.web.social import routes

    assert routes.PROPOSALS_PER_PAGE == 25
    monkeypatch.setattr(routes, "PROPOSALS_PER_PAGE", 1)
    client = signed_in(world.social_worker)
    first = client.get("/social/matches?show=waiting").text
    assert first.count('<li id="proposal-') == 1 and "Page 1 of 2" in first
    assert f'href="/social/matches/{two_proposals.id}?page=2&amp;show=waiting"' in first, "the filter is kept"
    second = client.get(f"/social/matches/{two_proposals.id}?page=2&show=waiting").text
    assert second.count('<li id="proposal-') == 1 and "Page 2 of 2" in second
    assert re.search(r"\(shown above\)</strong>, run by Sam:", first)


def test_a_run_within_the_hour_is_asked_about_first_and_an_older_one_is_not(
        signed_in, world, web_database, sam, two_proposals):
    import sqlalchemy as sa

    from timebank.db.models import MatchRun

    client = signed_in(world.social_worker)
    page = client.get("/social/matches").text
    data = {"csrf_token": csrf_from(page), **keyed(page)}
    asked = client.post("/social/matches/run", data=data)
    assert asked.status_code == 200 and "Run a new match?" in asked.text
    assert "A match was run less than a minute ago by Sam." in asked.text
    assert hidden(asked.text, "idempotency_key") == data["idempotency_key"]
    assert len(matches.list_runs(web_database, sam)) == 1, "asking runs nothing"
    ran = client.post("/social/matches/run", data={**data, "confirmed": "yes"})
    assert ran.status_code == 302 and len(matches.list_runs(web_database, sam)) == 2

    with web_database.engine.begin() as connection:  # both runs made two hours ago
        connection.execute(sa.update(MatchRun).where(MatchRun.bank_id == world.bank.id).values(
            created_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)))
    page = client.get("/social/matches").text
    ran = client.post("/social/matches/run", data={"csrf_token": csrf_from(page), **keyed(page)})
    assert ran.status_code == 302 and len(matches.list_runs(web_database, sam)) == 3, "not asked"


def test_the_matches_page_says_whom_the_matcher_reads_and_links_the_offers(signed_in, world, web_database):
    requests_offers.offer_skill(web_database, world.bank.slug, member_id=world.ann.member_id,
                                description="I can walk dogs on weekdays")
    client = signed_in(world.social_worker)
    page = client.get("/social/matches").text
    assert "only the people with an assessment recorded here with their consent given" in page
    assert 'href="/social/offers"' in page
    offers = client.get("/social/offers").text
    assert "I can walk dogs on weekdays" in offers and "The matcher does not read them" in offers
    assert signed_in(world.ann).get("/social/offers").status_code == 403


# ---------------------------------------------------------------- an introduction (problem 4)


@pytest.fixture
def introduction(web_database, world, sam):
    slug = world.bank.slug
    mary = members.add_member(web_database, slug, "Mary", phone="0131 555 0101", email="mary@example.org",
                              area="Leith", joined_on=TODAY - dt.timedelta(days=30))
    hamish = members.add_member(web_database, slug, "Hamish", phone="0131 555 0202", email="hamish@example.org",
                                area="Leith", joined_on=TODAY - dt.timedelta(days=30))
    helping.set_contact_sharing(web_database, slug, mary.id, share_phone=True, share_email=False)
    assessments.record_assessment(web_database, sam, person_name="Mary", member_id=mary.id, content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Hamish", member_id=hamish.id, content=content(
        location=(55.972, -3.165), capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))
    proposal = matches.run_match(web_database, sam, today=TODAY).proposals[0]
    return matches.accept_proposal(web_database, sam, proposal.id), mary, hamish


def test_an_introduction_shows_only_the_contact_each_member_agreed_to_share(signed_in, world, introduction):
    page = signed_in(world.social_worker).get(f"/social/introductions/{introduction[0].id}").text
    assert '<a href="tel:01315550101">0131 555 0101</a>' in page  # Mary shares her phone
    assert "mary@example.org" not in page  # but not her email
    assert "0131 555 0202" not in page and "hamish@example.org" not in page  # Hamish shares nothing
    assert page.count("not shared") == 1  # Mary's email; Hamish's card says whom to ask instead
    words = " ".join(page.split())
    cora = world.coordinator.email
    assert ("Hamish shares no phone or email with the bank's members: ask the coordinator, "
            f'Cora (<a href="mailto:{cora}">{cora}</a>), to put you in touch.') in words
    assert words.count("shares no phone or email") == 1, "Mary shares her phone: nothing to ask for"
    assert "Olga" not in words, "another bank's coordinator is not named"
    assert "Not a member" not in words
    # Just introduced, putting them in touch comes first; what each side says, later.
    assert words.index("<h2>Who to contact</h2>") < words.index("<h2>What each side says</h2>")


def test_an_introduction_says_who_holds_a_non_members_contact(signed_in, world, web_database, sam):
    slug = world.bank.slug
    mary = members.add_member(web_database, slug, "Mary", phone="0131 555 0101", area="Leith",
                              joined_on=TODAY - dt.timedelta(days=30))
    helping.set_contact_sharing(web_database, slug, mary.id, share_phone=True, share_email=False)
    assessments.record_assessment(web_database, sam, person_name="Nessa", content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Mary", member_id=mary.id, content=content(
        location=(55.972, -3.165), capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))
    proposal = matches.run_match(web_database, sam, today=TODAY).proposals[0]
    introduction = matches.accept_proposal(web_database, sam, proposal.id)
    url = f"/social/introductions/{introduction.id}"

    words = " ".join(signed_in(world.social_worker).get(url).text.split())
    assert ("Not a member: the bank holds no contact details for Nessa. "
            "You recorded their assessment, so their contact is with you.") in words
    assert "shares no phone or email" not in words and "Cora" not in words, "Mary shares her phone"
    other = auth.create_user(web_database, slug, email=f"sw-{uuid.uuid4().hex[:8]}@example.org", name="Rona",
                             password=PASSWORD, role="social_worker")
    words = " ".join(signed_in(Person(other.email, "social_worker", other.id, None, "Rona")).get(url).text.split())
    assert "Sam, the social worker who recorded their assessment, holds their contact." in words


def test_a_side_asked_again_later_adds_a_view_shown_first(signed_in, world, web_database, introduction):
    client = signed_in(world.social_worker)
    url = f"/social/introductions/{introduction[0].id}"
    for happened, difference, comment in (("no", "not_sure", "Not started yet"), ("yes", "a_lot", "Every Friday")):
        page = client.get(url).text
        sent = client.post(url + "/outcome", data={
            "side": "helped", "helped-csrf_token": csrf_from(page), **keyed(page, "helped-"),
            "helped-help_happened": happened, "helped-difference": difference, "helped-comment": comment})
        assert sent.status_code == 302
    page = client.get(url).text
    assert page.index("Every Friday") < page.index("Not started yet"), "the latest first"
    assert "The person helped (latest)" in page and "The person helped (earlier)" in page
    assert "The person helped: their view at a later follow-up" in page
    assert re.search(r"<dt>Introductions waiting for outcomes</dt><dd>1</dd>", client.get("/social/").text)


def test_an_introduction_links_the_hours_the_two_logged_since(signed_in, world, web_database, introduction):
    _, mary, hamish = introduction
    ledger.log_exchange(web_database, world.bank.slug, provider_id=hamish.id, receiver_id=mary.id, minutes=90,
                        recorded_by="test", description="The weekly shop", given_on=TODAY)
    ledger.log_exchange(web_database, world.bank.slug, provider_id=hamish.id, receiver_id=mary.id, minutes=60,
                        recorded_by="test", description="Before they were introduced",
                        given_on=TODAY - dt.timedelta(days=3))
    page = signed_in(world.social_worker).get(f"/social/introductions/{introduction[0].id}").text
    assert re.search(r'<a href="#hours">1h 30m since', page)
    assert 'id="hours"' in page and "The weekly shop" in page
    assert "Before they were introduced" not in page
