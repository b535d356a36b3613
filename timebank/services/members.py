"""Members: taking people and organisations on, finding them, correcting their details,
suspending and closing them."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select, union_all, update
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Account, Entry, Exchange, HelpRequest, Member, Offer, User, utcnow
from timebank.domain import notices as notice_rules
from timebank.domain.duplicates import refuse_member_taken_on_twice
from timebank.domain.errors import (
    EmailTaken,
    InvalidInput,
)
from timebank.domain.ledger import (
    AccountKind,
    check_limits_are_sane,
    check_limits_leave_nobody_outside,
    fingerprint,
    member_limits,
)
from timebank.domain.members import (
    MEMBER_KINDS,
    MEMBER_STATUSES,
    QUIET,
    QUIET_DAYS,
    NamedMember,
    check_not_erased,
    clean_phone,
    name_clashes,
    standing,
)
from timebank.services import ledger, notices
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.ledger.reading import PER_PAGE, page_number
from timebank.services.rows import bank_row, member_row
from timebank.services.text_search import fold, holds
from timebank.services.unit_of_work import UnitOfWork
from timebank.services.views import MemberView, Page

__all__ = [
    "add_member",
    "take_member_on",
    "get_member",
    "list_members",
    "count_members",
    "member_names",
    "active_areas",
    "MemberName",
    "set_member_status",
    "set_member_limits",
    "member_view",
    "MEMBER_STATUSES",
    "set_safeguarding",
    "safeguarding_expiring",
    "members_without_exchanges",
    "helped_after",
    "QuietMember",
    "MemberListing",
    "search_members",
    "same_name_members",
    "edit_member",
    "add_sign_in",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def member_view(member: Member) -> MemberView:
    return MemberView(
        id=member.id,
        bank_id=member.bank_id,
        name=member.name,
        kind=member.kind,
        email=member.email,
        phone=member.phone,
        area=member.area,
        status=member.status,
        floor_minutes=member.floor_minutes,
        ceiling_minutes=member.ceiling_minutes,
        joined_on=member.joined_on,
        safeguarding_checked_on=member.safeguarding_checked_on,
        safeguarding_expires_on=member.safeguarding_expires_on,
        erased=member.erased_at is not None,
    )


def _changeable_member(session: Session, bank_id: int, member_id: int) -> Member:
    """The member, locked for a change, unless they were erased (their record is final)."""
    member = member_row(session, bank_id, member_id, lock=True)
    check_not_erased(member.name, member.erased_at)
    return member



def clean_email(email: str | None) -> str | None:
    email = (email or "").strip()
    if not email:
        return None
    if len(email) > 320 or not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an email address.")
    return email.lower()


def _clean_details(name, email, phone, area) -> tuple[str, str | None, str | None, str | None]:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("A member needs a name of 1 to 200 characters.")
    email = clean_email(email)
    phone = clean_phone(phone)
    area = (area or "").strip() or None
    if area and len(area) > 120:
        raise InvalidInput("An area can be at most 120 characters.")
    return name, email, phone, area


def add_member(
    database: Database,
    bank_slug: str,
    name: str,
    *,
    email: str | None = None,
    organisation: bool = False,
    phone: str | None = None,
    area: str | None = None,
    joined_on: dt.date | None = None,
    idempotency_key: str | None = None,
    refuse_duplicates: bool = False,
) -> MemberView:
    """A new member with an hours account at zero. Email is optional.

    With `refuse_duplicates` (a person at a form), a member of the same name and phone
    taken on today refuses this one (`LooksLikeDuplicate`) until the person confirms.

    With an `idempotency_key`, the same key and details return the member taken on first
    (`replayed=True`); the same key with other details is refused.
    """
    name, email, phone, area = _clean_details(name, email, phone, area)
    key = clean_key(idempotency_key)
    kind = "organisation" if organisation else "person"
    # joined_on as asked (None for "today"), so a retry after midnight is the same request.
    asked = fingerprint({"name": name, "email": email, "kind": kind, "phone": phone, "area": area,
                         "joined_on": joined_on})

    def attempt(session: Session) -> MemberView:
        bank = bank_row(session, bank_slug)
        # The key and the email in one query, so both are read at one moment: a writer with
        # this key committing in between must not look like another member with this email.
        wanted = ([Member.idempotency_key == key] if key is not None else []) + (
            [Member.email == email] if email else [])
        found = session.scalars(
            select(Member).where(Member.bank_id == bank.id, or_(*wanted))
        ).all() if wanted else []
        earlier = next((m for m in found if key is not None and m.idempotency_key == key), None)
        if earlier is not None:
            refuse_other_details(key, earlier.details_fingerprint, asked,
                                 f"member {earlier.id} ({earlier.name})")
            return replace(member_view(earlier), replayed=True)
        if email and any(m.email == email for m in found):
            raise EmailTaken(f"Another member of this bank already uses {email}.")
        if refuse_duplicates:
            bank_row(session, bank_slug, lock=True)  # two sends at once see each other
            refuse_member_taken_on_twice(name, phone, email, session.execute(
                select(Member.id, Member.name, Member.phone, Member.email)
                .where(Member.bank_id == bank.id, Member.joined_on == dt.date.today())).all(), confirmed=False)
        member = Member(
            bank_id=bank.id,
            name=name,
            kind=kind,
            email=email,
            phone=phone,
            area=area,
            status="active",
            joined_on=joined_on or dt.date.today(),
            idempotency_key=key,
            details_fingerprint=asked if key is not None else None,
        )
        session.add(member)
        session.flush()
        session.add(
            Account(bank_id=bank.id, kind=AccountKind.MEMBER.value, member_id=member.id,
                    balance_minutes=0)
        )
        return member_view(member)

    return write_once(database, attempt)


def take_member_on(
    database: Database,
    bank_slug: str,
    name: str,
    *,
    email: str | None = None,
    organisation: bool = False,
    phone: str | None = None,
    area: str | None = None,
    safeguarding_checked_on: dt.date | None = None,
    safeguarding_expires_on: dt.date | None = None,
    welcome_minutes: int | None = None,
    sign_in_password: str | None = None,
    recorded_by: str,
    idempotency_key: str | None = None,
    share_phone: bool = False,
    share_email: bool = False,
    refuse_duplicates: bool = False,
) -> MemberView:
    """The new-member form's use case: a member, their safeguarding check, their welcome
    hours (from the bank's account), what they agree to share with the member they are
    put in touch with, and their sign-in, all in one transaction.

    A refusal of any step writes nothing: the coordinator corrects the form and sends it
    again, rather than finishing half a member by hand. With an `idempotency_key`, the
    same form sent again returns the member taken on first (`replayed=True`), and its
    further steps are not tried twice.
    """
    # Imported here: sign-ins are built on members (auth reads clean_email), not members on them.
    from timebank.services import auth, helping

    with UnitOfWork(database) as uow:
        steps = uow.joined()
        member = add_member(steps, bank_slug, name, email=email, organisation=organisation,
                            phone=phone, area=area, idempotency_key=idempotency_key,
                            refuse_duplicates=refuse_duplicates)
        if member.replayed:
            return member
        if safeguarding_checked_on or safeguarding_expires_on:
            member = set_safeguarding(steps, bank_slug, member.id, checked_on=safeguarding_checked_on,
                                      expires_on=safeguarding_expires_on)
        if welcome_minutes:
            key = clean_key(idempotency_key)
            ledger.grant(steps, bank_slug, member_id=member.id, minutes=welcome_minutes,
                         reason="Welcome hours", recorded_by=recorded_by,
                         idempotency_key=f"{key}:welcome" if key else None)
        if share_phone or share_email:
            helping.set_contact_sharing(steps, bank_slug, member.id, share_phone=share_phone,
                                        share_email=share_email)
        if sign_in_password is not None:
            auth.create_user(steps, bank_slug, email=member.email, name=member.name,
                             password=sign_in_password, role="member", member_id=member.id)
        if member.email:
            bank = bank_row(uow.session, bank_slug)
            notices.write_planned(uow.session, notice_rules.welcome(
                member_id=member.id, name=member.name, bank_name=bank.name,
                has_sign_in=sign_in_password is not None), bank_id=bank.id)
        uow.commit()
    return member


def get_member(database: Database, bank_slug: str, member_id: int) -> MemberView:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return member_view(member_row(uow.session, bank.id, member_id))


# The columns a MemberView shows, in its order: a whole bank's list reads these as plain
# rows, since making 2,000 ORM members took most of the members' CSV download.
_VIEW_COLUMNS = ("id", "bank_id", "name", "kind", "email", "phone", "area", "status", "floor_minutes",
                 "ceiling_minutes", "joined_on", "safeguarding_checked_on", "safeguarding_expires_on")


def list_members(database: Database, bank_slug: str, *, status: str | None = None) -> list[MemberView]:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        query = (select(*(getattr(Member, c) for c in _VIEW_COLUMNS))
                 .where(Member.bank_id == bank.id).order_by(Member.name, Member.id))
        if status:
            query = query.where(Member.status == status)
        return [MemberView(*row) for row in uow.session.execute(query)]


def count_members(database: Database, bank_slug: str) -> dict[str, int]:
    """How many members the bank has in each status (every status present, zero or more)."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        counts = dict(uow.session.execute(
            select(Member.status, func.count()).where(Member.bank_id == bank.id).group_by(Member.status)).all())
        return {status: counts.get(status, 0) for status in MEMBER_STATUSES}


