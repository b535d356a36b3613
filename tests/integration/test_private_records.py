"""Records out of a caller's reach read as if they did not exist, on both databases.

An introduction's request and offer are between the two people introduced; a closed or
suspended member's requests and offers leave the lists; another bank's member reads as
an unknown one; and every read or change of assessment words is in the access log.
"""
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.db.models import AssessmentAccess
from timebank.domain.errors import NotAllowed, UnknownMember, UnknownOffer, UnknownRequest
from timebank.services import assessments, auth, matches, members, requests_offers
from timebank.services.ledger import balance

TODAY = dt.date.today()
NEED = "Someone to sit with my husband who has dementia"
CAPABILITY = "Can sit with a person with dementia"


def _content(*, needs=(), capabilities=()):
    return {"consent": True, "consent_on": TODAY.isoformat(), "area": "Leith", "latitude": 55.97,
            "longitude": -3.17, "availability": None, "needs": list(needs), "capabilities": list(capabilities)}


@pytest.fixture
def introduced(database, bank, social_worker, make_member):
    """Mary (helped) introduced to Hamish (helper), and Eve, a member who was not."""
    mary, hamish, eve = make_member(bank, "Mary"), make_member(bank, "Hamish"), make_member(bank, "Eve")
    assessments.record_assessment(database, social_worker, person_name="Mary", member_id=mary.id, content=_content(
        needs=[{"text": NEED, "category": None}]))
    assessments.record_assessment(database, social_worker, person_name="Hamish", member_id=hamish.id,
                                  content=_content(capabilities=[{"text": CAPABILITY, "status": "doing"}]))
    run = matches.run_match(database, social_worker, today=TODAY)
    introduction = matches.accept_proposal(database, social_worker, run.proposals[0].id)
    return {"mary": mary, "hamish": hamish, "eve": eve, "introduction": introduction, "run": run}


def _unknown_words(error_class, call, record_id: int) -> str:
    """The words an unknown id of this kind is answered with, for the id `record_id`."""
    missing = 10**9
    with pytest.raises(error_class) as unknown:
        call(missing)
    return unknown.value.message.replace(str(missing), str(record_id))


# ---------------------------------------------------------------- M-1


def test_a_member_who_was_not_introduced_cannot_answer_an_introductions_request(database, bank, introduced):
    request_id = introduced["introduction"].help_request_id
    eve = introduced["eve"].id
    with pytest.raises(UnknownRequest) as refused:
        requests_offers.answer_request(database, bank.slug, request_id, member_id=eve, message="Hello")
    assert refused.value.message == _unknown_words(
        UnknownRequest, lambda i: requests_offers.answer_request(database, bank.slug, i, member_id=eve), request_id)
    assert requests_offers.member_requests(database, bank.slug, introduced["mary"].id)[0].answers == ()


def test_a_member_who_was_not_introduced_cannot_close_or_withdraw_an_introductions_records(
        database, bank, introduced):
    introduction, eve = introduced["introduction"], introduced["eve"].id
    with pytest.raises(UnknownRequest):
        requests_offers.close_request(database, bank.slug, introduction.help_request_id, member_id=eve)
    with pytest.raises(UnknownOffer) as refused:
        requests_offers.withdraw_offer(database, bank.slug, introduction.offer_id, member_id=eve)
    assert refused.value.message == _unknown_words(
        UnknownOffer, lambda i: requests_offers.withdraw_offer(database, bank.slug, i, member_id=eve),
        introduction.offer_id)
    assert requests_offers.member_requests(database, bank.slug, introduced["mary"].id)[0].status == "open"
    assert requests_offers.member_offers(database, bank.slug, introduced["hamish"].id)[0].active


def test_the_helper_introduced_can_answer_the_introductions_request(database, bank, introduced):
    answered = requests_offers.answer_request(database, bank.slug, introduced["introduction"].help_request_id,
                                              member_id=introduced["hamish"].id, message="See you Tuesday")
    assert [a.member_id for a in answered.answers] == [introduced["hamish"].id]


# ---------------------------------------------------------------- L-5 and L-6


@pytest.mark.parametrize("status", ["closed", "suspended"])
def test_closing_or_suspending_a_member_closes_their_open_requests_and_offers(
        database, bank, make_member, status):
    jean, ann = make_member(bank, "Jean"), make_member(bank, "Ann")
    requests_offers.ask_for_help(database, bank.slug, member_id=jean.id, what="Weekly shop while my hip mends")
    requests_offers.offer_skill(database, bank.slug, member_id=jean.id, description="Knitting lessons")
    members.set_member_status(database, bank.slug, jean.id, status)
    assert [r.status for r in requests_offers.member_requests(database, bank.slug, jean.id)] == ["closed"]
    assert [o.active for o in requests_offers.member_offers(database, bank.slug, jean.id)] == [False]
    assert requests_offers.list_requests(database, bank.slug) == []
    assert requests_offers.list_offers(database, bank.slug) == []
    assert ann.id  # a member of the same bank sees neither


