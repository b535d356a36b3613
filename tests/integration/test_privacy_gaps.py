"""Erasure of decline reasons and its guard, retention of closed members, and wrong
second-factor codes counted in the database (issue 13), on SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import time

import pyotp
import pytest
import sqlalchemy as sa

from timebank.db.models import Exchange, Member, SecondFactor
from timebank.domain.errors import CodeRefused
from timebank.domain.privacy import FORMER_MEMBER, REMOVED
from timebank.domain.second_factor import MAX_REFUSED_CODES, REFUSED_CODES_WINDOW
from timebank.services import auth, erasure, ledger, members, retention, second_factor
from timebank.services.checks import check_ledger

NAME = "Zebedee Quillfeather"
PASSWORD = "a long enough password"


def _declined(database, bank, *, proposer, other, reason):
    pending = ledger.propose_exchange(database, bank.slug, member_id=proposer, provider_id=proposer,
                                      receiver_id=other, minutes=30, description="Some help")
    ledger.decline_exchange(database, bank.slug, pending.id, member_id=other, settled_by=f"member:{other}",
                            reason=reason)
    return pending.id


def _decline_reason(database, exchange_id):
    with database.session(readonly=True) as session:
        return session.scalar(sa.select(Exchange.decline_reason).where(Exchange.id == exchange_id))


def test_erasure_removes_the_decline_reasons_they_wrote_and_the_ones_written_to_them(database, bank, make_member):
    zeb, bob, cara = make_member(bank, NAME), make_member(bank, "Bob"), make_member(bank, "Cara")
    theirs = _declined(database, bank, proposer=bob.id, other=zeb.id, reason=f"{NAME} was away")
    to_them = _declined(database, bank, proposer=zeb.id, other=bob.id, reason=f"I never met {NAME}")
    others = _declined(database, bank, proposer=bob.id, other=cara.id, reason="Not me")
    balances = ledger.account_balances(database, bank.slug)

    erasure.erase_member(database, bank.slug, zeb.id)

    assert _decline_reason(database, theirs) == REMOVED
    assert _decline_reason(database, to_them) == REMOVED
    assert _decline_reason(database, others) == "Not me"
    assert ledger.account_balances(database, bank.slug) == balances
    assert check_ledger(database).ok


def test_the_guards_let_a_decline_reason_become_removed_and_refuse_every_other_change(database, bank, make_member):
    bob, cara = make_member(bank, "Bob"), make_member(bank, "Cara")
    declined = _declined(database, bank, proposer=bob.id, other=cara.id, reason="Not me")
    pending = ledger.propose_exchange(database, bank.slug, member_id=bob.id, provider_id=bob.id,
                                      receiver_id=cara.id, minutes=30).id
    engine = database.engine
    refused = [
        (declined, "decline_reason = 'other words'"),
        (declined, "decline_reason = NULL"),
        (declined, f"decline_reason = '{REMOVED}', amount_minutes = 31"),
        (declined, "amount_minutes = 31"),
        (declined, "description = 'rewritten'"),
        (declined, "state = 'posted'"),
        (pending, f"decline_reason = '{REMOVED}'"),  # nothing was written to remove
    ]
    for exchange_id, change in refused:
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as connection:
            connection.execute(sa.text(f"UPDATE exchanges SET {change} WHERE id = :i"), {"i": exchange_id})
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE exchanges SET decline_reason = :r WHERE id = :i"),
                           {"r": REMOVED, "i": declined})
    assert _decline_reason(database, declined) == REMOVED


def test_retention_erases_closed_members_past_keeping_once_and_keeps_the_ledger_whole(database, bank, make_member):
    zeb, bob = make_member(bank, NAME, email="zeb@example.org"), make_member(bank, "Bob")
    ledger.log_exchange(database, bank.slug, provider_id=zeb.id, receiver_id=bob.id, minutes=90,
                        description=f"{NAME} dug the garden", recorded_by="test")
    members.set_member_status(database, bank.slug, zeb.id, "closed")
    balances = ledger.account_balances(database, bank.slug)
    statement = [(line.amount_minutes, line.balance_minutes) for line in ledger.statement(database, bank.slug, bob.id)]
    assert retention.retention_years(database, bank.slug).closed_member_years == 6
    five_years_on = dt.date.today() + dt.timedelta(days=365 * 5)
    assert retention.run_retention(database, bank_slug=bank.slug, today=five_years_on) == []
    seven_years_on = dt.date.today() + dt.timedelta(days=365 * 7)
    dry = retention.run_retention(database, bank_slug=bank.slug, today=seven_years_on, dry_run=True)
    assert [(r.kind, r.id) for r in dry] == [("member", zeb.id)]

    removed = retention.run_retention(database, bank_slug=bank.slug, today=seven_years_on)

    assert [(r.kind, r.id) for r in removed] == [("member", zeb.id)]
    assert retention.run_retention(database, bank_slug=bank.slug, today=seven_years_on) == []
    with database.session(readonly=True) as session:
        erased = session.get(Member, zeb.id)
        assert (erased.name, erased.email, erased.erased_at is not None) == (FORMER_MEMBER, None, True)
        assert session.get(Member, bob.id).name == "Bob", "an active member is kept"
    assert ledger.account_balances(database, bank.slug) == balances
    assert [(line.amount_minutes, line.balance_minutes)
            for line in ledger.statement(database, bank.slug, bob.id)] == statement
    assert check_ledger(database).ok


def test_a_bank_sets_how_long_closed_members_are_kept(database, bank, make_member):
    zeb = make_member(bank, NAME)
    members.set_member_status(database, bank.slug, zeb.id, "closed")
    kept = retention.set_retention_years(database, bank.slug, 8, closed_member_years=10)
    assert (kept.years, kept.closed_member_years) == (8, 10)
    seven_years_on = dt.date.today() + dt.timedelta(days=365 * 7)
    assert retention.run_retention(database, bank_slug=bank.slug, today=seven_years_on) == []
    with pytest.raises(Exception, match="whole number of years"):
        retention.set_retention_years(database, bank.slug, 8, closed_member_years=0)


# ---------------------------------------------------------------- the second factor

KEY = "integration-sealing-key"


def _app(database):
    """One application process: its own app object and its own engine on the same
    database, with the in-memory limiter off, so only the count in the database stands."""
    from tests.conftest import PASSWORD_HASHING
    from timebank.db.engine import Database
    from timebank.web import create_app

    own = Database(database.url, password_hashing=PASSWORD_HASHING)
    app = create_app({"DATABASE": own, "SECRET_KEY": KEY, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "SERVER_NAME": "localhost"})
    return app, own


def test_wrong_codes_sent_to_two_processes_lock_the_factor_until_the_window_passes(database, bank):
    email = f"sam-{bank.slug}@example.org"
    sam = auth.create_user(database, bank.slug, email=email, name="Sam", password=PASSWORD, role="social_worker")
    token = auth.start_session(database, sam.id)
    secret = second_factor.begin_enrolment(database, sam.id, sealing_key=KEY).secret
    enrolled_at = time.time() - 90  # a step of its own, before the codes below
    second_factor.confirm_enrolment(database, sam.id, token, pyotp.TOTP(secret).at(enrolled_at),
                                    sealing_key=KEY, at=enrolled_at)
    (one, one_db), (two, two_db) = _app(database), _app(database)
    clients = [one.test_client(), two.test_client()]
    for client in clients:
        assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    wrong = next(c for c in ("000000", "111111") if c != pyotp.TOTP(secret).now())
    for attempt in range(MAX_REFUSED_CODES):
        refused = clients[attempt % 2].post("/sign-in/code", data={"code": wrong})
        assert refused.status_code == 400 and "not right" in refused.text
    right = clients[1].post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 400 and "Too many wrong codes" in right.text
    assert clients[0].get("/sign-in/code").status_code == 200, "still half signed in"
    # The window passes (moved back in the database, as a quarter of an hour would).
    with database.session() as session:
        factor = session.scalars(sa.select(SecondFactor).where(SecondFactor.user_id == sam.id)).one()
        assert factor.refused_codes == MAX_REFUSED_CODES
        factor.refused_since -= REFUSED_CODES_WINDOW + dt.timedelta(seconds=1)
        session.commit()
    taken = clients[0].post("/sign-in/code", data={"code": pyotp.TOTP(secret).now()})
    assert taken.status_code == 302, taken.text
    one_db.dispose()
    two_db.dispose()


def test_the_count_of_wrong_codes_survives_a_new_engine_and_a_right_code_clears_it(database, bank):
    sam = auth.create_user(database, bank.slug, email=f"sam-{bank.slug}@example.org", name="Sam",
                           password=PASSWORD, role="social_worker")
    token = auth.start_session(database, sam.id)
    secret = second_factor.begin_enrolment(database, sam.id, sealing_key=KEY).secret
    at = time.time()
    second_factor.confirm_enrolment(database, sam.id, token, pyotp.TOTP(secret).at(at), sealing_key=KEY, at=at)
    wrong = next(c for c in ("000000", "111111") if c not in {pyotp.TOTP(secret).at(at + d) for d in range(0, 150, 30)})
    for _ in range(MAX_REFUSED_CODES - 1):
        with pytest.raises(CodeRefused, match="not right"):
            second_factor.verify(database, sam.id, token, wrong, sealing_key=KEY, at=at + 30)
    later = at + 60
    second_factor.verify(database, sam.id, token, pyotp.TOTP(secret).at(later), sealing_key=KEY, at=later)
    # Cleared: four more wrong ones do not lock it.
    for _ in range(MAX_REFUSED_CODES - 1):
        with pytest.raises(CodeRefused, match="not right"):
            second_factor.verify(database, sam.id, token, wrong, sealing_key=KEY, at=later + 30)
    last = later + 90
    second_factor.verify(database, sam.id, token, pyotp.TOTP(secret).at(last), sealing_key=KEY, at=last)


def test_erasure_drops_the_digest_of_the_details_given_at_take_on(database, bank):
    # The digest of name and phone could be matched against a guessed name.
    taken = members.take_member_on(database, bank.slug, NAME, phone="0131 496 0000", recorded_by="test",
                                   idempotency_key="take-on-zeb")
    with database.session(readonly=True) as session:
        assert session.get(Member, taken.id).details_fingerprint is not None

    erasure.erase_member(database, bank.slug, taken.id)

    with database.session(readonly=True) as session:
        assert session.get(Member, taken.id).details_fingerprint is None
