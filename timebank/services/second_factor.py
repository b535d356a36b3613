"""The second factor: setting up an authenticator app, giving its code (or a recovery
code) after the password, and resetting a lost one. One transaction each.

The app's secret is stored sealed (Fernet: AES and an HMAC) with a key derived from the
sealing key the application is given (its SECRET_KEY, kept in the instance folder, not in
the database); recovery codes are stored as an HMAC under the same key. So a dump of the
database alone neither computes codes nor checks recovery codes offline. Changing the
application's secret key therefore voids every factor: the operator resets them with
`timebank user reset-factor`. Neither secret nor code is ever logged.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import time
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, func, select, update

from timebank.db.engine import Database
from timebank.db.models import Bank, RecoveryCode, SecondFactor, SignInSession, User, utcnow
from timebank.domain import second_factor as rules
from timebank.domain.errors import CodeRefused, Conflict, NotFound
from timebank.domain.roles import STAFF_ROLES
from timebank.services.auth import _aware, _end_all_sessions
from timebank.services.auth import _digest as _token_digest
from timebank.services.members import clean_email
from timebank.services.rows import bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "Enrolment",
    "Verified",
    "StaffFactor",
    "has_factor",
    "recovery_codes_left",
    "begin_enrolment",
    "confirm_enrolment",
    "verify",
    "reset_factor",
    "reset_factor_by_operator",
    "staff_factors",
]


@dataclass(frozen=True)
class Enrolment:
    """What the setup page shows: the secret written out, and the address the QR code holds."""

    secret: str
    uri: str


@dataclass(frozen=True)
class Verified:
    used_recovery_code: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class StaffFactor:
    user_id: int
    name: str
    email: str
    role: str
    enrolled: bool


def _fernet(sealing_key: str) -> Fernet:
    key = hashlib.sha256(b"timebank second factor\x00" + sealing_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(sealing_key: str, secret: str) -> str:
    return _fernet(sealing_key).encrypt(secret.encode("ascii")).decode("ascii")


def _unseal(sealing_key: str, sealed: str) -> str:
    try:
        return _fernet(sealing_key).decrypt(sealed.encode("ascii")).decode("ascii")
    except InvalidToken:
        # The application's key changed since the factor was set up: it cannot be read.
        raise CodeRefused("This second factor cannot be checked here. Ask your coordinator "
                          "or the operator to reset it.") from None


def _code_digest(sealing_key: str, code: str) -> str:
    key = hashlib.sha256(b"timebank recovery codes\x00" + sealing_key.encode("utf-8")).digest()
    return hmac.new(key, code.encode("ascii"), hashlib.sha256).hexdigest()


def _confirmed(session, user_id: int, *, lock: bool = False) -> SecondFactor | None:
    query = select(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.confirmed_at.is_not(None))
    if lock:
        query = query.with_for_update()
    return session.scalars(query).one_or_none()


def has_factor(database: Database, user_id: int) -> bool:
    with UnitOfWork(database, readonly=True) as uow:
        return _confirmed(uow.session, user_id) is not None


def recovery_codes_left(database: Database, user_id: int) -> int:
    with UnitOfWork(database, readonly=True) as uow:
        return _codes_left(uow.session, user_id)


def _codes_left(session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)))


def begin_enrolment(database: Database, user_id: int, *, sealing_key: str) -> Enrolment:
    """The secret to put into an app: the one already waiting for its first code, so a page
    reloaded after scanning still matches the app, or a new one. Conflict when the sign-in
    already has a confirmed factor."""
    with UnitOfWork(database) as uow:
        row = uow.session.execute(
            select(User, Bank).join(Bank, Bank.id == User.bank_id).where(User.id == user_id)
        ).one()
        factor = uow.session.scalars(
            select(SecondFactor).where(SecondFactor.user_id == user_id).with_for_update()
        ).one_or_none()
        if factor is not None and factor.confirmed_at is not None:
            raise Conflict("Your second factor is already set up.")
        secret = None
        if factor is not None:
            try:
                secret = _unseal(sealing_key, factor.secret_sealed)
            except CodeRefused:
                uow.session.delete(factor)
                uow.session.flush()
                factor = None
        if factor is None:
            secret = rules.new_secret()
            uow.session.add(SecondFactor(user_id=user_id, secret_sealed=_seal(sealing_key, secret)))
        enrolment = Enrolment(secret, rules.provisioning_uri(secret, account=row.User.email,
                                                             issuer=row.Bank.name))
        uow.commit()
    return enrolment


def confirm_enrolment(database: Database, user_id: int, session_token: str, code: str, *,
                      sealing_key: str, at: float | None = None) -> list[str]:
    """A first code from the app proves the secret was saved: the factor is set, this
    session has given it, and the recovery codes returned are the only time anyone sees
    them (only their digests are kept). CodeRefused for a wrong code."""
    at = time.time() if at is None else at
    with UnitOfWork(database) as uow:
        factor = uow.session.scalars(
            select(SecondFactor).where(SecondFactor.user_id == user_id).with_for_update()
        ).one_or_none()
        if factor is None:
            raise CodeRefused("Start again: open the set-up page to get a new secret.")
        if factor.confirmed_at is not None:
            raise Conflict("Your second factor is already set up.")
        step = rules.matching_step(_unseal(sealing_key, factor.secret_sealed), code, at=at,
                                   last_used_step=factor.last_used_step)
        now = utcnow()
        factor.confirmed_at = now
        factor.last_used_step = step
        codes = rules.new_recovery_codes()
        uow.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        uow.session.add_all(RecoveryCode(user_id=user_id, code_digest=_code_digest(sealing_key, c),
                                         created_at=now) for c in codes)
        _mark_session(uow.session, user_id, session_token, now)
        uow.commit()
    return codes


def verify(database: Database, user_id: int, session_token: str, typed: str, *,
           sealing_key: str, at: float | None = None) -> Verified:
    """The code from the app, or a recovery code, given after the password: the session is
    then signed in fully. A code's time step, or a recovery code, is taken once only
    (the row is locked, so two requests racing with one code cannot both pass).
    CodeRefused otherwise, with nothing written but the wrong code counted on the factor;
    CodesLocked, even for a right code, after too many wrong ones in the window
    (timebank.domain.second_factor.check_codes_not_locked)."""
    at = time.time() if at is None else at
    with UnitOfWork(database) as uow:
        factor = _confirmed(uow.session, user_id, lock=True)
        if factor is None:
            raise CodeRefused("This sign-in has no second factor set up.")
        now = utcnow()
        # The window is read on the code's own clock, so a test (or a replay) sees one time.
        moment = dt.datetime.fromtimestamp(at, dt.UTC)
        since = _aware(factor.refused_since) if factor.refused_since else None
        rules.check_codes_not_locked(factor.refused_codes, since, moment)
        try:
            used_recovery = _take_code(uow.session, factor, typed, sealing_key=sealing_key, at=at, now=now)
        except CodeRefused:
            # The wrong code is counted, and the count kept, though nothing else is written.
            factor.refused_codes, factor.refused_since = rules.count_refused_code(
                factor.refused_codes, since, moment)
            uow.commit()
            raise
        factor.refused_codes, factor.refused_since = 0, None
        _mark_session(uow.session, user_id, session_token, now)
        uow.session.flush()
        verified = Verified(used_recovery, _codes_left(uow.session, user_id))
        uow.commit()
    return verified


def _take_code(session, factor: SecondFactor, typed: str, *, sealing_key: str, at: float, now) -> bool:
    """Take the app's code or a recovery code (once only); whether it was a recovery code.
    CodeRefused when it is neither."""
    recovery = rules.clean_recovery_code(typed)
    if recovery is not None and not rules.is_app_code(rules.clean_code(typed)):
        row = session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == factor.user_id,
                                       RecoveryCode.code_digest == _code_digest(sealing_key, recovery))
            .with_for_update()
        ).one_or_none()
        if row is None or row.used_at is not None:
            raise CodeRefused("That recovery code is not right, or was already used.")
        row.used_at = now
        return True
    factor.last_used_step = rules.matching_step(
        _unseal(sealing_key, factor.secret_sealed), typed, at=at, last_used_step=factor.last_used_step)
    return False


def _mark_session(session, user_id: int, session_token: str, now) -> None:
    done = session.execute(
        update(SignInSession)
        .where(SignInSession.token_digest == _token_digest(session_token or ""),
               SignInSession.user_id == user_id, SignInSession.ended_at.is_(None))
        .values(second_factor_at=now)
    ).rowcount
    if done != 1:
        raise CodeRefused("Your session has ended. Please sign in again.")


def _clear(session, user: User) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    # Every session ends: the holder signs in again and sets up a new factor.
    _end_all_sessions(session, user.id, "second_factor_reset")


def reset_factor(database: Database, bank_slug: str, *, reset_by: int, user_id: int) -> StaffFactor:
    """A coordinator clears the lost second factor of other staff of their bank
    (timebank.domain.second_factor.check_may_reset_factor). NotFound when either sign-in
    is not the bank's, Forbidden when the resetter may not."""
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        resetter = _user_of_bank(uow.session, bank.id, User.id == reset_by)
        holder = _user_of_bank(uow.session, bank.id, User.id == user_id)
        rules.check_may_reset_factor(resetter_id=resetter.id, resetter_role=resetter.role,
                                     holder_id=holder.id, holder_role=holder.role)
        _clear(uow.session, holder)
        view = StaffFactor(holder.id, holder.name, holder.email, holder.role, False)
        uow.commit()
    return view


