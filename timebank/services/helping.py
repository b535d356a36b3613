"""From "I can help" to help given: choosing a helper, putting the two in touch, logging
the hours from the request; asking one member from their offer; the coordinator's view
of what is waiting on whom.

Each use case is one transaction. A choice locks its request first (FOR UPDATE on
PostgreSQL; SQLite's BEGIN IMMEDIATE already puts writers one after the other), and a
partial unique index holds one chosen answer per request whatever slips by.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, HelpAnswer, HelpRequest, Member, Offer, User, utcnow
from timebank.domain import notices as notice_rules
from timebank.domain.errors import (
    HelperAlreadyChosen,
    InvalidInput,
    MemberNotActive,
    NotAllowed,
    UnknownRequest,
)
from timebank.domain.help import (
    Contact,
    RequestStage,
    age_words,
    answer_message,
    asked_directly,
    check_answer_change,
    check_choice,
    check_log_from_request,
    may_act_for_answerer,
    may_act_for_asker,
    may_act_for_offerer,
    offer_words,
    request_stage,
    request_words,
    sees_contact,
    shared_contact,
    stage_words,
    status_after_taking_back,
    who_cannot_be_reached,
    yes_taken_back,
)
from timebank.domain.members import check_not_erased
from timebank.domain.text import clean_text
from timebank.services import notices
from timebank.services.ledger.exchanges import exchange_attempt
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
from timebank.services.views import ExchangeView

__all__ = [
    "release_answers_of",
    "AnswerLine",
    "RequestDetail",
    "AnsweredRequest",
    "WaitingRow",
    "OfferRow",
    "Page",
    "ContactSharing",
    "request_detail",
    "my_requests",
    "my_answers",
    "choose_helper",
    "withdraw_answer",
    "edit_answer",
    "answer_for",
    "decline_asked",
    "log_hours_from_request",
    "edit_request",
    "edit_offer",
    "ask_this_person",
    "contact_sharing",
    "set_contact_sharing",
    "without_sign_in",
    "coordinator_requests",
    "coordinator_offers",
    "ExpiredRow",
    "expired_listings",
]

PAGE_SIZE = 25


@dataclass(frozen=True)
class AnswerLine:
    id: int
    member_id: int
    member_name: str
    message: str | None
    status: str
    created_at: dt.datetime
    member_active: bool = True
    # Asked directly, they said yes then took it back: asked again (`yes_taken_back`).
    taken_back: bool = False


@dataclass(frozen=True)
class RequestDetail:
    """A request as one viewer may see it: contacts only for the two people put in touch."""

    id: int
    member_id: int
    member_name: str
    category: str | None
    category_name: str | None
    what: str
    when_text: str | None
    where_text: str | None
    helper_notes: str | None
    status: str
    created_at: dt.datetime
    addressed_to_member_id: int | None
    exchange_id: int | None
    stage: RequestStage
    answers: tuple[AnswerLine, ...]
    chosen: AnswerLine | None
    asker_contact: Contact | None
    helper_contact: Contact | None
    # The day it leaves the lists (or left them: `expired`), unless renewed.
    expires_on: dt.date | None = None
    expired: bool = False
    # For a coordinator only, once a helper is chosen: whom the other cannot reach for want
    # of a shared phone or email ("both", "asker", "helper"; `who_cannot_be_reached`), and
    # each one's phone and email on file, shared or not, to put them in touch.
    cannot_reach: str | None = None
    asker_on_file: Contact | None = None
    helper_on_file: Contact | None = None

    def answer_of(self, member_id: int) -> AnswerLine | None:
        return next((a for a in self.answers if a.member_id == member_id), None)


@dataclass(frozen=True)
class AnsweredRequest:
    """A request a member answered (or was asked), as that member sees it."""

    request: RequestDetail
    answer: AnswerLine


@dataclass(frozen=True)
class WaitingRow:
    request: RequestDetail
    age: str
    waiting_words: str
    no_sign_in: tuple[str, ...]  # names of the people it waits on who cannot sign in


@dataclass(frozen=True)
class OfferRow:
    id: int
    member_id: int
    member_name: str
    category_name: str | None
    description: str
    age: str
    no_sign_in: bool
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class Page:
    rows: tuple
    number: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


@dataclass(frozen=True)
class ContactSharing:
    member_id: int
    name: str
    phone: str | None
    email: str | None
    share_phone: bool
    share_email: bool


# ---------------------------------------------------------------- reading


def _answer_lines(session: Session, request_ids: list[int]) -> dict[int, list[AnswerLine]]:
    found: dict[int, list[AnswerLine]] = {}
    if not request_ids:
        return found
    rows = session.execute(
        select(HelpAnswer, Member.name, Member.status).join(Member, Member.id == HelpAnswer.member_id)
        .where(HelpAnswer.request_id.in_(request_ids)).order_by(HelpAnswer.id))
    for answer, name, status in rows:
        found.setdefault(answer.request_id, []).append(AnswerLine(
            answer.id, answer.member_id, name, answer.message, answer.status, answer.created_at,
            status == "active", yes_taken_back(answer.status, answer.decided_at)))
    return found


def _contact(member: Member) -> Contact:
    return shared_contact(member.phone, member.email, member.share_phone, member.share_email)


def _on_file(member: Member) -> Contact:
    """What the coordinator holds, shared with the other member or not."""
    return shared_contact(member.phone, member.email, True, True)


def _detail(session: Session, request: HelpRequest, asker: Member, names: dict[str, str],
            answers: list[AnswerLine], viewer_id: int | None) -> RequestDetail:
    if viewer_id is not None:
        # A closed or suspended member is gone from members' sight (often for safeguarding):
        # their answer, and their way of contact, are shown to coordinators only.
        answers = [a for a in answers if a.member_active or a.member_id == viewer_id]
    chosen = next((a for a in answers if a.status == "chosen"), None)
    stage = request_stage(request.status, request.member_id, [(a.member_id, a.status) for a in answers],
                          request.exchange_id, {a.member_id for a in answers if a.taken_back})
    expires, expired = expiry_of(request, session.get(Bank, request.bank_id))
    asker_contact = helper_contact = asker_on_file = helper_on_file = cannot_reach = None
    if chosen is not None and sees_contact(viewer_id, request.member_id, chosen.member_id):
        helper = session.get(Member, chosen.member_id)
        asker_contact, helper_contact = _contact(asker), _contact(helper)
        if viewer_id is None:
            cannot_reach = who_cannot_be_reached(asker_contact, helper_contact)
            asker_on_file, helper_on_file = _on_file(asker), _on_file(helper)
    # The asker (and the coordinator) see every answer; a helper sees only their own.
    if viewer_id is not None and viewer_id != request.member_id:
        answers = [a for a in answers if a.member_id == viewer_id]
    return RequestDetail(
        id=request.id, member_id=asker.id, member_name=asker.name, category=request.category,
        category_name=names.get(request.category or ""), what=request.what,
        when_text=request.when_text, where_text=request.where_text,
        helper_notes=request.helper_notes, status=request.status, created_at=request.created_at,
        addressed_to_member_id=request.addressed_to_member_id, exchange_id=request.exchange_id,
        stage=stage, answers=tuple(answers), chosen=chosen, asker_contact=asker_contact,
        helper_contact=helper_contact, expires_on=expires, expired=expired,
        cannot_reach=cannot_reach, asker_on_file=asker_on_file, helper_on_file=helper_on_file,
    )


def _may_see(request: HelpRequest, answers: list[AnswerLine], viewer_id: int | None, expired: bool) -> bool:
    """The asker, anyone who answered or was asked, and for an open public request still
    listed anyone (an expired one is off the lists: its link finds nothing either)."""
    if viewer_id is None or viewer_id == request.member_id:
        return True
    if any(a.member_id == viewer_id for a in answers):
        return True
    return request.status == "open" and request.addressed_to_member_id is None and not expired


def request_detail(database: Database, bank_slug: str, request_id: int, *,
                   viewer_id: int | None) -> RequestDetail:
    """One request as a member (viewer_id) or a coordinator (None) may see it."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = request_row(session, bank, request_id, seen_by=viewer_id)
        answers = _answer_lines(session, [request.id]).get(request.id, [])
        if not _may_see(request, answers, viewer_id, expiry_of(request, bank)[1]):
            raise UnknownRequest(f"There is no request number {request_id} in this bank.")
        return _detail(session, request, session.get(Member, request.member_id), category_names(session, bank),
                       answers, viewer_id)


