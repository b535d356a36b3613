"""Assessments, matches, introductions and outcomes through the service layer, on both databases."""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.domain.errors import AssessmentInvalid, NotAllowed, ReasonRequired, UnknownAssessment
from timebank.services import assessments, auth, matches, members, requests_offers

TODAY = dt.date.today()
LEITH = [55.9700, -3.1700]
NEAR_LEITH = [55.9720, -3.1650]  # about 0.4 km away
FAR = [55.8600, -4.2500]  # Glasgow


@pytest.fixture
def staff(database, bank):
    def user(role):
        return auth.create_user(database, bank.slug, email=f"{role}-{uuid.uuid4().hex[:8]}@example.org",
                                name=role.title(), password="a long enough password", role=role)
    return {"social_worker": user("social_worker"), "coordinator": user("coordinator")}


def content(needs=(), capabilities=(), location=LEITH, availability=None, consent=True):
    return {
        "consent": consent, "consent_on": TODAY.isoformat() if consent else None, "area": "Leith",
        "latitude": location[0] if location else None, "longitude": location[1] if location else None,
        "availability": availability,
        "needs": [dict(n) for n in needs], "capabilities": [dict(c) for c in capabilities],
    }


def test_an_assessment_keeps_every_version_and_logs_every_access(database, bank, staff):
    sw = staff["social_worker"]
    first = assessments.record_assessment(
        database, sw, person_name="Mary",
        content=content(needs=[{"text": "Help with my weekly shop", "category": "shopping"}]))
    key = first.content["needs"][0]["key"]
    second = assessments.update_assessment(database, sw, first.id, content=content(
        needs=[{"key": key, "text": "Help with the weekly shop on Fridays", "category": "shopping"}]))
    assert (first.version, second.version) == (1, 2)
    assert second.content["needs"][0]["key"] == key
    old = assessments.get_assessment(database, sw, first.id, version=1, why="checking history")
    assert old.content["needs"][0]["text"] == "Help with my weekly shop"
    log = assessments.access_log(database, sw, first.id)
    assert [row[3] for row in log] == ["view", "edit", "create"]
    assert log[0][5] == "checking history" and log[0][2] == "social_worker"


def test_only_social_workers_of_the_bank_see_assessments(database, bank, staff, make_bank):
    sw = staff["social_worker"]
    recorded = assessments.record_assessment(database, sw, person_name="Mary", content=content(
        needs=[{"text": "Shopping"}]))
    with pytest.raises(NotAllowed):
        assessments.get_assessment(database, staff["coordinator"], recorded.id)
    other_bank = make_bank()
    outsider = auth.create_user(database, other_bank.slug, email=f"o-{uuid.uuid4().hex[:6]}@example.org",
                                name="Outsider", password="a long enough password", role="social_worker")
    with pytest.raises(UnknownAssessment):
        assessments.get_assessment(database, outsider, recorded.id)


def test_the_access_log_cannot_be_edited_or_deleted(database, bank, staff):
    from timebank.db.models import AssessmentAccess, AssessmentVersion

    assessments.record_assessment(database, staff["social_worker"], person_name="Mary",
                                  content=content(needs=[{"text": "Shopping"}]))
    for model in (AssessmentAccess, AssessmentVersion):
        with pytest.raises(sa.exc.DBAPIError), database.engine.begin() as connection:
            connection.execute(sa.delete(model))
        with pytest.raises(sa.exc.DBAPIError), database.engine.begin() as connection:
            connection.execute(sa.update(model).values(id=model.id))


@pytest.mark.parametrize("bad, field", [
    ({"needs": [{"text": "x" * 1001}]}, "needs.0.text"),
    ({"needs": [{"text": "Shopping", "category": "skydiving"}]}, "needs.0.category"),
    ({"capabilities": [{"text": "Driving", "capacity": "0"}]}, "capabilities.0.capacity"),
    ({"capabilities": [{"text": "Driving", "max_km": "-3"}]}, "capabilities.0.max_km"),
    ({"needs": [], "capabilities": []}, "needs.0.text"),
    ({"consent_on": (TODAY + dt.timedelta(days=2)).isoformat(), "needs": [{"text": "x"}]}, "consent_on"),
    ({"latitude": "95", "longitude": "0", "needs": [{"text": "x"}]}, "latitude"),
    ({"availability": ["someday"], "needs": [{"text": "x"}]}, "availability"),
])
def test_bad_assessments_are_refused_by_field_and_nothing_is_written(database, bank, staff, bad, field):
    sw = staff["social_worker"]
    before = assessments.list_assessments(database, sw)
    with pytest.raises(AssessmentInvalid) as caught:
        assessments.record_assessment(database, sw, person_name="Mary", content={**content(), **bad})
    assert field in caught.value.problems
    assert assessments.list_assessments(database, sw) == before