def reset_factor_by_operator(database: Database, bank_slug: str, email: str) -> StaffFactor:
    """Any sign-in's second factor, cleared from the operator's terminal
    (`timebank user reset-factor`)."""
    with UnitOfWork(database) as uow:
        bank = bank_row(uow.session, bank_slug)
        holder = _user_of_bank(uow.session, bank.id, User.email == clean_email(email))
        _clear(uow.session, holder)
        view = StaffFactor(holder.id, holder.name, holder.email, holder.role, False)
        uow.commit()
    return view


def _user_of_bank(session, bank_id: int, which) -> User:
    user = session.scalars(select(User).where(which, User.bank_id == bank_id)).one_or_none()
    if user is None:
        raise NotFound("There is no such sign-in in this bank.")
    return user


def staff_factors(database: Database, bank_slug: str) -> list[StaffFactor]:
    """The bank's staff sign-ins and whether each has a second factor set up."""
    with UnitOfWork(database, readonly=True) as uow:
        bank = bank_row(uow.session, bank_slug)
        enrolled = select(SecondFactor.user_id).where(SecondFactor.confirmed_at.is_not(None))
        rows = uow.session.execute(
            select(User, User.id.in_(enrolled)).where(User.bank_id == bank.id, User.role.in_(STAFF_ROLES))
            .order_by(User.name, User.id)
        ).all()
        return [StaffFactor(u.id, u.name, u.email, u.role, bool(e)) for u, e in rows]