def my_requests(database: Database, bank_slug: str, member_id: int) -> list[RequestDetail]:
    """A member's own requests, newest first, each as its asker sees it."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        asker = member_row(session, bank.id, member_id)
        requests = session.scalars(select(HelpRequest).where(HelpRequest.member_id == asker.id)
                                   .order_by(HelpRequest.id.desc())).all()
        answers = _answer_lines(session, [r.id for r in requests])
        names = category_names(session, bank)
        return [_detail(session, r, asker, names, answers.get(r.id, []), member_id) for r in requests]


def my_answers(database: Database, bank_slug: str, member_id: int) -> list[AnsweredRequest]:
    """The requests a member answered or was asked, newest first, each with their answer."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member_row(session, bank.id, member_id)
        requests = session.scalars(
            select(HelpRequest).join(HelpAnswer, HelpAnswer.request_id == HelpRequest.id)
            .where(HelpAnswer.member_id == member_id, HelpRequest.bank_id == bank.id)
            .order_by(HelpRequest.id.desc())).all()
        answers = _answer_lines(session, [r.id for r in requests])
        names = category_names(session, bank)
        found = []
        for request in requests:
            detail = _detail(session, request, session.get(Member, request.member_id), names,
                             answers.get(request.id, []), member_id)
            found.append(AnsweredRequest(detail, detail.answer_of(member_id)))
        return found


