"""A request reaches a helper, on both databases: answers, one chosen helper (even when
two choices race), contacts for the two put in touch only, the hours logged from the
request once, offers asked directly, and edits and withdrawals by their owners only."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from tests.integration.bank_harness import run_together
from timebank.db.models import HelpAnswer, HelpRequest
from timebank.domain.errors import (
    AnswerNotOpen,
    Conflict,
    HelperAlreadyChosen,
    NotAllowed,
    RequestNotOpen,
    UnknownRequest,
)
from timebank.services import helping, requests_offers

YESTERDAY = dt.date.today() - dt.timedelta(days=1)
# A month ago, so help given yesterday is after each joined.
JOINED = dt.date.today() - dt.timedelta(days=30)


@pytest.fixture
def people(database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", phone="0131 496 0001", joined_on=JOINED)
    helping.set_contact_sharing(database, bank.slug, asker.id, share_phone=True, share_email=False)
    alasdair = make_member(bank, "Alasdair MacLeod", phone="0131 496 0002", email="al@example.org", joined_on=JOINED)
    helping.set_contact_sharing(database, bank.slug, alasdair.id, share_phone=False, share_email=True)
    tomasz = make_member(bank, "Tomasz Nowak", phone="0131 496 0003", joined_on=JOINED)
    return asker, alasdair, tomasz


def _asked_and_answered(database, bank, people):
    asker, alasdair, tomasz = people
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id,
                                           what="A lift to the optician on Friday")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=alasdair.id, message="I drive")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=tomasz.id)
    detail = helping.request_detail(database, bank.slug, request.id, viewer_id=asker.id)
    return detail, {a.member_id: a.id for a in detail.answers}


def test_the_asker_chooses_one_helper_and_the_others_are_thanked(database, bank, people):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    assert detail.stage.code == "waiting_for_choice" and detail.asker_contact is None

    chosen = helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=asker.id)

    assert chosen.chosen.member_id == alasdair.id
    assert {a.member_id: a.status for a in chosen.answers} == {alasdair.id: "chosen", tomasz.id: "thanked"}
    # Each sees only what the other agreed to share.
    assert chosen.helper_contact == helping.Contact(phone=None, email="al@example.org")
    assert chosen.asker_contact == helping.Contact(phone="0131 496 0001", email=None)
    seen_by_helper = helping.request_detail(database, bank.slug, detail.id, viewer_id=alasdair.id)
    assert seen_by_helper.asker_contact.phone == "0131 496 0001"
    seen_by_thanked = helping.request_detail(database, bank.slug, detail.id, viewer_id=tomasz.id)
    assert seen_by_thanked.asker_contact is None and seen_by_thanked.helper_contact is None
    assert [a.status for a in seen_by_thanked.answers] == ["thanked"]
    # A request with a helper leaves the public list.
    assert detail.id not in [r.id for r in requests_offers.list_requests(database, bank.slug)]


def test_only_the_asker_or_a_coordinator_may_choose(database, bank, people):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    with pytest.raises(NotAllowed):
        helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=tomasz.id)
    assert helping.request_detail(database, bank.slug, detail.id, viewer_id=None).chosen is None
    by_coordinator = helping.choose_helper(database, bank.slug, detail.id, answer_ids[tomasz.id], member_id=None)
    assert by_coordinator.chosen.member_id == tomasz.id


def test_a_withdrawn_answer_cannot_be_chosen_and_nothing_is_written(database, bank, people):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    helping.withdraw_answer(database, bank.slug, detail.id, answerer_id=tomasz.id, acting_member_id=tomasz.id)
    with pytest.raises(AnswerNotOpen):
        helping.choose_helper(database, bank.slug, detail.id, answer_ids[tomasz.id], member_id=asker.id)
    after = helping.request_detail(database, bank.slug, detail.id, viewer_id=None)
    assert {a.member_id: a.status for a in after.answers} == {alasdair.id: "waiting", tomasz.id: "withdrawn"}


def test_a_second_choice_is_refused(database, bank, people):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=asker.id)
    with pytest.raises(HelperAlreadyChosen):
        helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=None)


def test_two_choices_at_once_leave_exactly_one_chosen_helper(database, bank, people, make_member):
    asker = people[0]
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="Shopping")
    helpers = [make_member(bank, f"Helper {i}") for i in range(6)]
    for helper in helpers:
        requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id)
    answers = helping.request_detail(database, bank.slug, request.id, viewer_id=None).answers

    # The asker on one device and the coordinator on another, each choosing someone else.
    outcomes = run_together(len(answers), lambda i: helping.choose_helper(
        database, bank.slug, request.id, answers[i].id, member_id=asker.id if i % 2 else None))

    won = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(won) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if isinstance(o, Exception)), outcomes
    with database.session(readonly=True) as session:
        statuses = session.scalars(sa.select(HelpAnswer.status).where(HelpAnswer.request_id == request.id)).all()
    assert sorted(statuses) == ["chosen"] + ["thanked"] * (len(answers) - 1)


def test_the_hours_are_logged_from_the_request_once_and_close_it(database, bank, people, ledger_state):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    with pytest.raises(AnswerNotOpen):  # nobody chosen yet
        helping.log_hours_from_request(database, bank.slug, detail.id, minutes=90, given_on=YESTERDAY,
                                       acting_member_id=None, recorded_by="coordinator")
    helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=asker.id)
    with pytest.raises(NotAllowed):  # the thanked helper
        helping.log_hours_from_request(database, bank.slug, detail.id, minutes=90, given_on=YESTERDAY,
                                       acting_member_id=tomasz.id, recorded_by=f"member:{tomasz.id}")

    exchange = helping.log_hours_from_request(database, bank.slug, detail.id, minutes=90, given_on=YESTERDAY,
                                              acting_member_id=None, recorded_by="coordinator")

    assert (exchange.provider_member_id, exchange.receiver_member_id) == (alasdair.id, asker.id)
    assert exchange.amount_minutes == 90 and exchange.description == "A lift to the optician on Friday"
    done = helping.request_detail(database, bank.slug, detail.id, viewer_id=asker.id)
    assert done.status == "closed" and done.exchange_id == exchange.id and done.stage.code == "done"
    before = ledger_state(bank)
    with pytest.raises(RequestNotOpen):
        helping.log_hours_from_request(database, bank.slug, detail.id, minutes=90, given_on=YESTERDAY,
                                       acting_member_id=None, recorded_by="coordinator")
    assert ledger_state(bank) == before


def test_a_member_logging_from_the_request_waits_for_the_other_to_confirm(database, bank, people):
    asker, alasdair, _ = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=asker.id)
    exchange = helping.log_hours_from_request(database, bank.slug, detail.id, minutes=60, given_on=YESTERDAY,
                                              acting_member_id=asker.id, recorded_by=f"member:{asker.id}")
    assert exchange.state == "pending" and exchange.initiated_by_member_id == asker.id


def test_asking_the_person_behind_an_offer_and_their_yes_or_no(database, bank, people):
    asker, alasdair, tomasz = people
    offer = requests_offers.offer_skill(database, bank.slug, member_id=alasdair.id, description="Lifts by car")
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Monday")
    assert asked.stage.code == "asked" and asked.stage.waiting_on == alasdair.id
    assert asked.id not in [r.id for r in requests_offers.list_requests(database, bank.slug)]
    with pytest.raises(UnknownRequest):  # to anyone else, a request made to Alasdair is not there
        requests_offers.answer_request(database, bank.slug, asked.id, member_id=tomasz.id)
    with pytest.raises(UnknownRequest):  # nor can they read its state by saying yes to it
        helping.answer_for(database, bank.slug, asked.id, answerer_id=tomasz.id, accept=True)
    [asked_answer] = helping.request_detail(database, bank.slug, asked.id, viewer_id=asker.id).answers
    with pytest.raises(NotAllowed, match="has not said yes yet"):  # only Alasdair's yes makes him the helper
        helping.choose_helper(database, bank.slug, asked.id, asked_answer.id, member_id=asker.id)
    assert helping.request_detail(database, bank.slug, asked.id, viewer_id=asker.id).chosen is None
    accepted = helping.answer_for(database, bank.slug, asked.id, answerer_id=alasdair.id, accept=True)
    assert accepted.chosen.member_id == alasdair.id and accepted.asker_contact is not None

    second = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="Another lift")
    helping.decline_asked(database, bank.slug, second.id, answerer_id=alasdair.id, acting_member_id=alasdair.id)
    said_no = helping.request_detail(database, bank.slug, second.id, viewer_id=asker.id)
    assert said_no.status == "closed" and said_no.answers[0].status == "declined"


def test_owners_edit_and_withdraw_their_own_and_nobody_else_s(database, bank, people):
    asker, alasdair, tomasz = people
    detail, _ = _asked_and_answered(database, bank, people)
    with pytest.raises(NotAllowed):
        helping.edit_request(database, bank.slug, detail.id, member_id=tomasz.id, what="Changed")
    helping.edit_request(database, bank.slug, detail.id, member_id=asker.id, what="A lift on Saturday")
    helping.edit_answer(database, bank.slug, detail.id, answerer_id=alasdair.id, message="Saturday is fine")
    with pytest.raises(NotAllowed):
        helping.withdraw_answer(database, bank.slug, detail.id, answerer_id=alasdair.id,
                                acting_member_id=tomasz.id)
    after = helping.request_detail(database, bank.slug, detail.id, viewer_id=asker.id)
    assert after.what == "A lift on Saturday"
    assert after.answer_of(alasdair.id).message == "Saturday is fine"
    assert after.answer_of(alasdair.id).status == "waiting"

    offer = requests_offers.offer_skill(database, bank.slug, member_id=tomasz.id, description="Gardening")
    with pytest.raises(NotAllowed):
        helping.edit_offer(database, bank.slug, offer.id, member_id=asker.id, description="Mine now")
    helping.edit_offer(database, bank.slug, offer.id, member_id=tomasz.id, description="Gardening, weeding")
    assert requests_offers.member_offers(database, bank.slug, tomasz.id)[0].description == "Gardening, weeding"


def test_a_chosen_helper_who_withdraws_reopens_the_choice(database, bank, people):
    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    helping.choose_helper(database, bank.slug, detail.id, answer_ids[alasdair.id], member_id=asker.id)
    helping.withdraw_answer(database, bank.slug, detail.id, answerer_id=alasdair.id, acting_member_id=alasdair.id)
    after = helping.request_detail(database, bank.slug, detail.id, viewer_id=None)
    assert after.stage.code == "waiting_for_choice" and after.answer_of(tomasz.id).status == "waiting"


def test_the_coordinator_list_says_what_waits_on_whom_and_pages(database, bank, people, make_member):
    asker, alasdair, tomasz = people
    detail, _ = _asked_and_answered(database, bank, people)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    page = helping.coordinator_requests(database, bank.slug, now=later)
    row = next(r for r in page.rows if r.request.id == detail.id)
    assert row.age == "3 days"
    assert row.waiting_words == "Answered, waiting for Jean Paterson to choose"
    # Nobody in this bank has a sign-in: the coordinator passes it on.
    assert row.no_sign_in == ("Jean Paterson",)
    for i in range(helping.PAGE_SIZE):
        requests_offers.ask_for_help(database, bank.slug, member_id=tomasz.id, what=f"Request {i}")
    first, second = (helping.coordinator_requests(database, bank.slug, page=n) for n in (1, 2))
    assert first.total == helping.PAGE_SIZE + 1 and first.has_next and not second.has_next
    assert len(first.rows) == helping.PAGE_SIZE and len(second.rows) == 1
    assert first.rows[0].waiting_words.startswith("Answered")  # oldest first


def test_contact_sharing_defaults_to_nothing(database, bank, make_member):
    member = make_member(bank, "Zoe", phone="0131 496 0009", email="zoe@example.org")
    sharing = helping.contact_sharing(database, bank.slug, member.id)
    assert (sharing.share_phone, sharing.share_email) == (False, False)
    with database.session(readonly=True) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(HelpRequest)
                              .where(HelpRequest.member_id == member.id)) == 0


def test_a_suspended_member_s_answer_is_hidden_from_members_and_cannot_be_chosen(database, bank, people):
    from timebank.domain.errors import MemberNotActive
    from timebank.services import members

    asker, alasdair, tomasz = people
    detail, answer_ids = _asked_and_answered(database, bank, people)
    members.set_member_status(database, bank.slug, tomasz.id, "suspended")
    seen = helping.request_detail(database, bank.slug, detail.id, viewer_id=asker.id)
    assert [a.member_id for a in seen.answers] == [alasdair.id]
    with pytest.raises(MemberNotActive):
        helping.choose_helper(database, bank.slug, detail.id, answer_ids[tomasz.id], member_id=None)
    assert helping.request_detail(database, bank.slug, detail.id, viewer_id=None).chosen is None


def test_the_member_asked_can_still_say_yes_after_the_lists_would_have_expired_it(database, bank, people):
    asker, alasdair, _ = people
    offer = requests_offers.offer_skill(database, bank.slug, member_id=alasdair.id, description="Lifts by car")
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift in spring")
    with database.engine.begin() as connection:  # asked a year ago: a listed request would have expired
        connection.execute(sa.update(HelpRequest).where(HelpRequest.id == asked.id).values(
            renewed_on=dt.date.today() - dt.timedelta(days=400)))
    accepted = helping.answer_for(database, bank.slug, asked.id, answerer_id=alasdair.id, accept=True)
    assert accepted.chosen.member_id == alasdair.id


def test_the_coordinators_open_requests_put_the_longest_waiting_first_by_the_day_asked(database, bank, people):
    ann = people[0]
    recent = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="Asked this morning")
    # Recorded after it, for a day weeks before (asked by phone, typed in later).
    weeks_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=20)
    older = requests_offers.ask_for_help(database, bank.slug, member_id=people[2].id, what="Asked by phone weeks ago",
                                         asked_at=weeks_ago)
    listed = [r.request.id for r in helping.coordinator_requests(database, bank.slug).rows]
    assert listed.index(older.id) < listed.index(recent.id)
