"""A yes taken back, on both databases: asked directly from their offer, the member who
said yes and then "I can no longer help" is asked again (they may say yes again, or no);
an "I can help" to a request asked of everyone is withdrawn, and may be given again; the
coordinator sees whom to put in touch when a helper is chosen and a way of contact is not
shared, on the request and on "Who to call"; and revision 0023 asks again those left withdrawn before."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from timebank.db import migrate
from timebank.db.models import HelpAnswer
from timebank.domain.errors import AnswerNotOpen
from timebank.services import contact_log, helping, requests_offers
from timebank.services.banks import create_bank
from timebank.services.members import add_member

JOINED = dt.date.today() - dt.timedelta(days=30)


@pytest.fixture
def asked(database, bank, make_member):
    """Morag asks Wei from his offer; Wei says yes."""
    morag = make_member(bank, "Morag Henderson", phone="0131 496 0101", joined_on=JOINED)
    wei = make_member(bank, "Wei Zhang", phone="0131 496 0102", email="wei@example.org", joined_on=JOINED)
    offer = requests_offers.offer_skill(database, bank.slug, member_id=wei.id, description="Lifts by car")
    request = helping.ask_this_person(database, bank.slug, offer.id, member_id=morag.id, what="A lift on Monday")
    helping.answer_for(database, bank.slug, request.id, answerer_id=wei.id, accept=True)
    return morag, wei, request


def _answer_row(database, request_id):
    with database.session(readonly=True) as session:
        return session.scalars(sa.select(HelpAnswer).where(HelpAnswer.request_id == request_id)).one()


def test_a_yes_taken_back_is_asked_again_and_may_be_given_again(database, bank, asked):
    morag, wei, request = asked
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=wei.id)

    seen = helping.request_detail(database, bank.slug, request.id, viewer_id=morag.id)
    assert seen.status == "open" and seen.chosen is None and seen.asker_contact is None
    [answer] = seen.answers
    assert (answer.status, answer.taken_back) == ("asked", True)
    assert (seen.stage.code, seen.stage.waiting_on) == ("asked_again", wei.id)
    row = next(r for r in helping.coordinator_requests(database, bank.slug).rows if r.request.id == request.id)
    assert row.waiting_words == "Wei Zhang took back their yes: waiting for them to say yes or no again"
    # Still between the two of them: not on the public list.
    assert request.id not in [r.id for r in requests_offers.list_requests(database, bank.slug)]

    again = helping.answer_for(database, bank.slug, request.id, answerer_id=wei.id, accept=True)
    assert again.chosen.member_id == wei.id and again.answers[0].taken_back is False


def test_asked_again_they_may_say_no(database, bank, asked):
    morag, wei, request = asked
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=wei.id)
    helping.decline_asked(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=wei.id)
    said_no = helping.request_detail(database, bank.slug, request.id, viewer_id=morag.id)
    assert said_no.status == "closed" and said_no.answers[0].status == "declined"


def test_the_coordinator_takes_back_a_yes_for_a_member_and_says_yes_again_for_them(database, bank, asked):
    _, wei, request = asked
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=None)
    [answer] = helping.request_detail(database, bank.slug, request.id, viewer_id=None).answers
    assert (answer.status, answer.taken_back) == ("asked", True)
    chosen = helping.choose_helper(database, bank.slug, request.id, answer.id, member_id=None)
    assert chosen.chosen.member_id == wei.id


def test_there_is_no_yes_to_take_back_before_one_is_given_and_nothing_is_written(database, bank, asked):
    morag, wei, request = asked
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=wei.id)
    before = _answer_row(database, request.id)
    with pytest.raises(AnswerNotOpen, match="no yes to take back"):
        helping.withdraw_answer(database, bank.slug, request.id, answerer_id=wei.id, acting_member_id=wei.id)
    after = _answer_row(database, request.id)
    assert (after.status, after.decided_at) == (before.status, before.decided_at)


def test_an_i_can_help_taken_back_is_withdrawn_and_may_be_given_again(database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", joined_on=JOINED)
    helper = make_member(bank, "Al MacLeod", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id)
    answer = helping.request_detail(database, bank.slug, request.id, viewer_id=asker.id).answers[0]
    helping.choose_helper(database, bank.slug, request.id, answer.id, member_id=asker.id)
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=helper.id, acting_member_id=helper.id)
    withdrawn = helping.request_detail(database, bank.slug, request.id, viewer_id=helper.id)
    assert (withdrawn.answers[0].status, withdrawn.answers[0].taken_back, withdrawn.stage.code) == (
        "withdrawn", False, "no_answer")
    assert request.id in [r.id for r in requests_offers.list_requests(database, bank.slug)]  # listed again

    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id, message="I can now")
    assert helping.request_detail(database, bank.slug, request.id, viewer_id=asker.id).answers[0].status == "waiting"


def test_the_coordinator_is_told_whom_to_put_in_touch_with_what_is_on_file(database, bank, asked):
    morag, wei, request = asked  # neither shares anything: the default
    seen = helping.request_detail(database, bank.slug, request.id, viewer_id=None)
    assert seen.cannot_reach == "both"
    assert seen.asker_on_file == helping.Contact("0131 496 0101", None)
    assert seen.helper_on_file == helping.Contact("0131 496 0102", "wei@example.org")
    # The two put in touch see only what is shared; what is on file is the coordinator's.
    for viewer in (morag.id, wei.id):
        mine = helping.request_detail(database, bank.slug, request.id, viewer_id=viewer)
        assert (mine.cannot_reach, mine.asker_on_file, mine.helper_on_file) == (None, None, None)

    helping.set_contact_sharing(database, bank.slug, wei.id, share_phone=True, share_email=False)
    assert helping.request_detail(database, bank.slug, request.id, viewer_id=None).cannot_reach == "asker"
    helping.set_contact_sharing(database, bank.slug, morag.id, share_phone=True, share_email=False)
    assert helping.request_detail(database, bank.slug, request.id, viewer_id=None).cannot_reach is None


def test_who_to_call_lists_the_pairs_to_put_in_touch_until_a_note_says_it_was_done(database, bank, asked):
    morag, wei, request = asked  # neither shares anything
    [pair] = contact_log.who_to_call(database, bank.slug).to_put_in_touch
    assert (pair.request_id, pair.asker.id, pair.helper.id, pair.cannot_reach, pair.waiting_days) == (
        request.id, morag.id, wei.id, "both", 0)
    assert pair.asker.phone == "0131 496 0101"

    contact_log.add_note(database, bank.slug, wei.id, text="Gave Wei Morag's number", author="Cora")
    assert contact_log.who_to_call(database, bank.slug).to_put_in_touch == ()


def test_who_to_call_leaves_off_the_pairs_who_can_reach_each_other(database, bank, asked):
    morag, wei, _ = asked
    for member in (morag, wei):
        helping.set_contact_sharing(database, bank.slug, member.id, share_phone=True, share_email=False)
    assert contact_log.who_to_call(database, bank.slug).to_put_in_touch == ()


def _answers_as_stored(database) -> dict[int, tuple[str, bool]]:
    """Each request's answer as the rows hold it: status, and whether it has a `decided_at`."""
    with database.engine.connect() as connection:
        return {r.request_id: (r.status, r.decided_at is not None) for r in connection.execute(
            sa.text("SELECT request_id, status, decided_at FROM help_answers"))}


