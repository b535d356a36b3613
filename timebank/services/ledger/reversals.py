"""Reversals: a mistake is corrected by adding its opposite, never by editing it."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, Entry, Exchange, utcnow
from timebank.domain.errors import AlreadyReversed, ExchangeNotPosted
from timebank.domain.ledger import ExchangeKind, ExchangeState, PostingRequest, fingerprint, run_request_checks
from timebank.services.idempotency import clean_key, earlier_write, write_once
from timebank.services.ledger.posting import exchange_view, lock_accounts, post
from timebank.services.rows import bank_row, exchange_row
from timebank.services.views import ExchangeView

__all__ = ["reverse_exchange"]


def reverse_exchange(
    database: Database,
    exchange_id: int,
    *,
    reason: str,
    recorded_by: str,
    bank_slug: str | None = None,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> ExchangeView:
    """Record the opposite of a posted exchange, pointing at it, with a reason. Never twice.

    The reversal moves balances like any exchange, so it respects the limits too: a
    member who has already spent hours they are losing needs a grant or new limits first.
    """
    request = PostingRequest(ExchangeKind.REVERSAL, today=today, reason=reason)
    run_request_checks(request)
    reason = reason.strip()
    key = clean_key(idempotency_key)
    day = request.day()

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug) if bank_slug else None
        original = exchange_row(session, bank, exchange_id, lock=True)
        if bank is None:
            bank = session.get(Bank, original.bank_id)
        details = fingerprint({"kind": "reversal", "of": exchange_id, "reason": reason})
        earlier = earlier_write(session, Exchange, bank.id, key, details, "exchange")
        if earlier is not None:
            return exchange_view(session, earlier, replayed=True)
        _check_reversible(original)
        # The original's earner first, as the exchange was planned (the giver first), so
        # that when two limits would break the same one is named whichever path wrote
        # the entries, and in whatever order.
        moved = sorted(session.execute(
            select(Entry.id, Entry.account_id, Entry.amount_minutes)
            .where(Entry.exchange_id == original.id)
        ).all(), key=lambda e: (e.amount_minutes < 0, e.id))
        locked = lock_accounts(session, bank, account_ids=[e.account_id for e in moved])
        entries = [locked.entry(locked.accounts[e.account_id], -e.amount_minutes) for e in moved]
        view = post(
            session, locked, entries, kind=ExchangeKind.REVERSAL.value,
            provider_member_id=original.receiver_member_id,
            receiver_member_id=original.provider_member_id,
            amount_minutes=original.amount_minutes, category=original.category,
            description=original.description, given_on=day, recorded_by=recorded_by,
            idempotency_key=key, details_fingerprint=details,
            reverses_exchange_id=original.id, reason=reason,
        )
        original.state = ExchangeState.REVERSED.value
        original.settled_at = utcnow()
        original.settled_by = recorded_by
        session.flush()
        return view

    return write_once(database, attempt)


def _check_reversible(original: Exchange) -> None:
    """Only a posted exchange, not yet reversed and not itself a reversal, is reversed."""
    if original.state == ExchangeState.REVERSED.value:
        raise AlreadyReversed(f"Exchange {original.id} has already been reversed.")
    if original.kind == ExchangeKind.REVERSAL.value:
        raise ExchangeNotPosted(
            f"Exchange {original.id} is itself a reversal; log the exchange again instead."
        )
    if original.state != ExchangeState.POSTED.value:
        raise ExchangeNotPosted(
            f"Exchange {original.id} is {original.state}: only posted exchanges are reversed."
        )
