"""The posting core: every write that moves balances goes through here.

The steps are always the same, in one transaction: lock the accounts the posting touches
in id order (`lock_accounts`), answer a retried idempotency key with the exchange it
first recorded (`post_once`), run the posting checks of `timebank.domain.ledger` over
the planned entries with the balances read under the locks, then insert the exchange and
its entries and move the cached balances (`post`). On PostgreSQL the lock is
`SELECT ... FOR UPDATE`; on SQLite the whole transaction already holds the write lock
from `BEGIN IMMEDIATE`, and SQLAlchemy leaves FOR UPDATE out.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from timebank.db.models import Account, Bank, Entry, Exchange, Member, utcnow
from timebank.domain.ledger import (
    AccountKind,
    ExchangeState,
    Limits,
    PlannedEntry,
    entries_key,
    member_limits,
    members_are_active,
    run_posting_checks,
)
from timebank.services.idempotency import earlier_write
from timebank.services.rows import member_row
from timebank.services.views import ExchangeView

__all__ = ["Locked", "lock_accounts", "lock_members", "post", "post_once", "new_exchange",
           "exchange_view"]

#: How a refusal names the bank's own accounts.
_OWN_ACCOUNT_NAMES = {AccountKind.BANK.value: "The bank",
                      AccountKind.COMMUNITY_POT.value: "The community pot"}


@dataclass(frozen=True)
class Locked:
    """What a posting holds locked: accounts of one bank, with the members who hold them."""

    bank: Bank
    members: dict[int, Member]  # by member id
    accounts: dict[int, Account]  # by account id
    _by_member: dict[int, Account] = field(init=False, repr=False)

    def __post_init__(self):
        by_member = {a.member_id: a for a in self.accounts.values() if a.member_id is not None}
        object.__setattr__(self, "_by_member", by_member)

    def member_account(self, member_id: int) -> Account:
        return self._by_member[member_id]

    def own_account(self, kind: AccountKind) -> Account:
        """One of the bank's own accounts: its issuance account or its community pot."""
        return next(a for a in self.accounts.values() if a.kind == kind.value)

    def entry(self, account: Account, amount_minutes: int, *, limits: Limits | None = None) -> PlannedEntry:
        """The entry moving `amount_minutes` on `account`. A member's account keeps their
        limits; the bank's own accounts have none unless `limits` are given."""
        member = self.members.get(account.member_id) if account.member_id is not None else None
        if member is not None:
            bank = self.bank
            limits = member_limits(bank.floor_minutes, bank.ceiling_minutes,
                                   member.floor_minutes, member.ceiling_minutes)
        return PlannedEntry(
            account_id=account.id, member_id=account.member_id, account_kind=account.kind,
            who=member.name if member is not None else _OWN_ACCOUNT_NAMES.get(account.kind, "The bank"),
            member_status=member.status if member is not None else None,
            balance_minutes=account.balance_minutes, amount_minutes=amount_minutes, limits=limits,
        )

    def member_entry(self, member_id: int, amount_minutes: int) -> PlannedEntry:
        return self.entry(self.member_account(member_id), amount_minutes)


def lock_accounts(
    session: Session, bank: Bank, *, member_ids: Iterable[int] = (),
    kinds: Iterable[AccountKind] = (), account_ids: Iterable[int] = (),
) -> Locked:
    """Lock this bank's accounts of these members, of these kinds of its own, and with
    these ids, with the members who hold them.

    Every writer locks through here, in account id order, so that two writers (a batch, a
    reversal, a grant and a confirmation) never wait for each other in a cycle. What is
    not found is left out; `lock_members` says why.
    """
    member_ids, kinds, account_ids = sorted(set(member_ids)), list(kinds), sorted(set(account_ids))
    wanted = []
    if member_ids:
        wanted.append(Account.member_id.in_(member_ids))
    if kinds:
        wanted.append(Account.kind.in_([kind.value for kind in kinds]))
    if account_ids:
        wanted.append(Account.id.in_(account_ids))
    accounts = session.scalars(
        select(Account)
        .where(Account.bank_id == bank.id, or_(*wanted))
        .order_by(Account.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all() if wanted else []
    holders = [a.member_id for a in accounts if a.member_id is not None]
    members = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(holders)))} if holders else {}
    return Locked(bank, members, {a.id: a for a in accounts})


