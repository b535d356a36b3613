"""`timebank check`: every invariant of the ledger, each named when broken.

Invariants as small named functions, in the manner of Beancount's validators: each is
named after the one code it reports and yields the problems it finds; the report lists
them all. (The word "audit" is kept for the log of who read an assessment.)
"""
from __future__ import annotations

import itertools
from collections.abc import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from timebank.db.engine import Database
from timebank.db.models import Account, Bank, Entry, Exchange, Member
from timebank.domain.ledger import ExchangeKind, ExchangeState, entry_order, expected_entries
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import CheckReport, Problem

__all__ = ["check_ledger", "INVARIANTS"]


def exchange_sums_to_zero(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(Entry.exchange_id, func.sum(Entry.amount_minutes).label("total"))
        .group_by(Entry.exchange_id)
        .having(func.sum(Entry.amount_minutes) != 0)
    )
    for r in rows:
        yield Problem("exchange_sums_to_zero", f"exchange {r.exchange_id} sums to {r.total} minutes")


def only_posted_exchanges_move_balances(session: Session) -> Iterator[Problem]:
    counts = (
        select(Entry.exchange_id, func.count().label("n")).group_by(Entry.exchange_id).subquery()
    )
    rows = session.execute(
        select(Exchange.id, Exchange.state, func.coalesce(counts.c.n, 0).label("n"))
        .outerjoin(counts, counts.c.exchange_id == Exchange.id)
        .where(
            ((Exchange.state.in_(["posted", "reversed"])) & (func.coalesce(counts.c.n, 0) < 2))
            | ((Exchange.state.in_(["pending", "declined"])) & (func.coalesce(counts.c.n, 0) > 0))
        )
    )
    for r in rows:
        yield Problem(
            "only_posted_exchanges_move_balances",
            f"exchange {r.id} is {r.state} and has {r.n} entries",
        )


def entries_match_exchange(session: Session) -> Iterator[Problem]:
    """Each posted exchange's entries are the ones its kind and amount make: entries
    rewritten together with the balances sum to zero and agree with the balances, but
    no longer with the exchange they belong to."""
    rows = session.execute(
        select(Exchange.id, Exchange.kind, Exchange.amount_minutes, Exchange.provider_member_id,
               Exchange.receiver_member_id, Account.member_id, Account.kind.label("account_kind"),
               Entry.amount_minutes.label("entry_minutes"))
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(Exchange.state.in_([ExchangeState.POSTED.value, ExchangeState.REVERSED.value]),
               Exchange.kind != ExchangeKind.REVERSAL.value)
        .order_by(Exchange.id)
        .execution_options(yield_per=5000)
    )
    for exchange_id, group in itertools.groupby(rows, key=lambda r: r.id):
        group = list(group)
        first = group[0]
        found = [(r.member_id, r.account_kind, r.entry_minutes) for r in group]
        expected = expected_entries(first.kind, first.amount_minutes, first.provider_member_id,
                                    first.receiver_member_id, found)
        if expected is not None and sorted(found, key=entry_order) != expected:
            yield Problem(
                "entries_match_exchange",
                f"exchange {exchange_id} ({first.kind} of {first.amount_minutes} minutes) has entries "
                f"{_entries_text(found)}, not {_entries_text(expected)}",
            )


def _entries_text(entries) -> str:
    return ", ".join(f"{minutes:+d} for {f'member {member_id}' if member_id else kind}"
                     for member_id, kind, minutes in sorted(entries, key=entry_order))


def balance_equals_sum_of_entries(session: Session) -> Iterator[Problem]:
    sums = (
        select(Entry.account_id, func.sum(Entry.amount_minutes).label("total"))
        .group_by(Entry.account_id)
        .subquery()
    )
    rows = session.execute(
        select(Account.id, Account.balance_minutes, func.coalesce(sums.c.total, 0).label("total"))
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.balance_minutes != func.coalesce(sums.c.total, 0))
    )
    for r in rows:
        yield Problem(
            "balance_equals_sum_of_entries",
            f"account {r.id} shows {r.balance_minutes} minutes but its entries sum to {r.total}",
        )


