"""Needs and Capabilities Assessments: recorded, edited (every version kept), read.

Assessments are special-category data (health and care). Only social workers of the
assessment's bank read them, and every read, export or change writes an append-only
row in the access log: who, role, bank, which record, when and why.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import Assessment, AssessmentAccess, AssessmentVersion, Bank, utcnow
from timebank.domain.assessments import check_member_link, validate_content
from timebank.domain.errors import NotAllowed, UnknownAssessment, UnknownMember
from timebank.domain.ledger import fingerprint
from timebank.domain.places import area_key
from timebank.domain.text import clean_text
from timebank.services.auth import UserView
from timebank.services.idempotency import clean_key, refuse_other_details, write_once
from timebank.services.places import centres
from timebank.services.readings import note_corrections
from timebank.services.rows import active_category_slugs, assessment_row, bank_row, member_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = [
    "AssessmentView",
    "AssessmentSummary",
    "record_assessment",
    "update_assessment",
    "get_assessment",
    "list_assessments",
    "MemberLink",
    "link_member",
    "access_log",
    "require_social_worker",
    "log_access",
    "refuse_withdrawn",
]

MAX_NAME_CHARS = 200  # the width of assessments.person_name


@dataclass(frozen=True)
class AssessmentView:
    id: int
    person_name: str
    member_id: int | None
    status: str
    version: int
    content: dict
    recorded_at: dt.datetime
    versions: tuple[tuple[int, dt.datetime, str], ...]  # (version, when, by whom)
    replayed: bool = False  # True when an idempotency key returned what was recorded before


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    person_name: str
    member_id: int | None
    area: str | None
    needs: int
    capabilities: int
    consent: bool
    updated_at: dt.datetime


@dataclass(frozen=True)
class MemberLink:
    """An assessment's link to a member: as it was, and as it is (or would be) now."""

    assessment_id: int
    person_name: str
    before_member_id: int | None
    before_name: str | None
    member_id: int | None
    member_name: str | None
    made: bool  # False when only asked (the "are you sure?" step) or already so

    @property
    def changes(self) -> bool:
        return self.before_member_id != self.member_id


def require_social_worker(actor: UserView, bank: Bank) -> None:
    """Assessments are read and written by social workers of their own bank only."""
    if actor.role != "social_worker":
        raise NotAllowed("Only social workers can see or change assessments.")
    if actor.bank_id != bank.id:
        raise NotAllowed("Assessments of another bank are not yours to see.")


def log_access(session: Session, bank: Bank, actor: UserView, assessment_id: int | None,
               action: str, why: str) -> None:
    session.add(AssessmentAccess(bank_id=bank.id, user_id=actor.id, role=actor.role,
                                 assessment_id=assessment_id, action=action, why=why[:200],
                                 at=utcnow()))




def refuse_withdrawn(session: Session, assessment: Assessment) -> None:
    """An assessment whose consent was withdrawn is hidden from everyone: only the record
    of the withdrawal is shown (services/consent.py)."""
    from timebank.db.models import ConsentWithdrawal

    if assessment.erased_at is not None or session.scalar(
            select(ConsentWithdrawal.id).where(ConsentWithdrawal.assessment_id == assessment.id)):
        raise NotAllowed("Consent to this assessment was withdrawn: only the withdrawal can be seen.")


def record_assessment(
    database: Database, actor: UserView, *, person_name: str, content: dict,
    member_id: int | None = None, today: dt.date | None = None, idempotency_key: str | None = None,
) -> AssessmentView:
    """A new assessment (version 1) for a person, member or not yet a member.

    With an `idempotency_key`, the same key and details return the assessment recorded
    first (`replayed=True`); the same key with other details is refused.
    """
    name = clean_text(person_name, "the person's name", MAX_NAME_CHARS, required=True)
    key = clean_key(idempotency_key)
    asked = fingerprint({"recorded_by": actor.id, "person_name": name, "member_id": member_id,
                         "content": content})

    def attempt(session: Session) -> AssessmentView:
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        if key is not None:
            earlier = session.scalars(select(Assessment).where(
                Assessment.bank_id == bank.id, Assessment.idempotency_key == key)).one_or_none()
            if earlier is not None:
                refuse_other_details(key, earlier.details_fingerprint, asked, f"assessment {earlier.id}")
                return _replayed(session, bank, actor, earlier, 1)
        if member_id is not None:
            member_row(session, bank.id, member_id)
        clean = validate_content(content, categories=active_category_slugs(session, bank),
                                 today=today or dt.date.today(), areas=_areas(session, bank))
        note_corrections(session, bank, _chosen(clean), today or dt.date.today())
        assessment = Assessment(bank_id=bank.id, member_id=member_id, person_name=name,
                                status="active", current_version=1, created_by_user_id=actor.id,
                                created_at=utcnow(), idempotency_key=key,
                                details_fingerprint=asked if key is not None else None)
        session.add(assessment)
        session.flush()
        session.add(AssessmentVersion(assessment_id=assessment.id, version=1, content=clean,
                                      recorded_by_user_id=actor.id, recorded_at=utcnow()))
        log_access(session, bank, actor, assessment.id, "create", "recorded a new assessment")
        session.flush()
        return _view(session, assessment)

    return write_once(database, attempt)


