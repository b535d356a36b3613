"""The social workers' pages and the coordinator's list of services, through the test client.

Each page renders for its role; each form refuses a missing CSRF token and bad input with
errors beside the fields, writing nothing; an assessment goes from a new record to an
accepted, followed-up and closed match; user text is shown escaped; other roles get 403
and a social worker of another bank gets 404 on this bank's records.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import _person, count_accesses, csrf_from, user_view
from timebank.services import assessments, banks, matches

TODAY = dt.date.today()
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'


# ---------------------------------------------------------------- helpers


def keyed(html: str, prefix: str = "") -> dict:
    """The hidden idempotency key of the form with this prefix, as form data."""
    name = f"{prefix}idempotency_key"
    return {name: hidden(html, name)}


def hidden(html: str, name: str) -> str:
    match = re.search(r'name="' + re.escape(name) + r'"[^>]*value="([^"]*)"', html)
    assert match, f"no field {name} on the page"
    return match.group(1)


def h1(html: str) -> str:
    headings = re.findall(r"<h1>(.*?)</h1>", html, re.S)
    assert len(headings) == 1, headings
    return headings[0].strip()


def counts(database) -> dict[str, int]:
    """What the social workers' pages write (the access log aside: reading writes to it)."""
    from timebank.db.models import (
        Assessment,
        AssessmentVersion,
        Introduction,
        MatchProposal,
        MatchRun,
        Outcome,
        ServiceCategory,
    )

    with database.engine.connect() as connection:
        found = {m.__tablename__: connection.scalar(sa.select(sa.func.count()).select_from(m))
                 for m in (Assessment, AssessmentVersion, MatchRun, Introduction, Outcome)}
        found["decided"] = connection.scalar(sa.select(sa.func.count()).select_from(MatchProposal)
                                             .where(MatchProposal.status != "proposed"))
        found["categories"] = connection.scalar(sa.select(sa.func.count()).select_from(ServiceCategory))
        found["category_names"] = hash(tuple(connection.execute(
            sa.select(ServiceCategory.name, ServiceCategory.active).order_by(ServiceCategory.id))))
    return found


def content(needs=(), capabilities=(), location=(55.9700, -3.1700)):
    return {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith",
            "latitude": location[0], "longitude": location[1], "availability": None,
            "needs": list(needs), "capabilities": list(capabilities)}


def assessment_form(page: str, **fields) -> dict:
    """The new-assessment form as a browser sends it: four blank rows of each, then `fields`."""
    data = {"csrf_token": csrf_from(page), **keyed(page), "person_name": "Mary", "member": "",
            "consent": "y", "consent_on": TODAY.isoformat(), "area": "Leith", "latitude": "55.97",
            "longitude": "-3.17"}
    for i in range(4):
        data.update({f"needs-{i}-key": "", f"needs-{i}-category": "", f"needs-{i}-text": ""})
        data.update({f"capabilities-{i}-key": "", f"capabilities-{i}-category": "", f"capabilities-{i}-text": "",
                     f"capabilities-{i}-status": "doing", f"capabilities-{i}-share": "y",
                     f"capabilities-{i}-capacity": "1", f"capabilities-{i}-max_km": "5"})
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def sam(world, web_database):
    return user_view(web_database, world.social_worker)


