"""Reading the ledger: exchanges, balances, statements."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal, select, union
from sqlalchemy.orm import Session, aliased

from timebank.db.engine import Database
from timebank.db.hot_path import hot_path
from timebank.db.models import Account, Bank, Entry, Exchange, Member
from timebank.domain.errors import BalanceLimitPassed, InvalidInput
from timebank.domain.ledger import ExchangeKind, ExchangeState, check_balance_move, entries_key, member_limits
from timebank.domain.statements import StatementEntry, in_day_order
from timebank.services.ledger.posting import exchange_view
from timebank.services.rows import bank_row, exchange_row, member_row
from timebank.services.text_search import fold, holds
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import BalanceView, ExchangeView, Page, StatementLine

__all__ = ["get_exchange", "list_exchanges", "find_exchanges", "count_exchanges", "balance", "balances",
           "statement", "account_balances", "PER_PAGE", "page_number", "state_is"]

#: Rows on one page of a list that can grow.
PER_PAGE = 50
# Far past any bank's history: a page number no list reaches, refused before any query.
_MAX_PAGE = 1_000_000


def state_is(state: str):
    """Exchanges in `state`, with the state written into the SQL rather than bound: the
    index of pending exchanges is partial (state = 'pending'), and a planner uses it only
    when it can see the query asks for that state."""
    if state not in {s.value for s in ExchangeState}:
        raise InvalidInput("Choose a state of exchange from the list.")
    return Exchange.state == literal(state, literal_execute=True)


def count_exchanges(database: Database, bank_slug: str, *, state: str) -> int:
    """How many of the bank's exchanges are in `state`."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return uow.session.scalar(
            select(func.count()).select_from(Exchange).where(Exchange.bank_id == bank.id, state_is(state)))


