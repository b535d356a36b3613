"""Postings that involve the bank's own accounts: group exchanges, grants, donations."""
from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.domain.ledger import (
    AccountKind,
    ExchangeKind,
    Limits,
    PostingRequest,
    check_day_after_joining,
    fingerprint,
    run_request_checks,
    split_group,
)
from timebank.services.idempotency import clean_key, write_once
from timebank.services.ledger.posting import lock_members, post_once
from timebank.services.rows import bank_row, category_slug
from timebank.services.views import ExchangeView

__all__ = ["log_group_exchange", "grant", "donate"]

#: A grant from the community pot may take only what is in it.
_POT_HOLDS_WHAT_IT_GIVES = Limits(floor_minutes=0, ceiling_minutes=None)


def log_group_exchange(
    database: Database,
    bank_slug: str,
    *,
    provider_id: int,
    receiver_ids: list[int],
    minutes: int,
    recorded_by: str,
    category: str | None = None,
    description: str | None = None,
    given_on: str | dt.date | None = None,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
    long_ago_confirmed: bool = True,
) -> ExchangeView:
    """One provider, several receivers sharing `minutes` equally in whole minutes.

    The day rules are `log_exchange`'s: never before a member joined, and more than a
    year back only when `long_ago_confirmed`.

    The provider earns all of it; the few minutes that do not divide equally come from
    the community pot, which may go below zero for them (the community's gift).
    """
    receiver_ids = list(receiver_ids)
    request = PostingRequest(ExchangeKind.GROUP, minutes, provider_id, tuple(receiver_ids),
                             given_on, today, description, long_ago_confirmed=long_ago_confirmed)
    run_request_checks(request)
    key = clean_key(idempotency_key)
    share, remainder = split_group(minutes, len(receiver_ids))
    day, description = request.day(), request.description_text()

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        locked = lock_members(session, bank, [provider_id, *receiver_ids], kinds=[AccountKind.COMMUNITY_POT])
        slug = category_slug(session, bank, category)
        check_day_after_joining(day, [(locked.members[m].name, locked.members[m].joined_on)
                                      for m in [provider_id, *receiver_ids]])
        details = fingerprint({
            "kind": "group", "provider": provider_id, "receivers": sorted(receiver_ids),
            "minutes": minutes, "category": slug, "description": description, "given_on": day,
        })
        entries = [locked.member_entry(provider_id, minutes)]
        entries += [locked.member_entry(receiver_id, -share) for receiver_id in receiver_ids]
        if remainder:
            entries.append(locked.entry(locked.own_account(AccountKind.COMMUNITY_POT), -remainder))
        return post_once(
            session, locked, entries, kind=ExchangeKind.GROUP.value, provider_member_id=provider_id,
            receiver_member_id=None, amount_minutes=minutes, category=slug,
            description=description, given_on=day, recorded_by=recorded_by,
            idempotency_key=key, details_fingerprint=details,
        )

    return write_once(database, attempt)


def grant(
    database: Database,
    bank_slug: str,
    *,
    member_id: int,
    minutes: int,
    reason: str,
    recorded_by: str,
    from_community_pot: bool = False,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> ExchangeView:
    """Hours to a member from the bank's own account (welcome hours) or its community pot."""
    request = PostingRequest(ExchangeKind.GRANT, minutes, today=today, reason=reason)
    run_request_checks(request)
    reason = reason.strip()
    key = clean_key(idempotency_key)
    day = request.day()
    source = AccountKind.COMMUNITY_POT if from_community_pot else AccountKind.BANK

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        locked = lock_members(session, bank, [member_id], kinds=[source])
        details = fingerprint({"kind": "grant", "member": member_id, "minutes": minutes,
                               "reason": reason, "source": source.value})
        source_limits = _POT_HOLDS_WHAT_IT_GIVES if from_community_pot else None
        entries = [locked.member_entry(member_id, minutes),
                   locked.entry(locked.own_account(source), -minutes, limits=source_limits)]
        return post_once(
            session, locked, entries, kind=ExchangeKind.GRANT.value, provider_member_id=None,
            receiver_member_id=member_id, amount_minutes=minutes, category=None,
            description=None, given_on=day, recorded_by=recorded_by, idempotency_key=key,
            details_fingerprint=details, reason=reason,
        )

    return write_once(database, attempt)


def donate(
    database: Database,
    bank_slug: str,
    *,
    member_id: int,
    minutes: int,
    recorded_by: str,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
) -> ExchangeView:
    """A member gives hours to the community pot, from which grants can be made."""
    request = PostingRequest(ExchangeKind.DONATION, minutes, today=today)
    run_request_checks(request)
    key = clean_key(idempotency_key)
    day = request.day()

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        locked = lock_members(session, bank, [member_id], kinds=[AccountKind.COMMUNITY_POT])
        details = fingerprint({"kind": "donation", "member": member_id, "minutes": minutes})
        entries = [locked.member_entry(member_id, -minutes),
                   locked.entry(locked.own_account(AccountKind.COMMUNITY_POT), minutes)]
        return post_once(
            session, locked, entries, kind=ExchangeKind.DONATION.value, provider_member_id=member_id,
            receiver_member_id=None, amount_minutes=minutes, category=None, description=None,
            given_on=day, recorded_by=recorded_by, idempotency_key=key,
            details_fingerprint=details,
        )

    return write_once(database, attempt)