def update_assessment(
    database: Database, actor: UserView, assessment_id: int, *, content: dict,
    person_name: str | None = None, today: dt.date | None = None, idempotency_key: str | None = None,
) -> AssessmentView:
    """A new version; the earlier ones stay as they were.

    With an `idempotency_key`, the same key and details return the version recorded
    first (`replayed=True`); the same key with other details, or for another assessment
    of the bank, is refused.
    """
    key = clean_key(idempotency_key)
    asked = fingerprint({"assessment_id": assessment_id, "recorded_by": actor.id,
                         "person_name": None if person_name is None else person_name.strip(),
                         "content": content})

    def attempt(session: Session) -> AssessmentView:
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        # Locked first: a second version with the same key waits here, then finds the first.
        assessment = assessment_row(session, bank, assessment_id, lock=True)
        refuse_withdrawn(session, assessment)
        if key is not None:
            earlier = session.execute(
                select(AssessmentVersion.assessment_id, AssessmentVersion.version,
                       AssessmentVersion.details_fingerprint)
                .join(Assessment, Assessment.id == AssessmentVersion.assessment_id)
                .where(Assessment.bank_id == bank.id, AssessmentVersion.idempotency_key == key)
            ).first()
            if earlier is not None:
                refuse_other_details(key, earlier.details_fingerprint, asked,
                                     f"version {earlier.version} of assessment {earlier.assessment_id}")
                return _replayed(session, bank, actor, assessment, earlier.version)
        earlier = _view(session, assessment).content
        clean = validate_content(content, categories=active_category_slugs(session, bank),
                                 today=today or dt.date.today(), areas=_areas(session, bank, earlier.get("area")))
        before = set(_chosen(earlier))
        note_corrections(session, bank, [c for c in _chosen(clean) if c not in before], today or dt.date.today())
        if person_name is not None:
            assessment.person_name = clean_text(person_name, "the person's name", MAX_NAME_CHARS,
                                                required=True)
        assessment.current_version += 1
        session.add(AssessmentVersion(assessment_id=assessment.id, version=assessment.current_version,
                                      content=clean, recorded_by_user_id=actor.id,
                                      recorded_at=utcnow(), idempotency_key=key,
                                      details_fingerprint=asked if key is not None else None))
        log_access(session, bank, actor, assessment.id, "edit",
                   f"recorded version {assessment.current_version}")
        session.flush()
        return _view(session, assessment)

    return write_once(database, attempt)


def _areas(session: Session, bank: Bank, kept: str | None = None) -> dict[str, str]:
    """The bank's neighbourhoods by area key, and the area recorded before (kept as it was
    until changed, even if it is not on the list)."""
    areas = {key: name for key, (name, _) in centres(session, bank).items()}
    if areas and kept and area_key(kept) not in areas:
        areas[area_key(kept)] = kept
    return areas


def _chosen(content: dict) -> list[tuple[str, str, str | None]]:
    """(side, words, service chosen) of each need and capability: what a correction is read from."""
    return ([("need", n["text"], n.get("category")) for n in content.get("needs", [])]
            + [("capability", c["text"], c.get("category")) for c in content.get("capabilities", [])])


def _replayed(session: Session, bank: Bank, actor: UserView, assessment: Assessment,
              version: int) -> AssessmentView:
    """What a form sent twice recorded the first time; showing it again is an access too."""
    log_access(session, bank, actor, assessment.id, "view", f"the same form sent again (version {version})")
    return replace(_view(session, assessment, version), replayed=True)