def get_exchange(database: Database, bank_slug: str, exchange_id: int) -> ExchangeView:
    """One exchange of the bank, with its entries."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return exchange_view(uow.session, exchange_row(uow.session, bank, exchange_id))


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
            query = query.where(_member_filter(member_id))
        if state is not None:
            query = query.where(state_is(state))
        query = query.order_by(Exchange.id.desc()).limit(limit)
        return _views(session, list(session.scalars(query)))


def _views(session: Session, exchanges: list[Exchange]) -> list[ExchangeView]:
    """The exchanges as views, with the entries of all of them read in one query."""
    entries: dict[int, dict[str, int]] = {e.id: {} for e in exchanges}
    if exchanges:
        for exchange_id, member_id, kind, amount in session.execute(
            select(Entry.exchange_id, Account.member_id, Account.kind, Entry.amount_minutes)
            .join(Account, Account.id == Entry.account_id)
            .where(Entry.exchange_id.in_(list(entries)))
            .order_by(Entry.id)
        ):
            entries[exchange_id][entries_key(member_id, kind)] = amount
    return [exchange_view(session, e, entries=entries[e.id]) for e in exchanges]


def page_number(text: str | int | None) -> int:
    """The page asked for in a link (?page=N); the first for anything that is not one."""
    text = str(text if text is not None else "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= _MAX_PAGE else 1


#: A member with more exchanges than this is filtered by a subquery, not a list of numbers
#: (a query may carry at most 32,766 values on SQLite and 65,535 on PostgreSQL).
_MEMBER_IDS_LISTED = 10_000


def _member_filter(member_id: int, session: Session | None = None):
    """The exchanges a member was on either side of (a group's receivers too), as one
    IN over three indexed look-ups: an OR of them made the planner read every exchange
    of the bank.

    Given a session, the look-ups are read first and the IN lists their numbers: with the
    subquery, PostgreSQL without fresh statistics (a bank just grown, autovacuum behind)
    guessed hundreds of matches, hashed all of the bank's 100,000 exchanges to join them,
    and did so twice a page (47 ms each by EXPLAIN ANALYZE; 1 ms from the list, through
    the (id, bank_id) index). benchmarks/results/2026-12-03-member-exchanges-pg.md."""
    theirs = union(
        select(Exchange.id).where(Exchange.provider_member_id == member_id),
        select(Exchange.id).where(Exchange.receiver_member_id == member_id),
        select(Entry.exchange_id).join(Account, Account.id == Entry.account_id).where(Account.member_id == member_id),
    )
    if session is not None:
        numbers = session.scalars(theirs.limit(_MEMBER_IDS_LISTED + 1)).all()
        if len(numbers) <= _MEMBER_IDS_LISTED:
            return Exchange.id.in_(numbers)
    return Exchange.id.in_(theirs)


def find_exchanges(
    database: Database,
    bank_slug: str,
    *,
    member_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str | None = None,
    kind: str | None = None,
    state: str | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the bank's exchanges that match, by the day of the help, newest first.

    `member_id` finds the exchanges they were on either side of (a group's receivers
    too); `since` and `until` are days of the help, both included; `text` is part of
    what was done or of a reason, in any case. Every exchange can be reached, however
    old (B2).
    """
    if kind is not None and kind not in {k.value for k in ExchangeKind}:
        raise InvalidInput("Choose a kind of exchange from the list.")
    if since and until and since > until:
        raise InvalidInput("The first day must be on or before the last day.")
    page = page_number(page)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        where = []
        if member_id is not None:
            member_row(session, bank.id, member_id)
            where.append(_member_filter(member_id, session))
        if since is not None:
            where.append(Exchange.given_on >= since)
        if until is not None:
            where.append(Exchange.given_on <= until)
        text = " ".join((text or "").split())
        if text:
            wanted = fold(text)
            where.append(holds(session, Exchange.description, wanted) | holds(session, Exchange.reason, wanted))
        if kind is not None:
            where.append(Exchange.kind == kind)
        if state is not None:
            where.append(state_is(state))
        # A word searched in every exchange of the bank is found on SQLite by reading the
        # table in its order, the bank's condition hidden from its planner (`+ 0`): it
        # chose the bank's day index even so (even with ANALYZE's statistics) and fetched
        # 100,000 rows out of order through it, five times the work for the same count.
        by_table = (bool(text) and member_id is None and since is None and until is None and state is None
                    and session.get_bind().dialect.name == "sqlite")
        by_day = [Exchange.bank_id == bank.id, *where]
        in_order = [Exchange.bank_id + 0 == bank.id, *where] if by_table else by_day
        total = session.scalar(select(func.count()).select_from(Exchange).where(*in_order))
        skipped = (page - 1) * per_page
        nearer_end = min(skipped, max(total - skipped - per_page, 0))
        # Few matches for the rows wanted: reading them all beats walking the day index past
        # the many exchanges that do not match.
        where = in_order if total < 5 * (nearer_end + per_page) else by_day
        if skipped >= total:
            rows = []
        elif total // 2 < skipped:
            # Past the middle, the page is read from the oldest end and turned round: a
            # database steps over every row an OFFSET skips, so the last of 2,000 pages
            # cost 2,000 times the first.
            on_page = min(per_page, total - skipped)
            rows = list(session.scalars(
                select(Exchange).where(*where).order_by(Exchange.given_on, Exchange.id)
                .offset(total - skipped - on_page).limit(on_page)))[::-1]
        else:
            rows = list(session.scalars(
                select(Exchange).where(*where).order_by(Exchange.given_on.desc(), Exchange.id.desc())
                .offset(skipped).limit(per_page)))
        return Page(tuple(_views(session, rows)), page, per_page, total)


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
    """A member's entries, oldest day of help first (then by exchange), with the running
    balance in that order (B14) and the reason of grants and reversals (B21)."""
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
                Exchange.kind, Exchange.state, Exchange.category, Exchange.description, Exchange.reason,
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
        found = {row[0]: row for row in rows}
        me = member.id
        ordered = in_day_order(StatementEntry(row[3], row[1], row[0], row[2]) for row in found.values())
        lines = []
        for entry, running in ordered:
            (entry_id, exchange_id, amount, given_on, kind, state, category, description, reason,
             provider_id, _receiver_id, provider_name, receiver_name) = found[entry.entry_id]
            lines.append(StatementLine(
                entry_id, exchange_id, given_on, kind, state, category, description,
                _counterparty(kind, provider_id == me, provider_name, receiver_name),
                amount, running, reason,
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
        return {entries_key(r.member_id, r.kind): r.balance_minutes for r in rows}


def blocked_by_limits(database: Database, bank_slug: str, exchanges: list[ExchangeView]) -> dict[int, str]:
    """The waiting exchanges that confirming now would refuse, each with the refusal's
    words: the same rule as confirming (`check_balance_move`), on today's balances and
    limits, so the coordinator sees it before pressing Confirm. Each is judged on its
    own, as each is confirmed on its own."""
    waiting = [x for x in exchanges if x.provider_member_id is not None and x.receiver_member_id is not None]
    if not waiting:
        return {}
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        ids = {i for x in waiting for i in (x.provider_member_id, x.receiver_member_id)}
        people = {m.id: (m, balance) for m, balance in session.execute(
            select(Member, Account.balance_minutes).join(Account, Account.member_id == Member.id)
            .where(Member.bank_id == bank.id, Member.id.in_(ids)))}
        blocked = {}
        for x in waiting:
            moves = ((x.provider_member_id, x.amount_minutes), (x.receiver_member_id, -x.amount_minutes))
            for member_id, delta in moves:
                if member_id not in people:
                    continue
                member, balance_minutes = people[member_id]
                limits = member_limits(bank.floor_minutes, bank.ceiling_minutes, member.floor_minutes,
                                       member.ceiling_minutes)
                try:
                    check_balance_move(member.name, balance_minutes, delta, limits, member.id)
                except BalanceLimitPassed as refusal:
                    blocked[x.id] = refusal.message
                    break
        return blocked