@dataclass(frozen=True)
class MemberName:
    """What a list of names needs of a member (a picker, the names beside exchanges)."""

    id: int
    name: str
    area: str | None
    status: str


def member_names(database: Database, bank_slug: str, *, status: str | None = None,
                 ids: set[int] | None = None) -> list[MemberName]:
    """The bank's members by name, as id, name, area and status only: for the lists of a
    big bank, where whole members (and their ORM rows) would be read for four columns.
    `ids` keeps those members only."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        query = (select(Member.id, Member.name, Member.area, Member.status)
                 .where(Member.bank_id == bank.id).order_by(Member.name, Member.id))
        if status:
            query = query.where(Member.status == status)
        if ids is not None:
            query = query.where(Member.id.in_(ids or {0}))
        return [MemberName(*row) for row in uow.session.execute(query)]


def active_areas(database: Database, bank_slug: str) -> list[str]:
    """The areas the bank's active members live in, each once, sorted."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return sorted(uow.session.scalars(
            select(Member.area).distinct().where(Member.bank_id == bank.id, Member.status == "active",
                                                 Member.area.is_not(None), Member.area != "")))


def set_member_status(database: Database, bank_slug: str, member_id: int, status: str) -> MemberView:
    """Suspend, close or reactivate a member. History is kept whatever the status."""
    if status not in MEMBER_STATUSES:
        raise InvalidInput(f"A member's status is one of {', '.join(MEMBER_STATUSES)}.")
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        member = _changeable_member(uow.session, bank.id, member_id)
        member.status = status
        # The day the record's keeping starts to count down (retention of closed members).
        member.closed_at = (member.closed_at or utcnow()) if status == "closed" else None
        if status != "active":
            from timebank.services.helping import release_answers_of  # helping is built on members

            # Nor do they help anyone: a yes they gave is released and its asker told.
            release_answers_of(uow.session, bank, member)
            # What they asked for and offered leaves the lists with them, in the same
            # transaction: no one answers a suspended member's request (often a
            # safeguarding measure). Reactivation does not reopen them.
            uow.session.execute(update(HelpRequest).where(
                HelpRequest.member_id == member.id, HelpRequest.status == "open").values(status="closed"))
            uow.session.execute(update(Offer).where(
                Offer.member_id == member.id, Offer.active.is_(True)).values(active=False))
        view = member_view(member)
        uow.commit()
    return view