# ---------------------------------------------------------------- choosing


def _locked_request(session: Session, bank: Bank, request_id: int, viewer_id: int | None) -> HelpRequest:
    request = request_row(session, bank, request_id, seen_by=viewer_id)
    # Read again under a row lock: the status and the answers are decided on what is
    # current, not on what this session read before another choice committed.
    return session.scalars(select(HelpRequest).where(HelpRequest.id == request.id)
                           .with_for_update().execution_options(populate_existing=True)).one()


def _answer(session: Session, request: HelpRequest, answer_id: int) -> HelpAnswer:
    if not isinstance(answer_id, int) or isinstance(answer_id, bool):
        raise UnknownRequest(f"{answer_id!r} is not an answer number.")
    answer = session.scalars(select(HelpAnswer).where(
        HelpAnswer.id == answer_id, HelpAnswer.request_id == request.id)
        .execution_options(populate_existing=True)).one_or_none()
    if answer is None:
        raise UnknownRequest(f"There is no answer number {answer_id} to this request.")
    return answer


@contextlib.contextmanager
def _one_choice_wins():
    """Two choices at the same moment: the partial unique index kept the first, and this
    one, rolled back, changed nothing."""
    try:
        yield
    except IntegrityError as error:
        raise HelperAlreadyChosen("A helper has already been chosen for this request: "
                                  "nothing was changed.") from error


def _choose(session: Session, request: HelpRequest, answer: HelpAnswer, by_asker: bool = False) -> None:
    if session.scalar(select(Member.status).where(Member.id == answer.member_id)) != "active":
        raise MemberNotActive("This member can no longer be chosen: their membership is closed or "
                              "suspended. Nothing was changed.")
    chosen_already = session.scalar(select(func.count()).select_from(HelpAnswer).where(
        HelpAnswer.request_id == request.id, HelpAnswer.status == "chosen")) > 0
    check_choice(request.status, answer.status, chosen_already, by_asker=by_asker)
    now = utcnow()
    answer.status, answer.decided_at = "chosen", now
    for other in session.scalars(select(HelpAnswer).where(
            HelpAnswer.request_id == request.id, HelpAnswer.id != answer.id, HelpAnswer.status == "waiting")):
        other.status, other.decided_at = "thanked", now
    session.flush()


