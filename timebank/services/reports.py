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
import hashlib
import threading
import weakref
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

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
from timebank.domain.members import NEW, QUIET, QUIET_DAYS, name_key, standing
from timebank.services.banks import bank_row
from timebank.services.members import helped_after
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "ReportCache",
    "kept_reports",
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
    members: tuple[NetworkMember, ...]  # every node, by name
    links: tuple[Link, ...]  # most minutes first
    no_links: tuple[str, ...]  # names of members who exchanged with nobody, sorted
    most_connected: tuple[NetworkMember, ...]  # up to 5, most links first, ties by name
    groups: int  # separate groups: connected parts of two or more members
    # Active members on the last day, by the one rule of `timebank.domain.members`
    # (the overview's and "who to call"'s): quiet for 90 days, and new ones to welcome.
    at_risk: tuple[str, ...] = ()
    to_welcome: tuple[str, ...] = ()
    # Each node's name as the graph carries it, in the order the nodes were found.
    node_names: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def minutes(self) -> int:
        return sum(link.minutes for link in self.links)

    @cached_property
    def graph(self) -> nx.Graph:
        """The network as a frozen graph: nodes are member ids with a `name`, edges carry
        `minutes`. Built when asked for (the chart draws it), not for the page: a big
        bank's year has tens of thousands of links."""
        graph = nx.Graph()
        graph.add_nodes_from((n, {"name": name}) for n, name in self.node_names.items())
        graph.add_edges_from((link.member_a_id, link.member_b_id, {"minutes": link.minutes}) for link in self.links)
        return nx.freeze(graph)


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


# ---------------------------------------------------------------- kept reports


class ReportCache:
    """Reports already made, per database, by bank, report, period and stamp (`_stamp`),
    the least recently used dropped past `size` per database.

    A year of a big bank's help is 50,000 exchanges: adding them up takes longer than a
    page may, while the stamp that says whether anything they are made of has changed is
    read from an index in a few milliseconds. A report is made again whenever its stamp
    changes, so a page never shows figures older than the ledger it reads.
    """

    def __init__(self, size: int = 16):
        self.size = size
        self.made = 0  # how many reports this process has made (tests read it)
        self._kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def get_or_make(self, database: Database, key: tuple, make: Callable):
        with self._lock:
            kept = self._kept.setdefault(database, OrderedDict())
            if key in kept:
                kept.move_to_end(key)
                return kept[key]
        report = make()
        with self._lock:
            self.made += 1
            kept[key] = report
            while len(kept) > self.size:
                kept.popitem(last=False)
        return report

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


kept_reports = ReportCache()


def _stamp(session: Session, bank_id: int) -> tuple:
    """Whether anything a report is made of may have changed, in a few figures read from
    indexes: the newest exchange of the ledger (its number and moment), the latest
    moment an exchange changed state (confirmed, declined or reversed: each sets
    `settled_at`), and a digest of the bank's members (name, area, status, day of
    joining) and of its kinds of help's names. The ledger is append-only, so no other
    change to an exchange can happen."""
    newest = session.execute(select(Exchange.id, Exchange.created_at).order_by(Exchange.id.desc()).limit(1)).first()
    settled = session.scalar(select(func.max(Exchange.settled_at)))
    people = session.execute(
        select(Member.id, Member.name, Member.area, Member.status, Member.joined_on)
        .where(Member.bank_id == bank_id).order_by(Member.id)).all()
    kinds = session.execute(
        select(ServiceCategory.slug, ServiceCategory.name).where(ServiceCategory.bank_id == bank_id)
        .order_by(ServiceCategory.slug)).all()
    # Rows as plain tuples: a Row's own repr is many times slower.
    digest = hashlib.sha256(repr(([tuple(p) for p in people], [tuple(k) for k in kinds])).encode()).hexdigest()
    return tuple(newest or ()), settled, digest