def set_member_limits(
    database: Database,
    bank_slug: str,
    member_id: int,
    *,
    floor_minutes: int | None,
    ceiling_minutes: int | None,
    limits_confirmed: bool = True,
) -> MemberView:
    """Override the bank's limits for one member; None goes back to the bank's.

    Without `limits_confirmed`, limits the member's balance is already outside are
    refused (`LimitsLeaveMembersOutside`) until the person confirms them.
    """
    check_limits_are_sane(floor_minutes, ceiling_minutes)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        member = _changeable_member(uow.session, bank.id, member_id)
        if not limits_confirmed:
            balance = uow.session.scalar(select(Account.balance_minutes).where(Account.member_id == member.id))
            limits = member_limits(bank.floor_minutes, bank.ceiling_minutes, floor_minutes, ceiling_minutes)
            before = member_limits(bank.floor_minutes, bank.ceiling_minutes,
                                   member.floor_minutes, member.ceiling_minutes)
            check_limits_leave_nobody_outside(
                [balance], [balance],
                limits.floor_minutes if limits.floor_minutes != before.floor_minutes else None,
                limits.ceiling_minutes if limits.ceiling_minutes != before.ceiling_minutes else None,
                confirmed=False)
        member.floor_minutes = floor_minutes
        member.ceiling_minutes = ceiling_minutes
        view = member_view(member)
        uow.commit()
    return view


