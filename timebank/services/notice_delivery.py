"""The notice worker: takes the notices due from the outbox and sends them by email.

One pass (`send_pass`) claims a batch, sends each, and records what happened:

1. **Claim**, in one short transaction: the email notices that are waiting (or failed
   and due again), and those whose worker's lease ran out, are marked "sending" with a
   lease (`lease_seconds`) and one more attempt. On PostgreSQL `FOR UPDATE SKIP LOCKED`
   lets two workers claim side by side without taking one notice twice; on SQLite the
   write lock (BEGIN IMMEDIATE) puts the claims one after the other.
2. **Send** each through SMTP (`smtplib`), with the notice's key as its Message-ID.
3. **Mark** each at once in its own transaction: "sent"; or, refused (a 4xx or 5xx
   answer, a server that cannot be reached), "failed" with the next try after an
   exponential backoff, and "given up" after `max_attempts`.

Delivery is at least once, not exactly once: no SMTP server takes part in our
transaction. A worker killed after the server's 250 (the answer to DATA: the message is
accepted) and before the commit that marks it sent leaves that notice leased: it is sent
again when the lease runs out, with the same Message-ID, which a mail client takes for
the same message. That window is one notice wide (the one in hand) and as short as it
can be: the email and the statement that marks it sent are made before the send, so
after the 250 only that statement's own short transaction runs. Nothing marked sent is
ever sent again. A worker asked
to stop (SIGTERM in `--loop`) finishes the notice in hand and hands the rest back.
"""
from __future__ import annotations

import datetime as dt
import smtplib
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from sqlalchemy import and_, bindparam, or_, select, update

from timebank.db.engine import Database
from timebank.db.models import Bank, Member, Notice, User, utcnow
from timebank.domain import notices as rules
from timebank.services.settings import DeliverySettings
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["Claimed", "PassResult", "send_pass", "run_loop", "build_email"]


@dataclass(frozen=True)
class Claimed:
    """A notice this worker holds, with what its email needs."""

    id: int
    bank_id: int
    bank_name: str
    kind: str
    facts: dict
    key: str
    attempts: int
    member_id: int | None
    name: str
    address: str | None


@dataclass
class PassResult:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    given_up: int = 0
    errors: list[str] = field(default_factory=list)


def _due(now: dt.datetime):
    return and_(Notice.channel == "email", or_(
        and_(Notice.state.in_(("waiting", "failed")), Notice.next_attempt_at <= now),
        and_(Notice.state == "sending", Notice.lease_until < now)))


def _claim(database: Database, settings: DeliverySettings, now: dt.datetime) -> list[Claimed]:
    with UnitOfWork(database) as uow:
        session = uow.session
        query = (select(Notice.id).where(_due(now)).order_by(Notice.next_attempt_at, Notice.id)
                 .limit(settings.batch_size))
        if database.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        ids = list(session.scalars(query))
        if not ids:
            return []
        session.execute(update(Notice).where(Notice.id.in_(ids)).values(
            state="sending", lease_until=now + dt.timedelta(seconds=settings.lease_seconds),
            attempts=Notice.attempts + 1))
        rows = session.execute(
            select(Notice, Bank.name, Member.name, Member.email, Member.status, User.name, User.email)
            .join(Bank, Bank.id == Notice.bank_id)
            .outerjoin(Member, Member.id == Notice.member_id).outerjoin(User, User.id == Notice.user_id)
            .where(Notice.id.in_(ids)).order_by(Notice.next_attempt_at, Notice.id)
            .execution_options(populate_existing=True)).all()
        claimed = []
        for notice, bank_name, member_name, member_email, status, user_name, user_email in rows:
            address = member_email if notice.member_id is not None else user_email
            if notice.member_id is not None and status != "active":
                address = None  # closed or suspended since: nothing more is sent to them
            claimed.append(Claimed(notice.id, notice.bank_id, bank_name, notice.kind, dict(notice.facts),
                                   notice.notice_key, notice.attempts, notice.member_id,
                                   member_name or user_name or "", address))
        uow.commit()
        return claimed


def build_email(notice: Claimed, settings: DeliverySettings) -> EmailMessage:
    """The email of one notice: its words, the link to act, and (for a kind a member may
    turn off) a signed one-click unsubscribe link, in the body and as List-Unsubscribe."""
    unsubscribe = None
    spec = rules.check_kind(notice.kind)
    if notice.member_id is not None and not spec.essential:
        token = rules.unsubscribe_token(settings.secret_key.encode(), notice.member_id, notice.kind)
        unsubscribe = f"{settings.base_url.rstrip('/')}/messages/stop/{token}"
    words = rules.render(notice.kind, notice.facts, base_url=settings.base_url, unsubscribe_url=unsubscribe,
                         bank_name=notice.bank_name)
    message = EmailMessage()
    message["From"] = formataddr((notice.bank_name, settings.sender))
    message["To"] = formataddr((notice.name, notice.address))
    message["Subject"] = words.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = rules.message_id(notice.key, notice.bank_id, settings.sender_domain)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(words.body)
    return message


