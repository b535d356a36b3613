"""Assessments are seen by the social workers of their bank only, and every view is logged.

Sentinel strings, one per field, are recorded through the services; then every page the
application serves to a GET is asked for, with this bank's real ids, as a member, a
coordinator, staff of another bank and someone signed out: no answer may hold a sentinel.
The bank's own social worker does see them (so the crawl is not passing by accident).
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.web.conftest import _person, count_accesses, csrf_from, sign_in, user_view
from timebank.services import assessments, matches

TODAY = dt.date.today()
SENTINELS = {
    "name": "SENTINEL-name-7f3a",
    "area": "SENTINEL-area-51c2",
    "need": "SENTINEL-need-a91e",
    "capability": "SENTINEL-cap-0b7d",
    "reject_reason": "SENTINEL-reject-44d1",
    "comment": "SENTINEL-comment-9c3e",
    "helper_name": "SENTINEL-helper-e2c8",
}


def content(*, area="Leith", location=(55.9700, -3.1700), needs=(), capabilities=()):
    return {"consent": True, "consent_on": TODAY.isoformat(), "area": area, "latitude": location[0],
            "longitude": location[1], "availability": None, "needs": list(needs),
            "capabilities": list(capabilities)}


@pytest.fixture
def recorded(web_database, world):
    """Assessments holding a sentinel in every field; a run with one match accepted, one rejected."""
    sam = user_view(web_database, world.social_worker)
    s = SENTINELS
    private = assessments.record_assessment(web_database, sam, person_name=s["name"], content=content(
        area=s["area"], location=(55.80, -3.40),
        needs=[{"text": f"{s['need']} sitting", "category": "dementia_sitting", "requires_checked": True}],
        capabilities=[{"text": s["capability"], "category": "gardening", "share": False}]))
    # Not members: accepting their match links no request or offer.
    carol = assessments.record_assessment(web_database, sam, person_name="Carol", content=content(needs=[
        {"text": "Help with my weekly shop", "category": "shopping"},
        {"text": "Someone to cut my grass", "category": "gardening"}]))
    helper = assessments.record_assessment(web_database, sam, person_name=s["helper_name"], content=content(
        location=(55.9720, -3.1650), capabilities=[
            {"text": "Happy to do the weekly shop", "category": "shopping"},
            {"text": "I can cut grass", "category": "gardening"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    proposed = {p.need_text: p for p in run.proposals if p.status == "proposed"}
    introduction = matches.accept_proposal(web_database, sam, proposed["Help with my weekly shop"].id)
    matches.reject_proposal(web_database, sam, proposed["Someone to cut my grass"].id,
                            reason=s["reject_reason"])
    matches.record_outcome(web_database, sam, introduction.id, side="helped", help_happened=True,
                           difference="a_lot", comment=s["comment"])
    return {"private": private, "carol": carol, "helper": helper, "run": run, "introduction": introduction,
            "proposal": proposed["Help with my weekly shop"]}


def get_urls(app, world, recorded) -> list[str]:
    """Every GET page of the application, its URL ids filled with this bank's records."""
    ids = {"assessment_id": recorded["private"].id, "run_id": recorded["run"].id,
           "proposal_id": recorded["proposal"].id, "introduction_id": recorded["introduction"].id,
           "member_id": world.ann.member_id, "user_id": world.ann.user_id, "category": "shopping",
           "token": "not-a-token"}
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        url = rule.rule
        for name in rule.arguments:
            converter = rule._converters[name].__class__.__name__
            value = ids.get(name, 1 if converter == "IntegerConverter" else "x")  # another team's new page
            url = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(value), url)
        found.append(url)
    return found


def leaks(client, urls) -> list[str]:
    found = []
    for url in urls:
        body = client.get(url).get_data().decode("utf-8", "replace")  # a PDF is bytes
        found += [f"{url}: {field}" for field, sentinel in SENTINELS.items() if sentinel in body]
    return found


def test_no_one_but_the_banks_social_workers_sees_what_an_assessment_holds(app, web_database, world, recorded):
    urls = get_urls(app, world, recorded)
    assert any(u.startswith("/social/assessments/") for u in urls) and any(u.startswith("/member/") for u in urls)
    stranger = _person(web_database, world.other_bank, "social_worker", "Sol", member=False)
    logged_before = count_accesses(web_database, world.bank.slug)
    found = leaks(app.test_client(), urls)
    for person in (world.ann, world.coordinator, stranger):
        client = app.test_client()
        sign_in(client, person)
        found += [f"{person.role} {person.name}: {leak}" for leak in leaks(client, urls)]
    assert not found, "\n".join(found)
    assert count_accesses(web_database, world.bank.slug) == logged_before  # nobody read one

    # The bank's own social worker does see them: the crawl above is not empty by accident.
    sam = app.test_client()
    sign_in(sam, world.social_worker)
    # Pages and text downloads; a record's zip is compressed, so its words are not read here.
    answers = (sam.get(u) for u in urls if u.startswith("/social/"))
    pages = "".join(a.get_data(as_text=True) for a in answers if a.mimetype.startswith("text/"))
    missing = [field for field, sentinel in SENTINELS.items() if sentinel not in pages]
    assert not missing, missing


