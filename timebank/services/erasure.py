"""Erasing a person: what identifies them goes, every exchange and balance stays whole.

The member's row stays (accounts and exchanges point at it) and reads as "a former
member"; name, contact details, safeguarding days and every free text they wrote or that
was written about them (requests, answers, offers, contact notes, exchange descriptions
and reasons, outcome comments) are replaced or emptied; their assessments lose every
version; their sign-in and its sessions are deleted. Amounts, days and kinds of every
exchange stay, so the other member's statement still adds up and `timebank check` passes.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from timebank.db.engine import Database
from timebank.db.models import (
    Assessment,
    AssessmentVersion,
    Bank,
    BankReader,
    Base,
    ConsentWithdrawal,
    ContactNote,
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
    ReadingExample,
    TextEmbedding,
    User,
    utcnow,
)
from timebank.domain.errors import NotAllowed
from timebank.domain.privacy import FORMER_MEMBER, REMOVED
from timebank.services import notices
from timebank.services.auth import UserView
from timebank.services.helping import release_answers_of
from timebank.services.rows import bank_row, member_row
from timebank.services.unit_of_work import UnitOfWork

__all__ = ["ERASED_TEXT_COLUMNS", "Erased", "erase_member", "erase_member_rows", "erase_assessment_rows",
           "log_member_access"]


#: Every text column that can hold a person's words and that erasure replaces, empties,
#: or deletes the row of ("table.column"). A test walks the schema and fails on a text
#: column that is neither here nor on its list of columns holding no personal words.
ERASED_TEXT_COLUMNS = frozenset({
    "members.name", "members.email", "members.phone", "members.area",
    # The sign-in and every row hanging on it are deleted (_delete_sign_ins).
    "users.email", "users.name", "users.password_hash", "sign_in_sessions.token_digest",
    "sign_in_sessions.ended_because", "password_resets.token_digest", "second_factors.secret_sealed",
    "recovery_codes.code_digest",
    "help_requests.what", "help_requests.when_text", "help_requests.where_text", "help_requests.helper_notes",
    "help_answers.message", "offers.description", "contact_notes.text",
    "exchanges.description", "exchanges.reason", "exchanges.decline_reason",
    "assessments.person_name", "assessment_versions.content", "consent_withdrawals.note",
    "match_proposals.reasons", "match_proposals.decision_reason", "outcomes.comment",
    "introduction_follow_ups.note", "reading_examples.text",
    "text_embeddings.text_sha256",  # the digest of a person's words, deleted with them
    # The member's own notices are deleted; others' facts that name them read "a former member".
    "notices.facts", "notices.last_error",
})


@dataclass(frozen=True)
class Erased:
    member_id: int
    already: bool  # erased before: nothing more was done
    exchanges: int  # whose description or reason was replaced
    requests: int
    answers: int
    offers: int
    notes: int
    assessments: int
    sign_ins: int


def log_member_access(session: Session, bank_id: int, actor: UserView | None, *, member_id: int | None,
                      action: str, why: str, assessment_id: int | None = None) -> None:
    """One line of the member records' access log (the operator, on the command line: no user)."""
    session.add(MemberAccess(bank_id=bank_id, user_id=actor.id if actor else None,
                             role=actor.role if actor else "operator", member_id=member_id,
                             assessment_id=assessment_id, action=action, why=why[:200], at=utcnow()))


def erase_member(database: Database, bank_slug: str, member_id: int, *,
                 actor: UserView | None = None) -> Erased:
    """Erase one member of the bank (a coordinator of the bank, or the operator: no actor).

    Erasing twice does nothing the second time (`already=True`).
    """
    with UnitOfWork(database) as uow:
        session = uow.session
        bank = bank_row(session, bank_slug)
        if actor is not None and (actor.role != "coordinator" or actor.bank_id != bank.id):
            raise NotAllowed("Only a coordinator of the bank can erase a member.")
        member = member_row(session, bank.id, member_id, lock=True)
        if member.erased_at is not None:
            return Erased(member.id, True, 0, 0, 0, 0, 0, 0, 0)
        erased = erase_member_rows(session, member)
        log_member_access(session, bank.id, actor, member_id=member.id, action="erase",
                          why=f"erased member {member.id} at their request")
        uow.commit()
    return erased


def erase_member_rows(session: Session, member: Member) -> Erased:
    """Erase one member inside the caller's transaction (erasure, and retention of
    closed members)."""
    notices.forget_member(session, member, instead=FORMER_MEMBER)
    member.name = FORMER_MEMBER
    member.email = member.phone = member.area = None
    member.safeguarding_checked_on = member.safeguarding_expires_on = None
    member.share_phone = member.share_email = False
    # The digest of the details asked for at take-on can be matched against a guessed
    # name and phone, so it goes too (a retry of that form then simply finds nothing).
    member.details_fingerprint = None
    member.status = "closed"
    member.closed_at = member.closed_at or utcnow()
    member.erased_at = utcnow()
    sign_ins = _delete_sign_ins(session, member.id)
    requests = session.execute(
        update(HelpRequest).where(HelpRequest.member_id == member.id)
        .values(what=REMOVED, when_text=None, where_text=None, helper_notes=None, status="closed")
    ).rowcount
    # Their yes on others' open requests is released first, so each asker is told (as "a
    # former member") and may choose again.
    release_answers_of(session, session.get(Bank, member.bank_id), member)
    answers = session.execute(
        update(HelpAnswer).where(HelpAnswer.member_id == member.id).values(message=None)).rowcount
    session.execute(update(HelpAnswer).where(HelpAnswer.member_id == member.id,
                                             HelpAnswer.status.in_(("asked", "waiting")))
                    .values(status="withdrawn", decided_at=utcnow()))
    offers = session.execute(
        update(Offer).where(Offer.member_id == member.id).values(description=REMOVED, active=False)).rowcount
    notes = session.execute(
        update(ContactNote).where(ContactNote.member_id == member.id)
        .values(text=REMOVED, follow_up_on=None, details_fingerprint=None)).rowcount
    exchanges = _remove_exchange_texts(session, member.id)
    assessments = list(session.scalars(select(Assessment).where(
        Assessment.member_id == member.id, Assessment.erased_at.is_(None))))
    for assessment in assessments:
        erase_assessment_rows(session, assessment)
    return Erased(member.id, False, exchanges, requests, answers, offers, notes, len(assessments), sign_ins)


