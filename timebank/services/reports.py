"""Coordinators' reports: activity, the community network and the funders' summary.

Each report covers a period (a first and a last day, both included) of one bank, is read
in one read-only unit of work (one snapshot), and comes back as frozen values. How they
are shown (pages, CSV files, SVG charts) is the web's (`timebank.web.reports`).

What counts as help: exchanges of kind `exchange` or `group` whose state is `posted`.
A reversed exchange (state `reversed`) and its reversal (kind `reversal`) cancel out, so
neither counts; grants and donations move hours but are not help; pending and declined
exchanges moved nothing. The day of an exchange is its `given_on`.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Account,
    Entry,
    Exchange,
    Introduction,
    Member,
    Outcome,
    ServiceCategory,
)
from timebank.domain.assessments import DIFFERENCES
from timebank.domain.errors import InvalidInput
from timebank.domain.ledger import AccountKind, ExchangeKind, ExchangeState
from timebank.domain.members import NEW, QUIET, name_key, standing
from timebank.services.banks import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "Period",
    "make_period",
    "default_period",
    "MonthHours",
    "MemberHours",
    "CategoryHours",
    "NewMember",
    "ActivityReport",
    "Link",
    "NetworkMember",
    "NetworkReport",
    "OutcomeCounts",
    "FundersReport",
    "activity_report",
    "network_report",
    "funders_report",
    "ACTIVE_DAYS",
    "MAX_PERIOD_DAYS",
    "NO_CATEGORY",
]

ACTIVE_DAYS = 90  # a member is active with posted help in the 90 days up to the last day
MAX_PERIOD_DAYS = 3660  # ten years: a chart of more months than that says nothing
# No help was given before the ledger's first possible day (check_day), and months are
# counted past the last day: near year 1 or 9999 the calendar (and PostgreSQL) runs out.
FIRST_REPORT_DAY = dt.date(1970, 1, 1)
LAST_REPORT_DAY = dt.date(2999, 12, 31)
NO_CATEGORY = "No category"
TOP_CONNECTED = 5
HELP_KINDS = (ExchangeKind.EXCHANGE.value, ExchangeKind.GROUP.value)


# ---------------------------------------------------------------- the period


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    @property
    def months(self) -> tuple[dt.date, ...]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = _next_month(month)
        return tuple(months)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _next_month(month: dt.date) -> dt.date:
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def make_period(start: dt.date, end: dt.date) -> Period:
    """A period, or InvalidInput when the first day is after the last or it is too long."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        raise InvalidInput("A report needs a first and a last day.")
    if start > end:
        raise InvalidInput("The first day must be on or before the last day.")
    if start < FIRST_REPORT_DAY or end > LAST_REPORT_DAY:
        raise InvalidInput(f"A report covers days from {FIRST_REPORT_DAY.isoformat()} "
                           f"to {LAST_REPORT_DAY.isoformat()}.")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput("A report can cover at most ten years.")
    return Period(start, end)


def default_period(today: dt.date | None = None) -> Period:
    """The last 12 months: from the first day of the month 11 months ago up to today."""
    today = today or dt.date.today()
    month = today.replace(day=1)
    year, index = divmod(month.year * 12 + month.month - 1 - 11, 12)
    return Period(dt.date(year, index + 1, 1), today)


def _check_period(period: Period) -> Period:
    return make_period(period.start, period.end)


# ---------------------------------------------------------------- what the reports return


@dataclass(frozen=True)
class MonthHours:
    month: dt.date  # the first day of the month
    exchanges: int
    minutes: int


@dataclass(frozen=True)
class MemberHours:
    member_id: int
    name: str
    given_minutes: int
    received_minutes: int


@dataclass(frozen=True)
class CategoryHours:
    category: str | None  # the slug; None for exchanges logged without one
    name: str
    exchanges: int
    minutes: int


@dataclass(frozen=True)
class NewMember:
    member_id: int
    name: str
    joined_on: dt.date