def set_safeguarding(
    database: Database, bank_slug: str, member_id: int, *,
    checked_on: dt.date | None, expires_on: dt.date | None, today: dt.date | None = None,
) -> MemberView:
    """Record a safeguarding check (PVG or DBS) and when it expires; None clears it."""
    today = today or dt.date.today()
    if (checked_on is None) != (expires_on is None):
        raise InvalidInput("Give both the day of the check and the day it expires, or neither.")
    if checked_on is not None:
        if checked_on > today:
            raise InvalidInput("A safeguarding check cannot be dated in the future.")
        if expires_on <= checked_on:
            raise InvalidInput("A safeguarding check must expire after the day it was made.")
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        member = _changeable_member(uow.session, bank.id, member_id)
        member.safeguarding_checked_on = checked_on
        member.safeguarding_expires_on = expires_on
        view = member_view(member)
        uow.commit()
    return view


def safeguarding_expiring(
    database: Database, bank_slug: str, *, within_days: int = 30, today: dt.date | None = None
) -> list[MemberView]:
    """Active members whose check expires within `within_days` days (or has expired)."""
    today = today or dt.date.today()
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        rows = uow.session.scalars(
            select(Member).where(
                Member.bank_id == bank.id, Member.status == "active",
                Member.safeguarding_expires_on.is_not(None),
                Member.safeguarding_expires_on <= today + dt.timedelta(days=within_days),
            ).order_by(Member.safeguarding_expires_on, Member.name)
        )
        return [member_view(m) for m in rows]


@dataclass(frozen=True)
class QuietMember:
    member: MemberView
    last_exchange_on: dt.date | None  # None: never exchanged
    standing: str = QUIET  # QUIET, or NEW: never exchanged, joined in the last 90 days


def _last_exchange_day():
    """The day of a member's latest posted help (given or received), as a subquery.

    Every posted exchange has an entry on each member's account it touched, so the
    entries find group receivers too.
    """
    return (
        select(func.max(Exchange.given_on))
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(
            Account.member_id == Member.id,
            Exchange.state == "posted",
            Exchange.kind.in_(["exchange", "group"]),
        )
        .correlate(Member)
        .scalar_subquery()
    )


