"""Issue 12 through the test client: the assessment form shows what the words read as and
keeps a correction; the matches page keeps its runs, filters them and asks before a new
run; coordinators list the bank's neighbourhoods and give services example sentences.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import csrf_from, user_view
from tests.web.test_social_pages import assessment_form, content, hidden, keyed
from timebank.db.models import ReadingExample
from timebank.services import assessments, matches, places, service_examples

TODAY = dt.date.today()
LIFT = "Needs a lift to the hospital on Tuesdays"


@pytest.fixture
def sam(world, web_database):
    return user_view(web_database, world.social_worker)


def _examples(database, bank_id: int) -> list[tuple]:
    with database.engine.connect() as connection:
        return connection.execute(sa.select(ReadingExample.text, ReadingExample.service_id,
                                            ReadingExample.source)
                                  .where(ReadingExample.bank_id == bank_id)).all()


def test_the_assessment_form_offers_the_reading_and_keeps_a_correction(signed_in, world, web_database, sam):
    mary = assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": LIFT}]))
    client = signed_in(world.social_worker)
    url = f"/social/assessments/{mary.id}/edit"

    page = client.get(url).text

    note = re.search(r'id="needs-0-category-reading">(.*?)</p>', page, re.S).group(1)
    assert "Read from the words" in note and "% sure" in note and "lift" in note.lower(), note
    selected = re.search(r'<select id="needs-0-category".*?</select>', page, re.S).group(0)
    assert re.search(r'<option value="lifts" selected>', selected), "the reading is offered, pre-filled"
    assert _examples(web_database, world.bank.id) == []

    data = assessment_form(page, person_name="Mary", **{
        "needs-0-key": hidden(page, "needs-0-key"), "needs-0-text": LIFT, "needs-0-category": "shopping"})
    response = client.post(url, data=data)

    assert response.status_code == 302
    assert _examples(web_database, world.bank.id) == [(LIFT, "shopping", "correction")]


def test_a_confirmed_reading_is_not_a_correction(signed_in, world, web_database, sam):
    mary = assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": LIFT}]))
    client = signed_in(world.social_worker)
    url = f"/social/assessments/{mary.id}/edit"
    page = client.get(url).text
    data = assessment_form(page, person_name="Mary", **{
        "needs-0-key": hidden(page, "needs-0-key"), "needs-0-text": LIFT, "needs-0-category": "lifts"})
    assert client.post(url, data=data).status_code == 302
    assert _examples(web_database, world.bank.id) == []


def test_unclear_words_leave_the_select_empty_and_ask(signed_in, world, web_database, sam):
    mary = assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": "Things have been hard since the spring"}]))
    page = signed_in(world.social_worker).get(f"/social/assessments/{mary.id}/edit").text
    note = re.search(r'id="needs-0-category-reading">(.*?)</p>', page, re.S).group(1)
    assert note.strip().startswith("Choose the kind of help"), note
    selected = re.search(r'<select id="needs-0-category".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>' in selected


def test_the_area_is_chosen_from_the_banks_neighbourhoods(signed_in, world, web_database):
    places.save_neighbourhood(web_database, world.bank.slug, name="Leith Walk", latitude="55.965",
                              longitude="-3.177")
    page = signed_in(world.social_worker).get("/social/assessments/new").text
    area = re.search(r'<select id="area" name="area".*?</select>', page, re.S)
    assert area and '<option value="Leith Walk">Leith Walk</option>' in area.group(0)


def test_the_matches_page_lists_runs_filters_and_asks_before_a_new_run(signed_in, world, web_database, sam):
    assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Hamish", content=content(
        location=(55.9720, -3.1650), capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping"}]))
    first = matches.run_match(web_database, sam, today=TODAY)
    matches.reject_proposal(web_database, sam, first.proposals[0].id, reason="Mary knows Hamish: no.")
    second = matches.run_match(web_database, sam, today=TODAY)
    client = signed_in(world.social_worker)

    page = client.get("/social/matches").text
    assert "Mary could be helped by Hamish" not in page
    assert re.search(r"Rejected on \d+ \w+ \d{4}:</strong> Mary knows Hamish: no.", page)
    assert f'href="/social/matches/{first.id}"' in page, "the earlier run is linked"
    assert page.index("Proposed matches") < page.index("Run a match now"), "the run button comes after"
    assert 'method="post" action="/social/matches/run"' in page  # asked first only within the hour

    rejected = client.get(f"/social/matches/{first.id}?show=rejected").text
    assert "Mary could be helped by Hamish" in rejected
    waiting = client.get(f"/social/matches/{first.id}?show=waiting").text
    assert "Mary could be helped by Hamish" not in waiting

    confirm = client.get("/social/matches/run")
    assert confirm.status_code == 200 and "Run a new match?" in confirm.text
    assert "Yes, run a new match" in confirm.text
    assert matches.list_runs(web_database, sam)[0].id == second.id, "asking runs nothing"


def test_a_coordinator_lists_a_neighbourhood_and_is_refused_beside_the_field(signed_in, world, web_database):
    client = signed_in(world.coordinator)
    page = client.get("/coordinator/neighbourhoods").text
    refused = client.post("/coordinator/neighbourhoods", data={
        "csrf_token": csrf_from(page), "name": "Leith Walk", "latitude": "95", "longitude": "-3.177"})
    assert refused.status_code == 400 and 'id="latitude-error"' in refused.text
    assert places.list_neighbourhoods(web_database, world.bank.slug) == []

    added = client.post("/coordinator/neighbourhoods", data={
        "csrf_token": csrf_from(page), "name": "Leith Walk", "latitude": "55.965", "longitude": "-3.177"})
    assert added.status_code == 302
    twice = client.post("/coordinator/neighbourhoods", data={
        "csrf_token": csrf_from(page), "name": "leith  WALK", "latitude": "55.9", "longitude": "-3.1"})
    assert twice.status_code == 400 and 'id="name-error"' in twice.text
    assert [n.name for n in places.list_neighbourhoods(web_database, world.bank.slug)] == ["Leith Walk"]


def test_a_coordinator_gives_a_service_example_sentences(signed_in, world, web_database):
    client = signed_in(world.coordinator)
    url = "/coordinator/categories/shopping/examples"
    page = client.get(url).text
    saved = client.post(url, data={"csrf_token": csrf_from(page),
                                   "examples": "Fetch my messages from the Co-op\r\nGet my bits in"})
    assert saved.status_code == 302
    knowledge = dict((s, e) for s, _, _, e in service_examples.bank_services(web_database, world.bank.slug))
    assert knowledge["shopping"] == ("Fetch my messages from the Co-op", "Get my bits in")
    assert "Get my bits in" in client.get(url).text


def test_only_coordinators_reach_the_neighbourhoods(signed_in, world):
    assert signed_in(world.social_worker).get("/coordinator/neighbourhoods").status_code == 403


def test_the_run_form_is_keyed(signed_in, world):
    page = signed_in(world.social_worker).get("/social/matches/run").text
    assert keyed(page)["idempotency_key"]
