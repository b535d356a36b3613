"""Signing in: users, server-side sessions and one-time password resets.

A session lives in the database, not only in the browser's cookie: signing out, an idle
timeout, its absolute lifetime or a disabled user ends it on the server, so a copied
cookie stops working. A reset link is issued to a person who may see it (a member's
coordinator, or the operator for staff) and handed back to them, never logged.
Passwords are hashed with argon2id (argon2-cffi's defaults: 64 MiB, t=3), above the
OWASP ASVS minimum. A database made with `password_hashing="fast"` gets the cheapest
parameters instead, for tests and throwaway demonstrations only.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from timebank.db.engine import Database
from timebank.db.models import Bank, Member, PasswordReset, SecondFactor, SignInSession, User, utcnow
from timebank.domain import notices as notice_rules
from timebank.domain.errors import (
    EmailTaken,
    InvalidInput,
    NotFound,
    ResetTokenInvalid,
    SignInRefused,
    UnknownMember,
)
from timebank.domain.passwords import check_password_rules
from timebank.domain.roles import ROLES, STAFF_ROLES, check_may_issue_reset
from timebank.services import notices
from timebank.services.members import clean_email
from timebank.services.rows import bank_row, member_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "ROLES",
    "UserView",
    "create_user",
    "authenticate",
    "start_session",
    "session_user",
    "end_session",
    "set_user_active",
    "set_member_sign_in_active",
    "set_sign_in_active_by_operator",
    "add_staff_sign_in",
    "user_for_member",
    "members_who_sign_in",
    "reset_link_works",
    "ResetLink",
    "issue_reset_link",
    "issue_member_reset_link",
    "issue_reset_link_by_operator",
    "reset_password",
    "change_password",
]

RESET_TOKEN_LIFETIME = dt.timedelta(hours=1)
# ASVS 5.0 7.3.2: a session ends this long after signing in, however active it is.
SESSION_MAX_HOURS = 12
# Writing last_seen_at on every request would turn every page view into a write.
TOUCH_INTERVAL = dt.timedelta(seconds=60)

_HASHERS = {
    "standard": PasswordHasher(),
    "fast": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}


def _hasher(database: Database) -> PasswordHasher:
    return _HASHERS[database.password_hashing]


@functools.cache
def _dummy_hash(password_hashing: str) -> str:
    """Verifying against this when the email is unknown takes as long as a real check, so
    the time of the answer does not tell an attacker which addresses exist."""
    return _HASHERS[password_hashing].hash("no such user, but take the same time")


@dataclass(frozen=True)
class UserView:
    id: int
    bank_id: int
    bank_slug: str
    bank_name: str
    email: str
    name: str
    role: str
    member_id: int | None
    active: bool
    # Known from a session only (session_user): whether the sign-in has a second factor
    # set up, and whether this session has given its code.
    has_second_factor: bool = False
    second_factor_given: bool = False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every one we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _view(user: User, bank: Bank) -> UserView:
    return UserView(user.id, bank.id, bank.slug, bank.name, user.email, user.name, user.role,
                    user.member_id, user.active)


def create_user(
    database: Database,
    bank_slug: str,
    *,
    email: str,
    name: str,
    password: str,
    role: str,
    member_id: int | None = None,
) -> UserView:
    """A sign-in for a coordinator, a social worker, or a member (linked to their record)."""
    email, name = _check_new_user(email, name, password, role, member_id)
    password_hash = _hasher(database).hash(password)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        user = _new_user(uow.session, bank, email, name, password_hash, role, member_id)
        view = _view(user, bank)
        uow.commit()
    return view


def add_staff_sign_in(database: Database, bank_slug: str, *, email: str, name: str, role: str) -> ResetLink:
    """A coordinator's or social worker's sign-in, made by the operator (`timebank user
    add`): its password is random and unknown to anyone, so it is first chosen through the
    reset link returned, for the operator to hand on."""
    if role not in STAFF_ROLES:
        raise InvalidInput(f"A staff sign-in is one of {', '.join(STAFF_ROLES)}.")
    unknown_password = secrets.token_urlsafe(32)
    email, name = _check_new_user(email, name, unknown_password, role, None)
    password_hash = _hasher(database).hash(unknown_password)
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        user = _new_user(uow.session, bank, email, name, password_hash, role, None)
        link = _new_reset_link(uow.session, user, bank)
        uow.commit()
    return link


def _check_new_user(email, name, password, role, member_id) -> tuple[str, str]:
    """The cleaned email and name of a new sign-in, once every rule holds."""
    if role not in ROLES:
        raise InvalidInput(f"A role is one of {', '.join(ROLES)}.")
    email = clean_email(email)
    if not email:
        raise InvalidInput("A sign-in needs an email address.")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("A sign-in needs a name of 1 to 200 characters.")
    if role == "member" and member_id is None:
        raise UnknownMember("A member's sign-in must belong to a member.")
    check_password_rules(password, email=email, name=name)
    return email, name


def _new_user(session, bank: Bank, email, name, password_hash, role, member_id) -> User:
    if member_id is not None:
        member_row(session, bank.id, member_id)
    if session.scalars(select(User.id).where(User.email == email)).first():
        # Sign-ins are unique across every bank: neutral words, so another bank's
        # staff cannot learn who signs in where (the refusal itself cannot be avoided).
        raise EmailTaken(f"{email} cannot be used for a sign-in here. Use another email address.")
    user = User(bank_id=bank.id, email=email, name=name, password_hash=password_hash,
                role=role, member_id=member_id, active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(database: Database, email: str, password: str) -> UserView:
    """The user with this email and password, if they may sign in; SignInRefused otherwise."""
    refused = SignInRefused("The email address or password is not right.")
    email = (email or "").strip().lower()
    with UnitOfWork(database, readonly=True) as uow:
        row = uow.session.execute(
            select(User, Bank).join(Bank, Bank.id == User.bank_id).where(User.email == email)
        ).one_or_none()
        if row is not None:
            view, password_hash = _view(row.User, row.Bank), row.User.password_hash
            may_sign_in = _may_sign_in(uow.session, row.User)
    if row is None:
        _safe_verify(database, _dummy_hash(database.password_hashing), password or "")
        raise refused
    if not _safe_verify(database, password_hash, password or ""):
        raise refused
    if not may_sign_in:
        raise SignInRefused("This sign-in is not active. Please speak to your coordinator.")
    return view


def _may_sign_in(session, user: User) -> bool:
    """An active sign-in, and for a member, a member who is neither suspended nor closed."""
    if not user.active:
        return False
    if user.member_id is None:
        return True
    return session.scalar(select(Member.status).where(Member.id == user.member_id)) == "active"


def _safe_verify(database: Database, password_hash: str, password: str) -> bool:
    try:
        return _hasher(database).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(database: Database, user_id: int) -> str:
    """A new signed-in session; the token goes in the cookie, its digest in the database."""
    token = secrets.token_urlsafe(32)
    with UnitOfWork(database) as uow:
        now = utcnow()
        uow.session.add(SignInSession(token_digest=_digest(token), user_id=user_id,
                                      created_at=now, last_seen_at=now))
        uow.commit()
    return token


def session_user(database: Database, token: str | None, *, idle_minutes: int = 30,
                 max_hours: float = SESSION_MAX_HOURS) -> UserView | None:
    """The user of a live session, or None when it has ended, idled out, outlived its
    absolute lifetime or was disabled."""
    if not token:
        return None
    now = utcnow()
    with UnitOfWork(database, readonly=True) as uow:
        row = uow.session.execute(
            select(SignInSession, User, Bank)
            .join(User, User.id == SignInSession.user_id)
            .join(Bank, Bank.id == User.bank_id)
            .where(SignInSession.token_digest == _digest(token))
        ).one_or_none()
        if row is None or row.SignInSession.ended_at is not None:
            return None
        has_factor = uow.session.scalar(select(SecondFactor.id).where(
            SecondFactor.user_id == row.User.id, SecondFactor.confirmed_at.is_not(None))) is not None
        view = dataclasses.replace(_view(row.User, row.Bank), has_second_factor=has_factor,
                                   second_factor_given=row.SignInSession.second_factor_at is not None)
        may_sign_in = _may_sign_in(uow.session, row.User)
        session_id, last_seen = row.SignInSession.id, _aware(row.SignInSession.last_seen_at)
        started = _aware(row.SignInSession.created_at)
    if not may_sign_in:
        end_session(database, token, because="user_disabled")
        return None
    if now - started > dt.timedelta(hours=max_hours):
        end_session(database, token, because="lifetime")
        return None
    if now - last_seen > dt.timedelta(minutes=idle_minutes):
        end_session(database, token, because="idle")
        return None
    if now - last_seen > TOUCH_INTERVAL:
        with UnitOfWork(database) as uow:
            uow.session.execute(
                update(SignInSession).where(SignInSession.id == session_id).values(last_seen_at=now)
            )
            uow.commit()
    return view


def end_session(database: Database, token: str | None, *, because: str = "signed_out") -> None:
    if not token:
        return
    with UnitOfWork(database) as uow:
        uow.session.execute(
            update(SignInSession)
            .where(SignInSession.token_digest == _digest(token), SignInSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_because=because)
        )
        uow.commit()


def _end_all_sessions(session, user_id: int, because: str) -> None:
    session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_because=because)
    )


def set_user_active(database: Database, bank_slug: str, user_id: int, active: bool) -> UserView:
    """Enable or disable a sign-in; disabling ends every session it has, at once."""
    return _set_active(database, bank_slug, User.id == user_id, active,
                       InvalidInput(f"There is no sign-in number {user_id} in this bank."))


def set_member_sign_in_active(database: Database, bank_slug: str, member_id: int, active: bool) -> UserView:
    """Enable or disable a member's own sign-in, as `set_user_active` does; UnknownMember
    when the member is not this bank's or has no sign-in."""
    return _set_active(database, bank_slug, User.member_id == member_id, active,
                       UnknownMember(f"Member {member_id} of this bank has no sign-in."))