def test_a_suspended_members_request_cannot_be_answered_and_reads_as_unknown(database, bank, make_member):
    jean, ann = make_member(bank, "Jean"), make_member(bank, "Ann")
    request = requests_offers.ask_for_help(database, bank.slug, member_id=jean.id, what="Weekly shop")
    members.set_member_status(database, bank.slug, jean.id, "suspended")
    with pytest.raises(UnknownRequest) as refused:
        requests_offers.answer_request(database, bank.slug, request.id, member_id=ann.id)
    assert "Jean" not in refused.value.message


# ---------------------------------------------------------------- L-4


def test_a_member_of_another_bank_reads_as_an_unknown_member(database, bank, make_bank, make_member):
    stranger = make_member(make_bank(), "Stranger")
    with pytest.raises(UnknownMember) as refused:
        balance(database, bank.slug, stranger.id)
    assert refused.value.message == _unknown_words(
        UnknownMember, lambda i: balance(database, bank.slug, i), stranger.id)
    assert "another" not in refused.value.message


def test_a_taken_email_refuses_a_sign_in_without_saying_that_it_has_one(database, bank, make_bank):
    other = make_bank()
    email = f"taken-{uuid.uuid4().hex[:8]}@example.org"
    auth.create_user(database, other.slug, email=email, name="Taken", password="a long enough password",
                     role="coordinator")
    with pytest.raises(Exception) as refused:
        members.take_member_on(database, bank.slug, "Newcomer", email=email,
                               sign_in_password="a long enough password", recorded_by="test")
    assert "already has a sign-in" not in refused.value.message
    assert members.list_members(database, bank.slug) == []


# ---------------------------------------------------------------- L-7


def _log(database, bank) -> list[tuple]:
    with database.session(readonly=True) as session:
        return list(session.execute(sa.select(
            AssessmentAccess.assessment_id, AssessmentAccess.action, AssessmentAccess.why)
            .where(AssessmentAccess.bank_id == bank.id).order_by(AssessmentAccess.id)))


def _assessment_ids(database, social_worker) -> set[int]:
    return {s.id for s in assessments.list_assessments(database, social_worker)}


def test_reading_an_introduction_logs_both_assessments_it_shows(database, bank, social_worker, introduced):
    ids = _assessment_ids(database, social_worker)
    before = len(_log(database, bank))
    view = matches.get_introduction(database, social_worker, introduced["introduction"].id)
    assert view.need_text == NEED
    added = _log(database, bank)[before:]
    assert {row[0] for row in added} == ids and {row[1] for row in added} == {"view"}


def test_listing_introductions_logs_every_assessment_it_names(database, bank, social_worker, introduced):
    ids = _assessment_ids(database, social_worker)
    before = len(_log(database, bank))
    matches.list_introductions(database, social_worker)
    assert {row[0] for row in _log(database, bank)[before:]} == ids


def test_recording_an_outcome_and_closing_an_introduction_are_logged(database, bank, social_worker, introduced):
    need_id = min(_assessment_ids(database, social_worker))
    introduction_id = introduced["introduction"].id
    before = len(_log(database, bank))
    matches.record_outcome(database, social_worker, introduction_id, side="helped", help_happened=True,
                           difference="a_lot")
    matches.close_introduction(database, social_worker, introduction_id)
    added = [row for row in _log(database, bank)[before:] if row[0] == need_id]
    assert [row[1] for row in added] == ["outcome", "close"]


def test_reviewing_a_match_run_logs_every_assessment_it_shows(database, bank, social_worker, introduced):
    ids = _assessment_ids(database, social_worker)
    before = len(_log(database, bank))
    matches.get_run(database, social_worker, introduced["run"].id)
    assert {row[0] for row in _log(database, bank)[before:]} == ids


def test_a_coordinator_is_not_a_social_worker_for_introductions(database, bank, introduced):
    coordinator = auth.create_user(database, bank.slug, email=f"c-{uuid.uuid4().hex[:8]}@example.org",
                                   name="Cora", password="a long enough password", role="coordinator")
    with pytest.raises(NotAllowed):
        matches.get_introduction(database, coordinator, introduced["introduction"].id)