def choose_helper(database: Database, bank_slug: str, request_id: int, answer_id: int, *,
                  member_id: int | None) -> RequestDetail:
    """The asker (member_id) or a coordinator (None) chooses one answer; the others are thanked."""
    with _one_choice_wins(), UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = _locked_request(session, bank, request_id, member_id)
        may_act_for_asker(request.member_id, member_id)
        answer = _answer(session, request, answer_id)
        was_asked = answer.status == "asked"
        _choose(session, request, answer, by_asker=member_id is not None)
        _tell_the_helper(session, bank, request, answer, said_yes=was_asked)
        if was_asked and member_id is None:
            # The coordinator passes on the yes of a member asked from their offer.
            _tell_the_asker_the_reply(session, bank, request, answer, said_yes=True)
        uow.commit()
    return request_detail(database, bank_slug, request_id, viewer_id=member_id)


def _tell_the_asker(session: Session, bank: Bank, request: HelpRequest, answer: HelpAnswer) -> None:
    """"I can help": the member who asked is told, in the answer's transaction."""
    helper = session.get(Member, answer.member_id)
    notices.write_planned(session, notice_rules.request_answered(
        request_id=request.id, answer_id=answer.id, asker_id=request.member_id, helper_name=helper.name,
        what=request.what[:300], message=answer.message), bank_id=bank.id, each_time=True)


def _tell_the_helper(session: Session, bank: Bank, request: HelpRequest, answer: HelpAnswer, *,
                     said_yes: bool = False) -> None:
    """The chosen helper (or the member asked, whose yes was passed on) is told, with the
    contact the asker agreed to share (only that)."""
    asker = session.get(Member, request.member_id)
    contact = _contact(asker)
    notices.write_planned(session, notice_rules.helper_chosen(
        request_id=request.id, answer_id=answer.id, helper_id=answer.member_id, asker_name=asker.name,
        what=request.what[:300], when=request.when_text, where=request.where_text, phone=contact.phone,
        email=contact.email, said_yes=said_yes), bank_id=bank.id, each_time=True)


def _tell_the_asked(session: Session, bank: Bank, request: HelpRequest) -> None:
    """Asked from their offer: the member asked is told, to say yes or no."""
    asker = session.get(Member, request.member_id)
    notices.write_planned(session, notice_rules.asked_to_help(
        request_id=request.id, helper_id=request.addressed_to_member_id, asker_name=asker.name,
        what=request.what[:300], when=request.when_text, where=request.where_text), bank_id=bank.id)


def _tell_the_asker_the_reply(session: Session, bank: Bank, request: HelpRequest, answer: HelpAnswer, *,
                              said_yes: bool) -> None:
    """The member asked said yes (the asker gets the contact they agreed to share) or no."""
    helper = session.get(Member, answer.member_id)
    contact = _contact(helper)
    notices.write_planned(session, notice_rules.ask_answered(
        request_id=request.id, answer_id=answer.id, asker_id=request.member_id, helper_name=helper.name,
        what=request.what[:300], said_yes=said_yes, phone=contact.phone, email=contact.email), bank_id=bank.id,
        each_time=True)


def _tell_the_asker_they_withdrew(session: Session, bank: Bank, request: HelpRequest, answer: HelpAnswer) -> None:
    """The helper the asker counted on took their yes back."""
    helper = session.get(Member, answer.member_id)
    notices.write_planned(session, notice_rules.helper_withdrew(
        request_id=request.id, answer_id=answer.id, asker_id=request.member_id, helper_name=helper.name,
        what=request.what[:300]), bank_id=bank.id, each_time=True)


def _own_answer(session: Session, request: HelpRequest, answerer_id: int) -> HelpAnswer:
    answer = session.scalars(select(HelpAnswer).where(
        HelpAnswer.request_id == request.id, HelpAnswer.member_id == answerer_id)).one_or_none()
    if answer is None:
        raise UnknownRequest("There is no answer of this member to this request.")
    return answer


def _answer_to_change(session: Session, bank_slug: str, request_id: int, answerer_id: int,
                      acting_member_id: int | None) -> tuple[Bank, HelpRequest, HelpAnswer]:
    """The answer its member (or a coordinator for them) changes, its request locked, once
    the rules allow the change."""
    bank = bank_row(session, bank_slug)
    may_act_for_answerer(answerer_id, acting_member_id)
    request = _locked_request(session, bank, request_id, acting_member_id)
    answer = _own_answer(session, request, answerer_id)
    check_answer_change(request.status, answer.status)
    return bank, request, answer


