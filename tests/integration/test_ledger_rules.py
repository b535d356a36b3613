"""Every rule of the ledger, on SQLite and PostgreSQL: the error, and nothing written."""
import datetime as dt

import pytest

from timebank.domain import errors
from timebank.services import ledger, members
from timebank.services.checks import check_ledger

TODAY = dt.date.today()


@pytest.fixture
def three(bank, make_member):
    # They joined a month ago: help is never dated before a member joined.
    joined = TODAY - dt.timedelta(days=30)
    return (bank, make_member(bank, "Ann", joined_on=joined), make_member(bank, "Bob", joined_on=joined),
            make_member(bank, "Cat", joined_on=joined))


def log(database, bank, provider, receiver, minutes, **kw):
    kw.setdefault("recorded_by", "test")
    return ledger.log_exchange(database, bank.slug, provider_id=provider.id,
                               receiver_id=receiver.id, minutes=minutes, **kw)


def refused(database, ledger_state, bank, error, call):
    before = ledger_state(bank)
    with pytest.raises(error) as caught:
        call()
    assert ledger_state(bank) == before, "a refused write changed the ledger"
    assert caught.value.message
    return caught.value


def test_a_logged_exchange_moves_both_balances_and_sums_to_zero(database, three):
    bank, ann, bob, _ = three
    exchange = log(database, bank, ann, bob, 90, category="gardening", description="Weeding")
    assert exchange.state == "posted"
    assert exchange.entries == {str(ann.id): 90, str(bob.id): -90}
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 90
    view = ledger.balance(database, bank.slug, bob.id)
    assert (view.balance_minutes, view.given_minutes, view.received_minutes) == (-90, 0, 90)
    assert check_ledger(database).ok


def test_unknown_bank_is_refused(database, three, ledger_state):
    bank, ann, bob, _ = three
    before = ledger_state(bank)
    with pytest.raises(errors.UnknownBank):
        ledger.log_exchange(database, "no-such-bank", provider_id=ann.id, receiver_id=bob.id,
                            minutes=60, recorded_by="test")
    assert ledger_state(bank) == before


def test_unknown_member_is_refused(database, three, ledger_state):
    bank, ann, _, _ = three
    refused(database, ledger_state, bank, errors.UnknownMember,
            lambda: ledger.log_exchange(database, bank.slug, provider_id=ann.id,
                                        receiver_id=10**8, minutes=60, recorded_by="test"))


def test_a_member_of_another_bank_is_refused(database, three, make_bank, make_member, ledger_state):
    bank, ann, _, _ = three
    stranger = make_member(make_bank(), "Stranger")
    refused(database, ledger_state, bank, errors.MemberOfAnotherBank,
            lambda: log(database, bank, ann, stranger, 60))


def test_the_same_member_on_both_sides_is_refused(database, three, ledger_state):
    bank, ann, _, _ = three
    refused(database, ledger_state, bank, errors.SameMemberOnBothSides,
            lambda: log(database, bank, ann, ann, 60))


@pytest.mark.parametrize("minutes, error", [
    (0, errors.HoursNotPositive), (-1, errors.HoursNotPositive),
    (24 * 60 + 1, errors.ExchangeTooLong), (10**9, errors.ExchangeTooLong),
    (1.5, errors.InvalidHours), (float("nan"), errors.InvalidHours), ("60", errors.InvalidHours),
    (True, errors.InvalidHours),
])
def test_amounts_that_are_not_a_positive_whole_number_of_minutes_are_refused(
        database, three, ledger_state, minutes, error):
    bank, ann, bob, _ = three
    refused(database, ledger_state, bank, error, lambda: log(database, bank, ann, bob, minutes))