def _view(session: Session, assessment: Assessment, version: int | None = None) -> AssessmentView:
    from timebank.db.models import User

    rows = session.execute(
        select(AssessmentVersion.version, AssessmentVersion.recorded_at, User.name, AssessmentVersion.content)
        .join(User, User.id == AssessmentVersion.recorded_by_user_id)
        .where(AssessmentVersion.assessment_id == assessment.id)
        .order_by(AssessmentVersion.version)
    ).all()
    wanted = version or assessment.current_version
    chosen = next((r for r in rows if r.version == wanted), None)
    if chosen is None:
        raise UnknownAssessment(f"Assessment {assessment.id} has no version {wanted}.")
    return AssessmentView(
        id=assessment.id, person_name=assessment.person_name, member_id=assessment.member_id,
        status=assessment.status, version=chosen.version, content=chosen.content,
        recorded_at=chosen.recorded_at,
        versions=tuple((r.version, r.recorded_at, r.name) for r in rows),
    )


def get_assessment(database: Database, actor: UserView, assessment_id: int, *,
                   why: str = "viewed", version: int | None = None) -> AssessmentView:
    """One assessment (its current version, or an earlier one); the read is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        assessment = assessment_row(session, bank, assessment_id)
        refuse_withdrawn(session, assessment)
        view = _view(session, assessment, version)
        log_access(session, bank, actor, assessment.id, "view", why)
        uow.commit()
    return view


def list_assessments(database: Database, actor: UserView) -> list[AssessmentSummary]:
    """The bank's assessments in brief (no free text); the listing is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        rows = session.execute(
            select(Assessment, AssessmentVersion)
            .join(AssessmentVersion, (AssessmentVersion.assessment_id == Assessment.id)
                  & (AssessmentVersion.version == Assessment.current_version))
            .where(Assessment.bank_id == bank.id, not_withdrawn())
            .order_by(Assessment.person_name, Assessment.id)
        ).all()
        summaries = [
            AssessmentSummary(a.id, a.person_name, a.member_id, v.content.get("area"),
                              len(v.content.get("needs", [])), len(v.content.get("capabilities", [])),
                              bool(v.content.get("consent")), v.recorded_at)
            for a, v in rows
        ]
        log_access(session, bank, actor, None, "list", "listed the bank's assessments")
        uow.commit()
    return summaries


def not_withdrawn():
    from timebank.db.models import ConsentWithdrawal

    return Assessment.id.not_in(select(ConsentWithdrawal.assessment_id))


def access_log(database: Database, actor: UserView, assessment_id: int | None = None,
               limit: int = 200) -> list[tuple]:
    """The access log of the bank (or of one assessment), newest first."""
    from timebank.db.models import User

    with UnitOfWork(database, readonly=True) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        query = (select(AssessmentAccess.at, User.name, AssessmentAccess.role, AssessmentAccess.action,
                        AssessmentAccess.assessment_id, AssessmentAccess.why)
                 .join(User, User.id == AssessmentAccess.user_id)
                 .where(AssessmentAccess.bank_id == bank.id))
        if assessment_id is not None:
            query = query.where(AssessmentAccess.assessment_id == assessment_id)
        return [tuple(r) for r in session.execute(query.order_by(AssessmentAccess.id.desc()).limit(limit))]


def link_member(database: Database, actor: UserView, assessment_id: int, member_id: int | None, *,
                confirmed: bool = True) -> MemberLink:
    """Link an assessment to the member the person has become, or correct a wrong pick
    (None: "not a member yet"). The link is on the assessment, not on a version: it says
    who the person is, not what they said.

    Unconfirmed, the link is checked and described but not made (the "are you sure?"
    step). Raises UnknownMember (another bank's member reads the same) or MemberNotActive.
    A link already in place is answered as it is (a form sent twice changes it once).
    """
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        # Locked: two social workers correcting the same link one after the other, not at once.
        assessment = assessment_row(session, bank, assessment_id, lock=confirmed)
        refuse_withdrawn(session, assessment)
        member = None
        if member_id is not None:
            try:
                member = member_row(session, bank.id, member_id)
            except UnknownMember:
                raise UnknownMember(f"There is no member number {member_id} in this bank: "
                                    "choose one of the bank's members.") from None
            check_member_link(member.name, member.status)
        before_id = assessment.member_id
        before = member_row(session, bank.id, before_id) if before_id is not None else None
        made = confirmed and before_id != member_id
        if made:
            assessment.member_id = member_id
            why = (f"linked to member {member.id} ({member.name})" if member is not None
                   else f"member link removed (was member {before_id})")
            if before is not None and member is not None:
                why = f"member link corrected from {before.id} to {member.id} ({member.name})"
            log_access(session, bank, actor, assessment.id, "link_member", why)
        else:
            log_access(session, bank, actor, assessment.id, "view",
                       "asked to confirm a member link" if not confirmed else "the same member link sent again")
        view = MemberLink(assessment.id, assessment.person_name, before_id, before.name if before else None,
                          member_id, member.name if member else None, made)
        uow.commit()
    return view
