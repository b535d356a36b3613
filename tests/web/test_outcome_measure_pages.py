"""Follow-ups and outcome measures through the test client: a follow-up with both sides'
answers is recorded and shown; a score of 11 or a choice not in the list is refused
beside its field with nothing written; the follow-up day orders the introductions list;
a bank adds its own question; the funders' summary shows the change or says it is too
few to report."""
from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from tests.web.conftest import user_view
from tests.web.test_social_pages import content, keyed
from timebank.services import assessments, matches, outcome_measures

TODAY = dt.date.today()


@pytest.fixture
def sam(world, web_database):
    return user_view(web_database, world.social_worker)


@pytest.fixture
def introduced(web_database, sam):
    """Mary, who needs her shopping done, introduced to Hamish nearby."""
    assessments.record_assessment(web_database, sam, person_name="Mary", content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    assessments.record_assessment(web_database, sam, person_name="Hamish", content=content(
        location=(55.9720, -3.1650), capabilities=[{"text": "Happy to do the weekly shop", "category": "shopping",
                                                    "capacity": "5"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    return {"introduction": matches.accept_proposal(web_database, sam, run.proposals[0].id)}


def _written(database) -> tuple[int, int]:
    with database.engine.connect() as connection:
        return (connection.scalar(sa.text("SELECT count(*) FROM introduction_follow_ups")),
                connection.scalar(sa.text("SELECT count(*) FROM outcome_measure_answers")))


def _follow_up_form(page: str, **answers) -> dict:
    csrf = re.search(r'name="follow-csrf_token" value="([^"]+)"', page).group(1)
    return {"follow-csrf_token": csrf, **keyed(page, "follow-"), "follow-stage": "before",
            "follow-held_on": TODAY.isoformat(), "follow-note": "Met at the library",
            **{f"follow-{k}": v for k, v in answers.items()}}


def test_a_follow_up_with_both_sides_answers_is_recorded_and_shown(signed_in, world, web_database, introduced):
    client = signed_in(world.social_worker)
    i = introduced["introduction"].id
    page = client.get(f"/social/introductions/{i}").text
    assert "How often do you feel lonely?" in page and "Declined to answer" in page
    response = client.post(f"/social/introductions/{i}/follow-ups", data=_follow_up_form(
        page, helped__happiness="3", helped__anxiety="declined", helper__loneliness="hardly_ever"))
    assert response.status_code == 302, response.text
    shown = client.get(f"/social/introductions/{i}").text
    assert "3 out of 10" in shown and "Declined to answer" in shown and "Hardly ever" in shown
    assert "Met at the library" in shown


def test_a_score_of_eleven_and_a_choice_not_listed_are_refused_beside_their_fields(
        signed_in, world, web_database, introduced):
    client = signed_in(world.social_worker)
    i = introduced["introduction"].id
    page = client.get(f"/social/introductions/{i}").text
    before = _written(web_database)
    response = client.post(f"/social/introductions/{i}/follow-ups", data=_follow_up_form(
        page, helped__happiness="11", helper__loneliness="sometimes", helped__anxiety="4"))
    assert response.status_code == 400
    assert _written(web_database) == before
    assert re.search(r'id="follow-helped__happiness-error">.*?whole number from 0 to 10', response.text, re.S)
    assert re.search(r'id="follow-helper__loneliness-error">.*?Choose one of the answers listed', response.text, re.S)
    assert 'href="#follow-helped__happiness"' in response.text, "linked from the error summary"
    assert "<title>Error:" in response.text


def test_a_follow_up_day_in_the_past_is_refused_and_a_due_one_comes_first(
        signed_in, world, web_database, introduced, sam):
    client = signed_in(world.social_worker)
    i = introduced["introduction"].id
    page = client.get(f"/social/introductions/{i}").text
    csrf = re.search(r'name="day-csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post(f"/social/introductions/{i}/follow-up-day", data={
        "day-csrf_token": csrf, "day-follow_up_on": (TODAY - dt.timedelta(days=2)).isoformat()})
    assert refused.status_code == 400
    assert re.search(r'id="day-follow_up_on-error">.*?today or a day in the coming year', refused.text, re.S)
    # A second introduction, newer, with no day: the due one still comes first.
    need = assessments.record_assessment(web_database, sam, person_name="Nora", content=content(
        needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    run = matches.run_match(web_database, sam, today=TODAY)
    proposal = next(p for p in run.proposals if p.need_assessment_id == need.id and p.capability_assessment_id)
    matches.accept_proposal(web_database, sam, proposal.id)
    set_day = client.post(f"/social/introductions/{i}/follow-up-day", data={
        "day-csrf_token": csrf, "day-follow_up_on": TODAY.isoformat()})
    assert set_day.status_code == 302
    listing = client.get("/social/introductions").text
    assert "due today" in listing
    assert listing.index("Mary") < listing.index("Nora")


def test_a_bank_question_is_added_and_a_list_of_one_is_refused(signed_in, world, web_database):
    client = signed_in(world.social_worker)
    page = client.get("/social/questions").text
    assert "Overall, how satisfied are you with your life nowadays?" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/social/questions", data={"csrf_token": csrf, **keyed(page), "text": "Do you feel safe?",
                                                     "scale": "choice", "better": "higher", "choices": "Yes"})
    assert refused.status_code == 400
    assert re.search(r'id="choices-error">.*?at least two answers', refused.text, re.S)
    added = client.post("/social/questions", data={"csrf_token": csrf, **keyed(page), "text": "Do you feel safe?",
                                                   "scale": "choice", "better": "higher",
                                                   "choices": "Never\nSometimes\nAlways"})
    assert added.status_code == 302
    assert "Do you feel safe?" in client.get("/social/questions").text


def test_questions_and_follow_ups_are_not_for_coordinators(signed_in, world, introduced):
    client = signed_in(world.coordinator)
    assert client.get("/social/questions").status_code == 403
    assert client.post(f"/social/introductions/{introduced['introduction'].id}/follow-ups").status_code == 403


def test_funders_summary_says_too_few_to_report_below_five_people(signed_in, world, web_database, introduced, sam):
    i = introduced["introduction"].id
    outcome_measures.record_follow_up(web_database, sam, i, stage="before", held_on=TODAY - dt.timedelta(days=20),
                                      answers={"helped-happiness": "3"})
    outcome_measures.record_follow_up(web_database, sam, i, stage="after", held_on=TODAY,
                                      answers={"helped-happiness": "7"})
    coordinator = signed_in(world.coordinator)
    response = coordinator.get("/coordinator/reports/funders")
    page = response.text
    assert response.status_code == 200, re.findall(r"<h1>.*?</h1>|error-message.*?</p>", page, re.S)
    assert "Wellbeing and loneliness, before and after" in page
    assert "too few to report" in page and "could be recognised" in page
    assert "+4.0" not in page
    download = coordinator.get("/coordinator/reports/funders.csv").text
    assert "people_with_before_and_after,too few to report" in download
    assert "happiness_mean_change,too few to report" in download
