"""Subject access: everything the bank holds on one person, in one download.

Two files, by who may read what: a coordinator's (the member record, sign-in, account,
exchanges and entries, requests, answers, offers, contact notes, the access log about
them) and a social worker's (assessments with every version, consent withdrawals,
introductions and the person's own side of each outcome, the assessment access log).
Each holds the person's records grouped by the table they live in, so a test can walk the
schema and find every row; each export is itself written to the access log.

Nobody else's details are in it: the other member of an exchange, an answer or an
introduction appears by name only, as the bank already shows it on a statement, and never
with a phone, an email or a text they wrote (another member's answer message, the other
side's outcome comment, another member's request text).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Account,
    Assessment,
    AssessmentAccess,
    AssessmentVersion,
    ConsentWithdrawal,
    ContactNote,
    Entry,
    Exchange,
    HelpAnswer,
    HelpRequest,
    Introduction,
    IntroductionFollowUp,
    MatchProposal,
    Member,
    MemberAccess,
    Offer,
    Outcome,
    OutcomeMeasureAnswer,
    OutcomeQuestion,
    User,
)
from timebank.domain.errors import NotAllowed
from timebank.domain.outcome_measures import shipped_questions
from timebank.services import notices
from timebank.services.assessments import log_access, require_social_worker
from timebank.services.auth import UserView
from timebank.services.erasure import log_member_access
from timebank.services.rows import assessment_row, bank_row, category_names, member_row
from timebank.services.subject_access_page import Names, page
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["SubjectFile", "member_file", "assessment_file", "as_zip"]


@dataclass(frozen=True)
class SubjectFile:
    """One person's file: a document of plain values, a name for the download, and the
    words of the codes in it (service names, questions) for the page to read."""

    person: str
    document: dict
    filename: str
    names: Names = field(default_factory=Names)


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _row(row, *columns: str) -> dict:
    return {c: _plain(getattr(row, c)) for c in columns}


def member_file(database: Database, actor: UserView | None, bank_slug: str, member_id: int) -> SubjectFile:
    """The member record and ledger of one member (a coordinator of the bank, or the
    operator: no actor); the export is logged."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        if actor is not None and (actor.role != "coordinator" or actor.bank_id != bank.id):
            raise NotAllowed("Only a coordinator of the bank can export a member's record.")
        member = member_row(session, bank.id, member_id)
        names = dict(session.execute(select(Member.id, Member.name).where(Member.bank_id == bank.id)).all())
        document = {
            "about": "Everything the time bank holds on this member, apart from assessments "
                     "(a social worker exports those). Other people appear by name only.",
            "bank": bank.name,
            "members": [_row(member, "id", "name", "kind", "email", "phone", "area", "status",
                             "joined_on", "safeguarding_checked_on", "safeguarding_expires_on",
                             "share_phone", "share_email", "floor_minutes", "ceiling_minutes",
                             "created_at", "erased_at")],
            "users": [_row(u, "id", "email", "name", "role", "active", "created_at")
                      for u in session.scalars(select(User).where(User.member_id == member.id))],
            **_ledger(session, member, names),
            **_help(session, member, names),
            "contact_notes": [_row(n, "id", "written_on", "author", "text", "follow_up_on")
                              for n in session.scalars(select(ContactNote).where(
                                  ContactNote.member_id == member.id).order_by(ContactNote.id))],
            **notices.for_subject_access(session, member.id),
            "member_access": [_row(a, "id", "role", "action", "why", "at")
                              for a in session.scalars(select(MemberAccess).where(
                                  MemberAccess.bank_id == bank.id, MemberAccess.member_id == member.id)
                                  .order_by(MemberAccess.id))],
        }
        log_member_access(session, bank.id, actor, member_id=member.id, action="export",
                          why=f"subject access: member {member.id}")
        words = Names(categories=category_names(session, bank))
        uow.commit()
    return SubjectFile(member.name, document, f"member-{member.id}-record.zip", words)


