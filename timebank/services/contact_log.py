"""The contact log and "who to call this week": a coordinator's notes per member, and the
one list of people who need a call, which honours the notes' follow-up days."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, ContactNote, Exchange, HelpAnswer, HelpRequest, Member, User
from timebank.domain.errors import InvalidInput
from timebank.domain.help import shared_contact, who_cannot_be_reached
from timebank.domain.ledger import fingerprint
from timebank.domain.members import DUE, NEW, QUIET, UNANSWERED_DAYS, WAITING, check_not_erased, follow_up
from timebank.domain.text import refuse_control_characters
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.ledger.reading import state_is
from timebank.services.members import QuietMember, member_view, members_without_exchanges, safeguarding_expiring
from timebank.services.rows import bank_row, member_row, still_listed
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import MemberView

__all__ = [
    "NoteView",
    "add_note",
    "member_notes",
    "WaitingExchange",
    "UnansweredRequest",
    "AskedRequest",
    "CallList",
    "who_to_call",
    "MAX_NOTE_CHARS",
]

MAX_NOTE_CHARS = 2000
# How far ahead a follow-up may be set: a typo of a year is refused, a season ahead is not.
_MAX_FOLLOW_UP_DAYS = 366


@dataclass(frozen=True)
class NoteView:
    id: int
    member_id: int
    author: str
    written_on: dt.date
    follow_up_on: dt.date | None
    text: str
    replayed: bool = False


def _note_view(note: ContactNote) -> NoteView:
    return NoteView(note.id, note.member_id, note.author, note.written_on, note.follow_up_on, note.text)


def add_note(
    database: Database, bank_slug: str, member_id: int, *, text: str, author: str,
    written_by_user_id: int | None = None, follow_up_on: dt.date | None = None,
    today: dt.date | None = None, idempotency_key: str | None = None,
) -> NoteView:
    """A note in a member's contact log, written today, with an optional day to call again.

    With an `idempotency_key`, the same form sent again writes the note once.
    """
    today = today or dt.date.today()
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write what happened, for example: phoned, will ring back Thursday.")
    if len(text) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Keep a note to {MAX_NOTE_CHARS} characters.")
    refuse_control_characters(text, "a note")
    if follow_up_on is not None and not today <= follow_up_on <= today + dt.timedelta(days=_MAX_FOLLOW_UP_DAYS):
        raise InvalidInput("A follow-up day is today or a day in the coming year.")
    key = clean_key(idempotency_key)
    asked = fingerprint({"member": member_id, "text": text, "follow_up_on": follow_up_on})

    def attempt(session: Session) -> NoteView:
        bank = bank_row(session, bank_slug)
        member = member_row(session, bank.id, member_id)
        check_not_erased(member.name, member.erased_at)  # notes about someone erased: none
        if key is not None:
            earlier = session.scalars(select(ContactNote).where(
                ContactNote.bank_id == bank.id, ContactNote.idempotency_key == key)).one_or_none()
            if earlier is not None:
                refuse_other_details(key, earlier.details_fingerprint, asked, f"note {earlier.id}")
                return replace(_note_view(earlier), replayed=True)
        note = ContactNote(bank_id=bank.id, member_id=member.id, written_by_user_id=written_by_user_id,
                           author=author, written_on=today, follow_up_on=follow_up_on, text=text,
                           idempotency_key=key, details_fingerprint=asked if key is not None else None)
        session.add(note)
        session.flush()
        return _note_view(note)

    return write_once(database, attempt)


def member_notes(database: Database, bank_slug: str, member_id: int) -> list[NoteView]:
    """A member's contact log, newest first."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        member = member_row(uow.session, bank.id, member_id)
        rows = uow.session.scalars(select(ContactNote).where(
            ContactNote.bank_id == bank.id, ContactNote.member_id == member.id).order_by(ContactNote.id.desc()))
        return [_note_view(n) for n in rows]


@dataclass(frozen=True)
class WaitingExchange:
    """A member's exchange waiting for the other member, who has no sign-in to confirm it."""

    exchange_id: int
    given_on: dt.date
    amount_minutes: int
    waiting_on: MemberView
    logged_by: str
    waiting_days: int


@dataclass(frozen=True)
class UnansweredRequest:
    request_id: int
    member: MemberView
    what: str
    waiting_days: int


@dataclass(frozen=True)
class AskedRequest:
    """A request made to one member from their offer, who has no sign-in to say yes or no:
    the coordinator passes it on."""

    request_id: int
    asked_of: MemberView
    asked_by: str
    what: str
    waiting_days: int