def _check_may_answer(session: Session, bank: Bank, request: HelpRequest, answerer_id: int, *,
                      accept: bool) -> None:
    """"I can help" (or the yes of the member asked) to an open request still listed, not
    one's own, whose helper is not someone else already."""
    if request.addressed_to_member_id not in (None, answerer_id):
        # Another member's private request: not found, as its page answers, so its state
        # cannot be read by trying to answer it.
        raise UnknownRequest(f"There is no request number {request.id} in this bank.")
    if request.member_id == answerer_id:
        raise NotAllowed("You cannot answer your own request.")
    check_answer_change(request.status, "waiting")
    if request.addressed_to_member_id is None and expiry_of(request, bank)[1]:
        # A request made to one member stays theirs to answer: only the list's expire.
        # Off the lists, as `request_detail` answers it: not found, in the same words.
        raise UnknownRequest(f"There is no request number {request.id} in this bank.")
    chosen = session.scalar(select(HelpAnswer.member_id).where(
        HelpAnswer.request_id == request.id, HelpAnswer.status == "chosen"))
    if chosen is not None and chosen != answerer_id:
        raise HelperAlreadyChosen("A helper has just been chosen for this request: thank you all the same.")
    if accept and not asked_directly(request.addressed_to_member_id, answerer_id):
        # Saying yes makes the chosen helper: only the member asked may, never one who
        # answered a request on the list (the asker chooses those).
        raise NotAllowed("Only the member asked directly can say yes to this request.")


def answer_for(database: Database, bank_slug: str, request_id: int, *, answerer_id: int,
               message: str | None = None, accept: bool = False) -> RequestDetail:
    """A member asked directly accepts (they become the chosen helper); a coordinator
    uses it for a member without a sign-in too. Without `accept`, an "I can help" answer."""
    message = answer_message(message)
    with _one_choice_wins(), UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        answerer = member_row(session, bank.id, answerer_id)
        check_not_erased(answerer.name, answerer.erased_at)
        request = _locked_request(session, bank, request_id, answerer_id)
        _check_may_answer(session, bank, request, answerer_id, accept=accept)
        answer = session.scalars(select(HelpAnswer).where(
            HelpAnswer.request_id == request.id, HelpAnswer.member_id == answerer_id)).one_or_none()
        # Told once each time the member offers: a second press, or new words to the same
        # offer, tells the asker nothing new.
        offers_now = answer is None or answer.status == "withdrawn"
        if answer is None:
            if request.addressed_to_member_id is not None:
                raise NotAllowed("This request was made to another member.")
            answer = HelpAnswer(bank_id=bank.id, request_id=request.id, member_id=answerer_id,
                                message=message, status="waiting", created_at=utcnow())
            session.add(answer)
            session.flush()
        elif answer.status == "withdrawn":
            answer.status, answer.message = "waiting", message or answer.message
        elif message:
            answer.message = message
        if accept:
            _choose(session, request, answer)
            _tell_the_asker_the_reply(session, bank, request, answer, said_yes=True)
        elif offers_now:
            _tell_the_asker(session, bank, request, answer)
        uow.commit()
    return request_detail(database, bank_slug, request_id, viewer_id=answerer_id)


