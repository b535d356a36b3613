"""Requests for help and offers of skills: how members find each other."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Bank,
    HelpAnswer,
    HelpRequest,
    Introduction,
    Member,
    Offer,
    utcnow,
)
from timebank.domain.duplicates import duplicate_since, refuse_duplicate, same_words
from timebank.domain.errors import NotRenewable
from timebank.domain.help import may_act_for_asker, may_act_for_offerer, offer_words, request_words
from timebank.domain.members import check_not_erased
from timebank.domain.text import clean_text
from timebank.services import helping
from timebank.services.rows import (
    bank_row,
    category_names,
    category_slug,
    expiry_of,
    member_row,
    offer_row,
    request_made_by_form,
    request_row,
    still_listed,
)
from timebank.services.text_search import words_in
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import Page

__all__ = [
    "HelpRequestView",
    "AnswerView",
    "OfferView",
    "ask_for_help",
    "list_requests",
    "browse_requests",
    "answerable_request",
    "BROWSE_PAGE_SIZE",
    "member_requests",
    "get_request",
    "answer_request",
    "close_request",
    "offer_skill",
    "list_offers",
    "browse_offers",
    "member_offers",
    "withdraw_offer",
    "renew_request",
    "renew_offer",
    "get_offer",
]


@dataclass(frozen=True)
class AnswerView:
    member_id: int
    member_name: str
    message: str | None
    created_at: dt.datetime
    id: int = 0
    status: str = "waiting"


@dataclass(frozen=True)
class HelpRequestView:
    id: int
    member_id: int
    member_name: str
    area: str | None
    category: str | None
    category_name: str | None
    what: str
    when_text: str | None
    where_text: str | None
    helper_notes: str | None
    status: str
    created_at: dt.datetime
    answers: tuple[AnswerView, ...] = ()
    # The day it leaves the lists (or left them: `expired`), unless renewed.
    expires_on: dt.date | None = None
    expired: bool = False


@dataclass(frozen=True)
class OfferView:
    id: int
    member_id: int
    member_name: str
    area: str | None
    category: str | None
    category_name: str | None
    description: str
    active: bool
    created_at: dt.datetime
    expires_on: dt.date | None = None
    expired: bool = False


# The browse page shows this many requests (and this many offers) at a time.
BROWSE_PAGE_SIZE = 25


def _refuse_alike(session: Session, model, text_column, member: Member, text: str, what: str) -> None:
    """Refuse the member's words when they recorded the same ones a moment ago (a request
    or an offer: `model`), unless the person confirmed (the caller then does not ask)."""
    now = utcnow()
    recent = session.execute(
        select(model.id, text_column, model.created_at)
        .where(model.bank_id == member.bank_id, model.member_id == member.id,
               model.created_at >= duplicate_since(now))
        .order_by(model.id.desc())).all()
    for earlier_id, earlier_text, created_at in recent:
        if same_words(earlier_text) == same_words(text):
            created_at = created_at if created_at.tzinfo else created_at.replace(tzinfo=dt.UTC)
            refuse_duplicate(what, f"\u201c{earlier_text[:80]}\u201d", earlier_id, created_at, now,
                             confirmed=False)


def _request_view(request: HelpRequest, member: Member, names: dict[str, str],
                  answers: tuple[AnswerView, ...] = (), bank: Bank | None = None) -> HelpRequestView:
    expires, expired = expiry_of(request, bank) if bank is not None else (None, False)
    return HelpRequestView(
        id=request.id, member_id=member.id, member_name=member.name, area=member.area,
        category=request.category, category_name=names.get(request.category or ""),
        what=request.what, when_text=request.when_text, where_text=request.where_text,
        helper_notes=request.helper_notes, status=request.status,
        created_at=request.created_at, answers=answers, expires_on=expires, expired=expired,
    )


def ask_for_help(
    database: Database,
    bank_slug: str,
    *,
    member_id: int,
    what: str,
    category: str | None = None,
    when_text: str | None = None,
    where_text: str | None = None,
    helper_notes: str | None = None,
    idempotency_key: str | None = None,
    refuse_duplicates: bool = False,
    asked_at: dt.datetime | None = None,
) -> HelpRequestView:
    """A member's request for help. A retried form (same key) records one request.

    `asked_at` is now unless given (the demonstration bank's history is older): the
    request is listed from that day.

    With `refuse_duplicates` (a person at a form), the same words asked by the member
    within `DUPLICATE_WINDOW`, still open, refuse this one (`LooksLikeDuplicate`).
    """
    words = request_words(what, when_text, where_text, helper_notes)
    key = clean_text(idempotency_key, "the form key", 200)
    try:
        with UnitOfWork(database) as uow:
            session = uow.session
            bank = bank_row(session, bank_slug)
            # Locked, so that two sends of the same words at once see each other.
            member = member_row(session, bank.id, member_id, lock=refuse_duplicates)
            check_not_erased(member.name, member.erased_at)
            earlier = request_made_by_form(session, bank, key)
            if earlier is not None:
                return _request_view(earlier, member, category_names(session, bank), bank=bank)
            if refuse_duplicates:
                _refuse_alike(session, HelpRequest, HelpRequest.what, member, words.what,
                              "A request with the same words")
            request = HelpRequest(
                bank_id=bank.id, member_id=member.id, category=category_slug(session, bank, category),
                what=words.what, when_text=words.when_text, where_text=words.where_text,
                helper_notes=words.helper_notes, status="open", idempotency_key=key,
                created_at=asked_at or utcnow(),
            )
            if asked_at is not None:
                request.renewed_on = asked_at.date()
            session.add(request)
            session.flush()
            view = _request_view(request, member, category_names(session, bank), bank=bank)
            uow.commit()
            return view
    except IntegrityError:
        # Two submissions of one form raced; the first one's request is the answer.
        if not key:
            raise
        return ask_for_help(database, bank_slug, member_id=member_id, what=words.what, category=category,
                            when_text=words.when_text, where_text=words.where_text,
                            helper_notes=words.helper_notes, idempotency_key=key,
                            refuse_duplicates=refuse_duplicates, asked_at=asked_at)


def _answers(session: Session, request_ids: list[int]) -> dict[int, tuple[AnswerView, ...]]:
    if not request_ids:
        return {}
    rows = session.execute(
        select(HelpAnswer, Member.name).join(Member, Member.id == HelpAnswer.member_id)
        # A closed or suspended member's name is no longer shown to members.
        .where(HelpAnswer.request_id.in_(request_ids), Member.status == "active").order_by(HelpAnswer.id)
    )
    found: dict[int, list[AnswerView]] = {}
    for answer, name in rows:
        found.setdefault(answer.request_id, []).append(
            AnswerView(answer.member_id, name, answer.message, answer.created_at, answer.id, answer.status))
    return {k: tuple(v) for k, v in found.items()}


def _open_requests(bank: Bank, *, category: str | None, area: str | None, status: str = "open",
                   today: dt.date | None = None):
    """The query of requests any member of the bank may read (still listed: not expired),
    by category and area."""
    # A request made by an introduction came from an assessment: it is between the two
    # people introduced, never on the bank's public list.
    query = (select(HelpRequest, Member).join(Member, Member.id == HelpRequest.member_id)
             .where(HelpRequest.bank_id == bank.id, HelpRequest.status == status,
                    # A closed or suspended member's requests leave the list with them.
                    Member.status == "active", still_listed(HelpRequest, bank, today),
                    ~select(Introduction.id).where(Introduction.help_request_id == HelpRequest.id).exists(),
                    # Asked of one member from their offer: between the two of them.
                    HelpRequest.addressed_to_member_id.is_(None),
                    # A helper is chosen: nobody else is looked for.
                    ~select(HelpAnswer.id).where(HelpAnswer.request_id == HelpRequest.id,
                                                 HelpAnswer.status == "chosen").exists()))
    if category:
        query = query.where(HelpRequest.category == category)
    if area:
        query = query.where(func.lower(Member.area) == area.strip().lower())
    return query


def list_requests(
    database: Database, bank_slug: str, *, category: str | None = None, area: str | None = None,
    status: str = "open", limit: int = 200, today: dt.date | None = None,
) -> list[HelpRequestView]:
    """Open requests of the bank still listed (not expired), newest first, by category and area."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        query = _open_requests(bank, category=category, area=area, status=status, today=today)
        rows = session.execute(query.order_by(HelpRequest.id.desc()).limit(limit)).all()
        names = category_names(session, bank)
        answers = _answers(session, [r.HelpRequest.id for r in rows])
        return [_request_view(r.HelpRequest, r.Member, names, answers.get(r.HelpRequest.id, ()), bank)
                for r in rows]


def _page_of(session: Session, query, order, page: int) -> tuple[int, int, list]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-total // BROWSE_PAGE_SIZE))
    number = min(max(1, page if isinstance(page, int) else 1), pages)
    rows = session.execute(query.order_by(order).offset((number - 1) * BROWSE_PAGE_SIZE)
                           .limit(BROWSE_PAGE_SIZE)).all()
    return number, total, rows


def browse_requests(database: Database, bank_slug: str, *, viewer_id: int, category: str | None = None,
                    area: str | None = None, text: str | None = None, page: int = 1) -> Page:
    """The open requests a member may answer (not their own), newest first, a page of
    `BROWSE_PAGE_SIZE` at a time; `text`'s words are looked for in what, when, where and
    the asker's name."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        query = _open_requests(bank, category=category, area=area).where(HelpRequest.member_id != viewer_id)
        words = words_in(session, text, HelpRequest.what, HelpRequest.when_text, HelpRequest.where_text,
                          Member.name)
        if words is not None:
            query = query.where(words)
        number, total, rows = _page_of(session, query, HelpRequest.id.desc(), page)
        names = category_names(session, bank)
        answers = _answers(session, [r.HelpRequest.id for r in rows])
        return Page(tuple(_request_view(r.HelpRequest, r.Member, names, answers.get(r.HelpRequest.id, ()), bank)
                          for r in rows), number, BROWSE_PAGE_SIZE, total)


def member_requests(database: Database, bank_slug: str, member_id: int) -> list[HelpRequestView]:
    """A member's own requests, newest first, with who answered each."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id)
        requests = session.scalars(select(HelpRequest).where(
            HelpRequest.member_id == member.id).order_by(HelpRequest.id.desc())).all()
        names = category_names(session, bank)
        answers = _answers(session, [r.id for r in requests])
        return [_request_view(r, member, names, answers.get(r.id, ()), bank) for r in requests]



def get_request(database: Database, bank_slug: str, request_id: int) -> HelpRequestView:
    """A request as the staff see it (members reach requests only through the checks above)."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = request_row(session, bank, request_id)
        member = session.get(Member, request.member_id)
        return _request_view(request, member, category_names(session, bank),
                             _answers(session, [request.id]).get(request.id, ()), bank)


def answer_request(database: Database, bank_slug: str, request_id: int, *, member_id: int,
                   message: str | None = None) -> HelpRequestView:
    """"I can help": recorded once per member; the asker sees who answered and chooses."""
    helping.answer_for(database, bank_slug, request_id, answerer_id=member_id, message=message)
    return get_request(database, bank_slug, request_id)


def close_request(database: Database, bank_slug: str, request_id: int, *, member_id: int | None) -> HelpRequestView:
    """The asker (or a coordinator, member_id None) closes a request."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = request_row(session, bank, request_id, seen_by=member_id)
        may_act_for_asker(request.member_id, member_id, "close this request")
        request.status = "closed"
        uow.commit()
    return get_request(database, bank_slug, request_id)


def _offer_view(offer: Offer, member: Member, names: dict[str, str], bank: Bank) -> OfferView:
    expires, expired = expiry_of(offer, bank)
    return OfferView(offer.id, member.id, member.name, member.area, offer.category,
                     names.get(offer.category or ""), offer.description, offer.active,
                     offer.created_at, expires, expired)


def offer_skill(database: Database, bank_slug: str, *, member_id: int, description: str,
                category: str | None = None, idempotency_key: str | None = None,
                refuse_duplicates: bool = False) -> OfferView:
    """A member's offer. The duplicate rule is `ask_for_help`'s, for offers still open."""
    description = offer_words(description)
    key = clean_text(idempotency_key, "the form key", 200)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id, lock=refuse_duplicates)
        check_not_erased(member.name, member.erased_at)
        names = category_names(session, bank)
        if key:
            earlier = session.scalars(select(Offer).where(
                Offer.bank_id == bank.id, Offer.idempotency_key == key)).first()
            if earlier is not None:
                return _offer_view(earlier, member, names, bank)
        if refuse_duplicates:
            _refuse_alike(session, Offer, Offer.description, member, description, "An offer with the same words")
        offer = Offer(bank_id=bank.id, member_id=member.id, category=category_slug(session, bank, category),
                      description=description, active=True, idempotency_key=key, created_at=utcnow())
        session.add(offer)
        session.flush()
        view = _offer_view(offer, member, names, bank)
        uow.commit()
    return view