def set_sign_in_active_by_operator(database: Database, bank_slug: str, email: str, active: bool) -> UserView:
    """Enable or disable any sign-in of the bank by its email (`timebank user
    disable|enable`), as `set_user_active` does."""
    return _set_active(database, bank_slug, User.email == clean_email(email), active,
                       NotFound("There is no such sign-in in this bank."))


def _set_active(database: Database, bank_slug: str, which, active: bool, missing: Exception) -> UserView:
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        user = uow.session.scalars(select(User).where(which, User.bank_id == bank.id)).one_or_none()
        if user is None:
            raise missing
        user.active = bool(active)
        if not active:
            _end_all_sessions(uow.session, user.id, "user_disabled")
        view = _view(user, bank)
        uow.commit()
    return view


def user_for_member(database: Database, bank_slug: str, member_id: int) -> UserView | None:
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        user = uow.session.scalars(
            select(User).where(User.member_id == member_id, User.bank_id == bank.id)
        ).one_or_none()
        return _view(user, bank) if user else None


def members_who_sign_in(database: Database, bank_slug: str) -> set[int]:
    """The bank's members with an active sign-in: the others need their coordinator to
    confirm or decline what waits for them."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        return set(uow.session.scalars(
            select(User.member_id).where(User.bank_id == bank.id, User.member_id.is_not(None), User.active)))


@dataclass(frozen=True)
class ResetLink:
    """A one-time link to choose a new password, for the person who issued it to hand on."""

    token: str
    user: UserView
    expires_at: dt.datetime
    # Where the outbox sends it too (None: nowhere, the issuer hands it on).
    emailed_to: str | None = None

    @property
    def path(self) -> str:
        return f"/reset/{self.token}"


def issue_reset_link(database: Database, bank_slug: str, *, issued_by: int, user_id: int) -> ResetLink:
    """A reset link for a sign-in of the bank, issued by a signed-in person who may
    (timebank.domain.roles: a coordinator, for members); it voids the holder's older links.

    The link is returned to be shown to the issuer, and never written to a log.
    Raises NotFound when either sign-in is not the bank's, Forbidden when the issuer may not.
    """
    return _issue(database, bank_slug, issued_by, User.id == user_id)


def issue_member_reset_link(database: Database, bank_slug: str, *, issued_by: int, member_id: int) -> ResetLink:
    """`issue_reset_link` for the sign-in of the bank's member member_id (NotFound when the
    member has none, or is another bank's)."""
    return _issue(database, bank_slug, issued_by, User.member_id == member_id)