@dataclass(frozen=True)
class ToPutInTouch:
    """A helper chosen for an open request while one of the two shares no phone or email
    with the other: the coordinator puts them in touch."""

    request_id: int
    asker: MemberView
    helper: MemberView
    cannot_reach: str  # "both", "asker" or "helper": `who_cannot_be_reached`
    what: str
    waiting_days: int  # since the helper was chosen


@dataclass(frozen=True)
class CallList:
    """Who to call this week, in the order a coordinator works through it."""

    today: dt.date
    due: tuple[tuple[MemberView, NoteView], ...]  # follow-ups due, oldest day first
    quiet: tuple[QuietMember, ...]
    welcome: tuple[QuietMember, ...]
    waiting: tuple[WaitingExchange, ...]
    asked: tuple[AskedRequest, ...]
    safeguarding: tuple[MemberView, ...]
    unanswered: tuple[UnansweredRequest, ...]
    last_notes: dict  # member id -> their latest NoteView
    to_put_in_touch: tuple[ToPutInTouch, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.due or self.quiet or self.welcome or self.waiting or self.asked
                    or self.safeguarding or self.unanswered or self.to_put_in_touch)


def _latest_notes(session: Session, bank_id: int) -> dict[int, NoteView]:
    latest = (select(func.max(ContactNote.id)).where(ContactNote.bank_id == bank_id)
              .group_by(ContactNote.member_id))
    return {n.member_id: _note_view(n) for n in session.scalars(
        select(ContactNote).where(ContactNote.id.in_(latest)))}


def _days(since: dt.datetime | dt.date, today: dt.date) -> int:
    day = since.date() if isinstance(since, dt.datetime) else since
    return max(0, (today - day).days)


def who_to_call(database: Database, bank_slug: str, *, today: dt.date | None = None) -> CallList:
    """Everyone who needs a call: follow-ups due first, then members quiet for 90 days,
    new members to welcome, exchanges and requests waiting on someone without a sign-in, helpers
    chosen who cannot reach the member they help or be reached (to put in touch), safeguarding
    checks to renew (expired or within 30 days) and requests nobody answered in 7 days.

    A member whose latest note sets a follow-up day still to come is left off every
    part until that day: the coordinator already knows when to call.
    """
    today = today or dt.date.today()
    quiet = members_without_exchanges(database, bank_slug, today=today)
    expiring = safeguarding_expiring(database, bank_slug, today=today)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        notes = _latest_notes(session, bank.id)
        later = {m for m, n in notes.items() if follow_up(n.follow_up_on, today) == WAITING}
        due_ids = {m for m, n in notes.items() if follow_up(n.follow_up_on, today) == DUE}
        people = {m.id: m for m in session.scalars(select(Member).where(
            Member.bank_id == bank.id, Member.id.in_(due_ids | {0})))}
        due = sorted(((member_view(people[m]), notes[m]) for m in due_ids
                      if m in people and people[m].status == "active"),
                     key=lambda pair: (pair[1].follow_up_on, pair[0].name, pair[0].id))
        waiting = _waiting_on_no_sign_in(session, bank.id, today, skip=later)
        asked = _asked_of_no_sign_in(session, bank, today, skip=later)
        unanswered = _unanswered(session, bank, today, skip=later)
        in_touch = _to_put_in_touch(session, bank, today, skip=later, notes=notes)
    skip = later | due_ids
    return CallList(
        today=today,
        due=tuple(due),
        quiet=tuple(q for q in quiet if q.standing == QUIET and q.member.id not in skip),
        welcome=tuple(q for q in quiet if q.standing == NEW and q.member.id not in skip),
        waiting=tuple(waiting),
        asked=tuple(asked),
        safeguarding=tuple(m for m in expiring if m.id not in skip),
        unanswered=tuple(unanswered),
        last_notes=notes,
        to_put_in_touch=tuple(in_touch),
    )


def _waiting_on_no_sign_in(session: Session, bank_id: int, today: dt.date, *, skip: set[int]):
    pending = session.scalars(select(Exchange).where(
        Exchange.bank_id == bank_id, state_is("pending")).order_by(Exchange.created_at, Exchange.id)).all()
    ids = {x.provider_member_id for x in pending} | {x.receiver_member_id for x in pending}
    members = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids | {0})))}
    signed = _signed_in(session, ids)
    found = []
    for x in pending:
        other = x.receiver_member_id if x.initiated_by_member_id == x.provider_member_id else x.provider_member_id
        if other is None or other in signed or other in skip or other not in members:
            continue
        logger = members.get(x.initiated_by_member_id)
        found.append(WaitingExchange(x.id, x.given_on, x.amount_minutes, member_view(members[other]),
                                     logger.name if logger else "", _days(x.created_at, today)))
    return found