def answerable_request(database: Database, bank_slug: str, request_id: int, *,
                       viewer_id: int) -> HelpRequestView | None:
    """The request when it is on the browse list for this member (open, public, no helper
    chosen, not their own); None otherwise."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        row = session.execute(_open_requests(bank, category=None, area=None).where(
            HelpRequest.id == request_id, HelpRequest.member_id != viewer_id)).first()
        if row is None:
            return None
        return _request_view(row.HelpRequest, row.Member, category_names(session, bank),
                             _answers(session, [request_id]).get(request_id, ()))


def _current_offers(bank: Bank, *, category: str | None, area: str | None, today: dt.date | None = None):
    """The query of offers any member of the bank may read (still listed: not expired)."""
    query = (select(Offer, Member).join(Member, Member.id == Offer.member_id)
             .where(Offer.bank_id == bank.id, Offer.active.is_(True), Member.status == "active",
                    still_listed(Offer, bank, today),
                    ~select(Introduction.id).where(Introduction.offer_id == Offer.id).exists()))
    if category:
        query = query.where(Offer.category == category)
    if area:
        query = query.where(func.lower(Member.area) == area.strip().lower())
    return query


def list_offers(database: Database, bank_slug: str, *, category: str | None = None,
                area: str | None = None, limit: int = 200, today: dt.date | None = None) -> list[OfferView]:
    """Current offers still listed (not expired), newest first, by category and area."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        query = _current_offers(bank, category=category, area=area, today=today)
        names = category_names(session, bank)
        return [_offer_view(o, m, names, bank) for o, m in
                session.execute(query.order_by(Offer.id.desc()).limit(limit)).all()]


