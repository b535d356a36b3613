"""Each notice is written with the event that causes it, in its transaction, and not
without it (both databases): an exchange waiting, one declined, an answer, a helper
chosen, a member asked from their offer and their yes or no, a welcome, a reset link
(a member's, and a staff sign-in's). A member's turned-off kinds are not written; a key is
written once; members without email go to the coordinator's list."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import Exchange, HelpAnswer, HelpRequest, Member, Notice, PasswordReset, User
from timebank.domain import notices as rules
from timebank.domain.errors import InvalidInput, NotAllowed, NoticeInvalid, NoticeLinkInvalid
from timebank.services import auth, helping, ledger, members, notices, requests_offers

JOINED = dt.date.today() - dt.timedelta(days=30)
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _notices(database, bank, **where):
    with database.session(readonly=True) as session:
        query = sa.select(Notice).where(Notice.bank_id == bank.id,
                                        *[getattr(Notice, k) == v for k, v in where.items()])
        return session.scalars(query.order_by(Notice.id)).all()


@pytest.fixture
def ann_and_dot(database, bank, make_member):
    ann = make_member(bank, "Ann Smith", email="ann@example.org", joined_on=JOINED)
    dot = make_member(bank, "Dot Brown", joined_on=JOINED)  # no email: the coordinator tells her
    return ann, dot


def _propose(database, bank, by, other, **extra):
    return ledger.propose_exchange(database, bank.slug, member_id=by.id, provider_id=by.id, receiver_id=other.id,
                                   minutes=60, given_on=YESTERDAY, description="Gardening", **extra)


def test_an_exchange_logged_by_a_member_tells_the_other_member_once(database, bank, ann_and_dot):
    ann, dot = ann_and_dot
    exchange = _propose(database, bank, dot, ann, idempotency_key="form-1")
    _propose(database, bank, dot, ann, idempotency_key="form-1")  # the form sent twice

    [notice] = _notices(database, bank)
    assert (notice.kind, notice.member_id, notice.channel, notice.state) == (
        "exchange_waiting", ann.id, "email", "waiting")
    assert notice.facts["exchange_id"] == exchange.id and notice.facts["other_name"] == "Dot Brown"
    assert notice.facts["provider_is_you"] is False


def test_a_member_without_email_is_told_through_the_coordinators_list(database, bank, ann_and_dot):
    ann, dot = ann_and_dot
    exchange = _propose(database, bank, ann, dot)
    [notice] = _notices(database, bank)
    assert (notice.member_id, notice.channel) == (dot.id, "coordinator")

    [waiting] = notices.to_tell(database, bank.slug, base_url="https://bank.example.org")
    assert waiting.name == "Dot Brown" and "Ann Smith logged 1 hour" in waiting.words.subject
    notices.told(database, bank.slug, notice.id, told_by="coordinator:1")
    assert notices.to_tell(database, bank.slug, base_url="x") == []
    assert _notices(database, bank)[0].state == "sent"
    assert exchange.state == "pending"


def test_a_declined_exchange_tells_who_logged_it_with_the_reason(database, bank, ann_and_dot):
    ann, dot = ann_and_dot
    exchange = _propose(database, bank, ann, dot)
    ledger.decline_exchange(database, bank.slug, exchange.id, member_id=dot.id, settled_by="member",
                            reason="It was only half an hour")
    declined = _notices(database, bank, kind="exchange_declined")
    assert [(n.member_id, n.facts["reason"]) for n in declined] == [(ann.id, "It was only half an hour")]


def test_an_answer_tells_the_asker_and_a_choice_tells_the_helper_with_the_shared_contact(
        database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", email="jean@example.org", phone="0131 496 0001", joined_on=JOINED)
    helping.set_contact_sharing(database, bank.slug, asker.id, share_phone=True, share_email=False)
    helper = make_member(bank, "Al MacLeod", email="al@example.org", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id, message="I drive")
    [answered] = _notices(database, bank, kind="request_answered")
    assert answered.member_id == asker.id and answered.facts["helper_name"] == "Al MacLeod"

    detail = helping.request_detail(database, bank.slug, request.id, viewer_id=asker.id)
    helping.choose_helper(database, bank.slug, request.id, detail.answers[0].id, member_id=asker.id)
    [chosen] = _notices(database, bank, kind="helper_chosen")
    assert chosen.member_id == helper.id
    assert (chosen.facts["phone"], chosen.facts["email"]) == ("0131 496 0001", "")  # only what was shared


@pytest.fixture
def asker_and_offerer(database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", email="jean@example.org", phone="0131 496 0001", joined_on=JOINED)
    offerer = make_member(bank, "Al MacLeod", email="al@example.org", phone="0131 496 0002", joined_on=JOINED)
    helping.set_contact_sharing(database, bank.slug, offerer.id, share_phone=False, share_email=True)
    offer = requests_offers.offer_skill(database, bank.slug, member_id=offerer.id, description="Lifts by car")
    return asker, offerer, offer


def test_asking_a_member_from_their_offer_tells_them_and_their_yes_tells_the_asker_with_the_shared_contact(
        database, bank, asker_and_offerer):
    asker, offerer, offer = asker_and_offerer
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Monday",
                                    when_text="Monday 10am", idempotency_key="ask-form-1")
    helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Monday",
                            when_text="Monday 10am", idempotency_key="ask-form-1")  # the form sent twice

    [told] = _notices(database, bank)
    assert (told.kind, told.member_id, told.channel) == ("asked_to_help", offerer.id, "email")
    assert told.facts == {"request_id": asked.id, "asker_name": "Jean Paterson", "what": "A lift on Monday",
                          "when": "Monday 10am", "where": "", "has_sign_in": False}  # Al has no sign-in

    helping.answer_for(database, bank.slug, asked.id, answerer_id=offerer.id, accept=True)
    [yes] = _notices(database, bank, kind="ask_answered")
    assert yes.member_id == asker.id and yes.facts["said_yes"] is True
    assert (yes.facts["phone"], yes.facts["email"]) == ("", "al@example.org")  # only what Al shares


def test_a_no_from_the_member_asked_tells_the_asker_and_shares_no_contact(database, bank, asker_and_offerer):
    asker, offerer, offer = asker_and_offerer
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Friday")
    helping.decline_asked(database, bank.slug, asked.id, answerer_id=offerer.id, acting_member_id=offerer.id)
    [no] = _notices(database, bank, kind="ask_answered")
    assert no.member_id == asker.id and no.facts["said_yes"] is False
    assert (no.facts["phone"], no.facts["email"]) == ("", "")


def test_a_coordinator_asking_and_answering_for_members_without_email_puts_both_notices_on_the_list(
        database, bank, make_member):
    asker = make_member(bank, "Dot Brown", joined_on=JOINED)
    offerer = make_member(bank, "Jim Low", joined_on=JOINED)
    offer = requests_offers.offer_skill(database, bank.slug, member_id=offerer.id, description="Shopping")
    # The coordinator's pages call the same services, with the member they act for.
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="Shopping on Tuesday")
    answer = helping.request_detail(database, bank.slug, asked.id, viewer_id=None).answers[0]
    helping.choose_helper(database, bank.slug, asked.id, answer.id, member_id=None)  # "they said yes"
    by_kind = {n.kind: n for n in _notices(database, bank)}
    assert (by_kind["asked_to_help"].member_id, by_kind["asked_to_help"].channel) == (offerer.id, "coordinator")
    assert (by_kind["ask_answered"].member_id, by_kind["ask_answered"].channel) == (asker.id, "coordinator")
    assert by_kind["ask_answered"].facts["said_yes"] is True
    # Jim said yes (by phone): his letter says his yes was passed on, not that Dot chose him.
    jims = rules.render("helper_chosen", by_kind["helper_chosen"].facts, base_url="https://bank.example.org")
    assert jims.subject == "Your yes to Dot Brown is passed on" and "chose you" not in jims.body
    waiting = {t.label for t in notices.to_tell(database, bank.slug, base_url="https://bank.example.org")}
    assert {rules.KINDS["asked_to_help"].label, rules.KINDS["ask_answered"].label} <= waiting


def test_only_the_member_asked_can_say_yes_and_nobody_can_make_themselves_the_chosen_helper(
        database, bank, asker_and_offerer, make_member):
    asker, offerer, offer = asker_and_offerer
    stranger = make_member(bank, "Tom Kerr", joined_on=JOINED)
    public = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="Help with a shelf")
    with pytest.raises(NotAllowed):
        helping.answer_for(database, bank.slug, public.id, answerer_id=stranger.id, accept=True)
    assert helping.request_detail(database, bank.slug, public.id, viewer_id=None).chosen is None
    assert _notices(database, bank, kind="ask_answered") == []


def test_a_staff_reset_link_goes_to_the_sign_ins_own_email_and_cannot_be_turned_off(database, bank):
    email = f"sw.{bank.slug}@example.org"
    link = auth.add_staff_sign_in(database, bank.slug, email=email, name="Sam Watt", role="social_worker")
    again = auth.issue_reset_link_by_operator(database, bank.slug, email)
    resets = _notices(database, bank, kind="password_reset")
    assert [(n.user_id, n.member_id, n.channel, n.facts["token"]) for n in resets] == [
        (link.user.id, None, "email", link.token), (link.user.id, None, "email", again.token)]
    assert link.emailed_to == again.emailed_to == email


def test_taking_a_member_on_with_an_email_welcomes_them_and_without_one_does_not(database, bank):
    with_email = members.take_member_on(database, bank.slug, "Kirsty Bell", email="kirsty@example.org",
                                        recorded_by="coordinator:1")
    members.take_member_on(database, bank.slug, "Jim Low", recorded_by="coordinator:1")
    welcomes = _notices(database, bank, kind="welcome")
    assert [n.member_id for n in welcomes] == [with_email.id]


def _member_with_sign_in(database, bank, coordinator_email):
    member = members.take_member_on(database, bank.slug, "Ann Reid", email=f"m.{coordinator_email}",
                                    sign_in_password="a long enough passphrase 42", recorded_by="coordinator:1")
    coordinator = auth.create_user(database, bank.slug, email=coordinator_email, name="Jo Reid",
                                   password="another long passphrase 42", role="coordinator")
    return member, coordinator


def test_a_reset_link_is_sent_too_and_a_member_cannot_turn_it_off(database, bank):
    member, coordinator = _member_with_sign_in(database, bank, f"jo.{bank.slug}@example.org")
    notices.set_turned_off(database, bank.slug, member.id, wanted_kinds=set())
    link = auth.issue_member_reset_link(database, bank.slug, issued_by=coordinator.id, member_id=member.id)
    [reset] = _notices(database, bank, kind="password_reset")
    assert reset.member_id == member.id and reset.facts["token"] == link.token


def test_a_kind_a_member_turned_off_is_not_written(database, bank, ann_and_dot):
    ann, dot = ann_and_dot
    notices.set_turned_off(database, bank.slug, ann.id, wanted_kinds={"exchange_declined"})
    assert not {c.name for c in notices.kind_choices(database, bank.slug, ann.id) if c.on} - {
        "exchange_declined", "password_reset"}
    _propose(database, bank, dot, ann)
    assert _notices(database, bank) == []


# ---------------------------------------------------------------- not without its event


def _exchange_waiting(database, bank, ann, dot):
    _propose(database, bank, dot, ann)


def _declined(database, bank, ann, dot):
    exchange = _propose(database, bank, ann, dot)
    ledger.decline_exchange(database, bank.slug, exchange.id, member_id=dot.id, settled_by="m", reason="No")


def _answered(database, bank, ann, dot):
    request = requests_offers.ask_for_help(database, bank.slug, member_id=ann.id, what="Help with a shelf")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=dot.id)


def _welcomed(database, bank, ann, dot):
    members.take_member_on(database, bank.slug, "New Person", email="new@example.org", recorded_by="c")


def _asked(database, bank, ann, dot):
    offer = requests_offers.offer_skill(database, bank.slug, member_id=dot.id, description="Shelves")
    helping.ask_this_person(database, bank.slug, offer.id, member_id=ann.id, what="Help with a shelf")


def _said_no(database, bank, ann, dot):
    offer = requests_offers.offer_skill(database, bank.slug, member_id=dot.id, description="Shelves")
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=ann.id, what="Help with a shelf")
    helping.decline_asked(database, bank.slug, asked.id, answerer_id=dot.id, acting_member_id=dot.id)


def _staff_reset(database, bank, ann, dot):
    email = f"staff.{bank.slug}@example.org"
    auth.create_user(database, bank.slug, email=email, name="Jo Reid", password="another long passphrase 42",
                     role="coordinator")
    auth.issue_reset_link_by_operator(database, bank.slug, email)


def _reset(database, bank, ann, dot):
    members.take_member_on(database, bank.slug, "Reset Person", email=f"r.{bank.slug}@example.org",
                           sign_in_password="a long enough passphrase 42", recorded_by="c")
    auth.issue_reset_link_by_operator(database, bank.slug, f"r.{bank.slug}@example.org")


#: Each event, the kind of notice it writes, and what of the event itself must not be
#: there when it fails (the declined and reset cases set their event up first: an
#: exchange waiting, a request asked, a sign-in).
EVENTS = {
    "exchange_waiting": ("exchange_waiting", _exchange_waiting, "exchanges_pending"),
    "exchange_declined": ("exchange_declined", _declined, None),
    "request_answered": ("request_answered", _answered, "answers"),
    "asked_to_help": ("asked_to_help", _asked, "requests_open"),
    "ask_answered": ("ask_answered", _said_no, "answers_declined"),
    "welcome": ("welcome", _welcomed, None),
    "password_reset": ("password_reset", _reset, "reset_links"),
    "staff_password_reset": ("password_reset", _staff_reset, "reset_links"),
}


def _event_rows(database, bank):
    def count(model, *where):
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(model.bank_id == bank.id, *where))

    with database.session(readonly=True) as session:
        return {
            "exchanges_pending": count(Exchange, Exchange.state == "pending"),
            "answers": count(HelpAnswer),
            "answers_declined": count(HelpAnswer, HelpAnswer.status == "declined"),
            "requests_open": count(HelpRequest, HelpRequest.status == "open"),
            "reset_links": session.scalar(sa.select(sa.func.count()).select_from(PasswordReset).join(
                User, User.id == PasswordReset.user_id).where(User.bank_id == bank.id)),
        }


class Boom(Exception):
    pass


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_an_event_that_fails_after_its_notice_is_added_leaves_no_notice_and_no_event(
        database, bank, ann_and_dot, monkeypatch, event):
    ann, dot = ann_and_dot
    kind, cause, undone = EVENTS[event]
    before = _event_rows(database, bank)
    real_write = notices.write

    def write_then_fail(uow, **notice):
        written = real_write(uow, **notice)
        assert written is not None and written.id is not None  # the notice is in the transaction
        if notice["kind"] == kind:
            raise Boom("the event fails after its notice was added")
        return written

    # Armed for the notice of the event's own kind only: what sets it up is written.
    monkeypatch.setattr(notices, "write", write_then_fail)
    with pytest.raises(Boom):
        cause(database, bank, ann, dot)
    assert [n.kind for n in _notices(database, bank) if n.kind == kind] == []
    if undone:
        assert _event_rows(database, bank)[undone] == before[undone]  # and the event itself is not there


def test_a_notice_key_is_written_once(database, bank, ann_and_dot):
    ann, _ = ann_and_dot
    with database.session() as session, session.begin():
        member = session.get(Member, ann.id)
        first = notices.write(session, kind="welcome", recipient=member, facts={"bank_name": "B", "name": "Ann",
                              "has_sign_in": False}, key="welcome.once")
        again = notices.write(session, kind="welcome", recipient=member, facts={"bank_name": "B", "name": "Ann",
                              "has_sign_in": False}, key="welcome.once")
        assert again.id == first.id
    assert len(_notices(database, bank)) == 1


def test_a_yes_taken_back_tells_the_asker_and_a_yes_again_is_told_again(database, bank, asker_and_offerer):
    asker, offerer, offer = asker_and_offerer
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Monday")
    helping.answer_for(database, bank.slug, asked.id, answerer_id=offerer.id, accept=True)
    helping.withdraw_answer(database, bank.slug, asked.id, answerer_id=offerer.id, acting_member_id=offerer.id)
    helping.answer_for(database, bank.slug, asked.id, answerer_id=offerer.id, accept=True)

    told = [(n.kind, n.notice_key) for n in _notices(database, bank) if n.member_id == asker.id]
    answer_id = helping.request_detail(database, bank.slug, asked.id, viewer_id=None).answers[0].id
    assert told == [("ask_answered", f"ask-answered.{asked.id}.{answer_id}.yes"),
                    ("helper_withdrew", f"helper-withdrew.{asked.id}.{answer_id}"),
                    ("ask_answered", f"ask-answered.{asked.id}.{answer_id}.yes.r1")]
    [withdrew] = _notices(database, bank, kind="helper_withdrew")
    assert withdrew.facts == {"request_id": asked.id, "helper_name": "Al MacLeod", "what": "A lift on Monday",
                              "has_sign_in": False}
    words = rules.render("helper_withdrew", withdrew.facts, base_url="https://bank.example.org")
    assert words.subject == "Al MacLeod can no longer help" and "Your coordinator can find someone" in words.body


def test_a_chosen_helper_taking_it_back_tells_the_asker_and_a_second_press_of_i_can_help_tells_nothing_new(
        database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", email="jean@example.org", joined_on=JOINED)
    helper = make_member(bank, "Al MacLeod", email="al@example.org", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id, message="I drive")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id, message="I drive a van")
    assert len(_notices(database, bank, kind="request_answered")) == 1  # the same offer, new words: no news

    answer = helping.request_detail(database, bank.slug, request.id, viewer_id=asker.id).answers[0]
    helping.choose_helper(database, bank.slug, request.id, answer.id, member_id=asker.id)
    assert _notices(database, bank, kind="helper_withdrew") == []
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=helper.id, acting_member_id=None)
    [withdrew] = _notices(database, bank, kind="helper_withdrew")
    assert withdrew.member_id == asker.id

    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id, message="I can now")
    assert len(_notices(database, bank, kind="request_answered")) == 2  # offered again: told again


def test_a_helper_who_was_not_chosen_taking_it_back_tells_nobody(database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", email="jean@example.org", joined_on=JOINED)
    helper = make_member(bank, "Al MacLeod", email="al@example.org", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id)
    helping.withdraw_answer(database, bank.slug, request.id, answerer_id=helper.id, acting_member_id=helper.id)
    assert _notices(database, bank, kind="helper_withdrew") == []


# ---------------------------------------------------------------- sign-ins, staff kinds, what a member sees


def _sign_in_for(database, bank, member, password="a long enough passphrase 42"):
    return auth.create_user(database, bank.slug, email=member.email, name=member.name, password=password,
                            role="member", member_id=member.id)


def test_a_notice_says_whether_its_member_can_sign_in_so_its_words_fit_them(database, bank, make_member):
    asker = make_member(bank, "Jean Paterson", email="jean@example.org", joined_on=JOINED)
    signed = make_member(bank, "Al MacLeod", email="al@example.org", joined_on=JOINED)
    unsigned = make_member(bank, "Kirsty Bell", email="kirsty@example.org", joined_on=JOINED)
    _sign_in_for(database, bank, signed)
    for member in (signed, unsigned):
        offer = requests_offers.offer_skill(database, bank.slug, member_id=member.id, description="Lifts")
        helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift")

    told = {n.member_id: n for n in _notices(database, bank, kind="asked_to_help")}
    assert (told[signed.id].facts["has_sign_in"], told[unsigned.id].facts["has_sign_in"]) == (True, False)
    base = "https://bank.example.org"
    can = rules.render("asked_to_help", told[signed.id].facts, base_url=base)
    cannot = rules.render("asked_to_help", told[unsigned.id].facts, base_url=base)
    assert "say yes or no on your page" in can.body and can.link == f"{base}/member/answers"
    assert "Please tell your coordinator yes or no" in cannot.body and "/member/" not in cannot.body


def test_a_staff_kind_is_never_written_to_a_member_offered_to_one_or_turned_off_by_one(database, bank, ann_and_dot):
    ann, _ = ann_and_dot
    with database.session() as session, session.begin(), pytest.raises(NoticeInvalid):
        notices.write(session, kind="safeguarding_expiring", recipient=session.get(Member, ann.id),
                      facts={"member_id": ann.id, "name": "Ann Smith", "expires_on": "2026-12-20"},
                      key="safeguarding.wrong")
    assert _notices(database, bank) == []
    offered = {c.name for c in notices.kind_choices(database, bank.slug, ann.id)}
    assert offered == set(rules.MEMBER_KINDS) and "follow_up_due" not in offered
    with pytest.raises(InvalidInput):
        notices.set_turned_off(database, bank.slug, ann.id, wanted_kinds={"exchange_waiting", "follow_up_due"})
    assert notices.turned_off(database, bank.slug, ann.id) == set()
    payload = f"{ann.id}.safeguarding_expiring"
    signed = f"{payload}.{rules._signature(b'the key', payload)}"
    with pytest.raises(NoticeLinkInvalid):
        notices.turn_off_by_link(database, signed, key="the key")
    assert notices.turned_off(database, bank.slug, ann.id) == set()


def test_a_member_sees_their_latest_twenty_messages_newest_first_without_a_reset_token(database, bank):
    member, coordinator = _member_with_sign_in(database, bank, f"jo.{bank.slug}@example.org")
    other = members.add_member(database, bank.slug, "Tom Kerr", email="tom@example.org", joined_on=JOINED)
    for number in range(25):
        ledger.propose_exchange(database, bank.slug, member_id=other.id, provider_id=other.id,
                                receiver_id=member.id, minutes=30 + number, given_on=dt.date.today(),
                                description=f"Job {number}")
    link = auth.issue_member_reset_link(database, bank.slug, issued_by=coordinator.id, member_id=member.id)

    seen = notices.sent_to_member(database, bank.slug, member.id)
    assert len(seen) == notices.LATEST_FOR_MEMBER == 20
    assert seen[0].subject == "A link to choose a new password" and seen[0].state == "waiting"
    assert seen[1].subject == "Tom Kerr logged 54 minutes: please confirm"
    assert [s.id for s in seen] == sorted((s.id for s in seen), reverse=True)
    assert all(link.token not in repr(s) for s in seen)
    assert notices.sent_to_member(database, bank.slug, other.id) == []  # Tom was sent nothing


def test_the_coordinators_list_gives_each_message_its_subject_so_a_yes_and_a_no_differ(
        database, bank, asker_and_offerer):
    asker, offerer, offer = asker_and_offerer
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Friday")
    helping.decline_asked(database, bank.slug, asked.id, answerer_id=offerer.id, acting_member_id=offerer.id)
    rows = {n.kind: n for n in notices.notice_page(database, bank.slug).items}
    assert rows["ask_answered"].subject == "Al MacLeod cannot help this time"
    assert rows["asked_to_help"].subject == "Jean Paterson asks if you can help"
