"""A member's statement for a period, for the screen and for paper.

Kept beside `reading.statement` rather than inside it: this one is ordered by the day
of the help (B14), starts from the balance brought forward, and carries the member's
name, so a printed page or a PDF needs nothing else.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from timebank.db.engine import Database
from timebank.db.models import Account, Entry, Exchange, Member
from timebank.services.ledger.reading import _counterparty
from timebank.services.rows import bank_row, member_row
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import StatementLine

__all__ = ["PeriodStatement", "statement_for_period"]


@dataclass(frozen=True)
class PeriodStatement:
    """A member's entries from `start` to `end` (both days included; None is open).

    `opening_minutes` is the balance from every entry dated before `start`;
    `closing_minutes` adds the period's entries to it. The lines run oldest first by
    the day of the help, ties in the order recorded, each with the balance after it.
    """

    member_id: int
    member_name: str
    start: dt.date | None
    end: dt.date | None
    opening_minutes: int
    closing_minutes: int
    lines: tuple[StatementLine, ...]

    @property
    def newest_first(self) -> tuple[StatementLine, ...]:
        return tuple(reversed(self.lines))


def statement_for_period(database: Database, bank_slug: str, member_id: int, *,
                         start: dt.date | None = None, end: dt.date | None = None) -> PeriodStatement:
    """One member's statement for a period, in the order the help was given.

    Raises UnknownMember (or MemberOfAnotherBank) as every member look-up does.
    """
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id)
        account_id = session.scalars(select(Account.id).where(Account.member_id == member.id)).one()
        opening = 0
        if start is not None:
            opening = int(session.scalar(
                select(func.coalesce(func.sum(Entry.amount_minutes), 0))
                .join(Exchange, Exchange.id == Entry.exchange_id)
                .where(Entry.account_id == account_id, Exchange.given_on < start)
            ))
        provider, receiver = aliased(Member), aliased(Member)
        query = (
            select(
                Entry.id, Entry.exchange_id, Entry.amount_minutes, Exchange.given_on,
                Exchange.kind, Exchange.state, Exchange.category, Exchange.description, Exchange.reason,
                Exchange.provider_member_id,
                provider.name.label("provider_name"), receiver.name.label("receiver_name"),
            )
            .join(Exchange, Exchange.id == Entry.exchange_id)
            .outerjoin(provider, provider.id == Exchange.provider_member_id)
            .outerjoin(receiver, receiver.id == Exchange.receiver_member_id)
            .where(Entry.account_id == account_id)
            .order_by(Exchange.given_on, Entry.id)
        )
        if start is not None:
            query = query.where(Exchange.given_on >= start)
        if end is not None:
            query = query.where(Exchange.given_on <= end)
        lines, running = [], opening
        for (entry_id, exchange_id, amount, given_on, kind, state, category, description, reason,
             provider_id, provider_name, receiver_name) in session.execute(query):
            running += amount
            lines.append(StatementLine(
                entry_id, exchange_id, given_on, kind, state, category, description,
                _counterparty(kind, provider_id == member.id, provider_name, receiver_name),
                amount, running, reason,
            ))
        return PeriodStatement(member.id, member.name, start, end, opening, running, tuple(lines))
