"""Exchanges between two members: logged, proposed, confirmed, declined.

A plain exchange, the write a time bank makes most, first takes the driver-level hot
path of `timebank.db.hot_path` (`_post_plain_exchange`), which runs the same posting
checks as every other posting; anything that is not plain writes nothing there and comes
back to the complete path through the ORM (`ExchangeAsked.attempt`), which gives the
precise answer.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.hot_path import LockedPair, hot_path
from timebank.db.models import Bank, Exchange, Member, utcnow
from timebank.domain import notices as notice_rules
from timebank.domain.duplicates import duplicate_since, refuse_duplicate
from timebank.domain.errors import ExchangeNotPending, NotYoursToConfirm, TimebankError
from timebank.domain.hours import format_minutes
from timebank.domain.ledger import (
    AccountKind,
    ExchangeKind,
    ExchangeState,
    PlannedEntry,
    PostingRequest,
    check_day_after_joining,
    fingerprint,
    member_limits,
    run_posting_checks,
    run_request_checks,
)
from timebank.domain.text import clean_text
from timebank.services import notices
from timebank.services.idempotency import clean_key, earlier_write, write_once
from timebank.services.ledger.posting import exchange_view, lock_members, post, post_once
from timebank.services.rows import bank_row, category_slug, exchange_row
from timebank.services.views import ExchangeView

__all__ = ["log_exchange", "propose_exchange", "confirm_exchange", "decline_exchange",
           "ExchangeAsked", "exchange_attempt"]


def log_exchange(
    database: Database,
    bank_slug: str,
    *,
    provider_id: int,
    receiver_id: int,
    minutes: int,
    recorded_by: str,
    category: str | None = None,
    description: str | None = None,
    given_on: str | dt.date | None = None,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
    long_ago_confirmed: bool = True,
    refuse_duplicates: bool = False,
) -> ExchangeView:
    """Record help one member gave another, posted at once (a coordinator's logging).

    Help is never dated before either member joined (`DayBeforeMemberJoined`). A person
    at a form or a command line is asked about a day more than a year back: they pass
    `long_ago_confirmed` as they answered (`DayLongAgo` when not); scripts that back-date
    on purpose leave it True. With `refuse_duplicates` (a person at a form), an exchange
    with the same people, day and hours recorded within `DUPLICATE_WINDOW` refuses this
    one (`LooksLikeDuplicate`); the person confirms by sending it again without it.
    """
    return _record_exchange(
        database, bank_slug, provider_id=provider_id, receiver_id=receiver_id,
        minutes=minutes, recorded_by=recorded_by, category=category,
        description=description, given_on=given_on, idempotency_key=idempotency_key,
        today=today, initiated_by=None, long_ago_confirmed=long_ago_confirmed,
        refuse_duplicates=refuse_duplicates,
    )


def propose_exchange(
    database: Database,
    bank_slug: str,
    *,
    member_id: int,
    provider_id: int,
    receiver_id: int,
    minutes: int,
    category: str | None = None,
    description: str | None = None,
    given_on: str | dt.date | None = None,
    idempotency_key: str | None = None,
    today: dt.date | None = None,
    long_ago_confirmed: bool = True,
    refuse_duplicates: bool = False,
) -> ExchangeView:
    """A member logs an exchange they took part in; it waits for the other member.

    When the bank does not ask for confirmation, it is posted at once. The day and
    duplicate rules are those of `log_exchange`.
    """
    if member_id not in (provider_id, receiver_id):
        raise NotYoursToConfirm("A member can only log an exchange they took part in.")
    return _record_exchange(
        database, bank_slug, provider_id=provider_id, receiver_id=receiver_id,
        minutes=minutes, recorded_by=f"member:{member_id}", category=category,
        description=description, given_on=given_on, idempotency_key=idempotency_key,
        today=today, initiated_by=member_id, long_ago_confirmed=long_ago_confirmed,
        refuse_duplicates=refuse_duplicates,
    )


def _record_exchange(database: Database, bank_slug: str, **details) -> ExchangeView:
    asked = ExchangeAsked.check(**details)
    # The duplicate check reads earlier exchanges under the members' locks, which only
    # the complete path does; a person at a form does not need the hot path's speed.
    plain = None if asked.refuse_duplicates else _post_plain_exchange(database, bank_slug, asked)
    return plain or write_once(database, asked.attempt(bank_slug))


@dataclass(frozen=True)
class ExchangeAsked:
    """An exchange between two members as asked for, past the request checks."""

    provider_id: int
    receiver_id: int
    minutes: int
    recorded_by: str
    category: str | None
    description: str | None
    day: dt.date
    key: str | None
    initiated_by: int | None
    refuse_duplicates: bool = False

    @classmethod
    def check(
        cls, *, provider_id: int, receiver_id: int, minutes: int, recorded_by: str,
        category: str | None, description: str | None, given_on: str | dt.date | None,
        idempotency_key: str | None, today: dt.date | None, initiated_by: int | None,
        long_ago_confirmed: bool = True, refuse_duplicates: bool = False,
    ) -> ExchangeAsked:
        request = PostingRequest(ExchangeKind.EXCHANGE, minutes, provider_id, (receiver_id,),
                                 given_on, today, description, long_ago_confirmed=long_ago_confirmed)
        run_request_checks(request)
        key = clean_key(idempotency_key)
        return cls(provider_id, receiver_id, minutes, recorded_by, (category or "").strip() or None,
                   request.description_text(), request.day(), key, initiated_by, refuse_duplicates)

    def fields(self) -> dict:
        """The exchange row's own fields, with the fingerprint a retry is compared by."""
        details = fingerprint({
            "kind": "exchange", "provider": self.provider_id, "receiver": self.receiver_id,
            "minutes": self.minutes, "category": self.category, "description": self.description,
            "given_on": self.day, "initiated_by": self.initiated_by,
        })
        return dict(
            kind=ExchangeKind.EXCHANGE.value, provider_member_id=self.provider_id,
            receiver_member_id=self.receiver_id, amount_minutes=self.minutes,
            category=self.category, description=self.description, given_on=self.day,
            recorded_by=self.recorded_by, initiated_by_member_id=self.initiated_by,
            idempotency_key=self.key, details_fingerprint=details,
        )

    def attempt(self, bank_slug: str):
        """The complete write, to run in a unit of work: every refusal with its precise
        error, and a retried key answered with the exchange it first recorded."""

        def attempt(session: Session) -> ExchangeView:
            bank = bank_row(session, bank_slug)
            locked = lock_members(session, bank, [self.provider_id, self.receiver_id])
            category_slug(session, bank, self.category)
            check_day_after_joining(self.day, [(m.name, m.joined_on) for m in (
                locked.members[self.provider_id], locked.members[self.receiver_id])])
            fields = self.fields()
            if self.refuse_duplicates and earlier_write(
                    session, Exchange, bank.id, self.key, fields["details_fingerprint"], "exchange") is None:
                _refuse_alike(session, bank, self, {i: m.name for i, m in locked.members.items()})
            entries = [locked.member_entry(self.provider_id, self.minutes),
                       locked.member_entry(self.receiver_id, -self.minutes)]
            waits = self.initiated_by is not None and bank.member_exchanges_need_confirmation
            view = post_once(session, locked, entries, waits_for_confirmation=waits, **fields)
            if view.state == ExchangeState.PENDING.value:
                self._ask_the_other_member(session, bank, view.id, locked.members)
            return view

        return attempt


    def _ask_the_other_member(self, session: Session, bank: Bank, exchange_id: int, members: dict) -> None:
        """The member who did not log it is told it waits for them, in the same transaction."""
        other = self.receiver_id if self.initiated_by == self.provider_id else self.provider_id
        notices.write_planned(session, notice_rules.exchange_waiting(
            exchange_id=exchange_id, to_member_id=other, other_name=members[self.initiated_by].name,
            minutes=self.minutes, given_on=self.day, what=self.description,
            provider_is_you=other == self.provider_id), bank_id=bank.id)


def exchange_attempt(bank_slug: str, **details):
    """Check what can be checked without the database; return the write to run in a session."""
    return ExchangeAsked.check(**details).attempt(bank_slug)


def _post_plain_exchange(database: Database, bank_slug: str, asked: ExchangeAsked) -> ExchangeView | None:
    """The common case (both members of the bank, a known category, posted at once, a new
    key) on the driver, in the fewest statements (`timebank.db.hot_path`).

    The posting checks run there on the balances read under the locks, as they do on the
    complete path. Returns None for anything else, which the complete path then settles
    with its precise answer, in a transaction of its own: a refusal, a proposal waiting
    for confirmation, or a key used before (a refusal here may be a retry, which the
    complete path answers with the first exchange).
    """
    minutes = asked.minutes
    fields = asked.fields()
    created_at = fields["created_at"] = utcnow()

    def check(locked: LockedPair) -> None:
        check_day_after_joining(asked.day, [(m.name, m.joined_on) for m in locked.members.values()])
        run_posting_checks(ExchangeKind.EXCHANGE.value, [
            _planned_entry(locked, asked.provider_id, minutes),
            _planned_entry(locked, asked.receiver_id, -minutes),
        ])

    try:
        posted = hot_path(database).post_exchange(
            bank_slug, fields, member_started=asked.initiated_by is not None, check=check)
    except TimebankError:
        return None
    if posted is None:
        return None
    exchange_id, locked = posted
    return ExchangeView(
        id=exchange_id, bank_id=locked.bank_id, kind=fields["kind"], state=ExchangeState.POSTED.value,
        provider_member_id=asked.provider_id, receiver_member_id=asked.receiver_id,
        amount_minutes=minutes, category=asked.category, description=asked.description,
        given_on=asked.day, recorded_by=asked.recorded_by,
        initiated_by_member_id=asked.initiated_by, reverses_exchange_id=None, reason=None,
        created_at=created_at, entries={str(asked.provider_id): minutes, str(asked.receiver_id): -minutes},
    )


def _planned_entry(locked: LockedPair, member_id: int, amount_minutes: int) -> PlannedEntry:
    """A member's entry as the hot path read their account under its lock."""
    member = locked.members[member_id]
    return PlannedEntry(
        account_id=member.account_id, member_id=member_id, account_kind=AccountKind.MEMBER.value,
        who=member.name, member_status=member.status, balance_minutes=member.balance_minutes,
        amount_minutes=amount_minutes,
        limits=member_limits(locked.bank_floor_minutes, locked.bank_ceiling_minutes,
                             member.floor_minutes, member.ceiling_minutes),
    )


def _refuse_alike(session: Session, bank: Bank, asked: ExchangeAsked, names: dict[int, str]) -> None:
    """Refuse an exchange like one recorded within the duplicate window (the same people,
    day and hours, still waiting or posted); read under the members' locks, so two sends
    at the same moment see each other."""
    now = utcnow()
    earlier = session.scalars(
        select(Exchange).where(
            Exchange.bank_id == bank.id, Exchange.kind == ExchangeKind.EXCHANGE.value,
            Exchange.provider_member_id == asked.provider_id,
            Exchange.receiver_member_id == asked.receiver_id,
            Exchange.given_on == asked.day, Exchange.amount_minutes == asked.minutes,
            Exchange.state.in_([ExchangeState.PENDING.value, ExchangeState.POSTED.value]),
            Exchange.created_at >= duplicate_since(now))
        .order_by(Exchange.id.desc()).limit(1)).first()
    if earlier is None:
        return
    words = (f"{format_minutes(earlier.amount_minutes)} from {names[asked.provider_id]} to "
             f"{names[asked.receiver_id]} on {earlier.given_on.day} {earlier.given_on:%B %Y}")
    if earlier.description:
        words += f" ({earlier.description[:80]})"
    refuse_duplicate("An exchange with the same people, day and hours", words, earlier.id,
                     _aware(earlier.created_at), now, confirmed=False)


def _aware(moment: dt.datetime) -> dt.datetime:
    """A stored moment as UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _pending_for(session: Session, bank: Bank, exchange_id: int, member_id: int | None) -> Exchange:
    """The pending exchange this member (or a coordinator) may settle.

    Whose it is comes before its state, so a member learns nothing about another
    member's exchange, not even that it was settled.
    """
    exchange = exchange_row(session, bank, exchange_id, lock=True)
    _may_settle(exchange, member_id)
    if exchange.state != ExchangeState.PENDING.value:
        raise ExchangeNotPending(f"Exchange {exchange_id} is {exchange.state}, not waiting.")
    return exchange


def _may_settle(exchange: Exchange, member_id: int | None) -> None:
    """Only the other member (or a coordinator, member_id None) settles a pending exchange."""
    if member_id is None:
        return
    parties = (exchange.provider_member_id, exchange.receiver_member_id)
    if member_id not in parties or member_id == exchange.initiated_by_member_id:
        raise NotYoursToConfirm(
            f"Exchange {exchange.id} waits for the other member to confirm it, not you."
        )


def confirm_exchange(
    database: Database, bank_slug: str, exchange_id: int, *, member_id: int | None, settled_by: str
) -> ExchangeView:
    """The other member (or a coordinator, with member_id None) confirms: it is posted."""

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        exchange = _pending_for(session, bank, exchange_id, member_id)
        provider_id, receiver_id = exchange.provider_member_id, exchange.receiver_member_id
        locked = lock_members(session, bank, [provider_id, receiver_id])
        minutes = exchange.amount_minutes
        entries = [locked.member_entry(provider_id, minutes), locked.member_entry(receiver_id, -minutes)]
        exchange.state = ExchangeState.POSTED.value
        exchange.settled_at = utcnow()
        exchange.settled_by = settled_by
        view = post(session, locked, entries, exchange=exchange)
        session.flush()
        return view

    return write_once(database, attempt)


def _tell_who_logged_it(session: Session, bank: Bank, exchange: Exchange) -> None:
    """The member who logged a declined exchange is told, with the reason."""
    logged_by = exchange.initiated_by_member_id
    if logged_by is None:
        return
    other_id = (exchange.receiver_member_id if logged_by == exchange.provider_member_id
                else exchange.provider_member_id)
    other = session.get(Member, other_id)
    notices.write_planned(session, notice_rules.exchange_declined(
        exchange_id=exchange.id, to_member_id=logged_by, other_name=other.name,
        minutes=exchange.amount_minutes, given_on=exchange.given_on, what=exchange.description,
        reason=exchange.decline_reason), bank_id=bank.id)


def decline_exchange(
    database: Database, bank_slug: str, exchange_id: int, *, member_id: int | None, settled_by: str,
    reason: str | None = None,
) -> ExchangeView:
    """The other member (or a coordinator) declines: it never moves a balance.

    The `reason`, optional, is kept on the exchange for the member who logged it.
    """
    reason = clean_text(reason, "the reason", 500)

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        exchange = _pending_for(session, bank, exchange_id, member_id)
        exchange.decline_reason = reason
        exchange.state = ExchangeState.DECLINED.value
        exchange.settled_at = utcnow()
        exchange.settled_by = settled_by
        session.flush()
        _tell_who_logged_it(session, bank, exchange)
        return exchange_view(session, exchange)

    return write_once(database, attempt)
