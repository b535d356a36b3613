"""An erased member's record is final, on both databases: every service that would
reopen or change it refuses, with one clear error, and writes nothing."""
from __future__ import annotations

import datetime as dt

import pytest

from timebank.domain.errors import MemberErased
from timebank.services import contact_log, erasure, members

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