def _signed_in(session: Session, member_ids: set[int]) -> set[int]:
    """Those of `member_ids` who can sign in: anyone else waits on the coordinator."""
    return set(session.scalars(select(User.member_id).where(
        User.member_id.in_(member_ids | {0}), User.active.is_(True))))


def _asked_of_no_sign_in(session: Session, bank: Bank, today: dt.date, *, skip: set[int]):
    """Requests still listed, made to one member who has no sign-in and has not said yes
    or no: only the coordinator can pass them on. Oldest first."""
    rows = session.execute(
        select(HelpAnswer, HelpRequest).join(HelpRequest, HelpRequest.id == HelpAnswer.request_id)
        .where(HelpAnswer.bank_id == bank.id, HelpAnswer.status == "asked", HelpRequest.status == "open",
               still_listed(HelpRequest, bank, today))
        .order_by(HelpAnswer.created_at, HelpAnswer.id)).all()
    ids = {a.member_id for a, _ in rows} | {r.member_id for _, r in rows}
    members = {m.id: m for m in session.scalars(select(Member).where(Member.id.in_(ids | {0})))}
    signed = _signed_in(session, ids)
    return [AskedRequest(r.id, member_view(members[a.member_id]),
                         members[r.member_id].name if r.member_id in members else "", r.what,
                         _days(a.created_at, today))
            for a, r in rows
            if a.member_id in members and a.member_id not in signed and a.member_id not in skip]


def _unanswered(session: Session, bank: Bank, today: dt.date, *, skip: set[int]):
    """Open requests still listed (an expired one is the member's to renew, not a call)
    that nobody answered in UNANSWERED_DAYS."""
    before = dt.datetime.combine(today - dt.timedelta(days=UNANSWERED_DAYS), dt.time.max, tzinfo=dt.UTC)
    answered = select(HelpAnswer.request_id)
    rows = session.execute(
        select(HelpRequest, Member).join(Member, Member.id == HelpRequest.member_id)
        .where(HelpRequest.bank_id == bank.id, HelpRequest.status == "open", still_listed(HelpRequest, bank, today),
               HelpRequest.created_at <= before, HelpRequest.id.not_in(answered))
        .order_by(HelpRequest.created_at, HelpRequest.id)
    ).all()
    return [UnansweredRequest(r.id, member_view(m), r.what, _days(r.created_at, today))
            for r, m in rows if m.id not in skip]


def _to_put_in_touch(session: Session, bank: Bank, today: dt.date, *, skip: set[int], notes: dict[int, NoteView]):
    """Open requests whose chosen helper cannot reach the asker, or be reached, for want of
    a shared phone or email: the two were told the coordinator would put them in touch.
    Oldest choice first. A pair leaves the list once a note about either of them is
    written on or after the day the helper was chosen (the coordinator called)."""
    rows = session.execute(
        select(HelpAnswer, HelpRequest).join(HelpRequest, HelpRequest.id == HelpAnswer.request_id)
        .where(HelpAnswer.bank_id == bank.id, HelpAnswer.status == "chosen", HelpRequest.status == "open")
        .order_by(HelpAnswer.decided_at, HelpAnswer.id)).all()
    ids = {a.member_id for a, _ in rows} | {r.member_id for _, r in rows}
    members = {m.id: m for m in session.scalars(select(Member).where(
        Member.id.in_(ids | {0}), Member.status == "active"))}
    found = []
    for answer, request in rows:
        asker, helper = members.get(request.member_id), members.get(answer.member_id)
        if asker is None or helper is None or {asker.id, helper.id} & skip:
            continue
        chosen_on = (answer.decided_at or answer.created_at).date()
        if any(notes.get(m) is not None and notes[m].written_on >= chosen_on for m in (asker.id, helper.id)):
            continue
        cannot_reach = who_cannot_be_reached(
            shared_contact(asker.phone, asker.email, asker.share_phone, asker.share_email),
            shared_contact(helper.phone, helper.email, helper.share_phone, helper.share_email))
        if cannot_reach is not None:
            found.append(ToPutInTouch(request.id, member_view(asker), member_view(helper), cannot_reach,
                                      request.what, _days(chosen_on, today)))
    return found