@pytest.fixture
def matched(web_database, world, sam):
    """Mary needs shopping; Hamish, nearby, does it: a run with one proposal."""
    need = assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    offer = assessments.record_assessment(web_database, sam, person_name="Hamish", content=content(
        location=(55.9720, -3.1650), capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    assert run.proposals[0].status == "proposed"
    return {"need": need, "offer": offer, "run": run, "proposal": run.proposals[0]}


@pytest.fixture
def introduced(web_database, sam, matched):
    return {**matched, "introduction": matches.accept_proposal(web_database, sam, matched["proposal"].id)}


def urls(ids) -> dict[str, tuple[str, str]]:
    """Every social worker's URL with this bank's ids: endpoint -> (method, url)."""
    a, run, p, i = ids["assessment"], ids["run"], ids["proposal"], ids["introduction"]
    return {
        "social.home": ("GET", "/social/"),
        "social.assessments": ("GET", "/social/assessments"),
        "social.new_assessment": ("GET", "/social/assessments/new"),
        "social.edit_assessment": ("GET", f"/social/assessments/{a}/edit"),
        "social.assessment": ("GET", f"/social/assessments/{a}"),
        "social.link_member": ("POST", f"/social/assessments/{a}/member"),
        "social.find_matches": ("POST", f"/social/assessments/{a}/matches"),
        "social.access_log": ("GET", "/social/access-log"),
        "social.matches": ("GET", "/social/matches"),
        "social.run": ("GET", f"/social/matches/{run}"),
        "social.run_match": ("POST", "/social/matches/run"),
        "social.offers": ("GET", "/social/offers"),
        "social.accept": ("POST", f"/social/matches/{run}/proposals/{p}/accept"),
        "social.reject": ("POST", f"/social/matches/{run}/proposals/{p}/reject"),
        "social.introductions": ("GET", "/social/introductions"),
        "social.introduction": ("GET", f"/social/introductions/{i}"),
        "social.outcome": ("POST", f"/social/introductions/{i}/outcome"),
        "social.close": ("POST", f"/social/introductions/{i}/close"),
        "social.follow_up_day": ("POST", f"/social/introductions/{i}/follow-up-day"),
        "social.follow_up": ("POST", f"/social/introductions/{i}/follow-ups"),
        "social.questions": ("GET", "/social/questions"),
    }


# ---------------------------------------------------------------- pages


def test_every_social_page_renders_with_its_heading(signed_in, world, introduced, web_database):
    client = signed_in(world.social_worker)
    ids = {"assessment": introduced["need"].id, "run": introduced["run"].id,
           "proposal": introduced["proposal"].id, "introduction": introduced["introduction"].id}
    expected = {
        "social.home": "Assessments and matches", "social.assessments": "Assessments",
        "social.new_assessment": "Record an assessment", "social.edit_assessment": "Record a new version",
        "social.assessment": "Assessment of Mary", "social.access_log": "Who has seen which record",
        "social.matches": "Matches", "social.run": "Matches", "social.introductions": "Introductions and outcomes",
        "social.introduction": "Introduction of Mary to Hamish",
        "social.questions": "Questions asked at follow-ups", "social.offers": "Offers members have made",
    }
    for endpoint, (method, url) in urls(ids).items():
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 200, url
            assert h1(response.text) == expected[endpoint], url
            assert "no-store" in response.headers["Cache-Control"]
    logged = count_accesses(web_database, world.bank.slug)
    home = client.get("/social/").text
    assert re.search(r"<dt>Assessments</dt><dd>2</dd>", home)
    assert re.search(r"<dt>Introductions waiting for outcomes</dt><dd>1</dd>", home)
    run = introduced["run"]
    assert re.search(rf"<dt>Needs in the latest match run</dt><dd>{run.needs_count}</dd>", home)
    assert re.search(rf"<dt>Left unmatched</dt><dd>{len(run.unmatched)}</dd>", home)
    # Numbers only: nobody's name or words is on the page, so nothing is logged as read.
    assert count_accesses(web_database, world.bank.slug) == logged
    assert 'href="/social/assessments"' in home and 'href="/social/matches"' in home  # the nav


# ---------------------------------------------------------------- refusals


def test_every_form_without_a_csrf_token_is_refused_and_writes_nothing(app, signed_in, world, web_database,
                                                                       matched, sam):
    introduction = matches.accept_proposal(web_database, sam, matched["proposal"].id)
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    a, run, p = matched["need"].id, matched["run"].id, matched["proposal"].id
    posts = [
        ("/social/assessments/new", {k: v for k, v in assessment_form(
            page, **{"needs-0-text": "Shopping"}).items() if k != "csrf_token"}),
        (f"/social/assessments/{a}/edit", {"idempotency_key": "k1", "person_name": "Mary", "needs-0-text": "Shopping"}),
        ("/social/matches/run", {"idempotency_key": "k2"}),
        (f"/social/matches/{run}/proposals/{p}/reject",
         {f"reject-{p}-idempotency_key": "k3", f"reject-{p}-reason": "No"}),
        (f"/social/matches/{run}/proposals/{p}/accept", {f"accept-{p}-idempotency_key": "k4"}),
        (f"/social/introductions/{introduction.id}/outcome",
         {"side": "helped", "helped-idempotency_key": "k5", "helped-help_happened": "yes",
          "helped-difference": "a_lot"}),
        (f"/social/introductions/{introduction.id}/close", {"idempotency_key": "k6"}),
        (f"/social/assessments/{a}/matches", {"idempotency_key": "k7"}),
    ]
    before = counts(web_database)
    for url, data in posts:
        assert client.post(url, data=data).status_code == 400, url
    coordinator = signed_in(world.coordinator)
    for url in ("/coordinator/categories", "/coordinator/categories/shopping/edit"):
        data = {"idempotency_key": "k7", "name": "Dog walking", "active": "y"}
        assert coordinator.post(url, data=data).status_code == 400
    assert counts(web_database) == before


BAD_ASSESSMENTS = [
    ("nothing recorded", {}, "needs-0-text", "Record at least one need or one capability."),
    ("latitude out of range", {"needs-0-text": "Shopping", "latitude": "95"}, "latitude",
     "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."),
    ("capacity 0", {"capabilities-1-text": "Driving", "capabilities-1-capacity": "0"}, "capabilities-1-capacity",
     "Capability 2: capacity is how many people at once: a whole number from 1 to 20."),
    ("consent in the future", {"needs-0-text": "Shopping",
                               "consent_on": (TODAY + dt.timedelta(days=2)).isoformat()}, "consent_on",
     "The day consent was given cannot be in the future."),
    ("unknown category", {"needs-2-text": "Shopping", "needs-2-category": "skydiving"}, "needs-2-category",
     "Need 3: choose a category from the bank's list."),
    ("no name", {"needs-0-text": "Shopping", "person_name": ""}, "person_name", "Enter the person's name."),
]


def test_bad_assessments_are_refused_beside_the_field_with_input_kept_and_nothing_written(
        signed_in, world, web_database):
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    assert '<details class="more">' in page  # closed on a blank form
    before = counts(web_database)
    for label, fields, field_id, message in BAD_ASSESSMENTS:
        data = assessment_form(page, area="Leith Walk & Pilrig", **fields)
        response = client.post("/social/assessments/new", data=data)
        html = response.text
        assert response.status_code == 400, label
        assert f'<a href="#{field_id}">{message.replace(chr(39), "&#39;")}</a>' in html, label  # summary
        assert f'id="{field_id}-error"' in html, label  # beside the field
        assert 'value="Leith Walk &amp; Pilrig"' in html, label  # input kept
        assert h1(html) == "Record an assessment"
        # The exact place is tucked away, and shown open when it holds something (or a problem).
        assert '<details class="more" open>' in html, label
    assert counts(web_database) == before


def test_rejecting_without_a_reason_is_refused_beside_the_field(signed_in, world, web_database, matched):
    client = signed_in(world.social_worker)
    run, p = matched["run"].id, matched["proposal"].id
    page = client.get(f"/social/matches/{run}").text
    before = counts(web_database)
    response = client.post(f"/social/matches/{run}/proposals/{p}/reject", data={
        f"reject-{p}-csrf_token": csrf_from(page), **keyed(page, f"reject-{p}-"),
        f"reject-{p}-reason": "   "})
    assert response.status_code == 400
    assert f'href="#reject-{p}-reason"' in response.text and f'id="reject-{p}-reason-error"' in response.text
    assert counts(web_database) == before
    response = client.post(f"/social/matches/{run}/proposals/{p}/reject", data={
        f"reject-{p}-csrf_token": csrf_from(page), **keyed(page, f"reject-{p}-"),
        f"reject-{p}-reason": "They have met and did not get on"})
    assert response.status_code == 302
    assert "Rejected: They have met and did not get on" in client.get(f"/social/matches/{run}").text


def test_an_outcome_without_an_answer_is_refused(signed_in, world, web_database, introduced):
    client = signed_in(world.social_worker)
    i = introduced["introduction"].id
    page = client.get(f"/social/introductions/{i}").text
    before = counts(web_database)
    response = client.post(f"/social/introductions/{i}/outcome", data={
        "side": "helper", "helper-csrf_token": csrf_from(page), **keyed(page, "helper-"),
        "helper-comment": "kept"})
    assert response.status_code == 400
    assert 'href="#helper-help_happened"' in response.text
    assert re.search(r">\s*kept</textarea>", response.text)
    assert counts(web_database) == before

    # Help that happened must say whether it made a difference, beside that question.
    response = client.post(f"/social/introductions/{i}/outcome", data={
        "side": "helper", "helper-csrf_token": csrf_from(page), **keyed(page, "helper-"),
        "helper-help_happened": "yes"})
    assert response.status_code == 400
    assert 'href="#helper-difference"' in response.text and "Say whether it made a difference." in response.text
    assert counts(web_database) == before


def test_help_that_did_not_happen_is_recorded_without_asking_about_a_difference(
        signed_in, world, web_database, introduced, sam):
    client = signed_in(world.social_worker)
    i = introduced["introduction"].id
    page = client.get(f"/social/introductions/{i}").text
    response = client.post(f"/social/introductions/{i}/outcome", data={
        "side": "helper", "helper-csrf_token": csrf_from(page), **keyed(page, "helper-"),
        "helper-help_happened": "no"})
    assert response.status_code == 302
    [outcome] = matches.get_introduction(web_database, sam, i).outcomes
    assert (outcome.help_happened, outcome.difference) == (False, "none")


# ---------------------------------------------------------------- journeys


def test_an_assessment_recorded_then_edited_shows_both_versions(signed_in, world, web_database, sam):
    client = signed_in(world.social_worker)
    page = client.get("/social/assessments/new").text
    data = assessment_form(page, **{"needs-0-text": "Help with my weekly shop", "needs-0-category": "shopping",
                                    "capabilities-0-text": "I knit", "capabilities-0-status": "could",
                                    "availability": ["mon-am", "wed-pm"]})
    response = client.post("/social/assessments/new", data=data)
    assert response.status_code == 302
    # The same form sent again (a double click) records nothing more.
    again = client.post("/social/assessments/new", data=data)
    assert again.status_code == 302 and again.location == response.location
    [summary] = [s for s in assessments.list_assessments(web_database, sam) if s.person_name == "Mary"]
    first = assessments.get_assessment(web_database, sam, summary.id)
    assert first.content["availability"] == ["mon-am", "wed-pm"]
    assert first.content["capabilities"][0]["status"] == "could"

    edit = client.get(f"/social/assessments/{summary.id}/edit").text
    need_key = first.content["needs"][0]["key"]
    assert hidden(edit, "needs-0-key") == need_key
    assert 'value="mon-am" checked' in edit
    form = assessment_form(edit, **{
        "needs-0-key": need_key, "needs-0-text": "Help with the weekly shop on Fridays",
        "needs-0-category": "shopping", "capabilities-0-key": hidden(edit, "capabilities-0-key"),
        "capabilities-0-text": "I knit"})
    response = client.post(f"/social/assessments/{summary.id}/edit", data=form)
    assert response.status_code == 302

    page = client.get(f"/social/assessments/{summary.id}").text
    assert "Version 2 of 2" in page and "Help with the weekly shop on Fridays" in page
    assert f'href="/social/assessments/{summary.id}?version=1"' in page
    old = client.get(f"/social/assessments/{summary.id}?version=1").text
    assert "Help with my weekly shop" in old and "This is an earlier version." in old
    second = assessments.get_assessment(web_database, sam, summary.id)
    assert second.version == 2 and second.content["needs"][0]["key"] == need_key
    assert client.get(f"/social/assessments/{summary.id}?version=9").status_code == 404


def _two_sessions(signed_in, world, url: str) -> tuple:
    """Two sessions of one social worker on the same page, and the CSRF token of the second.

    Two submits in flight together each carry the session as it was before either, so
    nothing the first remembers in the session can stop the second: two sessions sending
    one form (one hidden key) model a double click that fast.
    """
    first, second = signed_in(world.social_worker), signed_in(world.social_worker)
    page = first.get(url).text
    return first, second, page, csrf_from(second.get(url).text)


def test_an_assessment_sent_twice_at_once_is_recorded_once(signed_in, world, web_database, sam):
    first, second, page, other_token = _two_sessions(signed_in, world, "/social/assessments/new")
    data = assessment_form(page, **{"needs-0-text": "Help with my weekly shop"})
    recorded = first.post("/social/assessments/new", data=data)
    again = second.post("/social/assessments/new", data={**data, "csrf_token": other_token})
    assert recorded.status_code == again.status_code == 302 and again.location == recorded.location
    assert [s.person_name for s in assessments.list_assessments(web_database, sam)] == ["Mary"]
    assert "Assessment of Mary already saved (version 1)." in second.get(again.location).text
    # The same key with other details is refused, writes nothing, and gets a fresh key.
    before = counts(web_database)
    other = second.post("/social/assessments/new", data={**data, "csrf_token": other_token,
                                                          "person_name": "Maria"})
    assert other.status_code == 400 and "already sent with other details" in other.text
    assert hidden(other.text, "idempotency_key") != data["idempotency_key"]
    assert counts(web_database) == before


def test_a_new_version_sent_twice_at_once_is_recorded_once(signed_in, world, web_database, sam):
    mary = assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": "Help with my weekly shop"}]))
    url = f"/social/assessments/{mary.id}/edit"
    first, second, page, other_token = _two_sessions(signed_in, world, url)
    data = assessment_form(page, **{"needs-0-key": hidden(page, "needs-0-key"),
                                    "needs-0-text": "Help with the weekly shop on Fridays"})
    recorded = first.post(url, data=data)
    again = second.post(url, data={**data, "csrf_token": other_token})
    assert recorded.status_code == again.status_code == 302 and again.location == recorded.location
    current = assessments.get_assessment(web_database, sam, mary.id)
    assert current.version == 2 and [v[0] for v in current.versions] == [1, 2]
    assert "already saved (version 2)" in second.get(again.location).text


def test_a_match_run_sent_twice_at_once_runs_once(signed_in, world, web_database, matched):
    from timebank.db.models import MatchRun

    first, second, page, other_token = _two_sessions(signed_in, world, "/social/matches/run")
    data = {"csrf_token": csrf_from(page), **keyed(page), "confirmed": "yes"}  # a run was made a moment ago
    before = counts(web_database)["match_runs"]
    ran = first.post("/social/matches/run", data=data)
    again = second.post("/social/matches/run", data={**data, "csrf_token": other_token})
    assert ran.status_code == again.status_code == 302 and again.location == ran.location
    assert counts(web_database)["match_runs"] == before + 1
    with web_database.engine.connect() as connection:
        runs = connection.scalar(sa.select(sa.func.count()).select_from(MatchRun)
                                 .where(MatchRun.bank_id == world.bank.id))
    assert runs == 2  # the fixture's run and this one
    assert "Already run: 1 of 1 needs have a proposed helper." in second.get(again.location).text


def _sent_twice(first, second, url: str, data: dict, token_name: str, other_token: str) -> tuple:
    """The same form (one hidden key) from two sessions, as a double click or going back
    and sending it again: the session cannot tell the second send apart."""
    sent = first.post(url, data=data)
    again = second.post(url, data={**data, token_name: other_token})
    return sent, again


def test_accepting_an_outcome_and_closing_sent_twice_each_record_once(signed_in, world, web_database, matched):
    run, p = matched["run"].id, matched["proposal"].id
    first, second, page, other_token = _two_sessions(signed_in, world, f"/social/matches/{run}")
    before = counts(web_database)
    accepted, again = _sent_twice(first, second, f"/social/matches/{run}/proposals/{p}/accept", {
        f"accept-{p}-csrf_token": csrf_from(page), **keyed(page, f"accept-{p}-")},
        f"accept-{p}-csrf_token", other_token)
    assert accepted.status_code == again.status_code == 302 and again.location == accepted.location
    assert "Already accepted: Mary is introduced to Hamish." in second.get(again.location).text
    assert counts(web_database)["introductions"] == before["introductions"] + 1

    url = accepted.location
    page, other_token = first.get(url).text, csrf_from(second.get(url).text)
    recorded, again = _sent_twice(first, second, url + "/outcome", {
        "side": "helped", "helped-csrf_token": csrf_from(page), **keyed(page, "helped-"),
        "helped-help_happened": "yes", "helped-difference": "a_lot"}, "helped-csrf_token", other_token)
    assert recorded.status_code == again.status_code == 302
    assert counts(web_database)["outcomes"] == before["outcomes"] + 1

    page, other_token = first.get(url + "/close").text, csrf_from(second.get(url).text)
    closed, again = _sent_twice(first, second, url + "/close", {"csrf_token": csrf_from(page), **keyed(page)},
                                "csrf_token", other_token)
    assert closed.status_code == again.status_code == 302
    # Another close form (a new key) is told the introduction is closed already.
    page = first.get(url).text
    assert first.post(url + "/close", data={"csrf_token": csrf_from(page),
                                            "idempotency_key": "another"}).status_code == 403


def test_a_rejection_sent_twice_is_recorded_once_and_its_key_not_reused(signed_in, world, web_database, matched):
    run, p = matched["run"].id, matched["proposal"].id
    first, second, page, other_token = _two_sessions(signed_in, world, f"/social/matches/{run}")
    data = {f"reject-{p}-csrf_token": csrf_from(page), **keyed(page, f"reject-{p}-"),
            f"reject-{p}-reason": "Mary prefers a woman helper"}
    before = counts(web_database)
    rejected, again = _sent_twice(first, second, f"/social/matches/{run}/proposals/{p}/reject", data,
                                  f"reject-{p}-csrf_token", other_token)
    assert rejected.status_code == again.status_code == 302
    assert counts(web_database)["decided"] == before["decided"] + 1
    other = first.post(f"/social/matches/{run}/proposals/{p}/reject",
                       data={**data, f"reject-{p}-reason": "Another reason"})
    assert other.status_code == 400 and "already sent with other details" in other.text
    assert proposal_reason(web_database, p) == "Mary prefers a woman helper"


def proposal_reason(database, proposal_id: int) -> str:
    from timebank.db.models import MatchProposal

    with database.engine.connect() as connection:
        return connection.scalar(sa.select(MatchProposal.decision_reason).where(MatchProposal.id == proposal_id))


def test_from_two_assessments_to_a_closed_introduction(signed_in, world, web_database):
    client = signed_in(world.social_worker)
    for name, fields in (
        ("Mary", {"needs-0-text": "Someone to help with my weekly shop", "needs-0-category": "shopping"}),
        ("Hamish", {"latitude": "55.972", "longitude": "-3.165",
                    "capabilities-0-text": "Happy to do the weekly shop", "capabilities-0-category": "shopping"}),
    ):
        page = client.get("/social/assessments/new").text
        assert client.post("/social/assessments/new",
                           data=assessment_form(page, person_name=name, **fields)).status_code == 302

    page = client.get("/social/matches/run").text  # "Run a new match?": the form is here
    response = client.post("/social/matches/run", data={"csrf_token": csrf_from(page), **keyed(page)})
    assert response.status_code == 302
    run_page = client.get(response.location).text
    p = int(re.search(r'id="proposal-(\d+)"', run_page).group(1))
    assert "Mary could be helped by Hamish" in run_page and "Why this match" in run_page
    assert re.search(r"<li>[^<]*km[^<]*</li>", run_page)  # a reason that can be read aloud
    run = re.search(r"/social/matches/(\d+)", response.location).group(1)

    accepted = client.post(f"/social/matches/{run}/proposals/{p}/accept", data={
        f"accept-{p}-csrf_token": csrf_from(run_page), **keyed(run_page, f"accept-{p}-")})
    assert accepted.status_code == 302 and "/social/introductions/" in accepted.location
    page = client.get(accepted.location).text
    assert h1(page) == "Introduction of Mary to Hamish"

    for side, happened, difference, comment in (("helped", "yes", "a_lot", "I get out now"),
                                                ("helper", "yes", "a_little", "")):
        response = client.post(accepted.location + "/outcome", data={
            "side": side, f"{side}-csrf_token": csrf_from(page), **keyed(page, f"{side}-"),
            f"{side}-help_happened": happened, f"{side}-difference": difference, f"{side}-comment": comment})
        assert response.status_code == 302
        page = client.get(accepted.location).text
    assert "I get out now" in page and "A lot" in page and "A little" in page
    assert "The person helped: their view at a later follow-up" in page  # asked again later: a new row

    page = client.get(accepted.location + "/close").text  # asked first
    response = client.post(accepted.location + "/close", data={"csrf_token": csrf_from(page),
                                                               **keyed(page)})
    assert response.status_code == 302
    assert "<dd>Closed</dd>" in client.get(accepted.location).text
    listing = client.get("/social/introductions").text
    assert "Closed: 1" in listing and "Open: 0" in listing


def test_user_text_is_shown_escaped_everywhere(signed_in, world, web_database, sam):
    need = assessments.record_assessment(web_database, sam, person_name=f"Mary {SCRIPT}", content=content(
        needs=[{"text": f"Shopping {ATTRIBUTE}", "category": "shopping"},
               {"text": f"Gardening {SCRIPT}", "category": "gardening"}]))
    assessments.record_assessment(web_database, sam, person_name=f"Hamish {ATTRIBUTE}", content=content(
        location=(55.9720, -3.1650), capabilities=[
            {"text": f"Happy to do the weekly shop {SCRIPT}", "category": "shopping"},
            {"text": f"Gardening {ATTRIBUTE}", "category": "gardening"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    first, second = [p for p in run.proposals if p.status == "proposed"][:2]
    introduction = matches.accept_proposal(web_database, sam, first.id)
    matches.reject_proposal(web_database, sam, second.id, reason=f"No {SCRIPT} {ATTRIBUTE}")
    matches.record_outcome(web_database, sam, introduction.id, side="helped", help_happened=True,
                           difference="a_lot", comment=f"Good {SCRIPT} {ATTRIBUTE}")
    client = signed_in(world.social_worker)
    pages = ["/social/", "/social/assessments", f"/social/assessments/{need.id}",
             f"/social/assessments/{need.id}/edit", "/social/matches", f"/social/matches/{run.id}",
             "/social/introductions", f"/social/introductions/{introduction.id}"]
    for url in pages:
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/social/assessments/{need.id}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get(f"/social/matches/{run.id}").text


# ---------------------------------------------------------------- who may


def test_coordinators_and_members_get_403_on_every_social_url(app, signed_in, client, world, web_database,
                                                             introduced):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("social.")}
    assert endpoints == set(urls({"assessment": 1, "run": 1, "proposal": 1, "introduction": 1}))
    ids = {"assessment": introduced["need"].id, "run": introduced["run"].id,
           "proposal": introduced["proposal"].id, "introduction": introduced["introduction"].id}
    before = counts(web_database)
    for person, home in ((world.coordinator, "/coordinator/"), (world.ann, "/member/")):
        other = signed_in(person)
        token = csrf_from(other.get(home).text)  # a real token: the refusal must be the role's
        for _endpoint, (method, url) in urls(ids).items():
            response = other.get(url) if method == "GET" else other.post(url, data={"csrf_token": token})
            assert response.status_code == 403, (person.role, url)
    for _endpoint, (method, url) in urls(ids).items():
        if method == "GET":
            response = client.get(url)
            assert response.status_code == 302 and "/sign-in" in response.location, url
    assert counts(web_database) == before


def test_a_social_worker_of_another_bank_gets_404_on_this_banks_records(app, signed_in, world, web_database,
                                                                       introduced):
    from tests.web.conftest import sign_in

    app.config["WTF_CSRF_ENABLED"] = False  # the 404 must come from the record, not the token
    stranger = _person(web_database, world.other_bank, "social_worker", "Sol", member=False)
    client = app.test_client()
    sign_in(client, stranger)
    ids = {"assessment": introduced["need"].id, "run": introduced["run"].id,
           "proposal": introduced["proposal"].id, "introduction": introduced["introduction"].id}
    p = ids["proposal"]
    filled = {"idempotency_key": "k", f"accept-{p}-idempotency_key": "k", f"reject-{p}-idempotency_key": "k",
              f"reject-{p}-reason": "No", "side": "helped", "helped-idempotency_key": "k",
              "helped-help_happened": "yes", "helped-difference": "a_lot",
              "person_name": "Mary", "needs-0-text": "Shopping"}
    before = counts(web_database)
    for _endpoint, (method, url) in urls(ids).items():
        if not re.search(r"/\d+", url):
            continue
        response = client.get(url) if method == "GET" else client.post(url, data=filled)
        assert response.status_code == 404, url
        if method == "GET":
            continue
        response = client.post(url, data={})
        assert response.status_code == 404, f"{url} (empty form)"
    for data in (filled, {}):
        assert client.post(f"/social/assessments/{ids['assessment']}/edit", data=data).status_code == 404
    assert counts(web_database) == before
    assert "Mary" not in client.get("/social/assessments").text


# ---------------------------------------------------------------- services (categories)


def test_a_coordinator_adds_and_changes_a_service(signed_in, world, web_database):
    client = signed_in(world.coordinator)
    page = client.get("/coordinator/categories")
    assert page.status_code == 200 and h1(page.text) == "Services"
    response = client.post("/coordinator/categories", data={
        "csrf_token": csrf_from(page.text), **keyed(page.text), "name": "Dog walking",
        "description": "Walks for dogs whose owners cannot", "active": "y"})
    assert response.status_code == 302
    assert ("dog_walking", "Dog walking") in banks.list_categories(web_database, world.bank.slug)
    assert ("dog_walking", "Dog walking") not in banks.list_categories(web_database, world.other_bank.slug)

    edit = client.get("/coordinator/categories/dog_walking/edit").text
    assert h1(edit) == "Change “Dog walking”"
    response = client.post("/coordinator/categories/dog_walking/edit", data={
        "csrf_token": csrf_from(edit), **keyed(edit), "name": "Dog walks", "description": ""})
    assert response.status_code == 302
    rows = {r[0]: r for r in banks.category_rows(web_database, world.bank.slug)}
    assert rows["dog_walking"][1:] == ("Dog walks", "", False)

    before = counts(web_database)
    page = client.get("/coordinator/categories").text
    for name, message in (("", "Enter the service&#39;s name."),
                          ("Dog walking", "There is already a service with this name"),
                          ("x" * 201, "Keep the name to 200 characters.")):
        response = client.post("/coordinator/categories", data={
            "csrf_token": csrf_from(page), **keyed(page), "name": name, "active": "y"})
        assert response.status_code == 400 and message in response.text and 'href="#name"' in response.text
    assert client.get("/coordinator/categories/no_such_thing/edit").status_code == 404
    assert counts(web_database) == before


def test_a_service_added_or_changed_twice_is_saved_once(signed_in, world, web_database):
    first, second = signed_in(world.coordinator), signed_in(world.coordinator)
    url = "/coordinator/categories"
    page, other_token = first.get(url).text, csrf_from(second.get(url).text)
    before = counts(web_database)
    added, again = _sent_twice(first, second, url, {
        "csrf_token": csrf_from(page), **keyed(page), "name": "Clock winding", "active": "y"},
        "csrf_token", other_token)
    assert added.status_code == again.status_code == 302
    assert "Clock winding was already added to the services." in second.get(again.location).text
    assert counts(web_database)["categories"] == before["categories"] + 1

    url = "/coordinator/categories/clock_winding/edit"
    page, other_token = first.get(url).text, csrf_from(second.get(url).text)
    data = {"csrf_token": csrf_from(page), **keyed(page), "name": "Clock winding and mending", "active": "y"}
    saved, again = _sent_twice(first, second, url, data, "csrf_token", other_token)
    assert saved.status_code == again.status_code == 302
    # The same form with other details is refused, and changes nothing.
    other = second.post(url, data={**data, "csrf_token": other_token, "name": "Clock care"})
    assert other.status_code == 400 and "already sent with other details" in other.text
    rows = {r[0]: r for r in banks.category_rows(web_database, world.bank.slug)}
    assert rows["clock_winding"][1] == "Clock winding and mending"


def test_members_and_social_workers_get_403_on_the_services_pages(signed_in, world, web_database):
    before = counts(web_database)
    for person, home in ((world.ann, "/member/"), (world.social_worker, "/social/")):
        other = signed_in(person)
        token = csrf_from(other.get(home).text)
        for url in ("/coordinator/categories", "/coordinator/categories/shopping/edit"):
            assert other.get(url).status_code == 403
            assert other.post(url, data={"csrf_token": token, "name": "x"}).status_code == 403
    assert counts(web_database) == before


# ---------------------------------------------------------------- asked first, and one person's matches


def test_closing_an_introduction_asks_first_and_only_the_answer_closes_it(signed_in, world, web_database,
                                                                           introduced, sam):
    client = signed_in(world.social_worker)
    introduction = introduced["introduction"]
    url = f"/social/introductions/{introduction.id}"
    page = client.get(url).text
    # One tap on the introduction's page only opens the question: it is a link, not a form.
    assert f'<a class="button button-secondary" href="{url}/close">Close the introduction</a>' in page
    assert f'action="{url}/close"' not in page

    asked = client.get(url + "/close")

    assert asked.status_code == 200 and h1(asked.text) == "Close this introduction?"
    assert "Hamish" in asked.text and "Help with my weekly shop" in asked.text
    assert matches.get_introduction(web_database, sam, introduction.id).status == "open"
    closed = client.post(url + "/close", data={"csrf_token": csrf_from(asked.text), **keyed(asked.text)})
    assert closed.status_code == 302 and closed.location.endswith(url)
    assert matches.get_introduction(web_database, sam, introduction.id).status == "closed"
    # Asked again once closed: told so, nothing asked.
    again = client.get(url + "/close")
    assert again.status_code == 302 and "already closed" in client.get(again.location).text


def test_find_matches_for_this_person_runs_their_pairs_only_and_shows_them(signed_in, world, web_database,
                                                                           matched, sam):
    others = assessments.record_assessment(web_database, sam, person_name="Isla", content=content(
        needs=[{"text": "Someone to walk my dog"}]))
    client = signed_in(world.social_worker)
    mary = matched["need"].id
    page = client.get(f"/social/assessments/{mary}").text
    assert "Find matches for this person" in page

    found = client.post(f"/social/assessments/{mary}/matches",
                        data={"csrf_token": csrf_from(page), **keyed(page)})

    assert found.status_code == 302 and re.search(r"/social/matches/\d+$", found.location)
    shown = client.get(found.location).text
    assert ("Matches found for Mary: a proposed helper for 1 of their 1 need, and 0 needs of other people "
            "they could help with.") in shown
    assert f'Matches for <a href="/social/assessments/{mary}">Mary</a> only' in shown
    assert "Mary could be helped by Hamish" in shown
    assert "Isla" not in shown, "a need that does not involve Mary is not run"
    assert ", for Mary only, run by" in shown  # in the list of runs
    assert [r.for_person for r in matches.list_runs(web_database, sam)][:1] == ["Mary"]
    assert others.id not in {p.need_assessment_id for p in matches.get_run(
        web_database, sam, int(found.location.rsplit("/", 1)[1])).proposals}
