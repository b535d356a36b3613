"""Taking a member on (`members.take_member_on`): the member, their safeguarding check,
their welcome hours and their sign-in in one transaction, on both databases.

A refusal of any step writes nothing at all: no member, no account, no grant, no sign-in.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from timebank.db.models import Account, Exchange, Member, User
from timebank.domain import errors
from timebank.services import auth, ledger, members

TODAY = dt.date.today()
PASSWORD = "a long enough password"


def counts(database) -> tuple[int, ...]:
    with database.engine.connect() as connection:
        return tuple(connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                     for table in (Member, Account, Exchange, User))


def take_on(database, bank, **changes):
    details = dict(email=f"{uuid.uuid4().hex[:8]}@example.org", safeguarding_checked_on=TODAY,
                   safeguarding_expires_on=TODAY + dt.timedelta(days=365), welcome_minutes=120,
                   sign_in_password=PASSWORD, recorded_by="coordinator:1",
                   idempotency_key=uuid.uuid4().hex)
    details.update(changes)
    return members.take_member_on(database, bank.slug, "Eve", **details)


def test_every_step_is_done_together(database, bank):
    eve = take_on(database, bank)
    assert eve.safeguarding_expires_on == TODAY + dt.timedelta(days=365)
    assert ledger.balance(database, bank.slug, eve.id).balance_minutes == 120
    assert auth.user_for_member(database, bank.slug, eve.id).role == "member"


@pytest.mark.parametrize("step, changes, refusal", [
    ("the welcome hours, more than a day", {"welcome_minutes": 25 * 60}, errors.ExchangeTooLong),
    ("the sign-in, with a weak password", {"sign_in_password": "short"}, errors.WeakPassword),
    ("the sign-in, without an email", {"email": None}, errors.InvalidInput),
    ("the check, expiring before it was made",
     {"safeguarding_expires_on": TODAY - dt.timedelta(days=1)}, errors.InvalidInput),
])
def test_a_refused_step_writes_nothing(database, bank, step, changes, refusal):
    before = counts(database)
    with pytest.raises(refusal):
        take_on(database, bank, **changes)
    assert counts(database) == before, step


def test_welcome_hours_over_the_ceiling_write_nothing(database, make_bank):
    bank = make_bank(ceiling_minutes=60)
    before = counts(database)
    with pytest.raises(errors.BalanceAboveCeiling):
        take_on(database, bank, welcome_minutes=120)
    assert counts(database) == before


def test_an_email_that_already_has_a_sign_in_writes_nothing(database, bank, make_bank):
    elsewhere = take_on(database, make_bank())
    before = counts(database)
    with pytest.raises(errors.EmailTaken):
        take_on(database, bank, email=elsewhere.email)
    assert counts(database) == before


def test_the_same_form_sent_again_returns_the_member_and_does_no_step_twice(database, bank):
    key = uuid.uuid4().hex
    first = take_on(database, bank, email="eve-again@example.org", idempotency_key=key)
    before = counts(database)
    again = take_on(database, bank, email="eve-again@example.org", idempotency_key=key)
    assert (again.id, again.replayed, first.replayed) == (first.id, True, False)
    assert counts(database) == before
    assert ledger.balance(database, bank.slug, first.id).balance_minutes == 120


def test_the_same_key_with_other_details_is_refused(database, bank):
    key = uuid.uuid4().hex
    take_on(database, bank, idempotency_key=key)
    before = counts(database)
    with pytest.raises(errors.IdempotencyKeyReusedWithOtherDetails):
        take_on(database, bank, idempotency_key=key)
    assert counts(database) == before