def withdraw_answer(database: Database, bank_slug: str, request_id: int, *, answerer_id: int,
                    acting_member_id: int | None) -> None:
    """A helper takes back "I can help" (or the member asked directly their yes: they are
    asked again, `status_after_taking_back`). A chosen helper who withdraws reopens the
    choice: the answers thanked wait again, and the asker is told."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank, request, answer = _answer_to_change(session, bank_slug, request_id, answerer_id, acting_member_id)
        was_chosen = answer.status == "chosen"
        helper_active = session.scalar(select(Member.status).where(Member.id == answer.member_id)) == "active"
        answer.status = status_after_taking_back(
            answer.status, asked_directly(request.addressed_to_member_id, answer.member_id), helper_active)
        answer.decided_at = utcnow()
        if was_chosen:
            _reopen_the_choice(session, bank, request, answer)
        uow.commit()


def _reopen_the_choice(session: Session, bank: Bank, request: HelpRequest, answer: HelpAnswer) -> None:
    """The chosen helper is gone: the answers thanked wait again, and the asker is told."""
    for other in session.scalars(select(HelpAnswer).where(
            HelpAnswer.request_id == request.id, HelpAnswer.status == "thanked")):
        other.status, other.decided_at = "waiting", None
    _tell_the_asker_they_withdrew(session, bank, request, answer)


def release_answers_of(session: Session, bank: Bank, member: Member) -> int:
    """A member who leaves (suspended, closed or erased) helps no one: their answers to
    others' open requests are withdrawn, in the caller's transaction. Where they were the
    chosen helper, the answers thanked wait again and the asker is told, as when a helper
    takes a yes back. Returns how many answers were released."""
    rows = session.execute(select(HelpAnswer, HelpRequest).join(HelpRequest, HelpRequest.id == HelpAnswer.request_id)
                           .where(HelpAnswer.member_id == member.id, HelpRequest.status == "open",
                                  HelpAnswer.status.in_(("asked", "waiting", "chosen")))
                           .order_by(HelpAnswer.id)).all()
    now = utcnow()
    for answer, request in rows:
        was_chosen = answer.status == "chosen"
        answer.status = status_after_taking_back(
            answer.status, asked_directly(request.addressed_to_member_id, answer.member_id), helper_active=False)
        answer.decided_at = now
        if was_chosen:
            _reopen_the_choice(session, bank, request, answer)
    session.flush()
    return len(rows)


def decline_asked(database: Database, bank_slug: str, request_id: int, *, answerer_id: int,
                  acting_member_id: int | None) -> None:
    """The member asked from their offer says no: the request closes, the asker is told."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank, request, answer = _answer_to_change(session, bank_slug, request_id, answerer_id, acting_member_id)
        if answer.status != "asked":
            raise NotAllowed("Only a member asked directly can say no; withdraw an answer instead.")
        answer.status, answer.decided_at = "declined", utcnow()
        request.status = "closed"
        _tell_the_asker_the_reply(session, bank, request, answer, said_yes=False)
        uow.commit()


def edit_answer(database: Database, bank_slug: str, request_id: int, *, answerer_id: int,
                message: str | None) -> None:
    """A helper changes the short message of their answer."""
    message = answer_message(message)
    with UnitOfWork(database) as uow:
        _, _, answer = _answer_to_change(uow.session, bank_slug, request_id, answerer_id, answerer_id)
        answer.message = message
        uow.commit()


# ---------------------------------------------------------------- logging the hours


def log_hours_from_request(database: Database, bank_slug: str, request_id: int, *, minutes: int,
                           given_on: str | dt.date | None, acting_member_id: int | None,
                           recorded_by: str, idempotency_key: str | None = None) -> ExchangeView:
    """The chosen helper's hours for the asker, with the request's kind and words, logged in
    the same transaction that closes the request. Logged once: a second send is refused."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = _locked_request(session, bank, request_id, acting_member_id)
        chosen = session.scalar(select(HelpAnswer.member_id).where(
            HelpAnswer.request_id == request.id, HelpAnswer.status == "chosen"))
        if acting_member_id is not None and acting_member_id not in (request.member_id, chosen):
            raise NotAllowed("Only the member who asked or their chosen helper can log these hours.")
        check_log_from_request(request.status, chosen)
        attempt = exchange_attempt(
            bank_slug, provider_id=chosen, receiver_id=request.member_id, minutes=minutes,
            recorded_by=recorded_by, category=request.category,
            description=request.what[:2000], given_on=given_on, idempotency_key=idempotency_key,
            today=None, initiated_by=acting_member_id)
        exchange = attempt(session)
        request.exchange_id = exchange.id
        request.status = "closed"
        uow.commit()
        return exchange


# ---------------------------------------------------------------- editing and asking


def edit_request(database: Database, bank_slug: str, request_id: int, *, member_id: int | None,
                 what: str, category: str | None = None, when_text: str | None = None,
                 where_text: str | None = None, helper_notes: str | None = None) -> None:
    """The asker (or a coordinator) changes an open request's words."""
    words = request_words(what, when_text, where_text, helper_notes)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        request = _locked_request(session, bank, request_id, member_id)
        may_act_for_asker(request.member_id, member_id)
        check_answer_change(request.status, "waiting")
        request.what, request.when_text, request.where_text = words.what, words.when_text, words.where_text
        request.helper_notes = words.helper_notes
        request.category = category_slug(session, bank, category)
        uow.commit()