def _issue(database: Database, bank_slug: str, issued_by: int, which) -> ResetLink:
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        issuer = _user_of_bank(uow.session, bank.id, User.id == issued_by)
        holder = _user_of_bank(uow.session, bank.id, which)
        check_may_issue_reset(issuer.role, holder.role)
        link = _new_reset_link(uow.session, holder, bank)
        uow.commit()
    return link


def issue_reset_link_by_operator(database: Database, bank_slug: str, email: str) -> ResetLink:
    """A reset link for any sign-in of the bank, for the operator's terminal
    (`timebank user reset`): how staff sign-ins are reset."""
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        holder = _user_of_bank(uow.session, bank.id, User.email == clean_email(email))
        link = _new_reset_link(uow.session, holder, bank)
        uow.commit()
    return link


def _user_of_bank(session, bank_id: int, which) -> User:
    user = session.scalars(select(User).where(which, User.bank_id == bank_id)).one_or_none()
    if user is None:
        raise NotFound("There is no such sign-in in this bank.")
    return user


def _new_reset_link(session, user: User, bank: Bank) -> ResetLink:
    if not user.active:
        raise InvalidInput("This sign-in is disabled: enable it before resetting its password.")
    now = utcnow()
    _void_reset_links(session, user.id, now)
    token = secrets.token_urlsafe(24)
    expires_at = now + RESET_TOKEN_LIFETIME
    reset = PasswordReset(token_digest=_digest(token), user_id=user.id, created_at=now, expires_at=expires_at)
    session.add(reset)
    emailed_to = _send_reset_link(session, user, reset, token)
    return ResetLink(token, _view(user, bank), expires_at, emailed_to)