def lock_members(
    session: Session, bank: Bank, member_ids: list[int], *, kinds: Iterable[AccountKind] = (),
) -> Locked:
    """The accounts of these members of the bank (and of these kinds of its own), locked.

    Raises UnknownMember or MemberOfAnotherBank for the first member (in the order
    given) who is not one of the bank's.
    """
    for member_id in member_ids:
        if not isinstance(member_id, int) or isinstance(member_id, bool):
            member_row(session, bank.id, member_id)  # raises the precise error
    locked = lock_accounts(session, bank, member_ids=member_ids, kinds=kinds)
    for member_id in member_ids:
        if member_id not in locked.members:
            member_row(session, bank.id, member_id)  # raises the precise error
    return locked


def post_once(
    session: Session, locked: Locked, entries: list[PlannedEntry], *,
    waits_for_confirmation: bool = False, **exchange_fields,
) -> ExchangeView:
    """The exchange an earlier write with this idempotency key recorded, or these
    entries posted now (`post`).

    `exchange_fields` are the exchange row's, with `idempotency_key` and
    `details_fingerprint`. An exchange that `waits_for_confirmation` is recorded as
    pending, moving no balance, once its members are known to be active.
    """
    earlier = earlier_write(session, Exchange, locked.bank.id, exchange_fields["idempotency_key"],
                            exchange_fields["details_fingerprint"], "exchange")
    if earlier is not None:
        return exchange_view(session, earlier, replayed=True)
    if waits_for_confirmation:
        members_are_active(exchange_fields["kind"], entries)
        pending = new_exchange(session, locked.bank, state=ExchangeState.PENDING.value, **exchange_fields)
        return exchange_view(session, pending, entries={})
    return post(session, locked, entries, **exchange_fields)


def post(
    session: Session, locked: Locked, entries: list[PlannedEntry], *,
    exchange: Exchange | None = None, **exchange_fields,
) -> ExchangeView:
    """Run the posting checks over the entries, then write the exchange, its entries, and
    the balances they move.

    `exchange` is a pending exchange being confirmed; otherwise a posted one is inserted
    with `exchange_fields`.
    """
    run_posting_checks(exchange.kind if exchange is not None else exchange_fields["kind"], entries)
    if exchange is None:
        exchange = new_exchange(session, locked.bank, state=ExchangeState.POSTED.value, **exchange_fields)
    now = utcnow()
    session.execute(Entry.__table__.insert(), [
        {"bank_id": locked.bank.id, "exchange_id": exchange.id, "account_id": entry.account_id,
         "amount_minutes": entry.amount_minutes, "created_at": now}
        for entry in entries
    ])
    accounts_table = Account.__table__
    session.execute(
        accounts_table.update()
        .where(accounts_table.c.id == bindparam("account_id"))
        .values(balance_minutes=accounts_table.c.balance_minutes + bindparam("delta")),
        [{"account_id": entry.account_id, "delta": entry.amount_minutes} for entry in entries],
    )
    for entry in entries:
        # Keep the loaded row in step without marking it dirty: the UPDATE above wrote it.
        set_committed_value(locked.accounts[entry.account_id], "balance_minutes",
                            entry.balance_minutes + entry.amount_minutes)
    return exchange_view(session, exchange, entries={
        entries_key(entry.member_id, entry.account_kind): entry.amount_minutes for entry in entries})


def new_exchange(session: Session, bank: Bank, **fields) -> Exchange:
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


def exchange_view(
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
        entries = {entries_key(r.member_id, r.kind): r.amount_minutes for r in rows}
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
        settled_at=exchange.settled_at,
        settled_by=exchange.settled_by,
        decline_reason=exchange.decline_reason,
    )