def edit_offer(database: Database, bank_slug: str, offer_id: int, *, member_id: int | None,
               description: str, category: str | None = None) -> None:
    """The member who made an offer (or a coordinator) changes its words."""
    description = offer_words(description)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        offer = offer_row(session, bank, offer_id, seen_by=member_id)
        may_act_for_offerer(offer.member_id, member_id, "change it")
        if not offer.active:
            raise InvalidInput("This offer was withdrawn: nothing was changed.")
        offer.description = description
        offer.category = category_slug(session, bank, category)
        uow.commit()


def ask_this_person(database: Database, bank_slug: str, offer_id: int, *, member_id: int, what: str,
                    when_text: str | None = None, where_text: str | None = None,
                    idempotency_key: str | None = None) -> RequestDetail:
    """A request made to the member behind an offer; they accept or say no."""
    words = request_words(what, when_text, where_text)
    key = clean_text(idempotency_key, "the form key", 200)
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        asker = member_row(session, bank.id, member_id)
        offer = offer_row(session, bank, offer_id, seen_by=member_id)
        earlier = request_made_by_form(session, bank, key)
        if earlier is not None:
            return _detail(session, earlier, asker, category_names(session, bank),
                           _answer_lines(session, [earlier.id]).get(earlier.id, []), member_id)
        if offer.member_id == asker.id:
            raise NotAllowed("This is your own offer.")
        if not offer.active:
            raise InvalidInput("This offer was withdrawn: ask someone else, or ask everyone.")
        request = HelpRequest(
            bank_id=bank.id, member_id=asker.id, category=offer.category, what=words.what,
            when_text=words.when_text, where_text=words.where_text, status="open", idempotency_key=key,
            created_at=utcnow(), addressed_to_member_id=offer.member_id, offer_id=offer.id)
        session.add(request)
        session.flush()
        session.add(HelpAnswer(bank_id=bank.id, request_id=request.id, member_id=offer.member_id,
                               status="asked", created_at=utcnow()))
        _tell_the_asked(session, bank, request)
        request_id = request.id
        uow.commit()
    return request_detail(database, bank_slug, request_id, viewer_id=member_id)


# ---------------------------------------------------------------- contact sharing


def contact_sharing(database: Database, bank_slug: str, member_id: int) -> ContactSharing:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        m = member_row(uow.session, bank.id, member_id)
        return ContactSharing(m.id, m.name, m.phone, m.email, m.share_phone, m.share_email)


def set_contact_sharing(database: Database, bank_slug: str, member_id: int, *, share_phone: bool,
                        share_email: bool) -> ContactSharing:
    """What the member agrees the member they are put in touch with may see."""
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        m = member_row(uow.session, bank.id, member_id)
        check_not_erased(m.name, m.erased_at)
        m.share_phone, m.share_email = bool(share_phone), bool(share_email)
        view = ContactSharing(m.id, m.name, m.phone, m.email, m.share_phone, m.share_email)
        uow.commit()
        return view


def _without_sign_in(session: Session, bank: Bank) -> set[int]:
    signed = set(session.scalars(select(User.member_id).where(
        User.bank_id == bank.id, User.member_id.is_not(None), User.active.is_(True))))
    return set(session.scalars(select(Member.id).where(Member.bank_id == bank.id))) - signed


def without_sign_in(database: Database, bank_slug: str) -> set[int]:
    """The members of the bank who cannot sign in: the coordinator acts for them."""
    with UnitOfWork(database, readonly=True) as uow:
        return _without_sign_in(uow.session, bank_row(uow.session, bank_slug))


# ---------------------------------------------------------------- the coordinator's lists


def _page_number(page: int) -> int:
    return page if isinstance(page, int) and 1 <= page <= 100_000 else 1