def _remove_exchange_texts(session: Session, member_id: int) -> int:
    """Descriptions, reasons and decline reasons of the member's exchanges (theirs, and the
    ones the other member wrote to them) become '(removed)': the only change the exchanges'
    guards allow beside the state (revisions 0014 and 0016)."""
    theirs = or_(Exchange.provider_member_id == member_id, Exchange.receiver_member_id == member_id)
    changed = 0
    for column in (Exchange.description, Exchange.reason, Exchange.decline_reason):
        changed += session.execute(
            update(Exchange).where(theirs, column.is_not(None), column != REMOVED)
            .values({column.key: REMOVED}).execution_options(synchronize_session=False)).rowcount
    return changed


def _delete_sign_ins(session: Session, member_id: int) -> int:
    """The member's sign-in, and every row that hangs on it (sessions, reset links, and
    whatever a later table keeps per user), found through the schema's foreign keys."""
    user_ids = list(session.scalars(select(User.id).where(User.member_id == member_id)))
    if not user_ids:
        return 0
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name == "users" and table.name != "users":
                session.execute(delete(table).where(key.parent.in_(user_ids)))
    session.execute(delete(User).where(User.id.in_(user_ids)))
    return len(user_ids)


def _forget_reading_examples(session: Session, assessment: Assessment) -> None:
    """The reader's training examples copied from the person's needs and capabilities
    (a correction, an accepted match) hold their words without a link to them: found by
    the words themselves, in the same bank. So do the embeddings kept of those words
    (found by the words' digest): an embedding can be read back into words."""
    from matching.embeddings import text_key

    texts = {item["text"] for content in session.scalars(
        select(AssessmentVersion.content).where(AssessmentVersion.assessment_id == assessment.id))
        for item in (*content.get("needs", []), *content.get("capabilities", [])) if item.get("text")}
    if texts:
        removed = session.execute(delete(ReadingExample).where(ReadingExample.bank_id == assessment.bank_id,
                                                               ReadingExample.text.in_(texts))).rowcount
        session.execute(delete(TextEmbedding).where(TextEmbedding.text_sha256.in_({text_key(t) for t in texts})))
        if removed:
            # The bank's trained reader keeps the words it learned (its vocabulary): it
            # goes with them, and the bank reads with the shipped reader until the next
            # retrain learns again from the examples that remain.
            session.execute(update(BankReader).where(BankReader.bank_id == assessment.bank_id)
                            .values(model=None, example_count=0))


def erase_assessment_rows(session: Session, assessment: Assessment) -> None:
    """An assessment loses every version and every text about the person; its row stays,
    named "a former member", so the proposals and introductions made from it still count."""
    assessment.person_name = FORMER_MEMBER
    assessment.status = "closed"
    assessment.erased_at = utcnow()
    session.flush()  # the versions' guard reads erased_at before it lets them go
    _forget_reading_examples(session, assessment)
    session.execute(delete(AssessmentVersion).where(AssessmentVersion.assessment_id == assessment.id))
    session.execute(update(ConsentWithdrawal).where(ConsentWithdrawal.assessment_id == assessment.id)
                    .values(note=REMOVED))
    made_from = or_(MatchProposal.need_assessment_id == assessment.id,
                    MatchProposal.capability_assessment_id == assessment.id)
    session.execute(update(MatchProposal).where(made_from).values(reasons=[])
                    .execution_options(synchronize_session=False))
    session.execute(update(MatchProposal).where(made_from, MatchProposal.decision_reason.is_not(None))
                    .values(decision_reason=REMOVED).execution_options(synchronize_session=False))
    introductions = select(Introduction.id).join(MatchProposal, MatchProposal.id == Introduction.proposal_id) \
        .where(made_from)
    session.execute(update(Outcome).where(Outcome.introduction_id.in_(introductions), Outcome.comment.is_not(None))
                    .values(comment=None).execution_options(synchronize_session=False))
    # Their wellbeing answers go; a follow-up's note about either side loses its words.
    session.execute(delete(OutcomeMeasureAnswer).where(OutcomeMeasureAnswer.assessment_id == assessment.id))
    session.execute(update(IntroductionFollowUp).where(
        or_(IntroductionFollowUp.helped_assessment_id == assessment.id,
            IntroductionFollowUp.helper_assessment_id == assessment.id),
        IntroductionFollowUp.note.is_not(None)).values(note=None).execution_options(synchronize_session=False))