def test_every_view_of_an_assessment_is_written_to_the_access_log(app, web_database, world, recorded):
    client = app.test_client()
    sign_in(client, world.social_worker)
    a = recorded["private"].id
    for url in (f"/social/assessments/{a}", f"/social/assessments/{a}?version=1", f"/social/assessments/{a}/edit",
                "/social/assessments"):
        before = count_accesses(web_database, world.bank.slug)
        assert client.get(url).status_code == 200
        assert count_accesses(web_database, world.bank.slug) > before, url
    log = client.get("/social/access-log").get_data(as_text=True)
    assert "viewed by the social worker" in log and "listed the bank" in log
    # In the readers' words, not the log's codes.
    assert "<td>read</td>" in log and "<td>listed</td>" in log and "<td>view</td>" not in log


def test_accepting_a_match_does_not_show_the_assessment_to_other_members(app, web_database, world):
    sam = user_view(web_database, world.social_worker)
    assessments.record_assessment(web_database, sam, person_name="Ann", member_id=world.ann.member_id,
                                  content=content(needs=[{"text": "SENTINEL-copied-3d5f shop",
                                                          "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Bob", member_id=world.bob.member_id,
                                  content=content(location=(55.9720, -3.1650), capabilities=[
                                      {"text": "Happy to do the weekly shop", "category": "shopping"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    matches.accept_proposal(web_database, sam, run.proposals[0].id)
    other = _person(web_database, world.bank, "member", "Cat")
    cat = app.test_client()
    sign_in(cat, other)
    assert "SENTINEL-copied-3d5f" not in cat.get("/member/browse").get_data(as_text=True)


def _introduce_ann_to_bob(web_database, world):
    sam = user_view(web_database, world.social_worker)
    assessments.record_assessment(web_database, sam, person_name="Ann", member_id=world.ann.member_id,
                                  content=content(needs=[{"text": "SENTINEL-hip-8e1a shop", "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Bob", member_id=world.bob.member_id,
                                  content=content(location=(55.9720, -3.1650), capabilities=[
                                      {"text": "Happy to do the weekly shop", "category": "shopping"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    return matches.accept_proposal(web_database, sam, run.proposals[0].id)


def test_an_introductions_request_and_offer_are_not_there_for_a_member_who_was_not_introduced(
        app, web_database, world):
    introduction = _introduce_ann_to_bob(web_database, world)
    cat = app.test_client()
    sign_in(cat, _person(web_database, world.bank, "member", "Cat"))
    token = csrf_from(cat.get("/member/browse").get_data(as_text=True))
    unknown = 10**9
    for path, record_id in (("/member/requests/{}/answer", introduction.help_request_id),
                            ("/member/requests/{}/close", introduction.help_request_id),
                            ("/member/offers/{}/withdraw", introduction.offer_id)):
        refused, missing = (cat.post(path.format(n), data={"csrf_token": token, f"answer-{n}-message": "Hello"})
                            for n in (record_id, unknown))
        assert (refused.status_code, missing.status_code) == (404, 404), path
        # The same page as a number that does not exist: nothing says the record is there.
        assert refused.get_data(as_text=True) == missing.get_data(as_text=True).replace(
            str(unknown), str(record_id)), path
    ann = app.test_client()
    sign_in(ann, world.ann)
    assert "Cat" not in ann.get("/member/requests").get_data(as_text=True)


def test_every_read_and_change_of_an_introduction_is_written_to_the_access_log(app, web_database, world):
    introduction = _introduce_ann_to_bob(web_database, world)
    client = app.test_client()
    sign_in(client, world.social_worker)
    for url in ("/social/introductions", f"/social/introductions/{introduction.id}"):
        before = count_accesses(web_database, world.bank.slug)
        assert client.get(url).status_code == 200
        assert count_accesses(web_database, world.bank.slug) > before, url
    # The overview counts them, showing no one's name or words: nothing is read.
    before = count_accesses(web_database, world.bank.slug)
    assert client.get("/social/").status_code == 200
    assert count_accesses(web_database, world.bank.slug) == before
    page = client.get(f"/social/introductions/{introduction.id}").get_data(as_text=True)
    response = client.post(f"/social/introductions/{introduction.id}/close",
                           data={"csrf_token": csrf_from(page), "idempotency_key": "close-once"})
    assert response.status_code == 302
    assert "closed introduction" in client.get("/social/access-log").get_data(as_text=True)