def coordinator_requests(database: Database, bank_slug: str, *, page: int = 1, now: dt.datetime | None = None,
                         category: str | None = None, area: str | None = None, words: str | None = None) -> Page:
    """Open requests, oldest first (the longest waiting on top), with their answers, age
    and what each waits on, a page at a time; by kind of help, the asker's area, and
    typed words (in what, when, where and the asker's name)."""
    now = now or utcnow()
    page = _page_number(page)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        where = [HelpRequest.bank_id == bank.id, HelpRequest.status == "open",
                 still_listed(HelpRequest, bank, now.date())]
        if category:
            where.append(HelpRequest.category == category)
        if area:
            where.append(func.lower(Member.area) == area.strip().lower())
        typed = words_in(session, words, HelpRequest.what, HelpRequest.when_text, HelpRequest.where_text,
                         Member.name)
        if typed is not None:
            where.append(typed)
        asked = select(HelpRequest).join(Member, Member.id == HelpRequest.member_id).where(*where)
        total = session.scalar(select(func.count()).select_from(asked.subquery()))
        # By the day asked, not the row number: a request recorded later for a day before
        # (by the coordinator, or a batch) has waited longer.
        requests = session.scalars(asked.order_by(HelpRequest.created_at, HelpRequest.id)
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        answers = _answer_lines(session, [r.id for r in requests])
        names = category_names(session, bank)
        member_ids = {r.member_id for r in requests} | {a.member_id for v in answers.values() for a in v}
        people = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(member_ids)))}
        member_names = {i: m.name for i, m in people.items()}
        unsigned = _without_sign_in(session, bank)
        rows = []
        for request in requests:
            detail = _detail(session, request, people[request.member_id], names,
                             answers.get(request.id, []), None)
            waits_on = {detail.stage.waiting_on} if detail.stage.waiting_on else set()
            rows.append(WaitingRow(detail, age_words(request.created_at, now),
                                   stage_words(detail.stage, member_names),
                                   tuple(member_names[i] for i in waits_on if i in unsigned)))
        return Page(tuple(rows), page, total)


def coordinator_offers(database: Database, bank_slug: str, *, page: int = 1,
                       now: dt.datetime | None = None) -> Page:
    """Current offers, oldest first, with their age, a page at a time."""
    now = now or utcnow()
    page = _page_number(page)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        where = (Offer.bank_id == bank.id, Offer.active.is_(True), Member.status == "active",
                 still_listed(Offer, bank, now.date()))
        total = session.scalar(select(func.count()).select_from(Offer)
                               .join(Member, Member.id == Offer.member_id).where(*where))
        rows = session.execute(select(Offer, Member).join(Member, Member.id == Offer.member_id)
                               .where(*where).order_by(Offer.id)
                               .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        names = category_names(session, bank)
        unsigned = _without_sign_in(session, bank)
        return Page(tuple(OfferRow(o.id, m.id, m.name, names.get(o.category or ""), o.description,
                                   age_words(o.created_at, now), m.id in unsigned, expiry_of(o, bank)[0])
                          for o, m in rows), page, total)


@dataclass(frozen=True)
class ExpiredRow:
    """An expired request or offer, for the coordinator to renew for a member without a sign-in."""

    kind: str  # "request" or "offer"
    id: int
    member_id: int
    member_name: str
    what: str
    expired_on: dt.date
    no_sign_in: bool


def expired_listings(database: Database, bank_slug: str, *, today: dt.date | None = None,
                     limit: int = 50) -> list[ExpiredRow]:
    """Open requests and current offers of active members that expired, the most recent first."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        unsigned = _without_sign_in(session, bank)
        found: list[ExpiredRow] = []
        for model, kind, text, current in ((HelpRequest, "request", HelpRequest.what, HelpRequest.status == "open"),
                                           (Offer, "offer", Offer.description, Offer.active.is_(True))):
            rows = session.execute(
                select(model, Member.name, text).join(Member, Member.id == model.member_id)
                .where(model.bank_id == bank.id, current, Member.status == "active",
                       ~still_listed(model, bank, today))
                .order_by(model.renewed_on.desc(), model.id.desc()).limit(limit)).all()
            found += [ExpiredRow(kind, row.id, row.member_id, name, words, expiry_of(row, bank, today)[0],
                                 row.member_id in unsigned) for row, name, words in rows]
        return sorted(found, key=lambda r: r.expired_on, reverse=True)[:limit]