def _connect(settings: DeliverySettings) -> smtplib.SMTP:
    if settings.smtp_security == "tls":
        smtp = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout_seconds)
        if settings.smtp_security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password or "")
    return smtp


def _refusal(error: Exception) -> str:
    """The server's answer in one line (never the message: it can hold a reset link)."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else str(
            error.smtp_error)
        return f"{error.smtp_code} {text}"[:300]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:300]
    return f"{type(error).__name__}: {error}"[:300]


def _marking_sent(notice: Claimed):
    """The statement that marks the notice sent, made before it is sent: after the
    server's 250 only its own short transaction remains to be run (with the moment)."""
    values = {"state": "sent", "sent_at": bindparam("sent_now"), "lease_until": None, "last_error": None}
    if "token" in notice.facts:
        # The reset link is a secret: once sent, the outbox keeps no copy of it.
        values["facts"] = {**notice.facts, "token": ""}
    return update(Notice).where(Notice.id == notice.id, Notice.state == "sending").values(**values)


def _mark_sent(database: Database, marking) -> None:
    with UnitOfWork(database) as uow:
        uow.session.execute(marking, {"sent_now": utcnow()})
        uow.commit()


def _mark_refused(database: Database, settings: DeliverySettings, notice: Claimed, error: str,
                  now: dt.datetime, result: PassResult, *, final: bool = False) -> None:
    give_up = final or rules.gives_up(notice.attempts, max_attempts=settings.max_attempts)
    values = {"lease_until": None, "last_error": error[:500]}
    if give_up:
        values["state"] = "given_up"
        if "token" in notice.facts:
            values["facts"] = {**notice.facts, "token": ""}
        result.given_up += 1
    else:
        values["state"] = "failed"
        values["next_attempt_at"] = now + rules.retry_delay(notice.attempts, base_seconds=settings.retry_base_seconds)
        result.failed += 1
    result.errors.append(error)
    with UnitOfWork(database) as uow:
        uow.session.execute(update(Notice).where(Notice.id == notice.id, Notice.state == "sending").values(**values))
        uow.commit()


def _hand_back(database: Database, notices: list[Claimed]) -> None:
    """Notices claimed but not tried (the worker was asked to stop): waiting again, as before."""
    if not notices:
        return
    with UnitOfWork(database) as uow:
        for notice in notices:
            uow.session.execute(update(Notice).where(Notice.id == notice.id, Notice.state == "sending").values(
                state="waiting" if notice.attempts == 1 else "failed", lease_until=None,
                attempts=Notice.attempts - 1))
        uow.commit()


def send_pass(database: Database, settings: DeliverySettings, *, now: dt.datetime | None = None,
              stop: threading.Event | None = None, connect=None) -> PassResult:
    """Send what is due now, batch after batch, until nothing is due (or `stop` is set).

    `connect(settings)` opens the connection (an `smtplib.SMTP` by default); the
    demonstration bank gives one of its own, that takes some messages and refuses others.
    """
    result = PassResult()
    while stop is None or not stop.is_set():
        now_here = now or utcnow()
        claimed = _claim(database, settings, now_here)
        if not claimed:
            break
        result.claimed += len(claimed)
        _send_batch(database, settings, claimed, now_here, result, stop, connect or _connect)
        if len(claimed) < settings.batch_size:
            break
    return result


def _send_batch(database: Database, settings: DeliverySettings, claimed: list[Claimed], now: dt.datetime,
                result: PassResult, stop: threading.Event | None, connect) -> None:
    smtp = None
    try:
        for index, notice in enumerate(claimed):
            if stop is not None and stop.is_set():
                _hand_back(database, claimed[index:])
                return
            if not notice.address:
                _mark_refused(database, settings, notice, "no email address (or the member left)", now, result,
                              final=True)
                continue
            message, marking = build_email(notice, settings), _marking_sent(notice)
            try:
                if smtp is None:
                    smtp = connect(settings)
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError) as error:
                _mark_refused(database, settings, notice, _refusal(error), now, result)
                if not isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused):
                    smtp = _close(smtp)  # the connection is gone: a new one for the next
                continue
            # The window of a second copy: from the server's 250 after DATA (send_message
            # returns on it) to this commit. Nothing else runs in between.
            _mark_sent(database, marking)
            result.sent += 1
    finally:
        _close(smtp)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
    return None


def run_loop(database: Database, settings: DeliverySettings, *, sleep_seconds: float,
             stop: threading.Event, on_pass=None) -> None:
    """Pass after pass, sleeping between them, until `stop` is set (a service unit's loop)."""
    while not stop.is_set():
        result = send_pass(database, settings, stop=stop)
        if on_pass is not None:
            on_pass(result)
        stop.wait(sleep_seconds)
