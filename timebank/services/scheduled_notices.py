"""The calendar's notices, written to the outbox: `timebank notices schedule`, daily.

For each bank, one transaction: read what the rules of `timebank.domain.scheduled_notices`
need, ask them what is due `today`, and write each through `notices.write`. Every key
names its period, so running twice on a day (or every day of a notice's window) writes
each notice once; the outbox's unique key holds that even for two runs at once.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from timebank.db.engine import Database
from timebank.db.models import (
    Bank,
    HelpRequest,
    Introduction,
    MatchProposal,
    Member,
    Notice,
    Offer,
    User,
)
from timebank.domain.expiry import WARNING_DAYS
from timebank.domain.scheduled_notices import (
    DIGEST_DAYS,
    SAFEGUARDING_WARNING_DAYS,
    Due,
    Listing,
    NewRequest,
    follow_up_due,
    listing_expiring,
    safeguarding_expiring,
    weekly_digest,
)
from timebank.services import notices
from timebank.services.rows import still_listed
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["Written", "write_due_notices"]


@dataclass
class Written:
    """What a run wrote: new notices by kind (already written ones are not counted)."""

    by_kind: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


def write_due_notices(database: Database, today: dt.date, *, bank_slug: str | None = None) -> Written:
    """Write every notice due `today` in every bank (or the one named), one transaction per bank."""
    with UnitOfWork(database, readonly=True) as uow:
        query = select(Bank.id).order_by(Bank.id)
        bank_ids = list(uow.session.scalars(query.where(Bank.slug == bank_slug) if bank_slug else query))
    written = Written()
    for bank_id in bank_ids:
        try:
            written.by_kind.update(_write_for_bank(database, bank_id, today))
        except IntegrityError:
            # Another run wrote the same keys at the same moment: its notices stand.
            continue
    return written


def _write_for_bank(database: Database, bank_id: int, today: dt.date) -> Counter:
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = session.get(Bank, bank_id)
        due = (_listings_due(session, bank, today) + _digests_due(session, bank, today)
               + _follow_ups_due(session, bank, today) + _safeguarding_due(session, bank, today))
        if not due:
            return Counter()
        keys = [d.key for d in due]
        earlier = set(session.scalars(select(Notice.notice_key).where(
            Notice.bank_id == bank.id, Notice.notice_key.in_(keys))))
        members = {m.id: m for m in session.scalars(select(Member).where(
            Member.id.in_({d.member_id for d in due if d.member_id is not None})))}
        users = {u.id: u for u in session.scalars(select(User).where(
            User.id.in_({d.user_id for d in due if d.user_id is not None})))}
        counted: Counter = Counter()
        for item in due:
            recipient = members.get(item.member_id) if item.member_id is not None else users.get(item.user_id)
            if recipient is None or item.key in earlier:
                continue
            if notices.write(uow, kind=item.kind, recipient=recipient, facts=item.facts, key=item.key) is not None:
                counted[item.kind] += 1
        uow.commit()
        return counted


def _listings_due(session, bank: Bank, today: dt.date) -> list[Due]:
    """Open requests and current offers that expire within the week (the same rule as the
    lists': still listed today, gone a week from today)."""
    week = today + dt.timedelta(days=WARNING_DAYS)
    found: list[Listing] = []
    for model, kind, text, current in ((HelpRequest, "request", HelpRequest.what, HelpRequest.status == "open"),
                                       (Offer, "offer", Offer.description, Offer.active.is_(True))):
        rows = session.execute(
            select(model.id, model.member_id, text, model.renewed_on).join(Member, Member.id == model.member_id)
            .where(model.bank_id == bank.id, current, Member.status == "active",
                   still_listed(model, bank, today), ~still_listed(model, bank, week))).all()
        found += [Listing(kind, *row) for row in rows]
    return listing_expiring(found, today, bank.expiry_months)


def _digests_due(session, bank: Bank, today: dt.date) -> list[Due]:
    """The week's new public requests, for each member with an email and a current offer."""
    since = dt.datetime.combine(today - dt.timedelta(days=DIGEST_DAYS), dt.time(), tzinfo=dt.UTC)
    requests = [NewRequest(i, member_id, category, what, created_at.date()) for i, member_id, category, what, created_at
                in session.execute(
                    select(HelpRequest.id, HelpRequest.member_id, HelpRequest.category, HelpRequest.what,
                           HelpRequest.created_at).join(Member, Member.id == HelpRequest.member_id)
                    .where(HelpRequest.bank_id == bank.id, HelpRequest.status == "open",
                           HelpRequest.created_at >= since, Member.status == "active",
                           HelpRequest.addressed_to_member_id.is_(None), still_listed(HelpRequest, bank, today),
                           # Made by an introduction: between the two people introduced only.
                           ~select(Introduction.id).where(Introduction.help_request_id == HelpRequest.id).exists()))]
    if not requests:
        return []
    offered: dict[int, set[str]] = {}
    for member_id, category in session.execute(
            select(Offer.member_id, Offer.category).join(Member, Member.id == Offer.member_id)
            .where(Offer.bank_id == bank.id, Offer.active.is_(True), Offer.category.is_not(None),
                   Member.status == "active", Member.email.is_not(None), still_listed(Offer, bank, today))):
        offered.setdefault(member_id, set()).add(category)
    due = [weekly_digest(member_id, has_email=True, offered=categories, requests=requests, today=today)
           for member_id, categories in offered.items()]
    return [d for d in due if d is not None]


def _staff(session, bank: Bank, role: str) -> list[int]:
    return list(session.scalars(select(User.id).where(User.bank_id == bank.id, User.role == role,
                                                      User.active.is_(True)).order_by(User.id)))


def _follow_ups_due(session, bank: Bank, today: dt.date) -> list[Due]:
    """To the social worker who made the introduction, or, when they have left, to every
    social worker of the bank."""
    rows = session.execute(
        select(Introduction.id, Introduction.status, Introduction.follow_up_on, MatchProposal.decided_by_user_id)
        .join(MatchProposal, MatchProposal.id == Introduction.proposal_id)
        .where(Introduction.bank_id == bank.id, Introduction.status == "open",
               Introduction.follow_up_on <= today)).all()
    if not rows:
        return []
    social_workers = _staff(session, bank, "social_worker")
    due: list[Due] = []
    for introduction_id, status, day, decided_by in rows:
        to = [decided_by] if decided_by in social_workers else social_workers
        due += follow_up_due(introduction_id, status=status, follow_up_on=day, social_worker_ids=to, today=today)
    return due


def _safeguarding_due(session, bank: Bank, today: dt.date) -> list[Due]:
    rows = session.execute(
        select(Member.id, Member.name, Member.safeguarding_expires_on)
        .where(Member.bank_id == bank.id, Member.status == "active", Member.erased_at.is_(None),
               Member.safeguarding_expires_on >= today,
               Member.safeguarding_expires_on <= today + dt.timedelta(days=SAFEGUARDING_WARNING_DAYS))).all()
    if not rows:
        return []
    coordinators = _staff(session, bank, "coordinator")
    due: list[Due] = []
    for member_id, name, expires in rows:
        due += safeguarding_expiring(member_id, name, expires_on_day=expires, coordinator_ids=coordinators,
                                     today=today)
    return due