def _kept(database: Database, bank_slug: str, name: str, period: Period, make: Callable):
    """The report `name` of the period, made by `make` unless one made from the same
    stamp is kept."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        key = (bank.id, name, period, _stamp(uow.session, bank.id))
    return kept_reports.get_or_make(database, key, make)


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
    """(provider, receiver, minutes) for every pair of members where one received help
    from the other, the minutes added up.

    A two-member exchange names both on its row (the receiver pays its whole amount,
    as `expected_entries` holds and `timebank check` proves), so those pairs are added
    up from the help-by-day index alone; a group exchange names its receivers only in
    its entries, where a receiver's share is the negative entry on their account.
    """
    help_in = _help_in(bank_id, period.start, period.end)
    minutes = func.sum(Exchange.amount_minutes)
    pairs = session.execute(
        select(Exchange.provider_member_id.label("provider"), Exchange.receiver_member_id.label("receiver"),
               minutes.label("minutes"))
        .where(*help_in, Exchange.kind == ExchangeKind.EXCHANGE.value)
        .group_by(Exchange.provider_member_id, Exchange.receiver_member_id)
    ).all()
    shares = session.execute(
        select(Exchange.provider_member_id.label("provider"), Account.member_id.label("receiver"),
               func.sum(-Entry.amount_minutes).label("minutes"))
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(*help_in, Exchange.kind == ExchangeKind.GROUP.value,
               Account.kind == AccountKind.MEMBER.value, Entry.amount_minutes < 0)
        .group_by(Exchange.provider_member_id, Account.member_id)
    ).all()
    return [*pairs, *shares]


def _received(session: Session, bank_id: int, period: Period) -> dict[int, int]:
    """The minutes of help each member received, read as `_receipts` reads them but added
    up per receiver, not per pair."""
    help_in = _help_in(bank_id, period.start, period.end)
    received: dict[int, int] = defaultdict(int)
    for member_id, minutes in session.execute(
        select(Exchange.receiver_member_id, func.sum(Exchange.amount_minutes))
        .where(*help_in, Exchange.kind == ExchangeKind.EXCHANGE.value)
        .group_by(Exchange.receiver_member_id)
    ).all() + session.execute(
        select(Account.member_id, func.sum(-Entry.amount_minutes))
        .select_from(Exchange)
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(*help_in, Exchange.kind == ExchangeKind.GROUP.value,
               Account.kind == AccountKind.MEMBER.value, Entry.amount_minutes < 0)
        .group_by(Account.member_id)
    ).all():
        received[member_id] += int(minutes)
    return received


def _active_since(period: Period) -> dt.date:
    return period.end - dt.timedelta(days=ACTIVE_DAYS - 1)


def _active_member_count(session: Session, bank_id: int, period: Period) -> int:
    """Members with posted help, given or received, in the 90 days up to the last day."""
    helped = helped_after(bank_id, _active_since(period) - dt.timedelta(days=1), period.end).subquery()
    return session.scalar(select(func.count(func.distinct(helped.c[0])))) or 0


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


def _last_help_days(session: Session, bank_id: int, until: dt.date, member_ids: set[int]) -> dict[int, dt.date]:
    """The latest day of posted help, given or received, up to `until`, of `member_ids`."""
    if not member_ids:
        return {}
    return dict(session.execute(
        select(Account.member_id, func.max(Exchange.given_on))
        .join(Entry, Entry.account_id == Account.id)
        .join(Exchange, Exchange.id == Entry.exchange_id)
        .where(Exchange.bank_id == bank_id, Exchange.kind.in_(HELP_KINDS),
               Exchange.state == ExchangeState.POSTED.value, Exchange.given_on <= until,
               Account.member_id.in_(member_ids))
        .group_by(Account.member_id)
    ).all())


def activity_report(database: Database, bank_slug: str, period: Period) -> ActivityReport:
    """Hours per month, given and received per member, active and new members, categories.

    Added up in SQL (by day, by kind of help, by member), so a year of a big bank's help
    comes back as a few thousand sums rather than every exchange; kept until the ledger
    or the members change (`ReportCache`).
    """
    period = _check_period(period)
    return _kept(database, bank_slug, "activity", period, lambda: _activity_report(database, bank_slug, period))


def _activity_report(database: Database, bank_slug: str, period: Period) -> ActivityReport:
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        help_in = _help_in(bank.id, period.start, period.end)
        count, minutes = func.count(), func.sum(Exchange.amount_minutes)
        per_day = session.execute(
            select(Exchange.given_on, count, minutes).where(*help_in).group_by(Exchange.given_on)).all()
        per_category = session.execute(
            select(Exchange.category, count, minutes).where(*help_in).group_by(Exchange.category)).all()
        given = dict(session.execute(
            select(Exchange.provider_member_id, minutes).where(*help_in)
            .group_by(Exchange.provider_member_id)).all())
        received = _received(session, bank.id, period)
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
    for day, exchanges, day_minutes in per_day:
        month = per_month[day.replace(day=1)]
        month[0] += exchanges
        month[1] += int(day_minutes)
    given = {m: int(v) for m, v in given.items()}

    members = sorted(
        (MemberHours(m, names[m], given.get(m, 0), received.get(m, 0)) for m in given.keys() | received.keys()),
        key=lambda m: (m.name.casefold(), m.member_id),
    )
    categories = sorted(
        (CategoryHours(slug, category_names.get(slug, slug) if slug else NO_CATEGORY, exchanges, int(total))
         for slug, exchanges, total in per_category),
        key=lambda c: (-c.minutes, c.name.casefold()),
    )
    return ActivityReport(
        bank_name=bank_name,
        period=period,
        months=tuple(MonthHours(month, count, total) for month, (count, total) in per_month.items()),
        members=tuple(members),
        categories=tuple(categories),
        active_since=_active_since(period),
        active_members=active,
        new_members=tuple(NewMember(r.id, r.name, r.joined_on) for r in new),
        exchanges=sum(c.exchanges for c in categories),
        minutes=sum(c.minutes for c in categories),
    )


def network_report(database: Database, bank_slug: str, period: Period) -> NetworkReport:
    """Who helped whom in the period, as a graph of members, with a plain summary.

    The nodes are the bank's active members who had joined by the last day, and anyone
    who exchanged in the period even if suspended or closed since; an edge joins two
    members who exchanged (either way), weighted by their minutes together. Kept until
    the ledger or the members change (`ReportCache`).
    """
    period = _check_period(period)
    return _kept(database, bank_slug, "network", period, lambda: _network_report(database, bank_slug, period))


def _network_report(database: Database, bank_slug: str, period: Period) -> NetworkReport:
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        members = session.execute(
            select(Member.id, Member.name, Member.area, Member.status, Member.joined_on)
            .where(Member.bank_id == bank.id)
        ).all()
        receipts = _receipts(session, bank.id, period)
        # Who had help in the last QUIET_DAYS days needs no call, whatever their last day:
        # the last day is looked up only for the others (as `members_without_exchanges`).
        recent = set(session.scalars(helped_after(bank.id, period.end - dt.timedelta(days=QUIET_DAYS),
                                                  period.end)))
        last_help = _last_help_days(session, bank.id, period.end, {
            m.id for m in members if m.status == "active" and m.joined_on <= period.end and m.id not in recent})
        last_help.update((m, period.end) for m in recent)
        bank_name = bank.name

    names = _labels(members)
    verdicts = {m.id: standing(joined_on=m.joined_on, last_exchange_on=last_help.get(m.id), today=period.end)
                for m in members if m.status == "active" and m.joined_on <= period.end}
    # Plain dicts rather than a graph library: a big bank's year is tens of thousands
    # of pairs, and the page needs only counts, sums and the separate groups.
    node_names = {m.id: m.name for m in members if m.status == "active" and m.joined_on <= period.end}
    together: dict[tuple[int, int], int] = defaultdict(int)
    for r in receipts:
        node_names[r.provider], node_names[r.receiver] = names[r.provider], names[r.receiver]
        together[(r.provider, r.receiver) if r.provider < r.receiver else (r.receiver, r.provider)] += int(r.minutes)
    sort_key = {n: (names[n].casefold(), n) for n in node_names}
    partners: dict[int, int] = defaultdict(int)
    minutes: dict[int, int] = defaultdict(int)
    links = []
    for (a, b), pair_minutes in together.items():
        for n in (a, b):
            partners[n] += 1
            minutes[n] += pair_minutes
        a, b = sorted((a, b), key=sort_key.__getitem__)
        links.append(Link(a, names[a], b, names[b], pair_minutes))
    links.sort(key=lambda link: (-link.minutes, link.member_a.casefold(), link.member_b.casefold()))
    people = sorted((NetworkMember(n, names[n], partners[n], minutes[n]) for n in node_names),
                    key=lambda m: sort_key[m.member_id])
    connected = sorted((m for m in people if m.links), key=lambda m: (-m.links, *sort_key[m.member_id]))
    return NetworkReport(
        bank_name=bank_name,
        period=period,
        members=tuple(people),
        links=tuple(links),
        no_links=tuple(m.name for m in people if not m.links),
        most_connected=tuple(connected[:TOP_CONNECTED]),
        groups=_groups(together),
        at_risk=tuple(sorted((names[m] for m, v in verdicts.items() if v == QUIET), key=str.casefold)),
        to_welcome=tuple(sorted((names[m] for m, v in verdicts.items() if v == NEW), key=str.casefold)),
        node_names=node_names,
    )


def _groups(pairs) -> int:
    """How many separate groups (connected parts of two or more members) the pairs make."""
    parent: dict[int, int] = {}

    def root(n: int) -> int:
        while parent.setdefault(n, n) != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in pairs:
        parent[root(a)] = root(b)
    return len({root(n) for n in parent})


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
        # Each side's latest view counts once: a side asked again at a later follow-up
        # has several rows (revision 0017), newest first here.
        latest = {}
        for row in session.execute(
            select(Outcome.introduction_id, Outcome.side, Outcome.help_happened, Outcome.difference)
            .where(Outcome.introduction_id.in_(made)).order_by(Outcome.recorded_at.desc(), Outcome.id.desc())
        ):
            latest.setdefault((row.introduction_id, row.side), row)
        answers = list(latest.values())
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
