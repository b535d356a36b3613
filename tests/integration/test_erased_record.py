"""An erased member's record is final, on both databases: every service that would
reopen or change it refuses, with one clear error, and writes nothing."""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from timebank.db.models import HelpAnswer, Member, Notice
from timebank.domain.errors import MemberErased
from timebank.services import contact_log, erasure, helping, members, requests_offers

JOINED = dt.date.today() - dt.timedelta(days=30)

CHANGES = {
    "reactivate": lambda db, slug, m: members.set_member_status(db, slug, m, "active"),
    "suspend": lambda db, slug, m: members.set_member_status(db, slug, m, "suspended"),
    "limits": lambda db, slug, m: members.set_member_limits(db, slug, m, floor_minutes=0, ceiling_minutes=600),
    "safeguarding": lambda db, slug, m: members.set_safeguarding(
        db, slug, m, checked_on=dt.date.today(), expires_on=dt.date.today() + dt.timedelta(days=365)),
    "details": lambda db, slug, m: members.edit_member(db, slug, m, name="Back Again", email=None, phone=None,
                                                       area="Leith", kind="person"),
    "sign-in": lambda db, slug, m: members.add_sign_in(db, slug, m, email="back.again@example.org",
                                                       password="a long enough passphrase 42"),
    "note": lambda db, slug, m: contact_log.add_note(db, slug, m, text="Phoned", author="Cora"),
    "sharing": lambda db, slug, m: helping.set_contact_sharing(db, slug, m, share_phone=True, share_email=True),
    "asking": lambda db, slug, m: requests_offers.ask_for_help(db, slug, member_id=m, what="A lift"),
    "offering": lambda db, slug, m: requests_offers.offer_skill(db, slug, member_id=m, description="Lifts"),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_an_erased_member_cannot_be_reopened_or_changed(database, bank, make_member, change):
    member = make_member(bank, "Zeb Quill", email="zeb@example.org", phone="0131 496 0999", joined_on=JOINED)
    erasure.erase_member(database, bank.slug, member.id)
    before = members.get_member(database, bank.slug, member.id)

    with pytest.raises(MemberErased, match="cannot be changed or reopened"):
        CHANGES[change](database, bank.slug, member.id)

    assert members.get_member(database, bank.slug, member.id) == before
    assert contact_log.member_notes(database, bank.slug, member.id) == []


def test_an_erased_members_answer_is_refused(database, bank, make_member):
    asker = make_member(bank, "Ann Asker", joined_on=JOINED)
    zeb = make_member(bank, "Zeb Quill", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    erasure.erase_member(database, bank.slug, zeb.id)
    with pytest.raises(MemberErased):
        helping.answer_for(database, bank.slug, request.id, answerer_id=zeb.id)
    assert helping.request_detail(database, bank.slug, request.id, viewer_id=None).answers == ()


def _answers(database, request_id) -> dict[int, str]:
    with database.session(readonly=True) as session:
        return dict(session.execute(sa.select(HelpAnswer.member_id, HelpAnswer.status)
                                    .where(HelpAnswer.request_id == request_id)).all())


@pytest.mark.parametrize("leaves", ["erased", "suspended", "closed"])
def test_a_chosen_helper_who_leaves_is_released_and_the_asker_told(database, bank, make_member, leaves):
    asker = make_member(bank, "Ann Asker", email="ann@example.org", joined_on=JOINED)
    zeb = make_member(bank, "Zeb Quill", joined_on=JOINED)
    bob = make_member(bank, "Bob Other", joined_on=JOINED)
    request = requests_offers.ask_for_help(database, bank.slug, member_id=asker.id, what="A lift on Friday")
    for helper in (zeb, bob):
        requests_offers.answer_request(database, bank.slug, request.id, member_id=helper.id)
    zebs = next(a for a in helping.request_detail(database, bank.slug, request.id, viewer_id=None).answers
                if a.member_id == zeb.id)
    helping.choose_helper(database, bank.slug, request.id, zebs.id, member_id=asker.id)
    assert _answers(database, request.id) == {zeb.id: "chosen", bob.id: "thanked"}

    if leaves == "erased":
        erasure.erase_member(database, bank.slug, zeb.id)
    else:
        members.set_member_status(database, bank.slug, zeb.id, leaves)

    # Nobody is left waiting on them: Bob may be chosen now, and Ann is told.
    assert _answers(database, request.id) == {zeb.id: "withdrawn", bob.id: "waiting"}
    with database.session(readonly=True) as session:
        told = session.scalars(sa.select(Notice).where(Notice.bank_id == bank.id, Notice.kind == "helper_withdrew",
                                                       Notice.member_id == asker.id)).all()
    assert len(told) == 1
    assert told[0].facts["helper_name"] == ("a former member" if leaves == "erased" else "Zeb Quill")


def test_a_member_asked_directly_who_left_is_not_asked_again_when_their_yes_is_taken_back(
        database, bank, make_member):
    asker = make_member(bank, "Ann Asker", joined_on=JOINED)
    zeb = make_member(bank, "Zeb Quill", joined_on=JOINED)
    offer = requests_offers.offer_skill(database, bank.slug, member_id=zeb.id, description="Lifts by car")
    asked = helping.ask_this_person(database, bank.slug, offer.id, member_id=asker.id, what="A lift on Monday")
    helping.answer_for(database, bank.slug, asked.id, answerer_id=zeb.id, accept=True)
    # Suspended without the release (an older record): taking their yes back asks no one again.
    with database.session() as session, session.begin():
        session.execute(sa.update(Member).where(Member.id == zeb.id).values(status="suspended"))
    helping.withdraw_answer(database, bank.slug, asked.id, answerer_id=zeb.id, acting_member_id=None)
    assert _answers(database, asked.id) == {zeb.id: "withdrawn"}