def browse_offers(database: Database, bank_slug: str, *, viewer_id: int, category: str | None = None,
                  area: str | None = None, text: str | None = None, page: int = 1) -> Page:
    """Other members' current offers, newest first, a page at a time (as `browse_requests`)."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        query = _current_offers(bank, category=category, area=area).where(Offer.member_id != viewer_id)
        words = words_in(session, text, Offer.description, Member.name)
        if words is not None:
            query = query.where(words)
        number, total, rows = _page_of(session, query, Offer.id.desc(), page)
        names = category_names(session, bank)
        return Page(tuple(_offer_view(o, m, names, bank) for o, m in rows), number, BROWSE_PAGE_SIZE, total)


def member_offers(database: Database, bank_slug: str, member_id: int) -> list[OfferView]:
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id)
        names = category_names(session, bank)
        return [_offer_view(o, member, names, bank) for o in session.scalars(
            select(Offer).where(Offer.member_id == member.id).order_by(Offer.id.desc()))]


def withdraw_offer(database: Database, bank_slug: str, offer_id: int, *, member_id: int | None) -> None:
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        offer = offer_row(session, bank, offer_id, seen_by=member_id)
        may_act_for_offerer(offer.member_id, member_id, "withdraw it")
        offer.active = False
        uow.commit()


def renew_request(database: Database, bank_slug: str, request_id: int, *, member_id: int | None,
                  today: dt.date | None = None) -> HelpRequestView:
    """The asker (or a coordinator, member_id None) renews an open request: listed again
    for the bank's period from today. Renewing twice in a day is one renewal (the form's
    key needs no record: the second sets the same day)."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = request_row(session, bank, request_id, seen_by=member_id)
        may_act_for_asker(request.member_id, member_id, "renew this request")
        if request.status != "open":
            raise NotRenewable("This request is closed: ask again if you still need help.")
        request.renewed_on = today or utcnow().date()
        uow.commit()
    return get_request(database, bank_slug, request_id)


def renew_offer(database: Database, bank_slug: str, offer_id: int, *, member_id: int | None,
                today: dt.date | None = None) -> OfferView:
    """The member (or a coordinator, member_id None) renews a current offer from today."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        offer = offer_row(session, bank, offer_id, seen_by=member_id)
        may_act_for_offerer(offer.member_id, member_id, "renew it")
        if not offer.active:
            raise NotRenewable("This offer was withdrawn: offer it again if you still can.")
        offer.renewed_on = today or utcnow().date()
        session.flush()
        view = _offer_view(offer, session.get(Member, offer.member_id), category_names(session, bank), bank)
        uow.commit()
    return view


def get_offer(database: Database, bank_slug: str, offer_id: int, *, seen_by: int | None) -> OfferView:
    """One offer of the bank, as its owner (seen_by) or a coordinator (None) may see it."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        offer = offer_row(session, bank, offer_id, seen_by=seen_by)
        return _offer_view(offer, session.get(Member, offer.member_id), category_names(session, bank), bank)
