"""The ledger's hot path (`timebank.db.hot_path`), on SQLite and PostgreSQL.

It posts only a plain exchange and answers None for everything else, writing nothing,
so that the service layer's complete path gives the precise answer. These tests hold it
to both halves: a plain exchange really takes it (else the speed is lost without a
failing test), and no guard lets an unusual one through.
"""
import datetime as dt

import pytest

from timebank.db.hot_path import hot_path
from timebank.db.models import utcnow
from timebank.domain.errors import BalanceBelowFloor, MemberNotActive
from timebank.services import banks, members


def _fields(provider, receiver, minutes=30, **changes):
    fields = dict(
        kind="exchange", provider_member_id=provider.id, receiver_member_id=receiver.id,
        amount_minutes=minutes, category=None, description=None, given_on=dt.date.today(),
        recorded_by="test", initiated_by_member_id=None, idempotency_key=None,
        details_fingerprint="f" * 64, created_at=utcnow(),
    )
    fields.update(changes)
    return fields


def _no_check(_locked):
    return None


@pytest.fixture
def pair(database, make_bank, make_member):
    bank = make_bank(floor_minutes=-60, ceiling_minutes=600)
    return bank, make_member(bank, "Ann"), make_member(bank, "Bob")


def test_a_plain_exchange_is_posted_and_the_check_sees_the_balances_before_it(
        database, pair, ledger_state):
    bank, ann, bob = pair
    seen = []
    path = hot_path(database)
    first = path.post_exchange(bank.slug, _fields(ann, bob, 45), member_started=False,
                               check=seen.append)
    second = path.post_exchange(bank.slug, _fields(ann, bob, 10), member_started=False,
                                check=seen.append)
    assert first is not None and second is not None and second[0] > first[0]
    balances_seen = [{m: a.balance_minutes for m, a in locked.members.items()} for locked in seen]
    assert balances_seen == [{ann.id: 0, bob.id: 0}, {ann.id: 45, bob.id: -45}]
    assert seen[0].bank_id == bank.id and seen[0].bank_floor_minutes == -60
    assert ledger_state(bank)["balances"][str(bob.id)] == -55


def test_a_refusal_by_the_check_writes_nothing(database, pair, ledger_state):
    bank, ann, bob = pair
    before = ledger_state(bank)

    def refuse(_locked):
        raise BalanceBelowFloor("no")

    with pytest.raises(BalanceBelowFloor):
        hot_path(database).post_exchange(bank.slug, _fields(ann, bob), member_started=False,
                                         check=refuse)
    assert ledger_state(bank) == before


def test_an_exchange_that_is_not_plain_is_left_to_the_complete_path(
        database, pair, make_bank, make_member, ledger_state):
    bank, ann, bob = pair
    path = hot_path(database)
    stranger = make_member(make_bank(), "Stranger")
    banks.save_category(database, bank.slug, category="retired_service", name="Retired",
                        active=False)
    path.post_exchange(bank.slug, _fields(ann, bob, idempotency_key="used"),
                       member_started=False, check=_no_check)
    before = ledger_state(bank)
    not_plain = {
        "unknown bank": ("no-such-bank", _fields(ann, bob), False),
        "member of another bank": (bank.slug, _fields(ann, stranger), False),
        "unknown member": (bank.slug, _fields(ann, bob, receiver_member_id=10**8), False),
        "unknown category": (bank.slug, _fields(ann, bob, category="no_such_service"), False),
        "retired category": (bank.slug, _fields(ann, bob, category="retired_service"), False),
        "key used before": (bank.slug, _fields(ann, bob, idempotency_key="used"), False),
        "proposal to confirm": (bank.slug, _fields(ann, bob), True),
    }
    for case, (slug, fields, member_started) in not_plain.items():
        assert path.post_exchange(slug, fields, member_started=member_started,
                                  check=_no_check) is None, case
    assert ledger_state(bank) == before


def test_whether_a_member_may_take_part_is_the_checks_to_say(database, pair, ledger_state):
    """The hot path decides only whether an exchange is plain: a suspended member is
    handed to the check (the ledger's posting checks), which refuses."""
    bank, ann, bob = pair
    members.set_member_status(database, bank.slug, bob.id, "suspended")
    before = ledger_state(bank)
    seen = []

    def refuse(locked):
        seen.append({m: a.status for m, a in locked.members.items()})
        raise MemberNotActive("no")

    with pytest.raises(MemberNotActive):
        hot_path(database).post_exchange(bank.slug, _fields(ann, bob), member_started=False,
                                         check=refuse)
    assert seen == [{ann.id: "active", bob.id: "suspended"}]
    assert ledger_state(bank) == before


def test_a_known_category_and_a_bank_without_confirmation_are_plain(database, pair):
    bank, ann, bob = pair
    path = hot_path(database)
    assert path.post_exchange(bank.slug, _fields(ann, bob, category="gardening"),
                              member_started=False, check=_no_check) is not None
    banks.set_confirmation_mode(database, bank.slug, need_confirmation=False)
    assert path.post_exchange(bank.slug, _fields(ann, bob), member_started=True,
                              check=_no_check) is not None