def _ledger(session: Session, member: Member, names: dict[int, str]) -> dict:
    account = session.scalars(select(Account).where(Account.member_id == member.id)).one_or_none()
    exchanges = []
    for x in session.scalars(select(Exchange).where(or_(
            Exchange.provider_member_id == member.id, Exchange.receiver_member_id == member.id))
            .order_by(Exchange.given_on, Exchange.id)):
        other = x.receiver_member_id if x.provider_member_id == member.id else x.provider_member_id
        exchanges.append({**_row(x, "id", "kind", "state", "given_on", "amount_minutes", "category",
                                 "description", "reason", "decline_reason", "reverses_exchange_id", "created_at",
                                 "settled_at"),
                          "you": "gave" if x.provider_member_id == member.id else "received",
                          "other_member": names.get(other) if other else None})
    entries = [] if account is None else [
        _row(e, "id", "exchange_id", "amount_minutes", "created_at")
        for e in session.scalars(select(Entry).where(Entry.account_id == account.id).order_by(Entry.id))]
    return {
        "accounts": [] if account is None else [_row(account, "id", "kind", "balance_minutes", "created_at")],
        "exchanges": exchanges,
        "entries": entries,
    }


def _help(session: Session, member: Member, names: dict[int, str]) -> dict:
    own = list(session.scalars(select(HelpRequest).where(HelpRequest.member_id == member.id).order_by(HelpRequest.id)))
    answered = {}
    for a in session.scalars(select(HelpAnswer).where(HelpAnswer.request_id.in_([r.id for r in own]))):
        answered.setdefault(a.request_id, []).append({"status": a.status, "member": names.get(a.member_id)})
    requests = [{**_row(r, "id", "category", "what", "when_text", "where_text", "helper_notes", "status",
                        "created_at"), "answers": answered.get(r.id, [])} for r in own]
    # Asked of them from their offer: theirs to know who asked, not the asker's words.
    requests += [{**_row(r, "id", "status", "created_at"), "asked_you": names.get(r.member_id)}
                 for r in session.scalars(select(HelpRequest).where(
                     HelpRequest.addressed_to_member_id == member.id, HelpRequest.member_id != member.id))]
    answers = session.execute(select(HelpAnswer, HelpRequest.member_id)
                              .join(HelpRequest, HelpRequest.id == HelpAnswer.request_id)
                              .where(HelpAnswer.member_id == member.id).order_by(HelpAnswer.id)).all()
    return {
        "help_requests": requests,
        "help_answers": [{**_row(a, "id", "request_id", "message", "status", "created_at", "decided_at"),
                          "asked_by": names.get(asker)} for a, asker in answers],
        "offers": [_row(o, "id", "category", "description", "active", "created_at")
                   for o in session.scalars(select(Offer).where(Offer.member_id == member.id).order_by(Offer.id))],
    }