def _send_reset_link(session, user: User, reset: PasswordReset, token: str) -> str | None:
    """The link goes by email too, through the outbox, in the transaction that issues it
    (the issuer still sees it): a member's to the email of their record, else to their
    sign-in's; a staff sign-in's to its own. The token stays in the notice only until it
    is sent (the worker then blanks it), and dies within the hour. Returns the address."""
    member = session.get(Member, user.member_id) if user.member_id is not None else None
    if member is not None and member.status != "active":
        return None  # a closed or suspended member is sent nothing more
    recipient = member if member is not None and member.email else user
    session.flush()
    planned = notice_rules.password_reset(reset_id=reset.id, member_id=member.id if member else None,
                                          name=recipient.name, token=token, expires_at=reset.expires_at)
    written = notices.write(session, kind=planned.kind, recipient=recipient, facts=planned.facts, key=planned.key)
    return recipient.email if written is not None else None


def _void_reset_links(session, user_id: int, now: dt.datetime) -> None:
    """Only the newest link works: the older ones expire now."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None),
               PasswordReset.expires_at > now)
        .values(expires_at=now)
    )


def reset_link_works(database: Database, token: str) -> bool:
    """Whether a reset link can still be used (it is not spent, expired or voided, and its
    sign-in is active): a dead link says so before anyone types a new password twice."""
    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        reset = session.scalars(
            select(PasswordReset).where(PasswordReset.token_digest == _digest(token or ""))).one_or_none()
        user = session.get(User, reset.user_id) if reset is not None else None
        return not (reset is None or reset.used_at is not None or _aware(reset.expires_at) <= utcnow()
                    or not user.active)


def reset_password(database: Database, token: str, new_password: str) -> UserView:
    """Use a reset link once: the new password is set, every other link of the sign-in is
    voided and every session ended."""
    with UnitOfWork(database) as uow:
        session = uow.session
        reset = session.scalars(
            select(PasswordReset).where(PasswordReset.token_digest == _digest(token or ""))
            .with_for_update()
        ).one_or_none()
        now = utcnow()
        user = session.get(User, reset.user_id) if reset is not None else None
        if reset is None or reset.used_at is not None or _aware(reset.expires_at) <= now or not user.active:
            raise ResetTokenInvalid("This reset link has expired or was already used. Ask for a new one.")
        check_password_rules(new_password, email=user.email, name=user.name)
        user.password_hash = _hasher(database).hash(new_password)
        reset.used_at = now
        _void_reset_links(session, user.id, now)
        _end_all_sessions(session, user.id, "password_reset")
        view = _view(user, session.get(Bank, user.bank_id))
        uow.commit()
    return view


def change_password(database: Database, user_id: int, session_token: str, current_password: str,
                    new_password: str) -> UserView:
    """The signed-in person chooses a new password, giving the current one; every other
    session of theirs ends (the one of session_token goes on) and outstanding reset links
    are voided.

    Raises SignInRefused when the current password is not right, WeakPassword for the new.
    """
    with UnitOfWork(database, readonly=True) as uow:
        row = uow.session.execute(
            select(User, Bank).join(Bank, Bank.id == User.bank_id).where(User.id == user_id)
        ).one()
        user, password_hash = _view(row.User, row.Bank), row.User.password_hash
    if not _safe_verify(database, password_hash, current_password or ""):
        raise SignInRefused("The current password is not right.")
    check_password_rules(new_password, email=user.email, name=user.name)
    new_hash = _hasher(database).hash(new_password)
    with UnitOfWork(database) as uow:
        now = utcnow()
        uow.session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
        _void_reset_links(uow.session, user.id, now)
        uow.session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None),
                   SignInSession.token_digest != _digest(session_token))
            .values(ended_at=now, ended_because="password_changed")
        )
        uow.commit()
    return user
