"""The outbox: notices written with the events that cause them, and what people do with
them (turn a kind off, see them listed, tell a member without email, send one again).

Writing a notice, for any use case (the API other features use)::

    from timebank.services import notices

    with UnitOfWork(database) as uow:
        ...                                   # record the event
        notices.write(uow, kind="exchange_waiting", recipient=member_row,
                      facts={...}, key="exchange-waiting.12")
        uow.commit()

- `uow` is the unit of work (or its session) that records the event: the notice is a
  row of the same transaction, so an event rolled back leaves no notice, and a notice
  is never sent for something that did not happen.
- `kind` is one of `timebank.domain.notices.KINDS`; a new kind (an expiry warning, a
  weekly digest, a follow-up reminder) is one more `Kind` there, with its words.
- `recipient` is a `Member` row (by email, or on the coordinator's list when they have
  no email) or a staff `User` row (by email).
- `facts` are what the words need, as JSON (names, days, hours, ids): never an
  assessment's words; a fact the kind does not list is refused (`NoticeInvalid`). For a
  member, `has_sign_in` is added when the kind takes it (whether they can sign in).
  A staff kind (`Kind.audience`) to a member is refused too.
- `key` names the event (`expiry-warning.offer.7.2026-12-01`): a second write with the
  same key in the bank returns the first notice and writes nothing.

It returns the notice, or None when the member turned that kind off (or is closed).
`write_planned` does the same for a `timebank.domain.notices.Planned` notice. The worker
that sends them is `timebank.services.notice_delivery`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Bank, Member, Notice, NoticeOptOut, User, utcnow
from timebank.domain import notices as rules
from timebank.domain.errors import InvalidInput, UnknownMember, UnknownNotice
from timebank.services.rows import bank_row, member_row
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import Page

__all__ = [
    "write",
    "write_planned",
    "forget_member",
    "for_subject_access",
    "turned_off",
    "set_turned_off",
    "turn_off_by_link",
    "read_link",
    "kind_label",
    "KindChoice",
    "kind_choices",
    "SentToYou",
    "sent_to_member",
    "LATEST_FOR_MEMBER",
    "NoticeRow",
    "NoticePage",
    "notice_page",
    "send_again",
    "ToTell",
    "to_tell",
    "told",
    "PAGE_SIZE",
]

PAGE_SIZE = 50

#: How many of their latest messages a member sees on "Messages we send you".
LATEST_FOR_MEMBER = 20


def _session(uow) -> Session:
    return getattr(uow, "session", uow)


def write(uow, *, kind: str, recipient: Member | User, facts: dict, key: str,
          now: dt.datetime | None = None) -> Notice | None:
    """Add a notice to the event's own transaction (see the module's docstring)."""
    session = _session(uow)
    rules.check_facts(kind, facts)
    rules.check_key(key)
    bank_id = recipient.bank_id
    earlier = session.scalars(select(Notice).where(Notice.bank_id == bank_id, Notice.notice_key == key)).first()
    if earlier is not None:
        return earlier
    if isinstance(recipient, Member):
        rules.check_member_kind(kind)
        if recipient.status != "active" or recipient.erased_at is not None:
            return None
        if "has_sign_in" in rules.KINDS[kind].facts and "has_sign_in" not in facts:
            # Words for a member who cannot sign in send them to their coordinator, not to a page.
            facts = {**facts, "has_sign_in": session.scalar(select(User.id).where(
                User.member_id == recipient.id, User.active.is_(True))) is not None}
        off = set(session.scalars(select(NoticeOptOut.kind).where(NoticeOptOut.member_id == recipient.id)))
        if not rules.wanted(kind, off):
            return None
        who = {"member_id": recipient.id, "channel": rules.channel_for(recipient.email)}
    else:
        if not recipient.active:
            return None
        who = {"user_id": recipient.id, "channel": "email"}
    now = now or utcnow()
    notice = Notice(bank_id=bank_id, kind=kind, facts=dict(facts), state="waiting", attempts=0,
                    next_attempt_at=now, notice_key=key, created_at=now, **who)
    session.add(notice)
    session.flush()
    return notice


def write_planned(uow, planned: rules.Planned, *, bank_id: int, each_time: bool = False) -> Notice | None:
    """`write` for a notice a rule of `timebank.domain.notices` planned for a member.

    `each_time`: the event can truly happen again, which its rules (not the key) keep from
    happening twice at once (a yes, taken back, then a yes again): each time is told,
    under the key with ".r1", ".r2" ... after it.
    """
    session = _session(uow)
    member = session.get(Member, planned.member_id)
    if member is None or member.bank_id != bank_id:
        raise UnknownMember(f"There is no member number {planned.member_id}.")
    key = planned.key
    if each_time:
        told = session.scalar(select(func.count()).select_from(Notice).where(
            Notice.bank_id == bank_id, or_(Notice.notice_key == key, Notice.notice_key.like(f"{key}.r%"))))
        key = f"{key}.r{told}" if told else key
    return write(uow, kind=planned.kind, recipient=member, facts=planned.facts, key=key)


def forget_member(session: Session, member: Member, *, instead: str) -> None:
    """Erasure: the member's own notices and choices go, and every other notice of the bank
    that names them, or holds their phone or email, reads `instead` there."""
    session.execute(delete(Notice).where(Notice.member_id == member.id))
    session.execute(delete(NoticeOptOut).where(NoticeOptOut.member_id == member.id))
    theirs = [value for value in (member.name, member.phone, member.email) if value]

    def without_them(value):
        # Inside words too: "Help for Zeb" or a reason "Zeb (0131 ...) was away" name them.
        if not isinstance(value, str):
            return value
        for said in theirs:
            value = value.replace(said, instead)
        return value

    for notice in session.scalars(select(Notice).where(Notice.bank_id == member.bank_id)):
        facts = {key: without_them(value) for key, value in notice.facts.items()}
        if facts != notice.facts:
            notice.facts = facts


def for_subject_access(session: Session, member_id: int) -> dict:
    """The member's notices and choices for their subject access file: what was sent, when,
    and its facts (other people by name only: no one else's phone or email, no reset token).
    Their sign-in's own notices too: a reset link goes to the sign-in's address when the
    member record has none."""
    hidden = {"phone", "email", "token"}
    sign_ins = select(User.id).where(User.member_id == member_id).scalar_subquery()
    return {
        "notices": [{"id": n.id, "kind": n.kind, "channel": n.channel, "state": n.state,
                     "created_at": n.created_at, "sent_at": n.sent_at,
                     "to": "their sign-in" if n.user_id is not None else "the member",
                     "facts": {k: v for k, v in n.facts.items() if k not in hidden}}
                    for n in session.scalars(select(Notice).where(
                        or_(Notice.member_id == member_id, Notice.user_id.in_(sign_ins))).order_by(Notice.id))],
        "notice_opt_outs": [{"id": o.id, "kind": o.kind, "created_at": o.created_at}
                            for o in session.scalars(select(NoticeOptOut).where(NoticeOptOut.member_id == member_id)
                                                     .order_by(NoticeOptOut.id))],
    }


# ---------------------------------------------------------------- turning kinds off


@dataclass(frozen=True)
class KindChoice:
    name: str
    label: str
    essential: bool
    on: bool


def turned_off(database: Database, bank_slug: str, member_id: int) -> set[str]:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        member_row(uow.session, bank.id, member_id)
        return set(uow.session.scalars(select(NoticeOptOut.kind).where(NoticeOptOut.member_id == member_id)))


def kind_choices(database: Database, bank_slug: str, member_id: int) -> list[KindChoice]:
    """Every member's kind, as "Messages we send you" lists it, ticked when the member gets it."""
    off = turned_off(database, bank_slug, member_id)
    return [KindChoice(k.name, k.label, k.essential, rules.wanted(k.name, off)) for k in rules.KINDS.values()
            if k.name in rules.MEMBER_KINDS]


def set_turned_off(database: Database, bank_slug: str, member_id: int, *, wanted_kinds: set[str]) -> set[str]:
    """The member gets `wanted_kinds` and no other of theirs (essential kinds whatever they say)."""
    unknown = set(wanted_kinds) - rules.MEMBER_KINDS
    if unknown:
        raise InvalidInput(f"There is no kind of message for members called {sorted(unknown)[0]!r}.")
    off = rules.MEMBER_KINDS - set(wanted_kinds) - rules.ESSENTIAL_KINDS
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        member_row(uow.session, bank.id, member_id)
        uow.session.execute(delete(NoticeOptOut).where(NoticeOptOut.member_id == member_id))
        uow.session.add_all(NoticeOptOut(bank_id=bank.id, member_id=member_id, kind=kind) for kind in sorted(off))
        uow.commit()
    return off


def read_link(token: str, *, key: str) -> tuple[int, str]:
    """The member and kind an unsubscribe link names (NoticeLinkInvalid when it is not ours)."""
    return rules.read_unsubscribe_token(key.encode(), token)


def kind_label(kind: str) -> str:
    return rules.check_kind(kind).label


def turn_off_by_link(database: Database, token: str, *, key: str) -> str:
    """Turn off the kind an email's unsubscribe link names; its label, to say so.

    Taken twice, it is already off: the same answer, nothing more written."""
    member_id, kind = rules.read_unsubscribe_token(key.encode(), token)
    spec = rules.check_member_kind(kind)
    with UnitOfWork(database) as uow:
        member = uow.session.get(Member, member_id)
        if member is None:
            raise UnknownMember("This link is for a member who is no longer here.")
        if not spec.essential and uow.session.scalar(select(NoticeOptOut.id).where(
                NoticeOptOut.member_id == member_id, NoticeOptOut.kind == kind)) is None:
            uow.session.add(NoticeOptOut(bank_id=member.bank_id, member_id=member_id, kind=kind))
        uow.commit()
    return spec.label


# ---------------------------------------------------------------- what a member was sent


@dataclass(frozen=True)
class SentToYou:
    """One message the bank sent a member, as they see it: its day, its subject and its
    state (`channel` "coordinator": told by phone or letter). Never its body or facts:
    a reset link's token stays out of pages."""

    id: int
    created_at: dt.datetime
    subject: str
    channel: str
    state: str


def _subject(notice: Notice) -> str:
    """The notice's subject as its words say it (the kind's label for words that cannot be made)."""
    spec = rules.KINDS.get(notice.kind)
    if spec is None:
        return notice.kind
    try:
        return rules.render(notice.kind, notice.facts, base_url="").subject
    except (KeyError, TypeError, ValueError):
        return spec.label  # facts from before a kind's words changed


def sent_to_member(database: Database, bank_slug: str, member_id: int, *,
                   limit: int = LATEST_FOR_MEMBER) -> list[SentToYou]:
    """The member's latest messages, newest first: to them, or to their sign-in (a reset link)."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        member_row(uow.session, bank.id, member_id)
        sign_ins = select(User.id).where(User.member_id == member_id).scalar_subquery()
        found = uow.session.scalars(select(Notice).where(
            Notice.bank_id == bank.id, or_(Notice.member_id == member_id, Notice.user_id.in_(sign_ins)))
            .order_by(Notice.id.desc()).limit(max(0, min(limit, LATEST_FOR_MEMBER)))).all()
        return [SentToYou(n.id, n.created_at, _subject(n), n.channel, n.state) for n in found]


# ---------------------------------------------------------------- the coordinator's pages


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: str
    label: str
    subject: str
    recipient: str
    channel: str
    state: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    told_by: str | None


@dataclass(frozen=True)
class NoticePage(Page):
    """A page of notices (`items`), with how many the bank has in each state."""

    counts: dict[str, int] = field(default_factory=dict)


def _recipient_names(session: Session, notices) -> dict[int, str]:
    member_ids = {n.member_id for n in notices if n.member_id is not None}
    user_ids = {n.user_id for n in notices if n.user_id is not None}
    members = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(member_ids))).all())
    users = dict(session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
    return {n.id: members.get(n.member_id) or users.get(n.user_id) or "someone" for n in notices}


def notice_page(database: Database, bank_slug: str, *, page: int = 1, state: str | None = None) -> NoticePage:
    """The bank's notices, newest first, with their state, tries and last error."""
    page = page if isinstance(page, int) and 1 <= page <= 100_000 else 1
    if state is not None and state not in rules.NOTICE_STATES:
        state = None
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        where = [Notice.bank_id == bank.id] + ([Notice.state == state] if state else [])
        counts = dict(session.execute(select(Notice.state, func.count()).where(Notice.bank_id == bank.id)
                                      .group_by(Notice.state)).all())
        total = session.scalar(select(func.count()).select_from(Notice).where(*where))
        found = session.scalars(select(Notice).where(*where).order_by(Notice.id.desc())
                                .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        names = _recipient_names(session, found)
        rows = tuple(NoticeRow(
            n.id, n.kind, rules.KINDS[n.kind].label if n.kind in rules.KINDS else n.kind, _subject(n), names[n.id],
            n.channel,
            n.state, n.attempts, n.last_error, n.created_at, n.next_attempt_at, n.sent_at, n.told_by)
            for n in found)
        return NoticePage(rows, page, PAGE_SIZE, total, counts)


def _notice_of_bank(session: Session, bank: Bank, notice_id: int, *, lock: bool = False) -> Notice:
    query = select(Notice).where(Notice.id == notice_id, Notice.bank_id == bank.id)
    notice = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if notice is None:
        raise UnknownNotice(f"There is no message number {notice_id} in this bank.")
    return notice


def send_again(database: Database, bank_slug: str, notice_id: int, *, now: dt.datetime | None = None) -> None:
    """A notice given up is tried again from its first try (a coordinator fixed the address)."""
    with UnitOfWork(database) as uow:
        notice = _notice_of_bank(uow.session, bank_row(uow.session, bank_slug), notice_id, lock=True)
        if notice.state != "given_up":
            raise InvalidInput("Only a message given up can be sent again: this one was not.")
        notice.state, notice.attempts, notice.next_attempt_at = "waiting", 0, now or utcnow()
        notice.lease_until = None
        uow.commit()


@dataclass(frozen=True)
class ToTell:
    """A notice for a member without email, for the coordinator to tell by phone or letter."""

    id: int
    member_id: int
    name: str
    phone: str | None
    area: str | None
    label: str
    words: rules.Words
    created_at: dt.datetime


def _to_tell_query(bank_id: int):
    return (select(Notice, Member).join(Member, Member.id == Notice.member_id)
            .where(Notice.bank_id == bank_id, Notice.channel == "coordinator", Notice.state == "waiting"))


def _to_tell(notice: Notice, member: Member, bank: Bank, base_url: str) -> ToTell:
    words = rules.render(notice.kind, notice.facts, base_url=base_url, bank_name=bank.name)
    return ToTell(notice.id, member.id, member.name, member.phone, member.area,
                  rules.KINDS[notice.kind].label, words, notice.created_at)


def to_tell(database: Database, bank_slug: str, *, base_url: str, notice_id: int | None = None) -> list[ToTell]:
    """What waits to be told by phone or letter, oldest first (or the one `notice_id`)."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        query = _to_tell_query(bank.id).order_by(Notice.id)
        if notice_id is not None:
            query = query.where(Notice.id == notice_id)
        found = [_to_tell(n, m, bank, base_url) for n, m in uow.session.execute(query).all()]
        if notice_id is not None and not found:
            raise UnknownNotice(f"There is no message number {notice_id} to tell in this bank.")
        return found


def told(database: Database, bank_slug: str, notice_id: int, *, told_by: str) -> None:
    """The coordinator told the member (by phone or letter): delivered."""
    with UnitOfWork(database) as uow:
        notice = _notice_of_bank(uow.session, bank_row(uow.session, bank_slug), notice_id, lock=True)
        if notice.channel != "coordinator":
            raise InvalidInput("This message goes by email: the worker sends it.")
        if notice.state != "sent":
            notice.state, notice.sent_at, notice.told_by = "sent", utcnow(), told_by
        uow.commit()