@pytest.mark.parametrize("day, error", [
    ((TODAY + dt.timedelta(days=1)).isoformat(), errors.DayInFuture),
    ("2026-02-30", errors.InvalidDay), ("soon", errors.InvalidDay),
])
def test_a_day_in_the_future_or_impossible_is_refused(database, three, ledger_state, day, error):
    bank, ann, bob, _ = three
    refused(database, ledger_state, bank, error, lambda: log(database, bank, ann, bob, 60, given_on=day))


def test_an_unknown_category_is_refused(database, three, ledger_state):
    bank, ann, bob, _ = three
    refused(database, ledger_state, bank, errors.UnknownCategory,
            lambda: log(database, bank, ann, bob, 60, category="skydiving"))


def test_a_receiver_may_spend_exactly_to_the_floor_but_not_a_minute_more(
        database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-60, ceiling_minutes=600)
    ann, bob = make_member(bank, "Ann"), make_member(bank, "Bob")
    log(database, bank, ann, bob, 50)
    error = refused(database, ledger_state, bank, errors.BalanceBelowFloor,
                    lambda: log(database, bank, ann, bob, 11))
    assert "Bob" in error.message
    log(database, bank, ann, bob, 10)
    assert ledger.balance(database, bank.slug, bob.id).balance_minutes == -60


def test_a_provider_may_earn_up_to_the_ceiling_but_not_past_it(
        database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-600, ceiling_minutes=60)
    ann, bob = make_member(bank, "Ann"), make_member(bank, "Bob")
    log(database, bank, ann, bob, 60)
    refused(database, ledger_state, bank, errors.BalanceAboveCeiling,
            lambda: log(database, bank, ann, bob, 1))


def test_a_member_override_replaces_the_bank_limit(database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-600, ceiling_minutes=6000)
    ann, bob = make_member(bank, "Ann"), make_member(bank, "Bob")
    members.set_member_limits(database, bank.slug, bob.id, floor_minutes=-30, ceiling_minutes=None)
    refused(database, ledger_state, bank, errors.BalanceBelowFloor,
            lambda: log(database, bank, ann, bob, 31))
    log(database, bank, ann, bob, 30)


def test_a_suspended_member_takes_part_in_no_new_exchange(database, three, ledger_state):
    bank, ann, bob, _ = three
    members.set_member_status(database, bank.slug, bob.id, "suspended")
    refused(database, ledger_state, bank, errors.MemberNotActive, lambda: log(database, bank, ann, bob, 30))


def test_the_same_key_and_details_return_the_first_exchange(database, three, ledger_state):
    bank, ann, bob, _ = three
    first = log(database, bank, ann, bob, 45, idempotency_key="form-123")
    state = ledger_state(bank)
    again = log(database, bank, ann, bob, 45, idempotency_key="form-123")
    assert again.id == first.id and again.replayed and not first.replayed
    assert ledger_state(bank) == state


def test_the_same_key_with_other_details_is_refused(database, three, ledger_state):
    bank, ann, bob, _ = three
    log(database, bank, ann, bob, 45, idempotency_key="form-123")
    refused(database, ledger_state, bank, errors.IdempotencyKeyReusedWithOtherDetails,
            lambda: log(database, bank, ann, bob, 46, idempotency_key="form-123"))


def test_keys_are_per_bank(database, make_bank, make_member):
    first_bank, second_bank = make_bank(), make_bank()
    a1, b1 = make_member(first_bank), make_member(first_bank)
    a2, b2 = make_member(second_bank), make_member(second_bank)
    one = log(database, first_bank, a1, b1, 30, idempotency_key="same")
    two = log(database, second_bank, a2, b2, 30, idempotency_key="same")
    assert one.id != two.id