def assessment_file(database: Database, actor: UserView, assessment_id: int) -> SubjectFile:
    """Every assessment of the person this assessment is about (all of a member's, when
    it names one), with introductions and the person's own outcomes; logged per assessment."""
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, actor.bank_slug)
        require_social_worker(actor, bank)
        first = assessment_row(session, bank, assessment_id)
        if first.member_id is not None:
            assessments = list(session.scalars(select(Assessment).where(
                Assessment.bank_id == bank.id, Assessment.member_id == first.member_id).order_by(Assessment.id)))
        else:
            assessments = [first]
        ids = [a.id for a in assessments]
        people = dict(session.execute(select(Assessment.id, Assessment.person_name)
                                      .where(Assessment.bank_id == bank.id)).all())
        document = {
            "about": "Every assessment the time bank holds on this person, with the introductions "
                     "made from them. Other people appear by name only.",
            "bank": bank.name,
            "assessments": [_row(a, "id", "person_name", "member_id", "status", "current_version",
                                 "created_at", "erased_at") for a in assessments],
            "assessment_versions": [_row(v, "id", "assessment_id", "version", "content", "recorded_at")
                                    for v in session.scalars(select(AssessmentVersion).where(
                                        AssessmentVersion.assessment_id.in_(ids)).order_by(AssessmentVersion.id))],
            "consent_withdrawals": [_row(w, "id", "assessment_id", "withdrawn_on", "note")
                                    for w in session.scalars(select(ConsentWithdrawal).where(
                                        ConsentWithdrawal.assessment_id.in_(ids)))],
            **_introductions(session, ids, people),
            "assessment_access": [_row(a, "id", "assessment_id", "role", "action", "why", "at")
                                  for a in session.scalars(select(AssessmentAccess).where(
                                      AssessmentAccess.assessment_id.in_(ids)).order_by(AssessmentAccess.id))],
        }
        for a in assessments:
            log_access(session, bank, actor, a.id, "export", "subject access")
        words = _names(session, bank)
        uow.commit()
    return SubjectFile(first.person_name, document, f"assessment-{first.id}-record.zip", words)


def _names(session: Session, bank) -> Names:
    """Service names, and every outcome question's words (retired ones too, for old answers)."""
    questions = {q.key: q.text for q in shipped_questions()}
    choices = {value: words for q in shipped_questions() for value, words in q.choices}
    for q in session.scalars(select(OutcomeQuestion).where(OutcomeQuestion.bank_id == bank.id)):
        questions[q.key] = q.text
        choices.update((value, words) for value, words in q.choices)
    return Names(categories=category_names(session, bank), questions=questions, choices=choices)


def _introductions(session: Session, ids: list[int], people: dict[int, str]) -> dict:
    rows = session.execute(
        select(Introduction, MatchProposal).join(MatchProposal, MatchProposal.id == Introduction.proposal_id)
        .where(or_(MatchProposal.need_assessment_id.in_(ids), MatchProposal.capability_assessment_id.in_(ids)))
        .order_by(Introduction.id)).all()
    introductions, outcomes = [], []
    for introduction, proposal in rows:
        helped = proposal.need_assessment_id in ids
        other = proposal.capability_assessment_id if helped else proposal.need_assessment_id
        introductions.append({**_row(introduction, "id", "status", "created_at", "closed_at"),
                              "you_were": "helped" if helped else "helper", "introduced_to": people.get(other)})
        side = "helped" if helped else "helper"
        outcomes += [_row(o, "id", "introduction_id", "side", "help_happened", "difference", "comment", "recorded_at")
                     for o in session.scalars(select(Outcome).where(
                         Outcome.introduction_id == introduction.id, Outcome.side == side))]
    # The follow-ups about them, and their own wellbeing answers (special category too).
    follow_ups = [_row(f, "id", "introduction_id", "stage", "held_on", "note", "created_at")
                  for f in session.scalars(select(IntroductionFollowUp).where(or_(
                      IntroductionFollowUp.helped_assessment_id.in_(ids),
                      IntroductionFollowUp.helper_assessment_id.in_(ids))).order_by(IntroductionFollowUp.id))]
    answers = [_row(a, "id", "introduction_id", "side", "question_key", "score", "choice", "declined")
               for a in session.scalars(select(OutcomeMeasureAnswer).where(
                   OutcomeMeasureAnswer.assessment_id.in_(ids)).order_by(OutcomeMeasureAnswer.id))]
    return {"introductions": introductions, "outcomes": outcomes, "introduction_follow_ups": follow_ups,
            "outcome_measure_answers": answers}


def as_zip(file: SubjectFile) -> bytes:
    """The download: the file as JSON, and as a page to read (and print) in a browser."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.json", json.dumps(file.document, indent=2, ensure_ascii=False, default=str))
        archive.writestr("record.html", _page(file))
    return buffer.getvalue()


def _page(file: SubjectFile) -> str:
    return page(file.document, file.person, file.names)