@dataclass(frozen=True)
class ActivityReport:
    bank_name: str
    period: Period
    months: tuple[MonthHours, ...]  # every month of the period, zeros included
    members: tuple[MemberHours, ...]  # members who gave or received, by name
    categories: tuple[CategoryHours, ...]  # most minutes first
    active_since: dt.date  # active members: posted help from this day to period.end
    active_members: int
    new_members: tuple[NewMember, ...]  # joined in the period, by day then name
    exchanges: int
    minutes: int

    @property
    def given_minutes(self) -> int:
        return sum(m.given_minutes for m in self.members)

    @property
    def received_minutes(self) -> int:
        # Less than given_minutes by the minutes of group exchanges that did not divide
        # equally: the community pot gave those, not a member.
        return sum(m.received_minutes for m in self.members)


@dataclass(frozen=True)
class Link:
    """Two members who helped each other in the period (either way), and for how long."""

    member_a_id: int
    member_a: str
    member_b_id: int
    member_b: str
    minutes: int


@dataclass(frozen=True)
class NetworkMember:
    member_id: int
    name: str
    links: int  # how many other members they exchanged with
    minutes: int  # all the minutes of those links


@dataclass(frozen=True)
class NetworkReport:
    bank_name: str
    period: Period
    # Nodes are member ids with a `name`; edges carry `minutes`. Frozen (read-only).
    graph: nx.Graph
    members: tuple[NetworkMember, ...]  # every node, by name
    links: tuple[Link, ...]  # most minutes first
    no_links: tuple[str, ...]  # names of members who exchanged with nobody, sorted
    most_connected: tuple[NetworkMember, ...]  # up to 5, most links first, ties by name
    groups: int  # separate groups: connected parts of two or more members
    # Active members on the last day, by the one rule of `timebank.domain.members`
    # (the overview's and "who to call"'s): quiet for 90 days, and new ones to welcome.
    at_risk: tuple[str, ...] = ()
    to_welcome: tuple[str, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(link.minutes for link in self.links)


@dataclass(frozen=True)
class OutcomeCounts:
    """Outcomes recorded for the matches made in the period, counting each side's answer."""

    recorded: int
    help_happened: int
    help_did_not_happen: int
    a_lot: int
    a_little: int
    none: int
    not_sure: int


@dataclass(frozen=True)
class FundersReport:
    bank_name: str
    period: Period
    minutes: int
    exchanges: int
    active_members: int  # posted help in the 90 days up to the last day
    new_members: int  # joined in the period
    total_members: int  # joined by the last day and not closed
    matches_made: int  # introductions made in the period
    outcomes: OutcomeCounts
    hourly_value_pence: int

    @property
    def social_value_pence(self) -> int:
        # Whole pence, in integers: minutes x pence an hour / 60, rounded down.
        return self.minutes * self.hourly_value_pence // 60


# ---------------------------------------------------------------- reading the ledger


def _help_in(bank_id: int, start: dt.date, end: dt.date):
    """The conditions for posted help given from `start` to `end` in one bank."""
    return (
        Exchange.bank_id == bank_id,
        Exchange.kind.in_(HELP_KINDS),
        Exchange.state == ExchangeState.POSTED.value,
        Exchange.given_on >= start,
        Exchange.given_on <= end,
    )


def _help_exchanges(session: Session, bank_id: int, period: Period) -> list:
    return session.execute(
        select(Exchange.id, Exchange.given_on, Exchange.amount_minutes, Exchange.category,
               Exchange.provider_member_id)
        .where(*_help_in(bank_id, period.start, period.end))
        .order_by(Exchange.id)
    ).all()


def _receipts(session: Session, bank_id: int, period: Period) -> list:
    """(exchange, provider, receiver, minutes) for every member who received help.

    Read from the entries, since a group exchange names its receivers only there; a
    receiver's share is the negative entry on their account.
    """
    return session.execute(
        select(Exchange.id.label("exchange_id"), Exchange.provider_member_id.label("provider"),
               Account.member_id.label("receiver"), (-Entry.amount_minutes).label("minutes"))
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(*_help_in(bank_id, period.start, period.end),
               Account.kind == AccountKind.MEMBER.value, Entry.amount_minutes < 0)
        .order_by(Exchange.id, Account.member_id)
    ).all()


def _active_since(period: Period) -> dt.date:
    return period.end - dt.timedelta(days=ACTIVE_DAYS - 1)


def _active_member_count(session: Session, bank_id: int, period: Period) -> int:
    """Members with an entry of posted help in the 90 days up to the last day."""
    return session.scalar(
        select(func.count(func.distinct(Account.member_id)))
        .select_from(Exchange)
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(*_help_in(bank_id, _active_since(period), period.end),
               Account.kind == AccountKind.MEMBER.value)
    ) or 0


def _labels(rows) -> dict[int, str]:
    """Each member's name as a report shows it: with the area and number when another
    member of the bank has the same name, so the two can be told apart (B11)."""
    rows = list(rows)
    seen: dict[str, int] = defaultdict(int)
    for r in rows:
        seen[name_key(r.name)] += 1
    return {r.id: (f"{r.name} ({r.area + ', ' if r.area else ''}#{r.id})" if seen[name_key(r.name)] > 1
                   else r.name) for r in rows}


def _names(session: Session, bank_id: int) -> dict[int, str]:
    return _labels(session.execute(
        select(Member.id, Member.name, Member.area).where(Member.bank_id == bank_id)).all())


def _last_help_days(session: Session, bank_id: int, until: dt.date) -> dict[int, dt.date]:
    """Each member's latest day of posted help, given or received, up to `until`."""
    return dict(session.execute(
        select(Account.member_id, func.max(Exchange.given_on))
        .join(Entry, Entry.account_id == Account.id)
        .join(Exchange, Exchange.id == Entry.exchange_id)
        .where(Exchange.bank_id == bank_id, Exchange.kind.in_(HELP_KINDS),
               Exchange.state == ExchangeState.POSTED.value, Exchange.given_on <= until,
               Account.kind == AccountKind.MEMBER.value)
        .group_by(Account.member_id)
    ).all())


def activity_report(database: Database, bank_slug: str, period: Period) -> ActivityReport:
    """Hours per month, given and received per member, active and new members, categories."""
    period = _check_period(period)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        exchanges = _help_exchanges(session, bank.id, period)
        receipts = _receipts(session, bank.id, period)
        names = _names(session, bank.id)
        category_names = dict(session.execute(
            select(ServiceCategory.slug, ServiceCategory.name).where(ServiceCategory.bank_id == bank.id)
        ).all())
        new = session.execute(
            select(Member.id, Member.name, Member.joined_on)
            .where(Member.bank_id == bank.id, Member.joined_on >= period.start,
                   Member.joined_on <= period.end)
            .order_by(Member.joined_on, Member.name, Member.id)
        ).all()
        active = _active_member_count(session, bank.id, period)
        bank_name = bank.name

    per_month: dict[dt.date, list[int]] = {month: [0, 0] for month in period.months}
    per_category: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    given: dict[int, int] = defaultdict(int)
    received: dict[int, int] = defaultdict(int)
    for e in exchanges:
        month = per_month[e.given_on.replace(day=1)]
        month[0] += 1
        month[1] += e.amount_minutes
        category = per_category[e.category]
        category[0] += 1
        category[1] += e.amount_minutes
        given[e.provider_member_id] += e.amount_minutes
    for r in receipts:
        received[r.receiver] += r.minutes

    members = sorted(
        (MemberHours(m, names[m], given.get(m, 0), received.get(m, 0)) for m in given.keys() | received.keys()),
        key=lambda m: (m.name.casefold(), m.member_id),
    )
    categories = sorted(
        (CategoryHours(slug, category_names.get(slug, slug) if slug else NO_CATEGORY, count, minutes)
         for slug, (count, minutes) in per_category.items()),
        key=lambda c: (-c.minutes, c.name.casefold()),
    )
    return ActivityReport(
        bank_name=bank_name,
        period=period,
        months=tuple(MonthHours(month, count, minutes) for month, (count, minutes) in per_month.items()),
        members=tuple(members),
        categories=tuple(categories),
        active_since=_active_since(period),
        active_members=active,
        new_members=tuple(NewMember(r.id, r.name, r.joined_on) for r in new),
        exchanges=len(exchanges),
        minutes=sum(e.amount_minutes for e in exchanges),
    )


def network_report(database: Database, bank_slug: str, period: Period) -> NetworkReport:
    """Who helped whom in the period, as a graph of members, with a plain summary.

    The nodes are the bank's active members who had joined by the last day, and anyone
    who exchanged in the period even if suspended or closed since; an edge joins two
    members who exchanged (either way), weighted by their minutes together.
    """
    period = _check_period(period)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        members = session.execute(
            select(Member.id, Member.name, Member.area, Member.status, Member.joined_on)
            .where(Member.bank_id == bank.id)
        ).all()
        receipts = _receipts(session, bank.id, period)
        last_help = _last_help_days(session, bank.id, period.end)
        bank_name = bank.name

    graph = nx.Graph()
    names = _labels(members)
    verdicts = {m.id: standing(joined_on=m.joined_on, last_exchange_on=last_help.get(m.id), today=period.end)
                for m in members if m.status == "active" and m.joined_on <= period.end}
    for m in members:
        if m.status == "active" and m.joined_on <= period.end:
            graph.add_node(m.id, name=m.name)
    for r in receipts:
        for member_id in (r.provider, r.receiver):
            graph.add_node(member_id, name=names[member_id])
        if graph.has_edge(r.provider, r.receiver):
            graph[r.provider][r.receiver]["minutes"] += r.minutes
        else:
            graph.add_edge(r.provider, r.receiver, minutes=r.minutes)

    def by_name(member_id: int):
        return (names[member_id].casefold(), member_id)

    people = sorted(
        (NetworkMember(n, names[n], graph.degree(n), graph.degree(n, weight="minutes")) for n in graph.nodes),
        key=lambda m: by_name(m.member_id),
    )
    links = []
    for a, b, data in graph.edges(data=True):
        a, b = sorted((a, b), key=by_name)
        links.append(Link(a, names[a], b, names[b], data["minutes"]))
    links.sort(key=lambda link: (-link.minutes, link.member_a.casefold(), link.member_b.casefold()))
    connected = sorted((m for m in people if m.links), key=lambda m: (-m.links, *by_name(m.member_id)))
    return NetworkReport(
        bank_name=bank_name,
        period=period,
        graph=nx.freeze(graph),
        members=tuple(people),
        links=tuple(links),
        no_links=tuple(m.name for m in people if not m.links),
        most_connected=tuple(connected[:TOP_CONNECTED]),
        groups=sum(1 for part in nx.connected_components(graph) if len(part) > 1),
        at_risk=tuple(sorted((names[m] for m, v in verdicts.items() if v == QUIET), key=str.casefold)),
        to_welcome=tuple(sorted((names[m] for m, v in verdicts.items() if v == NEW), key=str.casefold)),
    )


def funders_report(database: Database, bank_slug: str, period: Period) -> FundersReport:
    """Hours, members, matches made and their outcomes, and the social value of the hours."""
    period = _check_period(period)
    # Introductions carry a moment, not a day: the period's days in UTC.
    since = dt.datetime.combine(period.start, dt.time.min, tzinfo=dt.UTC)
    until = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        totals = session.execute(
            select(func.count(Exchange.id), func.coalesce(func.sum(Exchange.amount_minutes), 0))
            .where(*_help_in(bank.id, period.start, period.end))
        ).one()
        new_members = session.scalar(
            select(func.count(Member.id)).where(
                Member.bank_id == bank.id, Member.joined_on >= period.start, Member.joined_on <= period.end)
        )
        total_members = session.scalar(
            select(func.count(Member.id)).where(
                Member.bank_id == bank.id, Member.joined_on <= period.end, Member.status != "closed")
        )
        made = (select(Introduction.id)
                .where(Introduction.bank_id == bank.id, Introduction.created_at >= since,
                       Introduction.created_at < until))
        matches_made = session.scalar(select(func.count()).select_from(made.subquery()))
        answers = session.execute(
            select(Outcome.help_happened, Outcome.difference).where(Outcome.introduction_id.in_(made))
        ).all()
        active = _active_member_count(session, bank.id, period)
        hourly_value_pence = bank.hourly_value_pence
        bank_name = bank.name

    differences = {d: sum(1 for a in answers if a.difference == d) for d in DIFFERENCES}
    happened = sum(1 for a in answers if a.help_happened)
    return FundersReport(
        bank_name=bank_name,
        period=period,
        minutes=int(totals[1]),
        exchanges=int(totals[0]),
        active_members=active,
        new_members=new_members,
        total_members=total_members,
        matches_made=matches_made,
        outcomes=OutcomeCounts(recorded=len(answers), help_happened=happened,
                               help_did_not_happen=len(answers) - happened, **differences),
        hourly_value_pence=hourly_value_pence,
    )
