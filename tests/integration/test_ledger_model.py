"""A hypothesis state machine drives the real ledger and a simple model side by side.

Rules aim at the boundaries on purpose (a random walk rarely lands exactly on a floor):
spending exactly to the floor and one minute past it, retries with the same key and the
same or other details, reversals, group exchanges and a member of another bank. After
every step each balance equals the model and the sum of its entries, the bank sums to
zero, and no balance is outside its limits.
"""
from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from timebank.domain import errors
from timebank.services import banks, ledger, members
from timebank.services.checks import check_ledger

FLOOR, CEILING = -60, 120
PEOPLE = 4


class LedgerModel(RuleBasedStateMachine):
    database = None  # set by the test

    def __init__(self):
        super().__init__()
        self.slug = f"model-{uuid.uuid4().hex[:10]}"
        banks.create_bank(self.database, self.slug, "Model bank", floor_minutes=FLOOR, ceiling_minutes=CEILING)
        self.ids = [members.add_member(self.database, self.slug, f"P{i}").id for i in range(PEOPLE)]
        other = f"other-{uuid.uuid4().hex[:10]}"
        banks.create_bank(self.database, other, "Another bank")
        self.stranger = members.add_member(self.database, other, "Stranger").id
        self.balance = {m: 0 for m in self.ids}
        self.pot = 0
        self.keys: dict[str, tuple[tuple, int]] = {}
        self.posted: list[tuple[int, list[tuple[str, int]]]] = []  # id, legs (owner, minutes)
        self.reversed: set[int] = set()

    # -- the model's own reading of the rules

    def _expected_error(self, legs):
        for owner, delta in legs:
            if owner == "pot":
                continue
            new = self.balance[owner] + delta
            if delta < 0 and new < FLOOR:
                return errors.BalanceBelowFloor
            if delta > 0 and new > CEILING:
                return errors.BalanceAboveCeiling
        return None

    def _apply(self, legs):
        for owner, delta in legs:
            if owner == "pot":
                self.pot += delta
            else:
                self.balance[owner] += delta

    def _log(self, provider, receiver, minutes, key=None):
        details = (provider, receiver, minutes)
        call = lambda: ledger.log_exchange(  # noqa: E731
            self.database, self.slug, provider_id=provider, receiver_id=receiver,
            minutes=minutes, recorded_by="model", idempotency_key=key)
        if provider == receiver:
            with pytest.raises(errors.SameMemberOnBothSides):
                call()
            return
        if key is not None and key in self.keys:
            earlier_details, earlier_id = self.keys[key]
            if earlier_details == details:
                assert call().id == earlier_id
            else:
                with pytest.raises(errors.IdempotencyKeyReusedWithOtherDetails):
                    call()
            return
        legs = [(provider, minutes), (receiver, -minutes)]
        expected = self._expected_error(legs)
        if expected:
            with pytest.raises(expected):
                call()
            return
        exchange = call()
        self._apply(legs)
        self.posted.append((exchange.id, legs))
        if key is not None:
            self.keys[key] = (details, exchange.id)

    # -- rules

    @rule(p=st.integers(0, PEOPLE - 1), r=st.integers(0, PEOPLE - 1), minutes=st.integers(1, 90),
          key=st.none() | st.sampled_from(["k1", "k2", "k3"]))
    def log_exchange(self, p, r, minutes, key):
        self._log(self.ids[p], self.ids[r], minutes, key)

    @rule(p=st.integers(0, PEOPLE - 1), r=st.integers(0, PEOPLE - 1), past=st.booleans())
    def spend_to_the_floor(self, p, r, past):
        receiver = self.ids[r]
        minutes = self.balance[receiver] - FLOOR + (1 if past else 0)
        if minutes > 0:
            self._log(self.ids[p], receiver, minutes)

    @rule(p=st.integers(0, PEOPLE - 1), r=st.integers(0, PEOPLE - 1), past=st.booleans())
    def earn_to_the_ceiling(self, p, r, past):
        provider = self.ids[p]
        minutes = CEILING - self.balance[provider] + (1 if past else 0)
        if minutes > 0:
            self._log(provider, self.ids[r], minutes)

    @rule(p=st.integers(0, PEOPLE - 1), receivers=st.sets(st.integers(0, PEOPLE - 1), min_size=1),
          minutes=st.integers(1, 100))
    def log_group(self, p, receivers, minutes):
        provider, receiver_ids = self.ids[p], [self.ids[i] for i in sorted(receivers)]
        call = lambda: ledger.log_group_exchange(  # noqa: E731
            self.database, self.slug, provider_id=provider, receiver_ids=receiver_ids,
            minutes=minutes, recorded_by="model")
        if provider in receiver_ids:
            with pytest.raises(errors.SameMemberOnBothSides):
                call()
            return
        share, remainder = divmod(minutes, len(receiver_ids))
        if share == 0:
            with pytest.raises(errors.ExchangeTooLong):
                call()
            return
        legs = [(provider, minutes)] + [(r, -share) for r in receiver_ids]
        if remainder:
            legs.append(("pot", -remainder))
        expected = self._expected_error(legs)
        if expected:
            with pytest.raises(expected):
                call()
            return
        exchange = call()
        assert sum(exchange.entries.values()) == 0
        self._apply(legs)
        self.posted.append((exchange.id, legs))

    @rule(i=st.integers(0, 10**6))
    def reverse(self, i):
        if not self.posted:
            return
        exchange_id, legs = self.posted[i % len(self.posted)]
        call = lambda: ledger.reverse_exchange(  # noqa: E731
            self.database, exchange_id, reason="model", recorded_by="model", bank_slug=self.slug)
        if exchange_id in self.reversed:
            with pytest.raises(errors.AlreadyReversed):
                call()
            return
        opposite = [(owner, -delta) for owner, delta in legs]
        expected = self._expected_error(opposite)
        if expected:
            with pytest.raises(expected):
                call()
            return
        call()
        self._apply(opposite)
        self.reversed.add(exchange_id)

    @rule(p=st.integers(0, PEOPLE - 1), minutes=st.integers(1, 30), to_stranger=st.booleans())
    def a_member_of_another_bank(self, p, minutes, to_stranger):
        provider, receiver = (self.ids[p], self.stranger) if to_stranger else (self.stranger, self.ids[p])
        with pytest.raises(errors.MemberOfAnotherBank):
            ledger.log_exchange(self.database, self.slug, provider_id=provider, receiver_id=receiver,
                                minutes=minutes, recorded_by="model")

    # -- after every step

    @invariant()
    def balances_match_the_model_and_sum_to_zero(self):
        actual = ledger.account_balances(self.database, self.slug)
        assert {int(k): v for k, v in actual.items() if k.isdigit()} == self.balance
        assert actual["community_pot"] == self.pot
        assert sum(actual.values()) == 0
        assert all(FLOOR <= b <= CEILING for b in self.balance.values())

    def teardown(self):
        statement_totals = {m: sum(line.amount_minutes for line in ledger.statement(self.database, self.slug, m))
                            for m in self.ids}
        assert statement_totals == self.balance
        assert check_ledger(self.database).ok


def test_the_ledger_agrees_with_a_simple_model(database):
    LedgerModel.database = database
    run_state_machine_as_test(
        LedgerModel,
        settings=settings(max_examples=25, stateful_step_count=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )
