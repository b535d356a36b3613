"""Each notice is written with the event that causes it, in its transaction, and not
without it (both databases): an exchange waiting, one declined, an answer, a helper
chosen, a welcome, a reset link. A member's turned-off kinds are not written; a key is
written once; members without email go to the coordinator's list."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import Exchange, HelpAnswer, Member, Notice
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


def _reset(database, bank, ann, dot):
    members.take_member_on(database, bank.slug, "Reset Person", email=f"r.{bank.slug}@example.org",
                           sign_in_password="a long enough passphrase 42", recorded_by="c")
    auth.issue_reset_link_by_operator(database, bank.slug, f"r.{bank.slug}@example.org")


EVENTS = {"exchange_waiting": _exchange_waiting, "exchange_declined": _declined,
          "request_answered": _answered, "welcome": _welcomed, "password_reset": _reset}


def _event_rows(database, bank):
    with database.session(readonly=True) as session:
        return (
            session.scalar(sa.select(sa.func.count()).select_from(Exchange).where(
                Exchange.bank_id == bank.id, Exchange.state == "pending")),
            session.scalar(sa.select(sa.func.count()).select_from(HelpAnswer).where(HelpAnswer.bank_id == bank.id)),
            session.scalar(sa.select(sa.func.count()).select_from(Member).where(Member.bank_id == bank.id)),
        )


class Boom(Exception):
    pass


@pytest.mark.parametrize("kind", sorted(EVENTS))
def test_an_event_that_fails_after_its_notice_is_added_leaves_no_notice_and_no_event(
        database, bank, ann_and_dot, monkeypatch, kind):
    ann, dot = ann_and_dot
    before = _event_rows(database, bank)
    real_write = notices.write

    def write_then_fail(uow, **notice):
        written = real_write(uow, **notice)
        assert written is not None and written.id is not None  # the notice is in the transaction
        if notice["kind"] == kind:
            raise Boom("the event fails after its notice was added")
        return written

    # The declined and reset cases set their event up first (an exchange waiting, a
    # sign-in), so the forced failure is armed for the notice of their own kind only.
    monkeypatch.setattr(notices, "write", write_then_fail)
    with pytest.raises(Boom):
        EVENTS[kind](database, bank, ann, dot)
    assert [n.kind for n in _notices(database, bank) if n.kind == kind] == []
    if kind in ("exchange_waiting", "request_answered"):
        assert _event_rows(database, bank) == before  # and the event itself is not there


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
