"""Withdrawing consent to an assessment: the person is out of every match run from that
moment (the assessment is closed, and runs read only active assessments), and the
assessment is hidden from everyone; only the record of the withdrawal can be seen."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from timebank.db.engine import Database
from timebank.db.models import Assessment, ConsentWithdrawal, User, utcnow
from timebank.domain.errors import NotAllowed
from timebank.domain.privacy import check_withdrawal
from timebank.services.assessments import log_access, require_social_worker
from timebank.services.auth import UserView
from timebank.services.rows import assessment_row, bank_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["Withdrawal", "Consent", "withdraw_consent", "get_withdrawal", "get_consent", "list_withdrawals"]


@dataclass(frozen=True)
class Withdrawal:
    assessment_id: int
    person_name: str
    withdrawn_on: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime


@dataclass(frozen=True)
class Consent:
    """Whom an assessment is about, and their withdrawal of consent (None: not withdrawn)."""

    assessment_id: int
    person_name: str
    withdrawal: Withdrawal | None


def withdraw_consent(database: Database, actor: UserView, assessment_id: int, *, withdrawn_on: dt.date,
                     note: str, today: dt.date | None = None) -> Withdrawal:
    """Record that the person withdrew consent, on the day they said so."""
    withdrawn_on, note = check_withdrawal(withdrawn_on, note, today or dt.date.today())
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        assessment = assessment_row(session, bank, assessment_id, lock=True)
        if assessment.erased_at is not None:
            raise NotAllowed("This assessment was erased: there is nothing left to withdraw.")
        if session.scalar(select(ConsentWithdrawal.id).where(ConsentWithdrawal.assessment_id == assessment.id)):
            raise NotAllowed("Consent to this assessment was withdrawn already.")
        assessment.status = "closed"
        session.add(ConsentWithdrawal(bank_id=bank.id, assessment_id=assessment.id, withdrawn_on=withdrawn_on,
                                      note=note, recorded_by_user_id=actor.id, created_at=utcnow()))
        log_access(session, bank, actor, assessment.id, "withdraw", "recorded consent withdrawn")
        session.flush()
        view = _view(session, assessment.id, assessment.person_name)
        uow.commit()
    return view


def get_withdrawal(database: Database, actor: UserView, assessment_id: int) -> Withdrawal | None:
    """The withdrawal of consent to this assessment, or None; a read of it is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        assessment = assessment_row(session, bank, assessment_id)
        view = _view(session, assessment.id, assessment.person_name)
        if view is not None:
            log_access(session, bank, actor, assessment.id, "view", "viewed the withdrawal of consent")
            uow.commit()
    return view


def get_consent(database: Database, actor: UserView, assessment_id: int) -> Consent:
    """The person an assessment is about, by name, and whether they withdrew consent; a
    read of a withdrawal is logged (the assessment itself is not read)."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        assessment = assessment_row(session, bank, assessment_id)
        found = Consent(assessment.id, assessment.person_name, _view(session, assessment.id, assessment.person_name))
        if found.withdrawal is not None:
            log_access(session, bank, actor, assessment.id, "view", "viewed the withdrawal of consent")
            uow.commit()
    return found


def list_withdrawals(database: Database, actor: UserView) -> list[Withdrawal]:
    """Every withdrawal of consent in the bank (not of erased assessments), latest first:
    names and days only, nothing the assessments said; the listing is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        rows = session.execute(
            select(ConsentWithdrawal, Assessment.person_name, User.name)
            .join(Assessment, Assessment.id == ConsentWithdrawal.assessment_id)
            .join(User, User.id == ConsentWithdrawal.recorded_by_user_id)
            .where(Assessment.bank_id == bank.id, Assessment.erased_at.is_(None))
            .order_by(ConsentWithdrawal.withdrawn_on.desc(), ConsentWithdrawal.id.desc())).all()
        log_access(session, bank, actor, None, "list", "listed the withdrawals of consent")
        uow.commit()
    return [Withdrawal(w.assessment_id, name, w.withdrawn_on, w.note, by, w.created_at) for w, name, by in rows]


def _view(session, assessment_id: int, person_name: str) -> Withdrawal | None:
    row = session.execute(select(ConsentWithdrawal, User.name)
                          .join(User, User.id == ConsentWithdrawal.recorded_by_user_id)
                          .where(ConsentWithdrawal.assessment_id == assessment_id)).first()
    if row is None:
        return None
    w, by = row
    return Withdrawal(assessment_id, person_name, w.withdrawn_on, w.note, by, w.created_at)
