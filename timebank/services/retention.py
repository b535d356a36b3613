"""Retention: assessments and closed introductions are kept for the bank's number of
years after the last contact, closed members for the bank's number of years after they
closed; then they are removed (`timebank retention run`).

The last contact of a closed introduction is the latest of its making, closing and
outcomes; of an assessment, the latest of its versions, its consent withdrawal and the
introductions made from it. An assessment with an open introduction is kept. Removing
an introduction deletes it and its outcomes; removing an assessment erases it as
erasure does (its row stays, every version goes); removing a closed member erases them
through the erasure service, so the ledger stays whole. A closed member's last contact
is the latest of their closing, joining and exchanges. A second run finds nothing more.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Assessment,
    AssessmentVersion,
    Bank,
    ConsentWithdrawal,
    Exchange,
    Introduction,
    IntroductionFollowUp,
    MatchProposal,
    Member,
    Outcome,
    OutcomeMeasureAnswer,
)
from timebank.domain.privacy import check_retention_years, past_retention
from timebank.services.erasure import erase_assessment_rows, erase_member_rows, log_member_access
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["Removed", "Kept", "run_retention", "retention_years", "set_retention_years"]


@dataclass(frozen=True)
class Removed:
    bank_slug: str
    kind: str  # "introduction", "assessment" or "member"
    id: int
    last_contact: dt.date


def _day(when) -> dt.date:
    return when.date() if isinstance(when, dt.datetime) else when


def run_retention(database: Database, *, bank_slug: str | None = None, today: dt.date | None = None,
                  dry_run: bool = False) -> list[Removed]:
    """Remove what each bank (or the one named) keeps no longer; with `dry_run`, only say what."""
    today = today or dt.date.today()
    with UnitOfWork(database) as uow:
        session = uow.session
        banks = [bank_row(session, bank_slug)] if bank_slug else list(session.scalars(select(Bank).order_by(Bank.slug)))
        removed: list[Removed] = []
        for bank in banks:
            removed += _introductions(session, bank, today, dry_run)
            removed += _assessments(session, bank, today, dry_run)
            removed += _closed_members(session, bank, today, dry_run)
        if not dry_run:
            uow.commit()
    return removed


def _latest(*days) -> dt.date:
    return max(_day(d) for d in days if d is not None)


def _introductions(session: Session, bank: Bank, today: dt.date, dry_run: bool) -> list[Removed]:
    last_outcome = dict(session.execute(
        select(Outcome.introduction_id, func.max(Outcome.recorded_at))
        .join(Introduction, Introduction.id == Outcome.introduction_id)
        .where(Introduction.bank_id == bank.id).group_by(Outcome.introduction_id)).all())
    removed = []
    for i in session.scalars(select(Introduction).where(Introduction.bank_id == bank.id,
                                                        Introduction.status == "closed").order_by(Introduction.id)):
        last = _latest(i.created_at, i.closed_at, last_outcome.get(i.id))
        if past_retention(last, today, bank.retention_years):
            removed.append(Removed(bank.slug, "introduction", i.id, last))
    if removed and not dry_run:
        ids = [r.id for r in removed]
        session.execute(delete(Outcome).where(Outcome.introduction_id.in_(ids)))
        # The follow-ups' measures and notes go with their introduction (they point at it).
        session.execute(delete(OutcomeMeasureAnswer).where(OutcomeMeasureAnswer.introduction_id.in_(ids)))
        session.execute(delete(IntroductionFollowUp).where(IntroductionFollowUp.introduction_id.in_(ids)))
        session.execute(delete(Introduction).where(Introduction.id.in_(ids)))
        for r in removed:
            log_member_access(session, bank.id, None, member_id=None, action="retention",
                              why=f"closed introduction {r.id} past the bank's {bank.retention_years} years")
    return removed


def _assessments(session: Session, bank: Bank, today: dt.date, dry_run: bool) -> list[Removed]:
    removed = []
    for a in session.scalars(select(Assessment).where(Assessment.bank_id == bank.id, Assessment.erased_at.is_(None))
                             .order_by(Assessment.id)):
        made_from = or_(MatchProposal.need_assessment_id == a.id, MatchProposal.capability_assessment_id == a.id)
        introductions = session.execute(
            select(Introduction.status, Introduction.created_at, Introduction.closed_at)
            .join(MatchProposal, MatchProposal.id == Introduction.proposal_id).where(made_from)).all()
        if any(i.status == "open" for i in introductions):
            continue
        last = _latest(a.created_at,
                       session.scalar(select(func.max(AssessmentVersion.recorded_at))
                                      .where(AssessmentVersion.assessment_id == a.id)),
                       session.scalar(select(ConsentWithdrawal.created_at)
                                      .where(ConsentWithdrawal.assessment_id == a.id)),
                       *(d for i in introductions for d in (i.created_at, i.closed_at)))
        if past_retention(last, today, bank.retention_years):
            removed.append(Removed(bank.slug, "assessment", a.id, last))
            if not dry_run:
                erase_assessment_rows(session, a)
                log_member_access(session, bank.id, None, member_id=a.member_id, assessment_id=a.id,
                                  action="retention",
                                  why=f"assessment {a.id} past the bank's {bank.retention_years} years")
    return removed


def _closed_members(session: Session, bank: Bank, today: dt.date, dry_run: bool) -> list[Removed]:
    years = bank.closed_member_retention_years
    closed = list(session.scalars(select(Member).where(
        Member.bank_id == bank.id, Member.status == "closed", Member.erased_at.is_(None)).order_by(Member.id)))
    removed = []
    for member in closed:
        theirs = or_(Exchange.provider_member_id == member.id, Exchange.receiver_member_id == member.id)
        last = _latest(member.closed_at, member.joined_on, member.created_at,
                       session.scalar(select(func.max(Exchange.given_on)).where(theirs)),
                       session.scalar(select(func.max(Exchange.created_at)).where(theirs)))
        if past_retention(last, today, years):
            removed.append(Removed(bank.slug, "member", member.id, last))
            if not dry_run:
                erase_member_rows(session, member)
                log_member_access(session, bank.id, None, member_id=member.id, action="retention",
                                  why=f"closed member {member.id} past the bank's {years} years")
    return removed


@dataclass(frozen=True)
class Kept:
    """How long the bank keeps records: assessments and closed introductions after the
    last contact, closed members after they closed."""

    years: int
    closed_member_years: int


def retention_years(database: Database, bank_slug: str) -> Kept:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return Kept(bank.retention_years, bank.closed_member_retention_years)


def set_retention_years(database: Database, bank_slug: str, years: int, *,
                        closed_member_years: int | None = None) -> Kept:
    """How long the bank keeps assessments and closed introductions after the last contact,
    and (when given) closed members after they closed."""
    years = check_retention_years(years)
    if closed_member_years is not None:
        closed_member_years = check_retention_years(closed_member_years)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug, lock=True)
        bank.retention_years = years
        if closed_member_years is not None:
            bank.closed_member_retention_years = closed_member_years
        kept = Kept(bank.retention_years, bank.closed_member_retention_years)
        uow.commit()
    return kept