def _two_people(database, bank, sw, make_member, *, helper_checked_until=None, requires_checked=False):
    helper = make_member(bank, "Hamish")
    if helper_checked_until:
        members.set_safeguarding(database, bank.slug, helper.id, checked_on=TODAY - dt.timedelta(days=700),
                                 expires_on=helper_checked_until, today=TODAY)
    mary = make_member(bank, "Mary")
    need = assessments.record_assessment(database, sw, person_name="Mary", member_id=mary.id, content=content(
        needs=[{"text": "Someone to sit with my husband who has dementia", "category": "dementia_sitting",
                "requires_checked": requires_checked}]))
    offer = assessments.record_assessment(database, sw, person_name="Hamish", member_id=helper.id, content=content(
        location=NEAR_LEITH, capabilities=[{"text": "Can sit with a person with dementia",
                                            "category": "dementia_sitting", "status": "doing"}]))
    return need, offer, mary, helper


def test_a_match_run_proposes_the_helper_with_reasons(database, bank, staff, make_member):
    sw = staff["social_worker"]
    need, offer, _, _ = _two_people(database, bank, sw, make_member)
    run = matches.run_match(database, sw, today=TODAY)
    assert run.needs_count == 1 and run.proposed_count == 1
    proposal = run.proposals[0]
    assert proposal.status == "proposed"
    assert proposal.capability_person == "Hamish" and proposal.need_person == "Mary"
    assert proposal.reasons and any("km" in r for r in proposal.reasons)


def test_an_expired_safeguarding_check_removes_the_helper_from_needs_that_require_one(
        database, bank, staff, make_member):
    sw = staff["social_worker"]
    _two_people(database, bank, sw, make_member, helper_checked_until=TODAY - dt.timedelta(days=1),
                requires_checked=True)
    run = matches.run_match(database, sw, today=TODAY)
    assert run.proposals[0].status == "unmatched" and run.proposals[0].capability_person is None
    assert run.unmatched and run.unmatched[0].reasons


def test_a_current_safeguarding_check_lets_the_helper_meet_such_a_need(database, bank, staff, make_member):
    sw = staff["social_worker"]
    _two_people(database, bank, sw, make_member, helper_checked_until=TODAY + dt.timedelta(days=30),
                requires_checked=True)
    assert matches.run_match(database, sw, today=TODAY).proposals[0].status == "proposed"


def test_no_consent_means_no_matching(database, bank, staff):
    sw = staff["social_worker"]
    assessments.record_assessment(database, sw, person_name="Mary", content=content(
        consent=False, needs=[{"text": "Help with shopping", "category": "shopping"}]))
    assessments.record_assessment(database, sw, person_name="Sid", content=content(
        capabilities=[{"text": "Happy to do shopping", "category": "shopping"}]))
    assert matches.run_match(database, sw, today=TODAY).needs_count == 0


def test_accepting_records_an_introduction_and_links_a_request_and_an_offer(database, bank, staff, make_member):
    sw = staff["social_worker"]
    _, _, mary, hamish = _two_people(database, bank, sw, make_member)
    proposal = matches.run_match(database, sw, today=TODAY).proposals[0]
    introduction = matches.accept_proposal(database, sw, proposal.id)
    assert introduction.status == "open" and introduction.helper_person == "Hamish"
    requests = requests_offers.member_requests(database, bank.slug, mary.id)
    assert [r.id for r in requests] == [introduction.help_request_id]
    assert [o.id for o in requests_offers.member_offers(database, bank.slug, hamish.id)] == [introduction.offer_id]
    with pytest.raises(NotAllowed):
        matches.accept_proposal(database, sw, proposal.id)
    # The need is introduced: the next run leaves it out, and the helper is at capacity.
    assert matches.run_match(database, sw, today=TODAY).needs_count == 0


def test_rejecting_needs_a_reason(database, bank, staff, make_member):
    sw = staff["social_worker"]
    _two_people(database, bank, sw, make_member)
    proposal = matches.run_match(database, sw, today=TODAY).proposals[0]
    with pytest.raises(ReasonRequired):
        matches.reject_proposal(database, sw, proposal.id, reason="  ")
    matches.reject_proposal(database, sw, proposal.id, reason="They have met and did not get on")
    run = matches.latest_run(database, sw)
    assert run.proposals[0].status == "rejected"
    assert run.proposals[0].decision_reason == "They have met and did not get on"


def test_outcomes_are_recorded_from_both_sides(database, bank, staff, make_member):
    sw = staff["social_worker"]
    _two_people(database, bank, sw, make_member)
    introduction = matches.accept_proposal(database, sw, matches.run_match(database, sw, today=TODAY).proposals[0].id)
    matches.record_outcome(database, sw, introduction.id, side="helped", help_happened=True,
                           difference="a_lot", comment="I get out of the house now")
    view = matches.record_outcome(database, sw, introduction.id, side="helper", help_happened=True,
                                  difference="a_little")
    assert {(o.side, o.difference) for o in view.outcomes} == {("helped", "a_lot"), ("helper", "a_little")}
    closed = matches.close_introduction(database, sw, introduction.id)
    assert closed.status == "closed"