def test_a_reversal_records_the_opposite_and_never_twice(database, three, ledger_state):
    bank, ann, bob, _ = three
    exchange = log(database, bank, ann, bob, 60)
    reversal = ledger.reverse_exchange(database, exchange.id, reason="logged twice", recorded_by="test")
    assert reversal.reverses_exchange_id == exchange.id
    assert reversal.entries == {str(ann.id): -60, str(bob.id): 60}
    assert ledger.get_exchange(database, bank.slug, exchange.id).state == "reversed"
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 0
    refused(database, ledger_state, bank, errors.AlreadyReversed,
            lambda: ledger.reverse_exchange(database, exchange.id, reason="again", recorded_by="test"))
    refused(database, ledger_state, bank, errors.ExchangeNotPosted,
            lambda: ledger.reverse_exchange(database, reversal.id, reason="undo", recorded_by="test"))
    assert check_ledger(database).ok


def test_a_reversal_needs_a_reason_and_the_right_bank(database, three, make_bank, ledger_state):
    bank, ann, bob, _ = three
    exchange = log(database, bank, ann, bob, 60)
    refused(database, ledger_state, bank, errors.ReasonRequired,
            lambda: ledger.reverse_exchange(database, exchange.id, reason="  ", recorded_by="test"))
    other = make_bank()
    refused(database, ledger_state, bank, errors.UnknownExchange,
            lambda: ledger.reverse_exchange(database, exchange.id, reason="x", recorded_by="test",
                                            bank_slug=other.slug))


def test_a_reversal_respects_the_limits(database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-60, ceiling_minutes=600)
    ann, bob, cat = make_member(bank, "Ann"), make_member(bank, "Bob"), make_member(bank, "Cat")
    earned = log(database, bank, ann, bob, 60)
    log(database, bank, cat, ann, 60)  # Ann spends what she earned...
    log(database, bank, cat, ann, 30)  # ...and more: she is at -30
    error = refused(database, ledger_state, bank, errors.BalanceBelowFloor,
                    lambda: ledger.reverse_exchange(database, earned.id, reason="x", recorded_by="t"))
    assert "Ann" in error.message
    assert ledger.get_exchange(database, bank.slug, earned.id).state == "posted"


def test_a_reversal_breaking_two_limits_names_the_original_earner_first(
        database, make_bank, make_member, ledger_state):
    """The order of refusals holds for reversals too: the entries are checked as the
    original exchange was planned, its earner first, whatever order they were written in."""
    bank = make_bank(floor_minutes=-60, ceiling_minutes=120)
    ann, bob, cat = make_member(bank, "Ann"), make_member(bank, "Bob"), make_member(bank, "Cat")
    earned = log(database, bank, cat, ann, 60)   # Cat earns an hour from Ann
    log(database, bank, bob, cat, 120)           # Cat spends to the floor: -60
    log(database, bank, ann, bob, 180)           # Ann earns to the ceiling: +120
    # Undoing the first would take Cat below the floor and Ann above the ceiling.
    error = refused(database, ledger_state, bank, errors.BalanceBelowFloor,
                    lambda: ledger.reverse_exchange(database, earned.id, reason="x", recorded_by="t"))
    assert "Cat" in error.message


def test_a_group_exchange_splits_and_the_pot_covers_the_remainder(database, three):
    bank, ann, bob, cat = three
    group = ledger.log_group_exchange(database, bank.slug, provider_id=ann.id,
                                      receiver_ids=[bob.id, cat.id], minutes=61, recorded_by="t",
                                      category="chair_yoga")
    assert group.entries == {str(ann.id): 61, str(bob.id): -30, str(cat.id): -30, "community_pot": -1}
    assert sum(group.entries.values()) == 0
    assert check_ledger(database).ok


def test_a_group_exchange_with_a_stranger_or_the_provider_twice_is_refused(
        database, three, make_bank, make_member, ledger_state):
    bank, ann, bob, cat = three
    stranger = make_member(make_bank())
    refused(database, ledger_state, bank, errors.MemberOfAnotherBank,
            lambda: ledger.log_group_exchange(database, bank.slug, provider_id=ann.id,
                                              receiver_ids=[bob.id, stranger.id], minutes=60,
                                              recorded_by="t"))
    refused(database, ledger_state, bank, errors.SameMemberOnBothSides,
            lambda: ledger.log_group_exchange(database, bank.slug, provider_id=ann.id,
                                              receiver_ids=[bob.id, ann.id], minutes=60,
                                              recorded_by="t"))