def bank_sums_to_zero(session: Session) -> Iterator[Problem]:
    rows = session.execute(
        select(Bank.slug, func.coalesce(func.sum(Account.balance_minutes), 0).label("total"))
        .join(Account, Account.bank_id == Bank.id, isouter=True)
        .group_by(Bank.slug)
        .having(func.coalesce(func.sum(Account.balance_minutes), 0) != 0)
    )
    for r in rows:
        yield Problem("bank_sums_to_zero", f"bank {r.slug} sums to {r.total} minutes")


def reversed_exchange_is_marked(session: Session) -> Iterator[Problem]:
    original = aliased(Exchange)
    rows = session.execute(
        select(Exchange.id, Exchange.reverses_exchange_id, original.state)
        .join(original, original.id == Exchange.reverses_exchange_id)
        .where(original.state != "reversed")
    )
    for r in rows:
        yield Problem(
            "reversed_exchange_is_marked",
            f"exchange {r.reverses_exchange_id} is reversed by {r.id} but marked {r.state}",
        )


def reversed_exchange_has_reversal(session: Session) -> Iterator[Problem]:
    """posted -> reversed is a move the database allows, as a reversal makes it; made
    by an UPDATE alone, it would leave an exchange marked reversed that nothing undoes."""
    reversal = aliased(Exchange)
    rows = session.execute(
        select(Exchange.id)
        .outerjoin(reversal, reversal.reverses_exchange_id == Exchange.id)
        .where(Exchange.state == ExchangeState.REVERSED.value, reversal.id.is_(None))
    )
    for r in rows:
        yield Problem(
            "reversed_exchange_has_reversal",
            f"exchange {r.id} is marked reversed but no reversal undoes it",
        )


def reversal_mirrors_exchange(session: Session) -> Iterator[Problem]:
    reversal_entry = aliased(Entry)
    rows = session.execute(
        select(Exchange.id, Exchange.reverses_exchange_id)
        .join(Entry, Entry.exchange_id == Exchange.reverses_exchange_id)
        .outerjoin(
            reversal_entry,
            (reversal_entry.exchange_id == Exchange.id)
            & (reversal_entry.account_id == Entry.account_id)
            & (reversal_entry.amount_minutes == -Entry.amount_minutes),
        )
        .where(Exchange.reverses_exchange_id.is_not(None), reversal_entry.id.is_(None))
        .distinct()
    )
    for r in rows:
        yield Problem(
            "reversal_mirrors_exchange",
            f"reversal {r.id} does not undo every entry of exchange {r.reverses_exchange_id}",
        )
    # And the other way: a reversal moves nothing its original did not, by the same amount.
    original, original_entry = aliased(Exchange), aliased(Entry)
    rows = session.execute(
        select(Exchange.id, Exchange.reverses_exchange_id)
        .join(original, original.id == Exchange.reverses_exchange_id)
        .join(Entry, Entry.exchange_id == Exchange.id, isouter=True)
        .outerjoin(
            original_entry,
            (original_entry.exchange_id == Exchange.reverses_exchange_id)
            & (original_entry.account_id == Entry.account_id)
            & (original_entry.amount_minutes == -Entry.amount_minutes),
        )
        .where((original_entry.id.is_(None) & Entry.id.is_not(None))
               | (Exchange.amount_minutes != original.amount_minutes))
        .distinct()
    )
    for r in rows:
        yield Problem(
            "reversal_mirrors_exchange",
            f"reversal {r.id} moves more than exchange {r.reverses_exchange_id} did",
        )


INVARIANTS = (
    exchange_sums_to_zero,
    only_posted_exchanges_move_balances,
    entries_match_exchange,
    balance_equals_sum_of_entries,
    bank_sums_to_zero,
    reversed_exchange_is_marked,
    reversed_exchange_has_reversal,
    reversal_mirrors_exchange,
)


def check_ledger(database: Database) -> CheckReport:
    """Verify every invariant in one snapshot of the whole database."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        problems = tuple(p for invariant in INVARIANTS for p in invariant(session))
        counts = {
            "banks": session.scalar(select(func.count()).select_from(Bank)),
            "members": session.scalar(select(func.count()).select_from(Member)),
            "accounts": session.scalar(select(func.count()).select_from(Account)),
            "exchanges": session.scalar(select(func.count()).select_from(Exchange)),
            "entries": session.scalar(select(func.count()).select_from(Entry)),
        }
    return CheckReport(problems=problems, counts=counts)