def members_without_exchanges(
    database: Database, bank_slug: str, *, days: int = QUIET_DAYS, today: dt.date | None = None
) -> list[QuietMember]:
    """Active members who may need a call, by the domain's one rule (`standing`): no
    posted exchange for `days` days (QUIET), or never exchanged since joining in the last
    `days` days (NEW, to welcome), by name."""
    today = today or dt.date.today()
    since = today - dt.timedelta(days=days)
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        # Members with help after `since` need no call, whatever their last day: they are
        # found from the recent exchanges alone (by the day index), so the last day of help
        # is looked up only for the others, not for every member of a big bank.
        rows = uow.session.execute(
            select(Member, _last_exchange_day().label("last_on"))
            .where(Member.bank_id == bank.id, Member.status == "active",
                   Member.id.not_in(helped_after(bank.id, since)))
            .order_by(Member.name, Member.id)
        ).all()
        found = []
        for m, last_on in rows:
            verdict = standing(joined_on=m.joined_on, last_exchange_on=last_on, today=today, days=days)
            if verdict is not None:
                found.append(QuietMember(member_view(m), last_on, verdict))
        return found


def helped_after(bank_id: int, since: dt.date, until: dt.date | None = None):
    """The members with posted help (given or received) on a day after `since` (and up
    to `until`), as a subquery (a member can come more than once).

    Both sides of a two-member exchange are on its row, read from the help-by-day index
    alone; only a group exchange's receivers are read from its entries.
    """
    help_after = (Exchange.bank_id == bank_id, Exchange.given_on > since, Exchange.state == "posted",
                  *((Exchange.given_on <= until,) if until is not None else ()))
    return union_all(
        select(Exchange.provider_member_id).where(*help_after, Exchange.kind.in_(["exchange", "group"])),
        select(Exchange.receiver_member_id).where(*help_after, Exchange.kind == "exchange"),
        select(Account.member_id).select_from(Exchange)
        .join(Entry, Entry.exchange_id == Exchange.id)
        .join(Account, Account.id == Entry.account_id)
        .where(*help_after, Exchange.kind == "group", Account.member_id.is_not(None)),
    )


@dataclass(frozen=True)
class MemberListing:
    member: MemberView
    balance_minutes: int


def search_members(
    database: Database, bank_slug: str, *, text: str | None = None, status: str | None = None,
    page: int = 1, per_page: int = PER_PAGE,
) -> Page:
    """One page of the bank's members (MemberListing, by name) whose name, phone, area or
    email holds `text`, in any case, or whose number it is; `status` keeps one status only."""
    if status is not None and status not in MEMBER_STATUSES:
        raise InvalidInput(f"A member's status is one of {', '.join(MEMBER_STATUSES)}.")
    page = page_number(page)
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        where = [Member.bank_id == bank.id]
        if status:
            where.append(Member.status == status)
        text = fold(" ".join((text or "").split()))
        if text:
            matches = [holds(session, column, text)
                       for column in (Member.name, Member.phone, Member.area, Member.email)]
            digits = re.sub(r"[\s-]", "", text)
            if digits.isdigit():
                # A phone number typed without its spaces, or with others, still matches.
                matches.append(func.replace(func.replace(Member.phone, " ", ""), "-", "").contains(digits))
            number = text.removeprefix("#")
            if number.isdigit() and not number.startswith("0") and len(number) <= 9:
                # The member's number, as the pickers show it ("#358").
                matches.append(Member.id == int(number))
            where.append(or_(*matches))
        total = session.scalar(select(func.count()).select_from(Member).where(*where))
        rows = session.execute(
            select(Member, Account.balance_minutes)
            .outerjoin(Account, Account.member_id == Member.id)
            .where(*where).order_by(Member.name, Member.id)
            .offset((page - 1) * per_page).limit(per_page)
        ).all()
        return Page(tuple(MemberListing(member_view(m), balance or 0) for m, balance in rows),
                    page, per_page, total)