def test_a_group_exchange_refuses_a_receiver_past_the_floor_and_writes_nothing(
        database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-30, ceiling_minutes=600)
    ann, bob, cat = make_member(bank), make_member(bank), make_member(bank)
    refused(database, ledger_state, bank, errors.BalanceBelowFloor,
            lambda: ledger.log_group_exchange(database, bank.slug, provider_id=ann.id,
                                              receiver_ids=[bob.id, cat.id], minutes=62,
                                              recorded_by="t"))


def test_welcome_hours_come_from_the_bank_and_donations_feed_the_pot(database, three, ledger_state):
    bank, ann, bob, _ = three
    ledger.grant(database, bank.slug, member_id=ann.id, minutes=120, reason="welcome", recorded_by="t")
    ledger.donate(database, bank.slug, member_id=ann.id, minutes=30, recorded_by="t")
    balances = ledger.account_balances(database, bank.slug)
    assert balances[str(ann.id)] == 90
    assert balances["bank"] == -120 and balances["community_pot"] == 30
    ledger.grant(database, bank.slug, member_id=bob.id, minutes=30, reason="from pot",
                 recorded_by="t", from_community_pot=True)
    refused(database, ledger_state, bank, errors.CommunityPotTooLow,
            lambda: ledger.grant(database, bank.slug, member_id=bob.id, minutes=1, reason="more",
                                 recorded_by="t", from_community_pot=True))
    refused(database, ledger_state, bank, errors.ReasonRequired,
            lambda: ledger.grant(database, bank.slug, member_id=bob.id, minutes=1, reason="",
                                 recorded_by="t"))
    assert sum(ledger.account_balances(database, bank.slug).values()) == 0


def test_an_exchange_a_member_starts_waits_for_the_other_to_confirm(database, three, ledger_state):
    bank, ann, bob, cat = three
    pending = ledger.propose_exchange(database, bank.slug, member_id=ann.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=60)
    assert pending.state == "pending" and pending.entries == {}
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 0
    refused(database, ledger_state, bank, errors.NotYoursToConfirm,
            lambda: ledger.confirm_exchange(database, bank.slug, pending.id, member_id=ann.id,
                                            settled_by="t"))
    refused(database, ledger_state, bank, errors.NotYoursToConfirm,
            lambda: ledger.confirm_exchange(database, bank.slug, pending.id, member_id=cat.id,
                                            settled_by="t"))
    posted = ledger.confirm_exchange(database, bank.slug, pending.id, member_id=bob.id, settled_by="t")
    assert posted.state == "posted"
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 60
    refused(database, ledger_state, bank, errors.ExchangeNotPending,
            lambda: ledger.decline_exchange(database, bank.slug, pending.id, member_id=bob.id,
                                            settled_by="t"))


def test_a_declined_exchange_never_moves_a_balance(database, three):
    bank, ann, bob, _ = three
    pending = ledger.propose_exchange(database, bank.slug, member_id=bob.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=60)
    declined = ledger.decline_exchange(database, bank.slug, pending.id, member_id=ann.id, settled_by="t")
    assert declined.state == "declined"
    assert ledger.account_balances(database, bank.slug)[str(ann.id)] == 0
    with pytest.raises(errors.ExchangeNotPosted):
        ledger.reverse_exchange(database, pending.id, reason="x", recorded_by="t")


def test_confirmation_checks_the_limits_at_the_time_of_confirming(
        database, make_bank, make_member, ledger_state):
    bank = make_bank(floor_minutes=-60, ceiling_minutes=600)
    ann, bob, cat = make_member(bank), make_member(bank), make_member(bank)
    pending = ledger.propose_exchange(database, bank.slug, member_id=ann.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=60)
    log(database, bank, cat, bob, 60)  # Bob reaches the floor meanwhile
    refused(database, ledger_state, bank, errors.BalanceBelowFloor,
            lambda: ledger.confirm_exchange(database, bank.slug, pending.id, member_id=bob.id,
                                            settled_by="t"))


