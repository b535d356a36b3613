"""The ledger's use cases: logging, confirming, reversing, granting, donating, reading.

Every write follows the same steps: lock the accounts it touches in id order, check the
idempotency key, check every balance against its limits, then insert the entries and
move the cached balances, all in one transaction. On PostgreSQL the lock is
`SELECT ... FOR UPDATE`; on SQLite the whole transaction already holds the write lock
from `BEGIN IMMEDIATE`, and SQLAlchemy leaves FOR UPDATE out.

A plain exchange between two members, the write a time bank makes most, first tries the
driver-level hot path of `timebank.db.hot_path` (`_post_plain_exchange`); anything
unusual there writes nothing and comes back here, to the complete path through the ORM
(`_ExchangeAsked.attempt`, then `_post`), which gives the precise answer.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from timebank.db.engine import Database
from timebank.db.hot_path import LockedPair, hot_path
from timebank.db.models import Account, Bank, Entry, Exchange, Member, ServiceCategory, utcnow
from timebank.domain.errors import (
    AlreadyReversed,
    BalanceAboveCeiling,
    BalanceBelowFloor,
    CommunityPotTooLow,
    ExchangeNotPending,
    ExchangeNotPosted,
    HoursNotPositive,
    IdempotencyKeyReusedWithOtherDetails,
    InvalidHours,
    InvalidInput,
    MemberNotActive,
    NotYoursToConfirm,
    UnknownCategory,
    UnknownExchange,
)
from timebank.domain.ledger import (
    AccountKind,
    ExchangeKind,
    ExchangeState,
    Limits,
    check_balance_move,
    check_distinct_members,
    check_exchange_length,
    fingerprint,
    parse_day,
    require_reason,
    split_group,
)
from timebank.services.banks import bank_row
from timebank.services.idempotency import clean_key, write_once
from timebank.services.members import member_row
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import BalanceView, ExchangeView, StatementLine

__all__ = [
    "log_exchange",
    "propose_exchange",
    "confirm_exchange",
    "decline_exchange",
    "log_group_exchange",
    "grant",
    "donate",
    "reverse_exchange",
    "get_exchange",
    "list_exchanges",
    "balance",
    "balances",
    "statement",
    "account_balances",
]

MAX_DESCRIPTION_CHARS = 2000


# ---------------------------------------------------------------- inputs


def _check_minutes(minutes: int) -> int:
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise InvalidHours(f"{minutes!r} is not a whole number of minutes.")
    if minutes <= 0:
        raise HoursNotPositive("Hours must be more than zero.")
    check_exchange_length(minutes)
    return minutes


def _clean_text(text: str | None, what: str, limit: int) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(f"The {what} can be at most {limit} characters.")
    return text or None


def _check_category(session: Session, bank: Bank, category: str | None) -> str | None:
    category = (category or "").strip() or None
    if category is None:
        return None
    found = session.scalars(
        select(ServiceCategory.id).where(
            ServiceCategory.bank_id == bank.id,
            ServiceCategory.slug == category,
            ServiceCategory.active.is_(True),
        )
    ).first()
    if found is None:
        raise UnknownCategory(f"{category!r} is not one of this bank's service categories.")
    return category


def _active_members(session: Session, bank: Bank, member_ids: list[int]) -> dict[int, Member]:
    members = {}
    for member_id in member_ids:
        member = member_row(session, bank.id, member_id)
        if member.status != "active":
            raise MemberNotActive(f"{member.name} (member {member.id}) is {member.status}.")
        members[member_id] = member
    return members


# ---------------------------------------------------------------- the one write path


@dataclass(frozen=True)
class _Leg:
    account: Account
    delta_minutes: int
    who: str
    limits: Limits | None  # None: no limit (the bank's own account)


def _member_limits(bank: Bank, member: Member) -> Limits:
    return Limits(
        floor_minutes=bank.floor_minutes if member.floor_minutes is None else member.floor_minutes,
        ceiling_minutes=(
            bank.ceiling_minutes if member.ceiling_minutes is None else member.ceiling_minutes
        ),
    )


def _lock_accounts(session: Session, account_ids: set[int]) -> dict[int, Account]:
    """Lock in id order, so that two writers never wait for each other in a cycle."""
    rows = session.scalars(
        select(Account)
        .where(Account.id.in_(sorted(account_ids)))
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return {a.id: a for a in rows}


def _lock_member_accounts(session: Session, bank_slug: str, member_ids: list[int]):
    """The bank, the members and their accounts (locked, in id order), in one query.

    The hot path of the ledger: a query per table would cost a round trip each, and
    loading ORM objects costs more than the query, so plain rows come back as simple
    objects (`_Plain`). When something is missing or foreign, the slower lookups below
    find the precise error.
    """
    rows = session.execute(
        select(
            Account.id.label("account_id"), Account.kind.label("account_kind"),
            Account.balance_minutes,
            Member.id.label("member_id"), Member.name, Member.status,
            Member.floor_minutes.label("member_floor"), Member.ceiling_minutes.label("member_ceiling"),
            Bank.id.label("bank_id"), Bank.slug, Bank.floor_minutes.label("bank_floor"),
            Bank.ceiling_minutes.label("bank_ceiling"), Bank.member_exchanges_need_confirmation,
        )
        .join(Member, Member.id == Account.member_id)
        .join(Bank, Bank.id == Member.bank_id)
        .where(Account.member_id.in_(member_ids))
        .order_by(Account.id)
        .with_for_update(of=Account.__table__)
    ).all()
    if len(rows) != len(set(member_ids)) or any(r.slug != bank_slug for r in rows):
        bank = bank_row(session, bank_slug)
        _active_members(session, bank, member_ids)  # raises the precise error
        raise AssertionError("unreachable: every member was found in this bank")  # pragma: no cover
    first = rows[0]
    bank = _Plain(id=first.bank_id, slug=first.slug, floor_minutes=first.bank_floor,
                  ceiling_minutes=first.bank_ceiling,
                  member_exchanges_need_confirmation=first.member_exchanges_need_confirmation)
    members, accounts = {}, {}
    for r in rows:
        members[r.member_id] = _Plain(id=r.member_id, name=r.name, status=r.status,
                                      floor_minutes=r.member_floor, ceiling_minutes=r.member_ceiling)
        accounts[r.member_id] = _Plain(id=r.account_id, kind=r.account_kind, member_id=r.member_id,
                                       balance_minutes=r.balance_minutes)
    for member_id in member_ids:
        member = members[member_id]
        if member.status != "active":
            raise MemberNotActive(f"{member.name} (member {member.id}) is {member.status}.")
    return bank, members, accounts


class _Plain(SimpleNamespace):
    """A row read for one write: attributes only, no ORM bookkeeping."""


def _member_accounts(session: Session, member_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Account.member_id, Account.id).where(Account.member_id.in_(member_ids))
    )
    return {r.member_id: r.id for r in rows}


def _system_account_id(session: Session, bank: Bank, kind: AccountKind) -> int:
    return session.scalars(
        select(Account.id).where(Account.bank_id == bank.id, Account.kind == kind.value)
    ).one()


def _replay(session: Session, bank: Bank, key: str | None, details_fingerprint: str) -> Exchange | None:
    """The exchange an earlier write with this key recorded, if the details match."""
    if key is None:
        return None
    earlier = session.scalars(
        select(Exchange).where(Exchange.bank_id == bank.id, Exchange.idempotency_key == key)
    ).one_or_none()
    if earlier is None:
        return None
    if earlier.details_fingerprint != details_fingerprint:
        raise IdempotencyKeyReusedWithOtherDetails(
            f"The key {key!r} was already used for exchange {earlier.id}, with other details. "
            "Use a new key for a new exchange."
        )
    return earlier


def _check_legs(legs: list[_Leg]) -> None:
    """Every leg against its limits, on the balances read under the lock."""
    for leg in legs:
        if leg.limits is not None:
            check_balance_move(leg.who, leg.account.balance_minutes, leg.delta_minutes, leg.limits)
    if sum(leg.delta_minutes for leg in legs) != 0:  # pragma: no cover - a programming error
        raise AssertionError("entries of an exchange must sum to zero")


def _apply_legs(session: Session, bank: Bank, exchange: Exchange, legs: list[_Leg]) -> None:
    """Check every leg against its limits, then write the entries and move balances."""
    _check_legs(legs)
    _write_legs(session, bank, exchange, legs)


def _write_legs(session: Session, bank: Bank, exchange: Exchange, legs: list[_Leg]) -> None:
    now = utcnow()
    session.execute(
        Entry.__table__.insert(),
        [
            {
                "bank_id": bank.id,
                "exchange_id": exchange.id,
                "account_id": leg.account.id,
                "amount_minutes": leg.delta_minutes,
                "created_at": now,
            }
            for leg in legs
        ],
    )
    accounts_table = Account.__table__
    session.execute(
        accounts_table.update()
        .where(accounts_table.c.id == bindparam("account_id"))
        .values(balance_minutes=accounts_table.c.balance_minutes + bindparam("delta")),
        [{"account_id": leg.account.id, "delta": leg.delta_minutes} for leg in legs],
    )
    for leg in legs:
        # Keep the loaded row in step without marking it dirty: the UPDATE above wrote it.
        if isinstance(leg.account, Account):
            set_committed_value(leg.account, "balance_minutes",
                                leg.account.balance_minutes + leg.delta_minutes)
        else:
            leg.account.balance_minutes += leg.delta_minutes


@dataclass(frozen=True)
class _Locked:
    """What a posting reads under its locks: the bank, its members and their accounts."""

    bank: Bank
    members: dict[int, Member]
    accounts: dict[int, Account]  # by member id
    system_account: Account | None  # the bank's own account or its pot, when asked for


def _lock_for_posting(
    session: Session, bank_slug: str, member_ids: list[int], system_kind: AccountKind | None = None
) -> _Locked:
    """The bank, its active members, and their accounts (with one of the bank's own) locked
    in id order, so that postings of every kind take their locks in the same order."""
    bank = bank_row(session, bank_slug)
    members = _active_members(session, bank, member_ids)
    account_of = _member_accounts(session, member_ids)
    system_id = _system_account_id(session, bank, system_kind) if system_kind else None
    accounts = _lock_accounts(session, {*account_of.values(), *([system_id] if system_id else [])})
    return _Locked(bank, members, {m: accounts[a] for m, a in account_of.items()},
                   accounts.get(system_id))


def _post(session: Session, bank: Bank, legs: list[_Leg], **exchange_fields) -> ExchangeView:
    """Check the legs against their limits, then write the exchange and its entries."""
    _check_legs(legs)
    exchange = _new_exchange(session, bank, state=ExchangeState.POSTED.value, **exchange_fields)
    _write_legs(session, bank, exchange, legs)
    return _exchange_view(session, exchange, entries=_entries_of(legs))


def _entries_of(legs: list[_Leg]) -> dict[str, int]:
    return {
        (str(leg.account.member_id) if leg.account.member_id is not None else leg.account.kind):
        leg.delta_minutes
        for leg in legs
    }


def _exchange_view(
    session: Session, exchange: Exchange, *, replayed: bool = False,
    entries: dict[str, int] | None = None,
) -> ExchangeView:
    """The view of an exchange; `entries` when the caller has just written them."""
    if entries is None:
        rows = session.execute(
            select(Account.member_id, Account.kind, Entry.amount_minutes)
            .join(Account, Account.id == Entry.account_id)
            .where(Entry.exchange_id == exchange.id)
            .order_by(Entry.id)
        )
        entries = {
            (str(r.member_id) if r.member_id is not None else r.kind): r.amount_minutes for r in rows
        }
    return ExchangeView(
        id=exchange.id,
        bank_id=exchange.bank_id,
        kind=exchange.kind,
        state=exchange.state,
        provider_member_id=exchange.provider_member_id,
        receiver_member_id=exchange.receiver_member_id,
        amount_minutes=exchange.amount_minutes,
        category=exchange.category,
        description=exchange.description,
        given_on=exchange.given_on,
        recorded_by=exchange.recorded_by,
        initiated_by_member_id=exchange.initiated_by_member_id,
        reverses_exchange_id=exchange.reverses_exchange_id,
        reason=exchange.reason,
        created_at=exchange.created_at,
        entries=entries,
        replayed=replayed,
    )


def _new_exchange(session: Session, bank: Bank, **fields) -> Exchange:
    """Insert an exchange row and return it as a plain (unattached) object.

    A single INSERT ... RETURNING: the ORM's unit-of-work flush costs more than the
    database's own work on this path, which every exchange takes.
    """
    fields = {"bank_id": bank.id, "created_at": utcnow(), "reverses_exchange_id": None,
              "reason": None, "initiated_by_member_id": None, "idempotency_key": None,
              "details_fingerprint": None, "settled_at": None, "settled_by": None, **fields}
    table = Exchange.__table__
    new_id = session.execute(table.insert().values(**fields).returning(table.c.id)).scalar_one()
    return Exchange(id=new_id, **fields)


# ---------------------------------------------------------------- exchanges between members


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
) -> ExchangeView:
    """Record help one member gave another, posted at once (a coordinator's logging)."""
    return _record_exchange(
        database, bank_slug, provider_id=provider_id, receiver_id=receiver_id,
        minutes=minutes, recorded_by=recorded_by, category=category,
        description=description, given_on=given_on, idempotency_key=idempotency_key,
        today=today, initiated_by=None,
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
) -> ExchangeView:
    """A member logs an exchange they took part in; it waits for the other member.

    When the bank does not ask for confirmation, it is posted at once.
    """
    if member_id not in (provider_id, receiver_id):
        raise NotYoursToConfirm("A member can only log an exchange they took part in.")
    return _record_exchange(
        database, bank_slug, provider_id=provider_id, receiver_id=receiver_id,
        minutes=minutes, recorded_by=f"member:{member_id}", category=category,
        description=description, given_on=given_on, idempotency_key=idempotency_key,
        today=today, initiated_by=member_id,
    )


def _record_exchange(database: Database, bank_slug: str, **details) -> ExchangeView:
    asked = _ExchangeAsked.check(**details)
    return _post_plain_exchange(database, bank_slug, asked) or write_once(database, asked.attempt(bank_slug))


@dataclass(frozen=True)
class _ExchangeAsked:
    """An exchange between two members as asked for, checked as far as it can be without
    the database."""

    provider_id: int
    receiver_id: int
    minutes: int
    recorded_by: str
    category: str | None
    description: str | None
    day: dt.date
    key: str | None
    initiated_by: int | None

    @classmethod
    def check(
        cls, *, provider_id: int, receiver_id: int, minutes: int, recorded_by: str,
        category: str | None, description: str | None, given_on: str | dt.date | None,
        idempotency_key: str | None, today: dt.date | None, initiated_by: int | None,
    ) -> _ExchangeAsked:
        _check_minutes(minutes)
        day = parse_day(given_on, today or dt.date.today())
        description = _clean_text(description, "description", MAX_DESCRIPTION_CHARS)
        key = clean_key(idempotency_key)
        check_distinct_members(provider_id, [receiver_id])
        return cls(provider_id, receiver_id, minutes, recorded_by,
                   (category or "").strip() or None, description, day, key, initiated_by)

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
            members_ids = [self.provider_id, self.receiver_id]
            bank, members, account_of = _lock_member_accounts(session, bank_slug, members_ids)
            _check_category(session, bank, self.category)
            fields = self.fields()
            earlier = _replay(session, bank, self.key, fields["details_fingerprint"])
            if earlier is not None:
                return _exchange_view(session, earlier, replayed=True)
            if self.initiated_by is not None and bank.member_exchanges_need_confirmation:
                pending = _new_exchange(session, bank, state=ExchangeState.PENDING.value, **fields)
                return _exchange_view(session, pending, entries={})
            provider, receiver = members[self.provider_id], members[self.receiver_id]
            legs = [
                _Leg(account_of[self.provider_id], self.minutes, provider.name,
                     _member_limits(bank, provider)),
                _Leg(account_of[self.receiver_id], -self.minutes, receiver.name,
                     _member_limits(bank, receiver)),
            ]
            return _post(session, bank, legs, **fields)

        return attempt


def exchange_attempt(bank_slug: str, **details):
    """Check what can be checked without the database; return the write to run in a session."""
    return _ExchangeAsked.check(**details).attempt(bank_slug)


def _post_plain_exchange(database: Database, bank_slug: str, asked: _ExchangeAsked) -> ExchangeView | None:
    """The common case (both members active in the bank, posted at once, a new key,
    within limits) on the driver, in the fewest statements (`timebank.db.hot_path`).

    Returns None for anything else, which the complete path then settles with its
    precise answer, in a transaction of its own: a refusal, a proposal waiting for
    confirmation, or a key used before (a refusal here may be a retry, which the complete
    path answers with the first exchange).
    """
    minutes = asked.minutes
    fields = asked.fields()
    created_at = fields["created_at"] = utcnow()

    def check(locked: LockedPair) -> None:
        bank = _Plain(floor_minutes=locked.bank_floor_minutes,
                      ceiling_minutes=locked.bank_ceiling_minutes)
        for member, delta in ((locked.members[asked.provider_id], minutes),
                              (locked.members[asked.receiver_id], -minutes)):
            check_balance_move(member.name, member.balance_minutes, delta,
                               _member_limits(bank, member))

    try:
        posted = hot_path(database).post_exchange(
            bank_slug, fields, member_started=asked.initiated_by is not None, check=check)
    except (BalanceBelowFloor, BalanceAboveCeiling):
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


def _pending_for(session: Session, bank: Bank, exchange_id: int, member_id: int | None) -> Exchange:
    """The pending exchange this member (or a coordinator) may settle.

    Whose it is comes before its state, so a member learns nothing about another
    member's exchange, not even that it was settled.
    """
    exchange = _exchange_row(session, bank, exchange_id, lock=True)
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
        locked = _lock_for_posting(session, bank_slug, [provider_id, receiver_id])
        provider, receiver = locked.members[provider_id], locked.members[receiver_id]
        minutes = exchange.amount_minutes
        _apply_legs(session, bank, exchange, [
            _Leg(locked.accounts[provider_id], minutes, provider.name, _member_limits(bank, provider)),
            _Leg(locked.accounts[receiver_id], -minutes, receiver.name, _member_limits(bank, receiver)),
        ])
        exchange.state = ExchangeState.POSTED.value
        exchange.settled_at = utcnow()
        exchange.settled_by = settled_by
        session.flush()
        return _exchange_view(session, exchange)

    return write_once(database, attempt)


def decline_exchange(
    database: Database, bank_slug: str, exchange_id: int, *, member_id: int | None, settled_by: str
) -> ExchangeView:
    """The other member (or a coordinator) declines: it never moves a balance."""

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug)
        exchange = _pending_for(session, bank, exchange_id, member_id)
        exchange.state = ExchangeState.DECLINED.value
        exchange.settled_at = utcnow()
        exchange.settled_by = settled_by
        session.flush()
        return _exchange_view(session, exchange)

    return write_once(database, attempt)


# ---------------------------------------------------------------- groups, grants, donations


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
) -> ExchangeView:
    """One provider, several receivers sharing `minutes` equally in whole minutes.

    The provider earns all of it; the few minutes that do not divide equally come from
    the community pot, which may go below zero for them (the community's gift).
    """
    _check_minutes(minutes)
    receiver_ids = list(receiver_ids)
    if not receiver_ids:
        raise InvalidInput("A group exchange needs at least one receiver.")
    check_distinct_members(provider_id, receiver_ids)
    share, remainder = split_group(minutes, len(receiver_ids))
    day = parse_day(given_on, today or dt.date.today())
    description = _clean_text(description, "description", MAX_DESCRIPTION_CHARS)
    key = clean_key(idempotency_key)

    def attempt(session: Session) -> ExchangeView:
        locked = _lock_for_posting(session, bank_slug, [provider_id, *receiver_ids],
                                   AccountKind.COMMUNITY_POT)
        bank, members = locked.bank, locked.members
        slug = _check_category(session, bank, category)
        details = fingerprint({
            "kind": "group", "provider": provider_id, "receivers": sorted(receiver_ids),
            "minutes": minutes, "category": slug, "description": description, "given_on": day,
        })
        earlier = _replay(session, bank, key, details)
        if earlier is not None:
            return _exchange_view(session, earlier, replayed=True)
        legs = [_Leg(locked.accounts[provider_id], minutes, members[provider_id].name,
                     _member_limits(bank, members[provider_id]))]
        for receiver_id in receiver_ids:
            receiver = members[receiver_id]
            legs.append(_Leg(locked.accounts[receiver_id], -share, receiver.name,
                             _member_limits(bank, receiver)))
        if remainder:
            legs.append(_Leg(locked.system_account, -remainder, "The community pot", None))
        return _post(
            session, bank, legs, kind=ExchangeKind.GROUP.value, provider_member_id=provider_id,
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
    _check_minutes(minutes)
    reason = require_reason(reason, "grant")
    key = clean_key(idempotency_key)
    day = today or dt.date.today()

    def attempt(session: Session) -> ExchangeView:
        source = AccountKind.COMMUNITY_POT if from_community_pot else AccountKind.BANK
        locked = _lock_for_posting(session, bank_slug, [member_id], source)
        bank, member, pot = locked.bank, locked.members[member_id], locked.system_account
        details = fingerprint({"kind": "grant", "member": member_id, "minutes": minutes,
                               "reason": reason, "source": source.value})
        earlier = _replay(session, bank, key, details)
        if earlier is not None:
            return _exchange_view(session, earlier, replayed=True)
        if from_community_pot and pot.balance_minutes < minutes:
            raise CommunityPotTooLow(
                f"The community pot holds {pot.balance_minutes} minutes, "
                f"fewer than the {minutes} this grant needs."
            )
        legs = [
            _Leg(locked.accounts[member_id], minutes, member.name, _member_limits(bank, member)),
            _Leg(locked.system_account, -minutes, "The bank", None),
        ]
        return _post(
            session, bank, legs, kind=ExchangeKind.GRANT.value, provider_member_id=None,
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
    _check_minutes(minutes)
    key = clean_key(idempotency_key)
    day = today or dt.date.today()

    def attempt(session: Session) -> ExchangeView:
        locked = _lock_for_posting(session, bank_slug, [member_id], AccountKind.COMMUNITY_POT)
        bank, member = locked.bank, locked.members[member_id]
        details = fingerprint({"kind": "donation", "member": member_id, "minutes": minutes})
        earlier = _replay(session, bank, key, details)
        if earlier is not None:
            return _exchange_view(session, earlier, replayed=True)
        legs = [
            _Leg(locked.accounts[member_id], -minutes, member.name, _member_limits(bank, member)),
            _Leg(locked.system_account, minutes, "The community pot", None),
        ]
        return _post(
            session, bank, legs, kind=ExchangeKind.DONATION.value, provider_member_id=member_id,
            receiver_member_id=None, amount_minutes=minutes, category=None, description=None,
            given_on=day, recorded_by=recorded_by, idempotency_key=key,
            details_fingerprint=details,
        )

    return write_once(database, attempt)


# ---------------------------------------------------------------- reversals


def _exchange_row(session: Session, bank: Bank | None, exchange_id: int, *, lock: bool = False) -> Exchange:
    if not isinstance(exchange_id, int) or isinstance(exchange_id, bool):
        raise UnknownExchange(f"{exchange_id!r} is not an exchange number.")
    query = select(Exchange).where(Exchange.id == exchange_id)
    if bank is not None:
        query = query.where(Exchange.bank_id == bank.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    exchange = session.scalars(query).one_or_none()
    if exchange is None:
        raise UnknownExchange(f"There is no exchange number {exchange_id} in this bank."
                              if bank is not None else f"There is no exchange number {exchange_id}.")
    return exchange


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
    reason = require_reason(reason, "reversal")
    key = clean_key(idempotency_key)
    day = today or dt.date.today()

    def attempt(session: Session) -> ExchangeView:
        bank = bank_row(session, bank_slug) if bank_slug else None
        original = _exchange_row(session, bank, exchange_id, lock=True)
        if bank is None:
            bank = session.get(Bank, original.bank_id)
        details = fingerprint({"kind": "reversal", "of": exchange_id, "reason": reason})
        earlier = _replay(session, bank, key, details)
        if earlier is not None:
            return _exchange_view(session, earlier, replayed=True)
        if original.state == ExchangeState.REVERSED.value:
            raise AlreadyReversed(f"Exchange {exchange_id} has already been reversed.")
        if original.kind == ExchangeKind.REVERSAL.value:
            raise ExchangeNotPosted(
                f"Exchange {exchange_id} is itself a reversal; log the exchange again instead."
            )
        if original.state != ExchangeState.POSTED.value:
            raise ExchangeNotPosted(
                f"Exchange {exchange_id} is {original.state}: only posted exchanges are reversed."
            )
        entries = session.execute(
            select(Entry.account_id, Entry.amount_minutes)
            .where(Entry.exchange_id == original.id)
            .order_by(Entry.id)
        ).all()
        accounts = _lock_accounts(session, {e.account_id for e in entries})
        owners = {
            m.id: m
            for m in session.scalars(
                select(Member).where(
                    Member.id.in_([a.member_id for a in accounts.values() if a.member_id])
                )
            )
        }
        reversal = _new_exchange(
            session, bank, kind=ExchangeKind.REVERSAL.value, state=ExchangeState.POSTED.value,
            provider_member_id=original.receiver_member_id,
            receiver_member_id=original.provider_member_id,
            amount_minutes=original.amount_minutes, category=original.category,
            description=original.description, given_on=day, recorded_by=recorded_by,
            idempotency_key=key, details_fingerprint=details,
            reverses_exchange_id=original.id, reason=reason,
        )
        legs = []
        for entry in entries:
            account = accounts[entry.account_id]
            owner = owners.get(account.member_id)
            legs.append(_Leg(
                account, -entry.amount_minutes,
                owner.name if owner else "The bank",
                _member_limits(bank, owner) if owner else None,
            ))
        _apply_legs(session, bank, reversal, legs)
        original.state = ExchangeState.REVERSED.value
        original.settled_at = utcnow()
        original.settled_by = recorded_by
        session.flush()
        return _exchange_view(session, reversal)

    return write_once(database, attempt)


# ---------------------------------------------------------------- reading


def get_exchange(database: Database, bank_slug: str, exchange_id: int) -> ExchangeView:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return _exchange_view(uow.session, _exchange_row(uow.session, bank, exchange_id))


def list_exchanges(
    database: Database,
    bank_slug: str,
    *,
    member_id: int | None = None,
    state: str | None = None,
    limit: int = 200,
) -> list[ExchangeView]:
    """The bank's exchanges, newest first; a member's own when member_id is given."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        query = select(Exchange).where(Exchange.bank_id == bank.id)
        if member_id is not None:
            member_row(session, bank.id, member_id)
            query = query.where(
                (Exchange.provider_member_id == member_id) | (Exchange.receiver_member_id == member_id)
                | Exchange.id.in_(
                    select(Entry.exchange_id).join(Account, Account.id == Entry.account_id)
                    .where(Account.member_id == member_id)
                )
            )
        if state is not None:
            query = query.where(Exchange.state == state)
        query = query.order_by(Exchange.id.desc()).limit(limit)
        exchanges = list(session.scalars(query))
        # The entries of every listed exchange in one query, not one query each.
        entries: dict[int, dict[str, int]] = {e.id: {} for e in exchanges}
        if exchanges:
            for exchange_id, member_id, kind, amount in session.execute(
                select(Entry.exchange_id, Account.member_id, Account.kind, Entry.amount_minutes)
                .join(Account, Account.id == Entry.account_id)
                .where(Entry.exchange_id.in_(list(entries)))
                .order_by(Entry.id)
            ):
                entries[exchange_id][str(member_id) if member_id is not None else kind] = amount
        return [_exchange_view(session, e, entries=entries[e.id]) for e in exchanges]


def _given_received(session: Session, account_ids: list[int]) -> dict[int, tuple[int, int]]:
    given = func.coalesce(func.sum(Entry.amount_minutes).filter(Entry.amount_minutes > 0), 0)
    received = func.coalesce(func.sum(-Entry.amount_minutes).filter(Entry.amount_minutes < 0), 0)
    # Help given and received: posted exchanges only, so that a reversed mistake, its
    # reversal, grants and donations do not count as help.
    rows = session.execute(
        select(Entry.account_id, given.label("given"), received.label("received"))
        .join(Exchange, Exchange.id == Entry.exchange_id)
        .where(
            Entry.account_id.in_(account_ids),
            Exchange.kind.in_([ExchangeKind.EXCHANGE.value, ExchangeKind.GROUP.value]),
            Exchange.state == ExchangeState.POSTED.value,
        )
        .group_by(Entry.account_id)
    )
    return {r.account_id: (int(r.given), int(r.received)) for r in rows}


def balance(
    database: Database, bank_slug: str, member_id: int, *, with_totals: bool = True
) -> BalanceView:
    """One member's balance, and the hours they have given and received.

    The balance is one cached row; the totals add up the member's history, so callers
    that need only the balance (the CLI, scripts) pass `with_totals=False`, and get it
    from one statement.
    """
    if not with_totals and isinstance(member_id, int):
        found = hot_path(database).balance(member_id)
        if found is not None and found.bank_slug == bank_slug:
            return BalanceView(found.member_id, found.name, found.balance_minutes, None, None)
    with UnitOfWork(database, readonly=True) as uow:
        row = uow.session.execute(
            select(Member.id, Member.name, Account.id.label("account_id"), Account.balance_minutes,
                   Bank.slug)
            .join(Account, Account.member_id == Member.id)
            .join(Bank, Bank.id == Member.bank_id)
            .where(Member.id == member_id)
        ).one_or_none() if isinstance(member_id, int) else None
        if row is None or row.slug != bank_slug:
            bank = bank_row(uow.session, bank_slug)
            member_row(uow.session, bank.id, member_id)  # raises the precise error
        if not with_totals:
            return BalanceView(row.id, row.name, row.balance_minutes, None, None)
        given, received = _given_received(uow.session, [row.account_id]).get(row.account_id, (0, 0))
        return BalanceView(row.id, row.name, row.balance_minutes, given, received)


def balances(database: Database, bank_slug: str) -> list[BalanceView]:
    """Every member's balance, in one snapshot (they sum with the bank's to zero)."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        rows = session.execute(
            select(Member.id, Member.name, Account.id.label("account_id"), Account.balance_minutes)
            .join(Account, Account.member_id == Member.id)
            .where(Member.bank_id == bank.id)
            .order_by(Member.id)
        ).all()
        totals = _given_received(session, [r.account_id for r in rows]) if rows else {}
        return [
            BalanceView(r.id, r.name, r.balance_minutes, *totals.get(r.account_id, (0, 0)))
            for r in rows
        ]


def statement(database: Database, bank_slug: str, member_id: int) -> list[StatementLine]:
    """A member's entries, oldest first, with the running balance."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id)
        account_id = session.scalars(select(Account.id).where(Account.member_id == member.id)).one()
        provider = aliased(Member)
        receiver = aliased(Member)
        rows = session.execute(
            select(
                Entry.id, Entry.exchange_id, Entry.amount_minutes, Exchange.given_on,
                Exchange.kind, Exchange.state, Exchange.category, Exchange.description,
                Exchange.provider_member_id, Exchange.receiver_member_id,
                provider.name.label("provider_name"), receiver.name.label("receiver_name"),
            )
            .join(Exchange, Exchange.id == Entry.exchange_id)
            .outerjoin(provider, provider.id == Exchange.provider_member_id)
            .outerjoin(receiver, receiver.id == Exchange.receiver_member_id)
            .where(Entry.account_id == account_id)
            .order_by(Entry.id)
        )
        # Plain tuples and positional fields: a statement can run to thousands of lines.
        lines, running, me = [], 0, member.id
        for (entry_id, exchange_id, amount, given_on, kind, state, category, description,
             provider_id, _receiver_id, provider_name, receiver_name) in rows:
            running += amount
            lines.append(StatementLine(
                entry_id, exchange_id, given_on, kind, state, category, description,
                _counterparty(kind, provider_id == me, provider_name, receiver_name),
                amount, running,
            ))
        return lines


_GROUP, _GRANT, _DONATION = (ExchangeKind.GROUP.value, ExchangeKind.GRANT.value,
                             ExchangeKind.DONATION.value)


def _counterparty(kind: str, i_provided: bool, provider_name: str | None,
                  receiver_name: str | None) -> str:
    """Who was on the other side of an entry, in the words a statement uses."""
    if kind == _GROUP:
        return "a group" if i_provided else (provider_name or "")
    if kind == _GRANT:
        return "the bank"
    if kind == _DONATION:
        return "the community pot"
    if i_provided:
        return receiver_name or "the bank"
    return provider_name or "the bank"


def account_balances(database: Database, bank_slug: str) -> dict[str, int]:
    """Every account of the bank in one snapshot: members by id, plus `bank` and `community_pot`."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        rows = uow.session.execute(
            select(Account.kind, Account.member_id, Account.balance_minutes)
            .where(Account.bank_id == bank.id)
        )
        return {
            (str(r.member_id) if r.member_id is not None else r.kind): r.balance_minutes
            for r in rows
        }