def same_name_members(database: Database, bank_slug: str, name: str, *,
                      idempotency_key: str | None = None) -> list[MemberView]:
    """The bank's members a new member called `name` could be confused with (B11); none
    when the take-on form with this `idempotency_key` was already sent (it is a replay,
    not another member)."""
    key = clean_key(idempotency_key)
    first_word = " ".join((name or "").split()).split(" ")[0].lower() if (name or "").strip() else ""
    if not first_word:
        return []
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        if key is not None and uow.session.scalars(select(Member.id).where(
                Member.bank_id == bank.id, Member.idempotency_key == key)).first():
            return []
        # Narrowed in SQL by the first word, decided by the domain's rule.
        rows = {m.id: m for m in uow.session.scalars(select(Member).where(
            Member.bank_id == bank.id,
            holds(uow.session, Member.name, fold(first_word))))}
        clashes = name_clashes(name, (NamedMember(m.id, m.name, m.area) for m in rows.values()))
        return [member_view(rows[c.id]) for c in clashes]


def edit_member(
    database: Database, bank_slug: str, member_id: int, *, name: str, email: str | None,
    phone: str | None, area: str | None, kind: str,
) -> MemberView:
    """Correct a member's name, email, phone, area and kind; their sign-in, if they have
    one, signs in with the new email from now on."""
    name, email, phone, area = _clean_details(name, email, phone, area)
    if kind not in MEMBER_KINDS:
        raise InvalidInput(f"A member is one of {', '.join(MEMBER_KINDS)}.")
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = _changeable_member(session, bank.id, member_id)
        user = session.scalars(select(User).where(User.member_id == member.id)).one_or_none()
        if email != member.email:
            _refuse_taken_email(session, bank.id, member.id, email, user)
        if user is not None:
            if not email:
                raise InvalidInput("This member signs in with their email address: it cannot be left empty.")
            user.email, user.name = email, name
        member.name, member.email, member.phone, member.area, member.kind = name, email, phone, area, kind
        view = member_view(member)
        uow.commit()
    return view


def _refuse_taken_email(session: Session, bank_id: int, member_id: int, email: str | None,
                        user: User | None) -> None:
    if not email:
        return
    if session.scalars(select(Member.id).where(
            Member.bank_id == bank_id, Member.email == email, Member.id != member_id)).first():
        raise EmailTaken(f"Another member of this bank already uses {email}.")
    other = select(User.id).where(User.email == email)
    if user is not None:
        other = other.where(User.id != user.id)
    if session.scalars(other).first():
        # Sign-ins are unique across every bank: neutral words, as auth says them.
        raise EmailTaken(f"{email} cannot be used for a sign-in here. Use another email address.")


def add_sign_in(database: Database, bank_slug: str, member_id: int, *, email: str, password: str) -> MemberView:
    """A sign-in for a member who has none, with the email they will sign in with (given
    to the member record too when it had none) and a first password, in one transaction."""
    from timebank.services import auth  # sign-ins are built on members, not members on them

    email = clean_email(email)
    if not email:
        raise InvalidInput("A sign-in needs an email address.")
    with UnitOfWork(database) as uow:
        steps = uow.joined()
        session = uow.session
        bank = bank_row(session, bank_slug)
        member = _changeable_member(session, bank.id, member_id)
        if session.scalars(select(User.id).where(User.member_id == member.id)).first():
            raise InvalidInput("This member already has a sign-in: enable it, or make a reset link.")
        if member.email and member.email != email:
            raise InvalidInput(f"This member's email address is {member.email}: their sign-in uses it. "
                               "Change their details first to use another.")
        if member.email is None:
            _refuse_taken_email(session, bank.id, member.id, email, None)
            member.email = email
            session.flush()
        auth.create_user(steps, bank_slug, email=email, name=member.name, password=password,
                         role="member", member_id=member.id)
        view = member_view(member)
        uow.commit()
    return view