def test_a_member_can_only_log_an_exchange_they_took_part_in(database, three, ledger_state):
    bank, ann, bob, cat = three
    refused(database, ledger_state, bank, errors.NotYoursToConfirm,
            lambda: ledger.propose_exchange(database, bank.slug, member_id=cat.id,
                                            provider_id=ann.id, receiver_id=bob.id, minutes=30))


def test_a_statement_runs_oldest_first_with_the_running_balance(database, three):
    bank, ann, bob, cat = three
    log(database, bank, ann, bob, 60, given_on=TODAY - dt.timedelta(days=3))
    log(database, bank, cat, ann, 15)
    ledger.grant(database, bank.slug, member_id=ann.id, minutes=30, reason="welcome", recorded_by="t")
    lines = ledger.statement(database, bank.slug, ann.id)
    assert [(line.amount_minutes, line.balance_minutes, line.counterparty) for line in lines] == [
        (60, 60, "Bob"), (-15, 45, "Cat"), (30, 75, "the bank")]


def test_a_new_bank_gets_every_category_of_the_taxonomy_with_its_name_and_description(database, bank):
    from matching.taxonomy import CATEGORIES
    from timebank.services import banks

    assert banks.category_rows(database, bank.slug) == [(c.id, c.name, c.description, True) for c in CATEGORIES]


def test_a_bank_edits_its_own_category_list(database, bank, make_bank):
    from matching.taxonomy import CATEGORIES
    from timebank.services import banks

    taxonomy = [c.id for c in CATEGORIES]
    banks.save_category(database, bank.slug, category="dog_grooming", name="Dog grooming")
    banks.save_category(database, bank.slug, category="baking", name="Baking", active=False)
    slugs = [s for s, _ in banks.list_categories(database, bank.slug)]
    assert slugs == [s for s in taxonomy if s != "baking"] + ["dog_grooming"]
    assert [s for s, _ in banks.list_categories(database, make_bank().slug)] == taxonomy  # other banks untouched
    with pytest.raises(errors.InvalidInput):
        banks.save_category(database, bank.slug, category="Bad Slug!", name="x")


# ---------------------------------------------------------------- the quick path and the complete one
# A plain exchange between two members takes the driver-level path of
# `timebank.db.hot_path`; every other case (a retried key, a refusal) and every batch line
# takes the complete path through the ORM. Both must write the same rows.


def _raw_rows(database, table, where_id_column, ids):
    placeholders = ", ".join(str(int(i)) for i in ids)
    with database.engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute(f"SELECT * FROM {table} WHERE {where_id_column} IN ({placeholders}) "
                       f"ORDER BY {where_id_column}, id")
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        cursor.close()
    return rows


def _shape(value):
    """The type of a stored value and, for text, its pattern of digits: a date or a
    timestamp stored as text in two formats would read back differently."""
    import re
    return (type(value).__name__, re.sub(r"\d", "9", value) if isinstance(value, str) else None)


