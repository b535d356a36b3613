"""One row of one bank, or the error that says it is not there.

Every service finds its rows here, so "not found" and "found in another bank" read the
same wherever a number is typed, and a record of one bank is never served to another.
A record out of the caller's reach (another bank's member, an introduction's request
seen by someone who was not introduced) gets the very words of an unknown number, so a
refusal never tells that the record exists.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from timebank.db.models import (
    Assessment,
    Bank,
    Exchange,
    HelpRequest,
    Introduction,
    MatchProposal,
    MatchRun,
    Member,
    Offer,
    ServiceCategory,
    utcnow,
)
from timebank.domain.errors import (
    MemberOfAnotherBank,
    UnknownAssessment,
    UnknownBank,
    UnknownCategory,
    UnknownExchange,
    UnknownIntroduction,
    UnknownMember,
    UnknownOffer,
    UnknownProposal,
    UnknownRequest,
)
from timebank.domain.expiry import expires_on, is_expired, listed_since

__all__ = [
    "bank_row",
    "still_listed",
    "expiry_of",
    "member_row",
    "exchange_row",
    "category_slug",
    "active_category_slugs",
    "category_names",
    "request_row",
    "request_made_by_form",
    "offer_row",
    "assessment_row",
    "run_row",
    "proposal_row",
    "introduction_row",
]


def _is_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def bank_row(session: Session, slug: str, *, lock: bool = False) -> Bank:
    """The bank with this slug, or UnknownBank."""
    query = select(Bank).where(Bank.slug == slug)
    if lock:
        query = query.with_for_update()
    bank = session.scalars(query).one_or_none()
    if bank is None:
        raise UnknownBank(f"There is no time bank called {slug!r}.")
    return bank


def member_row(session: Session, bank_id: int, member_id: int, *, lock: bool = False) -> Member:
    """The member with this id in this bank; UnknownMember or MemberOfAnotherBank otherwise."""
    if not _is_number(member_id):
        raise UnknownMember(f"{member_id!r} is not a member number.")
    query = select(Member).where(Member.id == member_id)
    if lock:
        query = query.with_for_update()
    member = session.scalars(query).one_or_none()
    if member is None:
        raise UnknownMember(f"There is no member number {member_id}.")
    if member.bank_id != bank_id:
        # The words of an unknown number: other banks' members cannot be counted from here.
        raise MemberOfAnotherBank(f"There is no member number {member_id}.")
    return member


def exchange_row(session: Session, bank: Bank | None, exchange_id: int, *, lock: bool = False) -> Exchange:
    """The exchange with this id, in this bank when one is given, or UnknownExchange."""
    if not _is_number(exchange_id):
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


def category_slug(session: Session, bank: Bank, slug: str | None) -> str | None:
    """The slug of one of the bank's active service categories, None when none is named,
    or UnknownCategory."""
    slug = (slug or "").strip() or None
    if slug is None:
        return None
    found = session.scalar(select(ServiceCategory.id).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.slug == slug,
        ServiceCategory.active.is_(True)))
    if found is None:
        raise UnknownCategory(f"{slug!r} is not one of this bank's service categories.")
    return slug


def active_category_slugs(session: Session, bank: Bank) -> set[str]:
    """The slugs of every service category the bank offers now."""
    return set(session.scalars(select(ServiceCategory.slug).where(
        ServiceCategory.bank_id == bank.id, ServiceCategory.active.is_(True))))


def category_names(session: Session, bank: Bank) -> dict[str, str]:
    """Every service category of the bank (retired ones too, for old rows): slug to name."""
    return dict(session.execute(
        select(ServiceCategory.slug, ServiceCategory.name).where(ServiceCategory.bank_id == bank.id)).all())


def request_made_by_form(session: Session, bank: Bank, key: str | None) -> HelpRequest | None:
    """The request an earlier send of the same form (its key) made, if any: a form sent
    again answers with it and records nothing more."""
    if not key:
        return None
    return session.scalars(select(HelpRequest).where(
        HelpRequest.bank_id == bank.id, HelpRequest.idempotency_key == key)).first()


def _seen_by_member(session: Session, owner_id: int, introduction: Introduction | None,
                    member_id: int) -> bool:
    """Whether a member may see a request or an offer owned by `owner_id`.

    Their own, always. Anyone else's only while its owner is active (a closed or
    suspended member is gone from members' sight, often for safeguarding), and, when
    an introduction made it, only if they are the other person introduced: its words
    come from an assessment.
    """
    if owner_id == member_id:
        return True
    if session.scalar(select(Member.status).where(Member.id == owner_id)) != "active":
        return False
    if introduction is None:
        return True
    introduced = set()
    if introduction.help_request_id is not None:
        introduced.add(session.scalar(select(HelpRequest.member_id).where(
            HelpRequest.id == introduction.help_request_id)))
    if introduction.offer_id is not None:
        introduced.add(session.scalar(select(Offer.member_id).where(Offer.id == introduction.offer_id)))
    return member_id in introduced


def _in_bank(session: Session, model, bank: Bank, row_id: int, *, lock: bool = False):
    """The row of `model` with this id in this bank, or None; locked for the rest of the
    unit of work when asked."""
    query = select(model).where(model.id == row_id, model.bank_id == bank.id)
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def request_row(session: Session, bank: Bank, request_id: int, *, seen_by: int | None = None) -> HelpRequest:
    """The request for help with this id in this bank, or UnknownRequest.

    With `seen_by` (a member's id), a request that member may not see is unknown too.
    """
    request = _in_bank(session, HelpRequest, bank, request_id)
    if request is not None and seen_by is not None:
        introduction = session.scalars(select(Introduction).where(
            Introduction.help_request_id == request.id)).first()
        if not _seen_by_member(session, request.member_id, introduction, seen_by):
            request = None
    if request is None:
        raise UnknownRequest(f"There is no request number {request_id} in this bank.")
    return request


def offer_row(session: Session, bank: Bank, offer_id: int, *, seen_by: int | None = None) -> Offer:
    """The offer of help with this id in this bank, or UnknownOffer.

    With `seen_by` (a member's id), an offer that member may not see is unknown too.
    """
    offer = _in_bank(session, Offer, bank, offer_id)
    if offer is not None and seen_by is not None:
        introduction = session.scalars(select(Introduction).where(
            Introduction.offer_id == offer.id)).first()
        if not _seen_by_member(session, offer.member_id, introduction, seen_by):
            offer = None
    if offer is None:
        raise UnknownOffer(f"There is no offer number {offer_id} in this bank.")
    return offer


def assessment_row(session: Session, bank: Bank, assessment_id: int, *, lock: bool = False) -> Assessment:
    """The assessment with this id in this bank, or UnknownAssessment."""
    row = _in_bank(session, Assessment, bank, assessment_id, lock=lock)
    if row is None:
        raise UnknownAssessment(f"There is no assessment number {assessment_id} in this bank.")
    return row


def run_row(session: Session, bank: Bank, run_id: int) -> MatchRun:
    """The match run with this id in this bank, or UnknownProposal."""
    run = _in_bank(session, MatchRun, bank, run_id)
    if run is None:
        raise UnknownProposal(f"There is no match run number {run_id} in this bank.")
    return run


def proposal_row(session: Session, bank: Bank, proposal_id: int) -> MatchProposal:
    """The proposed match with this id in this bank (locked), or UnknownProposal."""
    proposal = _in_bank(session, MatchProposal, bank, proposal_id, lock=True)
    if proposal is None:
        raise UnknownProposal(f"There is no proposal number {proposal_id} in this bank.")
    return proposal


def introduction_row(session: Session, bank: Bank, introduction_id: int, *, lock: bool = True) -> Introduction:
    """The introduction with this id in this bank (locked unless only read), or UnknownIntroduction."""
    introduction = _in_bank(session, Introduction, bank, introduction_id, lock=lock)
    if introduction is None:
        raise UnknownIntroduction(f"There is no introduction number {introduction_id} in this bank.")
    return introduction


def still_listed(model: type[HelpRequest] | type[Offer], bank: Bank,
                 today: dt.date | None = None) -> ColumnElement[bool]:
    """The clause keeping a request or an offer on the lists today: `expiry.listed_since`,
    the same rule `expiry_of` applies to one row."""
    return model.renewed_on >= listed_since(today or utcnow().date(), bank.expiry_months)


def expiry_of(row: HelpRequest | Offer, bank: Bank, today: dt.date | None = None) -> tuple[dt.date, bool]:
    """The day a request or an offer expires (or expired), and whether it has."""
    today = today or utcnow().date()
    return expires_on(row.renewed_on, bank.expiry_months), is_expired(row.renewed_on, today, bank.expiry_months)