def test_revision_0023_asks_again_a_yes_left_withdrawn_and_its_downgrade_withdraws_it_again(
        backend, database_factory):
    database = database_factory.migrated(backend)
    create_bank(database, "older", "Older bank")
    morag = add_member(database, "older", "Morag Henderson", joined_on=JOINED)
    asked = {}
    for name in ("Wei Zhang", "Niamh Kelly", "Iain Ross"):
        member = add_member(database, "older", name, joined_on=JOINED)
        offer = requests_offers.offer_skill(database, "older", member_id=member.id, description="Lifts by car")
        asked[name] = member, offer
    wei, offer = asked["Wei Zhang"]
    open_one = helping.ask_this_person(database, "older", offer.id, member_id=morag.id, what="A lift on Monday")
    closed_one = helping.ask_this_person(database, "older", offer.id, member_id=morag.id, what="A lift on Tuesday")
    # Asked and not answered yet: no yes, nothing to take back, before or after.
    fresh = helping.ask_this_person(database, "older", offer.id, member_id=morag.id, what="A lift on Sunday")
    suspended = helping.ask_this_person(database, "older", asked["Niamh Kelly"][1].id, member_id=morag.id,
                                        what="A lift on Wednesday")
    closed_member = helping.ask_this_person(database, "older", asked["Iain Ross"][1].id, member_id=morag.id,
                                            what="A lift on Thursday")
    public = requests_offers.ask_for_help(database, "older", member_id=morag.id, what="Some shopping")
    requests_offers.answer_request(database, "older", public.id, member_id=wei.id)
    left_withdrawn = [open_one.id, closed_one.id, suspended.id, closed_member.id, public.id]

    before = ScriptDirectory.from_config(migrate.alembic_config(database)).get_revision("0023").down_revision
    migrate.downgrade(database, before)
    with database.engine.begin() as connection:  # as withdrawing left them before this revision
        for request_id in left_withdrawn:
            connection.execute(sa.text("UPDATE help_answers SET status = 'withdrawn', decided_at = NULL "
                                       "WHERE request_id = :id"), {"id": request_id})
        connection.execute(sa.text("UPDATE help_requests SET status = 'closed' WHERE id = :id"),
                           {"id": closed_one.id})
        # Gone from members' sight (safeguarding, or their membership ended): not asked again.
        for name, status in (("Niamh Kelly", "suspended"), ("Iain Ross", "closed")):
            connection.execute(sa.text("UPDATE members SET status = :status WHERE id = :id"),
                               {"status": status, "id": asked[name][0].id})

    migrate.upgrade(database)
    answers = {r.id: helping.request_detail(database, "older", r.id, viewer_id=None).answers[0]
               for r in (open_one, closed_one, fresh, suspended, closed_member, public)}
    statuses = {i: (a.status, a.taken_back) for i, a in answers.items()}
    assert statuses == {open_one.id: ("asked", True), closed_one.id: ("withdrawn", False),
                        fresh.id: ("asked", False), suspended.id: ("withdrawn", False),
                        closed_member.id: ("withdrawn", False), public.id: ("withdrawn", False)}

    migrate.downgrade(database, before)
    # The yes asked again is withdrawn again, as it was; the fresh ask is left as it is.
    assert _answers_as_stored(database) == {
        open_one.id: ("withdrawn", True), closed_one.id: ("withdrawn", False), fresh.id: ("asked", False),
        suspended.id: ("withdrawn", False), closed_member.id: ("withdrawn", False),
        public.id: ("withdrawn", False)}