def test_the_quick_path_writes_the_rows_the_complete_path_writes(database, three):
    from timebank.services import batch

    bank, ann, bob, _ = three
    quick = log(database, bank, ann, bob, 30, category="gardening", description="Weeding",
                given_on=TODAY - dt.timedelta(days=2), idempotency_key="quick")
    [complete] = batch.log_exchange_batch(
        database, bank.slug,
        [batch.BatchLine(line=2, provider_id=ann.id, receiver_id=bob.id, minutes=30,
                         category="gardening", description="Weeding",
                         given_on=(TODAY - dt.timedelta(days=2)).isoformat())],
        recorded_by="test", batch_key="complete")
    exchanges = _raw_rows(database, "exchanges", "id", [quick.id, complete.id])
    entries = _raw_rows(database, "entries", "exchange_id", [quick.id, complete.id])
    assert len(exchanges) == 2 and len(entries) == 4
    for column in exchanges[0]:
        if column != "idempotency_key":  # "quick" and "complete:2": text of other lengths
            assert _shape(exchanges[0][column]) == _shape(exchanges[1][column]), column
    for column in ("id", "idempotency_key", "details_fingerprint", "created_at"):
        exchanges[0].pop(column), exchanges[1].pop(column)
    assert exchanges[0] == exchanges[1]
    for quick_entry, complete_entry in zip(entries[:2], entries[2:]):
        for column in quick_entry:
            assert _shape(quick_entry[column]) == _shape(complete_entry[column]), column
        assert (quick_entry["account_id"], quick_entry["amount_minutes"]) == (
            complete_entry["account_id"], complete_entry["amount_minutes"])
    assert _as_read(quick) == _as_read(ledger.get_exchange(database, bank.slug, quick.id))
    assert check_ledger(database).ok


def _as_read(view):
    """A view with its timestamp as naive UTC: SQLite keeps no time zone with a timestamp."""
    import dataclasses
    created_at = view.created_at
    if created_at.tzinfo is not None:
        created_at = created_at.astimezone(dt.UTC).replace(tzinfo=None)
    return dataclasses.replace(view, created_at=created_at)


def test_a_retry_after_the_first_exchange_reached_the_floor_returns_the_first(
        database, make_bank, make_member, ledger_state):
    # The retry would break the floor if it were new; it is not new, so it is answered.
    bank = make_bank(floor_minutes=-60, ceiling_minutes=600)
    ann, bob = make_member(bank, "Ann"), make_member(bank, "Bob")
    first = log(database, bank, ann, bob, 60, idempotency_key="to-the-floor")
    state = ledger_state(bank)
    again = log(database, bank, ann, bob, 60, idempotency_key="to-the-floor")
    assert again.id == first.id and again.replayed
    assert ledger_state(bank) == state


def test_a_member_proposal_waits_and_posts_on_confirmation(database, three):
    bank, ann, bob, _ = three
    pending = ledger.propose_exchange(database, bank.slug, member_id=bob.id, provider_id=ann.id,
                                      receiver_id=bob.id, minutes=40)
    assert pending.state == "pending" and pending.entries == {}
    assert _as_read(ledger.get_exchange(database, bank.slug, pending.id)) == _as_read(pending)
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 0
    posted = ledger.confirm_exchange(database, bank.slug, pending.id, member_id=ann.id,
                                     settled_by=f"member:{ann.id}")
    assert posted.state == "posted"
    assert ledger.balance(database, bank.slug, ann.id).balance_minutes == 40


def test_a_balance_alone_is_read_in_one_statement_and_refuses_what_the_full_read_refuses(
        database, three, make_bank, make_member):
    bank, ann, bob, _ = three
    log(database, bank, ann, bob, 75)
    alone = ledger.balance(database, bank.slug, bob.id, with_totals=False)
    full = ledger.balance(database, bank.slug, bob.id)
    assert (alone.member_id, alone.name, alone.balance_minutes) == (bob.id, "Bob", -75)
    assert (alone.given_minutes, alone.received_minutes) == (None, None)
    assert (full.balance_minutes, full.received_minutes) == (-75, 75)
    stranger = make_member(make_bank(), "Stranger")
    for member_id, error in ((stranger.id, errors.MemberOfAnotherBank), (10**8, errors.UnknownMember)):
        for with_totals in (False, True):
            with pytest.raises(error):
                ledger.balance(database, bank.slug, member_id, with_totals=with_totals)
    with pytest.raises(errors.UnknownBank):
        ledger.balance(database, "no-such-bank", bob.id, with_totals=False)
